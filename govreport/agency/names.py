"""Level, kind and sector of an agency from its name (word lists in ``sectors.csv``)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

import pandas as pd

from .. import datafiles
from ..missing import is_na
from .divisions import (
    _LEVEL_OF_DIVISION,
    _ancestors,
    _common_region,
    _division_table,
    _from_text,
    _is_ancestor_or_self,
    _region_fields,
    _resolve,
    _scan_name,
)
from .script import _clean_name, _normalize_text

#: keys of the dict returned by :func:`classify_agency`, in order
FIELDS: tuple[str, ...] = ("level", "kind", "sector", "province", "prefecture", "county")


def sectors() -> pd.DataFrame:
    """Return the sector keyword table (``sector, label_zh, label_en, keywords``)."""
    return datafiles.frame("sectors.csv")


@cache
def _sector_table() -> tuple[re.Pattern[str], dict[str, str]]:
    """One alternation of all keywords (longest first, then CSV order) and keyword -> sector.

    ``re.search`` returns the leftmost match and, at that position, the first
    alternative that matches: i.e. the earliest, then longest, then first-listed
    keyword.
    """
    items: list[tuple[str, str, int]] = []
    for order, r in enumerate(datafiles.rows("sectors.csv")):
        for kw in r["keywords"].split("|"):
            kw = kw.strip()
            if kw:
                items.append((kw, r["sector"], order))
    items.sort(key=lambda t: (-len(t[0]), t[2]))
    lookup: dict[str, str] = {}
    for kw, sector, _ in items:
        lookup.setdefault(kw, sector)
    pattern = re.compile("|".join(re.escape(kw) for kw in lookup))
    return pattern, lookup


# ------------------------------------------------------------------------ regexes
_CENTRAL_RE = re.compile(
    r"^(国务院|国家|中华人民共和国|中央|最高人民(法院|检察院)|中国人民银行|中国证券监督管理委员会|"
    r"中国银行保险监督管理委员会|中国银行业监督管理委员会|中国保险监督管理委员会|中国气象局|中国地震局|"
    r"海关总署|审计署)"
)
_CENTRAL_TAIL_RE = re.compile(r"(部|总局|总署)$")
# departments called …部 that also exist locally (party organs, armed-forces offices)
_LOCAL_BU_RE = re.compile(r"(组织部|宣传部|统战部|统一战线工作部|武装部|政法委员会|工作部)$")
_GOV_REST_RE = re.compile(r"^(人民政府|政府)?(办公厅|办公室|办)?$")
_TOWNSHIP_RE = re.compile(
    r"[\u4e00-\u9fff]{1,10}?(?<![城下家乡村])(街道|镇|乡|苏木)"
    r"(?=人民政府|政府|办事处|党委|党工委|人大|人民代表大会|便民|社会事务|综合|农业|财政|卫生院|服务中心|$)"
)
_TOWNSHIP_GOV_RE = re.compile(
    r"^[\u4e00-\u9fff]{1,10}?(?<![城下家乡村])(街道|镇|乡|苏木)(人民政府|政府|办事处)?(党政)?(办公室|办)?$"
)
_ZONE_RE = re.compile(
    r"(开发区|高新区|新区|园区|实验区|试验区|保税区|度假区|风景区|名胜区|景区|管理区|合作区|示范区|产业园|经济区|港区|旅游区|自贸区|自由贸易)"
)
_ZONE_GOV_RE = re.compile(_ZONE_RE.pattern + r"(管委会|管理委员会|工委|管理局)?(办公室)?$")
_GOV_MARKER_RE = re.compile(r"人民政府|办事处|" + _ZONE_RE.pattern + r"(管委会|管理委员会)")
_DEPT_TAIL_RE = re.compile(
    r"(部|厅|局|委|委员会|办|办公室|中心|所|站|院|处|科|署|队|馆|社|行|会|组|室|团|场|台|海关|分局|支局|分行|支行)$"
)
_PARTY_RE = re.compile(r"^(中共|中国共产党)")
_BARE_PREFIX = {"省": "provincial", "自治区": "provincial", "州": "prefecture", "盟": "prefecture",
                "市": None, "县": "county", "区": "county", "旗": "county"}
_BARE_NOT_PREFIX = ("市场", "市政工程", "市政设施", "市政公用", "区域", "县域", "省级", "市级", "县级", "区级")


# --------------------------------------------------------------------- sector/kind
def _sector_of(s: str) -> str | None:
    pattern, lookup = _sector_table()
    m = pattern.search(s)
    return lookup[m.group(0)] if m else None


def _kind_of(name: str, rest: str, matched: bool) -> str | None:
    if name in ("国务院", "国务院办公厅"):
        return "government"
    if _PARTY_RE.match(name):
        return None
    if matched and rest == "":
        return "government"
    if rest and _GOV_REST_RE.match(rest):
        return "government"
    if rest.startswith(("人民政府", "政府")) and rest.endswith(("行政公署", "行署")):
        return "government"
    if rest.endswith(("行政公署", "行署")) or rest in ("管委会", "管理委员会", "行政公署办公室"):
        return "government"
    if _TOWNSHIP_GOV_RE.match(rest):
        return "government"
    zone_gov = _ZONE_GOV_RE.search(rest)
    if zone_gov and not zone_gov.group(0).endswith("管理局"):
        return "government"
    if _DEPT_TAIL_RE.search(rest or name):
        return "department"
    return None


# ------------------------------------------------------------------------- public
_EMPTY: dict[str, str | None] = dict.fromkeys(FIELDS)


@dataclass(frozen=True)
class _NameAnalysis:
    result: tuple[tuple[str, str | None], ...]
    needs_text: bool
    rest: str
    prefix: str | None
    candidates: tuple[tuple[str, str | None], ...]
    zone: bool
    township: bool


@lru_cache(maxsize=200_000)
def _analyse_name(raw: str) -> _NameAnalysis:
    name = _clean_name(raw)
    res = dict(_EMPTY)
    if not name:
        return _NameAnalysis(tuple(res.items()), False, "", None, (), False, False)

    matches = _scan_name(name)
    readings = _resolve(matches) if matches else {}
    # matches that took part in the accepted chain
    used_end = 0
    if readings:
        for m in matches:
            if any(_is_ancestor_or_self(c.key, k) for c in m.cands for k in readings):
                used_end = max(used_end, m.end)
    rest = name[used_end:]
    # name without any division mention, for sector keywords
    stripped = name
    for m in reversed(matches):
        stripped = stripped[: m.start] + stripped[m.end :]

    prefix: str | None = None
    if not matches:
        for p in ("自治区", "省", "市", "县", "区", "州", "盟", "旗"):
            if name.startswith(p) and not name.startswith(_BARE_NOT_PREFIX) and len(name) > len(p):
                prefix = p
                rest = name[len(p) :]
                stripped = rest
                break

    kind = _kind_of(name, rest, bool(readings))
    township = bool(_TOWNSHIP_RE.search(rest)) if rest else False
    zone = bool(_ZONE_RE.search(rest)) and not township

    # level
    level: str | None = None
    if not matches and prefix is None and not township and (
        _CENTRAL_RE.match(name) or (
            _CENTRAL_TAIL_RE.search(name)
            and len(name) <= 12
            and not _PARTY_RE.match(name)
            and not _LOCAL_BU_RE.search(name)
        )
    ):
        level = "central"
        if re.search(r"(分行|支行|分局|分署|特派办|调查总队|调查队|监管局|监管分局|派出机构)$", name):
            level = None  # a regional branch of a central body: its rank is not in the name
    elif township:
        level = "township"
    elif prefix is not None:
        level = _BARE_PREFIX[prefix]

    # region
    needs_text = False
    if len(readings) == 1:
        key, override = next(iter(readings.items()))
        res.update(_region_fields(key))
        if level is None:
            if override:
                level = override
            elif not zone:
                level = _LEVEL_OF_DIVISION[_division_table()[key].level]
    elif len(readings) > 1:
        needs_text = True
        res.update(_common_region(readings))
        levels = {_division_table()[k].level for k in readings}
        if level is None and len(levels) == 1 and not zone and not any(readings.values()):
            level = _LEVEL_OF_DIVISION[levels.pop()]
    elif level != "central":
        needs_text = True

    # the fields below the agency's own level are not part of its region (an
    # alias with a level override, e.g. 平潭综合实验区, keeps its whole territory)
    if len(readings) == 1 and next(iter(readings.values())):
        pass
    elif level == "provincial":
        res["prefecture"] = res["county"] = None
    elif level == "prefecture":
        res["county"] = None

    # sector
    sector: str | None
    if kind == "government":
        sector = "general_government"
    else:
        s = stripped
        for head in ("国务院", "人民政府", "政府"):
            if s.startswith(head) and len(s) > len(head):
                s = s[len(head) :]
        # the part after the last government/zone marker names the department
        # (…开发区管委会规划建设局 -> 规划建设局)
        cut = 0
        for mo in _GOV_MARKER_RE.finditer(s):
            if mo.end() < len(s):
                cut = max(cut, mo.end())
        sector = _sector_of(s[cut:]) or (_sector_of(s) if cut else None)
        if sector == "general_government":
            sector = None
    res.update(level=level, kind=kind, sector=sector)
    return _NameAnalysis(
        tuple(res.items()), needs_text, rest, prefix, tuple(readings.items()), zone, township
    )


def _name_key(a: _NameAnalysis) -> str | None:
    """The deepest division all readings of the name agree on (None when none)."""
    keys = [k for k, _ in a.candidates]
    if not keys:
        return None
    return next((k for k in _ancestors(keys[0]) if all(_is_ancestor_or_self(k, o) for o in keys)), None)


def _apply_text(a: _NameAnalysis, text: str) -> dict[str, str | None]:
    return _apply_text_key(a, text)[0]


def _apply_text_key(a: _NameAnalysis, text: str) -> tuple[dict[str, str | None], str | None]:
    res = dict(a.result)
    picked = _from_text(_normalize_text(text), a.rest, a.prefix, dict(a.candidates))
    if picked is None:
        return res, _name_key(a)
    key, override = picked
    d = _division_table()[key]
    res.update(_region_fields(key))
    if res["level"] is None and not a.zone:
        res["level"] = override or _LEVEL_OF_DIVISION[d.level]
    if res["level"] == "provincial":
        res["prefecture"] = res["county"] = None
    elif res["level"] == "prefecture":
        res["county"] = None
    return res, key


def classify_with_key(name: str | None, text: str | None = None) -> tuple[dict[str, str | None], str | None, str]:
    """:func:`classify_agency` plus the key of the division the name resolved to and the
    rest of the name after its division mention (``住房和城乡建设局``)."""
    if is_na(name) or not str(name).strip():
        return dict(_EMPTY), None, ""
    a = _analyse_name(str(name))
    if a.needs_text and not is_na(text) and str(text).strip():
        res, key = _apply_text_key(a, str(text))
    else:
        res, key = dict(a.result), _name_key(a)
    return res, key, a.rest


def classify_agency(name: str | None, text: str | None = None) -> dict[str, str | None]:
    """Classify one agency name.

    Parameters
    ----------
    name:
        The agency name as printed (simplified or traditional script).
    text:
        Optional report text; used only when the name leaves the region
        ambiguous or unknown (e.g. a bare ``市住房和城乡建设局``).

    Returns
    -------
    dict
        Keys ``level, kind, sector, province, prefecture, county`` with ``str``
        values or ``None`` when unknown.
    """
    if is_na(name) or not str(name).strip():
        return dict(_EMPTY)
    a = _analyse_name(str(name))
    if a.needs_text and not is_na(text) and str(text).strip():
        return _apply_text(a, str(text))
    return dict(a.result)


def classify_frame(df: pd.DataFrame, name_col: str = "agency", text_col: str | None = None) -> pd.DataFrame:
    """Return a copy of ``df`` with the columns ``level, kind, sector, province, prefecture, county``.

    Names are analysed once per distinct value (and the text is consulted only
    for rows whose name is ambiguous), so 100 000 rows with a few thousand
    distinct names take well under a second.  New columns use the pandas
    ``string`` dtype (``<NA>`` = unknown); existing columns of the same names
    are replaced.
    """
    if name_col not in df.columns:
        raise KeyError(f"column {name_col!r} not in frame")
    if text_col is not None and text_col not in df.columns:
        raise KeyError(f"column {text_col!r} not in frame")
    names = df[name_col]
    codes, uniques = pd.factorize(names, use_na_sentinel=True)
    per_name = [classify_agency(u) for u in uniques]
    cols: dict[str, list[str | None]] = {f: [None] * len(df) for f in FIELDS}
    texts = df[text_col].tolist() if text_col is not None else None
    for i, c in enumerate(codes):
        if c < 0:
            continue
        r = per_name[c]
        if texts is not None:
            a = _analyse_name(str(uniques[int(c)]))
            t = texts[i]
            if a.needs_text and not is_na(t) and str(t).strip():
                r = _apply_text(a, str(t))
        for f in FIELDS:
            cols[f][i] = r[f]
    out = df.copy()
    for f in FIELDS:
        out[f] = pd.array(cols[f], dtype="string")
    return out

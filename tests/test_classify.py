"""Tests for govreport.agency (agency level / kind / sector / region)."""
from __future__ import annotations

import csv
import io
import time
from importlib import resources
from pathlib import Path

import pandas as pd
import pytest

from govreport.agency import FIELDS, classify_agency, classify_frame, divisions, sectors

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"


def _raw(name: str) -> str:
    path = RAW / name
    if not path.exists():
        pytest.skip(f"{path} not available")
    return path.read_text(encoding="utf-8")


def _expect(name: str, text: str | None = None, **expected: str | None) -> dict:
    got = classify_agency(name, text)
    assert set(got) == set(FIELDS)
    for key, value in expected.items():
        assert got[key] == value, f"{name}: {key}={got[key]!r}, expected {value!r} (got {got})"
    return got


# ----------------------------------------------------------------- the real reports
@pytest.mark.parametrize(
    "file, spelling",
    [
        ("000_943bbbccc038582b.txt", "津市市住房保障服务中心"),
        ("002_8b3fd4c305a71f8f.txt", "定陶区房地产服务中心"),
        ("004_1de402db7ad7867c.txt", "安顺市住房和城乡建设局"),
        ("003_36f0aac7f99c3c7f.txt", "弋陽縣住房建設"),  # traditional script in the report
        ("pingtan_2021.txt", "平潭综合实验区"),
        ("shanghai_stcsm_2024.txt", "上海市科委"),
        ("shanghai_govoffice_2019.html", "上海市人民政府办公厅"),
    ],
)
def test_names_are_spelled_as_in_the_reports(file: str, spelling: str) -> None:
    assert spelling in _raw(file)


def test_jinshi_county_level_city() -> None:
    _expect("津市市住房保障服务中心", level="county", kind="department", sector="housing_construction",
            province="湖南省", prefecture="常德市", county="津市市")


def test_yiyang_county() -> None:
    _expect("弋阳县住房建设保障中心", level="county", kind="department", sector="housing_construction",
            province="江西省", prefecture="上饶市", county="弋阳县")


def test_traditional_script_name() -> None:
    _expect("弋陽縣住房建設保障中心", level="county", sector="housing_construction",
            province="江西省", prefecture="上饶市", county="弋阳县")


def test_simplified_name_with_character_opencc_would_rewrite() -> None:
    # t2s would turn 乾 into 干; the division name must survive
    _expect("乾县人民政府", level="county", kind="government", province="陕西省", prefecture="咸阳市", county="乾县")


def test_dingtao_district() -> None:
    _expect("定陶区房地产服务中心", level="county", kind="department", sector="housing_construction",
            province="山东省", prefecture="菏泽市", county="定陶区")


def test_pingtan_zone() -> None:
    _expect("平潭综合实验区", level="prefecture", kind="government", sector="general_government",
            province="福建省", prefecture="福州市", county="平潭县")


@pytest.mark.parametrize("name", ["上海市科委", "上海市科学技术委员会"])
def test_shanghai_stcsm(name: str) -> None:
    _expect(name, level="provincial", kind="department", sector="science_technology",
            province="上海市", prefecture=None, county=None)


def test_shanghai_general_office_is_government() -> None:
    _expect("上海市人民政府办公厅", level="provincial", kind="government", sector="general_government",
            province="上海市", prefecture=None, county=None)


def test_anshun_housing_bureau() -> None:
    _expect("安顺市住房和城乡建设局", level="prefecture", kind="department", sector="housing_construction",
            province="贵州省", prefecture="安顺市", county=None)


# ------------------------------------------------------------- well-known agencies
@pytest.mark.parametrize(
    "name, expected",
    [
        ("国务院办公厅", {"level": "central", "kind": "government", "sector": "general_government", "province": None}),
        ("教育部", {"level": "central", "kind": "department", "sector": "education", "province": None}),
        ("公安部", {"level": "central", "kind": "department", "sector": "public_security"}),
        ("国家发展和改革委员会", {"level": "central", "kind": "department", "sector": "development_reform"}),
        ("国务院国有资产监督管理委员会", {"level": "central", "kind": "department", "sector": "state_assets"}),
        ("北京市海淀区人民政府", {"level": "county", "kind": "government", "sector": "general_government",
                                    "province": "北京市", "prefecture": "北京市", "county": "海淀区"}),
        ("北京市海淀区海淀街道办事处", {"level": "township", "kind": "government", "sector": "general_government",
                                         "province": "北京市", "prefecture": "北京市", "county": "海淀区"}),
        ("杭州市公安局", {"level": "prefecture", "kind": "department", "sector": "public_security",
                            "province": "浙江省", "prefecture": "杭州市", "county": None}),
        ("杭州市公安局西湖区分局", {"level": "county", "kind": "department", "sector": "public_security",
                                      "province": "浙江省", "prefecture": "杭州市", "county": "西湖区"}),
        ("长春市朝阳区人民政府", {"level": "county", "province": "吉林省", "prefecture": "长春市", "county": "朝阳区"}),
        ("广东省人力资源和社会保障厅", {"level": "provincial", "kind": "department", "sector": "human_resources",
                                         "province": "广东省"}),
        ("内蒙古自治区人民政府", {"level": "provincial", "kind": "government", "province": "内蒙古自治区"}),
        ("广西壮族自治区教育厅", {"level": "provincial", "sector": "education", "province": "广西壮族自治区"}),
        ("国家税务总局上海市税务局", {"level": "provincial", "kind": "department", "sector": "finance",
                                         "province": "上海市"}),
        ("上海市人民政府外事办公室", {"level": "provincial", "kind": "department", "sector": "foreign_affairs"}),
        ("重庆市万州区教育委员会", {"level": "county", "sector": "education", "province": "重庆市", "county": "万州区"}),
        ("深圳市南山区卫生健康局", {"level": "county", "sector": "health", "province": "广东省", "prefecture": "深圳市",
                                      "county": "南山区"}),
        ("中山市医疗保障局", {"level": "prefecture", "sector": "healthcare_security", "prefecture": "中山市"}),
        ("黔南州财政局", {"level": "prefecture", "sector": "finance", "province": "贵州省",
                            "prefecture": "黔南布依族苗族自治州"}),
        ("弋阳县弋江镇人民政府", {"level": "township", "kind": "government", "county": "弋阳县"}),
        ("省教育厅", {"level": "provincial", "kind": "department", "sector": "education", "province": None}),
        ("县自然资源局", {"level": "county", "sector": "natural_resources", "province": None}),
        ("北京市朝阳区城市管理委员会", {"level": "county", "kind": "department", "sector": "urban_management"}),
    ],
)
def test_well_known_agencies(name: str, expected: dict) -> None:
    _expect(name, **expected)


# ------------------------------------------------------------- unknown / ambiguous
def test_unknown_name_is_all_none() -> None:
    assert classify_agency("某某机构") == dict.fromkeys(FIELDS)


@pytest.mark.parametrize("name", [None, "", "   ", float("nan")])
def test_missing_name(name) -> None:
    assert classify_agency(name) == dict.fromkeys(FIELDS)


def test_bare_city_bureau_stays_unknown() -> None:
    got = _expect("市住房和城乡建设局", level=None, province=None, prefecture=None, county=None)
    assert got["kind"] == "department" and got["sector"] == "housing_construction"


def test_county_name_shared_by_two_cities_stays_unknown() -> None:
    # 朝阳区 exists in 北京市 and 长春市: the level is certain, the region is not
    _expect("朝阳区人民政府", level="county", kind="government", province=None, prefecture=None, county=None)


def test_text_that_does_not_decide_keeps_unknown() -> None:
    _expect("朝阳区人民政府", "本报告适用于长春市和北京市。", province=None, county=None)
    _expect("市住房和城乡建设局", "参照天津市和北京市的做法。", province=None, level=None)


def test_market_is_not_a_city_prefix() -> None:
    _expect("市场监督管理局", level=None, sector="market_regulation", kind="department")


def test_party_organ_kind_unknown() -> None:
    _expect("中共上海市委办公厅", kind=None, province="上海市")


# --------------------------------------------------------------- text disambiguation
def test_text_self_mention_resolves_bare_city_bureau() -> None:
    text = _raw("004_1de402db7ad7867c.txt")
    _expect("市住房和城乡建设局", text, level="prefecture", kind="department", sector="housing_construction",
            province="贵州省", prefecture="安顺市", county=None)


def test_text_address_resolves_bare_county_name_traditional_text() -> None:
    text = _raw("003_36f0aac7f99c3c7f.txt")  # 地址:江西省上饒市弋陽縣建安路…
    _expect("县住房建设保障中心", text, level="county", province="江西省", prefecture="上饶市", county="弋阳县")


def test_text_address_resolves_shared_district_name() -> None:
    _expect("朝阳区人民政府", "联系地址：北京市朝阳区日坛北路33号", province="北京市", county="朝阳区")


def test_name_wins_over_text() -> None:
    _expect("安顺市住房和城乡建设局", "地址：江西省上饶市弋阳县建安路", prefecture="安顺市")


# ------------------------------------------------------------------- classify_frame
def test_classify_frame_adds_columns() -> None:
    df = pd.DataFrame({"agency": ["上海市科委", None, "某某机构", "上海市科委"], "x": [1, 2, 3, 4]})
    out = classify_frame(df)
    assert list(out.columns) == ["agency", "x", *FIELDS]
    assert out.loc[0, "province"] == "上海市" and out.loc[3, "sector"] == "science_technology"
    assert out.loc[1, list(FIELDS)].isna().all() and out.loc[2, list(FIELDS)].isna().all()
    assert "level" not in df.columns  # input untouched


def test_classify_frame_with_text() -> None:
    df = pd.DataFrame({
        "name": ["市住房和城乡建设局", "市住房和城乡建设局", "朝阳区人民政府"],
        "text": ["以安顺市住房和城乡建设局名义印发的文件6件", None, "地址：长春市朝阳区"],
    })
    out = classify_frame(df, name_col="name", text_col="text")
    assert out["prefecture"].tolist()[0] == "安顺市"
    assert pd.isna(out.loc[1, "prefecture"])
    assert out.loc[2, "prefecture"] == "长春市"


def test_classify_frame_bad_column() -> None:
    with pytest.raises(KeyError):
        classify_frame(pd.DataFrame({"a": ["x"]}))


def test_classify_frame_100k_rows_is_fast() -> None:
    names = ["津市市住房保障服务中心", "弋阳县住房建设保障中心", "定陶区房地产服务中心", "平潭综合实验区",
             "上海市人民政府办公厅", "上海市科委", "安顺市住房和城乡建设局", "国务院办公厅", "教育部",
             "北京市海淀区人民政府", "杭州市公安局", "北京市海淀区海淀街道办事处", "市住房和城乡建设局", None]
    df = pd.DataFrame({"agency": names * (100_000 // len(names) + 1)}).iloc[:100_000]
    t0 = time.perf_counter()
    out = classify_frame(df)
    assert time.perf_counter() - t0 < 10
    assert out["province"].notna().sum() > 70_000


# ---------------------------------------------------------------------- data files
def _data(name: str) -> str:
    return resources.files("govreport").joinpath("data").joinpath(name).read_text(encoding="utf-8")


def test_sectors_csv_is_well_formed() -> None:
    df = sectors()
    assert list(df.columns) == ["sector", "label_zh", "label_en", "keywords"]
    assert df["sector"].is_unique
    for required in ("housing_construction", "public_security", "education", "health", "natural_resources",
                     "finance", "science_technology", "transport", "civil_affairs", "human_resources",
                     "ecology_environment", "agriculture", "market_regulation", "emergency", "culture_tourism",
                     "water", "commerce", "general_government"):
        assert required in set(df["sector"])
    assert (df["keywords"].str.len() > 0).all()
    assert df["keywords"].str.split("|").map(lambda ks: all(k.strip() for k in ks)).all()


def test_divisions_csv_is_consistent() -> None:
    df = divisions()
    assert list(df.columns) == ["code", "name", "level", "parent", "short"]
    assert set(df["level"]) == {"province", "prefecture", "county"}
    coded = df[df["code"] != ""]
    assert coded["code"].is_unique and coded["code"].str.fullmatch(r"\d{6}").all()
    assert (df["level"] == "province").sum() == 31
    assert set(df.loc[df["parent"] != "", "parent"]) <= set(coded["code"])
    assert len(df) > 3000


def test_aliases_point_at_known_divisions() -> None:
    codes = set(divisions()["code"])
    rows = list(csv.DictReader(io.StringIO(_data("division_aliases.csv"))))
    assert rows and all(r["code"] in codes for r in rows)

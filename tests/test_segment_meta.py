"""Agency, year and their evidence, read from the real reports in data/raw (issue 11).

Each quirk is a real report with one of its own lines replaced by the line an unseen
report printed (the issue quotes them)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

import govreport
from govreport import segment
from govreport.segment import meta as smeta

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"
DINGTAO = RAW / "002_8b3fd4c305a71f8f.txt"   # 定陶区房地产服务中心 / 2017年政府信息公开工作年度报告
WOJU = RAW / "001_88d0cb4415071165.txt"      # names itself only 我局
ANSHUN = RAW / "004_1de402db7ad7867c.txt"    # 现将市住房和城乡建设局2024年…报告如下
YIYANG = RAW / "003_36f0aac7f99c3c7f.txt"    # 请与弋阳县住房建设保障中心办公室联系
JINSHI = RAW / "000_943bbbccc038582b.txt"    # 2023年以来,津市市住房保障服务中心在…


def read(text: str, name: str = "case.txt") -> govreport.Report:
    return govreport.read_report(text=text, name=name, validate=False)


def checks(r: govreport.Report, check: str):
    return r.findings[r.findings["check"] == check]


# ---------------------------------------------------------------- agency
@pytest.mark.parametrize("line, agency", [
    ("现公布区政府国资局", "区政府国资局"),
    ("政务信息公开年报中村乡", "中村乡"),
    ("现向社会公布龙口镇", "龙口镇"),
    ("特向社会公布建平县卫生健康局", "建平县卫生健康局"),
    ("信息公开年报衡南县卫生健康局", "衡南县卫生健康局"),
])
def test_lead_phrase_is_stripped_from_title(line, agency):
    text = DINGTAO.read_text(encoding="utf-8")
    assert text.startswith("定陶区房地产服务中心\n")
    r = read(text.replace("定陶区房地产服务中心", line, 1))
    assert r.meta["agency"] == agency
    assert r.meta["agency_source"] == "title"
    assert r.meta["year"] == 2017


@pytest.mark.parametrize("path, agency, source", [
    (DINGTAO, "定陶区房地产服务中心", "title"),
    (ANSHUN, "安顺市住房和城乡建设局", "opening"),  # the bare 市… named in full elsewhere
    (YIYANG, "弋阳县住房建设保障中心", "contact"),  # not its 办公室
    (JINSHI, "津市市住房保障服务中心", "mention"),
    (RAW / "pingtan_2021.txt", "平潭综合实验区", "title"),
    (RAW / "shanghai_govoffice_2019.html", "上海市人民政府办公厅", "title"),
])
def test_agency_source(path, agency, source):
    r = govreport.read_report(path, validate=False)
    assert r.meta["agency"] == agency
    assert r.meta["agency_source"] == source


def test_title_beats_contact():
    # 弋阳: the contact sentence names the agency; a title line is stronger evidence
    text = YIYANG.read_text(encoding="utf-8")
    r = read("弋陽縣住房建設保障中心2023年政府信息公開工作年度報告\n" + text)
    assert r.meta["agency"] == "弋阳县住房建设保障中心" and r.meta["agency_source"] == "title"


def test_self_reference_only_gives_missing_agency_and_finding():
    r = govreport.read_report(WOJU, validate=False)
    assert r.meta["agency"] is None and r.meta["agency_source"] is None
    f = checks(r, "agency_unknown")
    assert len(f) == 1 and "我局" in f["message"].iloc[0]


def test_fragment_in_opening_is_not_a_name():
    # without its title line the report says only 现将我中心2017年… and 我单位: no name
    text = DINGTAO.read_text(encoding="utf-8").replace("定陶区房地产服务中心\n", "", 1)
    r = read(text)
    assert r.meta["agency"] is None
    assert checks(r, "agency_unknown")["message"].iloc[0] == "the report names itself only as 我单位"


@pytest.mark.parametrize("line", [
    "本报告由安顺市住房和城乡建设局根据《中华人民共和国政府信息公开条例》编制。",
    "现将安顺市住房和城乡建设局2021年度工作情况报告如下:",
])
def test_opening_sentence(line):
    r = read(line + "\n" + WOJU.read_text(encoding="utf-8"))
    assert r.meta["agency"] == "安顺市住房和城乡建设局" and r.meta["agency_source"] == "opening"


def test_signature_block():
    text = WOJU.read_text(encoding="utf-8").rstrip("\n") + "\n安顺市住房和城乡建设局\n2022年1月20日\n"
    r = read(text)
    assert r.meta["agency"] == "安顺市住房和城乡建设局" and r.meta["agency_source"] == "signature"


def test_page_header():
    lines = WOJU.read_text(encoding="utf-8").split("\n")
    lines.insert(40, "安顺市住房和城乡建设局")  # the header line of pages 1 and 2
    lines.insert(0, "安顺市住房和城乡建设局")
    r = read("\n".join(lines))
    assert r.meta["agency"] == "安顺市住房和城乡建设局" and r.meta["agency_source"] == "header"


def test_clean_agency_keeps_place_names_that_start_like_a_lead_word():
    assert smeta.clean_agency("现将本溪市财政局") == "本溪市财政局"
    # a single lead character goes only from a mention, and never where it begins a place name
    assert smeta.clean_agency("在安顺市住房和城乡建设局", mention=True) == "安顺市住房和城乡建设局"
    assert smeta.clean_agency("和平区教育局", mention=True) == "和平区教育局"
    assert smeta.clean_agency("本溪市财政局", mention=True) == "本溪市财政局"
    assert smeta.valid_agency("本溪市财政局")
    for fragment in ("本机关", "我乡", "本局", "全市", "该中心"):
        assert not smeta.valid_agency(fragment), fragment


def test_title_with_guanyu():
    text = DINGTAO.read_text(encoding="utf-8").replace("定陶区房地产服务中心\n", "定陶区房地产服务中心关于", 1)
    r = read(text)
    assert r.meta["agency"] == "定陶区房地产服务中心" and r.meta["agency_source"] == "title"


# ---------------------------------------------------------------- year
def test_year_sources():
    assert govreport.read_report(DINGTAO, validate=False).meta["year_source"] == "title"
    assert govreport.read_report(YIYANG, validate=False).meta["year_source"] == "period"
    assert govreport.read_report(JINSHI, validate=False).meta["year_source"] == "narrative"


def test_year_never_from_a_forward_mention():
    text = WOJU.read_text(encoding="utf-8")
    text = text.replace("2021年,我局", "本年度,我局", 1)
    # the line (a 2022 report: 余8件转2023年度办理), restated as reports do
    text = text.replace("(一)主动公开\n", "(一)主动公开\n" + "余8件转2022年度办理。" * 3, 1)
    r = read(text)
    assert r.meta["year"] == 2021
    assert r.meta["year_source"] == "narrative"
    assert len(checks(r, "year_inferred")) == 1


def test_year_never_from_a_plan_for_next_year():
    # the report's own plan sentence restated for the following year
    text = WOJU.read_text(encoding="utf-8")
    plan = "2022年,我局将继续加强政务公开工作。"
    text = text.replace("(一)主动公开\n", "(一)主动公开\n" + plan * 3, 1)
    assert read(text).meta["year"] == 2021


def test_year_with_spaces():
    text = re.sub(r"(20\d\d)年", r"\1 年", WOJU.read_text(encoding="utf-8"))
    assert "2021 年" in text
    assert read(text).meta["year"] == 2021


def test_year_from_table_header():
    # pingtan 2017 without its title and period sentence: the header 计量单位|2017年度|历年累计
    text = (RAW / "pingtan_2017.txt").read_text(encoding="utf-8")
    body = text.replace("平潭综合实验区2017年度政府信息公开工作年度报告", "")
    body = body.replace("统计期限自2017年1月1日起至2017年12月31日止。", "")
    assert "计量单位2017年度历年累计" in body.replace(" ", "")
    year, source, _ = segment.find_year(body)
    assert (year, source) == (2017, "table")


def test_year_conflict_between_title_and_period():
    text = YIYANG.read_text(encoding="utf-8")
    r = read("弋陽縣住房建設保障中心2022年政府信息公開工作年度報告\n" + text)
    assert r.meta["year"] == 2022 and r.meta["year_source"] == "title"
    f = checks(r, "year_conflict")
    assert len(f) == 1
    assert f["reported"].iloc[0] == 2022 and f["recomputed"].iloc[0] == 2023


def test_no_conflict_when_title_and_period_agree():
    text = YIYANG.read_text(encoding="utf-8")
    r = read("弋陽縣住房建設保障中心2023年政府信息公開工作年度報告\n" + text)
    assert r.meta["year"] == 2023 and checks(r, "year_conflict").empty


def test_extract_meta_keeps_its_keys():
    m = segment.extract_meta(govreport.read_report(DINGTAO, validate=False).text)
    assert m["agency"] == "定陶区房地产服务中心" and m["year"] == 2017
    assert m["title"] == "定陶区房地产服务中心2017年政府信息公开工作年度报告"


def test_title_in_book_quotes_but_not_a_cited_rule():
    text = DINGTAO.read_text(encoding="utf-8")
    quoted = text.replace("定陶区房地产服务中心\n2017年政府信息公开工作年度报告", "《定陶区房地产服务中心2017年政府信息公开工作年度报告》", 1)
    assert segment.find_title(quoted)[1:] == ("定陶区房地产服务中心", 2017)
    cited = "根据《国务院办公厅关于做好2018年政府信息公开工作年度报告有关事项的通知》要求\n" + text
    assert segment.find_title(cited)[1:] == ("定陶区房地产服务中心", 2017)


def test_year_from_a_header_cell_of_a_text_alone():
    # dingtao's table lines with a year in the header cell beside 单位, its title removed:
    # a caller with only the text reads the grid the reader reads, so the year is the table's
    text = DINGTAO.read_text(encoding="utf-8")
    body = text.replace("定陶区房地产服务中心\n2017年政府信息公开工作年度报告", "")
    body = body.replace("统 计 指 标 | 单位 | 统计数 |", "统 计 指 标 | 单位 | 2016年 |")
    assert "统 计 指 标 | 单位 | 2016年 |" in body
    assert segment.find_year(body)[:2] == (2016, "table")
    assert segment.extract_meta(body)["year"] == 2016
    assert segment.extract_meta(body)["year_source"] == "table"
    # the same answer as the reader gives the whole report, and as its text gives alone
    r = govreport.read_report(text=body, validate=False)
    assert (r.meta["year"], r.meta["year_source"]) == (2016, "table")
    assert segment.find_year(r.text)[:2] == (2016, "table")
    # no rows given is not the same as an empty table: rows=[] leaves only the text
    assert segment.find_year(body, rows=[])[:2] == (2017, "opening")

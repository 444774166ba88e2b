"""The reader on the real reports in data/raw: meta, printed values, quirks, errors."""
from __future__ import annotations

import csv
import math
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

import govreport
from govreport import normalize, reader as read, tables
from govreport.errors import ParseError
from manifest_fields import FIELDS

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"
SEED = {n: next(RAW.glob(f"{n:03d}_*.txt")) for n in range(5)}


@pytest.fixture(scope="module")
def reports():
    cache: dict[str, govreport.Report] = {}

    def get(name: str | Path) -> govreport.Report:
        path = Path(name) if isinstance(name, Path) else RAW / name
        if str(path) not in cache:
            cache[str(path)] = govreport.read_report(path)
        return cache[str(path)]

    return get


def app(r, row, applicant="total"):
    return r.value("applications", row=row, applicant=applicant)


def act(r, category, metric):
    return r.value("active_disclosure", category=category, metric=metric)


def rev(r, procedure, outcome):
    return r.value("review_litigation", procedure=procedure, outcome=outcome)


def checks(r, check):
    return r.findings[r.findings["check"] == check]


# ------------------------------------------------------------------ meta
@pytest.mark.parametrize("seed, agency, year, layout, script, published", [
    (0, "津市市住房保障服务中心", 2023, "2021", "simplified", None),
    (1, None, 2021, "2021", "simplified", None),
    (2, "定陶区房地产服务中心", 2017, "pre2019", "simplified", date(2018, 1, 19)),
    (3, "弋阳县住房建设保障中心", 2023, "2019", "traditional", None),
    (4, "安顺市住房和城乡建设局", 2024, "2021", "simplified", None),
])
def test_seed_meta(reports, seed, agency, year, layout, script, published):
    r = reports(SEED[seed])
    assert r.meta["agency"] == agency
    assert r.meta["year"] == year
    assert r.meta["layout"] == layout
    assert r.meta["script"] == script
    assert r.meta["published"] == published
    assert r.meta["source"] == str(SEED[seed])


def test_sections_in_simplified_script(reports):
    r = reports(SEED[3])
    assert list(r.sections["number"]) == [1, 2, 3, 4, 5, 6]
    assert list(r.sections["title"]) == ["总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况",
                                         "政府信息公开行政复议、行政诉讼情况", "存在的主要问题及改进情况",
                                         "其他需要报告的事项"]
    problems = r.sections.set_index("code").loc["problems", "text"]
    assert problems.startswith("1.存在的主要问题。一是主动公开的重视程度")
    assert "依據" not in r.text and "(jù)" not in r.text and "依据" in r.text
    assert "依據(jù)" in r.original_text  # the text as printed is kept


def test_pre2019_sections(reports):
    r = reports(SEED[2])
    assert len(r.sections) == 11
    assert r.sections["title"].iloc[10] == "政府信息公开工作存在的主要问题及改进情况"
    assert r.sections["code"].iloc[10] == "problems"


# ------------------------------------------------------------------ seed values
def test_seed004_values(reports):
    r = reports(SEED[4])
    assert app(r, "new_received") == 52
    assert app(r, "new_received", "natural_person") == 52
    assert app(r, "new_received", "commercial_enterprise") == 0
    assert app(r, "carried_over") == 0
    assert app(r, "granted") == 13
    assert app(r, "granted", "natural_person") == 13
    assert app(r, "partially_granted") == 4
    assert app(r, "unavailable.not_held") == 35
    assert app(r, "unavailable.not_held", "natural_person") == 35
    assert app(r, "withheld.law_prohibited") == 0  # printed 其他法律、行政法规禁止公开
    assert app(r, "processed_total") == 52
    assert app(r, "carried_forward") == 0
    assert act(r, "licensing", "decisions") == 9945
    assert act(r, "penalty", "decisions") == 5
    assert act(r, "coercion", "decisions") == 0
    assert act(r, "normative_document", "in_force") == 6
    assert act(r, "fees", "amount_10k_yuan") == 0
    assert r.applications.set_index(["row", "applicant"]).loc[("new_received", "total"), "label"] == \
        "一、本年度新收政府信息公开申请数量"


def test_seed004_short_review_row(reports):
    """Table 四 prints 12 of its 15 cells: the blocks that add up are kept, the rest is missing."""
    r = reports(SEED[4])
    assert rev(r, "review", "other") == 1
    assert rev(r, "review", "total") == 1
    assert rev(r, "review", "upheld") == 0
    assert rev(r, "litigation_direct", "total") == 0
    assert r.review_litigation.query("procedure == 'litigation_after_review'")["value"].isna().all()
    f = checks(r, "cell_count")
    assert len(f) == 1 and "12 of 15" in f["message"].iloc[0]
    assert "litigation_after_review left missing" in f["message"].iloc[0]


def test_seed000_values(reports):
    r = reports(SEED[0])
    assert act(r, "licensing", "decisions") == 5
    for code in ("regulation", "normative_document"):
        for metric in ("issued", "repealed", "in_force"):
            assert act(r, code, metric) == 0
    assert act(r, "fees", "amount_10k_yuan") == 0
    assert len(r.applications) == 25 * 7
    assert (r.applications["value"] == 0).all()
    assert len(r.review_litigation) == 15 and (r.review_litigation["value"] == 0).all()
    assert len(r.findings.query("severity == 'error'")) == 0


def test_seed001_one_cell_per_line_equals_seed000_form(reports):
    """The one-cell-per-line copy (001) reads like the a | b | line copy (000)."""
    a, b = reports(SEED[0]), reports(SEED[1])
    cols = ["row", "applicant", "value"]
    pd.testing.assert_frame_equal(a.applications[cols], b.applications[cols])
    assert (b.review_litigation["value"] == 0).all() and len(b.review_litigation) == 15
    assert act(b, "licensing", "decisions") == 0
    assert b.findings.query("severity != 'info'").empty


def test_seed003_traditional_2019_layout(reports):
    r = reports(SEED[3])
    assert app(r, "new_received", "natural_person") == 3
    assert app(r, "new_received") == 3
    assert app(r, "unavailable.not_held") == 3
    assert app(r, "processed_total") == 3
    assert app(r, "other") == 0  # 2019 layout: one (六)其他处理 row
    assert "other.other" not in set(r.applications["row"])
    assert act(r, "licensing", "prev_year_items") == 0
    assert act(r, "fees", "prev_year_items") == 0  # printed 0項
    assert act(r, "central_procurement", "procurement_items") == 0  # printed 0個
    assert pd.isna(act(r, "normative_document", "new_made"))  # blank cells, not 0
    assert rev(r, "review", "total") == 0  # printed 00
    assert pd.isna(rev(r, "litigation_direct", "total"))  # blank cell
    assert rev(r, "litigation_after_review", "total") == 0
    assert rev(r, "review", "upheld") == 0
    assert app(r, "granted") == 0
    assert app(r, "carried_over") == 0
    assert app(r, "carried_forward") == 0
    assert act(r, "penalty", "decisions") == 0
    assert act(r, "regulation", "total_published") == 0
    assert checks(r, "leading_zero")["row"].tolist() == ["review"]
    assert set(checks(r, "unit_in_cell")["row"]) == {"fees", "central_procurement"}


def test_seed002_statistics(reports):
    r = reports(SEED[2])
    s = r.statistics.set_index("indicator")
    assert s.loc["主动公开规范性文件数", "value"] == 1
    assert s.loc["主动公开规范性文件数", "parent"] == "主动公开政府信息数"
    assert s.loc["政府网站公开政府信息数", "value"] == 53
    assert s.loc["政府网站公开政府信息数", "unit"] == "条"
    assert s.loc["回应公众关注热点或重大舆情数", "value"] == 136
    assert s.loc["政策解读稿件发布数", "value"] == 1
    assert s.loc["政府信息公开工作专门机构数", "value"] == 1
    assert s.loc["从事政府信息公开工作人员数", "value"] == 2
    assert s.loc["兼职人员数", "value"] == 1
    assert s.loc["专职人员数(不包括政府公报及政府网站工作人员数)", "value"] == 1
    assert s.loc["设置政府信息公开查阅点数", "value"] == 1
    assert s.loc["查阅点接待人数", "value"] == 1
    assert s.loc["接受培训人员数", "unit"] == "人次" and pd.isna(s.loc["接受培训人员数", "value"])
    assert int(s["value"].notna().sum()) == 10  # every printed number, nothing invented
    assert s.loc["兼职人员数", "parent"] == "从事政府信息公开工作人员数"
    assert pd.isna(s.loc["收到申请数", "value"])  # blank cell, not 0
    assert s.loc["当面申请数", "parent"] == "收到申请数"
    assert s.loc["收到申请数", "code"] == "applications:new_received:total"
    # crosswalked into the later codes, marked as mapped
    assert r.applications["mapped"].all()
    assert set(r.applications["row"]) >= {"new_received", "granted", "partially_granted", "processed_total"}
    assert r.review_litigation.set_index(["procedure", "outcome"]).loc[("review", "total"), "mapped"]


# ------------------------------------------------------------------ the shared corpus, as read by hand
MANIFEST = list(csv.DictReader((RAW / "manifest.csv").open(encoding="utf-8")))
# the hand-read value comes from arithmetic, the printed cell is blank: missing + finding
BLANK_AS_PRINTED = {("shanghai_stcsm_2024.txt", "carried_forward_total")}


@pytest.mark.parametrize("row", MANIFEST, ids=[m["file"] for m in MANIFEST])
def test_corpus_manifest(reports, row):
    r = reports(row["file"])
    assert r.meta["year"] == int(row["year"])
    assert r.meta["layout"] == row["template"]
    assert r.meta["script"] == row["script"]
    for name, (table, keys) in FIELDS.items():
        if not row[name]:
            continue
        value = r.value(table, **keys)
        if (row["file"], name) in BLANK_AS_PRINTED:
            assert pd.isna(value)
            assert not checks(r, "blank_cell").query(f"row == '{keys['row']}'").empty
        else:
            assert value == float(row[name]), name


def test_corpus_litigation_totals(reports):
    for row in MANIFEST:
        if not row["litigation_total"] or row["template"] == "pre2019":
            continue
        r = reports(row["file"])
        got = rev(r, "litigation_direct", "total") + (rev(r, "litigation_after_review", "total")
                                                        if pd.notna(rev(r, "litigation_after_review", "total")) else 0)
        assert got == float(row["litigation_total"]), row["file"]


def test_pre2019_glued_statistics(reports):
    r = reports("pingtan_2017.txt")
    assert r.review_litigation.set_index("procedure").loc["litigation", "value"] == 0
    s = r.statistics.set_index(["indicator", "column"])
    assert s.loc[("受理政府信息依申请公开总数", "year"), "value"] == 0
    assert s.loc[("受理政府信息依申请公开总数", "cumulative"), "value"] == 0
    # 212210037 = 2122 | 10037 by hand; by the table's own arithmetic four splits fit
    assert pd.isna(s.loc[("主动公开文件数", "year"), "value"])
    assert "212210037" in checks(r, "ambiguous_digits")["message"].iloc[0]


# ------------------------------------------------------------------ quirks
def test_glued_digits_split_by_row_sum(reports):
    assert tables.splits(["640020470"], 7, tables.row_sum_ok) == [["64", "0", "0", "2", "0", "4", "70"]]
    assert tables.splits(["230", "000023"], 7, tables.row_sum_ok) == [["23", "0", "0", "0", "0", "0", "23"]]
    r = reports("pingtan_2021.txt")
    assert [app(r, "new_received", c) for c in ("natural_person", "commercial_enterprise", "research_institution",
                                                 "social_welfare_org", "legal_service_org", "other_org", "total")] \
        == [64, 0, 0, 2, 0, 4, 70]
    assert app(r, "partially_granted") == 5  # printed 500000 5
    # table 四 10203120001200000: the only split whose blocks add up
    assert [rev(r, "review", o) for o in ("upheld", "corrected", "other", "pending", "total")] == [1, 0, 2, 0, 3]
    assert rev(r, "litigation_direct", "total") == 12
    assert act(r, "fees", "amount_10k_yuan") == pytest.approx(24252.311082)
    assert act(r, "licensing", "decisions") == 2293


def test_ambiguous_glued_digits_stay_missing(reports):
    r = reports("pingtan_2021.txt")
    assert pd.isna(act(r, "normative_document", "in_force"))  # 693665: no arithmetic decides
    f = checks(r, "ambiguous_digits")
    assert f["row"].tolist() == ["normative_document"] and "693665" in f["message"].iloc[0]
    r = reports("pingtan_2019.txt")
    assert pd.isna(act(r, "central_procurement", "procurement_amount"))  # 13575394432.52元
    assert "central_procurement" in set(checks(r, "ambiguous_digits")["row"])
    assert len(tables.splits(["693665"], 3)) > 1


def test_item_numbers_glued_to_values(reports):
    """``70000072.没有现成信息`` is 7|0|0|0|0|0|7 and the label ``2.没有现成信息``."""
    r = reports("pingtan_2019.txt")
    assert app(r, "unavailable.not_held") == 7
    assert app(r, "unavailable.needs_creation") == 0
    assert app(r, "unavailable.unclear") == 5
    assert app(r, "not_processed.duplicate") == 3


def test_pdf_labels_detached_from_values(reports):
    r = reports("shanghai_stcsm_2024.txt")
    assert app(r, "partially_granted") == 0
    assert app(r, "withheld.internal_affairs") == 1
    assert app(r, "unavailable.not_held") == 4
    assert app(r, "unavailable.needs_creation") == 6
    assert app(r, "other.overdue_correction") == 10
    assert app(r, "other.overdue_correction", "commercial_enterprise") == 2
    assert app(r, "other.other") == 4
    assert act(r, "licensing", "decisions") == 97  # a loose "行政许可 97" line
    assert act(r, "normative_document", "in_force") == 55  # labelled 规范性文件 in a 2021 layout
    assert not checks(r, "stray_values").empty  # the orphan "1" line is reported, not used


def test_html_blank_cells_are_missing_not_zero(reports):
    r = reports("shanghai_govoffice_2019.html")
    assert r.meta["format"] == "html"
    assert app(r, "granted", "natural_person") == 258
    assert pd.isna(app(r, "granted"))  # &nbsp; printed, not 0
    assert pd.isna(app(r, "new_received", "research_institution"))
    assert app(r, "withheld.admin_query", "commercial_enterprise") == 2
    assert rev(r, "review", "upheld") == 5 and pd.isna(rev(r, "review", "corrected"))
    assert act(r, "normative_document", "total_published") == 368  # colspan differs header vs data
    assert act(r, "central_procurement", "procurement_items") == 6
    # 251000元 in a 万元 column: flagged, not rescaled
    assert pd.isna(act(r, "central_procurement", "procurement_amount"))
    assert checks(r, "unit_conflict")["row"].tolist() == ["central_procurement"]


def test_html_grid_resolves_rowspan_and_colspan():
    html = (RAW / "shanghai_govoffice_2019.html").read_text(encoding="utf-8")
    doc = read.load(text=html)
    grids = [b for b in doc.blocks if isinstance(b, read.Grid)]
    assert len(grids) == 3
    g = grids[1]  # table 三
    width = len(g.cells[0])
    assert width == 10 and all(len(row) == width for row in g.cells)
    # 三、本年度办理结果 spans 20 rows: copied into the grid, marked as not its origin
    col0 = [row[0] for row in g.cells[5:25]]
    assert set(col0) == {"三、本年度办理结果"}
    assert g.origin[5][0] and not g.origin[6][0]
    assert g.logical_rows()[3][:2] == ["一、本年新收政府信息公开申请数量", "821"]
    assert "本年新制作数量" in grids[0].cells[1]  # <br/> inside a cell joined


def test_gbk_encoded_html_reads_the_same(reports, tmp_path):
    text = (RAW / "shanghai_govoffice_2019.html").read_text(encoding="utf-8")
    declared = ('<html><head><meta charset="gb2312"></head><body>' + text + "</body></html>").encode("gbk")
    undeclared = text.encode("gb18030")
    utf8 = reports("shanghai_govoffice_2019.html")
    for data in (declared, undeclared):
        path = tmp_path / "page.html"
        path.write_bytes(data)
        r = govreport.read_report(path)
        assert r.meta["encoding"] in ("gb18030", "gbk", "gb2312")
        assert r.meta["agency"] == "上海市人民政府办公厅"
        pd.testing.assert_frame_equal(r.applications, utf8.applications)
        pd.testing.assert_frame_equal(r.review_litigation, utf8.review_litigation)


def test_html_page_chrome_is_removed():
    body = (RAW / "shanghai_govoffice_2019.html").read_text(encoding="utf-8")
    page = ("<html><body><div class='nav'>首页 | 政务公开 | 政府信息公开年报</div>"
            "<div class='breadcrumb'>当前位置：首页 &gt; 政府信息公开</div>"
            f"<div id='content'>{body}</div>"
            "<div class='share'>分享到：微信 微博</div><p>扫一扫在手机打开当前页面</p>"
            "<div class='fujian'>附件下载</div><script>var x = 1;</script></body></html>")
    r = govreport.read_report(text=page)
    assert "扫一扫" not in r.text and "当前位置" not in r.text and "var x" not in r.text
    assert "附件下载" not in r.text and "分享到" not in r.text
    assert app(r, "new_received") == 859


def test_path_bytes_and_text_agree(reports):
    r = reports(SEED[4])
    data = SEED[4].read_bytes()
    for other in (govreport.read_report(data), govreport.read_report(text=data.decode("utf-8"))):
        pd.testing.assert_frame_equal(other.applications, r.applications)
        assert other.meta["source"] is None and other.meta["agency"] == r.meta["agency"]


def test_pinyin_and_fullwidth_normalisation():
    line = "本年報依據(jù)《中華人民共和國政府信息公開條例》,本年度報告中所列數(shù)據(jù)"
    assert normalize.strip_pinyin(line) == "本年報依據《中華人民共和國政府信息公開條例》,本年度報告中所列數據"
    assert normalize.to_simplified(normalize.strip_pinyin("門戶網(wǎng)站")) == "门户网站"
    assert normalize.strip_pinyin("(PPP)项目 网站(www.pingtan.gov.cn)") == "(PPP)项目 网站(www.pingtan.gov.cn)"
    assert normalize.halfwidth("（七）总计２３　０") == "(七)总计23 0"
    assert normalize.detect_script(line) == "traditional"
    assert normalize.detect_script("本年报依据《中华人民共和国政府信息公开条例》") == "simplified"


def test_fullwidth_digits_in_cells(reports):
    text = SEED[4].read_text(encoding="utf-8").replace("9945 |", "９９４５ |")
    r = govreport.read_report(text=text)
    assert act(r, "licensing", "decisions") == 9945


def test_placeholder_cells_are_missing_not_zero():
    text = SEED[0].read_text(encoding="utf-8")
    text = text.replace("行政许可 | 5 |", "行政许可 | / |").replace("行政处罚 | 0 |", "行政处罚 | — |")
    r = govreport.read_report(text=text)
    assert pd.isna(act(r, "licensing", "decisions")) and pd.isna(act(r, "penalty", "decisions"))
    f = checks(r, "placeholder")
    assert set(f["row"]) == {"licensing", "penalty"}
    assert r.active_disclosure.set_index("category").loc["licensing", "raw"] == "/"


def test_label_variants_map_to_canonical_codes():
    text = SEED[0].read_text(encoding="utf-8").replace("二、上年结转政府信息公开申请数量", "二、上年转结政府信息公开申请数量")
    r = govreport.read_report(text=text)
    assert app(r, "carried_over") == 0
    assert r.applications.set_index(["row", "applicant"]).loc[("carried_over", "total"), "label"] == \
        "二、上年转结政府信息公开申请数量"


@pytest.mark.parametrize("data, reason", [
    (b"", "empty"),
    (b"   \n  ", "empty"),
    (bytes(range(256)) * 20, "binary"),
    ("今天天气很好，我们去公园散步。".encode("utf-8"), "no report structure"),
])
def test_unreadable_inputs_raise_parse_error(data, reason):
    with pytest.raises(ParseError, match=reason):
        govreport.read_report(data)


def test_parse_error_names_the_file(tmp_path):
    with pytest.raises(ParseError, match="no such file") as ex:
        govreport.read_report(tmp_path / "missing.txt")
    assert ex.value.file == str(tmp_path / "missing.txt")
    (tmp_path / "dir.txt").mkdir()
    with pytest.raises(ParseError, match="directory"):
        govreport.read_report(tmp_path / "dir.txt")


def test_layout_detected_from_labels_not_year(reports):
    r = reports(SEED[3])  # a 2023 report in the 2019 layout
    assert r.meta["year"] == 2023 and r.meta["layout"] == "2019"


def test_report_conveniences(reports):
    r = reports(SEED[4])
    assert set(r.tables()) == set(govreport.TABLE_NAMES)
    html = r._repr_html_()
    assert "安顺市住房和城乡建设局" in html and "applications" in html and "findings" in html
    assert r.applications["value"].dtype == "Float64"
    assert not math.isnan(float(app(r, "granted")))
    with pytest.raises(KeyError):
        r.value("applications", row="granted")


def test_data_dictionary_lists_every_code():
    dd = govreport.data_dictionary()
    rows = set(dd.query("table == 'applications' and kind == 'row'")["code"])
    assert {"new_received", "other.other", "other", "processed_total", "carried_forward"} <= rows
    assert set(dd.query("kind == 'applicant'")["code"]) == {
        "natural_person", "commercial_enterprise", "research_institution", "social_welfare_org",
        "legal_service_org", "other_org", "total"}


def test_utf8_cut_inside_a_character_still_decodes():
    data = (RAW / "shanghai_govoffice_2019.html").read_bytes()
    cut = next(n for n in range(8000, 8010) if (data[n] & 0xC0) == 0x80)  # inside a multi-byte char
    text, enc = read.decode(data[:cut])
    assert enc == "utf-8" and text == data[:cut].decode("utf-8", errors="ignore")


def test_table_copied_one_cell_per_line_without_separators(reports):
    """A browser copy of a table: every cell on its own line, no ``|`` at all."""
    text = SEED[1].read_text(encoding="utf-8").replace("|", "")
    r = govreport.read_report(text=text)
    assert r.meta["mode"] == "lines"
    pd.testing.assert_frame_equal(r.applications, reports(SEED[1]).applications)
    pd.testing.assert_frame_equal(r.review_litigation, reports(SEED[1]).review_litigation)
    assert act(r, "licensing", "decisions") == 0
    assert r.findings.query("severity != 'info'").empty

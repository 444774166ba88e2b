"""Typed blocks end to end: every format arrives as paragraphs and grids (plain text's ``|``
tables too), sections are found on paragraphs and span blocks, and no section's prose
holds a table row."""
from __future__ import annotations

import copy
from pathlib import Path

import govreport
from govreport import reader, segment, text
from govreport.reader import Grid

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"
PIPES = RAW / "000_943bbbccc038582b.txt"  # web copy: 信息内容 | 本年制发件数 | … |
ONE_CELL_LINES = RAW / "001_88d0cb4415071165.txt"  # one cell a line, values on lines of their own
MARKDOWN = RAW / "shanghai_stcsm_2024.txt"
HTML = RAW / "shanghai_govoffice_2019.html"
PLAIN = RAW / "004_1de402db7ad7867c.txt"  # 2021 layout, tables printed between bars
PRE2019 = RAW / "002_8b3fd4c305a71f8f.txt"  # eleven sections, then a table with rows 一、… 九、…


def _grids(doc):
    return [b for b in doc.blocks if isinstance(b, Grid)]


def test_a_plain_text_pipe_table_arrives_as_a_grid():
    doc = reader.load(PIPES)
    assert doc.mode == "pipes"
    grids = _grids(doc)
    assert len(grids) == 3
    rows = [[c.strip() for c in row] for row in grids[0].logical_rows()]
    assert rows[1][:4] == ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]
    assert rows[2][:4] == ["规章", "0", "0", "0"]
    # the lines it was printed as are kept, so the report shows as printed
    assert grids[0].lines[1] == "信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |"
    assert not any("|" in b for b in doc.blocks if not isinstance(b, Grid))


def test_a_markdown_table_arrives_as_a_grid_without_its_rule():
    doc = reader.load(MARKDOWN)
    assert doc.mode == "markdown"
    first = _grids(doc)[0]
    assert [c.strip() for c in first.logical_rows()[0]] == ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]
    assert [c.strip() for c in first.logical_rows()[1]] == ["规章", "0", "0", "0"]
    assert first.lines[1].replace(" ", "").startswith("|---")  # printed with its rule, read without


def test_a_one_cell_per_line_copy_keeps_its_value_lines_in_the_grid():
    doc = reader.load(ONE_CELL_LINES)
    paragraphs = {b.strip() for b in doc.blocks if not isinstance(b, Grid)}
    assert "申请人情况" not in paragraphs and "0" not in paragraphs
    assert {"二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况"} <= paragraphs


def test_sections_span_blocks_and_their_prose_holds_no_table_row():
    r = govreport.read_report(ONE_CELL_LINES, validate=False)
    text = r.sections.set_index("number")["text"]
    assert not text.str.contains("|", regex=False).any()
    assert "申请人情况" not in text[3] and "第二十条" not in text[2]
    assert "申请人情况" in r.text  # the text for a human reader shows the table in place
    doc = reader.load(ONE_CELL_LINES)
    secs = segment.find_sections(doc.blocks)
    first, end = secs[1].blocks  # 二、主动公开政府信息情况: its heading, then its table
    assert doc.blocks[first].startswith("二、主动公开政府信息情况")
    assert any(isinstance(b, Grid) for b in doc.blocks[first:end])
    assert secs[2].blocks[0] == end


def test_a_grid_sections_prose_holds_no_table_row():
    r = govreport.read_report(HTML, validate=False)
    assert list(r.sections["number"]) == [1, 2, 3, 4, 5, 6]
    assert not r.sections["text"].str.contains("|", regex=False).any()
    assert r.sections.set_index("number")["text"][2] == ""  # 二 is a table only
    assert "本年新制作数量" in r.text and "本年新制作数量" not in r.prose


def test_a_table_cell_that_reads_like_a_heading_is_no_section():
    doc = reader.load(HTML)
    before = [(s.number, s.title) for s in segment.find_sections(doc.blocks)]
    blocks = copy.deepcopy(doc.blocks)
    table = next(b for b in blocks if isinstance(b, Grid))  # the table of section 二
    table.cells[0] = ["三、收到和处理政府信息公开申请情况"] * len(table.cells[0])
    table.cells[1][0] = "一、总体情况"
    after = segment.find_sections(blocks)
    assert [(s.number, s.title) for s in after] == before
    assert after[1].blocks == (26, 28)


def test_pre2019_table_rows_numbered_like_headings_stay_in_the_table():
    doc = reader.load(PRE2019)
    paragraphs = [b for b in doc.blocks if not isinstance(b, Grid)]
    assert not any(p.startswith(("七、向图书馆", "八、机构建设")) for p in paragraphs)
    r = govreport.read_report(PRE2019, validate=False)
    assert len(r.sections) == 11
    assert "向图书馆" not in r.sections["text"].iloc[10]


def test_year_from_a_header_cell():
    # pingtan's pre-2019 header, as a grid row: 指标名称 | 计量单位 | 2017年度 | 历年累计
    row = ["指标名称", "计量单位", "2017年度", "历年累计"]
    assert segment.find_year("", rows=[row])[:2] == (2017, "table")
    assert segment.find_year("", rows=[["统 计 指 标", "单位", "2017年"]])[:2] == (2017, "table")
    # 单位 followed by a year in prose is no header: the year comes from the narrative
    assert segment.find_year("我单位2017年收到申请", rows=[])[:2] == (2017, "narrative")


def test_sections_of_a_text_read_its_pipe_tables_as_grids():
    """A string is split as the reader splits a text copy: a cell printed between bars that
    reads like the next heading (四、…情况) is a table cell, not section 四."""
    r = govreport.read_report(PLAIN, validate=False)
    assert "四、结转下年度继续办理 |" in r.text.splitlines()  # table 三's last row, as printed
    text = r.text.replace("四、结转下年度继续办理 |", "四、政府信息公开行政复议情况 |")
    secs = segment.find_sections(text)
    assert [(s.number, s.title) for s in secs] == list(zip(r.sections["number"], r.sections["title"]))
    assert secs[3].title == "政府信息公开、行政复议、行政诉讼情况"
    as_paragraphs = segment.find_sections(text.split("\n"))  # the same lines, bars ignored
    assert as_paragraphs[3].title == "政府信息公开行政复议情况"


def test_a_text_given_to_the_text_stage_is_read_without_its_tables():
    """stated_volumes(r.text) reads what stated_volumes(r) reads: the prose, not the 0项| and
    0个| cells of the tables printed between bars (report 003)."""
    r = govreport.read_report(RAW / "003_36f0aac7f99c3c7f.txt", validate=False)
    assert "0项|" in r.text.replace(" ", "")
    from_text, from_report = text.stated_volumes(r.text), text.stated_volumes(r)
    assert from_text["quantity"].tolist() == from_report["quantity"].tolist()
    assert len(from_text) == 7
    prose = text.sections_of(r.text)["text"][0]  # at the offsets of r.text: a volume's offset points into it
    assert len(prose) == len(r.text) and "|" not in prose and prose.split() == r.prose.split()

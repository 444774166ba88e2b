"""Hostile and broken input at the reader: only ParseError escapes, work is bounded, damage
leaves a finding. (Issue 12, reader part.)"""
from __future__ import annotations

import importlib
import os
import random
import time
from pathlib import Path

import opencc
import pandas as pd
import pytest

import govreport
from govreport import reader
from govreport.errors import CODES, ParseError
from govreport.reader import formats, html, paragraphs, pdfgrid

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"
HTML = (RAW / "shanghai_govoffice_2019.html").read_text(encoding="utf-8")
dec = importlib.import_module("govreport.reader.decode")  # the module, not reader.decode() the function


@pytest.fixture(scope="module")
def utf8():
    return govreport.read_report(RAW / "shanghai_govoffice_2019.html")


def same_tables(r, ref) -> None:
    for table in ("applications", "review_litigation"):
        pd.testing.assert_frame_equal(r.table(table), ref.table(table))


# ---------------------------------------------------------------- size limits
def test_file_above_the_limit_is_refused_without_reading_it(tmp_path, monkeypatch):
    big = tmp_path / "huge.txt"
    with open(big, "wb") as f:  # a sparse 1 GB file: only stat can afford it
        f.truncate(1 << 30)
    reads = []
    real_open = open
    monkeypatch.setattr("builtins.open", lambda *a, **k: reads.append(a) or real_open(*a, **k))
    with pytest.raises(ParseError, match="larger than max_bytes=20971520") as ex:
        govreport.read_report(big)
    assert ex.value.code == "too_large" and not [a for a in reads if str(a[0]) == str(big)]


def test_max_bytes_is_a_parameter(tmp_path):
    path = tmp_path / "r.txt"
    path.write_bytes((RAW / "pingtan_2021.txt").read_bytes())
    with pytest.raises(ParseError) as ex:
        govreport.read_report(path, max_bytes=1000)
    assert ex.value.code == "too_large"
    with pytest.raises(ParseError) as ex:
        govreport.read_report(path.read_bytes(), max_bytes=1000)
    assert ex.value.code == "too_large"
    assert govreport.read_report(path, max_bytes=path.stat().st_size).meta["year"] == 2021


def test_fifo_is_refused_not_waited_on(tmp_path):
    fifo = tmp_path / "report.txt"
    os.mkfifo(fifo)
    with pytest.raises(ParseError, match="not a regular file") as ex:
        govreport.read_report(fifo)
    assert ex.value.code == "unreadable"


# ---------------------------------------------------------------- encodings
@pytest.mark.parametrize("charset", ["undefined", "binary", "x-no-such-charset"])
def test_meta_charset_that_is_no_text_encoding_is_ignored(utf8, charset):
    data = (f'<html><head><meta charset="{charset}"></head><body>' + HTML + "</body></html>").encode("gbk")
    r = govreport.read_report(data)
    assert r.meta["encoding"] == "gb18030"
    same_tables(r, utf8)


@pytest.mark.parametrize("enc", ["gbk", "gb18030"])
def test_gbk_html_without_declaration(utf8, enc):
    r = govreport.read_report(HTML.encode(enc))
    assert r.meta["encoding"] == "gb18030" and r.meta["agency"] == "上海市人民政府办公厅"
    same_tables(r, utf8)


@pytest.mark.parametrize("enc", ["big5", "big5hkscs"])
def test_big5_traditional_report(utf8, enc):
    trad = opencc.OpenCC("s2t").convert(HTML)
    data = trad.encode(enc, errors="ignore")  # the few characters Big5 lacks are dropped
    r = govreport.read_report(data)
    assert r.meta["encoding"] == enc and r.meta["script"] == "traditional"
    cols = ["row", "applicant", "value", "raw"]  # labels are printed in traditional script
    pd.testing.assert_frame_equal(r.applications[cols], utf8.applications[cols])


def test_big5hkscs_only_characters_detected():
    text = "香港特區政府資訊公開報告：" + "㗎嘅咗啲" * 20 + "本年收到申請五件。" * 20
    d = dec.decode_text(text.encode("big5hkscs"))
    assert (d.text, d.encoding) == (text, "big5hkscs")


def test_a_stray_byte_in_utf8_is_replaced_with_a_finding(utf8):
    data = HTML.encode("utf-8")
    cut = data.index("一、总体情况".encode())
    damaged = data[:cut] + b"\xff" + data[cut:]
    r = govreport.read_report(damaged)
    assert r.meta["encoding"] == "utf-8"
    same_tables(r, utf8)
    f = r.findings.query("check == 'encoding_replaced'")
    assert len(f) == 1 and "1 invalid byte(s)" in f["message"].iloc[0]
    with pytest.raises(ParseError, match="encoding_errors='strict'") as ex:
        govreport.read_report(damaged, encoding_errors="strict")
    assert ex.value.code == "encoding"


@pytest.mark.parametrize("enc, code", [("no-such-codec", "encoding"), ("rot13", "encoding"), ("undefined", "encoding"),
                                       ("hex", "encoding"), ("ascii", "no_structure"), ("latin-1", "no_structure"),
                                       ("utf-16", "no_structure"), ("utf-32", "no_structure")])
def test_wrong_or_unknown_encoding_argument_is_a_parse_error(enc, code):
    with pytest.raises(ParseError) as ex:
        govreport.read_report(HTML.encode("utf-8"), encoding=enc, encoding_errors="replace")
    assert ex.value.code == code


def test_strict_wrong_encoding_argument():
    with pytest.raises(ParseError, match="not valid ascii") as ex:
        govreport.read_report(HTML.encode("utf-8"), encoding="ascii", encoding_errors="strict")
    assert ex.value.code == "encoding"
    with pytest.raises(ParseError) as ex:
        govreport.read_report(HTML.encode("utf-8"), encoding_errors="ignore")
    assert ex.value.code == "bad_argument"


# ---------------------------------------------------------------- HTML structure
def test_absurd_spans_are_clamped():
    page = "<table>" + "<tr><td rowspan=99999 colspan=99999>1</td></tr>" * 1000 + "</table>"
    doc = reader.load(text=page)
    grid = doc.blocks[0]
    assert len(grid.cells) == 1000 and max(len(r) for r in grid.cells) == 1
    assert [c for c, _ in doc.notes] == ["table_spans_ignored"]


def test_rowspan_clamped_to_the_rows_the_table_has():
    page = "<table><tr><td rowspan=500>a</td><td>1</td></tr><tr><td>2</td></tr></table>"
    grid = reader.load(text=page).blocks[0]
    assert grid.cells == [["a", "1"], ["a", "2"]] and grid.origin == [[True, True], [False, True]]


def test_tables_nested_250_deep_leave_a_finding(utf8):
    nest = "<table><tr><td>" * 250 + "深" + "</td></tr></table>" * 250
    r = govreport.read_report(text="<html><body>" + HTML + nest + "</body></html>")
    same_tables(r, utf8)
    f = r.findings.query("check == 'table_nested_deep'")
    assert len(f) == 1 and "249 deep" in f["message"].iloc[0]


def test_markup_nested_beyond_the_parser_leaves_a_finding():
    doc = reader.load(text="<html><body>" + "<div>" * 20000 + "深" * 100 + "</div>" * 20000 + "</body></html>")
    assert [c for c, _ in doc.notes] == ["html_text_lost"]


# ---------------------------------------------------------------- bounded regexes, linear reading
WORST = ["<", "-", "1", "a", " ", "(", "（", "第", "/", "—", "\u3000", "页", "nav-"]
PATTERNS = [dec._META_CHARSET, html._HTML_HINT_STR, html._XML_DECL, html._CHROME_ATTR, html._NOT_CJK, pdfgrid._NUMBER,
            *(p for ps in paragraphs._rules().values() for p in ps)]


@pytest.mark.parametrize("ch", WORST)
def test_no_reader_regex_backtracks_on_a_long_line(ch):
    line = ch * (1 << 20)
    start = time.perf_counter()
    for p in PATTERNS:
        (p.search(line.encode()) if isinstance(p.pattern, bytes) else p.search(line))
        if not isinstance(p.pattern, bytes):
            p.fullmatch(line)
    assert time.perf_counter() - start < 10  # a backtracking pattern takes minutes here


def test_line_helpers_look_at_a_bounded_head():
    long = "1." + "政" * (1 << 20)
    assert paragraphs.starts_block(long) and not paragraphs.is_page_mark(long)
    assert not paragraphs.ends_sentence(long)


# ---------------------------------------------------------------- any bytes: only ParseError
def _mutations(data: bytes, rnd: random.Random, n: int):
    for _ in range(n):
        b = bytearray(data)
        how = rnd.randrange(4)
        if how == 0:
            b = b[: rnd.randrange(len(b))]
        elif how == 1:
            for _ in range(rnd.randrange(1, 20)):
                b[rnd.randrange(len(b))] = rnd.randrange(256)
        elif how == 2:
            i = rnd.randrange(len(b))
            b = b[:i] + bytes(rnd.randrange(256) for _ in range(rnd.randrange(1, 200))) + b[i:]
        else:
            i, j = sorted(rnd.randrange(len(b)) for _ in range(2))
            b = b[:i] + b[j:]
        yield bytes(b)


@pytest.mark.parametrize("name, n", [("shanghai_govoffice_2019.html", 40), ("pingtan_2021.txt", 40),
                                     ("shanghai_govoffice_2019_docx.docx", 25), ("hongze_district_gov_2024.pdf", 12)])
def test_mutated_reports_raise_only_parse_error(name, n):
    rnd = random.Random(f"{name}-12")
    data = (RAW / name).read_bytes()
    codes = []
    for case in _mutations(data, rnd, n):  # any exception other than ParseError fails the test
        try:
            govreport.read_report(case, name=name, ocr="never")
        except ParseError as ex:
            codes.append(ex.code)
    assert set(codes) <= set(CODES)


@pytest.mark.parametrize("data", [b"\x00" * 10, b"%PDF-1.7\n" + b"\x00" * 50, b"PK\x03\x04" + b"\xff" * 100,
                                  b"%PDF-", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\xff\xfe\x00",
                                  b"<html><meta charset=utf-7>" + b"+AGEAYgBj-"])
def test_tiny_hostile_inputs(data):
    with pytest.raises(ParseError) as ex:
        govreport.read_report(data)
    assert ex.value.code in CODES


def test_sniffing_never_reads_a_whole_zip_bomb_member():
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"<" + b" " * (210 << 20))  # 210 MB inflated, ~200 KB stored
    assert formats.sniff(buf.getvalue()).name == "docx"
    with pytest.raises(ParseError, match="inflates to") as ex:
        govreport.read_report(buf.getvalue())
    assert ex.value.code == "too_large"


def test_every_reader_note_is_documented():
    import csv
    import re

    documented = {r["code"] for r in csv.DictReader(
        (Path(govreport.__file__).parent / "data" / "reader" / "notes.csv").open(encoding="utf-8"))}
    source = "".join(p.read_text(encoding="utf-8") for p in (Path(govreport.__file__).parent / "reader").glob("*.py"))
    raised = set(re.findall(r'[\[(]\("([a-z_]+)",', source))  # notes.append(("code", …)) and [("code", …)]
    assert raised == documented


def _pdf_with(content: bytes) -> bytes:
    """A one-page PDF (Helvetica) around a content stream; pdfium rebuilds the missing xref."""
    objs = [b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
            b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<</Font<</F1 5 0 R>>>>/Contents 4 0 R>>",
            b"<</Length %d>>stream\n" % len(content) + content + b"\nendstream",
            b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>"]
    body = b"".join(b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n" for i, o in enumerate(objs))
    return b"%PDF-1.4\n" + body + b"trailer\n<</Root 1 0 R>>\n%%EOF\n"


def test_page_drawing_absurdly_many_lines_is_not_searched():
    lines = b"".join(b"0.5 w 50 %d m 545 %d l S\n" % (100 + i % 600, 100 + i % 600) for i in range(6000))
    text = b"BT /F1 12 Tf 72 760 Td (Annual report 2024) Tj ET\n"
    start = time.perf_counter()
    doc = reader.load(_pdf_with(text + lines))
    assert time.perf_counter() - start < 30  # pdfplumber on 6000 lines would take minutes
    assert [c for c, _ in doc.notes] == ["pdf_too_many_rules"] and doc.blocks == ["Annual report 2024"]


def test_a_page_the_table_finder_fails_on_costs_only_its_tables(monkeypatch):
    from govreport.reader import pdf

    real = pdf._tables

    def damaged(page, number):
        if number == 2:
            raise ValueError("damaged content stream")
        return real(page, number)

    monkeypatch.setattr(pdf, "_tables", damaged)
    r = govreport.read_report(RAW / "hongze_district_gov_2024.pdf")
    f = r.findings.query("check == 'pdf_tables_unreadable'")
    assert len(f) == 1 and f["message"].iloc[0].startswith("page 2: the table finder failed (ValueError)")
    assert r.value("applications", row="new_received", applicant="total") == 95  # table 三 is on pages 3-4


def test_docx_absurd_grid_spans_are_ignored_with_a_finding():
    import io

    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    d = docx.Document()
    t = d.add_table(rows=300, cols=1)
    for row in t.rows:
        tc = row.cells[0]._tc
        tc.get_or_add_tcPr().append(parse_xml(f'<w:gridSpan {nsdecls("w")} w:val="99999"/>'))
        row.cells[0].text = "1"
    buf = io.BytesIO()
    d.save(buf)
    doc = reader.load(buf.getvalue())
    grid = next(b for b in doc.blocks if not isinstance(b, str))
    assert len(grid.cells) == 300 and {len(r) for r in grid.cells} == {1}
    assert [c for c, _ in doc.notes] == ["table_spans_ignored"]


def test_html_table_wider_than_any_report_is_refused():
    page = "<table><tr>" + "<td>1</td>" * 3000 + "</tr>" + "<tr><td>2</td></tr>" * 1000 + "</table>"
    with pytest.raises(ParseError, match="1001 rows and 3000 columns") as ex:
        reader.load(text=page, name="wide.html")
    assert ex.value.code == "too_large" and ex.value.file == "wide.html"


def test_the_reader_alone_says_a_file_is_empty_and_the_corpus_lists_it(tmp_path):
    from govreport.corpus import EmptyFileError, read_corpus

    (tmp_path / "zero.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_bytes(" \n\t\n".encode("utf-8"))
    (tmp_path / "pingtan_2022.txt").write_bytes((RAW / "pingtan_2022.txt").read_bytes())
    for name in ("zero.txt", "blank.txt"):
        with pytest.raises(EmptyFileError) as ex:
            govreport.read_report(tmp_path / name)
        assert isinstance(ex.value, ParseError) and ex.value.code == "empty"
        assert ex.value.file == str(tmp_path / name) and ex.value.reason == "empty file"
    c = read_corpus(tmp_path, jobs=1, progress=False, cache=False)
    assert len(c) == 1 and c.reports.set_index("report_id").loc["pingtan_2022", "status"] != "failed"
    errors = c.errors.sort_values("file")
    assert [Path(f).name for f in errors["file"]] == ["blank.txt", "zero.txt"]
    assert errors["error_type"].tolist() == ["EmptyFileError", "EmptyFileError"]
    assert errors["error_code"].tolist() == ["empty", "empty"]
    assert errors["message"].tolist() == [f"{tmp_path / 'blank.txt'}: empty file", f"{tmp_path / 'zero.txt'}: empty file"]

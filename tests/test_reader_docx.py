"""DOCX reports: the Shanghai 2019 report saved as DOCX by LibreOffice (vMerge/gridSpan cells)."""
from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest

import govreport
from govreport import reader
from govreport.errors import ParseError
from govreport.reader import Grid

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"
DOCX = RAW / "shanghai_govoffice_2019_docx.docx"
ROW = next(m for m in csv.DictReader((RAW / "manifest.csv").open(encoding="utf-8")) if m["file"] == DOCX.name)


@pytest.fixture(scope="module")
def report():
    return govreport.read_report(DOCX)


@pytest.fixture(scope="module")
def doc():
    return reader.load(DOCX)


def test_manifest_values(report):
    assert report.meta["year"] == int(ROW["year"]) and report.meta["layout"] == ROW["template"]
    assert report.meta["agency"] == ROW["agency"] and report.meta["format"] == "docx"
    app = report.applications.set_index(["row", "applicant"])["value"]
    assert app[("new_received", "total")] == float(ROW["new_requests_total"]) == 859
    assert app[("carried_over", "total")] == float(ROW["carried_over_total"]) == 18
    assert app[("processed_total", "total")] == float(ROW["processed_total"]) == 805
    assert app[("carried_forward", "total")] == float(ROW["carried_forward_total"]) == 72
    assert report.value("review_litigation", procedure="review", outcome="total") == float(ROW["review_total"]) == 7
    # the manifest leaves these blank: the 总计 cell is printed empty, so the value is missing
    assert ROW["granted_total"] == "" and pd.isna(app[("granted", "total")])
    assert app[("granted", "natural_person")] == 258


def test_docx_reads_the_same_tables_as_the_html_page(report):
    html = govreport.read_report(RAW / "shanghai_govoffice_2019.html")
    for table in ("applications", "review_litigation", "active_disclosure"):
        pd.testing.assert_frame_equal(report.table(table), html.table(table))


def test_paragraphs_and_tables_in_document_order(doc):
    kinds = [("grid" if isinstance(b, Grid) else b) for b in doc.blocks]
    i3 = kinds.index("三、收到和处理政府信息公开申请情况")
    i4 = kinds.index("四、政府信息公开行政复议、行政诉讼情况")
    assert kinds[i3 + 1] == "grid" and kinds[i4 + 1] == "grid" and i3 < i4
    assert sum(k == "grid" for k in kinds) == 3


def test_merged_cells_expanded_like_html_spans(doc):
    g = next(b for b in doc.blocks if isinstance(b, Grid) and "申请人情况" in b.cells[0])
    # gridSpan: 法人或其他组织 covers five columns, origin on the first only
    row = g.cells[1]
    assert row.count("法人或其他组织") == 5 and g.origin[1][row.index("法人或其他组织") :].count(True) == 2
    # vMerge: 自然人 and 总计 continue into the sub-header row as copies
    assert g.cells[2][3] == "自然人" and not g.origin[2][3] and g.origin[1][3]
    assert g.cells[2][4:9] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    # the vertical 三、本年度办理结果 label: one origin, copies below
    rows = [r for r, cells in enumerate(g.cells) if cells[0] == "三、本年度办理结果"]
    assert len(rows) == 20 and [g.origin[r][0] for r in rows].count(True) == 1
    # empty cells stay empty
    assert g.cells[3][3:] == ["821", "35", "", "", "2", "1", "859"]


def test_docx_sniffed_from_bytes_with_any_name():
    r = govreport.read_report(DOCX.read_bytes(), name="report.bin")
    assert r.meta["format"] == "docx" and r.value("applications", row="new_received", applicant="total") == 859


def test_truncated_docx_is_a_parse_error():
    data = DOCX.read_bytes()
    with pytest.raises(ParseError, match="cannot open the DOCX") as ex:
        govreport.read_report(data[: len(data) // 2] + b"\0" * 100, name="cut.docx")
    assert ex.value.code == "bad_docx"


def test_docx_without_a_report_is_no_structure(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("今天天气很好。")
    buf = io.BytesIO()
    d.save(buf)
    assert "word/document.xml" in zipfile.ZipFile(io.BytesIO(buf.getvalue())).namelist()
    with pytest.raises(ParseError) as ex:
        govreport.read_report(buf.getvalue())
    assert ex.value.code == "no_structure"


def test_content_controls_are_read_in_order():
    """Paragraphs wrapped in a content control (w:sdt) are part of the body, not skipped."""
    import copy

    import docx
    from docx.oxml.ns import qn

    d = docx.Document(DOCX)
    body = d.element.body
    heading = next(p for p in body.iterchildren(qn("w:p"))
                   if "".join(t.text or "" for t in p.iter(qn("w:t"))) == "一、总体情况")
    sdt, content = body.makeelement(qn("w:sdt"), {}), body.makeelement(qn("w:sdtContent"), {})
    heading.addprevious(sdt)
    sdt.append(content)
    content.append(copy.deepcopy(heading))
    body.remove(heading)
    buf = io.BytesIO()
    d.save(buf)
    doc = reader.load(buf.getvalue())
    paras = [b for b in doc.blocks if isinstance(b, str)]
    assert paras.count("一、总体情况") == 1
    assert paras.index("一、总体情况") < paras.index("（一）主动公开方面")


def _auto_numbered_copy() -> bytes:
    """The Shanghai DOCX rebuilt with Word's automatic numbering: the printed ``一、`` and
    ``（一）`` of the section headings removed from their text and produced by a list
    definition (w:numPr → w:num → w:abstractNum), as Word users number headings."""
    import copy
    import re

    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    src = docx.Document(DOCX)
    out = docx.Document()  # python-docx's template carries a numbering part
    body = out.element.body
    for el in list(body):
        if el.tag != qn("w:sectPr"):
            body.remove(el)
    sect = body.find(qn("w:sectPr"))
    for el in src.element.body:
        if el.tag in (qn("w:p"), qn("w:tbl")):
            sect.addprevious(copy.deepcopy(el))
    numbering = out.part.numbering_part.element
    numbering.insert(0, parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>'
        '</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    heading = re.compile(r"^([一二三四五六]、|（[一二三四五]）)")
    changed = 0
    for p in body.iterchildren(qn("w:p")):
        ts = list(p.iter(qn("w:t")))
        m = heading.match(ts[0].text or "") if ts else None
        if not m:
            continue
        ts[0].text = ts[0].text[m.end():]
        ppr = p.find(qn("w:pPr"))
        if ppr is None:
            ppr = p.makeelement(qn("w:pPr"), {})
            p.insert(0, ppr)
        level = 0 if m.group(1).endswith("、") else 1
        ppr.append(parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'))
        changed += 1
    assert changed >= 10
    buf = io.BytesIO()
    out.save(buf)
    return buf.getvalue()


def test_automatic_numbering_is_printed_like_word(report):
    data = _auto_numbered_copy()
    plain = [b for b in reader.load(data).blocks if isinstance(b, str)]
    assert "总体情况" not in plain and "一、总体情况" in plain and "（一）主动公开方面" in plain
    assert "六、其他需要报告的事项" in plain and "（五）监督保障方面" in plain
    r = govreport.read_report(data)
    assert list(r.sections["title"]) == list(report.sections["title"])
    pd.testing.assert_frame_equal(r.applications, report.applications)


def test_list_numbers_in_word_formats():
    from govreport.numbering import chinese
    from govreport.reader.docx_lists import render

    assert [chinese(n) for n in (1, 10, 11, 20, 21, 105, 110)] == ["一", "十", "十一", "二十", "二十一", "一百零五",
                                                                   "一百一十"]
    assert render(3, "decimal") == "3" and render(3, "decimalEnclosedCircle") == "③"
    assert render(28, "upperLetter") == "BB" and render(14, "lowerRoman") == "xiv"
    assert render(2, "ideographDigital") == "二" and render(5, "bullet") == ""

"""PDF reports with a text layer: the WPS export of Hongze 2024 and the LibreOffice export of
Shanghai 2019 (tables split over pages), checked against the hand-read manifest values."""
from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

import govreport
from govreport import reader
from govreport.errors import ParseError
from govreport.reader import Grid
from manifest_fields import FIELDS

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"
MANIFEST = {m["file"]: m for m in csv.DictReader((RAW / "manifest.csv").open(encoding="utf-8"))}
PDFS = ["hongze_district_gov_2024.pdf", "shanghai_govoffice_2019_pdf.pdf"]


@pytest.fixture(scope="module")
def reports():
    return {name: govreport.read_report(RAW / name) for name in PDFS}


@pytest.fixture(scope="module")
def docs():
    return {name: reader.load(RAW / name) for name in PDFS}


def grid_with(doc, label: str) -> Grid:
    return next(b for b in doc.blocks if isinstance(b, Grid) and any(label in c for row in b.cells for c in row))


def row_of(grid: Grid, label: str) -> int:
    """The first row that holds ``label`` as an origin cell."""
    return next(r for r, row in enumerate(grid.cells) if any(t == label and o for t, o in zip(row, grid.origin[r])))


@pytest.mark.parametrize("name", PDFS)
def test_manifest_values(reports, name):
    r, row = reports[name], MANIFEST[name]
    assert r.meta["year"] == int(row["year"]) and r.meta["layout"] == row["template"]
    assert r.meta["agency"] == row["agency"]
    checked = 0
    for field, (table, keys) in FIELDS.items():
        if row[field]:
            assert r.value(table, **keys) == float(row[field]), field
            checked += 1
    assert checked == (8 if name.startswith("hongze") else 5)


def test_hongze_values_beyond_the_manifest_totals(reports):
    r = reports["hongze_district_gov_2024.pdf"]
    assert r.value("applications", row="new_received", applicant="natural_person") == 95
    assert r.value("applications", row="withheld.process_info", applicant="total") == 1
    assert r.value("review_litigation", procedure="litigation_after_review", outcome="total") == 3
    act = r.active_disclosure.set_index(["category", "metric"])["value"]
    assert act[("licensing", "decisions")] == 9487 and act[("fees", "amount_10k_yuan")] == 7545
    assert act[("normative_document", "in_force")] == 8


@pytest.mark.parametrize("name, pages", [("hongze_district_gov_2024.pdf", 5), ("shanghai_govoffice_2019_pdf.pdf", 7)])
def test_meta_says_format_pages_and_ocr(reports, name, pages):
    m = reports[name].meta
    assert (m["format"], m["pages"], m["ocr"]) == ("pdf", pages, False)


def test_pdf_reads_the_same_tables_as_the_html_page(reports):
    html = govreport.read_report(RAW / "shanghai_govoffice_2019.html")
    pdf = reports["shanghai_govoffice_2019_pdf.pdf"]
    for table in ("applications", "review_litigation", "active_disclosure"):
        # the same cells, codes, values and printed texts; only the PDF knows pages and boxes
        pd.testing.assert_frame_equal(pdf.table(table).drop(columns=["page", "box"]),
                                      html.table(table).drop(columns=["page", "box"]))
        assert pdf.table(table)["page"].notna().all() and html.table(table)["page"].isna().all()


def test_table_over_three_pages_is_one_grid_with_pages_and_boxes(docs):
    g = grid_with(docs["shanghai_govoffice_2019_pdf.pdf"], "一、本年新收政府信息公开申请数量")
    assert {p for row in g.page for p in row if p} == {4, 5, 6}
    new = row_of(g, "一、本年新收政府信息公开申请数量")
    assert g.cells[new][-1] == "859" and g.page[new][-1] == 5
    total = row_of(g, "（七）总计")
    assert g.cells[total][-1] == "805" and g.page[total][-1] == 6
    x0, top, x1, bottom = g.box[total][-1]
    assert 500 < x0 < x1 <= 595.3 and 0 < top < bottom < 841.9
    # empty cells stay empty (科研机构 received nothing), never 0
    assert g.cells[new][g.cells[new].index("35") + 1] == ""


def test_header_cut_by_the_page_break_is_joined(docs):
    """LibreOffice cut the header row: 自然|总 on page 4, 人|计 on page 5."""
    g = grid_with(docs["shanghai_govoffice_2019_pdf.pdf"], "申请人情况")
    rows = g.logical_rows()
    assert ["自然人", "法人或其他组织", "总计"] in rows
    assert ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"] in rows


def test_wrapped_and_vertical_labels_are_joined(docs):
    g = grid_with(docs["hongze_district_gov_2024.pdf"], "申请人情况")
    labels = {c for row in g.logical_rows() for c in row}
    assert {"商业企业", "社会公益组织", "法律服务机构", "三、本年度办理结果"} <= labels
    # the vertical label spans its rows, across the page break (origin once, copies after)
    rows = [r for r, row in enumerate(g.cells) if row[0] == "三、本年度办理结果"]
    assert sum(g.origin[r][0] for r in rows) == 1 and len(rows) == 20  # (一) … (七)
    assert {g.page[r][3] for r in rows} == {3, 4}


def test_table_over_a_page_break_with_a_footer_between(docs):
    """Hongze table 三 runs from page 3 to page 4 with the footer ``- 3 -`` between them."""
    g = grid_with(docs["hongze_district_gov_2024.pdf"], "一、本年新收政府信息公开申请数量")
    first = row_of(g, "一、本年新收政府信息公开申请数量")
    last = row_of(g, "四、结转下年度继续办理")
    assert (g.page[first][-1], g.cells[first][-1]) == (3, "95")
    assert (g.page[last][-1], g.cells[last][-1]) == (4, "0")
    after_break = next(r for r, row in enumerate(g.cells) if "1.本机关不掌握相关政府信息" in row) + 1
    assert g.cells[after_break][:3] == ["三、本年度办理结果", "（四）无法提供", "2.没有现成信息需要另行制作"]
    assert g.origin[after_break][:3] == [False, False, True] and g.page[after_break][3] == 4


def test_page_numbers_removed_and_lines_joined(docs):
    paras = [b for b in docs["hongze_district_gov_2024.pdf"].blocks if not isinstance(b, Grid)]
    assert not [p for p in paras if p.strip() in ("- 1 -", "- 3 -", "- 5 -")]
    intro = next(p for p in paras if p.startswith("本报告由"))
    assert "《中华人民共和国政府信息公开条例》" in intro and intro.page == 1
    # a prose line with several numbers in it is prose, not a table row
    assert "统计期限自 2024 年 1 月 1 日起至 2024 年 12 月 31 日止" in intro
    sh = [b for b in docs["shanghai_govoffice_2019_pdf.pdf"].blocks if not isinstance(b, Grid)]
    assert any("主动公开规章 13 件，行政规范性文件 60 件，市政府其他文件 162 件" in p for p in sh)
    # a sentence broken over the page break (page 4 → 5) is one paragraph
    assert any("答复书模板，使各行政机关答复的方式" in p for p in paras)
    # headings stay lines of their own
    assert "一、总体情况" in paras and "二、主动公开政府信息情况" in paras


def test_show_outlines_the_cells_of_a_page(reports):
    im = reports["hongze_district_gov_2024.pdf"].show(3, resolution=50)
    png = im._repr_png_()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert im.original.size != (0, 0)
    with pytest.raises(ValueError, match="page 9"):
        reports["hongze_district_gov_2024.pdf"].show(9)
    with pytest.raises(ValueError, match="PDF"):
        govreport.read_report(RAW / "pingtan_2021.txt").show(1)


def test_show_draws_only_cells_of_that_page(reports):
    from govreport.reader.show import page_cells

    r = reports["hongze_district_gov_2024.pdf"]
    on3, on1 = page_cells(r._grids, 3), page_cells(r._grids, 1)
    assert on1 == [] and len(on3) > 100
    assert all(0 <= b[0] < b[2] <= 595 and 0 <= b[1] < b[3] <= 842 for b, _ in on3)


def test_scan_without_ocr_is_a_clear_error():
    with pytest.raises(ParseError, match="ocr='auto'") as ex:
        govreport.read_report(RAW / "hongze_district_gov_2024_scanned.pdf", ocr="never")
    assert ex.value.code == "no_text"


def test_bad_ocr_option():
    with pytest.raises(ParseError, match="ocr must be") as ex:
        govreport.read_report(RAW / "hongze_district_gov_2024.pdf", ocr="sometimes")
    assert ex.value.code == "bad_argument"


def test_pdf_sniffed_from_bytes_not_the_suffix():
    data = (RAW / "hongze_district_gov_2024.pdf").read_bytes()
    r = govreport.read_report(data, name="download.htm")
    assert r.meta["format"] == "pdf" and r.value("applications", row="new_received", applicant="total") == 95


@pytest.mark.parametrize("cut", [100, 5000, 120000, -3000])
def test_truncated_pdf_is_a_parse_error(cut):
    data = (RAW / "hongze_district_gov_2024.pdf").read_bytes()[:cut]
    with pytest.raises(ParseError, match="cannot open the PDF") as ex:
        govreport.read_report(data)
    assert ex.value.code == "bad_pdf"


def mixed_pdf(tmp_path) -> Path:
    """Hongze with its last page swapped for the same page of the image-only scan."""
    import pypdfium2 as pdfium

    text, scan = pdfium.PdfDocument(RAW / "hongze_district_gov_2024.pdf"), \
        pdfium.PdfDocument(RAW / "hongze_district_gov_2024_scanned.pdf")
    out = pdfium.PdfDocument.new()
    out.import_pages(text, pages=[0, 1, 2, 3])
    out.import_pages(scan, pages=[4])
    path = tmp_path / "mixed.pdf"
    out.save(path)
    return path


def test_page_without_text_is_a_finding_when_ocr_is_off(tmp_path):
    r = govreport.read_report(mixed_pdf(tmp_path), ocr="never")
    f = r.findings.query("check == 'pdf_page_without_text'")
    assert len(f) == 1 and "pages 5 have no text layer" in f["message"].iloc[0]
    assert r.meta["pages"] == 5 and r.meta["ocr"] is False
    assert r.value("applications", row="new_received", applicant="total") == 95


def test_ocr_is_called_only_for_pages_without_text(tmp_path, monkeypatch):
    import importlib
    import sys
    import types

    import govreport.reader as rd
    from govreport.reader import Paragraph

    calls = []

    real = importlib.import_module("govreport.reader.ocr")

    def page_read(image, page, scale, settings=None):
        calls.append((page, scale, image.size))
        return [Paragraph("六、其他需要报告的事项", page)], [("ocr_reread", f"page {page}: a fake note")]

    fake = types.ModuleType("govreport.reader.ocr")
    fake.page_read = page_read
    fake.OcrSettings = real.OcrSettings
    monkeypatch.setitem(sys.modules, "govreport.reader.ocr", fake)
    monkeypatch.setattr(rd, "ocr", fake, raising=False)
    r = govreport.read_report(mixed_pdf(tmp_path), progress=False)
    scale = real.OcrSettings().scale  # the scale the recogniser was tuned at (150 dpi)
    assert [c[0] for c in calls] == [5] and calls[0][1] == scale
    w, h = calls[0][2]  # an A4 page rendered at that many pixels per point
    assert abs(w - 595 * scale) < 3 and abs(h - 842 * scale) < 3
    assert r.meta["ocr"] is True
    assert r.findings.query("check == 'ocr_reread'")["message"].tolist() == ["page 5: a fake note"]
    assert r.sections["title"].iloc[-1] == "其他需要报告的事项"


def test_show_labels_values_with_their_codes_once_records_carry_boxes(docs, reports):
    """When the table records carry ``page`` and ``box`` (from Grid.where), show() labels each
    value with its codes instead of the grid position."""
    from govreport.reader.show import record_cells

    g = grid_with(docs["hongze_district_gov_2024.pdf"], "一、本年新收政府信息公开申请数量")
    r = row_of(g, "一、本年新收政府信息公开申请数量")
    page, box, _ = g.where(r, len(g.cells[r]) - 1)
    apps = reports["hongze_district_gov_2024.pdf"].applications.head(2).copy()
    apps["page"] = [page, 9]
    apps["box"] = [box, box]
    marks = record_cells({"applications": apps}, 3)
    assert marks == [(box, "new_received/natural_person")] and page == 3


def _hongze_lines(page: int):
    import pypdfium2 as pdfium

    from govreport.reader import pdf

    doc = pdfium.PdfDocument(RAW / "hongze_district_gov_2024.pdf")
    try:
        return pdf._page_lines(doc[page - 1], page)
    finally:
        doc.close()


def test_rows_of_an_unruled_table_are_not_joined():
    """Read as prose (as if the table had no ruling lines), each row of table 三 stays a line."""
    from govreport.reader import paragraphs

    lines = sorted(_hongze_lines(3), key=lambda ln: ln.top)
    rows = [ln for ln in lines if ln.text.startswith(("一、本年新收", "二、上年结转", "（一）予以公开"))]
    assert len(rows) == 3
    paras = paragraphs.join(rows + lines[-1:], right=max(ln.x1 for ln in lines))
    assert paras[:3] == ["一、本年新收政府信息公开申请数量 95 0 0 0 0 0 95",
                         "二、上年结转政府信息公开申请数量 0 0 0 0 0 0 0", "（一）予以公开 50 0 0 0 0 0 50"]


def test_running_header_repeated_on_every_page_is_removed():
    from govreport.reader import paragraphs

    pages = []
    for n in (1, 2, 5):
        lines = sorted(_hongze_lines(n), key=lambda ln: ln.top)
        head = paragraphs.Line("淮安市洪泽区人民政府办公室", n, 250, 40, 350, 50)
        pages.append([head, *paragraphs.strip_page_marks(lines)])
    out = paragraphs.strip_running_lines(pages)
    assert [p[0].text for p in out] == ["淮安市洪泽区人民政府", "（三）政府信息管理情况。加强区政府门户网站及政务新媒",
                                        "各行政机关答复的方式、格式、不予公开依据等更加规范，有效"]
    assert [len(a) - len(b) for a, b in zip(pages, out)] == [1, 1, 1]


def test_header_rows_repeated_on_the_next_page_are_dropped():
    """Word's "repeat header row": the header of Hongze table 三 printed again on top of page 4."""
    import copy

    import pdfplumber

    from govreport.reader import pdf, pdfgrid

    with pdfplumber.open(RAW / "hongze_district_gov_2024.pdf") as doc:
        p3 = pdf._tables(doc.pages[2], 3)[-1]
        p4 = pdf._tables(doc.pages[3], 4)[0]
    data_top = next(c.box[1] for c in p3 if c.text == "一、本年新收政府信息公开申请数量")
    header = [c for c in p3 if c.box[3] <= data_top + 0.5]
    height = data_top - min(c.box[1] for c in header)
    top4 = min(c.box[1] for c in p4)
    repeated = [pdfgrid.Cell(c.text, 4, (c.box[0], c.box[1] - min(h.box[1] for h in header) + top4, c.box[2],
                                         c.box[3] - min(h.box[1] for h in header) + top4)) for c in header]
    shifted = [pdfgrid.Cell(c.text, 4, (c.box[0], c.box[1] + height, c.box[2], c.box[3] + height)) for c in p4]
    plain = pdfgrid.build([copy.deepcopy(p3), copy.deepcopy(p4)])
    with_header = pdfgrid.build([copy.deepcopy(p3), repeated + shifted])
    assert len(header) == 10 and with_header.cells == plain.cells and with_header.origin == plain.origin
    assert sum(row[0].startswith("（本列数据") for row in with_header.logical_rows()) == 1


@pytest.mark.parametrize("name", PDFS)
def test_every_grid_cell_carries_page_and_box(docs, name):
    grids = [b for b in docs[name].blocks if isinstance(b, Grid)]
    assert len(grids) == 3
    for g in grids:
        assert all(p is not None for row in g.page for p in row)
        assert all(b is not None and b[0] < b[2] and b[1] < b[3] for row in g.box for b in row)


def test_landscape_pages_shown_rotated_read_like_upright_ones(tmp_path):
    """Pages 3-4 of Hongze turned into landscape pages (/Rotate 90 with the content drawn
    turned, so it shows upright, as exporters write landscape tables)."""
    import pypdfium2 as pdfium

    src = pdfium.PdfDocument(RAW / "hongze_district_gov_2024.pdf")
    s = 595 / 842
    turn = pdfium.PdfMatrix(0, s, -s, 0, 842 * s, 0)
    for i in (2, 3):
        page = src[i]
        for obj in list(page.get_objects(max_depth=1)):
            obj.transform(turn)
        page.gen_content()
        page.set_rotation(90)
    path = tmp_path / "landscape.pdf"
    src.save(path)
    doc = reader.load(path)
    g = grid_with(doc, "一、本年新收政府信息公开申请数量")
    assert {p for row in g.page for p in row} == {3, 4} and len(g.cells) == 26
    prose = [b for b in doc.blocks if not isinstance(b, Grid)]
    assert "三、收到和处理政府信息公开申请情况" in prose and "五、存在的主要问题及改进情况" in prose
    assert any(p.startswith("2024 年，全区政府信息公开工作虽取得一定成绩，但对照上级要求") for p in prose)
    r = govreport.read_report(path)
    row = MANIFEST["hongze_district_gov_2024.pdf"]
    for field, (table, keys) in FIELDS.items():
        assert r.value(table, **keys) == float(row[field]), field

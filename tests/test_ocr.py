"""OCR of the scanned hongze report (data/raw): values, provenance, doubts, arithmetic, cache.

The scan is an image-only copy of hongze_district_gov_2024.pdf (150 dpi grayscale, rotated up to
0.8°, noise, JPEG q70); the values asserted were read by hand from the page images.
"""
from __future__ import annotations

import copy
import re
import sys
from pathlib import Path

import pandas as pd
import pypdfium2 as pdfium
import pytest

import govreport
from govreport import corpus as C
from govreport import layouts
from govreport import reader
from govreport.errors import ParseError
from govreport.reader import ocr
from govreport.corpus import work
from govreport.reader.document import Grid, digit_like
from govreport.report import build_report

THRESHOLD = layouts.reading_settings().ocr_min_confidence

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"
SCAN = RAW / "hongze_district_gov_2024_scanned.pdf"
TWIN = RAW / "hongze_district_gov_2024.pdf"
PAGE_W, PAGE_H = 595.2, 842.4


@pytest.fixture(scope="module")
def doc() -> reader.Document:
    return reader.load(SCAN)  # OCR, five pages: the slow step, done once


@pytest.fixture(scope="module")
def report(doc) -> govreport.Report:
    return build_report(doc)


def grids(doc) -> list[Grid]:
    return [b for b in doc.blocks if isinstance(b, Grid)]


def app(r, row, applicant="total"):
    return r.value("applications", row=row, applicant=applicant)


def test_meta(doc, report):
    assert (doc.format, doc.pages, doc.ocr) == ("pdf", 5, True)
    m = report.meta
    assert (m["year"], m["layout"], m["format"], m["ocr"], m["pages"]) == (2024, "2021", "pdf", True, 5)
    assert m["agency"] == "淮安市洪泽区人民政府"


def test_table_three_totals(report):
    want = {"new_received": 95, "carried_over": 0, "granted": 50, "partially_granted": 9,
            "unavailable.not_held": 31, "processed_total": 95, "carried_forward": 0,
            "withheld.process_info": 1, "withheld.enforcement_file": 1, "unavailable.needs_creation": 1,
            "not_processed.complaint": 1}
    assert {row: app(report, row) for row in want} == want
    assert app(report, "new_received", "natural_person") == 95
    assert app(report, "processed_total", "natural_person") == 95
    # a 1 the page pass once read as the letter I
    assert app(report, "withheld.security_stability", "natural_person") == 1


def test_table_two_and_four(report):
    d = report.active_disclosure.set_index(["category", "metric"])["value"]
    assert d[("regulation", "issued")] == 0
    assert (d[("normative_document", "issued")], d[("normative_document", "repealed")],
            d[("normative_document", "in_force")]) == (3, 0, 8)
    assert (d[("licensing", "decisions")], d[("penalty", "decisions")], d[("coercion", "decisions")],
            d[("fees", "amount_10k_yuan")]) == (9487, 2776, 84, 7545)
    rl = report.review_litigation.set_index(["procedure", "outcome"])["value"]
    assert [rl[("review", o)] for o in ("upheld", "corrected", "other", "pending", "total")] == [1, 1, 0, 0, 2]
    assert [rl[("litigation_direct", o)] for o in ("upheld", "corrected", "other", "pending", "total")] == \
        [1, 0, 0, 0, 1]
    assert [rl[("litigation_after_review", o)] for o in ("upheld", "corrected", "other", "pending", "total")] == \
        [2, 0, 1, 0, 3]
    assert rl[("litigation_direct", "total")] + rl[("litigation_after_review", "total")] == 4


def test_every_missing_cell_is_named_by_a_finding(report):
    f = report.findings
    a = report.applications
    missing = a[a["value"].isna()]
    assert len(missing) > 0  # the scan's doubtful zeros and the unread one
    for row, col in zip(missing["row"], missing["applicant"]):
        named = f[(f["table"] == "applications") & (f["row"] == row) & (f["column"].isna() | (f["column"] == col))]
        assert len(named), f"applications {row}/{col} is missing without a finding"



def test_cells_read_again_are_noted_and_still_doubted(doc, report):
    """Value cells the page pass missed or doubted are read again from their ink; the second
    reading counts only with enough confidence, and a note says where it happened."""
    again = [m for check, m in doc.notes if check == "ocr_reread"]
    assert again
    cells = {(g.page[r][c], str(g.box[r][c])): (text, g.confidence[r][c]) for g in grids(doc)
             for r, row in enumerate(g.cells) for c, text in enumerate(row) if g.origin[r][c]}
    for m in again:
        page, box, reading = re.fullmatch(r"page (\d+), box (\(.*?\)): '.*' read again from the ink as '(\d+)' "
                                          r"\(confidence [\d.]+\)", m).groups()
        text, conf = cells[(int(page), box)]
        assert text == reading  # kept however doubtful: the table assembler decides
    f = report.findings[report.findings["check"] == "ocr_reread"]
    assert len(f) == len(again) and set(f["severity"]) == {"info"}


def test_every_ocr_value_has_page_box_and_confidence(doc):
    values = 0
    for g in grids(doc):
        for r, row in enumerate(g.cells):
            for c, text in enumerate(row):
                page, box, conf = g.where(r, c)
                assert 1 <= page <= 5
                x0, top, x1, bottom = box
                assert 0 <= x0 < x1 <= PAGE_W and 0 <= top < bottom <= PAGE_H
                if text:
                    assert 0 < conf <= 1
                if re.fullmatch(r"\d+", text):
                    values += 1
    assert values > 150  # tables 二, 三 and 四


def _doubted(doc) -> dict[tuple[int, str], tuple[str, float]]:
    """(page, records' box) → (text, confidence) of every value cell (digits, or what a digit is
    misread as) OCR read below the one threshold of common/settings.csv."""
    return {(g.page[r][c], ",".join(f"{x:g}" for x in g.box[r][c])): (g.cells[r][c], g.confidence[r][c])
            for g in grids(doc) for row in g.logical_cells() for r, c in row
            if g.confidence[r][c] is not None and g.confidence[r][c] < THRESHOLD and digit_like(g.cells[r][c])}


def test_low_confidence_values_are_missing_with_a_finding_on_their_cell(doc, report):
    """The reader keeps what it read; the table assembler leaves a value read below the threshold
    missing, with a finding that names its table, row and column and quotes the reading."""
    doubted = _doubted(doc)
    assert len(doubted) == 17  # the reader blanks nothing: the text stays in the grid
    assert not any(check == "ocr_low_confidence" for check, _ in doc.notes)
    f = report.findings[report.findings["check"] == "ocr_low_confidence"]
    # the 17th is in the unlabelled values row under （六）其他处理, left missing as detached_label
    assert len(f) == 16 and set(f["table"]) == {"applications"} and f["reported"].isna().all()
    a = report.applications.set_index(["row", "applicant"])
    for row, column, message in zip(f["row"], f["column"], f["message"]):
        cell = a.loc[(row, column)]
        text, conf = doubted[(cell["page"], cell["box"])]
        assert pd.isna(cell["value"]) and cell["raw"] == text
        assert f"on page {cell['page']}, box {cell['box']} as {text!r} with confidence {conf:.3f}" in message
    granted = a.loc[("granted", "research_institution")]
    assert (granted["raw"], granted["page"], pd.isna(granted["value"])) == ("0", 3, True)
    assert set(f.loc[f["row"] == "withheld.internal_affairs", "column"]) == {
        "commercial_enterprise", "research_institution", "social_welfare_org", "legal_service_org"}
    # the cells are doubted, not blank: no blank_cell note for them
    assert not (report.findings["check"] == "blank_cell").any()


def test_no_low_confidence_reading_ever_comes_back_as_a_number(doc, report):
    doubted = _doubted(doc)
    seen = 0
    for name in ("applications", "active_disclosure", "review_litigation"):
        t = report.table(name)
        for page, box, value in zip(t["page"], t["box"], t["value"]):
            if not pd.isna(page) and (page, box) in doubted:
                seen += 1
                assert pd.isna(value), f"{name} cell at page {page}, box {box} read below {THRESHOLD} became {value}"
    assert seen == 16


def test_debug_and_show_still_show_doubted_cells(report):
    from govreport.reader import show

    d = report.debug("applications")
    cell = d[(d["row"] == "granted") & (d["applicant"] == "research_institution")].iloc[0]
    assert cell["raw"] == "0" and pd.isna(cell["value"]) and "ocr_low_confidence: OCR read the cell" in cell["findings"]
    toks = d.attrs["tokens"]
    tok = toks[toks["box"] == cell["box"]].iloc[0]
    assert (tok["raw"], tok["key"], bool(tok["doubted"]), round(tok["confidence"], 3)) == ("0", "", True, 0.798)
    marks = show.record_cells({n: report.table(n) for n in ("applications",)}, 3)
    assert tuple(float(v) for v in cell["box"].split(",")) in {box for box, _ in marks}


def test_narrative_is_joined_into_sentences(doc):
    paras = [b for b in doc.blocks if not isinstance(b, Grid)]
    active = [p for p in paras if p.startswith("（一）主动公开情况")]
    assert len(active) == 1 and active[0].page == 1
    assert active[0].endswith("主动发布各类政府信息2428条，公开政府常务会议7期，解读信息发布7条。")
    assert not any(re.fullmatch(r"[-\s]*\d+[-\s]*", p) for p in paras)  # page numbers dropped
    # a paragraph running over a page break is two blocks, one per page
    assert [p.page for p in paras if "三是继续加强业务指导培训" in p] == [5]


def test_grid_builder_on_a_page_crop():
    """Table 四 of page 4 alone: ruled lattice, spans, the header cells the detector read
    across a ruling line split back, the values row."""
    pdf = pdfium.PdfDocument(SCAN)
    scale = 150 / 72
    crop = pdf[3].render(scale=scale, grayscale=True).to_pil().crop((100, 600, 1150, 1340))
    blocks = ocr.page_blocks(crop, 4, scale, settings=ocr.OcrSettings(reread_below=0.0))
    (g,) = [b for b in blocks if isinstance(b, Grid)]
    assert (len(g.cells), len(g.cells[0])) == (4, 15)
    assert g.cells[0][:5] == ["行政复议"] * 5 and g.origin[0][:5] == [True, False, False, False, False]
    assert g.logical_rows()[2] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2
    assert g.logical_rows()[3] == ["1", "1", "0", "0", "2", "1", "0", "0", "0", "1", "2", "0", "1", "0", "3"]
    assert all(g.page[3][c] == 4 and 0 < g.confidence[3][c] <= 1 for c in range(15))
    assert next(b for b in blocks if not isinstance(b, Grid)) == "四、政府信息公开行政复议、行政诉讼情况"


def test_a_page_rotated_by_a_further_degree_reads_the_same():
    """Deskew: the crop turned 0.9° more is straightened (the angle found moves by 0.9°) and its
    row of counts reads as before."""
    import numpy as np

    pdf = pdfium.PdfDocument(SCAN)
    scale = 150 / 72
    crop = pdf[3].render(scale=scale, grayscale=True).to_pil().crop((100, 600, 1150, 1340))
    turned = crop.rotate(0.9, fillcolor=255, resample=3)
    assert ocr.estimate_skew(np.asarray(turned)) == pytest.approx(ocr.estimate_skew(np.asarray(crop)) - 0.9, abs=0.05)
    (g,) = [b for b in ocr.page_blocks(turned, 4, scale, settings=ocr.OcrSettings(reread_below=0.0))
            if isinstance(b, Grid)]
    assert g.logical_rows()[3] == ["1", "1", "0", "0", "2", "1", "0", "0", "0", "1", "2", "0", "1", "0", "3"]


def test_unruled_numbers_are_clustered_into_a_row():
    """The same crop with its ruling lines erased: the row of counts is found from the boxes'
    positions alone, and each number it holds stands where the ruled read put it."""
    import numpy as np
    from PIL import Image

    from govreport.reader import ocr_grid

    pdf = pdfium.PdfDocument(SCAN)
    scale = 150 / 72
    crop = pdf[3].render(scale=scale, grayscale=True).to_pil().crop((100, 600, 1150, 1340))
    settings = ocr.OcrSettings(reread_below=0.0)
    (ruled,) = [b for b in ocr.page_blocks(crop, 4, scale, settings=settings) if isinstance(b, Grid)]
    gray = np.asarray(crop).copy()
    horiz, vert = ocr_grid._line_masks(ocr_grid.ink_mask(gray, settings.ink_threshold), 41)
    gray[(horiz > 0) | (vert > 0)] = 255
    blocks = ocr.page_blocks(Image.fromarray(gray), 4, scale, settings=settings)
    (g,) = [b for b in blocks if isinstance(b, Grid)]
    assert len(g.cells) == 1 and all(g.origin[0])
    assert len(g.cells[0]) >= 9 and all(re.fullmatch(r"\d", t) for t in g.cells[0])  # the detector misses some
    edges = [ruled.box[3][c][0] for c in range(15)] + [ruled.box[3][14][2]]
    for c, text in enumerate(g.cells[0]):
        x = (g.box[0][c][0] + g.box[0][c][2]) / 2
        column = max(k for k in range(15) if edges[k] <= x)
        assert ruled.cells[3][column] == text


def test_arithmetic_failure_in_a_scan_leaves_the_cells_missing(doc, report):
    """A 0 of 上年结转 misread as 8: the row no longer sums and the column's identity breaks;
    every cell those checks use is missing (raw kept), each with an ocr_arithmetic finding."""
    assert report.applications[report.applications["row"] == "carried_over"]["value"].tolist() == [0] * 7
    bad = copy.deepcopy(doc)
    (row,) = [row for g in grids(bad) for row in g.cells if "上年结转政府信息公开申请数量" in row[0]]
    assert row[3] == "0"
    row[3] = "8"
    r = build_report(bad)
    a = r.applications.set_index(["row", "applicant"])
    carried = a.loc["carried_over"]
    assert carried["value"].isna().all() and carried["raw"].tolist() == ["8"] + ["0"] * 6
    f = r.findings[r.findings["check"] == "ocr_arithmetic"].set_index(["row", "column"])
    assert {("carried_over", c) for c in carried.index} <= set(f.index)
    total = f.loc[("carried_over", "total")]
    assert (total["reported"], total["recomputed"]) == (0, 8)
    assert "applications.row_sum" in total["message"] and "printed 0, recomputed 8" in total["message"]
    # the identity 一+二 = 三+四 of column natural_person: 95 + 8 against 95 + 0
    for cell in ("new_received", "processed_total", "carried_forward"):
        assert pd.isna(a.loc[(cell, "natural_person"), "value"]) and (cell, "natural_person") in f.index
    assert a.loc[("new_received", "total"), "value"] == 95  # untouched by either check
    # the narrative's 17 against the table's 95 is not the table's own arithmetic: no cell distrusted
    assert not (report.findings["check"] == "ocr_arithmetic").any()


def test_text_layer_is_detected():
    scan, twin = pdfium.PdfDocument(SCAN), pdfium.PdfDocument(TWIN)
    assert [ocr.has_text_layer(scan, i) for i in range(len(scan))] == [False] * 5
    assert ocr.has_text_layer(twin, 0)


def test_a_broken_pdf_is_a_parse_error():
    with pytest.raises(ParseError, match="cannot open the PDF"):
        reader.load(b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n", name="broken.pdf")


def test_missing_ocr_extra_is_a_clear_error(monkeypatch):
    ocr._engine.cache_clear()
    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)
    try:
        with pytest.raises(ParseError, match=r"govreport\[ocr\]"):
            ocr._engine()
    finally:
        ocr._engine.cache_clear()


def test_corpus_caches_the_ocr_parse(report, tmp_path, monkeypatch):
    """A corpus run parses the scan once; the next run reads the cached entry by content hash."""
    calls = []

    def parse(data, name=None):
        calls.append(name)
        assert data.startswith(b"%PDF-")
        return report  # the OCR'd report of the fixture: no second OCR in the test

    monkeypatch.setattr(work, "read_report", parse)
    got = []
    for _ in range(2):
        corpus = C.read_corpus([SCAN], jobs=1, progress=False, cache=tmp_path / "cache")
        a = corpus.applications
        got.append(a.loc[(a["row"] == "granted") & (a["applicant"] == "total"), "value"].tolist())
    assert calls == [str(SCAN)]
    assert got == [[50], [50]]
    assert corpus.reports["format"].tolist() == ["pdf"]


def _sub(g: Grid, rows: list[int], shift: float = 0.0) -> Grid:
    """Some rows of a grid as a grid of their own (boxes moved right by ``shift`` points). A label
    spanning rows from above the piece becomes an empty cell on top of it, as a lattice read page
    by page prints it."""
    cells, origin = [g.cells[r][:] for r in rows], [g.origin[r][:] for r in rows]
    for c in range(len(g.cells[0])):
        k = 0
        while rows[0] > 0 and k < len(rows) and not g.origin[rows[k]][c] and g.box[rows[k]][c] == g.box[rows[0] - 1][c]:
            cells[k][c], origin[k][c] = "", k == 0
            k += 1
    return Grid(cells, origin, [g.page[r][:] for r in rows],
                [[(b[0] + shift, b[1], b[2] + shift, b[3]) for b in g.box[r]] for r in rows],
                [g.confidence[r][:] for r in rows])


def test_a_table_cut_by_a_page_break_is_one_grid(doc):
    """Table 三 runs from page 3 onto page 4: one grid, as the text layer's tables are; the label
    （四）无法提供 printed on page 3 spans its rows on page 4; table 二's pieces (4 and 2 columns) stay apart."""
    assert [(len(g.cells), len(g.cells[0])) for g in grids(doc)] == [(7, 4), (7, 2), (26, 10), (4, 15)]
    g = grids(doc)[2]
    assert {p for row in g.page for p in row} == {3, 4}
    (r,) = [r for r, row in enumerate(g.cells) if row[2] == "2.没有现成信息需要另行制作"]
    assert (g.cells[r][1], g.origin[r][1], g.page[r - 1][2], g.page[r][2]) == ("（四）无法提供", False, 3, 4)
    assert g.logical_rows()[r] == ["2.没有现成信息需要另行制作", "1", "0", "0", "0", "0", "0", "1"]
    assert all(0 < g.confidence[k][c] <= 1 for row in g.logical_cells() for k, c in row if g.cells[k][c])


def test_joining_drops_a_repeated_header_and_keeps_two_tables_apart(doc):
    from govreport.reader.pdfgrid import join_grids

    g = grids(doc)[2]
    cut = next(r for r in range(len(g.cells)) if g.page[r][2] == 4)
    upper = _sub(g, list(range(cut)))
    # page 4 as Word prints it with "repeat header row": the three header rows again on top
    lower = _sub(g, [0, 1, 2, *range(cut, len(g.cells))])
    joined = join_grids(upper, lower)
    assert joined is not None and joined.logical_rows() == g.logical_rows()
    assert join_grids(upper, _sub(g, list(range(cut, len(g.cells))), shift=20.0)) is None  # columns elsewhere
    assert join_grids(grids(doc)[0], grids(doc)[1]) is None  # table 二: 4 columns, then 2
    # a table over three pages, the middle page holding nothing else: one grid where it starts
    from govreport.reader.pdfgrid import join_pages

    p1, p2, p3 = (_sub(g, list(range(cut))), _sub(g, list(range(cut, cut + 4))),
                  _sub(g, list(range(cut + 4, len(g.cells)))))
    review = grids(doc)[3]
    pages = join_pages({1: [grids(doc)[1], p1], 2: [p2], 3: [p3, review]})
    assert [len(pages[k]) for k in (1, 2, 3)] == [2, 0, 1] and pages[3][0] is review
    assert pages[1][1].logical_rows() == g.logical_rows()

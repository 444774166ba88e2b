"""Grids are tokenised as grids whatever the format; values carry their cell's page, box and
OCR confidence (the shanghai 2019 page, its grids placed on pages as a PDF reader would)."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd

import govreport
from govreport import reader as read
from govreport.report import build_report

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"
HTML = RAW / "shanghai_govoffice_2019.html"


def _doc(fmt: str, low: tuple[int, int] | None = None):
    """The page's document, its grids on page 3 + grid index, each cell boxed by its position."""
    doc = read.load(text=HTML.read_text(encoding="utf-8"))
    blocks = []
    for k, b in enumerate(doc.blocks):
        if isinstance(b, read.Grid):
            rows, cols = len(b.cells), len(b.cells[0])
            page = [[3 + k % 7] * cols for _ in range(rows)]
            box = [[(c * 10.0, r * 20.0, c * 10.0 + 10, r * 20.0 + 20) for c in range(cols)] for r in range(rows)]
            conf = [[0.99] * cols for _ in range(rows)]
            b = dataclasses.replace(b, page=page, box=box, confidence=conf)
        blocks.append(b)
    grids = [b for b in blocks if isinstance(b, read.Grid)]
    if low is not None:
        r, c = grids[1].logical_cells()[low[0]][low[1]]
        grids[1].confidence[r][c] = 0.5
    return dataclasses.replace(doc, blocks=blocks, format=fmt), grids


def _app(rep, row, col="total"):
    return rep.value("applications", row=row, applicant=col)


def test_grids_from_any_format_read_the_same_values():
    html = govreport.read_report(HTML)
    assert html.meta["mode"] == "grid"
    for fmt in ("pdf", "docx", "text"):
        doc, _ = _doc(fmt)
        rep = build_report(doc)
        assert rep.meta["format"] == fmt and rep.meta["mode"] == "grid"
        for name in ("applications", "review_litigation", "active_disclosure"):
            pd.testing.assert_series_equal(rep.tables()[name]["value"], html.tables()[name]["value"])
    assert _app(html, "new_received") == 859


def test_values_carry_page_and_box_of_their_cell():
    doc, grids = _doc("pdf")
    rep = build_report(doc)
    apps = rep.applications
    assert str(apps["page"].dtype) == "Int64" and str(apps["box"].dtype) == "string"
    k = next(i for i, b in enumerate(doc.blocks) if b is grids[1])
    assert set(apps.loc[apps["value"].notna(), "page"]) == {3 + k % 7}
    # 一、本年新收 | 821 (natural persons): logical row 3, cell 1
    r, c = grids[1].logical_cells()[3][1]
    cell = apps[(apps["row"] == "new_received") & (apps["applicant"] == "natural_person")].iloc[0]
    assert cell["value"] == 821 and cell["raw"] == "821"
    assert cell["box"] == f"{c * 10:g},{r * 20:g},{c * 10 + 10:g},{r * 20 + 20:g}"
    assert rep.review_litigation["page"].dropna().nunique() == 1
    html = govreport.read_report(HTML)
    assert html.applications["page"].isna().all() and html.applications["box"].isna().all()


def test_a_cell_read_by_ocr_with_low_confidence_is_missing_with_a_finding():
    doc, _ = _doc("pdf", low=(3, 1))  # the 821 of 一、本年新收, natural persons
    rep = build_report(doc)
    assert pd.isna(_app(rep, "new_received", "natural_person"))
    assert _app(rep, "new_received", "commercial_enterprise") == 35
    f = rep.findings[rep.findings["check"] == "ocr_low_confidence"]
    assert len(f) == 1 and f.iloc[0]["table"] == "applications"
    assert "'821'" in f.iloc[0]["message"] and "0.50" in f.iloc[0]["message"]
    assert f.iloc[0]["row"] == "new_received" and f.iloc[0]["column"] == "natural_person"
    cell = rep.applications.set_index(["row", "applicant"]).loc[("new_received", "natural_person")]
    assert cell["raw"] == "821" and pd.isna(f.iloc[0]["reported"])  # the reading is kept as text, never a number


def test_a_doubted_reading_with_a_misread_letter_keeps_its_place_in_the_row():
    """821 read as 82l (l for 1) with low confidence: a doubted value, read as a blank cell of
    its column (not a label), so the row's other cells stay where they are; raw keeps 82l."""
    doc, grids = _doc("pdf", low=(3, 1))
    r, c = grids[1].logical_cells()[3][1]
    grids[1].cells[r][c] = "82l"
    rep = build_report(doc)
    a = rep.applications.set_index(["row", "applicant"])
    assert pd.isna(a.loc[("new_received", "natural_person"), "value"])
    assert a.loc[("new_received", "natural_person"), "raw"] == "82l"
    assert _app(rep, "new_received", "commercial_enterprise") == 35 and _app(rep, "new_received") == 859
    f = rep.findings[rep.findings["check"] == "ocr_low_confidence"]
    assert f[["row", "column"]].values.tolist() == [["new_received", "natural_person"]]
    assert "as '82l' with confidence 0.500" in f.iloc[0]["message"]
    d = rep.debug("applications").attrs["tokens"]
    assert d.loc[d["raw"] == "82l", ["key", "doubted"]].values.tolist() == [["", True]]

"""Provenance you can see: a PDF page drawn with the cells that were read outlined.

Used by :meth:`govreport.report.Report.show`; the image is pdfplumber's ``PageImage``,
which Jupyter shows inline (it has ``_repr_png_``).
"""
from __future__ import annotations

import io

from .document import Box, Grid

_OUTLINE = (220, 30, 30, 255)
_FILL = (255, 220, 0, 50)
_LABEL = (20, 20, 160, 255)


def page_cells(grids: list[Grid], page: int) -> list[tuple[Box, str]]:
    """``(box, label)`` of every origin cell on ``page`` (1-based); the label is the cell's
    grid position ``r,c`` of its table (``t`` counts the tables read from the PDF)."""
    out = []
    for t, g in enumerate(grids):
        if g.page is None or g.box is None:
            continue
        for r, c in (rc for row in g.logical_cells() for rc in row):
            if g.page[r][c] == page and g.box[r][c] is not None:
                out.append((g.box[r][c], f"t{t} r{r} c{c}"))
    return out


_KEYS = {"applications": ("row", "applicant"), "review_litigation": ("procedure", "outcome"),
         "active_disclosure": ("category", "metric"), "statistics": ("code", "column")}


def record_cells(tables: dict, page: int) -> list[tuple[Box, str]]:
    """``(box, label)`` of every value whose record carries ``page`` and ``box`` (the table
    assembler's provenance columns). Cells are too small for two codes each, so the row code
    labels the first cell of each row and the column code the top cell of each column
    (``granted/total`` where both meet); every cell read is outlined."""
    out = []
    for name, keys in _KEYS.items():
        df = tables.get(name)
        if df is None or not {"page", "box", *keys} <= set(df.columns):
            continue
        cells = []
        for rec in df[df["page"] == page].to_dict("records"):
            box = rec["box"]
            if isinstance(box, str):  # the records' "x0,top,x1,bottom"
                box = box.split(",")
            if box is not None and not isinstance(box, float) and len(box) == 4:
                cells.append((tuple(float(v) for v in box), str(rec[keys[0]]), str(rec[keys[1]])))
        first_in_row = {r: min((b for b, rr, _ in cells if rr == r), key=lambda b: b[0]) for _, r, _ in cells}
        top_in_col = {c: min((b for b, _, cc in cells if cc == c), key=lambda b: b[1]) for _, _, c in cells}
        for box, r, c in cells:
            parts = [r if first_in_row[r] == box else "", c if top_in_col[c] == box else ""]
            out.append((box, "/".join(p for p in parts if p)))
    return out


def draw(pdf: bytes | str, page: int, marks: list[tuple[Box, str]], resolution: int = 110):
    """Page ``page`` (1-based) of the PDF, each ``(box, label)`` outlined and labelled."""
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf) as doc:
        if not 1 <= page <= len(doc.pages):
            raise ValueError(f"page {page} is not in this PDF (pages 1 to {len(doc.pages)})")
        im = doc.pages[page - 1].to_image(resolution=resolution)
        for box, label in marks:
            im.draw_rect(box, fill=_FILL, stroke=_OUTLINE, stroke_width=1)
            if label:
                im.draw.text(im._reproject((box[0] + 1, box[1] + 1)), label, fill=_LABEL)
        return im

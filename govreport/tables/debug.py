"""What a table was built from: the tokens of its region and the cells read from them.

``Report.debug(table)`` shows, for one table, every cell as read (its codes, the printed
label it was matched to, the cell text, the value, page and box, and the findings on that
cell) and, in ``.attrs["tokens"]``, the token stream of the table's region: what the
assembler saw, in order, with the kind it gave each piece (label text, cell, digit run,
row end).
"""
from __future__ import annotations

import pandas as pd

from ..layouts import Layout
from ..missing import is_na
from .region import locate
from .tokens import Tok

#: The columns holding a table's row and column codes.
KEYS = {"applications": ("row", "applicant"), "active_disclosure": ("category", "metric"),
        "review_litigation": ("procedure", "outcome"), "statistics": ("indicator", "column")}


def region(toks: list[Tok], layout: Layout | None, table: str) -> tuple[int, int] | None:
    """``(start, end)`` token positions of ``table`` as the layout's data finds it, or None."""
    regions: dict[str, tuple[int, int]] = {}
    for spec in (layout.tables if layout else ()):
        if spec.kind == "indicator_tree":
            found = locate(toks, spec, regions) or (0, len(toks))
        else:
            found = locate(toks, spec, regions)
        if found is not None:
            regions[spec.table] = found
        if spec.table == table:
            return found
    return None


def tokens_frame(toks: list[Tok], start: int = 0, end: int | None = None) -> pd.DataFrame:
    """Tokens as a DataFrame: ``position, kind, raw, key, page, box, confidence, doubted`` (an OCR'd
    value below the confidence threshold: raw as read, key blank, so the assembler read it as missing)."""
    part = toks[start:end]
    return pd.DataFrame({
        "position": range(start, start + len(part)),
        "kind": [t.kind for t in part],
        "raw": [t.raw for t in part],
        "key": [t.key for t in part],
        "page": pd.array([t.page for t in part], dtype="Int64"),
        "box": pd.array([t.box for t in part], dtype="string"),
        "confidence": pd.array([t.conf for t in part], dtype="Float64"),
        "doubted": [t.doubted for t in part],
    })


def cells_frame(table: str, cells: pd.DataFrame, findings: pd.DataFrame) -> pd.DataFrame:
    """The cells of ``table`` with the messages of the findings on each (row, column)."""
    row_key, col_key = KEYS[table]
    out = cells.copy()
    mine = findings[findings["table"].astype(object) == table]
    notes: dict[tuple, list[str]] = {}
    for r, c, check, msg in zip(mine["row"], mine["column"], mine["check"], mine["message"]):
        notes.setdefault((None if is_na(r) else str(r), None if is_na(c) else str(c)), []).append(
            f"{check}: {msg}")
    out["findings"] = [
        " | ".join(notes.get((str(r), str(c)), []) + notes.get((str(r), None), []) + notes.get((None, str(c)), []))
        for r, c in zip(out[row_key], out[col_key])]
    return out

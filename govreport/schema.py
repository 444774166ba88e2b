"""The one schema: every table's columns and dtypes, and records → DataFrames.

Tables travel as plain records ``(columns, rows)`` (cheap to build, pickle and
concatenate) and become DataFrames with these dtypes only when a user asks.
"""
from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

NA = pd.NA

Records = tuple[tuple[str, ...], list[tuple]]
_FLOAT = {"value", "reported", "recomputed"}
_BOOL = {"mapped"}
_INT = {"number", "page"}


def records(rows: list[tuple], columns: Sequence[str], mapped: bool = False) -> Records:
    """A table as plain rows (cheap to build, pickle and concatenate); ``mapped`` appended."""
    return (*columns, "mapped"), [(*r, mapped) for r in rows]


def column_dtype(name: str) -> str:
    """The pandas dtype of a table column, by its name."""
    return "Float64" if name in _FLOAT else "boolean" if name in _BOOL else "Int64" if name in _INT else "string"


def typed_columns(recs: Records) -> list[tuple[str, str, list]]:
    """Records as ``(name, dtype, values)`` per column, values cleaned for that dtype
    (NA as None, labels as str): ready for ``pd.array`` here or in a corpus."""
    columns, rows = recs
    cols = list(zip(*rows)) if rows else [()] * len(columns)
    out = []
    for name, col in zip(columns, cols):
        dtype = column_dtype(name)
        if dtype in ("Float64", "string"):
            conv = (lambda v: v) if dtype == "Float64" else str
            col = [None if v is None or v is NA else conv(v) for v in col]
        out.append((name, dtype, list(col)))
    return out


def to_frame(recs: Records) -> pd.DataFrame:
    """Records → DataFrame with govreport's dtypes (Float64 values, string labels)."""
    return pd.DataFrame({name: pd.array(vals, dtype=dtype) for name, dtype, vals in typed_columns(recs)},
                        columns=list(recs[0]))

"""The findings table: what the reader and the validator noticed, one row per finding."""
from __future__ import annotations

from dataclasses import astuple, dataclass

import pandas as pd

from .schema import column_names, table_columns, to_frame

#: The columns of the findings table (declared in ``data/schema.csv``).
COLUMNS = column_names("findings", corpus=False)
#: The severities, most serious first (the declared codes of ``findings.severity``).
SEVERITIES = tuple(next(c for c in table_columns("findings") if c.name == "severity").categories.split("|"))


@dataclass
class Finding:
    """One observation about one cell, row or table of a report."""

    table: str | None
    location: str | None
    check: str
    severity: str
    status: str
    row: str | None
    column: str | None
    reported: float | None
    recomputed: float | None
    message: str


def finding(check: str, message: str, *, table: str | None = None, row: str | None = None,
            column: str | None = None, location: str | None = None, severity: str = "warning",
            status: str = "fail", reported: float | None = None,
            recomputed: float | None = None) -> Finding:
    """Build a :class:`Finding`; ``location`` defaults to "table, row, column".

    A finding about the whole report (no ``table``) names ``report`` as its table: the
    column is a category in a corpus, where a missing code breaks ``fillna`` and filters."""
    table = table or "report"
    if location is None:
        location = ", ".join(p for p in (table, row and f"row {row}", column and f"column {column}") if p)
    return Finding(table, location, check, severity, status, row, column, reported, recomputed, message)


def frame(items: list[Finding]) -> pd.DataFrame:
    """Findings as a DataFrame with the standard columns and dtypes."""
    return to_frame((tuple(COLUMNS), [astuple(f) for f in items]), "findings")

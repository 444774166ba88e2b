"""How a check's outcome becomes a :class:`~govreport.findings.Finding`.

A failure carries the severity of its check (``checks.csv``); a check that cannot be made
because a cell is missing is ``not_assessable`` at severity ``info`` (a missing cell is not
a pass, and its note must not bury the real findings); a pass is emitted only when asked.
The printed value is ``reported``, the value recomputed from the other cells ``recomputed``.
"""
from __future__ import annotations

from typing import Sequence

from .. import findings as _fnd
from ..findings import Finding
from .data import severity_of
from .formula import holds

__all__ = ["TABLE_LABELS", "COUNT_TOLERANCE", "MONEY_TOLERANCE", "fmt", "location", "make", "compare"]

COUNT_TOLERANCE: float = 1e-9
MONEY_TOLERANCE: float = 0.01

TABLE_LABELS: dict[str, str] = {
    "active_disclosure": "table 二",
    "applications": "table 三",
    "review_litigation": "table 四",
    "statistics": "统计指标",
    "text": "text",
}


def fmt(v: float | None) -> str:
    """A number for a message: integers without a decimal point, NA for missing."""
    if v is None:
        return "NA"
    return str(int(v)) if float(v).is_integer() else f"{v:.6g}"


def location(table: str, row: str | None, column: str | None, extra: str | None = None) -> str:
    """``table 三, row granted, column total`` (prefixed by ``extra``)."""
    parts = [TABLE_LABELS.get(table, table)]
    if row is not None:
        parts.append(f"row {row}")
    if column is not None:
        parts.append(f"column {column}")
    loc = ", ".join(parts)
    return f"{extra} {loc}" if extra else loc


def make(check: str, status: str, table: str, row: str | None, column: str | None, reported: float | None,
         recomputed: float | None, message: str, *, where: str | None = None) -> Finding:
    """One finding of ``check``; its severity comes from ``checks.csv`` for a failure, else ``info``."""
    severity = severity_of().get(check, "warning") if status == "fail" else "info"
    return _fnd.finding(check, message, table=table, row=row, column=column,
                        location=where or location(table, row, column), severity=severity, status=status,
                        reported=reported, recomputed=recomputed)


def compare(out: list[Finding], *, check: str, table: str, row: str | None, column: str | None,
            reported: float | None, expected: float | None, relation: str, describe: str, terms: str,
            missing: Sequence[str], include_passes: bool, tol: float = COUNT_TOLERANCE) -> None:
    """Compare a printed value with the value the other cells imply.

    ``terms`` spells the right-hand side with its values (for the message); ``missing``
    names the blank or absent inputs (the printed value first when it is missing).
    """
    if missing or reported is None or expected is None:
        names = ", ".join(missing) or "an input"
        out.append(make(check, "not_assessable", table, row, column, reported, expected,
                        f"{describe}: cannot be checked, blank or absent: {names}"))
        return
    if holds(reported, relation, expected, tol):
        if include_passes:
            out.append(make(check, "pass", table, row, column, reported, expected, f"{describe}: OK"))
        return
    out.append(make(check, "fail", table, row, column, reported, expected,
                    f"{describe}: printed {fmt(reported)}, but {terms} = {fmt(expected)} "
                    f"(expected {relation}; difference {fmt(reported - expected)})"))

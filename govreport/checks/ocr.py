"""Distrust OCR'd cells that break the table's own arithmetic.

In a typed report a failed sum is a finding about the report; in a scan it is as likely a
misread digit. So for a report read by OCR, every cell a failed check involves is set to
missing (its printed text stays in ``raw``) with an ``ocr_arithmetic`` finding that shows
the check's printed and recomputed values: a doubtful value is missing, never a guess.

The cells a check involves are read from the check's formula in ``data/checks.csv``
(the formula language of :mod:`govreport.checks.formula`): a reference ``A:row:column``
names a cell of the finding's table, ``{r}`` and ``{c}`` stand for the finding's own row and
column, ``*`` matches several rows; a formula without references (``value >= 0``)
involves the finding's own cell.
"""
from __future__ import annotations

import fnmatch
from functools import lru_cache
from typing import Any

import pandas as pd

from ..findings import Finding, finding
from ..missing import is_na
from . import formula

#: the key columns (row, column) of each table a check may name
_KEYS = {"applications": ("row", "applicant"), "review_litigation": ("procedure", "outcome"),
         "active_disclosure": ("category", "metric")}
#: the formula language's table letter of each table
_LETTER = {"applications": "A", "review_litigation": "R", "active_disclosure": "D"}


@lru_cache(maxsize=1)
def _formulas() -> dict[str, tuple[str, str]]:
    """check code → (table, formula) of the checks on one table's own arithmetic."""
    from . import checks as check_table

    table = check_table()
    return {code: (tab, expr) for code, tab, expr in zip(table["code"], table["table"], table["formula"])
            if tab in _KEYS}


def involved(f: Finding, rows: list[str], columns: list[str]) -> list[tuple[str, str]]:
    """The ``(row, column)`` cells a failed finding's formula uses, given the table's rows
    and columns; the finding's own cell when the formula names none."""
    if f.row is None or f.column is None:
        return []
    letter = _LETTER.get(f.table or "")
    # {r} and {c} are the finding's own row and column (the only placeholders checks.csv binds)
    bound = formula.bind(_formulas()[f.check][1], {"r": f.row, "c": f.column})
    refs = [(a, b) for kind, a, b in formula.references(bound) if kind == letter and b is not None]
    if not refs:
        return [(f.row, f.column)]
    cells: list[tuple[str, str]] = []
    for row, col in refs:
        cells += [(r, c) for r in rows if fnmatch.fnmatchcase(r, row) for c in columns if fnmatch.fnmatchcase(c, col)]
    return list(dict.fromkeys(cells))


def distrust(report: Any) -> None:
    """For a report with ``meta["ocr"]`` True: set every cell of a failed arithmetic check
    to missing (raw kept) and add one ``ocr_arithmetic`` finding per cell. In place."""
    if not report.meta.get("ocr"):
        return
    own = _formulas()
    failed = [f for f in report._notes if f.status == "fail" and f.check in own and own[f.check][0] == f.table]
    if not failed:
        return
    added: list[Finding] = []
    for name, (rkey, ckey) in _KEYS.items():
        columns, rows = report._records[name]
        cols = list(columns)
        if not {rkey, ckey, "value"} <= set(cols):
            continue
        ri, ci, vi = cols.index(rkey), cols.index(ckey), cols.index("value")
        raw_i = cols.index("raw") if "raw" in cols else None
        where = {(str(rec[ri]), str(rec[ci])): k for k, rec in enumerate(rows)}
        row_names = list(dict.fromkeys(str(rec[ri]) for rec in rows))
        col_names = list(dict.fromkeys(str(rec[ci]) for rec in rows))
        done: set[tuple[str, str]] = set()
        for f in (f for f in failed if f.table == name):
            for cell in involved(f, row_names, col_names):
                k = where.get(cell)
                if k is None or cell in done or is_na(rows[k][vi]):
                    continue
                done.add(cell)
                printed = rows[k][vi]
                raw = rows[k][raw_i] if raw_i is not None else printed
                rec = list(rows[k])
                rec[vi] = pd.NA
                rows[k] = tuple(rec)
                added.append(finding(
                    "ocr_arithmetic",
                    f"OCR'd cell printed {raw!r} is used by the failed check {f.check} at {f.location} (printed "
                    f"{_fmt(f.reported)}, recomputed {_fmt(f.recomputed)}); left missing, since a misread digit "
                    f"cannot be told from a misprint",
                    table=name, row=cell[0], column=cell[1], severity="warning", status="fail",
                    reported=float(printed), recomputed=f.recomputed if cell == (f.row, f.column) else None))
    report._notes.extend(added)
    report._frames.clear()


def _fmt(v: float | None) -> str:
    if is_na(v):
        return "NA"
    return str(int(v)) if float(v).is_integer() else str(v)

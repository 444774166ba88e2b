"""What a report holds, in one word: ``ok``, ``partial``, ``no_tables`` or ``unknown_layout``.

* ``unknown_layout``: no layout was recognised (the tables could not be read at all);
* ``no_tables``: a layout, but not one value in any table (a narrative-only report);
* ``partial``: some values, but a table the layout defines is empty, or a finding says a
  table or its cells are missing (the ``complete`` checks of ``checks.csv``, the reader's
  ``table_missing``/``row_missing``);
* ``ok``: otherwise.

Which tables a layout defines is the layout data (a table with rows or columns for it).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .. import layouts
from ..findings import Finding
from .arithmetic import applies, check_complete
from .cells import CellResolver
from .data import check_rows
from ..missing import is_na
from .view import ReportTables

__all__ = ["STATUSES", "report_status", "expected_tables"]

#: each status and what it means (the data dictionary prints this)
STATUSES: dict[str, str] = {
    "ok": "a layout was recognised and every table it defines holds its values",
    "partial": "some tables are missing or incomplete (a completeness finding, or a table of the layout is empty)",
    "no_tables": "a layout (or free-form sections) but not one table value: a narrative-only report",
    "unknown_layout": "no layout recognised: the tables could not be read",
}
#: reader findings that say a table or a row was not found
_READER_GAPS = frozenset({"table_missing", "row_missing"})
#: the tables that hold values
_VALUE_TABLES = ("active_disclosure", "applications", "review_litigation", "statistics")


def expected_tables(layout: str | None) -> tuple[str, ...]:
    """The value tables ``layout`` prints: those its layout data gives rows for; a layout
    with none of them reads the 统计指标 table (its rows are free-form)."""
    if not layout or layout not in layouts.LAYOUTS:
        return ()
    got = tuple(t for t in _VALUE_TABLES if layouts.rows(layout, t))
    return got or ("statistics",)


def _values(name: str, records: Any) -> int:
    """Number of values a table holds (records ``(columns, rows)``): crosswalk copies
    (``mapped``) are not counted, nor 统计指标 values without a unit (a real 统计指标 row
    prints its 计量单位; a number picked out of the narrative does not)."""
    columns, rows = records
    columns = list(columns)
    if "value" not in columns:
        return 0
    i = columns.index("value")
    mi = columns.index("mapped") if "mapped" in columns and name != "statistics" else None
    ui = columns.index("unit") if "unit" in columns and name == "statistics" else None
    return sum(1 for r in rows if not is_na(r[i]) and (mi is None or is_na(r[mi]) or not bool(r[mi]))
               and (ui is None or not is_na(r[ui])))


def report_status(meta: Mapping[str, Any], tables: Mapping[str, Any], findings: Iterable[Finding]) -> str:
    """The status of one report from its ``meta``, its ``tables`` (name → records
    ``(columns, rows)``) and its ``findings``."""
    layout = meta.get("layout")
    if not layout or layout not in layouts.LAYOUTS:
        return "unknown_layout"
    counts = {name: _values(name, rec) for name, rec in tables.items() if name in _VALUE_TABLES}
    if not any(counts.values()):
        return "no_tables"
    gaps = _READER_GAPS | {r["code"] for r in check_rows("complete")}
    if any(f.check in gaps and f.status == "fail" for f in findings):
        return "partial"
    # the completeness checks themselves, for a report read without validation
    resolver = CellResolver(ReportTables(meta, {k: v for k, v in tables.items() if k in _VALUE_TABLES}))
    found: list[Finding] = []
    for rule in check_rows("complete"):
        if applies(rule, layout):
            check_complete(rule, resolver, found)
    if found:
        return "partial"
    if any(not counts.get(t) for t in expected_tables(layout)):
        return "partial"
    return "ok"

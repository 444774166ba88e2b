"""The cells of one report, as the formula language refers to them (``A:``, ``D:``, ``R:``, ``S:``, ``T:``)."""
from __future__ import annotations

import fnmatch
import re
from functools import lru_cache
from collections.abc import Callable
from typing import Any

from .. import layouts
from ..protocol import ReportLike
from .formula import REF_RE, ref_parts
from .quantities import StatedQuantity, extract
from ..missing import is_na
from .view import Grid, Rows, num, rows_of

__all__ = ["KINDS", "KIND_OF_TABLE", "CellResolver", "layout_cache", "layout_codes", "layout_rows", "money_metrics",
           "unit_kind"]

_CUMULATIVE = re.compile(r"cumul|累计")
#: reference kind → (table, row key, column key, where the layout lists the row codes)
KINDS: dict[str, tuple[str, str, str, str]] = {
    "A": ("applications", "row", "applicant", "applications.row"),
    "D": ("active_disclosure", "category", "metric", "active_disclosure.category"),
    "R": ("review_litigation", "procedure", "outcome", "review_litigation.procedure"),
}
#: a table's name → its reference kind
KIND_OF_TABLE: dict[str, str] = {table: kind for kind, (table, _, _, _) in KINDS.items()}


def layout_codes(layout: str | None, spec: str) -> list[str]:
    """The codes a layout defines for ``spec``: ``<table>.<key>`` such as ``applications.row``,
    ``applications.applicant``, ``review_litigation.procedure``, ``active_disclosure.metric``
    (empty for an unknown layout)."""
    if not layout:
        return []
    table, _, part = spec.partition(".")
    if part in ("row", "category"):
        return [r.code for r in layouts.rows(layout, table)]
    name = table if part == "applicant" else spec
    return [c.code for c in layouts.columns(layout, name)]


def layout_cache(layout: str | None) -> dict[Any, Any]:
    """A dict kept on the :class:`~govreport.layouts.Layout` object named ``layout``: what the
    checks work out once per layout (codes, applicable checks, bound formulas) goes with the
    layout, so a layout registered later under the same name starts afresh. A new empty dict
    for no layout or an unknown one (nothing is kept)."""
    if not layout:
        return {}
    try:
        spec = layouts.get(layout)
    except KeyError:
        return {}
    return spec.__dict__.setdefault("_checks_cache", {})  # a frozen dataclass: not a field, not compared


@lru_cache(maxsize=None)
def money_metrics(layout: str | None) -> frozenset[str]:
    """The metric codes of table 二 whose unit is money (units.csv) in ``layout``, or in any
    layout when it is unknown."""
    units = layouts.units()
    lays = (layout,) if layout else layouts.LAYOUTS
    return frozenset(c.code for lay in lays for c in layouts.columns(lay, "active_disclosure.metric")
                     if units.get(c.unit, ("",))[0] == "money")


def unit_kind(unit: object) -> str:
    """``count``, ``money`` … for a printed unit (units.csv); ``unknown`` when not listed."""
    if is_na(unit) or not unit:
        return "unknown"
    return layouts.units().get(str(unit).strip(), ("unknown",))[0]


def layout_rows(layout: str | None, present: list[str] | tuple[str, ...] = ()) -> list[str]:
    """Table 三's row codes: the layout's rows, then any other row present in the report."""
    rows = layout_codes(layout, "applications.row")
    return rows + [r for r in present if r not in rows]


class CellResolver:
    """Resolve cell references on one report (see :mod:`govreport.checks.formula`).

    A ``*`` in a row is a group sum over the rows the layout defines and the report
    prints; a group with any blank member is missing. A later-layout reference on a
    pre-2019 report reads the crosswalked (``mapped``) 统计指标 value.
    """

    def __init__(self, report: ReportLike) -> None:
        self.report = report
        self.meta: dict[str, Any] = dict(report.meta)
        self.layout: str | None = self.meta.get("layout")
        self._tables: dict[str, Rows] = {}
        self.applications = Grid(self.rows("applications"), "row", "applicant")
        self.active = Grid(self.rows("active_disclosure"), "category", "metric")
        self.review = Grid(self.rows("review_litigation"), "procedure", "outcome")
        self.grids = {"A": self.applications, "D": self.active, "R": self.review}
        self.statistics_rows = self.rows("statistics")
        self._stat_index: dict[str, list[tuple[bool, bool, float | None]]] | None = None
        self._members: dict[tuple[str, str | None], Any] = {}  # (kind, pattern): members; (kind, None): extra rows
        self.cache = layout_cache(self.layout)
        self._sums: dict[tuple[str, str, str], Any] = {}
        #: what one check works out on this report for the others (the cells of a table …)
        self.memo: dict[Any, Any] = {}

    def codes(self, spec: str) -> list[str]:
        """:func:`layout_codes` of this report's layout (worked out once per layout)."""
        got = self.cache.get(("codes", spec))
        if got is None:
            got = self.cache[("codes", spec)] = layout_codes(self.layout, spec)
        return got

    def rows(self, name: str) -> Rows:
        """A table of the report as records (read once)."""
        tab = self._tables.get(name)
        if tab is None:
            tab = self._tables[name] = rows_of(self.report, name)
        return tab

    def mentions(self) -> tuple[StatedQuantity, ...]:
        """The numbers the text states (:func:`govreport.checks.quantities.extract`)."""
        return extract(self.report.prose or "")

    # -- references --------------------------------------------------------------------
    def _extra_rows(self, kind: str) -> tuple[str, ...]:
        """The rows of the grid of ``kind`` the layout does not define, in printed order."""
        got = self._members.get((kind, None))
        if got is None:
            known = self.cache.get(("known", kind))
            if known is None:
                known = self.cache[("known", kind)] = frozenset(self.codes(KINDS[kind][3]))
            got = self._members[(kind, None)] = tuple(r for r in self.grids[kind].rows if r not in known)
        return got

    def members(self, kind: str, pattern: str) -> list[str]:
        """The row codes a group pattern (``withheld.*``) stands for in this report: the layout's
        rows, then the other rows printed (matched once per layout and set of other rows)."""
        got = self._members.get((kind, pattern))
        if got is None:
            extra = self._extra_rows(kind)
            key = ("members", kind, pattern, extra)
            got = self.cache.get(key)
            if got is None:
                universe = self.codes(KINDS[kind][3]) + list(extra)
                got = self.cache[key] = [r for r in universe if fnmatch.fnmatchcase(r, pattern)]
            self._members[(kind, pattern)] = got
        return got

    def _group(self, kind: str, pattern: str, col: str) -> float | None:
        get = self.grids[kind].values.get
        if "*" not in pattern:
            return get((pattern, col))
        vals = [get((r, col)) for r in self.members(kind, pattern)]
        if not vals or None in vals:
            return None
        return float(sum(vals))  # type: ignore[arg-type]

    def _statistics_index(self) -> dict[str, list[tuple[bool, bool, float | None]]]:
        """code → [(cumulative, mapped, value)] in table order."""
        if self._stat_index is None:
            st = self.statistics_rows
            index: dict[str, list[tuple[bool, bool, float | None]]] = {}
            ki, ci, mi, vi = st.index("code"), st.index("column"), st.index("mapped"), st.index("value")
            if ki is not None:
                for rec in st.rows:
                    code = rec[ki]
                    if is_na(code):
                        continue
                    col = "" if ci is None or is_na(rec[ci]) else str(rec[ci])
                    mapped = mi is not None and not is_na(rec[mi]) and bool(rec[mi])
                    index.setdefault(str(code), []).append(
                        (bool(_CUMULATIVE.search(col)), mapped, None if vi is None else num(rec[vi])))
            self._stat_index = index
        return self._stat_index

    def statistic(self, code: str) -> float | None:
        """A value of the pre-2019 统计指标 by its mapped code: the year's before a cumulative one."""
        sel = self._statistics_index().get(code)
        if not sel:
            return None
        sel = [s for s in sel if not s[0]] + [s for s in sel if s[0]]
        sel = [s for s in sel if s[1]] or sel
        return next((v for _, _, v in sel if v is not None), None)

    def _statistic_cell(self, table: str, row: str, col: str) -> float | None:
        """The pre-2019 counterpart of a later-layout cell (crosswalk), if mapped."""
        if not self.statistics_rows.rows:
            return None
        for code in (f"{table}:{row}:{col}", f"{table}.{row}.{col}", f"{row}:{col}", f"{row}.{col}",
                     *((f"{table}.{row}", row) if col == "total" else ())):
            v = self.statistic(code)
            if v is not None:
                return v
        return None

    def getter(self, kind: str) -> Callable[[tuple[str, str]], float | None]:
        """The value of a (row, column) cell of the grid of ``kind`` (``A``, ``D``, ``R``), as
        :meth:`value` reads it: from the grid, or from the crosswalked 统计指标 when the grid is empty."""
        grid = self.grids[kind]
        if grid.values:
            return grid.values.get
        table = KINDS[kind][0]
        return lambda cell: self._statistic_cell(table, cell[0], cell[1])

    def value(self, kind: str, a: str, b: str | None) -> float | None:
        """The value of one reference, or None when missing."""
        grid = self.grids.get(kind)
        if grid is not None:
            col = b or ("" if kind == "D" else "total")
            if "*" in a:  # a group sum: read again by the message of each check that fails on it
                key = (kind, a, col)
                got = self._sums.get(key, self)
                if got is self:
                    got = self._sums[key] = self._group(kind, a, col)
                return got
            v = grid.values.get((a, col))
            if v is None and not grid.values:
                v = self._statistic_cell(KINDS[kind][0], a, col)
            return v
        if kind == "S":
            return self.statistic(a)
        if kind == "T":
            return next((q.quantity for q in self.mentions() if q.subject == a), None)
        raise ValueError(f"unknown reference kind {kind!r}")

    def uses(self, formula: str) -> list[tuple[str, str, str | None]]:
        """The references a formula uses, in order."""
        return [ref_parts(m.group(1), m.group(2)) for m in REF_RE.finditer(formula)]

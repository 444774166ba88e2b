"""Arithmetic and consistency checks on parsed reports (findings per cell).

A number in a paper must be right or visibly doubtful.  This module recomputes
every identity that the official forms imply and reports each disagreement as
one *finding* (one row of a DataFrame) that names the table, the row and the
column, and keeps the value the report printed (``reported``) beside the value
recomputed from the other cells (``recomputed``).  Nothing is ever overwritten.

Public API
----------
``findings(report, include_passes=False) -> list[Finding]``
    The fast entry point (used by ``read_report``): findings for one report as
    :class:`govreport.findings.Finding` objects.  A Report's tables are read as
    records (``report.records(name)``), no DataFrame is built; any other object
    with attributes ``meta, applications, active_disclosure, review_litigation,
    statistics, text`` (DataFrames) works too.
``validate(report, include_passes=False) -> DataFrame``
    Pure function: ``findings(report)`` as a DataFrame.
``validate_report(report) -> report``
    Appends ``validate(report)`` to ``report.findings`` (in place) and returns it.
``validate_corpus(corpus, include_reports=False) -> DataFrame``
    Cross-year findings for a corpus (same agency, consecutive years), with a
    leading ``report_id`` column.  ``corpus`` may be a ``Corpus`` (tables with a
    ``report_id`` column and a ``reports`` table) or a list of reports.
``checks() -> DataFrame``
    The documented list of checks (``govreport/data/checks.csv``).
``stated_quantities(text) -> DataFrame``
    Numbers stated in the narrative that refer to table cells
    (``govreport/data/narrative_checks.csv``).

Findings schema (columns, in this order): ``table, location, check, severity,
status, row, column, reported, recomputed, message``.  ``status`` is ``fail``
or ``not_assessable`` (an input cell is missing: a missing cell is not a
pass), or ``pass`` when ``include_passes=True``.

Doubtful printed cells (a leading zero as in ``00``, a unit that conflicts with
the column header as in ``251000元`` under 万元) are recorded by the reader
(checks ``leading_zero`` and ``unit_conflict``), not repeated here.
"""

from __future__ import annotations


import ast
import fnmatch
import operator
import re
import unicodedata
from bisect import bisect_left, bisect_right
from functools import lru_cache
from importlib import resources
from types import SimpleNamespace
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

import pandas as pd

try:  # Python >= 3.11
    from re import _constants as _re_constants  # type: ignore[attr-defined]
    from re import _parser as _re_parser  # type: ignore[attr-defined]
except ImportError:  # Python 3.10
    import sre_constants as _re_constants  # type: ignore[no-redef]
    import sre_parse as _re_parser  # type: ignore[no-redef]

from .. import findings as _fnd
from .. import layouts
from ..findings import Finding

__all__ = [
    "FINDINGS_COLUMNS",
    "findings",
    "validate",
    "validate_report",
    "validate_corpus",
    "checks",
    "stated_quantities",
    "empty_findings",
    "CellResolver",
    "evaluate",
]

FINDINGS_COLUMNS: list[str] = [
    "table",
    "location",
    "check",
    "severity",
    "status",
    "row",
    "column",
    "reported",
    "recomputed",
    "message",
]

# Row and column codes come from the layout tables (govreport/data/layouts), not typed here.
_ROWS_2021 = [r.code for r in layouts.rows("2021", "applications")]
APPLICANT_COLUMNS: list[str] = [c.code for c in layouts.columns("2021", "applications")]
APPLICANTS: list[str] = [c for c in APPLICANT_COLUMNS if c != "total"]
WITHHELD: list[str] = [r for r in _ROWS_2021 if r.startswith("withheld.")]
UNAVAILABLE: list[str] = [r for r in _ROWS_2021 if r.startswith("unavailable.")]
NOT_PROCESSED: list[str] = [r for r in _ROWS_2021 if r.startswith("not_processed.")]
OTHER_2021: list[str] = [r for r in _ROWS_2021 if r.startswith("other.")]
OTHER_2019: list[str] = [r.code for r in layouts.rows("2019", "applications") if r.code == "other"]

PROCEDURES: list[str] = [c.code for c in layouts.columns("2021", "review_litigation.procedure")]
RL_OUTCOMES: list[str] = [c.code for c in layouts.columns("2021", "review_litigation.outcome")]
RL_PARTS: list[str] = [o for o in RL_OUTCOMES if o != "total"]

#: metrics of table 二 that are money and may be decimal (unit 万元 in columns.csv)
MONEY_METRICS: frozenset[str] = frozenset(
    c.code for lay in ("2021", "2019") for c in layouts.columns(lay, "active_disclosure.metric")
    if layouts.units().get(c.unit, ("",))[0] == "money")
#: metrics of table 二 that may be negative (2019: 本年增/减)
SIGNED_METRICS: frozenset[str] = frozenset({"change"})
#: units of the pre2019 statistics table that are counts (units.csv)
COUNT_UNITS: frozenset[str] = frozenset(u for u, (kind, _) in layouts.units().items() if kind == "count")

COUNT_TOLERANCE: float = 1e-9
MONEY_TOLERANCE: float = 0.01

TABLE_LABELS: dict[str, str] = {
    "active_disclosure": "table 二",
    "applications": "table 三",
    "review_litigation": "table 四",
    "statistics": "统计指标",
    "text": "text",
}

_TABLE_NAMES = ("active_disclosure", "applications", "review_litigation", "statistics")


# --------------------------------------------------------------------------
# data files
# --------------------------------------------------------------------------


def _read_data_csv(name: str) -> pd.DataFrame:
    """Read ``govreport/data/<name>`` as strings (empty cells become '')."""
    path = resources.files("govreport").joinpath("data").joinpath(name)
    with path.open("r", encoding="utf-8") as fh:
        return pd.read_csv(fh, dtype=str, keep_default_na=False)


@lru_cache(maxsize=None)
def _checks_table() -> pd.DataFrame:
    return _read_data_csv("checks.csv")


def checks() -> pd.DataFrame:
    """Return the documented checks: ``code, table, severity, description, formula``."""
    return _checks_table().copy()


@lru_cache(maxsize=None)
def _severity() -> dict[str, str]:
    t = _checks_table()
    return dict(zip(t["code"], t["severity"]))


@lru_cache(maxsize=None)
def _narrative_rules() -> list[dict[str, Any]]:
    """The rules of ``narrative_checks.csv``, each regex compiled once, with what a
    match needs (see :func:`_scan_plan`) so that only the parts of a text that can
    hold a match are searched."""
    rules = []
    for rec in _read_data_csv("narrative_checks.csv").to_dict("records"):
        regex = re.compile(rec["pattern"])
        rules.append(
            {
                "subject": rec["subject"],
                "regex": regex,
                "targets": rec["targets"].strip(),
                "exclude": re.compile(rec["exclude"]) if rec["exclude"].strip() else None,
                "require": re.compile(rec["require"]) if rec.get("require", "").strip() else None,
                "plan": _scan_plan(regex),
            }
        )
    return rules


@lru_cache(maxsize=None)
def _statistics_rules() -> list[dict[str, Any]]:
    rules = []
    for rec in _read_data_csv("statistics_sums.csv").to_dict("records"):
        rules.append(
            {
                "rule": rec["rule"],
                "parent": re.compile(rec["parent"]),
                "children": [re.compile(c) for c in rec["children"].split(";") if c.strip()],
                "relation": rec["relation"].strip() or "eq",
                "description": rec["description"],
            }
        )
    return rules


# --------------------------------------------------------------------------
# findings helpers
# --------------------------------------------------------------------------


def empty_findings() -> pd.DataFrame:
    """An empty findings DataFrame with the exact columns and dtypes."""
    return _fnd.frame([])


def _isna(v: Any) -> bool:
    if v is None or v is pd.NA:
        return True
    t = type(v)
    if t is str or t is bool or t is int:
        return False
    if t is float:
        return v != v
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def _num(v: Any) -> float | None:
    """Convert a cell value to float, or None when missing."""
    if type(v) is float:
        return None if v != v else v
    if _isna(v):
        return None
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def _str(v: Any) -> str | None:
    """A key cell as str, or None when missing."""
    if type(v) is str:
        return v
    return None if _isna(v) else str(v)


def _fmt(v: float | None) -> str:
    if v is None:
        return "NA"
    if float(v).is_integer():
        return str(int(v))
    return f"{v:.6g}"


def _location(table: str, row: str | None, column: str | None, extra: str | None = None) -> str:
    parts = [TABLE_LABELS.get(table, table)]
    if row is not None:
        parts.append(f"row {row}")
    if column is not None:
        parts.append(f"column {column}")
    loc = ", ".join(parts)
    if extra:
        loc = f"{extra} {loc}"
    return loc


def _finding(
    check: str,
    status: str,
    table: str,
    row: str | None,
    column: str | None,
    reported: float | None,
    recomputed: float | None,
    message: str,
    *,
    location: str | None = None,
) -> Finding:
    severity = _severity().get(check, "warning") if status == "fail" else "info"
    return _fnd.finding(
        check, message, table=table, row=row, column=column,
        location=location or _location(table, row, column), severity=severity, status=status,
        reported=reported, recomputed=recomputed,
    )


def _equal(a: float, b: float, tol: float = COUNT_TOLERANCE) -> bool:
    return abs(a - b) <= tol


def _sum_check(
    out: list[Finding],
    *,
    check: str,
    table: str,
    row: str | None,
    column: str | None,
    reported: float | None,
    parts: Sequence[tuple[str, float | None, float]],
    describe: str,
    include_passes: bool,
    tol: float = COUNT_TOLERANCE,
    relation: str = "eq",
    reported_name: str | None = None,
) -> None:
    """Compare ``reported`` against ``sum(sign * value for name, value, sign in parts)``.

    Emits ``not_assessable`` when the reported cell or an input is missing (a
    missing cell is not a pass), ``fail`` on disagreement and ``pass`` only if
    asked.
    """
    missing = [name for name, v, _ in parts if v is None]
    if reported is None:
        name = reported_name or f"{row}/{column}"
        missing = [f"{name} (the printed value being checked)"] + missing
    if missing:
        recomputed = None
        if all(v is not None for _, v, _ in parts):
            recomputed = sum(v * s for _, v, s in parts)  # type: ignore[operator]
        out.append(
            _finding(
                check,
                "not_assessable",
                table,
                row,
                column,
                reported,
                recomputed,
                f"{describe}: cannot be checked, blank or absent: {', '.join(missing)}",
            )
        )
        return
    recomputed = sum(v * s for _, v, s in parts)  # type: ignore[operator]
    assert reported is not None
    ok = _equal(reported, recomputed, tol) if relation == "eq" else reported + tol >= recomputed
    if ok:
        if include_passes:
            out.append(
                _finding(check, "pass", table, row, column, reported, recomputed, f"{describe}: OK")
            )
        return
    terms = " ".join(
        ("+ " if s > 0 else "- ") + f"{name} {_fmt(v)}" for name, v, s in parts
    ).lstrip("+ ")
    rel = "=" if relation == "eq" else ">="
    out.append(
        _finding(
            check,
            "fail",
            table,
            row,
            column,
            reported,
            recomputed,
            f"{describe}: printed {_fmt(reported)}, but {terms} = {_fmt(recomputed)} "
            f"(expected {rel}; difference {_fmt(reported - recomputed)})",
        )
    )


# --------------------------------------------------------------------------
# access to the report's tables
# --------------------------------------------------------------------------


def _table(report: Any, name: str) -> pd.DataFrame:
    """A table as a DataFrame (builds it on a Report: use :func:`_rows` in checks)."""
    df = getattr(report, name, None)
    if isinstance(df, pd.DataFrame):
        return df
    return pd.DataFrame()


class _Rows:
    """A table as plain records: ``columns`` (tuple of names) and ``rows`` (tuples)."""

    __slots__ = ("columns", "rows", "_index")

    def __init__(self, columns: Sequence[str] = (), rows: list[tuple] | None = None) -> None:
        self.columns = tuple(columns)
        self.rows = rows if rows is not None else []
        self._index = {c: i for i, c in enumerate(self.columns)}

    def __len__(self) -> int:
        return len(self.rows)

    def __contains__(self, column: str) -> bool:
        return column in self._index

    def index(self, column: str | None) -> int | None:
        return None if column is None else self._index.get(column)

    def column(self, column: str) -> list[Any]:
        i = self._index.get(column)
        if i is None:
            return [None] * len(self.rows)
        return [r[i] for r in self.rows]


def _frame_rows(df: pd.DataFrame) -> _Rows:
    """A DataFrame as :class:`_Rows` (values as Python objects, ``pd.NA`` for missing)."""
    columns = [str(c) for c in df.columns]
    if len(df) == 0 or not columns:
        return _Rows(columns, [])
    arrays = [df.iloc[:, i].tolist() for i in range(df.shape[1])]
    return _Rows(columns, list(zip(*arrays)))


def _rows(report: Any, name: str) -> _Rows:
    """A table of ``report`` as records, without building a DataFrame when the object
    keeps its tables as records (``report.records(name)``, as a Report does); other
    objects (a corpus slice, a SimpleNamespace of DataFrames) through their DataFrame."""
    records = getattr(report, "records", None)
    if callable(records) and not isinstance(report, pd.DataFrame):
        try:
            got = records(name)
        except (KeyError, AttributeError, TypeError):
            got = None
        if isinstance(got, tuple) and len(got) == 2:
            columns, rows = got
            return _Rows(columns, rows if isinstance(rows, list) else list(rows))
    df = getattr(report, name, None)
    if isinstance(df, pd.DataFrame):
        return _frame_rows(df)
    return _Rows()


def _meta(report: Any) -> dict[str, Any]:
    meta = getattr(report, "meta", None)
    return dict(meta) if isinstance(meta, Mapping) else {}


def _text(report: Any) -> str:
    text = getattr(report, "text", None)
    if callable(text):  # tolerate a method
        try:
            text = text()
        except TypeError:
            text = None
    if isinstance(text, str):
        return text
    sections = _rows(report, "sections")
    if len(sections) and "text" in sections:
        return "\n".join(str(t) for t in sections.column("text") if not _isna(t))
    return ""


class _Grid:
    """Lookup of a tidy table by (row key, column key)."""

    def __init__(self, table: _Rows | pd.DataFrame, row_key: str, col_key: str) -> None:
        if isinstance(table, pd.DataFrame):
            table = _frame_rows(table)
        self.values: dict[tuple[str, str], float | None] = {}
        self.raw: dict[tuple[str, str], str] = {}
        rows: dict[str, None] = {}
        self.rows: list[str] = []
        ri, ci = table.index(row_key), table.index(col_key)
        if not table.rows or ri is None or ci is None:
            return
        vi, wi = table.index("value"), table.index("raw")
        values, raws = self.values, self.raw
        for rec in table.rows:
            r, c = rec[ri], rec[ci]
            r = r if type(r) is str else _str(r)
            c = c if type(c) is str else _str(c)
            if r is None or c is None:
                continue
            rows[r] = None
            key = (r, c)
            if values.get(key) is None:
                values[key] = None if vi is None else _num(rec[vi])
                raw = None if wi is None else rec[wi]
                raws[key] = raw if type(raw) is str else ("" if _isna(raw) else str(raw))
        self.rows = list(rows)

    def get(self, row: str, col: str) -> float | None:
        return self.values.get((row, col))

    def __bool__(self) -> bool:
        return bool(self.values)


def _other_rows(layout: str | None, rows: Iterable[str]) -> list[str]:
    if layout == "2019":
        return OTHER_2019
    if layout == "2021":
        return OTHER_2021
    rows = list(rows)
    if any(r.startswith("other.") for r in rows):
        return OTHER_2021
    if "other" in rows:
        return OTHER_2019
    return OTHER_2021


def _outcome_rows(layout: str | None, rows: Iterable[str]) -> list[str]:
    return (
        ["granted", "partially_granted"]
        + WITHHELD
        + UNAVAILABLE
        + NOT_PROCESSED
        + _other_rows(layout, rows)
    )


def _application_rows(layout: str | None, rows: Iterable[str]) -> list[str]:
    return ["new_received", "carried_over"] + _outcome_rows(layout, rows) + [
        "processed_total",
        "carried_forward",
    ]


# --------------------------------------------------------------------------
# cell references and formulas (shared with indicators.py)
# --------------------------------------------------------------------------

_REF_RE = re.compile(r"\b([ADRST]):([A-Za-z_][A-Za-z0-9_.*]*(?::[A-Za-z_][A-Za-z0-9_.*]*)*)")


def _ref_parts(kind: str, body: str) -> tuple[str, str, str | None]:
    """Split a reference body: ``row:column`` for A/D/R; S and T take the whole body
    (a statistics code may itself contain colons: ``S:applications:new_received:total``)."""
    if kind in ("S", "T"):
        return kind, body, None
    a, _, b = body.partition(":")
    return kind, a, (b or None)


_CUMULATIVE = re.compile(r"cumul|累计")


class CellResolver:
    """Resolve cell references of the small formula language used in the data files.

    References: ``A:row:column`` (table 三, ``applications``), ``D:category:metric``
    (table 二), ``R:procedure:outcome`` (table 四), ``S:code`` (pre2019 统计指标,
    by its ``code`` column, e.g. ``S:applications:new_received:total``), ``T:subject`` (first number stated in the text for
    that subject).  A ``*`` in a row is a group sum (``A:withheld.*:total``) over
    the rows the layout defines; a group with any blank member is missing.

    Works on the records of a Report (no DataFrame is built) and on any object
    with the tables as DataFrames.
    """

    def __init__(self, report: Any) -> None:
        self.report = report
        self.meta = _meta(report)
        self.layout = self.meta.get("layout")
        self._tables: dict[str, _Rows] = {}
        self.applications = _Grid(self.rows("applications"), "row", "applicant")
        self.active = _Grid(self.rows("active_disclosure"), "category", "metric")
        self.review = _Grid(self.rows("review_litigation"), "procedure", "outcome")
        self.statistics_rows = self.rows("statistics")
        self._stat_index: dict[str, list[tuple[bool, bool, float | None]]] | None = None
        self._mentions: list[dict[str, Any]] | None = None
        self._universe: list[str] | None = None
        self._members: dict[str, list[str]] = {}

    def rows(self, name: str) -> _Rows:
        """A table of the report as records (read once)."""
        tab = self._tables.get(name)
        if tab is None:
            tab = self._tables[name] = _rows(self.report, name)
        return tab

    @property
    def statistics(self) -> pd.DataFrame:
        """The 统计指标 table as a DataFrame (built on access)."""
        return _table(self.report, "statistics")

    # -- references ------------------------------------------------------
    def _group(self, grid: _Grid, pattern: str, col: str) -> float | None:
        if "*" not in pattern:
            return grid.get(pattern, col)
        members = self._members.get(pattern)
        if members is None:
            if self._universe is None:
                self._universe = list(dict.fromkeys(_application_rows(self.layout, grid.rows) + grid.rows))
            members = [r for r in self._universe if fnmatch.fnmatchcase(r, pattern)]
            self._members[pattern] = members
        if not members:
            return None
        vals = [grid.get(r, col) for r in members]
        if any(v is None for v in vals):
            return None
        return float(sum(vals))  # type: ignore[arg-type]

    def _statistics_index(self) -> dict[str, list[tuple[bool, bool, float | None]]]:
        """code -> [(cumulative, mapped, value)] in table order."""
        if self._stat_index is None:
            st = self.statistics_rows
            index: dict[str, list[tuple[bool, bool, float | None]]] = {}
            ki, ci, mi, vi = st.index("code"), st.index("column"), st.index("mapped"), st.index("value")
            if ki is not None:
                for rec in st.rows:
                    code = rec[ki]
                    if _isna(code):
                        continue
                    col = "" if ci is None or _isna(rec[ci]) else str(rec[ci])
                    mapped = mi is not None and not _isna(rec[mi]) and bool(rec[mi])
                    value = None if vi is None else _num(rec[vi])
                    index.setdefault(str(code), []).append(
                        (bool(_CUMULATIVE.search(col)), mapped, value)
                    )
            self._stat_index = index
        return self._stat_index

    def _statistic(self, code: str) -> float | None:
        """A value of the pre2019 统计指标 table by its (mapped) canonical code."""
        sel = self._statistics_index().get(code)
        if not sel:
            return None
        if "column" in self.statistics_rows and len(sel) > 1:
            # the year's value before a cumulative one (历年累计)
            sel = [s for s in sel if not s[0]] + [s for s in sel if s[0]]
        if "mapped" in self.statistics_rows:
            mapped = [s for s in sel if s[1]]
            if mapped:
                sel = mapped
        for _, _, v in sel:
            if v is not None:
                return v
        return None

    def _statistic_cell(self, table: str, row: str, col: str) -> float | None:
        """The pre2019 counterpart of a later-layout cell (crosswalk), if mapped."""
        st = self.statistics_rows
        if not st.rows:
            return None
        ti, ri, ci, vi = st.index("table"), st.index("row"), st.index("column"), st.index("value")
        if ti is not None and ri is not None and ci is not None and vi is not None:
            for rec in st.rows:
                if str(rec[ti]) == table and str(rec[ri]) == row and str(rec[ci]) == col:
                    v = _num(rec[vi])
                    if v is not None:
                        return v
        candidates = [f"{table}.{row}.{col}", f"{table}:{row}:{col}", f"{row}.{col}", f"{row}:{col}"]
        if col == "total":
            candidates += [f"{table}.{row}", row]
        for code in candidates:
            v = self._statistic(code)
            if v is not None:
                return v
        return None

    def mentions(self) -> list[dict[str, Any]]:
        """The numbers stated in the text (records of :func:`stated_quantities`)."""
        if self._mentions is None:
            self._mentions = _stated(_text(self.report))
        return self._mentions

    def stated(self) -> pd.DataFrame:
        return _stated_frame(self.mentions())

    def value(self, kind: str, a: str, b: str | None) -> float | None:
        """Value of one reference, or None when missing."""
        if kind == "A":
            col = b or "total"
            v = self._group(self.applications, a, col)
            if v is None and not self.applications and "*" not in a:
                v = self._statistic_cell("applications", a, col)
            return v
        if kind == "D":
            v = self.active.get(a, b or "")
            if v is None and not self.active:
                v = self._statistic_cell("active_disclosure", a, b or "")
            return v
        if kind == "R":
            col = b or "total"
            v = self.review.get(a, col)
            if v is None and not self.review:
                v = self._statistic_cell("review_litigation", a, col)
            return v
        if kind == "S":
            return self._statistic(a)
        if kind == "T":
            for rec in self.mentions():
                if rec["subject"] == a:
                    return float(rec["quantity"])
            return None
        raise ValueError(f"unknown reference kind {kind!r}")

    def uses(self, formula: str) -> list[tuple[str, str, str | None]]:
        """The references a formula uses, in order."""
        return [_ref_parts(m.group(1), m.group(2)) for m in _REF_RE.finditer(formula)]


_BINOPS: dict[type, Callable[[float, float], float]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}


@lru_cache(maxsize=4096)
def _compile_formula(formula: str) -> tuple[tuple[tuple[str, str, str | None], ...], ast.Expression]:
    """A formula's references (in order) and its expression over ``_v0, _v1, …``;
    raises ValueError on anything but numbers, references, ``+ - * /``, unary minus
    and parentheses."""
    refs: list[tuple[str, str, str | None]] = []

    def _sub(m: re.Match[str]) -> str:
        refs.append(_ref_parts(m.group(1), m.group(2)))
        return f"_v{len(refs) - 1}"

    tree = ast.parse(_REF_RE.sub(_sub, formula), mode="eval")
    names = {f"_v{i}" for i in range(len(refs))}

    def _check(node: ast.AST) -> None:
        if isinstance(node, ast.Expression):
            return _check(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return None
        if isinstance(node, ast.Name) and node.id in names:
            return None
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return _check(node.operand)
        if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
            _check(node.left)
            return _check(node.right)
        raise ValueError(f"unsupported expression in formula {formula!r}")

    _check(tree)
    return tuple(refs), tree


def evaluate(formula: str, resolver: CellResolver) -> float | None:
    """Evaluate a formula of cell references; None (NA) when an input is missing
    or a denominator is zero.  An empty formula is NA."""
    formula = (formula or "").strip()
    if not formula or formula.upper() == "NA":
        return None
    refs, tree = _compile_formula(formula)
    env = [resolver.value(*ref) for ref in refs]

    def _ev(node: ast.AST) -> float | None:
        if isinstance(node, ast.BinOp):
            left, right = _ev(node.left), _ev(node.right)
            if left is None or right is None:
                return None
            if isinstance(node.op, ast.Div) and right == 0:
                return None
            return _BINOPS[type(node.op)](left, right)
        if isinstance(node, ast.Name):
            return env[int(node.id[2:])]
        if isinstance(node, ast.Constant):
            return float(node.value)
        if isinstance(node, ast.UnaryOp):
            v = _ev(node.operand)
            return None if v is None else -v
        raise ValueError(f"unsupported expression in formula {formula!r}")  # pragma: no cover

    return _ev(tree.body)


# --------------------------------------------------------------------------
# checks on single cells
# --------------------------------------------------------------------------


def _cell_checks(
    out: list[Finding],
    table: str,
    tab: _Rows,
    row_key: str,
    col_key: str | None,
    *,
    is_money: Callable[[tuple], bool] = lambda rec: False,
    may_be_negative: Callable[[tuple], bool] = lambda rec: False,
) -> None:
    """Per-cell checks: negative and non-integer values.  Rows marked ``mapped``
    (crosswalk copies of another table's cell) are skipped: the original is checked.

    (Doubtful printed cells — a leading zero, a unit that conflicts with the
    header — are findings of the reader: ``leading_zero``, ``unit_conflict``.)"""
    ri = tab.index(row_key)
    if not tab.rows or ri is None:
        return
    ci, vi, wi = tab.index(col_key), tab.index("value"), tab.index("raw")
    mi = tab.index("mapped") if table != "statistics" else None
    if vi is None:
        return
    for rec in tab.rows:
        v = _num(rec[vi])
        if v is None:
            continue
        if mi is not None and not _isna(rec[mi]) and bool(rec[mi]):
            continue
        negative = v < 0 and not may_be_negative(rec)
        fraction = not v.is_integer() and not is_money(rec)
        if not (negative or fraction):
            continue
        row = _str(rec[ri])
        col = None if ci is None else _str(rec[ci])
        raw = "" if wi is None or _isna(rec[wi]) else str(rec[wi])
        if negative:
            out.append(
                _finding(
                    f"{table}.negative", "fail", table, row, col, v, None,
                    f"negative value {_fmt(v)} (printed {raw!r}); counts and amounts cannot be negative",
                )
            )
        if fraction:
            out.append(
                _finding(
                    f"{table}.non_integer", "fail", table, row, col, v, float(round(v)),
                    f"count {_fmt(v)} (printed {raw!r}) is not a whole number",
                )
            )


# --------------------------------------------------------------------------
# table 三
# --------------------------------------------------------------------------


def _missing_summary(missing: list[tuple[str, str]], columns: Sequence[str]) -> str:
    by_row: dict[str, list[str]] = {}
    for r, c in missing:
        by_row.setdefault(r, []).append(c)
    parts = []
    for r, cols in by_row.items():
        if len(cols) == len(columns):
            parts.append(f"{r} (all {len(cols)} cells)")
        else:
            parts.append(f"{r}/{'+'.join(cols)}")
    return "; ".join(parts)


def _check_applications(ctx: CellResolver, out: list[Finding], include_passes: bool) -> None:
    layout = ctx.layout
    if layout == "pre2019":
        # pre2019 forms have no table 三; its rows here are crosswalk copies of the
        # 统计指标 table, which _check_statistics checks
        return
    grid = ctx.applications
    if not grid:
        if layout in ("2019", "2021"):
            n = len(_application_rows(layout, [])) * len(APPLICANT_COLUMNS)
            out.append(
                _finding(
                    "applications.incomplete", "fail", "applications", None, None, 0.0, float(n),
                    f"layout {layout} requires table 三 (收到和处理政府信息公开申请情况), but no cell was read",
                )
            )
        return

    rows = _application_rows(layout, grid.rows)
    outcomes = _outcome_rows(layout, grid.rows)

    # completeness
    expected = [(r, c) for r in rows for c in APPLICANT_COLUMNS]
    missing = [(r, c) for r, c in expected if grid.get(r, c) is None]
    if missing:
        out.append(
            _finding(
                "applications.incomplete", "fail", "applications", None, None,
                float(len(expected) - len(missing)), float(len(expected)),
                f"table 三 has {len(expected) - len(missing)} of {len(expected)} cells "
                f"(layout {layout or 'unknown'}); blank or absent: {_missing_summary(missing, APPLICANT_COLUMNS)}",
            )
        )

    for col in APPLICANT_COLUMNS:
        # 一 + 二 = 三 + 四, reported at carried_forward
        _sum_check(
            out,
            check="applications.identity",
            table="applications",
            row="carried_forward",
            column=col,
            reported=grid.get("carried_forward", col),
            reported_name="carried_forward",
            parts=[
                ("new_received", grid.get("new_received", col), 1.0),
                ("carried_over", grid.get("carried_over", col), 1.0),
                ("processed_total", grid.get("processed_total", col), -1.0),
            ],
            describe=f"table 三 column {col}: 一+二 = 三+四 (carried_forward = new_received + carried_over - processed_total)",
            include_passes=include_passes,
        )
        # processed_total = sum of outcomes
        _sum_check(
            out,
            check="applications.outcome_sum",
            table="applications",
            row="processed_total",
            column=col,
            reported=grid.get("processed_total", col),
            reported_name="processed_total",
            parts=[(r, grid.get(r, col), 1.0) for r in outcomes],
            describe=f"table 三 column {col}: (七)总计 = sum of the {len(outcomes)} outcome rows",
            include_passes=include_passes,
        )

    known = set(rows)
    extra_rows = [r for r in grid.rows if r not in known]
    for row in rows + extra_rows:
        _sum_check(
            out,
            check="applications.row_sum",
            table="applications",
            row=row,
            column="total",
            reported=grid.get(row, "total"),
            reported_name="total",
            parts=[(c, grid.get(row, c), 1.0) for c in APPLICANTS],
            describe=f"table 三 row {row}: 总计 = sum of the six applicant columns",
            include_passes=include_passes,
        )

    _cell_checks(out, "applications", ctx.rows("applications"), "row", "applicant")


# --------------------------------------------------------------------------
# table 四
# --------------------------------------------------------------------------


def _check_review_litigation(ctx: CellResolver, out: list[Finding], include_passes: bool) -> None:
    layout = ctx.layout
    if layout == "pre2019":  # crosswalk copies of the 统计指标 table
        return
    grid = ctx.review
    if not grid:
        if layout in ("2019", "2021"):
            out.append(
                _finding(
                    "review_litigation.incomplete", "fail", "review_litigation", None, None, 0.0, 15.0,
                    f"layout {layout} requires table 四 (行政复议、行政诉讼情况), but no cell was read",
                )
            )
        return
    expected = [(p, o) for p in PROCEDURES for o in RL_OUTCOMES]
    missing = [(p, o) for p, o in expected if grid.get(p, o) is None]
    if missing:
        out.append(
            _finding(
                "review_litigation.incomplete", "fail", "review_litigation", None, None,
                float(len(expected) - len(missing)), float(len(expected)),
                f"table 四 has {len(expected) - len(missing)} of {len(expected)} cells; "
                f"blank or absent: {_missing_summary(missing, RL_OUTCOMES)}",
            )
        )
    for proc in PROCEDURES:
        _sum_check(
            out,
            check="review_litigation.sum",
            table="review_litigation",
            row=proc,
            column="total",
            reported=grid.get(proc, "total"),
            reported_name="total",
            parts=[(o, grid.get(proc, o), 1.0) for o in RL_PARTS],
            describe=f"table 四 {proc}: 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结",
            include_passes=include_passes,
        )
    _cell_checks(out, "review_litigation", ctx.rows("review_litigation"), "procedure", "outcome")


# --------------------------------------------------------------------------
# table 二
# --------------------------------------------------------------------------


def _check_active_disclosure(ctx: CellResolver, out: list[Finding], include_passes: bool) -> None:
    tab = ctx.rows("active_disclosure")
    if not tab.rows or "category" not in tab:
        return
    mi = tab.index("metric")

    def metric(rec: tuple) -> str:
        return "None" if mi is None else str(rec[mi])

    _cell_checks(
        out,
        "active_disclosure",
        tab,
        "category",
        "metric",
        is_money=lambda rec: metric(rec) in MONEY_METRICS,
        may_be_negative=lambda rec: metric(rec) in SIGNED_METRICS,
    )


# --------------------------------------------------------------------------
# pre2019 统计指标
# --------------------------------------------------------------------------

_NUMBERING = re.compile(
    r"^\s*(?:其中\s*[:：]?\s*)?(?:[(（][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+\s*[、.．]|\d+\s*[、.．])?\s*"
    r"(?:其中\s*[:：]?\s*)?"
)
_WHITESPACE = re.compile(r"\s+")


@lru_cache(maxsize=8192)
def _norm_label_str(s: str) -> str:
    s = unicodedata.normalize("NFKC", s)
    s = _WHITESPACE.sub("", s)
    return _NUMBERING.sub("", s)


def _norm_label(label: Any) -> str:
    return _norm_label_str("" if _isna(label) else str(label))


def _check_statistics(ctx: CellResolver, out: list[Finding], include_passes: bool) -> None:
    st = ctx.statistics_rows
    ii = st.index("indicator")
    if not st.rows or ii is None:
        return
    # one group per value column if the table has several (e.g. 本年度 / 历年累计)
    group_col = next((c for c in ("column", "period", "measure") if c in st), None)
    if group_col is None:
        groups: list[tuple[Any, list[tuple]]] = [(None, st.rows)]
    else:
        gi = st.index(group_col)
        by_key: dict[Any, list[tuple]] = {}
        for rec in st.rows:
            k = rec[gi]
            by_key.setdefault(None if _isna(k) else k, []).append(rec)
        groups = list(by_key.items())
    vi, pi = st.index("value"), st.index("parent")
    rules = _statistics_rules()
    for gkey, g in groups:
        n = len(g)
        indicators = [rec[ii] for rec in g]
        labels = [_norm_label(x) for x in indicators]
        values = [None if vi is None else _num(rec[vi]) for rec in g]
        parents = [None if pi is None or _isna(rec[pi]) else _norm_label(rec[pi]) for rec in g]
        column = None if gkey is None else str(gkey)
        for rule in rules:
            for i, lab in enumerate(labels):
                if not rule["parent"].search(lab):
                    continue
                parent_label = str(indicators[i]).strip()
                norm_parent = _norm_label(parent_label)
                window = range(i + 1, min(n, i + 25))
                scoped = [j for j in window if parents[j] is not None and parents[j] == norm_parent]
                parts = []
                for child in rule["children"]:
                    j = next((j for j in (scoped or window) if child.search(labels[j])), None)
                    if j is None:
                        parts.append((child.pattern + " (row absent)", None, 1.0))
                    else:
                        parts.append((str(indicators[j]).strip(), values[j], 1.0))
                _sum_check(
                    out,
                    check="statistics.children_sum",
                    table="statistics",
                    row=parent_label,
                    column=column,
                    reported=values[i],
                    reported_name=parent_label,
                    parts=parts,
                    describe=f"统计指标 {parent_label}: {rule['description']}",
                    include_passes=include_passes,
                    relation=rule["relation"],
                )
    ui = st.index("unit")

    def is_money(rec: tuple) -> bool:
        unit = None if ui is None else rec[ui]
        return ("" if _isna(unit) or not unit else str(unit)).strip() not in COUNT_UNITS

    _cell_checks(out, "statistics", st, "indicator", group_col, is_money=is_money)


# --------------------------------------------------------------------------
# narrative against tables
# --------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"[。！？!?；;\n]")
_SPACES = re.compile(r"[ \t\u3000\xa0]+")
_THOUSANDS = re.compile(r",(?<=\d,)(?=\d{3}(?!\d))")  # (?<=\d),… with the literal first: fast to search


def _prepare_text(text: str) -> str:
    """Narrative text only, one paragraph per line, spaces and line breaks inside
    sentences removed (PDF copies break lines mid-sentence), NFKC-normalised."""
    text = unicodedata.normalize("NFKC", text or "")
    joined = "".join("\n" if "|" in line else line.strip() for line in text.splitlines())
    if "," in joined:
        joined = _THOUSANDS.sub("", joined)
    return _SPACES.sub("", joined)


def _sentence_at(text: str, pos: int, ends: list[int] | None = None) -> str:
    """The sentence around ``pos``; ``ends`` are the positions of the sentence ends."""
    if ends is None:
        ends = [m.start() for m in _SENTENCE_END.finditer(text)]
    i = bisect_left(ends, pos)
    start = ends[i - 1] + 1 if i else 0
    end = ends[i] + 1 if i < len(ends) else len(text)
    return text[start:end].strip()


def _previous_sentence(text: str, pos: int, ends: list[int] | None = None) -> str:
    if ends is None:
        ends = [m.start() for m in _SENTENCE_END.finditer(text)]
    i = bisect_left(ends, pos)
    if not i:
        return ""
    start = ends[i - 2] + 1 if i >= 2 else 0
    return text[start:ends[i - 1] + 1]


# -- where a narrative rule can match -------------------------------------
#
# Each rule's regex is analysed once (``re._parser``): the characters it can never
# consume (e.g. '，' for a rule without a class that accepts it) cut a text into
# segments that no match can span, and the literals (and the digit of ``n``) that
# every match contains say which segments can hold a match.  Only those are
# searched, with ``regex.finditer(text, start, end)`` on the whole text (so
# look-behinds still see what precedes a segment): the same matches as a search
# of the whole text, found in a fraction of the time.  Rules whose regex cannot be
# analysed safely (look-aheads, anchors, back-references, empty matches) are run on
# the whole text.

_BOUNDARY_CANDIDATES = "。；;，,、！？!?：:\n"
#: the segmentations used (finest first); a rule uses the finest one whose characters it never consumes
#: (a rule that can consume all of them is searched on the whole text)
_CANONICAL_BOUNDARIES = ("。；;，,、！？!?：:", "。；;")
#: a literal found more often than this is a poor anchor: search the whole text instead
_MAX_ANCHORS = 24
_ALL_CUTS = re.compile("[" + re.escape(_BOUNDARY_CANDIDATES) + "]")
_DIGIT_RUNS = re.compile(r"\d+")
_CATEGORY_TESTS = {
    "CATEGORY_DIGIT": r"\d", "CATEGORY_NOT_DIGIT": r"\D", "CATEGORY_SPACE": r"\s",
    "CATEGORY_NOT_SPACE": r"\S", "CATEGORY_WORD": r"\w", "CATEGORY_NOT_WORD": r"\W",
}


class _Unsafe(Exception):
    pass


def _consumers(items: Any) -> Iterator[tuple[Any, Any]]:
    """The leaf opcodes of a parsed regex that consume a character."""
    C = _re_constants
    for op, av in items:
        if op in (C.LITERAL, C.NOT_LITERAL, C.IN, C.ANY):
            yield op, av
        elif op is C.SUBPATTERN:
            yield from _consumers(av[-1])
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT) or op is getattr(C, "POSSESSIVE_REPEAT", None):
            yield from _consumers(av[2])
        elif op is C.BRANCH:
            for alt in av[1]:
                yield from _consumers(alt)
        elif op is getattr(C, "ATOMIC_GROUP", None):
            yield from _consumers(av)
        elif op in (C.ASSERT, C.ASSERT_NOT) and av[0] < 0:
            continue  # a look-behind reads what precedes: the whole text is searched
        else:
            raise _Unsafe(op)


def _can_consume(op: Any, av: Any, ch: str) -> bool:
    C = _re_constants
    o = ord(ch)
    if op is C.LITERAL:
        return av == o
    if op is C.NOT_LITERAL:
        return av != o
    if op is C.ANY:
        return True
    if op is C.IN:
        negate = False
        hit = False
        for iop, iav in av:
            if iop is C.NEGATE:
                negate = True
            elif iop is C.LITERAL:
                hit = hit or iav == o
            elif iop is C.RANGE:
                hit = hit or iav[0] <= o <= iav[1]
            elif iop is C.CATEGORY and str(iav) in _CATEGORY_TESTS:
                hit = hit or re.match(_CATEGORY_TESTS[str(iav)], ch) is not None
            else:
                return True  # unknown: assume it can
        return hit != negate
    return True


def _required(items: Any, out: list[str], digit: list[bool]) -> None:
    """Literal strings (and a digit) that every match contains: runs of mandatory
    literals, looking into groups and into repeats of at least one."""
    C = _re_constants
    run: list[str] = []
    for op, av in items:
        if op is C.LITERAL:
            run.append(chr(av))
            continue
        if run:
            out.append("".join(run))
            run = []
        if op is C.SUBPATTERN:
            _required(av[-1], out, digit)
        elif (op in (C.MAX_REPEAT, C.MIN_REPEAT) or op is getattr(C, "POSSESSIVE_REPEAT", None)) and av[0] >= 1:
            _required(av[2], out, digit)
        elif op is C.IN and len(av) == 1 and av[0][0] is C.CATEGORY and str(av[0][1]) == "CATEGORY_DIGIT":
            digit[0] = True
    if run:
        out.append("".join(run))


def _scan_plan(regex: re.Pattern[str]) -> dict[str, Any] | None:
    """What a match of ``regex`` needs: ``boundaries`` (characters it never consumes),
    ``literals`` and ``digit``; None when the regex is searched on the whole text."""
    try:
        if regex.flags & (re.IGNORECASE | re.MULTILINE | re.DOTALL | re.VERBOSE):
            return None
        parsed = _re_parser.parse(regex.pattern)
        if parsed.getwidth()[0] <= 0:
            return None
        leaves = list(_consumers(list(parsed)))
        boundaries = "".join(
            ch for ch in _BOUNDARY_CANDIDATES if not any(_can_consume(op, av, ch) for op, av in leaves)
        )
        literals: list[str] = []
        digit = [False]
        _required(list(parsed), literals, digit)
    except Exception:  # noqa: BLE001 - anything unexpected: search the whole text
        return None
    canonical = next((c for c in _CANONICAL_BOUNDARIES if set(c) <= set(boundaries)), None)
    # a regex that starts with a literal is searched fast by the re engine itself
    segment = canonical is not None and parsed[0][0] is not _re_constants.LITERAL
    return {"boundaries": canonical, "literals": sorted(set(literals)), "digit": digit[0], "segment": segment}


class _Scanner:
    """One prepared text: where its boundary characters, literals and digits are."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._all_cuts: list[int] | None = None
        self._cuts: dict[str, list[int]] = {}
        self._positions: dict[str, list[int]] = {}

    def cuts(self, boundaries: str) -> list[int]:
        """Positions of the characters of ``boundaries`` (one of _CANONICAL_BOUNDARIES)."""
        cuts = self._cuts.get(boundaries)
        if cuts is None:
            if self._all_cuts is None:
                self._all_cuts = [m.start() for m in _ALL_CUTS.finditer(self.text)]
            text = self.text
            cuts = self._cuts[boundaries] = [p for p in self._all_cuts if text[p] in boundaries]
        return cuts

    def positions(self, literal: str) -> list[int]:
        out = self._positions.get(literal)
        if out is None:
            text, out = self.text, []
            i = text.find(literal)
            while i >= 0:
                out.append(i)
                i = text.find(literal, i + 1)
            self._positions[literal] = out
        return out

    def finditer(self, regex: re.Pattern[str], plan: dict[str, Any] | None) -> Iterator[re.Match[str]]:
        text = self.text
        if plan is None:
            yield from regex.finditer(text)
            return
        if not plan["segment"] or not plan["literals"]:
            if all(lit in text for lit in plan["literals"]):
                yield from regex.finditer(text)
            return
        # the rarest literal anchors the candidate segments; the others and a digit must be there too
        found = [self.positions(lit) for lit in plan["literals"]]
        if not all(found):
            return
        k_anchor = min(range(len(found)), key=lambda k: len(found[k]))
        if len(found[k_anchor]) > _MAX_ANCHORS:
            yield from regex.finditer(text)
            return
        rest = [lit for k, lit in enumerate(plan["literals"]) if k != k_anchor]
        digit = plan["digit"]
        cuts = self.cuts(plan["boundaries"])
        n_cuts, end_text = len(cuts), len(text)
        last = -1
        for p in found[k_anchor]:
            k = bisect_right(cuts, p)
            if k == last:
                continue
            last = k
            a = cuts[k - 1] + 1 if k else 0
            b = cuts[k] if k < n_cuts else end_text
            if rest and not all(text.find(lit, a, b) >= 0 for lit in rest):
                continue
            if digit and _DIGIT_RUNS.search(text, a, b) is None:
                continue
            yield from regex.finditer(text, a, b)


@lru_cache(maxsize=64)
def _stated_cached(text: str) -> tuple[dict[str, Any], ...]:
    prepared = _prepare_text(text)
    ends = [m.start() for m in _SENTENCE_END.finditer(prepared)]
    scanner = _Scanner(prepared)
    records: list[dict[str, Any]] = []
    seen: set[tuple[str, int]] = set()
    claimed: set[int] = set()
    for rule in _narrative_rules():
        for m in scanner.finditer(rule["regex"], rule["plan"]):
            groups = m.groupdict()
            if groups.get("n") is not None:
                pos = m.start("n")
                quantity = float(groups["n"])
            elif "zero" in groups:
                pos = m.start()
                quantity = 0.0
            else:
                continue
            sentence = _sentence_at(prepared, pos, ends)
            if rule["exclude"] is not None and rule["exclude"].search(sentence):
                continue
            if rule["require"] is not None and not rule["require"].search(
                _previous_sentence(prepared, pos, ends) + sentence
            ):
                continue
            key = (rule["subject"], pos)
            if key in seen or (groups.get("n") is not None and pos in claimed):
                continue
            if groups.get("n") is None:
                # one statement of absence per subject and sentence
                skey = (rule["subject"], -hash(sentence))
                if skey in seen:
                    continue
                seen.add(skey)
            seen.add(key)
            if groups.get("n") is not None:
                claimed.add(pos)
            records.append(
                {
                    "subject": rule["subject"],
                    "quantity": quantity,
                    "sentence": sentence,
                    "match": m.group(0),
                    "start": pos,
                    "targets": rule["targets"],
                }
            )
    records.sort(key=lambda r: r["start"])  # stable: rule order among equal starts
    return tuple(records)


def _stated(text: str) -> list[dict[str, Any]]:
    """Records of :func:`stated_quantities` (shared, do not modify them)."""
    return list(_stated_cached(text or ""))


_STATED_COLUMNS = ["subject", "quantity", "sentence", "match", "start", "targets"]


def _stated_frame(records: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    return pd.DataFrame([dict(r) for r in records], columns=_STATED_COLUMNS)


def stated_quantities(text: str) -> pd.DataFrame:
    """Numbers stated in the narrative that refer to a table cell.

    Returns ``subject, quantity, sentence, match, start, targets`` (one row per
    mention, every mention, in text order).  ``targets`` is the formula of the
    cell(s) the number refers to, alternatives separated by ``|``.  Patterns are
    data: ``govreport/data/narrative_checks.csv``.  Statements of absence such as
    ``未收到…政府信息公开申请`` are mentions of 0.
    """
    return _stated_frame(_stated(text))


_TABLE_OF_KIND = {"A": "applications", "D": "active_disclosure", "R": "review_litigation", "S": "statistics"}


@lru_cache(maxsize=1024)
def _target_cell(formula: str) -> tuple[str, str | None, str | None]:
    refs = [_ref_parts(k, body) for k, body in _REF_RE.findall(formula)]
    if not refs:
        return "text", None, None
    tables = {_TABLE_OF_KIND.get(k, "text") for k, _, _ in refs}
    table = tables.pop() if len(tables) == 1 else "text"
    rows = " + ".join(a for _, a, _ in refs)
    cols = {b or "total" for _, _, b in refs}
    col = cols.pop() if len(cols) == 1 else None
    return table, rows, col


def _check_narrative(ctx: CellResolver, out: list[Finding], include_passes: bool) -> None:
    mentions = ctx.mentions()
    for rec in mentions:
        if not rec["targets"]:
            continue
        alternatives = [a.strip() for a in rec["targets"].split("|") if a.strip()]
        values = [evaluate(a, ctx) for a in alternatives]
        table, row, column = _target_cell(alternatives[0])
        q = float(rec["quantity"])
        tol = MONEY_TOLERANCE if column in MONEY_METRICS else COUNT_TOLERANCE
        loc = _location(table, row, column, extra="text vs")
        sentence = rec["sentence"]
        stated = f"the text states {rec['subject']} = {_fmt(q)} in «{sentence}»"
        if all(v is None for v in values):
            out.append(
                _finding(
                    "narrative.mismatch", "not_assessable", table, row, column, None, q,
                    f"{stated}, but the cell is blank or absent", location=loc,
                )
            )
            continue
        if any(v is not None and _equal(v, q, tol) for v in values):
            if include_passes:
                out.append(
                    _finding("narrative.mismatch", "pass", table, row, column,
                             next(v for v in values if v is not None), q, f"{stated}: OK", location=loc)
                )
            continue
        reported = next(v for v in values if v is not None)
        alts = "; ".join(f"{a.strip()} = {_fmt(v)}" for a, v in zip(alternatives, values))
        out.append(
            _finding(
                "narrative.mismatch", "fail", table, row, column, reported, q,
                f"{stated}, but the table has {alts}", location=loc,
            )
        )


# --------------------------------------------------------------------------
# entry points
# --------------------------------------------------------------------------

_CHECKS: tuple[tuple[str, Callable[[CellResolver, list[Finding], bool], None]], ...] = (
    ("applications", _check_applications),
    ("review_litigation", _check_review_litigation),
    ("active_disclosure", _check_active_disclosure),
    ("statistics", _check_statistics),
    ("text", _check_narrative),
)


def findings(report: Any, *, include_passes: bool = False) -> list[Finding]:
    """Run every single-report check on ``report``; the findings as a list of
    :class:`govreport.findings.Finding` (no DataFrame is built).

    ``report`` is a Report (its tables are read as records) or any object with
    attributes ``meta`` (dict), ``applications``, ``active_disclosure``,
    ``review_litigation``, ``statistics`` (DataFrames in the contract's tidy form)
    and ``text`` (str).  Missing attributes count as empty tables.  The report is
    not modified.
    """
    out: list[Finding] = []
    try:
        ctx = CellResolver(report)
    except Exception as exc:  # a bug must not stop reading a report
        return [_finding("validate.internal_error", "fail", "report", None, None, None, None,
                         f"the checks stopped: {type(exc).__name__}: {exc}")]
    for name, check in _CHECKS:
        try:
            check(ctx, out, include_passes)
        except Exception as exc:  # a bug in one check must not stop reading a report
            out.append(
                _finding(
                    "validate.internal_error", "fail", name, None, None, None, None,
                    f"the checks on {TABLE_LABELS.get(name, name)} stopped: {type(exc).__name__}: {exc}",
                )
            )
    return out


def validate(report: Any, *, include_passes: bool = False) -> pd.DataFrame:
    """Run every single-report check on ``report`` and return the findings as a
    DataFrame (columns ``FINDINGS_COLUMNS``); see :func:`findings`."""
    return _fnd.frame(findings(report, include_passes=include_passes))


def validate_report(report: Any, *, include_passes: bool = False) -> Any:
    """Append ``validate(report)`` to ``report.findings`` (in place) and return ``report``.

    Findings already present are not duplicated.
    """
    new = validate(report, include_passes=include_passes)
    old = getattr(report, "findings", None)
    if isinstance(old, pd.DataFrame) and not old.empty:
        combined = pd.concat([old, new], ignore_index=True)
        key = [c for c in FINDINGS_COLUMNS if c in combined.columns]
        combined = combined.loc[~combined[key].astype(str).duplicated()].reset_index(drop=True)
    else:
        combined = new
    report.findings = combined
    return report


# --------------------------------------------------------------------------
# corpus: cross-year checks
# --------------------------------------------------------------------------


def _is_single_report(obj: Any) -> bool:
    """A Report-like object (has ``meta``), as opposed to a Corpus or a collection."""
    return hasattr(obj, "meta") and not isinstance(getattr(obj, "reports", None), pd.DataFrame)


def _iter_reports(
    obj: Any, tables: Sequence[str] = _TABLE_NAMES + ("sections",)
) -> Iterator[tuple[str | None, Any]]:
    """Yield ``(report_id, report_like)`` for a report, a list of reports or a Corpus
    (for a Corpus, only ``tables`` are split out per report)."""
    reports_table = getattr(obj, "reports", None)
    if isinstance(reports_table, pd.DataFrame):
        yield from _split_corpus(obj, reports_table, tables)
        return
    if _is_single_report(obj):
        yield None, obj
        return
    if isinstance(obj, Mapping):
        for rid, rep in obj.items():
            yield str(rid), rep
        return
    for i, rep in enumerate(obj):
        meta = _meta(rep)
        rid = meta.get("report_id") or meta.get("source") or str(i)
        yield str(rid), rep


def _split_corpus(
    corpus: Any, reports: pd.DataFrame, tables: Sequence[str] = _TABLE_NAMES + ("sections",)
) -> Iterator[tuple[str, Any]]:
    """Yield one lightweight report view per row of ``corpus.reports``.

    Each table is grouped once by ``report_id`` (linear in the corpus size)."""
    frames: dict[str, pd.DataFrame] = {}
    index: dict[str, dict[Any, Any]] = {}
    for name in tables:
        df = _table(corpus, name)
        if not df.empty and "report_id" in df.columns:
            frames[name] = df.drop(columns="report_id")
            index[name] = df.groupby(df["report_id"].astype(str), sort=False).indices
    texts = getattr(corpus, "texts", None)
    for rec in reports.to_dict("records"):
        rid = str(rec.get("report_id"))
        view: dict[str, Any] = {}
        for name in tables:
            pos = index.get(name, {}).get(rid)
            if pos is None:
                view[name] = pd.DataFrame()
            else:
                view[name] = frames[name].iloc[pos].reset_index(drop=True)
        meta = {k: (None if _isna(v) else v) for k, v in rec.items()}
        if meta.get("year") is not None:
            try:
                meta["year"] = int(meta["year"])
            except (TypeError, ValueError):
                meta["year"] = None
        text = ""
        if isinstance(texts, Mapping):
            text = str(texts.get(rid, "") or "")
        elif "sections" in view and not view["sections"].empty and "text" in view["sections"].columns:
            text = "\n".join(str(t) for t in view["sections"]["text"].dropna())
        yield rid, SimpleNamespace(meta=meta, text=text, **view)


def validate_corpus(
    corpus: Any, *, include_reports: bool = False, include_passes: bool = False
) -> pd.DataFrame:
    """Cross-year checks for a corpus; returns findings with a leading ``report_id``.

    For every agency present in consecutive years t, t+1:

    * ``cross_year.carried``: carried_forward(t) = carried_over(t+1), per applicant
      column (reported in the report of year t+1, row ``carried_over``);
    * ``cross_year.in_force``: in_force(t) = in_force(t-1) + issued(t) - repealed(t)
      for regulations and normative documents (both years in layout 2021).

    With ``include_reports=True`` the single-report checks of every report are
    included as well.
    """
    needed = _TABLE_NAMES + ("sections",) if include_reports else ("applications", "active_disclosure")
    items = list(_iter_reports(corpus, needed))
    frames: list[pd.DataFrame] = []
    if include_reports:
        for rid, rep in items:
            f = validate(rep, include_passes=include_passes)
            f.insert(0, "report_id", rid)
            frames.append(f)

    by_agency: dict[str, dict[int, tuple[str | None, Any]]] = {}
    for rid, rep in items:
        meta = _meta(rep)
        agency, year = meta.get("agency"), meta.get("year")
        if not agency or year is None:
            continue
        try:
            year = int(year)
        except (TypeError, ValueError):
            continue
        by_agency.setdefault(str(agency), {}).setdefault(year, (rid, rep))

    cross: list[Finding] = []
    cross_ids: list[str | None] = []
    for agency, years in by_agency.items():
        for year in sorted(years):
            if year - 1 not in years:
                continue
            prev_id, prev = years[year - 1]
            cur_id, cur = years[year]
            out: list[Finding] = []
            _cross_carried(prev, cur, year, out, include_passes)
            _cross_in_force(prev, cur, year, out, include_passes)
            for rec in out:
                rec.message = f"{agency} {year - 1}→{year} (previous report {prev_id}): {rec.message}"
            cross.extend(out)
            cross_ids.extend([cur_id] * len(out))
    if cross:
        f = _fnd.frame(cross)
        f.insert(0, "report_id", cross_ids)
        frames.append(f)
    if not frames:
        f = empty_findings()
        f.insert(0, "report_id", pd.Series(dtype=object))
        return f
    return pd.concat(frames, ignore_index=True)


def _cross_carried(prev: Any, cur: Any, year: int, out: list[Finding], include_passes: bool) -> None:
    if "pre2019" in (_meta(prev).get("layout"), _meta(cur).get("layout")):
        return  # the pre2019 forms have no 结转 rows: not applicable (not "missing")
    g_prev = _Grid(_rows(prev, "applications"), "row", "applicant")
    g_cur = _Grid(_rows(cur, "applications"), "row", "applicant")
    if not g_prev or not g_cur:
        return
    for col in APPLICANT_COLUMNS:
        _sum_check(
            out,
            check="cross_year.carried",
            table="applications",
            row="carried_over",
            column=col,
            reported=g_cur.get("carried_over", col),
            reported_name="carried_over",
            parts=[(f"carried_forward({year - 1})", g_prev.get("carried_forward", col), 1.0)],
            describe=f"上年结转 {year} = 结转下年度 {year - 1}, column {col}",
            include_passes=include_passes,
        )


def _cross_in_force(prev: Any, cur: Any, year: int, out: list[Finding], include_passes: bool) -> None:
    if _meta(prev).get("layout") != "2021" or _meta(cur).get("layout") != "2021":
        return
    g_prev = _Grid(_rows(prev, "active_disclosure"), "category", "metric")
    g_cur = _Grid(_rows(cur, "active_disclosure"), "category", "metric")
    if not g_prev or not g_cur:
        return
    for cat in ("regulation", "normative_document"):
        _sum_check(
            out,
            check="cross_year.in_force",
            table="active_disclosure",
            row=cat,
            column="in_force",
            reported=g_cur.get(cat, "in_force"),
            reported_name="in_force",
            parts=[
                (f"in_force({year - 1})", g_prev.get(cat, "in_force"), 1.0),
                (f"issued({year})", g_cur.get(cat, "issued"), 1.0),
                (f"repealed({year})", g_cur.get(cat, "repealed"), -1.0),
            ],
            describe=f"现行有效件数 {year} = 现行有效 {year - 1} + 制发 {year} - 废止 {year} ({cat})",
            include_passes=include_passes,
        )

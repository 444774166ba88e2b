"""Arithmetic and consistency checks on parsed reports (findings per cell).

A number in a paper must be right or visibly doubtful.  This module recomputes
every identity that the official forms imply and reports each disagreement as
one *finding* (one row of a DataFrame) that names the table, the row and the
column, and keeps the value the report printed (``reported``) beside the value
recomputed from the other cells (``recomputed``).  Nothing is ever overwritten.

Public API
----------
``validate(report, include_passes=False) -> DataFrame``
    Pure function: findings for one report (any object with attributes
    ``meta, applications, active_disclosure, review_litigation, statistics,
    text``).
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
"""

from __future__ import annotations

import ast
import fnmatch
import operator
import re
import unicodedata
from functools import lru_cache
from importlib import resources
from types import SimpleNamespace
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

import pandas as pd

__all__ = [
    "FINDINGS_COLUMNS",
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

APPLICANTS: list[str] = [
    "natural_person",
    "commercial_enterprise",
    "research_institution",
    "social_welfare_org",
    "legal_service_org",
    "other_org",
]
APPLICANT_COLUMNS: list[str] = APPLICANTS + ["total"]

WITHHELD: list[str] = [
    "withheld.state_secret",
    "withheld.law_prohibited",
    "withheld.security_stability",
    "withheld.third_party",
    "withheld.internal_affairs",
    "withheld.process_info",
    "withheld.enforcement_file",
    "withheld.admin_query",
]
UNAVAILABLE: list[str] = [
    "unavailable.not_held",
    "unavailable.needs_creation",
    "unavailable.unclear",
]
NOT_PROCESSED: list[str] = [
    "not_processed.complaint",
    "not_processed.duplicate",
    "not_processed.publication",
    "not_processed.excessive",
    "not_processed.confirmation",
]
OTHER_2021: list[str] = ["other.overdue_correction", "other.unpaid_fee", "other.other"]
OTHER_2019: list[str] = ["other"]

PROCEDURES: list[str] = ["review", "litigation_direct", "litigation_after_review"]
RL_PARTS: list[str] = ["upheld", "corrected", "other", "pending"]
RL_OUTCOMES: list[str] = RL_PARTS + ["total"]

#: metrics of table 二 that are money and may be decimal
MONEY_METRICS: frozenset[str] = frozenset({"amount_10k_yuan", "procurement_amount"})
#: metrics of table 二 that may be negative (2019: 本年增/减)
SIGNED_METRICS: frozenset[str] = frozenset({"change"})
#: units of the pre2019 statistics table that are counts
COUNT_UNITS: frozenset[str] = frozenset({"条", "件", "次", "个", "人", "篇", "人次", "项", "家", "场"})

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
    rules = []
    for rec in _read_data_csv("narrative_checks.csv").to_dict("records"):
        rules.append(
            {
                "subject": rec["subject"],
                "regex": re.compile(rec["pattern"]),
                "targets": rec["targets"].strip(),
                "exclude": re.compile(rec["exclude"]) if rec["exclude"].strip() else None,
                "require": re.compile(rec["require"]) if rec.get("require", "").strip() else None,
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
    return _findings_frame([])


def _findings_frame(records: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    df = pd.DataFrame(list(records), columns=FINDINGS_COLUMNS)
    for col in FINDINGS_COLUMNS:
        if col in ("reported", "recomputed"):
            df[col] = pd.array(
                [None if _isna(v) else float(v) for v in df[col]], dtype="Float64"
            )
        else:
            df[col] = df[col].astype("string")
    return df.reset_index(drop=True)


def _isna(v: Any) -> bool:
    if v is None:
        return True
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def _num(v: Any) -> float | None:
    """Convert a cell value to float, or None when missing."""
    if _isna(v):
        return None
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


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
) -> dict[str, Any]:
    severity = _severity().get(check, "warning") if status == "fail" else "info"
    return {
        "table": table,
        "location": location or _location(table, row, column),
        "check": check,
        "severity": severity,
        "status": status,
        "row": row,
        "column": column,
        "reported": reported,
        "recomputed": recomputed,
        "message": message,
    }


def _equal(a: float, b: float, tol: float = COUNT_TOLERANCE) -> bool:
    return abs(a - b) <= tol


def _sum_check(
    out: list[dict[str, Any]],
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
    values = [v for _, v, _ in parts]
    missing = [name for name, v, _ in parts if v is None]
    if reported is None:
        name = reported_name or f"{row}/{column}"
        missing = [f"{name} (the printed value being checked)"] + missing
    if missing:
        recomputed = None
        if all(v is not None for v in values):
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
    df = getattr(report, name, None)
    if isinstance(df, pd.DataFrame):
        return df
    return pd.DataFrame()


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
    sections = _table(report, "sections")
    if not sections.empty and "text" in sections.columns:
        return "\n".join(str(t) for t in sections["text"].dropna())
    return ""


class _Grid:
    """Lookup of a tidy table by (row key, column key)."""

    def __init__(self, df: pd.DataFrame, row_key: str, col_key: str) -> None:
        self.values: dict[tuple[str, str], float | None] = {}
        self.raw: dict[tuple[str, str], str] = {}
        self.rows: list[str] = []
        if df.empty or row_key not in df.columns or col_key not in df.columns:
            return
        raws = df["raw"] if "raw" in df.columns else [None] * len(df)
        vals = df["value"] if "value" in df.columns else [None] * len(df)
        for r, c, v, raw in zip(df[row_key], df[col_key], vals, raws):
            if _isna(r) or _isna(c):
                continue
            key = (str(r), str(c))
            if str(r) not in self.rows:
                self.rows.append(str(r))
            val = _num(v)
            if self.values.get(key) is None:
                self.values[key] = val
                self.raw[key] = "" if _isna(raw) else str(raw)

    def get(self, row: str, col: str) -> float | None:
        return self.values.get((row, col))

    def __bool__(self) -> bool:
        return bool(self.values)


def _other_rows(layout: str | None, rows: Iterable[str]) -> list[str]:
    rows = list(rows)
    if layout == "2019":
        return OTHER_2019
    if layout == "2021":
        return OTHER_2021
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


class CellResolver:
    """Resolve cell references of the small formula language used in the data files.

    References: ``A:row:column`` (table 三, ``applications``), ``D:category:metric``
    (table 二), ``R:procedure:outcome`` (table 四), ``S:code`` (pre2019 统计指标,
    by its ``code`` column, e.g. ``S:applications:new_received:total``), ``T:subject`` (first number stated in the text for
    that subject).  A ``*`` in a row is a group sum (``A:withheld.*:total``) over
    the rows the layout defines; a group with any blank member is missing.
    """

    def __init__(self, report: Any) -> None:
        self.report = report
        self.meta = _meta(report)
        self.layout = self.meta.get("layout")
        self.applications = _Grid(_table(report, "applications"), "row", "applicant")
        self.active = _Grid(_table(report, "active_disclosure"), "category", "metric")
        self.review = _Grid(_table(report, "review_litigation"), "procedure", "outcome")
        self.statistics = _table(report, "statistics")
        self._stated: pd.DataFrame | None = None

    # -- references ------------------------------------------------------
    def _group(self, grid: _Grid, pattern: str, col: str, universe: Iterable[str]) -> float | None:
        if "*" not in pattern:
            return grid.get(pattern, col)
        names = list(dict.fromkeys(list(universe) + grid.rows))
        members = [r for r in names if fnmatch.fnmatchcase(r, pattern)]
        if not members:
            return None
        vals = [grid.get(r, col) for r in members]
        if any(v is None for v in vals):
            return None
        return float(sum(vals))  # type: ignore[arg-type]

    def _statistic(self, code: str) -> float | None:
        """A value of the pre2019 统计指标 table by its (mapped) canonical code."""
        st = self.statistics
        if st.empty or "code" not in st.columns:
            return None
        sel = st[st["code"].astype(str) == code]
        if "column" in sel.columns and len(sel) > 1:
            # the year's value before a cumulative one (历年累计)
            cumulative = sel["column"].astype(str).str.contains("cumul|累计", regex=True)
            sel = pd.concat([sel[~cumulative], sel[cumulative]])
        if "mapped" in sel.columns:
            mapped = sel[sel["mapped"].fillna(False).astype(bool)]
            if not mapped.empty:
                sel = mapped
        for v in sel.get("value", pd.Series(dtype="Float64")):
            if not _isna(v):
                return float(v)
        return None

    def _statistic_cell(self, table: str, row: str, col: str) -> float | None:
        """The pre2019 counterpart of a later-layout cell (crosswalk), if mapped."""
        st = self.statistics
        if st.empty:
            return None
        if {"table", "row", "column"} <= set(st.columns):
            sel = st[(st["table"].astype(str) == table) & (st["row"].astype(str) == row)
                     & (st["column"].astype(str) == col)]
            for v in sel.get("value", pd.Series(dtype="Float64")):
                if not _isna(v):
                    return float(v)
        candidates = [f"{table}.{row}.{col}", f"{table}:{row}:{col}", f"{row}.{col}", f"{row}:{col}"]
        if col == "total":
            candidates += [f"{table}.{row}", row]
        for code in candidates:
            v = self._statistic(code)
            if v is not None:
                return v
        return None

    def stated(self) -> pd.DataFrame:
        if self._stated is None:
            self._stated = stated_quantities(_text(self.report))
        return self._stated

    def value(self, kind: str, a: str, b: str | None) -> float | None:
        """Value of one reference, or None when missing."""
        if kind == "A":
            col = b or "total"
            universe = _application_rows(self.layout, self.applications.rows)
            v = self._group(self.applications, a, col, universe)
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
            st = self.stated()
            if st.empty:
                return None
            sel = st[st["subject"] == a]
            return None if sel.empty else float(sel["quantity"].iloc[0])
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


def evaluate(formula: str, resolver: CellResolver) -> float | None:
    """Evaluate a formula of cell references; None (NA) when an input is missing
    or a denominator is zero.  An empty formula is NA."""
    formula = (formula or "").strip()
    if not formula or formula.upper() == "NA":
        return None
    env: dict[str, float | None] = {}

    def _sub(m: re.Match[str]) -> str:
        name = f"_v{len(env)}"
        env[name] = resolver.value(*_ref_parts(m.group(1), m.group(2)))
        return name

    expr = _REF_RE.sub(_sub, formula)
    tree = ast.parse(expr, mode="eval")

    def _ev(node: ast.AST) -> float | None:
        if isinstance(node, ast.Expression):
            return _ev(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return float(node.value)
        if isinstance(node, ast.Name):
            return env[node.id]
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            v = _ev(node.operand)
            return None if v is None else -v
        if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
            left, right = _ev(node.left), _ev(node.right)
            if left is None or right is None:
                return None
            if isinstance(node.op, ast.Div) and right == 0:
                return None
            return _BINOPS[type(node.op)](left, right)
        raise ValueError(f"unsupported expression in formula {formula!r}")

    return _ev(tree)


# --------------------------------------------------------------------------
# checks on single cells
# --------------------------------------------------------------------------

_LEADING_ZERO = re.compile(r"^\s*0\d")


def _raw_is_printed(report: Any) -> bool:
    """False when cells were split out of glued digits (``meta['mode'] == 'glued'``):
    their raw text is then not a printed cell and a leading zero means nothing."""
    return _meta(report).get("mode") != "glued"


def _cell_checks(
    out: list[dict[str, Any]],
    table: str,
    df: pd.DataFrame,
    row_key: str,
    col_key: str | None,
    *,
    is_money: Callable[[Mapping[str, Any]], bool] = lambda rec: False,
    may_be_negative: Callable[[Mapping[str, Any]], bool] = lambda rec: False,
    raw_is_printed: bool = True,
) -> None:
    """Per-cell checks: negative, non-integer and (if the raw text is the printed
    cell) a leading zero.  Rows marked ``mapped`` (crosswalk copies of another
    table's cell) are skipped: the original is checked."""
    if df.empty or row_key not in df.columns:
        return
    for rec in df.to_dict("records"):
        if table != "statistics" and not _isna(rec.get("mapped")) and bool(rec.get("mapped")):
            continue
        v = _num(rec.get("value"))
        row = None if _isna(rec.get(row_key)) else str(rec.get(row_key))
        col = None if col_key is None or _isna(rec.get(col_key)) else str(rec.get(col_key))
        raw = "" if _isna(rec.get("raw")) else str(rec.get("raw"))
        if v is None:
            continue
        if v < 0 and not may_be_negative(rec):
            out.append(
                _finding(
                    f"{table}.negative", "fail", table, row, col, v, None,
                    f"negative value {_fmt(v)} (printed {raw!r}); counts and amounts cannot be negative",
                )
            )
        if not is_money(rec) and not float(v).is_integer():
            out.append(
                _finding(
                    f"{table}.non_integer", "fail", table, row, col, v, float(round(v)),
                    f"count {_fmt(v)} (printed {raw!r}) is not a whole number",
                )
            )
        if raw_is_printed and _LEADING_ZERO.match(raw):
            out.append(
                _finding(
                    "cell.leading_zero", "fail", table, row, col, v, None,
                    f"printed {raw!r}, read as {_fmt(v)}: a leading zero suggests a typo",
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


def _check_applications(report: Any, out: list[dict[str, Any]], include_passes: bool) -> None:
    meta = _meta(report)
    layout = meta.get("layout")
    if layout == "pre2019":
        # pre2019 forms have no table 三; its rows here are crosswalk copies of the
        # 统计指标 table, which _check_statistics checks
        return
    df = _table(report, "applications")
    grid = _Grid(df, "row", "applicant")
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

    extra_rows = [r for r in grid.rows if r not in rows]
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

    _cell_checks(out, "applications", df, "row", "applicant", raw_is_printed=_raw_is_printed(report))


# --------------------------------------------------------------------------
# table 四
# --------------------------------------------------------------------------


def _check_review_litigation(report: Any, out: list[dict[str, Any]], include_passes: bool) -> None:
    layout = _meta(report).get("layout")
    if layout == "pre2019":  # crosswalk copies of the 统计指标 table
        return
    df = _table(report, "review_litigation")
    grid = _Grid(df, "procedure", "outcome")
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
    _cell_checks(out, "review_litigation", df, "procedure", "outcome", raw_is_printed=_raw_is_printed(report))


# --------------------------------------------------------------------------
# table 二
# --------------------------------------------------------------------------


def _check_active_disclosure(report: Any, out: list[dict[str, Any]], include_passes: bool) -> None:
    df = _table(report, "active_disclosure")
    if df.empty or "category" not in df.columns:
        return
    _cell_checks(
        out,
        "active_disclosure",
        df,
        "category",
        "metric",
        is_money=lambda rec: str(rec.get("metric")) in MONEY_METRICS,
        may_be_negative=lambda rec: str(rec.get("metric")) in SIGNED_METRICS,
        raw_is_printed=_raw_is_printed(report),
    )
    for rec in df.to_dict("records"):
        if str(rec.get("metric")) != "amount_10k_yuan":
            continue
        raw = "" if _isna(rec.get("raw")) else str(rec.get("raw"))
        if "元" in raw and "万元" not in raw:
            v = _num(rec.get("value"))
            out.append(
                _finding(
                    "active_disclosure.unit_conflict", "fail", "active_disclosure",
                    str(rec.get("category")), "amount_10k_yuan", v, None,
                    f"printed {raw!r} in a column headed 万元: the unit 元 conflicts with the header; "
                    f"the value is kept as printed ({_fmt(v)}), not rescaled",
                )
            )


# --------------------------------------------------------------------------
# pre2019 统计指标
# --------------------------------------------------------------------------

_NUMBERING = re.compile(
    r"^\s*(?:其中\s*[:：]?\s*)?(?:[(（][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+\s*[、.．]|\d+\s*[、.．])?\s*"
    r"(?:其中\s*[:：]?\s*)?"
)


def _norm_label(label: Any) -> str:
    s = unicodedata.normalize("NFKC", "" if _isna(label) else str(label))
    s = re.sub(r"\s+", "", s)
    return _NUMBERING.sub("", s)


def _check_statistics(report: Any, out: list[dict[str, Any]], include_passes: bool) -> None:
    st = _table(report, "statistics")
    if st.empty or "indicator" not in st.columns:
        return
    st = st.reset_index(drop=True)
    # one group per value column if the table has several (e.g. 本年度 / 历年累计)
    group_col = next((c for c in ("column", "period", "measure") if c in st.columns), None)
    groups = [(None, st)] if group_col is None else list(st.groupby(group_col, sort=False, dropna=False))
    for gkey, g in groups:
        g = g.reset_index(drop=True)
        labels = [_norm_label(x) for x in g["indicator"]]
        values = [_num(v) for v in g.get("value", pd.Series([None] * len(g)))]
        parents = g["parent"].tolist() if "parent" in g.columns else [None] * len(g)
        column = None if gkey is None or _isna(gkey) else str(gkey)
        for rule in _statistics_rules():
            for i, lab in enumerate(labels):
                if not rule["parent"].search(lab):
                    continue
                parent_label = str(g["indicator"].iloc[i]).strip()
                window = range(i + 1, min(len(g), i + 25))
                scoped = [
                    j for j in window
                    if not _isna(parents[j]) and _norm_label(parents[j]) == _norm_label(parent_label)
                ]
                parts = []
                for child in rule["children"]:
                    cands = [j for j in (scoped or window) if child.search(labels[j])]
                    if not cands:
                        parts.append((child.pattern + " (row absent)", None, 1.0))
                    else:
                        j = cands[0]
                        parts.append((str(g["indicator"].iloc[j]).strip(), values[j], 1.0))
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
    units = st["unit"] if "unit" in st.columns else pd.Series([""] * len(st))
    _cell_checks(
        out,
        "statistics",
        st.assign(_unit=units),
        "indicator",
        group_col,
        is_money=lambda rec: str(rec.get("_unit") or "").strip() not in COUNT_UNITS,
        raw_is_printed=_raw_is_printed(report),
    )


# --------------------------------------------------------------------------
# narrative against tables
# --------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"[。！？!?；;\n]")


def _prepare_text(text: str) -> str:
    """Narrative text only, one paragraph per line, spaces and line breaks inside
    sentences removed (PDF copies break lines mid-sentence), NFKC-normalised."""
    text = unicodedata.normalize("NFKC", text or "")
    kept = []
    for line in text.splitlines():
        if "|" in line:  # a flattened table row
            kept.append("\n")
            continue
        kept.append(line.strip())
    joined = ""
    for line in kept:
        if line == "\n":
            joined += "\n"
        else:
            joined += line
    joined = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", joined)
    joined = re.sub(r"[ \t\u3000\xa0]+", "", joined)
    return joined


def _sentence_at(text: str, pos: int) -> str:
    start = 0
    for m in _SENTENCE_END.finditer(text, 0, pos):
        start = m.end()
    m = _SENTENCE_END.search(text, pos)
    end = m.end() if m else len(text)
    return text[start:end].strip()


def _previous_sentence(text: str, pos: int) -> str:
    ends = [m.end() for m in _SENTENCE_END.finditer(text, 0, pos)]
    if not ends:
        return ""
    start = ends[-2] if len(ends) >= 2 else 0
    return text[start:ends[-1]]


def stated_quantities(text: str) -> pd.DataFrame:
    """Numbers stated in the narrative that refer to a table cell.

    Returns ``subject, quantity, sentence, match, start, targets`` (one row per
    mention, every mention, in text order).  ``targets`` is the formula of the
    cell(s) the number refers to, alternatives separated by ``|``.  Patterns are
    data: ``govreport/data/narrative_checks.csv``.  Statements of absence such as
    ``未收到…政府信息公开申请`` are mentions of 0.
    """
    prepared = _prepare_text(text)
    records: list[dict[str, Any]] = []
    seen: set[tuple[str, int]] = set()
    claimed: set[int] = set()
    for rule in _narrative_rules():
        for m in rule["regex"].finditer(prepared):
            groups = m.groupdict()
            if groups.get("n") is not None:
                pos = m.start("n")
                quantity = float(groups["n"])
            elif "zero" in groups:
                pos = m.start()
                quantity = 0.0
            else:
                continue
            sentence = _sentence_at(prepared, pos)
            if rule["exclude"] is not None and rule["exclude"].search(sentence):
                continue
            if rule["require"] is not None and not rule["require"].search(
                _previous_sentence(prepared, pos) + sentence
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
    df = pd.DataFrame(records, columns=["subject", "quantity", "sentence", "match", "start", "targets"])
    return df.sort_values("start", kind="stable").reset_index(drop=True)


_TABLE_OF_KIND = {"A": "applications", "D": "active_disclosure", "R": "review_litigation", "S": "statistics"}


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


def _check_narrative(report: Any, out: list[dict[str, Any]], include_passes: bool) -> None:
    text = _text(report)
    if not text:
        return
    mentions = stated_quantities(text)
    if mentions.empty:
        return
    resolver = CellResolver(report)
    for rec in mentions.to_dict("records"):
        if not rec["targets"]:
            continue
        alternatives = [a.strip() for a in rec["targets"].split("|") if a.strip()]
        values = [evaluate(a, resolver) for a in alternatives]
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


def validate(report: Any, *, include_passes: bool = False) -> pd.DataFrame:
    """Run every single-report check on ``report`` and return the findings.

    ``report`` is any object with attributes ``meta`` (dict), ``applications``,
    ``active_disclosure``, ``review_litigation``, ``statistics`` (DataFrames in
    the contract's tidy form) and ``text`` (str).  Missing attributes count as
    empty tables.  The report is not modified.
    """
    out: list[dict[str, Any]] = []
    for name, check in (
        ("applications", _check_applications),
        ("review_litigation", _check_review_litigation),
        ("active_disclosure", _check_active_disclosure),
        ("statistics", _check_statistics),
        ("text", _check_narrative),
    ):
        try:
            check(report, out, include_passes)
        except Exception as exc:  # a bug in one check must not stop reading a report
            out.append(
                _finding(
                    "validate.internal_error", "fail", name, None, None, None, None,
                    f"the checks on {TABLE_LABELS.get(name, name)} stopped: {type(exc).__name__}: {exc}",
                )
            )
    return _findings_frame(out)


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

    cross: list[dict[str, Any]] = []
    for agency, years in by_agency.items():
        for year in sorted(years):
            if year - 1 not in years:
                continue
            prev_id, prev = years[year - 1]
            cur_id, cur = years[year]
            out: list[dict[str, Any]] = []
            _cross_carried(prev, cur, year, out, include_passes)
            _cross_in_force(prev, cur, year, out, include_passes)
            for rec in out:
                rec["report_id"] = cur_id
                rec["message"] = f"{agency} {year - 1}→{year} (previous report {prev_id}): {rec['message']}"
            cross.extend(out)
    if cross:
        f = _findings_frame(cross)
        f.insert(0, "report_id", [r["report_id"] for r in cross])
        frames.append(f)
    if not frames:
        f = empty_findings()
        f.insert(0, "report_id", pd.Series(dtype=object))
        return f
    return pd.concat(frames, ignore_index=True)


def _cross_carried(prev: Any, cur: Any, year: int, out: list[dict[str, Any]], include_passes: bool) -> None:
    if "pre2019" in (_meta(prev).get("layout"), _meta(cur).get("layout")):
        return  # the pre2019 forms have no 结转 rows: not applicable (not "missing")
    g_prev = _Grid(_table(prev, "applications"), "row", "applicant")
    g_cur = _Grid(_table(cur, "applications"), "row", "applicant")
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


def _cross_in_force(prev: Any, cur: Any, year: int, out: list[dict[str, Any]], include_passes: bool) -> None:
    if _meta(prev).get("layout") != "2021" or _meta(cur).get("layout") != "2021":
        return
    g_prev = _Grid(_table(prev, "active_disclosure"), "category", "metric")
    g_cur = _Grid(_table(cur, "active_disclosure"), "category", "metric")
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

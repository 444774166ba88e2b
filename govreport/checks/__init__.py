"""Checks on parsed reports: every identity the forms imply, range bounds, the narrative
against the tables, and the same agency across years — one finding per cell.

A number in a paper must be right or visibly doubtful. The checks recompute what the
official forms imply and report each disagreement as one *finding* that names the table,
row and column, with the printed value (``reported``) beside the recomputed one
(``recomputed``). Nothing is overwritten. The checks are data: ``govreport/data/checks.csv``
(identities, completeness, ranges, cross-year, with the layouts each applies to),
``statistics_sums.csv`` (pre-2019 sums) and ``narrative_checks.csv`` (stated quantities),
evaluated by one formula engine (:mod:`govreport.checks.formula`).

Public API
----------
``findings(report, include_passes=False) -> list[Finding]``
    The fast entry point (used by ``read_report``): the findings of one report.
``validate(report, include_passes=False) -> DataFrame``
    ``findings(report)`` as a DataFrame (columns ``FINDINGS_COLUMNS``).
``validate_report(report) -> report``
    Appends ``validate(report)`` to ``report.findings`` and returns the report.
``validate_corpus(report, include_reports=False) -> DataFrame``
    Cross-year findings of a Corpus or a list of reports, with a leading ``report_id``.
``checks() -> DataFrame``
    The documented checks (``checks.csv``).
``stated_quantities(text) -> DataFrame``
    Numbers stated in the narrative (:mod:`govreport.checks.quantities`).
``report_status(meta, tables, findings) -> str``
    ``ok`` | ``partial`` | ``no_tables`` | ``unknown_layout``.
``ReportTables(meta, tables, text)``
    A report made of tables (DataFrames or records): the checks' own :class:`ReportLike`.

A report is a :class:`~govreport.protocol.ReportLike` (a Report, one report of a Corpus,
a ``ReportTables``); a collection is a Corpus or a list of reports. ``status`` of a finding
is ``fail``, ``not_assessable`` (an input cell is missing: a missing cell is not a pass;
severity ``info``), or ``pass`` when ``include_passes=True``. Doubtful printed cells (``00``,
``251000元`` under 万元) are the reader's findings (``leading_zero``, ``unit_conflict``).
"""
from __future__ import annotations

from typing import Any

import pandas as pd

from .. import findings as _fnd
from .. import layouts
from ..errors import renamed
from ..findings import Finding
from ..protocol import ReportLike, Reports
from . import arithmetic, cross_year, narrative, ranges, statistics
from .cells import CellResolver, layout_rows
from .data import checks_table, read_data_csv
from .emit import TABLE_LABELS, make
from .formula import evaluate
from .quantities import StatedQuantity, stated_quantities
from .status import report_status
from .view import ReportTables, reports

__all__ = [
    "FINDINGS_COLUMNS", "findings", "validate", "validate_report", "validate_corpus", "checks",
    "stated_quantities", "StatedQuantity", "empty_findings", "CellResolver", "evaluate", "report_status",
    "ReportTables",
]

FINDINGS_COLUMNS: list[str] = list(_fnd.COLUMNS)

# The codes of the first layout that defines them (for hand-built reports and tests).
APPLICANT_COLUMNS: list[str] = [c.code for c in layouts.columns(layouts.LAYOUTS[0], "applications")]
APPLICANTS: list[str] = [c for c in APPLICANT_COLUMNS if c != "total"]
PROCEDURES: list[str] = [c.code for c in layouts.columns(layouts.LAYOUTS[0], "review_litigation.procedure")]
RL_OUTCOMES: list[str] = [c.code for c in layouts.columns(layouts.LAYOUTS[0], "review_litigation.outcome")]

#: the tables checked one after the other; a bug in one does not stop the others
_TABLES = ("applications", "review_litigation", "active_disclosure", "statistics", "text")


def _application_rows(layout: str | None, rows: list[str] | tuple[str, ...] = ()) -> list[str]:
    """Table 三's row codes in ``layout`` (then any other row in ``rows``)."""
    return layout_rows(layout, list(rows))


_read_data_csv = read_data_csv


def checks() -> pd.DataFrame:
    """The documented checks: ``code, table, kind, severity, layouts, over, where, formula, label, description``."""
    return checks_table().copy()


def empty_findings() -> pd.DataFrame:
    """An empty findings DataFrame with the exact columns and dtypes."""
    return _fnd.frame([])


def _check_table(name: str, resolver: CellResolver, out: list[Finding], include_passes: bool) -> None:
    if name == "text":
        narrative.run(resolver, out, include_passes)
        return
    arithmetic.run(resolver, out, include_passes, name)
    if name == "statistics":
        statistics.run(resolver, out, include_passes)
    ranges.run(resolver, out, name)


def _run(resolver: CellResolver, include_passes: bool) -> list[Finding]:
    out: list[Finding] = []
    for name in _TABLES:
        try:
            _check_table(name, resolver, out, include_passes)
        except Exception as exc:  # noqa: BLE001 - a bug in one check must not stop the others
            out.append(make("validate.internal_error", "fail", name, None, None, None, None,
                            f"the checks on {TABLE_LABELS.get(name, name)} stopped: {type(exc).__name__}: {exc}"))
    return out


def findings(report: ReportLike, *, include_passes: bool = False) -> list[Finding]:
    """Every single-report check on ``report``: its findings as
    :class:`govreport.findings.Finding` objects (no DataFrame is built for a Report).
    The report is not modified."""
    if not isinstance(report, ReportLike):
        raise TypeError(f"expected one report (a Report or a ReportView), got {type(report).__name__}")
    try:
        resolver = CellResolver(report)
    except Exception as exc:  # noqa: BLE001 - a bug must not stop reading a report
        return [make("validate.internal_error", "fail", "report", None, None, None, None,
                     f"the checks stopped: {type(exc).__name__}: {exc}")]
    return _run(resolver, include_passes)


def validate(report: ReportLike, *, include_passes: bool = False) -> pd.DataFrame:
    """:func:`findings` as a DataFrame (columns ``FINDINGS_COLUMNS``)."""
    return _fnd.frame(findings(report, include_passes=include_passes))


def validate_report(report: ReportLike, *, include_passes: bool = False) -> ReportLike:
    """Append ``validate(report)`` to ``report.findings`` (in place) and return ``report``;
    findings already present are not repeated."""
    new = validate(report, include_passes=include_passes)
    old = report.findings
    if len(old):
        combined = pd.concat([old, new], ignore_index=True)
        cols = [c for c in FINDINGS_COLUMNS if c in combined.columns]
        combined = combined.loc[~combined[cols].astype(str).duplicated()].reset_index(drop=True)
    else:
        combined = new
    report.findings = combined  # type: ignore[misc]  # Report and ReportTables accept it
    return report


def _with_ids(items: list[Finding], ids: list[Any]) -> pd.DataFrame:
    f = _fnd.frame(items)
    f.insert(0, "report_id", pd.Series(ids, dtype=object))
    return f


@renamed(corpus="report")
def validate_corpus(report: Reports, *, include_reports: bool = False, include_passes: bool = False) -> pd.DataFrame:
    """Cross-year checks of a Corpus or a list of reports: findings with a leading ``report_id``.

    For every agency present in consecutive years t-1, t the ``cross_year`` checks of
    ``checks.csv`` (``cross_year.carried``: 结转下年度 of t-1 = 上年结转 of t, per applicant
    column; ``cross_year.in_force``: 现行有效 of t = 现行有效 of t-1 + 制发 - 废止), reported in
    the report of year t. ``include_reports=True`` adds every report's own checks.
    """
    needed = (("applications", "active_disclosure", "review_litigation", "statistics", "sections")
              if include_reports else ("applications", "active_disclosure"))
    resolved = [(rid, CellResolver(rep)) for rid, rep in reports(report, needed)]
    items: list[Finding] = []
    ids: list[Any] = []
    if include_reports:
        for rid, resolver in resolved:
            own = _run(resolver, include_passes)
            items += own
            ids += [rid] * len(own)
    for agency, year, (prev_id, prev), (cur_id, cur) in cross_year.pairs(resolved):
        got: list[Finding] = []
        cross_year.run(prev, cur, got, include_passes,
                       prefix=f"{agency} {year - 1}→{year} (previous report {prev_id}): ")
        items += got
        ids += [cur_id] * len(got)
    return _with_ids(items, ids)

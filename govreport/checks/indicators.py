"""Comparable indicators, one row per report (requests, grant rate, review rate …).

``govreport.indicators(report_or_corpus)`` turns the tidy tables of a report (or
every report of a corpus) into one row of indicators.  The definitions are data
(``govreport/data/indicators.csv``): for each indicator a description, a unit
and one formula per layout (``formula_2021``, ``formula_2019``,
``formula_pre2019``).  The per-layout formulas are the crosswalk: a 2017 value
(pre2019 统计指标, mapped codes) and a 2023 value (table 三) of the same
indicator measure the same thing, and the ``layout`` column says which layout
each value came from.

Rules:

* a value is NA (``pd.NA``, never 0 and never inf) when an input cell is
  missing or a denominator is zero;
* a layout without a formula for an indicator gives NA (not comparable);
* shares are fractions (0–1), rates per 100 are multiplied by 100.

Formula language (shared with :mod:`govreport.validate`): ``A:row:column``
(table 三), ``D:category:metric`` (table 二), ``R:procedure:outcome``
(table 四), ``S:code`` (pre2019 统计指标 by mapped code), ``T:subject`` (first
number stated in the text for that subject), ``*`` for a group sum
(``A:withheld.*:total``), ``+ - * /`` and parentheses.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import pandas as pd

from . import CellResolver, _is_single_report, _iter_reports, _meta, _read_data_csv, evaluate

__all__ = ["indicators", "indicator_definitions", "INDICATOR_LAYOUTS"]

#: layouts that have their own formula column in indicators.csv
INDICATOR_LAYOUTS: tuple[str, ...] = ("2021", "2019", "pre2019")


@lru_cache(maxsize=None)
def _definitions() -> pd.DataFrame:
    return _read_data_csv("indicators.csv")


@lru_cache(maxsize=None)
def _definition_records() -> tuple[dict[str, Any], ...]:
    return tuple(_definitions().to_dict("records"))


def indicator_definitions() -> pd.DataFrame:
    """The data dictionary of indicators: ``code, description, unit,
    formula_2021, formula_2019, formula_pre2019, notes``."""
    return _definitions().copy()


def _formula_layout(report: Any, resolver: CellResolver) -> str | None:
    """Which layout's formulas apply: the report's layout, or a guess from its tables."""
    layout = _meta(report).get("layout")
    if layout in INDICATOR_LAYOUTS:
        return str(layout)
    rows = resolver.applications.rows
    if any(r.startswith("other.") for r in rows):
        return "2021"
    if "other" in rows:
        return "2019"
    if rows or resolver.review:
        return "2021"
    if len(resolver.statistics_rows):
        return "pre2019"
    return None


def _one(report: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    resolver = CellResolver(report)  # reads a Report's records: no DataFrame is built
    meta = _meta(report)
    layout = _formula_layout(report, resolver)
    values: dict[str, Any] = {}
    long: list[dict[str, Any]] = []
    for rec in _definition_records():
        formula = rec.get(f"formula_{layout}", "") if layout else ""
        value = evaluate(formula, resolver) if formula else None
        values[rec["code"]] = value
        long.append(
            {
                "indicator": rec["code"],
                "value": value,
                "unit": rec["unit"],
                "layout": layout,
                "formula": formula or None,
            }
        )
    head = {
        "agency": meta.get("agency"),
        "year": meta.get("year"),
        "layout": layout,
    }
    return {**head, **values}, [{**head, **r} for r in long]


def indicators(report_or_corpus: Any, *, long: bool = False) -> pd.DataFrame:
    """Indicators for a report, a list of reports or a corpus: one row per report.

    Columns: ``report_id`` (corpus or list input only), ``agency``, ``year``,
    ``layout`` (the layout whose formulas produced the values: ``2021``,
    ``2019`` or ``pre2019``), then one ``Float64`` column per indicator in
    ``indicator_definitions()`` order.  With ``long=True`` one row per report
    and indicator with ``indicator, value, unit, layout, formula``.
    """
    rows: list[dict[str, Any]] = []
    long_rows: list[dict[str, Any]] = []
    single = _is_single_report(report_or_corpus)
    for rid, rep in _iter_reports(report_or_corpus):
        wide, lng = _one(rep)
        if not single:
            wide = {"report_id": rid, **wide}
            lng = [{"report_id": rid, **r} for r in lng]
        rows.append(wide)
        long_rows.extend(lng)
    codes = list(_definitions()["code"])
    if long:
        cols = (["report_id"] if not single else []) + [
            "agency", "year", "layout", "indicator", "value", "unit", "formula",
        ]
        df = pd.DataFrame(long_rows, columns=cols)
        df["value"] = pd.array([None if v is None else float(v) for v in df["value"]], dtype="Float64")
        df["year"] = pd.array(df["year"], dtype="Int64")
        return df
    cols = (["report_id"] if not single else []) + ["agency", "year", "layout"] + codes
    df = pd.DataFrame(rows, columns=cols)
    for c in codes:
        df[c] = pd.array([None if v is None else float(v) for v in df[c]], dtype="Float64")
    df["year"] = pd.array(df["year"], dtype="Int64")
    return df

"""Comparable indicators, one row per report (requests, grant rate, review rate …).

``govreport.indicators(report)`` turns the tidy tables of a report (or of every report of
a corpus or a list) into one row of indicators. The definitions are data
(``govreport/data/indicators.csv``): per indicator a description, a unit and one formula per
layout, in a column ``formula_<layout>``. The per-layout formulas are the crosswalk: a 2017
value (pre-2019 统计指标, mapped codes) and a 2023 value (table 三) of one indicator measure
the same thing, and the ``layout`` column says which layout each value came from.

* a value is NA (``pd.NA``, never 0 and never inf) when an input cell is missing or a
  denominator is zero;
* a report whose layout has no formula column (or an empty one) gives NA (not comparable);
* shares are fractions (0–1), rates per 100 are multiplied by 100.

The formula language is :mod:`govreport.checks.formula`.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

import pandas as pd

from ..protocol import Reports, is_single
from .cells import CellResolver
from .data import read_data_csv
from .formula import evaluate
from .view import reports

__all__ = ["indicators", "indicator_definitions", "INDICATOR_LAYOUTS"]

_PREFIX = "formula_"


@lru_cache(maxsize=None)
def _definitions() -> pd.DataFrame:
    return read_data_csv("indicators.csv")


#: layouts that have their own formula column in indicators.csv (``formula_<layout>``)
INDICATOR_LAYOUTS: tuple[str, ...] = tuple(c[len(_PREFIX):] for c in _definitions().columns if c.startswith(_PREFIX))


@lru_cache(maxsize=None)
def _definition_records() -> tuple[dict[str, Any], ...]:
    return tuple(_definitions().to_dict("records"))


def indicator_definitions() -> pd.DataFrame:
    """The indicators: ``code, description, unit``, one ``formula_<layout>`` per layout, ``notes``."""
    return _definitions().copy()


def _one(report: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    resolver = CellResolver(report)  # reads a Report's records: no DataFrame is built
    layout = resolver.layout if resolver.layout in INDICATOR_LAYOUTS else None
    values: dict[str, Any] = {}
    long: list[dict[str, Any]] = []
    for rec in _definition_records():
        formula = rec.get(f"{_PREFIX}{layout}", "") if layout else ""
        value = evaluate(formula, resolver) if formula else None
        values[rec["code"]] = value
        long.append({"indicator": rec["code"], "value": value, "unit": rec["unit"], "layout": layout,
                     "formula": formula or None})
    head = {"agency": resolver.meta.get("agency"), "year": resolver.meta.get("year"), "layout": layout}
    return {**head, **values}, [{**head, **r} for r in long]


def _floats(values: Any) -> Any:
    return pd.array([None if v is None else float(v) for v in values], dtype="Float64")


def indicators(report: Reports, *, long: bool = False) -> pd.DataFrame:
    """Indicators for a Report, a Corpus or a list of reports: one row per report.

    Columns: ``report_id`` (corpus or list input only), ``agency``, ``year``, ``layout``
    (the layout whose formulas produced the values; NA when it has none), then one
    ``Float64`` column per indicator in ``indicator_definitions()`` order. With
    ``long=True`` one row per report and indicator: ``indicator, value, unit, layout, formula``.
    """
    rows: list[dict[str, Any]] = []
    long_rows: list[dict[str, Any]] = []
    single = is_single(report)
    for rid, rep in reports(report, ("applications", "active_disclosure", "review_litigation", "statistics",
                                     "sections")):
        wide, lng = _one(rep)
        if not single:
            wide = {"report_id": rid, **wide}
            lng = [{"report_id": rid, **r} for r in lng]
        rows.append(wide)
        long_rows.extend(lng)
    lead = [] if single else ["report_id"]
    if long:
        df = pd.DataFrame(long_rows, columns=lead + ["agency", "year", "layout", "indicator", "value", "unit",
                                                     "formula"])
        df["value"] = _floats(df["value"])
    else:
        codes = list(_definitions()["code"])
        df = pd.DataFrame(rows, columns=lead + ["agency", "year", "layout"] + codes)
        for c in codes:
            df[c] = _floats(df[c])
    df["year"] = pd.array(df["year"], dtype="Int64")
    return df

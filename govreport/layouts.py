"""Layout knowledge as data.

Every label, code, marker and placeholder the reader knows lives in the CSV files of
``govreport/data/layouts/``; this module only loads them (once) and answers lookups.
Adding a layout means adding rows to those tables, not code.

* ``rows.csv`` – the rows of each table per layout: canonical ``code``, printed ``label``,
  ``keys`` (substrings that identify the label in a cell, ``|``-separated), the printed
  item number and, for table 二, the ordered metric codes.
* ``columns.csv`` – applicant columns, review/litigation procedures and outcomes, metrics.
* ``markers.csv`` – labels that identify a layout. ``anchors.csv`` – where tables start.
* ``label_fixes.csv`` – variant spellings mapped onto the canonical wording (PUDL's
  ``code_fixes``). ``placeholders.csv`` – cell texts that mean "not reported" (``/``, ``—``).
* ``units.csv``, ``pre2019_crosswalk.csv``, ``sections.csv``, ``title_endings.csv``,
  ``chrome.csv``, ``agency_suffixes.csv``.
"""
from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from importlib import resources

import pandas as pd

LAYOUTS = ("2021", "2019", "pre2019")
TABLES = ("active_disclosure", "applications", "review_litigation", "statistics")


@dataclass(frozen=True)
class RowSpec:
    """One row of a layout's table (a table-三 outcome row, a table-二 category)."""

    code: str
    label: str
    keys: tuple[str, ...]
    item: str
    metrics: tuple[str, ...]
    description: str


@dataclass(frozen=True)
class ColumnSpec:
    """One column code of a table (applicant type, outcome, metric)."""

    code: str
    label: str
    unit: str
    description: str


def _read(name: str) -> list[dict[str, str]]:
    path = resources.files("govreport") / "data" / "layouts" / name
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _split(value: str) -> tuple[str, ...]:
    return tuple(v for v in (value or "").split("|") if v)


@functools.cache
def rows(layout: str, table: str) -> tuple[RowSpec, ...]:
    """Rows of ``table`` in ``layout``, in printed order."""
    return tuple(
        RowSpec(r["code"], r["label"], _split(r["keys"]), r["item"], _split(r["metrics"]), r["description"])
        for r in _read("rows.csv")
        if layout in _split(r["layout"]) and r["table"] == table
    )


@functools.cache
def columns(layout: str, table: str) -> tuple[ColumnSpec, ...]:
    """Column codes of ``table`` (e.g. ``applications``, ``review_litigation.outcome``)."""
    return tuple(
        ColumnSpec(r["code"], r["label"], r["unit"], r["description"])
        for r in _read("columns.csv")
        if layout in _split(r["layout"]) and r["table"] == table
    )


@functools.cache
def markers() -> tuple[tuple[str, str, int], ...]:
    """``(layout, marker, weight)``: labels whose presence votes for a layout."""
    return tuple((r["layout"], r["marker"], int(r["weight"])) for r in _read("markers.csv"))


@functools.cache
def anchors(table: str) -> tuple[str, ...]:
    """Texts that mark where ``table`` starts."""
    return tuple(r["anchor"] for r in _read("anchors.csv") if r["table"] == table)


@functools.cache
def label_fixes() -> tuple[tuple[str, str], ...]:
    """``(variant, canonical)`` substitutions applied before matching labels."""
    return tuple((r["variant"], r["canonical"]) for r in _read("label_fixes.csv"))


@functools.cache
def placeholders() -> frozenset[str]:
    """Cell texts that mean "not reported" and become NA (never 0)."""
    return frozenset(r["value"] for r in _read("placeholders.csv"))


@functools.cache
def units() -> dict[str, tuple[str, float | None]]:
    """Unit → (kind, factor to 万元 for money)."""
    return {
        r["unit"]: (r["kind"], float(r["factor_to_10k_yuan"]) if r["factor_to_10k_yuan"] else None)
        for r in _read("units.csv")
    }


@functools.cache
def crosswalk() -> tuple[dict[str, object], ...]:
    """pre-2019 statistics indicators that have a counterpart in the later layouts."""
    return tuple(
        {"keys": _split(r["keys"]), "parent_keys": _split(r["parent_keys"]), "table": r["table"],
         "row": r["row"], "column": r["column"]}
        for r in _read("pre2019_crosswalk.csv")
    )


@functools.cache
def section_codes() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``(code, keys)`` used to tag a section title with a standard code."""
    return tuple((r["code"], _split(r["keys"])) for r in _read("sections.csv"))


@functools.cache
def title_endings() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Words a section title ends with: (strong, weak). A title ends at its last strong
    ending, else at its last weak one."""
    rows_ = _read("title_endings.csv")
    return (tuple(r["ending"] for r in rows_ if r["strength"] == "strong"),
            tuple(r["ending"] for r in rows_ if r["strength"] != "strong"))


@functools.cache
def chrome_phrases() -> tuple[str, ...]:
    """Web-page furniture (share buttons, QR prompts) removed from the text."""
    return tuple(r["phrase"] for r in _read("chrome.csv"))


@functools.cache
def agency_suffixes() -> tuple[str, ...]:
    """Endings of agency names, longest first."""
    return tuple(sorted((r["suffix"] for r in _read("agency_suffixes.csv")), key=len, reverse=True))


def data_dictionary() -> pd.DataFrame:
    """Every canonical code of every layout with its printed label and description."""
    out = []
    for layout in LAYOUTS:
        for table in ("applications", "active_disclosure"):
            for r in rows(layout, table):
                out.append((layout, table, "row" if table == "applications" else "category",
                            r.code, r.label, r.description))
        for table in ("applications", "review_litigation.procedure", "review_litigation.outcome",
                      "active_disclosure.metric"):
            for c in columns(layout, table):
                kind = table.split(".")[1] if "." in table else "applicant"
                out.append((layout, table.split(".")[0], kind, c.code, c.label, c.description))
    return pd.DataFrame(out, columns=["layout", "table", "kind", "code", "label", "description"])

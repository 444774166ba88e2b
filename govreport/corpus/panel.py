"""One row per report (agency × year): metadata, every canonical cell and the indicators.

The panel is what a regression or a Stata/R user wants: ``corpus.panel()``. Cells are
named ``table.row.column`` with the canonical codes (``applications.granted.total``,
``review_litigation.review.corrected``, ``active_disclosure.licensing.decisions``);
values read from a pre-2019 statistics table through the crosswalk sit in the same
columns, and ``crosswalked`` says which reports they came from. :func:`panel_columns`
describes every column (English and Chinese labels, unit, source cell, the layouts it
exists in and how comparable it is across them); it is the codebook of every export.
"""
from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

import pandas as pd

from .. import layouts

if TYPE_CHECKING:  # pragma: no cover
    from . import Corpus

#: Value tables of the panel: (table, the column holding the row code, the column code).
CELL_TABLES = (("applications", "row", "applicant"),
               ("review_litigation", "procedure", "outcome"),
               ("active_disclosure", "category", "metric"))

#: Report metadata carried into the panel, in this order, where the corpus has it.
META_COLUMNS = ("report_id", "agency", "agency_id", "division_code", "level", "kind", "sector",
                "province", "prefecture", "county", "year", "layout", "format", "status",
                "published", "days_late", "file")

_META_LABELS = {
    "report_id": ("Report id (file name without suffix, unique in the corpus)", "报告编号"),
    "agency": ("Agency as printed in the report", "机关名称"),
    "agency_id": ("Stable agency id (normalised name within its division)", "机关编号"),
    "division_code": ("Administrative division code of the agency", "行政区划代码"),
    "level": ("Administrative level of the agency", "行政层级"),
    "kind": ("Kind of agency (government, department …)", "机关类型"),
    "sector": ("Policy sector of the agency", "所属领域"),
    "province": ("Province", "省级行政区"),
    "prefecture": ("Prefecture", "地级行政区"),
    "county": ("County", "县级行政区"),
    "year": ("Report year (the year reported on)", "报告年度"),
    "layout": ("Layout of the report's tables (official form it follows)", "报告格式"),
    "format": ("File format the report was read from", "文件格式"),
    "status": ("What the report holds: ok, partial, no_tables, unknown_layout", "解析状态"),
    "published": ("Publication date", "发布日期"),
    "days_late": ("Days after the statutory deadline it was published (negative: early)", "逾期天数"),
    "file": ("Source file", "来源文件"),
    "crosswalked": ("True when the cells came from a pre-2019 statistics table through the crosswalk",
                    "是否由2019年前统计表对应"),
}


def _layout_names() -> tuple[str, ...]:
    return tuple(layouts.LAYOUTS)


def _cell_specs() -> pd.DataFrame:
    """Every canonical cell of every layout: one row per (column name, layout)."""
    return _cell_specs_of(_layout_names())  # keyed by the layouts: one registered later counts


@lru_cache(maxsize=8)
def _cell_specs_of(names: tuple[str, ...]) -> pd.DataFrame:
    rows = []
    for layout in names:
        for table, _, _ in CELL_TABLES:
            col_table = {"applications": "applications", "review_litigation": "review_litigation.outcome",
                         "active_disclosure": "active_disclosure.metric"}[table]
            cols = {c.code: c for c in layouts.columns(layout, col_table)}
            if table == "review_litigation":
                for p in layouts.columns(layout, "review_litigation.procedure"):
                    for c in cols.values():
                        rows.append((table, p.code, c.code, layout, p.label, c.label, p.description,
                                     c.description, c.unit))
                continue
            for r in layouts.rows(layout, table):
                metrics = r.metrics or tuple(cols)
                for code in metrics:
                    c = cols.get(code)
                    if c is None:
                        continue
                    rows.append((table, r.code, c.code, layout, r.label, c.label, r.description,
                                 c.description, c.unit))
    df = pd.DataFrame(rows, columns=["table", "row", "column", "layout", "row_label", "column_label",
                                     "row_description", "column_description", "unit"])
    df["name"] = df["table"] + "." + df["row"] + "." + df["column"]
    return df


def _crosswalked_cells() -> dict[str, tuple[str, ...]]:
    """Cell name → the layouts whose tables reach it through their crosswalk (data)."""
    return _crosswalked_of(_layout_names())


@lru_cache(maxsize=8)
def _crosswalked_of(names: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for lay in (layouts.get(n) for n in names):
        for c in lay.crosswalk:
            out.setdefault(f"{c['table']}.{c['row']}.{c['column']}", []).append(lay.name)
    return {k: tuple(dict.fromkeys(v)) for k, v in out.items()}


def panel_columns() -> pd.DataFrame:
    """The codebook of the panel: ``name, label_en, label_zh, unit, source, layouts,
    comparability`` for every metadata, cell and indicator column."""
    from ..checks.indicators import indicator_definitions

    out = [(name, en, zh, "", "panel" if name == "crosswalked" else "reports." + name, "all",
            "same meaning in every layout") for name, (en, zh) in _META_LABELS.items()]
    specs = _cell_specs()
    every = _layout_names()
    crosswalked = _crosswalked_cells()
    for name, grp in specs.groupby("name", sort=False):
        first = grp.iloc[0]
        present = list(dict.fromkeys(grp["layout"]))
        label_en = f"{first['row_description']} — {first['column_description']}"
        label_zh = f"{first['row_label']} {first['column_label']}".strip()
        via = [lay for lay in crosswalked.get(name, ()) if lay not in present]
        reached = set(present) | set(via)
        present += [f"{lay} (crosswalk)" for lay in via]
        if reached >= set(every):
            comparability = "same cell in every layout"
        elif len(reached) > 1:
            comparability = "same cell in " + ", ".join(present) + "; absent elsewhere"
        else:
            comparability = "only in layout " + ", ".join(present)
        out.append((name, label_en, label_zh, str(first["unit"] or ""),
                    f"{first['table']}: row {first['row']}, column {first['column']}",
                    "|".join(present), comparability))
    for rec in indicator_definitions().to_dict("records"):
        forms = [lay for lay in every if str(rec.get(f"formula_{lay}") or "").strip()]
        out.append((f"indicator.{rec['code']}", rec["description"], "", rec["unit"],
                    "indicators.csv", "|".join(forms),
                    "same definition in " + ", ".join(forms) if forms else "not computable"))
    return pd.DataFrame(out, columns=["name", "label_en", "label_zh", "unit", "source", "layouts",
                                      "comparability"])


def _long_cells(corpus: "Corpus") -> pd.DataFrame:
    frames = []
    every = corpus.tables()
    for table, row_col, col_col in CELL_TABLES:
        df = every.get(table)
        if df is None or df.empty:
            continue
        mapped = df["mapped"].astype("boolean").fillna(False) if "mapped" in df.columns else False
        frames.append(pd.DataFrame({
            "report_id": df["report_id"].astype(str).to_numpy(),
            "variable": (table + "." + df[row_col].astype(str) + "." + df[col_col].astype(str)).to_numpy(),
            "table": table,
            "row": df[row_col].astype(str).to_numpy(),
            "column": df[col_col].astype(str).to_numpy(),
            "value": df["value"].astype("Float64").to_numpy(),
            "raw": df["raw"].astype("string").to_numpy() if "raw" in df.columns else pd.NA,
            "crosswalked": pd.array(mapped, dtype="boolean"),
        }))
    if not frames:
        return pd.DataFrame(columns=["report_id", "variable", "table", "row", "column", "value", "raw",
                                     "crosswalked"])
    return pd.concat(frames, ignore_index=True)


def _meta(corpus: "Corpus") -> pd.DataFrame:
    reports = corpus.reports
    ok = reports["status"].astype(object) != "failed" if "status" in reports.columns else slice(None)
    reports = reports.loc[ok]
    cols = [c for c in META_COLUMNS if c in reports.columns]
    meta = reports[cols].reset_index(drop=True).copy()
    meta["report_id"] = meta["report_id"].astype(str)
    for col in meta.columns:
        if isinstance(meta[col].dtype, pd.CategoricalDtype):
            meta[col] = meta[col].astype("string")
    return meta


def panel(corpus: "Corpus", *, long: bool = False, indicators: bool = True) -> pd.DataFrame:
    """The corpus as a panel, one row per report (see the module docstring).

    ``long=True`` gives the tidy form instead: one row per report and cell
    (``report_id, variable, table, row, column, value, raw, crosswalked`` after the
    metadata). Missing cells are NA, never 0.
    """
    meta = _meta(corpus)
    cells = _long_cells(corpus)
    cells = cells[cells["report_id"].isin(set(meta["report_id"]))]
    if long:
        return meta.merge(cells, on="report_id", how="inner", validate="one_to_many").reset_index(drop=True)
    wide = cells.pivot_table(index="report_id", columns="variable", values="value", aggfunc="first",
                             dropna=False, observed=True) if len(cells) else pd.DataFrame()
    order = [n for n in dict.fromkeys(_cell_specs()["name"]) if n in wide.columns]
    order += sorted(c for c in wide.columns if c not in order)
    wide = wide.reindex(columns=order).astype("Float64")
    wide.columns.name = None
    crosswalked = cells.groupby("report_id")["crosswalked"].any().astype("boolean")
    out = meta.merge(wide, left_on="report_id", right_index=True, how="left")
    out.insert(len(meta.columns), "crosswalked",
               out["report_id"].map(crosswalked).astype("boolean").fillna(False))
    if indicators:
        ind = corpus.indicators()
        ind = ind.drop(columns=[c for c in ("agency", "year", "layout") if c in ind.columns])
        ind = ind.rename(columns={c: f"indicator.{c}" for c in ind.columns if c != "report_id"})
        ind["report_id"] = ind["report_id"].astype(str)
        out = out.merge(ind, on="report_id", how="left")
    return out.reset_index(drop=True)

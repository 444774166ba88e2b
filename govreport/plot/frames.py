"""What the charts do to the tables they receive before drawing: checks, plain numbers,
agency and year attached, one group per agency (by id), and the notes that say what a
grouping hides (reports left out, agencies that change between years, flagged reports)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

import numpy as np
import pandas as pd

from .style import _t

By = Literal["agency", "year", "report"]

_UNKNOWN = "?"

#: Marker appended to the label of a group holding a flagged report.
FLAG = "*"


def _require(df: pd.DataFrame | None, columns: Iterable[str], what: str, func: str) -> pd.DataFrame:
    """``df`` checked (a non-empty DataFrame with ``columns``) with unused categories dropped,
    so that a legend or a groupby never lists a code that is not in the data."""
    if df is None or not isinstance(df, pd.DataFrame):
        raise TypeError(f"{func}: {what} must be a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"{func}: {what} lacks column(s) {', '.join(missing)}")
    if df.empty:
        raise ValueError(f"{func}: {what} is empty; nothing to plot")
    return _drop_unused_categories(df)


def _drop_unused_categories(df: pd.DataFrame) -> pd.DataFrame:
    cats = [c for c in df.columns if isinstance(df[c].dtype, pd.CategoricalDtype)]
    if not cats:
        return df
    out = df.copy()
    for c in cats:
        out[c] = out[c].cat.remove_unused_categories()
    return out


def _floats(values: pd.Series) -> pd.Series:
    """Numeric float Series with NaN for missing (nullable NA included)."""
    num = pd.to_numeric(values, errors="coerce")
    return pd.Series(np.asarray(num.to_numpy(dtype=float, na_value=np.nan), dtype=float), index=values.index)


def _with_meta(df: pd.DataFrame, reports: pd.DataFrame | None, func: str) -> pd.DataFrame:
    """Attach ``agency``, ``year`` (and ``agency_id`` when known) from ``reports`` by report_id,
    unless ``df`` carries agency and year itself."""
    if "agency" in df.columns and "year" in df.columns:
        out = df.copy()
        if "agency_id" not in out.columns and reports is not None and "agency_id" in reports.columns:
            ids = reports[["report_id", "agency_id"]].drop_duplicates("report_id")
            out = out.merge(ids.astype({"report_id": str}), on="report_id", how="left")
    else:
        if reports is None:
            raise ValueError(f"{func}: pass the `reports` table (report_id, agency, year) to group the data")
        _require(reports, ("report_id", "agency", "year"), "reports", func)
        cols = ["report_id", "agency", "year"] + [c for c in ("agency_id", "format") if c in reports.columns]
        meta = reports[cols].drop_duplicates("report_id").astype({"report_id": str})
        out = df.drop(columns=[c for c in cols[1:] if c in df.columns]).astype({"report_id": str})
        out = out.merge(meta, on="report_id", how="left")
    out["report_id"] = out["report_id"].astype(str)
    out["year"] = pd.to_numeric(out["year"], errors="coerce").astype("Int64")
    out["agency"] = out["agency"].astype("string")
    if "agency_id" in out.columns:
        out["agency_id"] = out["agency_id"].astype("string")
    return out


def _agency_label(meta: pd.DataFrame) -> pd.Series:
    """One label per agency: its name, keyed by ``agency_id`` when present, so two different
    agencies of the same name get two labels (``name [id]``) and never share a series."""
    name = meta["agency"].astype("string").fillna(_UNKNOWN).astype(str)
    if "agency_id" not in meta.columns or meta["agency_id"].isna().all():
        return name
    ids = meta["agency_id"].astype("string")
    key = ids.fillna("name:" + name).astype(str)
    per_name = pd.DataFrame({"name": name, "key": key}).groupby("name")["key"].nunique()
    clash = name.map(per_name) > 1
    return name.where(~clash, name + " [" + ids.fillna("?").astype(str) + "]")


def _group_key(meta: pd.DataFrame, by: str, func: str) -> pd.Series:
    """Group label of each row: agency, year or "agency year" (per report).

    Missing agency or year shows as "?".  With ``by="report"`` two reports
    that share agency and year get their report_id appended.
    """
    agency = _agency_label(meta)
    year = meta["year"].astype("string").fillna(_UNKNOWN).astype(str)
    if by == "agency":
        return agency
    if by == "year":
        return year
    if by == "report":
        key = agency + " " + year
        ids = meta["report_id"] if "report_id" in meta.columns else pd.Series(meta.index, index=meta.index)
        ids = ids.astype(str)
        per_label = pd.DataFrame({"key": key, "id": ids}).groupby("key")["id"].nunique()
        clash = key.map(per_label) > 1
        if "format" in meta.columns:
            fmt = meta["format"].astype("string").fillna(_UNKNOWN).astype(str)
            by_format = pd.DataFrame({"key": key, "fmt": fmt, "id": ids}).groupby(["key", "fmt"])["id"].nunique()
            told = pd.Series([by_format[(k, f)] == 1 for k, f in zip(key, fmt)], index=key.index)
            key = key.where(~(clash & told), key + " (" + fmt + ")")
            clash &= ~told
        return key.where(~clash, key + " [" + ids + "]")
    raise ValueError(f"{func}: by must be 'agency', 'year' or 'report', not {by!r}")


def _order_groups(groups: pd.DataFrame, by: str, weight: str) -> list[str]:
    """Years chronologically, agencies/reports by descending weight."""
    if by == "year":
        return sorted(groups.index, key=lambda g: (g == _UNKNOWN, g))
    return list(groups.sort_values(weight, ascending=False, kind="stable").index)


def _agency_set_note(meta: pd.DataFrame, lang: str) -> str:
    """For a chart by year: "" when every year holds the same agencies, else a note saying
    how many agencies each year holds (a change between years may only reflect who reported)."""
    df = pd.DataFrame({"year": meta["year"], "agency": _agency_label(meta)}).dropna(subset=["year"])
    sets = df.groupby("year")["agency"].agg(lambda s: frozenset(s))
    if len(set(sets)) <= 1:
        return ""
    counts = ", ".join(f"{int(y)}: {len(s)}" for y, s in sets.items())
    return _t("note.agencies_change", lang, counts=counts)


def _flag_groups(keys: pd.Series, report_ids: pd.Series, flagged: Iterable[str] | None) -> set[str]:
    """The groups (values of ``keys``) holding at least one report of ``flagged``."""
    if flagged is None:
        return set()
    flagged = {str(f) for f in flagged}
    hit = report_ids.astype(str).isin(flagged).to_numpy()
    return set(keys[hit].astype(str))


def _flag_note(flag_note: str | None, lang: str) -> str:
    return flag_note if flag_note is not None else _t("note.flagged", lang, flag=FLAG)

"""Select reports from a corpus: by metadata, or by a boolean mask over ``corpus.reports``.

Every table of the result is filtered to the same reports, so a selection can be passed
on to the checks, the indicators, the panel and the charts like the whole corpus.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:  # pragma: no cover
    from . import Corpus

#: The metadata a selection can filter on (columns of ``corpus.reports``).
SELECTABLE = ("year", "agency", "agency_id", "division_code", "province", "prefecture", "county",
              "level", "kind", "sector", "layout", "format", "status")


def _wanted(value: Any) -> list[Any]:
    if isinstance(value, (str, bytes, int)) or not isinstance(value, Iterable):
        return [value]
    return list(value)


def mask(reports: pd.DataFrame, **criteria: Any) -> pd.Series:
    """A boolean Series over ``reports``: True where every criterion holds.

    Each criterion is a value or a collection of values (``year=range(2019, 2024)``,
    ``agency=["A", "B"]``); a report matches when its column equals one of them.
    """
    unknown = sorted(set(criteria) - set(SELECTABLE))
    if unknown:
        raise TypeError(f"cannot select on {', '.join(unknown)}; choose from {', '.join(SELECTABLE)}")
    keep = pd.Series(True, index=reports.index)
    for name, value in criteria.items():
        if value is None:
            continue
        if name not in reports.columns:
            raise KeyError(f"the corpus has no column {name!r} to select on; its columns are "
                           f"{', '.join(map(str, reports.columns))}")
        col = reports[name]
        wanted = _wanted(value)
        if name == "year":
            col = pd.to_numeric(col.astype(object), errors="coerce")
            wanted = [int(w) for w in wanted]
        else:
            col = col.astype(object)
            wanted = [str(w) for w in wanted]
        keep &= col.isin(wanted).fillna(False).astype(bool)
    return keep


def subset(corpus: "Corpus", keep: pd.Series) -> "Corpus":
    """A new Corpus holding the reports where ``keep`` (a boolean Series aligned with
    ``corpus.reports``) is True, every table filtered to them."""
    if not isinstance(keep, pd.Series) or not pd.api.types.is_bool_dtype(keep.dtype):
        raise TypeError("a corpus is indexed by a report id, or by a boolean Series over corpus.reports")
    if not keep.index.equals(corpus.reports.index):
        raise ValueError("the mask must have the index of corpus.reports (build it from corpus.reports)")
    keep = keep.fillna(False).astype(bool)
    reports = corpus.reports.loc[keep.to_numpy()].reset_index(drop=True)
    ids = set(reports["report_id"].astype(str))
    tables: dict[str, pd.DataFrame] = {"reports": reports}
    errors = corpus.errors
    tables["errors"] = errors.loc[errors["report_id"].astype(str).isin(ids).to_numpy()].reset_index(drop=True)
    every = corpus.tables()
    for name in corpus.table_names:
        df = every[name]
        tables[name] = (df.loc[df["report_id"].astype(str).isin(ids).to_numpy()].reset_index(drop=True)
                        if "report_id" in df.columns else df)
    return type(corpus)({name: drop_unused_categories(df) for name, df in tables.items()})


def drop_unused_categories(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with the categories no row uses removed (order kept), so legends, groupby and
    value labels list only what is there."""
    out = df
    for col in df.columns:
        if isinstance(df[col].dtype, pd.CategoricalDtype):
            if out is df:
                out = df.copy()
            out[col] = out[col].cat.remove_unused_categories()
    return out

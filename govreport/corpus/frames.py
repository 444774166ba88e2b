"""Corpus DataFrames in the declared dtypes: coded columns as ``category``, text as ``str``.

Every table's columns come from :mod:`govreport.schema`, so a corpus whose files all
fail still has every declared column.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .. import schema
from ..missing import is_na

#: Report tables, in the order a Corpus carries them.
TABLE_NAMES: tuple[str, ...] = schema.REPORT_TABLES


def _string_dtype() -> Any:
    """The pandas default dtype for text columns (``str`` on pandas 3, object before)."""
    return pd.Series(["a"]).dtype if pd.Series(["a"]).dtype != object else object


STR = _string_dtype()
STR_DTYPE = pd.Index(["a"], dtype=STR).dtype


def obj(values: Any) -> pd.Series:
    """An object Series whose missing values are all ``None``."""
    s = pd.Series(values, dtype=object) if not isinstance(values, pd.Series) else values.astype(object)
    return pd.Series([None if is_na(v) else v for v in s], index=s.index, dtype=object, name=s.name)


def as_text(values: Any, index: Any = None) -> pd.Series:
    """A text Series: strings and NA only, in the default string dtype."""
    s = obj(pd.Series(values, index=index, dtype=object))
    s = pd.Series([v if v is None or isinstance(v, str) else str(v) for v in s], index=s.index, dtype=object)
    return s.astype(STR) if STR is not object else s


def codes(vals: Iterable[Any]) -> pd.Categorical:
    """A coded column: string codes, categories sorted and limited to those observed."""
    clean = [v if isinstance(v, str) else (None if is_na(v) else str(v)) for v in vals]
    cats = sorted({v for v in clean if v is not None})
    return pd.Categorical(clean, categories=pd.Index(cats, dtype=STR))


def to_category(df: pd.DataFrame, table: str) -> pd.DataFrame:
    """Turn the declared code columns of ``df`` into ``category`` with sorted string categories."""
    for col in schema.coded_columns(table) & set(df.columns):
        s = df[col]
        if isinstance(s.dtype, pd.CategoricalDtype):
            cats = s.cat.categories
            if cats.dtype == STR_DTYPE and list(cats) == sorted(cats):
                continue
        elif s.dtype != object and not pd.api.types.is_string_dtype(s.dtype) and not s.isna().all():
            continue  # numeric code column: leave it as it is
        df[col] = codes(obj(s))
    return df


def text_array(vals: list) -> Any:
    """A list of strings as the default text array."""
    return np.array(vals, dtype=object) if STR is object else pd.array(vals, dtype=STR)


def column(table: str, name: str, vals: list, dtype: str) -> Any:
    """Rebuild a column from a list, in its recorded dtype (declared codes as ``category``)."""
    if name in schema.coded_columns(table) and dtype in ("object", "str", "string", "category"):
        return codes(vals)
    if dtype == "category":
        return pd.Categorical(vals)
    try:
        if dtype == "object":
            return np.array(vals, dtype=object)
        return pd.array(vals, dtype=dtype)
    except (TypeError, ValueError):
        try:
            return pd.Series(vals, dtype=dtype).array
        except (TypeError, ValueError):
            return np.array(vals, dtype=object)


def declared(table: str, values: dict[str, list], n: int) -> pd.DataFrame:
    """A table with every declared column, from lists by column name (missing ones all NA)."""
    data: dict[str, Any] = {}
    for col in schema.table_columns(table):
        vals = values.get(col.name, [None] * n)
        if col.dtype.startswith("datetime64"):
            data[col.name] = pd.Series([_timestamp(v) for v in vals], dtype=col.dtype)
        elif col.dtype in ("Int64", "Float64", "boolean"):
            data[col.name] = pd.array([None if is_na(v) else _number(v, col.dtype) for v in vals], dtype=col.dtype)
        else:
            data[col.name] = as_text(vals)
    return to_category(pd.DataFrame(data, index=pd.RangeIndex(n)), table)


def _timestamp(v: Any) -> Any:
    # a date the reader or a manifest got wrong is missing, never a crash of the whole corpus
    try:
        return pd.NaT if is_na(v) else pd.Timestamp(v)
    except (TypeError, ValueError, OverflowError):
        return pd.NaT


def _number(v: Any, dtype: str) -> Any:
    try:
        return bool(v) if dtype == "boolean" else int(v) if dtype == "Int64" else float(v)
    except (TypeError, ValueError, OverflowError):
        return None


def records_frame(table: str, rows: list[dict]) -> pd.DataFrame:
    """``reports`` or ``errors`` from one dict per row."""
    names = schema.column_names(table)
    return declared(table, {c: [r.get(c) for r in rows] for c in names}, len(rows))


def empty_table(name: str) -> pd.DataFrame:
    """A report table with no row: every declared column in its dtype, ``report_id`` first."""
    return declared(name, {}, 0)


def concat(frames: list[pd.DataFrame], columns: Sequence[str] | None = None) -> pd.DataFrame:
    """Concatenate once, keeping ``category`` columns categorical (union of categories)."""
    frames = [f for f in frames if f is not None]
    nonempty = [f for f in frames if len(f)]
    if not nonempty:
        if frames:
            return frames[0].iloc[0:0].reset_index(drop=True)
        return pd.DataFrame({c: pd.Series(dtype=object) for c in (columns or [])})
    frames = nonempty
    cat_cols = [c for c in frames[0].columns if isinstance(frames[0][c].dtype, pd.CategoricalDtype)]
    if cat_cols and len(frames) > 1:
        for col in cat_cols:
            cats: set = set()
            for f in frames:
                if col in f.columns and isinstance(f[col].dtype, pd.CategoricalDtype):
                    cats.update(f[col].cat.categories)
            union = pd.Index(sorted(cats), dtype=STR)
            for i, f in enumerate(frames):
                if col in f.columns and isinstance(f[col].dtype, pd.CategoricalDtype) \
                        and not f[col].cat.categories.equals(union):
                    f = f.copy(deep=False)
                    f[col] = f[col].cat.set_categories(union)
                    frames[i] = f
    return pd.concat(frames, ignore_index=True, sort=False)


def sort_categories(df: pd.DataFrame) -> pd.DataFrame:
    """Sort every categorical column's categories (so concatenations compare equal)."""
    for col in df.columns:
        if isinstance(df[col].dtype, pd.CategoricalDtype):
            cats = df[col].cat.categories
            srt = pd.Index(sorted(str(c) for c in cats), dtype=STR)
            if not cats.equals(srt):
                df[col] = df[col].cat.set_categories(srt)
    return df


def assemble(results: list[dict], table_names: Iterable[str] = TABLE_NAMES) -> dict[str, pd.DataFrame]:
    """Chunk results (records, errors, tables) → the corpus tables, in file order."""
    results = sorted(results, key=lambda r: r["first"])
    records = [rec for r in results for rec in r["records"]]
    errors = [e for r in results for e in r["errors"]]
    names = list(table_names)
    for r in results:
        names += [n for n in r["tables"] if n not in names]
    tables: dict[str, pd.DataFrame] = {"reports": records_frame("reports", records),
                                       "errors": records_frame("errors", errors)}
    for name in names:
        frames = [r["tables"][name] for r in results if name in r["tables"]]
        df = concat(frames) if frames else empty_table(name)
        tables[name] = sort_categories(df if len(df.columns) else empty_table(name))
    return tables

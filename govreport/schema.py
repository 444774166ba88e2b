"""The one schema: every table's columns and dtypes, and records → DataFrames.

Every column of every table (the report tables, and the corpus's ``reports`` and
``errors``) is declared once, in ``govreport/data/schema.csv``: its table, name, pandas
dtype, where its codes come from (``categories``), whether a corpus stores it as a pandas
``category`` (``stored_as``: only the closed code lists whose order means something, such
as table 三's rows or the severities, so that ``fillna``, seaborn and Stata treat every
other column as the plain text it is) and a description.  The report records, the
findings, an empty corpus, the exports, :func:`govreport.load` and the data dictionary
all read it from here.

Tables travel as plain records ``(columns, rows)`` (cheap to build, pickle and
concatenate) and become DataFrames with these dtypes only when a user asks.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

import pandas as pd

from . import datafiles
from .missing import is_na


Records = tuple[tuple[str, ...], list[tuple]]

#: The tables of one report, in the order a Report and a Corpus carry them.
REPORT_TABLES = ("sections", "active_disclosure", "applications", "review_litigation", "statistics", "findings")
#: The tables only a corpus has.
CORPUS_TABLES = ("reports", "errors")


@dataclass(frozen=True)
class Column:
    """One declared column: ``dtype`` as in a Report; coded when ``categories`` is set."""

    table: str
    name: str
    dtype: str
    categories: str
    description: str
    stored_as: str = ""

    @property
    def coded(self) -> bool:
        """True for a column a corpus stores as ``category`` (its observed codes only)."""
        return self.stored_as == "category"


@lru_cache(maxsize=1)
def _load() -> dict[str, tuple[Column, ...]]:
    out: dict[str, list[Column]] = {}
    for row in datafiles.rows("schema.csv"):
        col = Column(row["table"], row["column"], row["dtype"], row["categories"], row["description"],
                     row.get("stored_as", ""))
        out.setdefault(col.table, []).append(col)
    return {t: tuple(cols) for t, cols in out.items()}


@lru_cache(maxsize=1)
def _by_name() -> dict[str, str]:
    # a report table column's dtype by its name alone (records carry no table name)
    out: dict[str, str] = {}
    for table in REPORT_TABLES:
        for col in _load().get(table, ()):
            out.setdefault(col.name, col.dtype)
    return out


def table_columns(table: str, *, corpus: bool = True) -> tuple[Column, ...]:
    """The declared columns of ``table``; ``corpus=False`` drops a report table's ``report_id``."""
    try:
        cols = _load()[table]
    except KeyError:
        raise KeyError(f"no table {table!r} in the schema; the tables are {', '.join(_load())}") from None
    return cols if corpus or table in CORPUS_TABLES else tuple(c for c in cols if c.name != "report_id")


def column_names(table: str, *, corpus: bool = True) -> list[str]:
    """The names of ``table``'s declared columns, in order."""
    return [c.name for c in table_columns(table, corpus=corpus)]


def column_dtype(name: str, table: str | None = None) -> str:
    """The pandas dtype of a column: declared for ``table``, else by name; ``string`` if undeclared."""
    if table is not None:
        for col in _load().get(table, ()):
            if col.name == name:
                return col.dtype
    return _by_name().get(name, "string")


@cache
def coded_columns(table: str) -> frozenset[str]:
    """The code columns of ``table`` (``category`` in a corpus)."""
    return frozenset(c.name for c in _load().get(table, ()) if c.coded)


def describe() -> pd.DataFrame:
    """The schema as a DataFrame (``table, column, dtype, categories, stored_as, description``), for the
    data dictionary."""
    rows = [(c.table, c.name, c.dtype, c.categories, c.stored_as, c.description)
            for cols in _load().values() for c in cols]
    return pd.DataFrame(rows, columns=["table", "column", "dtype", "categories", "stored_as", "description"])


def records(rows: list[tuple], columns: Sequence[str], mapped: bool = False) -> Records:
    """A table as plain rows (cheap to build, pickle and concatenate); ``mapped`` appended."""
    return (*columns, "mapped"), [(*r, mapped) for r in rows]


def typed_columns(recs: Records, table: str | None = None) -> list[tuple[str, str, list]]:
    """Records as ``(name, dtype, values)`` per column, values cleaned for that dtype
    (NA as None, labels as str): ready for ``pd.array`` here or in a corpus."""
    columns, rows = recs
    cols = list(zip(*rows)) if rows else [()] * len(columns)
    out = []
    for name, col in zip(columns, cols):
        dtype = column_dtype(name, table)
        if dtype in ("Float64", "string"):
            conv = (lambda v: v) if dtype == "Float64" else str
            col = [None if is_na(v) else conv(v) for v in col]
        out.append((name, dtype, list(col)))
    return out


def to_frame(recs: Records, table: str | None = None) -> pd.DataFrame:
    """Records → DataFrame with govreport's dtypes (Float64 values, string labels)."""
    return pd.DataFrame({name: pd.array(vals, dtype=dtype) for name, dtype, vals in typed_columns(recs, table)},
                        columns=list(recs[0]))

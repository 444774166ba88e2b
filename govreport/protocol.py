"""The report protocol: what checks, text, indicators and plots may ask of a report.

A :class:`~govreport.Report` and one report of a :class:`~govreport.Corpus` (its
``ReportView``) are both :class:`ReportLike`: ``report_id``, ``meta``, ``text``, ``prose`` and one
DataFrame per table. A Corpus (and any list of reports) is a :class:`ReportCollection`.
Consumers take either through :func:`iter_reports`, never by probing attributes.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from typing import Any, Union

import pandas as pd

#: The tables every report has, in this order.
TABLE_NAMES = ("sections", "active_disclosure", "applications", "review_litigation", "statistics", "findings")


#: The value tables and the columns holding their row and column codes.
VALUE_KEYS = {"applications": ("row", "applicant"), "active_disclosure": ("category", "metric"),
              "review_litigation": ("procedure", "outcome"), "statistics": ("indicator", "column")}
_NOT_KEYS = {"value", "raw", "label", "mapped", "page", "box", "parent", "code", "unit", "report_id"}


class ReportLike(ABC):
    """One report: its metadata, its text and its tables."""

    #: The report's id within a corpus (None for a report read on its own).
    report_id: str | None = None
    #: ``agency``, ``year``, ``layout``, ``status``, ``format`` … (see the data dictionary).
    meta: dict[str, Any]

    @property
    @abstractmethod
    def text(self) -> str:
        """The report's normalised (simplified) text, for a human reader: its paragraphs
        and, in place, its tables (one ``a | b |`` line per row, or as a plain-text report
        printed them). No stage parses a table out of it: the tables are the DataFrames."""

    @property
    def prose(self) -> str:
        """The report's paragraphs without its tables (a table leaves an empty line): what
        the narrative check and the text stage read. A report that keeps only its prose
        (a corpus' view, whose text is its sections) returns its text."""
        return self.text

    @abstractmethod
    def table(self, table: str) -> pd.DataFrame:
        """One of :data:`TABLE_NAMES` as a DataFrame."""

    @property
    def sections(self) -> pd.DataFrame:
        """Top-level sections: ``number, title, code, text``."""
        return self.table("sections")

    @property
    def active_disclosure(self) -> pd.DataFrame:
        """Table 二 (proactive disclosure)."""
        return self.table("active_disclosure")

    @property
    def applications(self) -> pd.DataFrame:
        """Table 三 (requests received and their outcomes)."""
        return self.table("applications")

    @property
    def review_litigation(self) -> pd.DataFrame:
        """Table 四 (administrative review and litigation)."""
        return self.table("review_litigation")

    @property
    def statistics(self) -> pd.DataFrame:
        """The pre-2019 statistics table."""
        return self.table("statistics")

    @property
    def findings(self) -> pd.DataFrame:
        """What the reader and the checks noticed, one row per finding."""
        return self.table("findings")

    def tables(self) -> dict[str, pd.DataFrame]:
        """All tables at once, by name."""
        return {name: self.table(name) for name in TABLE_NAMES}

    def to_pandas(self, table: str | None = None) -> pd.DataFrame:
        """One table as a DataFrame (``table="applications"``), or, with no argument, every
        value cell of the report in one tidy frame: ``table, row, column`` (the canonical
        codes of the cell) beside ``value``, ``raw`` and the table's other columns."""
        if table is not None:
            return self.table(table)
        frames = []
        for name, (row, column) in VALUE_KEYS.items():
            df = self.table(name)
            if len(df):
                frames.append(df.rename(columns={row: "row", column: "column"}).assign(table=name))
        if not frames:
            return pd.DataFrame(columns=["table", "row", "column", "value", "raw"])
        out = pd.concat(frames, ignore_index=True)
        first = ["table", "row", "column", "value", "raw"]
        return out[first + [c for c in out.columns if c not in first]]

    def value(self, table: str, **keys: str) -> Any:
        """One cell's value: ``r.value("applications", row="granted", applicant="total")``.

        Raises KeyError naming the valid codes when a key or a code is unknown, or when
        the keys match no cell or several."""
        df = self.table(table)
        mask = pd.Series(True, index=df.index)
        for k, v in keys.items():
            if k not in df.columns:
                raise KeyError(f"{table} has no column {k!r}; its key columns are "
                               f"{', '.join(c for c in df.columns if c not in _NOT_KEYS)}")
            codes = df[k].astype(object)
            if v not in set(codes):
                known = ", ".join(sorted(str(c) for c in codes.dropna().unique()))
                raise KeyError(f"{table}.{k} has no code {v!r} in this report; the codes are: {known}")
            mask &= (codes == v).to_numpy()
        sel = df.loc[mask, "value"]
        if len(sel) != 1:
            raise KeyError(f"{len(sel)} cells of {table} match {keys}; give every key column")
        return sel.iloc[0]

    def records(self, table: str) -> tuple[tuple[str, ...], list[tuple]]:
        """One table as plain records ``(columns, rows)``; a report that keeps its tables as
        records (a Report) returns them without building a DataFrame."""
        df = self.table(table)
        columns = tuple(str(c) for c in df.columns)
        if not len(df) or not columns:
            return columns, []
        return columns, list(zip(*(df.iloc[:, i].tolist() for i in range(df.shape[1]))))


class ReportCollection(ABC):
    """Many reports (a Corpus): iterating yields one :class:`ReportLike` per report."""

    @abstractmethod
    def __iter__(self) -> Iterator[ReportLike]:
        """The reports, in order."""


Reports = Union[ReportLike, ReportCollection, Iterable[ReportLike]]


def iter_reports(report: Reports) -> Iterator[ReportLike]:
    """Every report in ``report``: a Report, a Corpus, or an iterable of reports."""
    if isinstance(report, ReportLike):
        yield report
    elif isinstance(report, ReportCollection):
        yield from report
    elif isinstance(report, Iterable) and not isinstance(report, (str, bytes, pd.DataFrame)):
        for item in report:
            if not isinstance(item, ReportLike):
                raise TypeError(f"expected a Report, a Corpus or reports, got an item of type {type(item).__name__}")
            yield item
    else:
        raise TypeError(f"expected a Report, a Corpus or reports, got {type(report).__name__}")


def is_single(report: Reports) -> bool:
    """True for one report (a Report or a ReportView), False for a collection."""
    return isinstance(report, ReportLike)

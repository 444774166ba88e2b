"""The tables of a report as the checks read them: plain records, (row, column) grids, and
one :class:`~govreport.protocol.ReportLike` per report of a Report, a Corpus or a list.

Checks never probe attributes: every input goes through :func:`reports`, which yields
``(report_id, ReportLike)``; a table is read with ``report.records(table)`` (a Report hands
its records without building a DataFrame).
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import pandas as pd

from ..errors import renamed
from ..missing import is_na
from ..missing import number as num  # checks call it num
from ..protocol import TABLE_NAMES, ReportCollection, ReportLike, Reports, iter_reports
from ..schema import to_frame

__all__ = ["Rows", "Grid", "ReportTables", "reports", "rows_of", "num", "text_of"]

Records = tuple[tuple[str, ...], list[tuple]]


def key(v: Any) -> str | None:
    """A key cell (row, column code) as str, or None when missing."""
    if type(v) is str:
        return v
    return None if is_na(v) else str(v)


class Rows:
    """A table as plain records: ``columns`` (names) and ``rows`` (tuples)."""

    __slots__ = ("columns", "rows", "_index")

    def __init__(self, columns: Sequence[str] = (), rows: list[tuple] | None = None) -> None:
        self.columns = tuple(columns)
        self.rows = rows if rows is not None else []
        self._index = {c: i for i, c in enumerate(self.columns)}

    def __len__(self) -> int:
        return len(self.rows)

    def __contains__(self, column: str) -> bool:
        return column in self._index

    def index(self, column: str | None) -> int | None:
        """Position of ``column``, None when the table has no such column."""
        return None if column is None else self._index.get(column)

    def column(self, column: str) -> list[Any]:
        """One column's values (None for a column the table lacks)."""
        i = self._index.get(column)
        return [None] * len(self.rows) if i is None else [r[i] for r in self.rows]


def rows_of(report: ReportLike, name: str) -> Rows:
    """Table ``name`` of ``report`` as :class:`Rows`."""
    columns, rows = report.records(name)
    return Rows(columns, rows if isinstance(rows, list) else list(rows))


class Grid:
    """A tidy table looked up by (row key, column key); the first value of a key wins (a
    blank one gives way to a later printing)."""

    __slots__ = ("values", "rows")

    def __init__(self, table: Rows, row_key: str, col_key: str) -> None:
        values: dict[tuple[str, str], float | None] = {}
        rows: dict[str, None] = {}
        ri, ci, vi = table.index(row_key), table.index(col_key), table.index("value")
        if table.rows and ri is not None and ci is not None:
            for rec in table.rows:
                r, c = rec[ri], rec[ci]
                if type(r) is not str:
                    r = key(r)
                if type(c) is not str:
                    c = key(c)
                if r is None or c is None:
                    continue
                rows[r] = None
                k = (r, c)
                if values.get(k) is None:
                    v = None if vi is None else rec[vi]
                    values[k] = num(v)
        self.values = values
        self.rows: list[str] = list(rows)

    def get(self, row: str, col: str) -> float | None:
        """The value at (row, col), None when blank or absent."""
        return self.values.get((row, col))

    def __bool__(self) -> bool:
        return bool(self.values)


def text_of(sections: Rows) -> str:
    """A report's text as a corpus keeps it: the text of its sections, joined."""
    return "\n".join(str(t) for t in sections.column("text") if not is_na(t))


class ReportTables(ReportLike):
    """A report made of tables (DataFrames or records), metadata and text.

    The checks' own report object: one report of a Corpus split for validation, or a
    report built by hand (a test, a table edited in a notebook).
    """

    def __init__(self, meta: Mapping[str, Any] | None = None, tables: Mapping[str, Any] | None = None,
                 text: str = "", report_id: str | None = None) -> None:
        self.meta = dict(meta or {})
        self._tables = dict(tables or {})
        self._text = text
        self.report_id = report_id

    @property
    def text(self) -> str:
        return self._text

    @renamed(name="table")
    def table(self, table: str) -> pd.DataFrame:
        if table not in TABLE_NAMES:
            raise KeyError(f"no table {table!r}; the tables are {', '.join(TABLE_NAMES)}")
        got = self._tables.get(table)
        if got is None:
            return pd.DataFrame()
        if isinstance(got, pd.DataFrame):
            return got
        return to_frame(got)

    # validate_report() replaces the findings with the combined ones
    findings = property(ReportLike.findings.fget, lambda self, df: self._tables.__setitem__("findings", df),
                        doc=ReportLike.findings.__doc__)

    @renamed(name="table")
    def records(self, table: str) -> Records:
        got = self._tables.get(table)
        if isinstance(got, tuple):
            return got
        return super().records(table)

    def __repr__(self) -> str:
        m = self.meta
        return f"<ReportTables {self.report_id or ''} {m.get('agency')} {m.get('year')} layout={m.get('layout')}>"


def _split_frames(frames: Mapping[str, pd.DataFrame], reports_table: pd.DataFrame,
                  names: Sequence[str]) -> Iterator[ReportTables]:
    """One :class:`ReportTables` per row of a corpus ``reports`` table; each table is
    grouped by ``report_id`` once (linear in the corpus size)."""
    cols: dict[str, tuple[str, ...]] = {}
    groups: dict[str, dict[str, list[tuple]]] = {}
    for name in names:
        df = frames.get(name)
        if df is None or not len(df) or "report_id" not in df.columns:
            continue
        keep = [c for c in df.columns if c != "report_id"]
        cols[name] = tuple(str(c) for c in keep)
        by: dict[str, list[tuple]] = {}
        ids = [str(x) for x in df["report_id"].tolist()]
        for rid, rec in zip(ids, zip(*(df[c].tolist() for c in keep))):
            by.setdefault(rid, []).append(rec)
        groups[name] = by
    ok = reports_table["status"].astype(object) != "failed" if "status" in reports_table.columns else None
    table = reports_table if ok is None else reports_table.loc[ok]
    for rec in table.to_dict("records"):
        rid = str(rec.get("report_id"))
        meta = {k: (None if is_na(v) else v) for k, v in rec.items()}
        tabs = {name: (cols[name], groups[name].get(rid, [])) for name in groups}
        sections = Rows(*tabs["sections"]) if "sections" in tabs else Rows()
        yield ReportTables(meta, tabs, text_of(sections), report_id=rid)


def reports(report: Reports | Mapping[str, ReportLike],
            tables: Sequence[str] = TABLE_NAMES) -> Iterator[tuple[str | None, ReportLike]]:
    """``(report_id, report)`` for a Report (id None), a Corpus, a list of reports or a dict
    of reports by id.

    A list's reports are named by their ``report_id``, their source, or their position.
    A Corpus is split once, table by table (only ``tables``), instead of one slice per report.
    """
    if isinstance(report, ReportLike):
        yield report.report_id, report
        return
    if isinstance(report, ReportCollection):  # a Corpus: its public tables, each with report_id
        frames = report.tables()
        for view in _split_frames(frames, frames["reports"], tables):
            yield view.report_id, view
        return
    if isinstance(report, Mapping):  # reports by id
        for rid, rep in report.items():
            if not isinstance(rep, ReportLike):
                raise TypeError(f"expected reports by id, got a {type(rep).__name__} for {rid!r}")
            yield str(rid), rep
        return
    for i, rep in enumerate(iter_reports(report)):
        yield str(rep.report_id or rep.meta.get("report_id") or rep.meta.get("source") or i), rep

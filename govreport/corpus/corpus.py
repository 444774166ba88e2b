"""The :class:`Corpus` (many reports as concatenated tables) and its per-report :class:`ReportView`."""
from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import renamed
from ..missing import is_na
from ..protocol import ReportCollection, ReportLike
from .frames import TABLE_NAMES, empty_table, records_frame
from .store import read_tables, to_csv, to_excel, to_parquet

# reports statuses of files that were not read
_NOT_READ = ("failed", "skipped")


class ReportView(ReportLike):
    """The rows of one report in a :class:`Corpus`, shaped like a :class:`Report`.

    ``meta`` is the report's row of ``corpus.reports`` as a dict; each table (an
    attribute, computed on first access) is the report's rows without ``report_id``.
    """

    def __init__(self, corpus: Corpus, report_id: str) -> None:
        self.report_id = report_id
        self._corpus = corpus
        self._cache: dict[str, pd.DataFrame] = {}
        pos = corpus._report_positions().get(report_id)
        row = corpus.reports.iloc[pos] if pos is not None else None
        self.meta: dict[str, Any] = {
            k: (None if is_na(v) else v) for k, v in row.to_dict().items()
        } if row is not None else {}

    @renamed(name="table")
    def table(self, table: str) -> pd.DataFrame:
        """One of the report's tables (``sections``, ``applications`` …) as a DataFrame."""
        if table not in self._corpus.table_names:
            raise KeyError(f"no table {table!r}; the tables are {', '.join(self._corpus.table_names)}")
        if table not in self._cache:
            self._cache[table] = self._corpus._rows_of(table, self.report_id)
        return self._cache[table]

    @property
    def text(self) -> str:
        """The report's text as the corpus keeps it: its sections, joined."""
        sec = self.sections
        return "\n".join(str(t) for t in sec["text"].dropna()) if "text" in sec.columns else ""

    def __repr__(self) -> str:
        m = self.meta
        return (f"<ReportView {self.report_id!r}: {m.get('agency')} {m.get('year')} "
                f"layout={m.get('layout')} status={m.get('status')}>")


def _row_ranges(df: pd.DataFrame) -> dict[str, Any]:
    """report_id -> (start, stop) of its rows, or an index array when not contiguous."""
    if not len(df) or "report_id" not in df.columns:
        return {}
    ids = np.asarray(df["report_id"].astype(object))
    starts = np.concatenate([[0], np.flatnonzero(ids[1:] != ids[:-1]) + 1])
    stops = np.concatenate([starts[1:], [len(ids)]])
    out: dict[str, Any] = {}
    for a, b in zip(starts.tolist(), stops.tolist()):
        rid = ids[a]
        if rid in out:  # not contiguous (a user re-sorted the table): fall back
            return {k: v for k, v in df.groupby(df["report_id"].astype(object),
                                                  sort=False).indices.items()}
        out[rid] = (a, b)
    return out


class Corpus(ReportCollection):
    """Many reports as concatenated tables.

    Attributes
    ----------
    reports : DataFrame
        One row per file: ``report_id, file, sha256, size, status`` (the report's own
        status such as ``'ok'``; ``'failed'`` for a file that could not be read,
        ``'skipped'`` for a FIFO, socket or device), ``agency, year, published, region``
        each with a ``*_source`` column (``'report'``, ``'manifest'`` or NA), ``agency_id,
        days_late, url, layout, script, format, title``, the agency classification
        ``level, kind, sector, province, prefecture, county, division_code`` and the
        number of findings by severity ``n_error, n_warning, n_info``.
    errors : DataFrame
        One row per file that could not be read: ``report_id, file, error_type,
        error_code, message``.
    sections, active_disclosure, applications, review_litigation, statistics, findings :
        The tables of :class:`govreport.Report`, concatenated, ``report_id`` first.
    """

    def __init__(self, tables: Mapping[str, pd.DataFrame]) -> None:
        tables = dict(tables)
        self.reports: pd.DataFrame = tables.pop("reports", None)
        if self.reports is None:
            self.reports = records_frame("reports", [])
        self.errors: pd.DataFrame = tables.pop("errors", None)
        if self.errors is None:
            self.errors = records_frame("errors", [])
        for name in TABLE_NAMES:
            tables.setdefault(name, empty_table(name))
        self.table_names: list[str] = list(tables)
        self._tables = tables
        for name, df in tables.items():
            setattr(self, name, df)
        self._index: dict[str, dict[str, np.ndarray]] = {}

    # -- container protocol -----------------------------------------------------------
    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table by name: ``reports``, ``errors`` and the report tables."""
        out = {"reports": self.reports, "errors": self.errors}
        out.update({name: getattr(self, name) for name in self.table_names})
        return out

    def _parsed(self) -> pd.Series:
        # a report was read unless its file failed or was skipped (its own status may be partial …)
        return ~self.reports["status"].astype(object).isin(_NOT_READ) & self.reports["status"].notna()

    def __len__(self) -> int:
        """Number of reports parsed (failed and skipped files not counted)."""
        return int(self._parsed().sum())

    def __iter__(self):
        for rid in self.report_ids:
            yield self[rid]

    def __contains__(self, report_id: object) -> bool:
        return report_id in self._report_positions()

    @property
    def report_ids(self) -> list[str]:
        """The ids of the reports parsed, in file order."""
        return [str(x) for x in self.reports.loc[self._parsed(), "report_id"]]

    # -- selecting and reshaping ------------------------------------------------------
    def select(self, **criteria: Any) -> "Corpus":
        """The reports matching every criterion, each table filtered to them:
        ``corpus.select(year=range(2019, 2024), province="上海市", level="county")``.
        Criteria: see :data:`govreport.corpus.select.SELECTABLE`."""
        from .select import mask, subset

        return subset(self, mask(self.reports, **criteria))

    def to_pandas(self, table: str | None = None) -> pd.DataFrame:
        """One table of every report (``table="applications"``, with ``report_id``), or,
        with no argument, the tidy panel: one row per report and cell."""
        if table is None:
            return self.panel(long=True)
        every = self.tables()
        if table not in every:
            raise KeyError(f"no table {table!r}; the tables are {', '.join(every)}")
        return every[table]

    def panel(self, *, long: bool = False, indicators: bool = True) -> pd.DataFrame:
        """One row per report: metadata, every canonical cell and the indicators
        (see :mod:`govreport.corpus.panel`); ``long=True`` for the tidy form."""
        from .panel import panel

        return panel(self, long=long, indicators=indicators)

    @renamed(folder="path")
    def to_stata(self, path: str | os.PathLike) -> list[Path]:
        """Write ``panel.dta`` and one ``.dta`` per table (version 118, UTF-8, labelled)
        with ``codebook.csv`` into the folder ``path`` (see :mod:`govreport.corpus.stata`)."""
        from .stata import to_stata

        return to_stata(self, path)

    def __getitem__(self, report_id: "str | pd.Series") -> "ReportView | Corpus":
        """The rows of one report (by ``report_id``, or by file path) as a
        :class:`ReportView`; by a boolean Series over ``corpus.reports``, a Corpus of
        those reports."""
        if isinstance(report_id, pd.Series):
            from .select import subset

            return subset(self, report_id)
        if report_id not in self._report_positions():
            ids = self.reports["report_id"].astype(object)
            files = self.reports["file"].astype(object)
            match = ids[files == str(report_id)]
            if len(match):
                report_id = match.iloc[0]
            else:
                raise KeyError(report_id)
        return ReportView(self, str(report_id))

    def _report_positions(self) -> dict[str, int]:
        if "__reports__" not in self._index:
            ids = self.reports["report_id"].astype(object).tolist()
            self._index["__reports__"] = {rid: i for i, rid in enumerate(ids)}  # type: ignore
        return self._index["__reports__"]  # type: ignore[return-value]

    def _rows_of(self, name: str, report_id: str) -> pd.DataFrame:
        df = getattr(self, name)
        if name not in self._index:
            self._index[name] = _row_ranges(df)
        where = self._index[name].get(report_id)
        cols = [i for i, c in enumerate(df.columns) if c != "report_id"]
        contiguous = cols == list(range(1, df.shape[1]))
        if where is None:
            out = df.iloc[0:0, cols]
        elif isinstance(where, tuple) and contiguous:  # rows of a report are contiguous
            out = df.iloc[where[0]:where[1], 1:]
        elif isinstance(where, tuple):
            out = df.iloc[where[0]:where[1], cols]
        else:
            out = df.iloc[where, cols]
        return out.reset_index(drop=True)

    # -- overviews ---------------------------------------------------------------------
    def summary(self) -> dict[str, Any]:
        """Counts: every file seen (``files``), reports parsed, failed, skipped, files by
        status, years, layouts, findings by severity and rows per table."""
        rep = self.reports
        ok = self._parsed()
        status = rep["status"].astype(object).fillna("unknown").value_counts()
        years = rep.loc[ok, "year"].dropna()
        sev = self.findings["severity"].astype(object).value_counts() \
            if "severity" in self.findings.columns else pd.Series(dtype=int)
        return {
            "files": len(rep),
            "reports": int(ok.sum()),
            "failed": int(status.get("failed", 0)),
            "skipped": int(status.get("skipped", 0)),
            "status": {str(k): int(v) for k, v in status.sort_index().items()},
            "years": (int(years.min()), int(years.max())) if len(years) else None,
            "layouts": {str(k): int(v) for k, v in
                        rep.loc[ok, "layout"].astype(object).fillna("unknown")
                        .value_counts().sort_index().items()},
            "findings": {s: int(sev.get(s, 0)) for s in ("error", "warning", "info")},
            "rows": {name: len(getattr(self, name)) for name in self.table_names},
        }

    def __repr__(self) -> str:
        s = self.summary()
        yrs = f"{s['years'][0]}–{s['years'][1]}" if s["years"] else "no years"
        skipped = f", {s['skipped']} skipped" if s["skipped"] else ""
        return (f"<Corpus: {s['reports']} reports ({yrs}), {s['failed']} failed{skipped}; "
                f"layouts {s['layouts']}; findings {s['findings']}>")

    def _repr_html_(self) -> str:
        import html as _html

        s = self.summary()
        yrs = f"{s['years'][0]}–{s['years'][1]}" if s["years"] else "—"
        rows = [("files", s["files"]), ("reports parsed", s["reports"]), ("files failed", s["failed"]),
                ("files skipped", s["skipped"]),
                ("years", yrs),
                ("layouts", ", ".join(f"{k}: {v}" for k, v in s["layouts"].items()) or "—"),
                ("findings", ", ".join(f"{k}: {v}" for k, v in s["findings"].items()))]
        rows += [(f"rows in {k}", v) for k, v in s["rows"].items()]
        body = "".join(f"<tr><th style='text-align:left'>{_html.escape(str(k))}</th>"
                       f"<td style='text-align:left'>{_html.escape(str(v))}</td></tr>"
                       for k, v in rows)
        return f"<div><strong>govreport Corpus</strong><table>{body}</table></div>"

    # -- other modules -----------------------------------------------------------------
    def validate(self) -> pd.DataFrame:
        """The findings of every report with its ``file``, plus one ``parse`` error row
        per file that could not be read."""
        files = self.reports[["report_id", "file"]].copy()
        files["report_id"] = files["report_id"].astype(object)
        f = self.findings.copy()
        f["report_id"] = f["report_id"].astype(object)
        out = f.merge(files, on="report_id", how="left")
        cols = ["report_id", "file"] + [c for c in f.columns if c != "report_id"]
        out = out[cols]
        if len(self.errors):
            err = pd.DataFrame({
                "report_id": self.errors["report_id"].astype(object),
                "file": self.errors["file"].astype(object),
                "check": "parse", "severity": "error", "status": "fail",
                "message": (self.errors["error_type"].astype(object) + ": "
                            + self.errors["message"].astype(object)),
            })
            out = pd.concat([out.astype({c: object for c in out.columns
                                         if isinstance(out[c].dtype, pd.CategoricalDtype)}),
                             err], ignore_index=True, sort=False)
        return out.reset_index(drop=True)

    def indicators(self, *, long: bool = False) -> pd.DataFrame:
        """Derived indicators per report: ``govreport.indicators(corpus, long=long)``."""
        from ..checks.indicators import indicators

        return indicators(self, long=long)

    # -- export ------------------------------------------------------------------------
    def to_parquet(self, path: str | os.PathLike) -> Path:
        """Write ``<path>/<table>.parquet`` for every table and ``<path>/schema.json``.

        :func:`load` reads it back exactly (dtypes, categories, NA).
        """
        return to_parquet(self.tables(), path)

    def to_csv(self, path: str | os.PathLike) -> Path:
        """Write ``<path>/<table>.csv`` (UTF-8 with BOM, NA written as ``<NA>``) and
        ``<path>/schema.json`` so that :func:`load` restores the dtypes exactly."""
        return to_csv(self.tables(), path)

    def to_excel(self, path: str | os.PathLike) -> Path:
        """Write one sheet per table to an ``.xlsx`` workbook (plus a ``_schema`` sheet).

        Safe to open: text cells are always text (a cell starting with ``=``, ``+``, ``-``
        or ``@`` is never a formula) and control characters Excel refuses are written as
        ``\\xNN``.  Excel limits cells to 32,767 characters and sheets to 1,048,576 rows;
        longer section texts are cut (with a warning).  Use Parquet for exact storage.
        """
        return to_excel(self.tables(), path)


@renamed(path="source")
def load(source: str | os.PathLike) -> Corpus:
    """Reload a corpus written by :meth:`Corpus.to_parquet`, :meth:`Corpus.to_csv`,
    :meth:`Corpus.to_excel` or ``read_corpus(..., engine="dask")``.

    ``source`` is the export folder (Parquet or CSV, with its ``schema.json``) or the
    ``.xlsx`` workbook.  Dtypes, categories and missing values are restored.  Only files
    inside the folder are read: a ``schema.json`` naming a table outside it is an error.
    """
    return Corpus(read_tables(source))

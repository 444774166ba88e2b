"""The :class:`Report`: one annual report, read, with its tables as tidy DataFrames."""
from __future__ import annotations

import html
import os
from dataclasses import astuple
from typing import Any

import pandas as pd

from . import findings as fnd
from . import layouts, segment, tables
from . import reader as _read
from .errors import ParseError
from .normalize import Normalizer
from .protocol import TABLE_NAMES, ReportLike
from .reader import Grid


class Report(ReportLike):
    """One report. Build it with :func:`read_report`.

    Attributes
    ----------
    meta : dict
        ``agency``, ``year``, ``layout``, ``script``, ``published``, ``source``, ``format``,
        ``title``, ``encoding``, ``mode`` (how the tables were laid out in the input).
    sections : DataFrame ``number, title, code, text``
    active_disclosure : DataFrame ``item, category, metric, value, raw, label, mapped``
    applications : DataFrame ``row, applicant, value, raw, label, mapped``
    review_litigation : DataFrame ``procedure, outcome, value, raw, mapped``
    statistics : DataFrame ``indicator, unit, column, value, raw, parent, label, code, mapped`` (pre-2019)
    findings : DataFrame ``table, location, check, severity, status, row, column, reported, recomputed, message``
    text, original_text : str
        The normalised (simplified) text and the text as decoded.

    Tables are kept as plain records and turned into DataFrames on first access.
    """

    def __init__(self, meta: dict, records: dict[str, tables.Records], findings: list[fnd.Finding],
                 text: str, original_text: str):
        self.meta = meta
        self._records = records
        self._notes = findings
        self._frames: dict[str, pd.DataFrame] = {}
        self._text = text
        self.original_text = original_text

    @property
    def text(self) -> str:
        return self._text

    def table(self, name: str) -> pd.DataFrame:
        if name not in TABLE_NAMES:
            raise KeyError(f"no table {name!r}; the tables are {', '.join(TABLE_NAMES)}")
        if name not in self._frames:
            self._frames[name] = (fnd.frame(self._notes) if name == "findings"
                                  else tables.to_frame(self._records[name]))
        return self._frames[name]

    # validate_report() replaces the findings with the combined ones
    findings = property(ReportLike.findings.fget,
                        lambda self, df: self._frames.__setitem__("findings", df),
                        doc=ReportLike.findings.__doc__)

    def __getstate__(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "_frames"}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state, _frames={})

    def records(self, name: str) -> tables.Records:
        """A table as ``(columns, rows)`` without building a DataFrame (used by the corpus)."""
        if name in self._frames:
            df = self._frames[name]
            return tuple(df.columns), list(df.itertuples(index=False, name=None))
        if name == "findings":
            return tuple(fnd.COLUMNS), [astuple(f) for f in self._notes]
        return self._records[name]

    def value(self, table: str, **keys: str) -> Any:
        """One cell's value, e.g. ``r.value("applications", row="granted", applicant="total")``."""
        df = self.table(table)
        mask = pd.Series(True, index=df.index)
        for k, v in keys.items():
            mask &= df[k] == v
        sel = df.loc[mask, "value"]
        if len(sel) != 1:
            raise KeyError(f"{len(sel)} cells of {table} match {keys}")
        return sel.iloc[0]

    def __repr__(self) -> str:
        m = self.meta
        return (f"<Report {m.get('agency') or '?'} {m.get('year') or '?'} layout={m.get('layout')} "
                f"findings={len(self.findings)}>")

    def _repr_html_(self) -> str:
        m = self.meta
        rows = "".join(f"<tr><th style='text-align:left'>{html.escape(str(k))}</th>"
                       f"<td style='text-align:left'>{html.escape(str(v))}</td></tr>"
                       for k, v in m.items() if k in ("agency", "year", "layout", "script", "published", "format",
                                                      "source"))
        shapes = "".join(f"<tr><td>{name}</td><td>{len(df)} × {df.shape[1]}</td>"
                         f"<td>{int(df['value'].notna().sum()) if 'value' in df else ''}</td></tr>"
                         for name, df in self.tables().items() if name != "findings")
        sev = self.findings["severity"].value_counts() if len(self.findings) else pd.Series(dtype=int)
        counts = ", ".join(f"{int(sev.get(s, 0))} {s}" for s in fnd.SEVERITIES)
        return (f"<div><b>govreport.Report</b><table>{rows}</table>"
                f"<table><tr><th>table</th><th>shape</th><th>values</th></tr>{shapes}</table>"
                f"<p>findings: {len(self.findings)} ({counts})</p></div>")


def read_report(source: str | os.PathLike | bytes | None = None, *, text: str | None = None,
                encoding: str | None = None, validate: bool = True, name: str | None = None) -> Report:
    """Read one report into a :class:`Report`.

    Parameters
    ----------
    source : path or bytes
        A plain-text or HTML report (any encoding; detected with charset-normalizer).
    text : str
        The report as a string instead (HTML or plain text).
    encoding : str, optional
        Force an encoding for bytes / files.
    validate : bool
        Run the arithmetic checks of :mod:`govreport.validate` and add their findings.
    name : str, optional
        The file name to record (``meta['source']``, errors) for bytes or text input.

    Raises
    ------
    ParseError
        When nothing in the input can be understood as a report (empty, binary, no
        section, no table, no year). Partly understood reports return with findings.
    """
    doc = _read.load(source, text=text, encoding=encoding, name=name)
    return build_report(doc, validate=validate)


def build_report(doc: _read.Document, validate: bool = True) -> Report:
    """Turn a decoded :class:`~govreport.read.Document` into a :class:`Report`."""
    norm = Normalizer.for_text(doc.original_text)
    notes: list[fnd.Finding] = []
    lines = []
    for b in doc.blocks:
        if isinstance(b, Grid):
            lines.extend(" | ".join(norm(c) for c in row) + " |" for row in b.logical_rows())
        else:
            lines.append(norm(b))
    text = "\n".join(lines)
    sections = segment.find_sections(text)
    meta = segment.extract_meta(text)
    layout, scores = segment.detect_layout(text)
    recognised = layout is not None
    if layout is None and sections:
        inferred = tables.infer_layout(sections)
        if inferred is not None:
            layout = inferred.name
            notes.append(fnd.finding("layout_inferred", f"no table labels found; layout {layout} inferred from the "
                                     "free-form sections", severity="info", status="info"))
    meta.update(layout=layout, script=norm.script, source=doc.source, format=doc.format, encoding=doc.encoding)
    if not sections and layout is None:
        raise ParseError(doc.source, "no report structure found (no numbered sections, no known table labels)")
    for key in ("agency", "year"):
        if meta.get(key) is None:
            notes.append(fnd.finding(f"{key}_unknown", f"the report never states its {key}",
                                     severity="warning" if key == "year" else "info", status="info"))
    if layout is None:
        notes.append(fnd.finding("layout_unknown", f"no layout recognised (marker scores {scores})",
                                 severity="warning"))

    toks, mode = tables.tokenize(doc, norm)
    found, fs = tables.read_tables(toks, layouts.get(layout) if layout else None, mode, recognised)
    notes += fs
    secs = (("number", "title", "code", "text"),
            [(s.number, s.title, s.code, text[s.body_start:s.end].strip()) for s in sections])
    meta["mode"] = mode
    report = Report(meta, {"sections": secs, **found}, notes, text, doc.original_text)
    if validate:
        _run_validation(report)
    return report


def _run_validation(report: Report) -> None:
    """Append the arithmetic checks of :mod:`govreport.validate` to the report's findings."""
    from . import checks as _validate

    try:
        report._notes.extend(_validate.findings(report))  # Finding objects: no DataFrame built
    except Exception as ex:  # noqa: BLE001 - a checker bug must not lose the report
        report._notes.append(fnd.finding("validation_failed", f"validation stopped: {type(ex).__name__}: {ex}",
                                         severity="warning", status="not_assessable"))

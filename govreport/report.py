"""The :class:`Report`: one annual report, read, with its tables as tidy DataFrames."""
from __future__ import annotations

import html
import os
from dataclasses import astuple

import pandas as pd

from . import agency, layouts, segment, tables
from . import findings as fnd
from . import reader as _read
from .errors import ParseError, renamed
from .normalize import Normalizer
from .protocol import TABLE_NAMES, ReportLike
from .reader import Grid


class Report(ReportLike):
    """One report. Build it with :func:`read_report`.

    Attributes
    ----------
    meta : dict
        ``agency``, ``year``, ``layout``, ``script``, ``published``, ``source``, ``format``,
        ``title``, ``encoding``, ``mode`` (how the tables were laid out in the input);
        the evidence behind them: ``agency_source`` (title | opening | contact | signature |
        header | mention), ``year_source`` (title | period | table | opening | narrative),
        ``published_source`` (release | written | signature); the agency's ``division_code``,
        ``agency_id``, ``agency_kind``, ``agency_level`` (see :func:`govreport.agency.identify`);
        ``days_late`` after the statutory deadline (negative = early, None when unknown).
        A ``hybrid`` layout adds ``layout_read`` (the layout the tables were read with) and
        ``layout_tables`` (the layout each table votes for).
    sections : DataFrame ``number, title, code, text``
    active_disclosure : DataFrame ``item, category, metric, value, raw, label, mapped``
    applications : DataFrame ``row, applicant, value, raw, label, mapped``
    review_litigation : DataFrame ``procedure, outcome, value, raw, mapped``
    statistics : DataFrame ``indicator, unit, column, value, raw, parent, label, code, mapped`` (pre-2019)
    findings : DataFrame ``table, location, check, severity, status, row, column, reported, recomputed, message``
    text : str
        The report for a human reader, normalised (simplified): its paragraphs, and each
        table in place (as printed for plain text, else one ``a | b |`` line per row).
        Stages search it for words but never parse a table out of it.
    prose : str
        The paragraphs only, one per line, each table leaving an empty line: what the
        narrative check and the text stage read.
    original_text : str
        The text as decoded.

    Tables are kept as plain records and turned into DataFrames on first access.
    """

    def __init__(self, meta: dict, records: dict[str, tables.Records], findings: list[fnd.Finding],
                 text: str, original_text: str, prose: str | None = None):
        self.meta = meta
        self._records = records
        self._notes = findings
        self._frames: dict[str, pd.DataFrame] = {}
        self._text = text
        self._prose = text if prose is None else prose
        self.original_text = original_text

    @property
    def text(self) -> str:
        return self._text

    @property
    def prose(self) -> str:
        return self.__dict__.get("_prose", self._text)  # a Report pickled before prose existed

    @renamed(name="table")
    def table(self, table: str) -> pd.DataFrame:
        """One of :data:`TABLE_NAMES` as a DataFrame (built on first access)."""
        if table not in TABLE_NAMES:
            raise KeyError(f"no table {table!r}; the tables are {', '.join(TABLE_NAMES)}")
        if table not in self._frames:
            self._frames[table] = (fnd.frame(self._notes) if table == "findings"
                                   else tables.to_frame(self._records[table]))
        return self._frames[table]

    # validate_report() replaces the findings with the combined ones
    findings = property(ReportLike.findings.fget,
                        lambda self, df: self._frames.__setitem__("findings", df),
                        doc=ReportLike.findings.__doc__)

    def __getstate__(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k not in ("_frames", "_pdf")}

    def debug(self, table: str) -> pd.DataFrame:
        """How ``table`` was built: one row per cell (codes, the printed label matched, the
        cell text, the value, page and box, and the findings on that cell); the tokens of
        the table's region as the assembler saw them are in ``.attrs["tokens"]``.

        >>> r.debug("review_litigation").attrs["tokens"].head()  # doctest: +SKIP
        """
        from .tables import debug as dbg

        if table not in dbg.KEYS:
            raise KeyError(f"no value table {table!r}; the value tables are {', '.join(dbg.KEYS)}")
        toks = self.__dict__.get("_tokens") or []
        layout = self.meta.get("layout_read") or self.meta.get("layout")
        known = layout in {lay.name for lay in layouts.all()}
        where = dbg.region(toks, layouts.get(layout) if known else None, table)
        out = dbg.cells_frame(table, self.table(table), self.findings)
        out.attrs["tokens"] = dbg.tokens_frame(toks, *where) if where else dbg.tokens_frame([])
        out.attrs["region"] = where
        return out

    def show(self, page: int, *, resolution: int = 110):
        """Page ``page`` (1-based) of a PDF report with every table cell that was read
        outlined and labelled, to check a number against the page. Returns a pdfplumber
        ``PageImage`` (shown inline in Jupyter; ``.save(path)`` writes a PNG)."""
        if self.meta.get("format") != "pdf":
            raise ValueError(f"show() draws PDF pages; this report was read from {self.meta.get('format')!r}")
        from .reader import show as _show

        pdf = getattr(self, "_pdf", None) or self.meta.get("source")
        if pdf is None:
            raise ValueError("the PDF's bytes are gone (report loaded from a cache): read it again to draw it")
        # label each value with its codes once the records carry their boxes; until then every cell read
        marks = _show.record_cells({n: self.table(n) for n in TABLE_NAMES if n != "findings"}, page) \
            or _show.page_cells(getattr(self, "_grids", []), page)
        return _show.draw(pdf, page, marks, resolution)

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state, _frames={})

    @renamed(name="table")
    def records(self, table: str) -> tables.Records:
        """A table as ``(columns, rows)`` without building a DataFrame (used by the corpus)."""
        if table in self._frames:
            df = self._frames[table]
            return tuple(df.columns), list(df.itertuples(index=False, name=None))
        if table == "findings":
            return tuple(fnd.COLUMNS), [astuple(f) for f in self._notes]
        return self._records[table]

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
                encoding: str | None = None, validate: bool = True, name: str | None = None, ocr: str = "auto",
                max_bytes: int = _read.MAX_BYTES, encoding_errors: str = "replace",
                progress: bool = True) -> Report:
    """Read one report into a :class:`Report`.

    Parameters
    ----------
    source : path (str or PathLike) or bytes
        A plain-text, HTML, PDF or DOCX report. The format is sniffed from the bytes
        (then the suffix); text and HTML in any encoding (detected). Formats govreport does
        not read (.doc, .wps, .ofd, .xls, archives, images) raise a ParseError naming the
        conversion to run.
    text : str
        The report as a string instead (HTML or plain text).
    encoding : str, optional
        Force an encoding for text and HTML bytes / files.
    encoding_errors : {"replace", "strict"}
        What to do with bytes invalid in the encoding: replace them (with a finding) or
        refuse the file, as in pandas.
    ocr : {"auto", "always", "never"}
        When to OCR PDF pages: pages without a text layer (``auto``), every page, or never.
        OCR costs several seconds a page and needs ``pip install 'govreport[ocr]'``.
    max_bytes : int
        Refuse larger inputs (ParseError code ``too_large``) without reading them.
    validate : bool
        Run the arithmetic checks of :mod:`govreport.validate` and add their findings.
    name : str, optional
        The file name to record (``meta['source']``, errors) for bytes or text input.
    progress : bool
        Show a progress bar while OCR runs.

    Raises
    ------
    ParseError
        The only exception: when nothing in the input can be understood as a report (empty,
        binary, unsupported format, too large, no section, no table). ``ParseError.code``
        says which. Partly understood reports return with findings.
    """
    doc = _read.load(source, text=text, encoding=encoding, name=name, ocr=ocr, max_bytes=max_bytes,
                     encoding_errors=encoding_errors, progress=progress)
    try:
        return build_report(doc, validate=validate)
    except ParseError:
        raise
    except Exception as ex:  # the contract: only ParseError escapes (RecursionError and MemoryError too)
        raise ParseError(doc.source, f"cannot read the report ({type(ex).__name__}: {ex})", code="internal") from ex


def build_report(doc: _read.Document, validate: bool = True) -> Report:
    """Turn a decoded :class:`~govreport.read.Document` into a :class:`Report`."""
    norm = Normalizer.for_text(doc.original_text)
    notes: list[fnd.Finding] = [fnd.finding(check, message, severity=_read.note_severity(check), status="info")
                                for check, message in doc.notes]  # what the reader noticed (data/reader/notes.csv)
    blocks = [b if isinstance(b, Grid) else norm(b) for b in doc.blocks]  # grids: read as cells by the tokenizer
    # for a human reader: no stage parses a table out of it
    text = "\n".join(line for b in blocks for line in (_read.text_lines([b], norm) if isinstance(b, Grid) else [b]))
    prose = segment.prose_of(blocks)
    sections = segment.find_sections(blocks)
    meta, meta_notes = segment.read_meta(text, ([norm(c) for c in r] for b in blocks if isinstance(b, Grid)
                                                for r in b.logical_rows()))  # read only when the text has no year
    notes += meta_notes
    vote = segment.vote(text)
    layout, scores = vote.layout, vote.scores
    recognised = layout is not None
    if layout is None and sections:
        inferred = tables.infer_layout(sections)
        if inferred is not None:
            layout = inferred.name
            notes.append(fnd.finding("layout_inferred", f"no table labels found; layout {layout} inferred from the "
                                     "free-form sections", severity="info", status="info"))
    meta.update(layout=vote.label if layout == vote.layout else layout, script=norm.script, source=doc.source,
                format=doc.format, encoding=doc.encoding, pages=doc.pages, ocr=doc.ocr)
    if vote.hybrid:
        meta.update(layout_read=layout, layout_tables=dict(vote.table_layouts))
        for table in vote.odd_tables():
            notes.append(fnd.finding(
                "layout_hybrid", f"table {table} is printed in the {vote.table_layouts[table]} layout, the rest of "
                f"the report in the {layout} layout; all tables were read as {layout}", table=table,
                severity="warning"))
    ident = agency.identify(meta["agency"], text)
    meta.update(division_code=ident["division_code"], agency_id=ident["agency_id"],
                agency_kind=ident["kind"], agency_level=ident["level"])
    meta["days_late"] = segment.days_late(meta["year"], meta["published"], ident["kind"])
    if not sections and layout is None:
        raise ParseError(doc.source, "no report structure found (no numbered sections, no known table labels)",
                         code="no_structure")
    if layout is None:
        notes.append(fnd.finding("layout_unknown", f"no layout recognised (marker scores {scores})",
                                 severity="warning"))

    toks, mode = tables.tokenize(doc, norm)
    found, fs = tables.read_tables(toks, layouts.get(layout) if layout else None, mode, recognised)
    notes += fs
    secs = (("number", "title", "code", "text"),
            [(s.number, s.title, s.code, prose[s.body_start:s.end].strip()) for s in sections])
    meta["mode"] = mode
    report = Report(meta, {"sections": secs, **found}, notes, text, doc.original_text, prose)
    report._tokens = toks  # what the tables were built from: Report.debug(table)
    report._grids = [b for b in doc.blocks if isinstance(b, Grid) and b.page is not None]
    report._pdf = doc.data
    if validate:
        _run_validation(report)
        if doc.ocr:  # a value that breaks its table's arithmetic in a scan is missing, never a guess
            from .checks.ocr import distrust

            distrust(report)
    from .checks.status import report_status  # after validation: it reads the findings

    meta["status"] = report_status(meta, report._records, report._notes)
    return report


def _run_validation(report: Report) -> None:
    """Append the arithmetic checks of :mod:`govreport.validate` to the report's findings."""
    from . import checks as _validate

    try:
        report._notes.extend(_validate.findings(report))  # Finding objects: no DataFrame built
    except Exception as ex:  # noqa: BLE001 - a checker bug must not lose the report
        report._notes.append(fnd.finding("validation_failed", f"validation stopped: {type(ex).__name__}: {ex}",
                                         severity="warning", status="not_assessable"))

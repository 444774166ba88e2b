"""Read many reports at once: :func:`read_corpus`, :class:`Corpus` and :func:`load`.

A study reads one province's reports for ten years, or every county in China for one
year: thousands to hundreds of thousands of files.  :func:`read_corpus` parses them in
parallel (one process per core), caches each parse by content hash, and returns a
:class:`Corpus`: the tables of :class:`govreport.Report` concatenated, each row carrying
a ``report_id``, plus a ``reports`` table (one row per file) and an ``errors`` table
(one row per file that could not be read).  One bad file never stops the run.

``report_id``
    The file name without its suffix (``pingtan_2021``) when that stem is unique in the
    corpus; otherwise the stem, a dash and the first 8 hex digits of the SHA-1 of the
    file's path relative to the corpus root (``report-3fa4c2d1``).  It depends only on
    the file list, so it is stable between runs of the same corpus.

Files
    Every file of a folder is accounted for: read (``reports.status`` the report's own
    status, ``ok`` …), ``failed`` (a row of ``errors`` with ``error_type``, ``error_code``
    and a message naming the file: unsupported formats, empty or binary files, a parse
    error, a file over ``max_bytes``, a file slower than ``timeout``, a file that killed
    its worker twice) or ``skipped`` (a FIFO, socket or device: never opened).  Hidden
    files and ``manifest.csv`` are not reports.  A killed worker costs only its own files.

Cache
    Each successful parse is stored as JSON (data, never code: a tampered entry is a
    miss) under the cache directory (``$GOVREPORT_CACHE``, else
    ``$XDG_CACHE_HOME/govreport``, else ``~/.cache/govreport``) keyed by the SHA-256 of
    the file's bytes plus a salt made of the govreport version and a hash of the
    package's own source and data files, so any change to the parser invalidates it.
    Entries are renamed into place, so killed runs and runs sharing a cache leave it
    consistent.  ``cache=False`` turns it off; :func:`clear_cache` empties it.

Manifest
    A CSV (or DataFrame) with a ``file`` column and any of ``agency``, ``region``,
    ``year``, ``url``, ``published``.  A non-empty manifest value completes or corrects
    what the report says about itself; ``reports.<field>_source`` says where each value
    came from: ``'manifest'``, ``'report'`` or missing.  Paths in the ``file`` column are
    relative to the manifest's folder (or absolute); a bare file name also matches when it
    is unique in the corpus.  Without a manifest value, ``region`` is the most specific
    place (county, prefecture, province) that :mod:`govreport.classify` finds in the
    agency name (source ``'report'``).  Other manifest columns are ignored.

Export
    :meth:`Corpus.to_parquet` and :meth:`Corpus.to_csv` write one file per table plus a
    ``schema.json``; :func:`load` restores every dtype, category and missing value, so
    the round trip is exact, and reads only files inside its folder.
    :meth:`Corpus.to_excel` writes one sheet per table, with no formula and no control
    character (Excel cannot tell an empty string from a missing value, so reloading it is
    best effort).  Every table's columns are declared in ``govreport/data/schema.csv``.

Scaling out
    ``read_corpus(..., engine="dask", client=Client("tcp://scheduler:8786"), out=DIR)``
    runs the same parsing on a ``dask.distributed`` cluster; each task writes its rows
    to ``DIR/<table>/part-NNNNNN.parquet`` and :func:`load` reads the folder back.  The
    report files and ``DIR`` must be visible to every worker at the same path.  Dask is
    an extra: ``pip install 'govreport[dask]'``.

Modules: ``run`` (read_corpus, the pool), ``work`` (one file, one chunk), ``files``
(discovery, ids), ``manifest``, ``cache``, ``frames`` (dtypes), ``corpus`` (Corpus,
ReportView), ``store`` (exports, load), ``dask`` (optional engine), ``classify``.
"""

from __future__ import annotations

from ..errors import EmptyFileError  # the reader's ParseError for a file with nothing in it
from ..schema import column_names as _column_names
from .cache import clear_cache, default_cache_dir
from .corpus import Corpus, ReportView, load
from .files import REPORT_SUFFIXES, discover
from .frames import TABLE_NAMES
from .panel import panel_columns
from .run import DEFAULT_MAX_SIZE, DEFAULT_TIMEOUT, WorkerCrashed, read_corpus
from .work import (
    FileTimeout,
    FileTooLarge,
    NotARegularFile,
)

#: The columns of ``Corpus.reports`` and ``Corpus.errors`` (declared in data/schema.csv).
REPORTS_COLUMNS: tuple[str, ...] = tuple(_column_names("reports"))
ERRORS_COLUMNS: tuple[str, ...] = tuple(_column_names("errors"))

__all__ = [
    "DEFAULT_MAX_SIZE",
    "DEFAULT_TIMEOUT",
    "ERRORS_COLUMNS",
    "REPORTS_COLUMNS",
    "REPORT_SUFFIXES",
    "TABLE_NAMES",
    "Corpus",
    "EmptyFileError",
    "FileTimeout",
    "FileTooLarge",
    "NotARegularFile",
    "ReportView",
    "WorkerCrashed",
    "clear_cache",
    "default_cache_dir",
    "discover",
    "load",
    "panel_columns",
    "read_corpus",
]

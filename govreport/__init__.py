"""govreport: read Chinese government information-disclosure annual reports
(政府信息公开工作年度报告) into tidy, validated pandas DataFrames.

>>> import govreport
>>> r = govreport.read_report("data/raw/004_1de402db7ad7867c.txt")
>>> r.value("applications", row="granted", applicant="total")
13.0
>>> corpus = govreport.read_corpus("data/raw", progress=False)   # doctest: +SKIP
>>> govreport.indicators(corpus)                                 # doctest: +SKIP

One package per pipeline stage, data flowing one way: ``reader`` (bytes → typed blocks) →
``segment`` (sections, metadata, layout) → ``tables`` (the value tables) → ``checks``
(findings, indicators) → ``text`` (narrative) and ``agency`` (who reported); ``report``
assembles one :class:`Report`, ``corpus`` many, ``plot`` draws them (import
``govreport.plot`` explicitly: it registers a CJK font with matplotlib) and ``cli`` is the
command line. Below them the foundations: ``errors``, ``schema``, ``protocol`` (what a
report offers), ``findings``, ``layouts`` (layout knowledge as data) and ``normalize``.

Names: the main argument is ``source`` for what is read and ``report`` for a Report or
a Corpus; the other concepts have one name each (``table``, ``section``, ``path``,
``jobs``, ``progress``, ``cache``, ``lang`` …), listed in ``docs/api.md``.
"""
from __future__ import annotations

from .checks.indicators import indicators
from .errors import ParseError
from .layouts import data_dictionary
from .report import TABLE_NAMES, Report, read_report

__version__ = "0.1.0"

_CORPUS_NAMES = ("read_corpus", "Corpus", "ReportView", "load", "clear_cache")

__all__ = [
    "TABLE_NAMES",
    "Corpus",
    "ParseError",
    "Report",
    "ReportView",
    "__version__",
    "clear_cache",
    "data_dictionary",
    "indicators",
    "load",
    "read_corpus",
    "read_report",
]


def __getattr__(name: str):
    # the corpus machinery (process pools, Parquet, dask) loads only when asked for
    if name in _CORPUS_NAMES:
        from . import corpus

        return getattr(corpus, name)
    raise AttributeError(f"module 'govreport' has no attribute {name!r}")

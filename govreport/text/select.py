"""Reports in, one sections table out; and THE section selector.

Every text function takes ``report``: a Report, a Corpus, a list of reports (all read
through :func:`govreport.protocol.iter_reports`), a mapping ``{report_id: report}``, a
sections DataFrame (``text`` plus optional ``report_id, number, title, code``) or a
plain string (one untitled section; read as the reader reads a text copy, so the tables
it prints between ``|`` bars are set aside and only its prose is read, as for a Report).
:func:`sections_of` turns any of them into one table ``report_id, number, title, code, text``.

``section=`` is one small typed selector (:data:`Section`):

* ``None`` -- every section;
* an ``int`` -- the section number (``5`` = 五);
* a section code (:data:`SectionCode`), the ``code`` column the segment stage gives each
  section from ``govreport/data/layouts/sections.csv``: ``general``,
  ``active_disclosure``, ``applications``, ``fees``, ``review_litigation``,
  ``problems`` (存在的主要问题及改进情况, 五 in 2019/2021, 十一 in many pre-2019
  reports), ``other``, ``statistics``.

``problems`` has one fallback, for reports whose problems section the segment stage did
not find: a problems heading line (``五、 存在的主要问题及改进情况``) or the ``（一）主要问题``
sub-heading inside another section, up to the next top heading.
"""

from __future__ import annotations

import functools
import numbers
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Literal

import pandas as pd

from .. import layouts
from .. import numbering as nb
from ..protocol import ReportCollection, ReportLike, iter_reports
from ..reader import Grid
from ..reader.text import text_blocks
from ..segment import section_code
from .phrases import phrase
from .prose import TOP_HEADING

#: The section codes of ``govreport/data/layouts/sections.csv`` (a test keeps them equal).
SectionCode = Literal[
    "general", "active_disclosure", "applications", "fees", "review_litigation", "problems", "other", "statistics"
]
#: What ``section=`` accepts: None (all), a section number, or a section code.
Section = SectionCode | int | None
#: What ``report`` accepts (see the module docstring).
ReportsOrText = ReportLike | ReportCollection | Iterable[ReportLike] | Mapping[str, ReportLike] | pd.DataFrame | str


_FIRST = f"(?:{nb.numeral(1)}|1)"  # the problems come first: (一), 一、, 1.


@functools.cache
def problems_subhead() -> re.Pattern:
    """The sub-heading that opens the problems (``（一）存在的主要问题``), at a sentence start,
    followed by its end (``：``, ``。``, a line break) or, after a list marker, glued to the
    first sentence."""
    return re.compile(
        r"(?:^|(?<=[。；;！!\n]))\s*(?:(?P<marker>"
        + nb.paren(_FIRST, full_width=True, space=r"\s*") + "|" + nb.dun(_FIRST, seps="、.．", space=r"\s*")
        + r")\s*)?"
        + phrase("problems_heading") + "(?:" + phrase("problems_heading_suffix") + r")?\s*"
        r"(?:(?=[:：。\n]|$)|(?(marker)(?=[\u4e00-\u9fff\d(（])|(?!)))"
    )


@functools.cache
def problems_heading_line() -> re.Pattern:
    """A top-level problems heading the segment stage did not take as a section
    (``五、 存在的主要问题及改进情况`` with a space, or numbered out of sequence)."""
    return re.compile(
        r"(?m)^" + nb.SPACE + nb.dun(nb.run(3), space=nb.SPACE) + nb.SPACE + r"[^\n。；;]{0,16}?"
        + phrase("problems_heading") + r"[^\n。；;]{0,12}$"
    )


def section_codes() -> tuple[str, ...]:
    """The valid section codes, in the order of ``sections.csv``."""
    return tuple(code for code, _ in layouts.section_codes())


def _frame(df: pd.DataFrame, report_id: str) -> pd.DataFrame:
    if "text" not in df.columns:
        raise ValueError("a sections table needs a 'text' column")
    titles = df["title"].fillna("").astype(str) if "title" in df.columns else pd.Series("", index=df.index)
    codes = df["code"] if "code" in df.columns else titles.map(lambda t: section_code(t) if t else None)
    out = pd.DataFrame(
        {
            "report_id": df["report_id"].astype(str) if "report_id" in df.columns else report_id,
            "number": df["number"] if "number" in df.columns else pd.NA,
            "title": titles,
            "code": codes.astype("string"),
            "text": df["text"].fillna("").astype(str),
        },
        index=df.index,
    )
    out["number"] = pd.array(out["number"], dtype="Int64")
    return out.reset_index(drop=True)


def report_id_of(report: ReportLike, default: str = "report") -> str:
    """A report's id: its own ``report_id`` (a corpus report), else the stem of
    ``meta["source"]`` (a Report read from a file), else ``agency_year``, else ``default``."""
    if isinstance(report.report_id, str) and report.report_id.strip():
        return report.report_id
    meta = report.meta or {}
    if meta.get("source"):
        return Path(str(meta["source"])).stem
    if meta.get("agency") or meta.get("year"):
        return f"{meta.get('agency') or ''}_{meta.get('year') or ''}".strip("_")
    return default


def _one_report(report: ReportLike, report_id: str) -> pd.DataFrame:
    df = _frame(report.sections, report_id)
    if df.empty and report.prose.strip():
        df = _frame(pd.DataFrame({"text": [report.prose]}), report_id)  # no headings: all the prose
    return df


def _empty() -> pd.DataFrame:
    return _frame(pd.DataFrame({"text": []}), "")


def _prose_in_place(text: str) -> str:
    """The prose of a text at the offsets it has in the text: each table it prints between
    ``|`` bars (a grid, as the reader splits a text copy) becomes line breaks, a paragraph
    break as a grid is in ``Report.prose``."""
    out = []
    for b in text_blocks(text.split("\n"))[0]:
        lines = () if not isinstance(b, Grid) else (b.lines or ())
        out.append(b if not isinstance(b, Grid) else "\n" * max(0, sum(map(len, lines)) + len(lines) - 1))
    return "\n".join(out)


def sections_of(report: ReportsOrText, report_id: str | None = None) -> pd.DataFrame:
    """Any accepted input as one table ``report_id, number, title, code, text``.

    ``report_id`` names a single report, a DataFrame without ``report_id`` or a string.
    Reports of a list keep their own ids when those are distinct (else ``report_0`` …).
    """
    if isinstance(report, str):
        return _frame(pd.DataFrame({"text": [_prose_in_place(report)]}), report_id or "text")
    if isinstance(report, pd.DataFrame):
        return _frame(report, report_id or "report")
    if isinstance(report, ReportLike):
        return _one_report(report, report_id or report_id_of(report))
    if isinstance(report, Mapping):
        parts = [sections_of(v, str(k)) for k, v in report.items()]
        return pd.concat(parts, ignore_index=True) if parts else _empty()
    reports = list(iter_reports(report))
    own = [report_id_of(r, "") for r in reports]
    ids = own if all(own) and len(set(own)) == len(own) else [f"report_{i}" for i in range(len(reports))]
    parts = [_one_report(r, rid) for r, rid in zip(reports, ids)]
    return pd.concat(parts, ignore_index=True) if parts else _empty()


def as_sections(report: ReportsOrText, report_id: str | None = None) -> pd.DataFrame:
    """Any accepted input as a table ``report_id, number, title, text`` (see :func:`sections_of`)."""
    return sections_of(report, report_id).drop(columns="code")


def _problems_fallback(grp: pd.DataFrame) -> pd.DataFrame | None:
    """For a report without a problems section: the body under a problems heading line
    inside another section, else from a ``（一）主要问题`` sub-heading on; up to the next
    top heading."""
    for finder, keep_heading in ((problems_heading_line(), False), (problems_subhead(), True)):
        for idx, row in grp.iterrows():
            m = finder.search(row["text"])
            if m:
                r = grp.loc[[idx]].copy()
                body = row["text"][m.start() if keep_heading else m.end():]
                nxt = TOP_HEADING.search(body)
                r["text"] = (body[: nxt.start()] if nxt else body).strip()
                r["code"] = "problems"
                return r
    return None


def select(secs: pd.DataFrame, section: Section) -> pd.DataFrame:
    """The rows of a :func:`sections_of` table that ``section`` names (see :data:`Section`)."""
    if section is None:
        return secs
    # a number read from a sections table (numpy or pandas integer) is a number too
    if isinstance(section, bool) or not isinstance(section, (numbers.Integral, str)):
        raise TypeError(f"section must be None, a section number or a section code, got {type(section).__name__}")
    if isinstance(section, numbers.Integral):
        return secs[(secs["number"] == int(section)).fillna(False).astype(bool)]
    codes = section_codes()
    if section not in codes:
        raise ValueError(f"unknown section code {section!r}; the codes are {', '.join(codes)}")
    hit = (secs["code"] == section).fillna(False).astype(bool)
    if section != "problems":
        return secs[hit]
    parts = []
    for _, grp in secs.groupby("report_id", sort=False):
        own = grp[hit.loc[grp.index]]
        found = own if len(own) else _problems_fallback(grp)
        if found is not None:
            parts.append(found)
    return pd.concat(parts, ignore_index=True) if parts else secs.iloc[0:0]


def select_sections(report: ReportsOrText, section: Section = None) -> pd.DataFrame:
    """The sections ``section`` names, of any accepted input: ``report_id, number, title, code, text``."""
    return select(sections_of(report), section)


def problems_section(report: ReportsOrText) -> pd.DataFrame:
    """The problems-and-improvements section of each report (``select_sections(report, "problems")``).

    The section coded ``problems`` (存在的主要问题及改进情况 = 五 in the 2019 and 2021
    layouts, ``十一、…存在的主要问题及改进情况`` in many pre-2019 reports); for a report
    without one, the section holding a ``（一）主要问题`` sub-heading, from that sub-heading to
    the next top heading. Returns ``report_id, number, title, code, text``; reports
    without either are left out.
    """
    return select_sections(report, "problems")


"""Publication date of a report and how late it appeared against the statutory deadline.

The date comes from the page's ``发布日期``/``发布时间`` line, the ``成文日期`` line, or the
signature date (a line holding only ``2024年1月20日`` or ``二〇二四年一月二十日``).
Deadlines are data (``deadlines.csv``) with the article they come from: the rule depends
on the report's year and on whether the agency is a government or a department.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date

from .. import datafiles

from .. import numbering as nb

_SEP_Y = r"\s*[-年/.]\s*"
_SEP_M = r"\s*[-月/.]\s*"
_LABELLED = (
    ("release", re.compile(r"发布(?:时间|日期)\s*[:：]?\s*(20\d\d)" + _SEP_Y + r"(\d{1,2})" + _SEP_M + r"(\d{1,2})")),
    ("written", re.compile(r"成文(?:时间|日期)\s*[:：]?\s*(20\d\d)" + _SEP_Y + r"(\d{1,2})" + _SEP_M + r"(\d{1,2})")),
)
_DATE_LINE = re.compile(r"^\s*(20\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*$", re.MULTILINE)
_CN_DATE_LINE = re.compile(rf"^\s*({nb.digit_run(4)})\s*年\s*({nb.run(3)})\s*月\s*({nb.run(3)})\s*日\s*$",
                           re.MULTILINE)


def _date(y: int | None, m: int | None, d: int | None) -> date | None:
    """The date, or None when a part is no number (十十月) or the day does not exist."""
    try:
        return date(y, m, d) if y is not None and m is not None and d is not None else None
    except ValueError:
        return None


def signature_date(text: str) -> date | None:
    """The last line that holds only a date (the signature block's date)."""
    best: tuple[int, date] | None = None
    for mo in _DATE_LINE.finditer(text):
        d = _date(int(mo.group(1)), int(mo.group(2)), int(mo.group(3)))
        if d and (best is None or mo.start() > best[0]):
            best = (mo.start(), d)
    for mo in _CN_DATE_LINE.finditer(text):
        d = _date(nb.value(mo.group(1)), nb.value(mo.group(2)), nb.value(mo.group(3)))
        if d and (best is None or mo.start() > best[0]):
            best = (mo.start(), d)
    return best[1] if best else None


def find_published(text: str) -> tuple[date | None, str | None]:
    """``(date, source)``: source ``release`` (发布日期), ``written`` (成文日期) or ``signature``."""
    for source, pat in _LABELLED:
        mo = pat.search(text)
        if mo:
            d = _date(int(mo.group(1)), int(mo.group(2)), int(mo.group(3)))
            if d:
                return d, source
    d = signature_date(text)
    return (d, "signature") if d else (None, None)


# ---------------------------------------------------------------- deadlines
@dataclass(frozen=True)
class Deadline:
    """A statutory publication deadline for the reports of some years."""

    rule: str
    first_year: int
    last_year: int | None
    kind: str | None  # government | department | None (every agency)
    month: int
    day: int
    article: str


@functools.cache
def deadlines() -> tuple[Deadline, ...]:
    """The rules of ``deadlines.csv``."""
    return tuple(Deadline(r["rule"], int(r["first_year"]), int(r["last_year"]) if r["last_year"] else None,
                          r["kind"] or None, int(r["month"]), int(r["day"]), r["article"])
                 for r in datafiles.rows("deadlines.csv"))


def deadline(year: int | None, kind: str | None) -> tuple[date, str] | None:
    """``(deadline, article)`` for the report of ``year`` by an agency of ``kind``; None when
    the year is unknown or the rule depends on a kind that is unknown."""
    if year is None:
        return None
    for rule in deadlines():
        if (rule.first_year <= year and (rule.last_year is None or year <= rule.last_year)
                and (rule.kind is None or rule.kind == kind)):
            return date(year + 1, rule.month, rule.day), rule.article
    return None


def days_late(year: int | None, published: date | None, kind: str | None) -> int | None:
    """Days between the statutory deadline and publication (negative = early); None when
    the date, the year or (for a rule that depends on it) the agency kind is unknown."""
    if published is None:
        return None
    d = deadline(year, kind)
    return (published - d[0]).days if d else None

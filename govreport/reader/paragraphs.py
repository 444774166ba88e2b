"""Lines of a page laid out for print, joined back into paragraphs; page numbers removed.

A line continues the previous one unless the previous ends a sentence, stops short of the
right margin, or the line starts a heading or a list item. The patterns are data
(``data/reader/line_rules.csv``); every one is anchored and bounded, so none backtracks.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .. import datafiles
from .document import Paragraph


@dataclass
class Line:
    """A printed line: text and box in PDF points from the top-left corner of its page."""

    text: str
    page: int
    x0: float
    top: float
    x1: float
    bottom: float


@functools.cache
def _rules() -> dict[str, tuple[re.Pattern, ...]]:
    out: dict[str, list[re.Pattern]] = {}
    for r in datafiles.rows("reader/line_rules.csv"):
        out.setdefault(r["kind"], []).append(re.compile(r["pattern"]))
    return {k: tuple(v) for k, v in out.items()}


def is_page_mark(text: str) -> bool:
    """A page number or page header line (``-3-``, ``— 3 —``, ``第3页``)."""
    text = text.strip()
    return 0 < len(text) <= 24 and any(p.fullmatch(text) for p in _rules()["page_mark"])


def starts_block(text: str) -> bool:
    """The line starts a heading or a list item."""
    head = text.lstrip()[:24]
    return any(p.match(head) for p in _rules()["starts"])


def ends_sentence(text: str) -> bool:
    last = text.rstrip()[-1:]
    return bool(last) and any(p.fullmatch(last) for p in _rules()["ends"])


def is_tabular(text: str) -> bool:
    """A row of an unruled table (``一、本年新收… 95 0 0 0 0 0 95``): it ends in three or more
    bare numbers (prose prints ``60 件``). Such a line is never joined to its neighbours."""
    tail = text.split()[-3:]
    return len(tail) == 3 and all(tok.replace(",", "").replace(".", "", 1).isdigit() for tok in tail)


def _glue(a: str, b: str) -> str:
    # CJK text wraps anywhere: no space; Latin words and numbers keep one
    if a[-1:].isascii() and a[-1:].isalnum() and b[:1].isascii() and b[:1].isalnum():
        return a + " " + b
    return a + b


def strip_page_marks(lines: list[Line]) -> list[Line]:
    """Drop page numbers and running marks printed as the first or last lines of a page."""
    out = list(lines)
    while out and is_page_mark(out[0].text):
        out.pop(0)
    while out and is_page_mark(out[-1].text):
        out.pop()
    return out


def strip_running_lines(pages: list[list[Line]]) -> list[list[Line]]:
    """Drop running headers and footers: a first or last line of a page whose text recurs in
    that place on at least three pages (and on half of them)."""
    if len(pages) < 3:
        return pages
    need = max(3, len(pages) // 2)
    firsts = [p[0].text.strip() for p in pages if p]
    lasts = [p[-1].text.strip() for p in pages if p]
    heads = {t for t in firsts if firsts.count(t) >= need}
    feet = {t for t in lasts if lasts.count(t) >= need}
    out = []
    for p in pages:
        p = list(p)
        if p and p[0].text.strip() in heads:
            p.pop(0)
        if p and p[-1].text.strip() in feet:
            p.pop()
        out.append(p)
    return out


def join(lines: list[Line], right: float | dict[int, float] | None = None) -> list[Paragraph]:
    """Join print lines (in reading order, possibly over several pages) into paragraphs.

    ``right`` is the right margin of the text block (or a margin per page number); by default
    the rightmost line end seen.
    A paragraph keeps the page of its first line.
    """
    if not lines:
        return []
    if right is None:
        right = max(ln.x1 for ln in lines)
    out: list[Paragraph] = []
    text, page, open_ = "", None, False
    for ln in lines:
        t = ln.text.strip()
        if not t:
            continue
        row = is_tabular(t)
        if open_ and not row and not starts_block(t):
            text = _glue(text, t)
        else:
            if text:
                out.append(Paragraph(text, page))
            text, page = t, ln.page
        em = max(4.0, ln.bottom - ln.top)  # one character of this line's size
        margin = right.get(ln.page, ln.x1) if isinstance(right, dict) else right
        open_ = not row and not ends_sentence(t) and ln.x1 >= margin - 1.5 * em
    if text:
        out.append(Paragraph(text, page))
    return out

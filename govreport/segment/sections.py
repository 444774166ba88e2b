"""Top-level sections of a report: ``一、总体情况`` … in order, each with a standard code.

Works on the normalised text (simplified script, half-width). A heading is a Chinese
numeral, a separator (``、``, ``.``, ``．``; spaces around it allowed: ``一、 概述``) and a
title. It counts when the numerals run in order and the title ends like a section
title (``情况``, ``事项``…, data in ``title_endings.csv``) or stands alone on its line.
Text copies that lost their line breaks keep their headings inline, and headings may be
glued to the first sentence (``一、总体情况2023年，我局…``), so both are searched.

Sections are found on paragraphs only: given a document's blocks, the grids are skipped
(a table cell that reads ``一、…`` is never a heading) and each section knows the blocks it
spans. Its offsets index the prose (:func:`prose_of`).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from .. import layouts
from .. import numbering as nb
from ..reader import Grid
from ..reader.text import text_blocks

# a numeral 一 … 二十, a separator, spaces around it (no line break)
_HEAD = re.compile(nb.dun(f"({nb.numeral(20)})", seps="、.．", space=nb.SPACE) + nb.SPACE)
_TITLE_RUN = re.compile(r"[\u4e00-\u9fff、“”\"]{1,40}")


@dataclass
class Section:
    """One numbered top-level section; offsets index the prose (see :func:`prose_of`)."""

    number: int
    title: str
    start: int  # offset of the heading in the prose
    body_start: int
    end: int
    code: str | None
    #: the blocks it spans, ``(first, end)`` as a slice of the document's blocks
    blocks: tuple[int, int] = (0, 0)


def prose_of(blocks: Sequence[str | Grid]) -> str:
    """The paragraphs of ``blocks`` joined by line breaks, each grid leaving an empty line
    (a paragraph break: a sentence never runs across a table)."""
    return "\n".join("" if isinstance(b, Grid) else b for b in blocks)


def _title(text: str, pos: int, line_start: bool) -> str | None:
    m = _TITLE_RUN.match(text, pos)
    if not m:
        return None
    run = m.group(0).rstrip("、")
    strong, weak = layouts.title_endings()
    cut = max((run.rfind(e) + len(e) for e in strong if e in run), default=-1)
    if cut < 0:
        cut = max((run.rfind(e) + len(e) for e in weak if e in run), default=-1)
    if cut > 1:
        return run[:cut]
    if line_start:
        eol = text.find("\n", pos)
        line = text[pos: eol if eol >= 0 else len(text)].strip()
        if 1 < len(line) <= 30 and line == run:
            return run
    return None


def find_sections(source: str | Sequence[str | Grid]) -> list[Section]:
    """Top-level sections in order, of a document's blocks (paragraphs and grids, as
    :class:`~govreport.reader.Document` holds them) or of a text (split into blocks as the
    reader splits a text copy: its ``|`` tables are grids, never headings)."""
    blocks = text_blocks(source.split("\n"))[0] if isinstance(source, str) else list(source)
    text = prose_of(blocks)
    found: list[tuple[int, int, str, int]] = []  # (number, start, title, body_start)
    expected = 1
    for m in _HEAD.finditer(text):
        n = nb.value(m.group(1))
        if n not in (expected, expected + 1) or (n == expected + 1 and expected == 1):
            continue
        line_begin = text.rfind("\n", 0, m.start()) + 1
        line_start = not text[line_begin:m.start()].strip()
        if n == expected + 1 and not line_start:
            continue
        if m.group(0)[len(m.group(1)):].strip() != "、" and not line_start:
            continue  # "一." inside a sentence is a list item or a decimal, not a heading
        title = _title(text, m.end(), line_start)
        if not title:
            continue
        found.append((n, m.start(), title, m.end() + len(title)))
        expected = n + 1
    starts, pos = [], 0  # where each block starts in the prose
    for b in blocks:
        starts.append(pos)
        pos += (0 if isinstance(b, Grid) else len(b)) + 1
    first = [bisect_right(starts, start) - 1 for _, start, _, _ in found]
    out = []
    for i, (n, start, title, body) in enumerate(found):
        end = found[i + 1][1] if i + 1 < len(found) else len(text)
        span = (first[i], first[i + 1] if i + 1 < len(found) else len(blocks))
        out.append(Section(n, title, start, body, end, section_code(title), span))
    return out


def section_code(title: str) -> str | None:
    """Standard code of a section title (``problems`` for 存在的主要问题及改进情况 …)."""
    for code, keys in layouts.section_codes():
        if any(k in title for k in keys):
            return code
    return None

"""Top-level sections of a report: ``一、总体情况`` … in order, each with a standard code.

Works on the normalised text (simplified script, half-width). A heading is a Chinese
numeral, a separator (``、``, ``.``, ``．``; spaces around it allowed: ``一、 概述``) and a
title. It counts when the numerals run in order and the title ends like a section
title (``情况``, ``事项``…, data in ``title_endings.csv``) or stands alone on its line.
Text copies that lost their line breaks keep their headings inline, and headings may be
glued to the first sentence (``一、总体情况2023年，我局…``), so both are searched.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .. import layouts
from .. import numbering as nb

# a numeral 一 … 二十, a separator, spaces around it (no line break)
_HEAD = re.compile(nb.dun(f"({nb.numeral(20)})", seps="、.．", space=nb.SPACE) + nb.SPACE)
_TITLE_RUN = re.compile(r"[\u4e00-\u9fff、“”\"]{1,40}")


@dataclass
class Section:
    """One numbered top-level section; offsets index the normalised text."""

    number: int
    title: str
    start: int  # offset of the heading in the text
    body_start: int
    end: int
    code: str | None


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


def find_sections(text: str) -> list[Section]:
    """Top-level sections in order. Lines holding table cells (``|``) are never headings."""
    found: list[tuple[int, int, str, int]] = []  # (number, start, title, body_start)
    expected = 1
    for m in _HEAD.finditer(text):
        n = nb.value(m.group(1))
        if n not in (expected, expected + 1) or (n == expected + 1 and expected == 1):
            continue
        line_begin = text.rfind("\n", 0, m.start()) + 1
        eol = text.find("\n", m.end())
        line = text[line_begin: eol if eol >= 0 else len(text)]
        if "|" in line:
            continue
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
    out = []
    for i, (n, start, title, body) in enumerate(found):
        end = found[i + 1][1] if i + 1 < len(found) else len(text)
        out.append(Section(n, title, start, body, end, section_code(title)))
    return out


def section_code(title: str) -> str | None:
    """Standard code of a section title (``problems`` for 存在的主要问题及改进情况 …)."""
    for code, keys in layouts.section_codes():
        if any(k in title for k in keys):
            return code
    return None

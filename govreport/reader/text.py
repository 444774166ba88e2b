"""Plain-text reports: lines, with web-page furniture phrases removed, and the tables that
plain text prints with ``|`` turned into :class:`Grid` blocks.

This is the one place that looks for ``|`` in a line. Two ways of printing are known:

* ``markdown`` -- ``| a | b |`` rows (at least three, with a ``|---|`` rule): each run of
  rows is a grid of the cells between the bars, the rule dropped;
* ``pipes`` -- a web copy where each cell ends in ``|``, one or many cells a line, long
  labels wrapped over lines without a bar (ten bars or more in the report). A table runs
  from a line with a bar to the last such line before the next top-level heading line
  (``三、…`` after section 二: numbered in order, so a row ``七、…`` is no heading);
  each line is a row of its ``|``-separated pieces as printed (a line without a bar is a
  row of one piece: a wrapped cell or a value on its own line).

The lines a grid was printed as are kept (:attr:`Grid.lines`) so the report can be shown
as printed; other text stays paragraphs.
"""
from __future__ import annotations

import bisect
import functools
import re

from .. import layouts
from .. import numbering as nb
from .document import Document, Grid, rectangular

_MD_ROW = re.compile(r"\s*\|.*\|\s*")  # fullmatch: one greedy run, linear (see tests/test_tables_regex.py)
_SEP_CHARS = frozenset(" \t:|-")
#: a top-level heading at the start of a line (一、 … 二十、): a pipe copy's table ends before it
_HEADING_LINE = re.compile(nb.SPACE + nb.dun(f"({nb.numeral(20)})", seps="、.．", space=nb.SPACE))
#: bars a report needs before its one-cell-per-line copy counts as a pipe table
MIN_PIPES = 10
#: markdown rows a report needs (with a rule) before they count as tables
MIN_MD_ROWS = 3


@functools.cache
def _chrome_re(phrases: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join(map(re.escape, phrases)))


def clean_lines(lines: list[str]) -> list[str]:
    """Lines with the chrome phrases of ``layouts/chrome.csv`` removed and right-stripped."""
    phrases = layouts.chrome_phrases()
    if not _chrome_re(phrases).search("\n".join(lines)):  # most texts hold none: one scan, not one a phrase
        return [line.rstrip() for line in lines]
    out = []
    for line in lines:
        for p in phrases:
            if p in line:
                line = line.replace(p, "")
        out.append(line.rstrip())
    return out


def is_md_row(line: str) -> bool:
    """``| a | b |``: a markdown table row (plain code, no regex)."""
    return _MD_ROW.fullmatch(line) is not None


def is_md_separator(line: str) -> bool:
    """``|---|:--|``: a markdown header separator. Plain code: a regex for this backtracks
    quadratically on ``|`` followed by many dashes."""
    if "---" not in line:
        return False
    s = line.strip()
    return is_md_row(s) and set(s) <= _SEP_CHARS


def table_mode(lines: list[str]) -> str | None:
    """How the lines print their tables: ``markdown``, ``pipes`` or None (no ``|`` table)."""
    barred = [line for line in lines if "|" in line]  # rows and rules all hold a bar
    joined = "\n".join(barred)  # the bars and dashes counted over one string, at C speed
    if ("---" in joined and any(map(is_md_separator, barred))
            and sum(1 for line in barred if is_md_row(line)) >= MIN_MD_ROWS):
        return "markdown"
    if joined.count("|") >= MIN_PIPES:
        return "pipes"
    return None


def _markdown_blocks(lines: list[str]) -> list[str | Grid]:
    blocks: list[str | Grid] = []
    run: list[str] = []
    for line in [*lines, None]:
        if line is not None and "|" in line and is_md_row(line):
            run.append(line)
            continue
        if run:
            rows = [r.strip()[1:-1].split("|") for r in run if not is_md_separator(r)]
            blocks.append(rectangular(rows, lines=run))
            run = []
        if line is not None:
            blocks.append(line)
    return blocks


def _heading_numbers(lines: list[str]) -> list[int | None]:
    """Per line, the number of the top-level heading it starts with (None for a line with
    a bar or no heading): matched once, whatever number the scan expects."""
    found = [None if "|" in line else _HEADING_LINE.match(line) for line in lines]
    return [nb.value(m.group(1)) if m else None for m in found]


def _heading(n: int | None, expected: int) -> int | None:
    """``n`` if it is the number of a top-level heading that may come next (``expected``,
    or one skipped), else None: ``七、…`` inside a table after section 十一 is a row label."""
    return n if n is not None and (n == expected or (n == expected + 1 and expected != 1)) else None


def _pipe_blocks(lines: list[str]) -> list[str | Grid]:
    blocks: list[str | Grid] = []
    numbers = _heading_numbers(lines)
    heads = [k for k, n in enumerate(numbers) if n is not None]  # only these lines move the numbering
    barred = [k for k, line in enumerate(lines) if "|" in line]
    expected = 1
    i = 0
    while i < len(lines):
        if "|" not in lines[i]:  # paragraphs up to the next line with a bar
            b = bisect.bisect_left(barred, i)
            stop = barred[b] if b < len(barred) else len(lines)
            for k in heads[bisect.bisect_left(heads, i):bisect.bisect_left(heads, stop)]:
                n = _heading(numbers[k], expected)
                expected = expected if n is None else n + 1
            blocks.extend(lines[i:stop])
            i = stop
            continue
        # the table: up to the last line with a bar before the next heading line
        end = next((k for k in heads[bisect.bisect_right(heads, i):] if _heading(numbers[k], expected) is not None),
                   len(lines))
        last = barred[bisect.bisect_left(barred, end) - 1]
        run = lines[i:last + 1]
        blocks.append(rectangular([line.split("|") for line in run], lines=run))
        i = last + 1
    return blocks


def text_blocks(lines: list[str]) -> tuple[list[str | Grid], str | None]:
    """The lines as paragraphs and grids, and how the tables were printed (see module doc)."""
    mode = table_mode(lines)
    if mode == "markdown":
        return _markdown_blocks(lines), mode
    if mode == "pipes":
        return _pipe_blocks(lines), mode
    return list(lines), None


def read_text(text: str, name: str | None = None, encoding: str | None = None,
              notes: list[tuple[str, str]] | None = None) -> Document:
    """A plain-text report as a Document of lines and the grids its ``|`` tables make."""
    blocks, mode = text_blocks(clean_lines(text.splitlines()))
    return Document(blocks=blocks, format="text", source=name, encoding=encoding,
                    original_text=text, notes=list(notes or []), mode=mode)

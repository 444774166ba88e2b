"""The one stated-quantity extractor: numbers the narrative states about a table cell.

``收到依申请公开52件`` is a statement ``requests_received = 52``; ``未收到政府信息公开申请``
is ``requests_received = 0`` (a statement of absence). The patterns, what each number refers
to (``targets``, a formula of cells, alternatives separated by ``|``), the words that rule a
sentence out (``exclude``) or are needed nearby (``require``) and the literal ``anchor`` a match
must contain are data: ``govreport/data/narrative_checks.csv``.

A negated statement about something narrower than the count (``未发生因依申请公开被行政复议
纠错的情况``: no review *corrected* the agency) is no statement of the count: the patterns
stop at an outcome word (纠错, 败诉 …) after the subject.

Used by the narrative check (:mod:`govreport.checks.narrative`), the ``T:`` references of
the indicators, and ``govreport.text`` (stated volumes and totals).
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import astuple, dataclass
from functools import lru_cache
from collections.abc import Iterator
from typing import Any

import pandas as pd

from .. import layouts
from .data import read_data_csv, split_list

__all__ = ["StatedQuantity", "COLUMNS", "extract", "stated_quantities", "rules"]


@dataclass(frozen=True)
class StatedQuantity:
    """One number stated in the text.

    ``subject`` the code of what is counted (``requests_received``, ``review_cases`` …);
    ``quantity`` the number (0.0 for a statement of absence, then ``absence`` is True);
    ``unit`` as printed after the number (``件``, ``条``, ``万元``; None for absence);
    ``sentence`` the sentence that states it (spaces and line breaks removed);
    ``match`` the matched words; ``start``/``end`` the span of the match in the text as given;
    ``targets`` the cell formula(s) it refers to (alternatives separated by ``|``; empty when
    no table cell holds it, e.g. proactive items).
    """

    subject: str
    quantity: float
    unit: str | None
    sentence: str
    match: str
    start: int
    end: int
    targets: str
    absence: bool


COLUMNS = ["subject", "quantity", "unit", "sentence", "match", "start", "end", "targets", "absence"]

_ENDS = "。！？!?；;\n"
_SENTENCE_END = re.compile(f"[{_ENDS}]")
#: the longest a statement runs (in characters) around its anchor
_REACH = 64
#: a sentence is quoted up to this many characters each side of its number (bounded work on text without stops)
_MAX_SENTENCE = 200
#: a run of more digits is no count: masked, so no pattern works through it digit by digit
_MAX_DIGITS = 30
_LONG_DIGITS = re.compile(r"\d{%d,}" % (_MAX_DIGITS + 1))
# what _prepare removes inside a narrative line: spaces, and the comma of a thousands separator
# (the comma alternative starts with its literal, so the regex engine skips ahead to a candidate)
_REMOVED = re.compile(r"[ \t\r\f\v\u3000\xa0]+|,(?<=\d,)(?=\d{3}(?!\d))")


@lru_cache(maxsize=None)
def rules() -> tuple[dict[str, Any], ...]:
    """The rules of ``narrative_checks.csv``, each regex compiled once."""
    out = []
    for rec in read_data_csv("narrative_checks.csv").to_dict("records"):
        out.append({
            "subject": rec["subject"],
            "regex": re.compile(rec["pattern"]),
            "anchors": split_list(rec["anchor"]),
            "targets": rec["targets"].strip(),
            "exclude": re.compile(rec["exclude"]) if rec["exclude"].strip() else None,
            "require": re.compile(rec["require"]) if rec["require"].strip() else None,
        })
    return tuple(out)


@lru_cache(maxsize=8)
def _anchors(anchors: tuple[tuple[str, ...], ...]) -> tuple[re.Pattern[str], dict[str, tuple[str, ...]]]:
    """One regex matching any of the rules' ``anchors``, and the anchors by their first character."""
    every = sorted({a for group in anchors for a in group}, key=lambda a: (-len(a), a))
    by_first: dict[str, tuple[str, ...]] = {}
    for a in every:
        by_first[a[0]] = by_first.get(a[0], ()) + (a,)
    return re.compile("|".join(map(re.escape, every)) or "(?!)"), by_first


@lru_cache(maxsize=None)
def _unit_pattern() -> re.Pattern[str]:
    return re.compile("|".join(re.escape(u) for u in sorted(layouts.units(), key=len, reverse=True)))


def _unit_after(text: str, pos: int) -> str | None:
    m = _unit_pattern().match(text, pos)
    return m.group(0) if m else None


class _Prepared:
    """The narrative of a text (prose: a table leaves an empty line, a paragraph break),
    one paragraph per line, with the spaces and line breaks inside sentences removed (PDF
    copies break lines mid-sentence), NFKC-normalised; and the way back from a position
    in it to a position in the text as given (worked out only for the lines asked about)."""

    def __init__(self, text: str) -> None:
        norm = unicodedata.normalize("NFKC", text)
        self._back: list[int] | None = None
        if len(norm) != len(text):  # a character that NFKC expands: map through each character
            parts, back = [], []
            for i, ch in enumerate(text):
                n = unicodedata.normalize("NFKC", ch)
                parts.append(n)
                back.extend([i] * len(n))
            norm, self._back = "".join(parts), back
        self._lines = norm.split("\n")
        pieces: list[str] = []
        self._starts: list[int] = []  # where each line starts in the prepared text …
        self._origins: list[int] = []  # … and in ``norm``
        size = pos = 0
        self._break: list[bool] = []  # which lines are empty (where a table stood)
        for line in self._lines:
            empty = not line.strip()
            self._break.append(empty)
            piece = "\n" if empty else _REMOVED.sub("", line)  # an empty line: a paragraph break
            if len(piece) > _MAX_DIGITS:  # no count has that many digits: mask them (same length)
                piece = _LONG_DIGITS.sub(lambda m: "#" * len(m.group(0)), piece)
            pieces.append(piece)
            self._starts.append(size)
            self._origins.append(pos)
            size += len(piece)
            pos += len(line) + 1
        self.text = "".join(pieces)
        self._segments: dict[int, tuple[list[int], list[int]]] = {}
        self._windows: dict[tuple[str, ...], list[tuple[int, int]] | None] = {}
        self._found: dict[str, list[int]] | None = None
        self._ends: list[int] | None = None  # where sentences end (a mark of _ENDS), found when first asked

    def _kept(self, i: int) -> tuple[list[int], list[int]]:
        """Line ``i``'s kept segments: their starts in the prepared line and in the line."""
        got = self._segments.get(i)
        if got is None:
            kept, orig, a, size = [0], [0], 0, 0
            for m in _REMOVED.finditer(self._lines[i]):
                size += m.start() - a
                a = m.end()
                kept.append(size)
                orig.append(a)
            got = self._segments[i] = (kept, orig)
        return got

    def origin(self, p: int) -> int:
        """The position in the text as given of position ``p`` of the prepared text."""
        i = max(bisect_right(self._starts, p) - 1, 0)
        offset = p - self._starts[i]
        q = self._origins[i]
        if not self._break[i]:  # step over what was removed before ``offset``
            kept, orig = self._kept(i)
            k = bisect_right(kept, offset) - 1
            q += orig[k] + (offset - kept[k])
        if self._back is not None:
            return self._back[min(q, len(self._back) - 1)] if self._back else 0
        return q

    def _bounds(self, pos: int) -> tuple[int, int]:
        """Start and end (after its final mark) of the sentence around ``pos``: the last
        sentence mark before ``pos`` and the first from it, each within ``_MAX_SENTENCE``."""
        if self._ends is None:
            self._ends = [m.start() for m in _SENTENCE_END.finditer(self.text)]  # once per text
        ends = self._ends
        lo = max(0, pos - _MAX_SENTENCE)
        k = bisect_left(ends, pos)
        start = ends[k - 1] + 1 if k and ends[k - 1] >= lo else lo
        if k < len(ends) and ends[k] < pos + _MAX_SENTENCE:
            return start, ends[k] + 1
        return start, min(len(self.text), pos + _MAX_SENTENCE)

    def sentence(self, pos: int) -> str:
        """The sentence around ``pos``."""
        a, b = self._bounds(pos)
        return self.text[a:b].strip()

    def previous_sentence(self, pos: int) -> str:
        """The sentence before the one around ``pos`` ('' for the first)."""
        a, _ = self._bounds(pos)
        if not a:
            return ""
        b, _ = self._bounds(a - 1)
        return self.text[b:a]

    def _places(self, anchor: str, most: int) -> list[int]:
        """Where ``anchor`` occurs, the first ``most`` places. Every anchor of every rule is
        found in one pass of the text (one regex of them all skips to the next candidate;
        each anchor starting there is tested), the first time any is asked for."""
        if self._found is None:
            regex, by_first = _anchors(tuple(rule["anchors"] for rule in rules()))
            text, found = self.text, {}
            m = regex.search(text)
            while m:
                p = m.start()
                for a in by_first[text[p]]:
                    if text.startswith(a, p):
                        found.setdefault(a, []).append(p)
                m = regex.search(text, p + 1)  # anchors may overlap (结转 and 转下 in 结转下)
            self._found = found
        return self._found.get(anchor, [])[:most]

    def windows(self, anchors: tuple[str, ...]) -> list[tuple[int, int]] | None:
        """The stretches of text within reach of an anchor (merged); None when they
        would cover most of the text (search it all). Rules sharing anchors share them."""
        if anchors in self._windows:
            return self._windows[anchors]
        spans: list[tuple[int, int]] = []
        limit = len(self.text) // (2 * _REACH) + 1  # more anchors than this: the windows cover the text
        for anchor in anchors:
            for i in self._places(anchor, limit + 1 - len(spans)):
                spans.append((max(0, i - _REACH), i + len(anchor) + _REACH))
        merged: list[tuple[int, int]] | None = None
        if len(spans) <= limit:
            spans.sort()
            merged = []
            for a, b in spans:
                if merged and a <= merged[-1][1]:
                    merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
                else:
                    merged.append((a, b))
        self._windows[anchors] = merged
        return merged


def _matches(prep: _Prepared, rule: dict[str, Any]) -> Iterator[re.Match[str]]:
    """The matches of a rule's regex, searched only within reach of its anchors: a match
    contains an anchor and is shorter than ``_REACH``, so it lies in one window; windows
    search the whole text (look-behinds see what precedes), so the matches are those of
    a whole-text search."""
    regex, text = rule["regex"], prep.text
    if not rule["anchors"]:
        yield from regex.finditer(text)
        return
    windows = prep.windows(rule["anchors"])
    if windows is None:
        yield from regex.finditer(text)
        return
    last = -1
    for a, b in windows:
        # the lookahead of a match may read past it: leave room at the end
        for m in regex.finditer(text, a, min(len(text), b + _REACH)):
            if m.start() >= last:
                last = m.end() if m.end() > m.start() else m.start() + 1
                yield m


@lru_cache(maxsize=64)
def extract(text: str) -> tuple[StatedQuantity, ...]:
    """Every number stated in ``text`` about a subject of ``narrative_checks.csv``, in text order.

    One statement per position: where two rules read the same number, the first rule wins;
    one statement of absence per subject and sentence.
    """
    prep = _Prepared(text or "")
    body = prep.text
    found: list[tuple[int, StatedQuantity]] = []
    seen: set[tuple[str, Any]] = set()
    claimed: set[int] = set()
    for rule in rules():
        for m in _matches(prep, rule):
            groups = m.groupdict()
            number = groups.get("n")
            if number is not None:
                pos, quantity = m.start("n"), float(number)
            elif "zero" in groups:
                pos, quantity = m.start(), 0.0
            else:
                continue
            sentence = prep.sentence(pos)
            if rule["exclude"] is not None and rule["exclude"].search(sentence):
                continue
            if rule["require"] is not None and not rule["require"].search(prep.previous_sentence(pos) + sentence):
                continue
            if (rule["subject"], pos) in seen or (number is not None and pos in claimed):
                continue
            if number is None:
                skey = (rule["subject"], sentence)
                if skey in seen:
                    continue
                seen.add(skey)
            else:
                claimed.add(pos)
            seen.add((rule["subject"], pos))
            unit = _unit_after(body, m.end("n")) if number is not None else None
            found.append((pos, StatedQuantity(
                rule["subject"], quantity, unit, sentence, m.group(0), prep.origin(m.start()),
                prep.origin(m.end() - 1) + 1 if m.end() > m.start() else prep.origin(m.start()),
                rule["targets"], number is None)))
    found.sort(key=lambda x: x[0])  # stable: rule order among equal positions
    return tuple(q for _, q in found)


def stated_quantities(text: str) -> pd.DataFrame:
    """Numbers stated in the narrative that refer to a subject, one row per mention, in text order.

    Columns: ``subject, quantity, unit, sentence, match, start, end, targets, absence``
    (see :class:`StatedQuantity`). Statements of absence such as ``未收到…政府信息公开申请``
    are mentions of 0 with ``absence`` True. Patterns: ``govreport/data/narrative_checks.csv``.
    """
    df = pd.DataFrame([astuple(q) for q in extract(text or "")], columns=COLUMNS)
    df["quantity"] = df["quantity"].astype(float)
    return df

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

_SENTENCE_END = re.compile(r"[。！？!?；;\n]")
# what _prepare removes inside a narrative line: spaces, and the comma of a thousands separator
_REMOVED = re.compile(r"[ \t\r\f\v\u3000\xa0]+|(?<=\d),(?=\d{3}(?!\d))")


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


@lru_cache(maxsize=None)
def _units() -> tuple[str, ...]:
    return tuple(sorted(layouts.units(), key=len, reverse=True))


class _Prepared:
    """The narrative of a text, one paragraph per line, with the spaces and line breaks
    inside sentences removed (PDF copies break lines mid-sentence), NFKC-normalised; and
    the way back from a position in it to a position in the text as given."""

    def __init__(self, text: str) -> None:
        norm = unicodedata.normalize("NFKC", text)
        back: list[int] | None = None
        if len(norm) != len(text):  # a character that NFKC expands: map through each character
            parts, back = [], []
            for i, ch in enumerate(text):
                n = unicodedata.normalize("NFKC", ch)
                parts.append(n)
                back.extend([i] * len(n))
            norm = "".join(parts)
        pieces: list[str] = []
        self._starts: list[int] = []  # start of each piece in the prepared text
        self._origins: list[int] = []  # … and in ``norm``
        size = 0
        pos = 0
        for line in norm.split("\n"):
            if "|" in line:  # a table row: a paragraph break
                pieces.append("\n")
                self._starts.append(size)
                self._origins.append(pos)
                size += 1
            else:
                a = 0
                for m in _REMOVED.finditer(line):
                    if m.start() > a:
                        pieces.append(line[a:m.start()])
                        self._starts.append(size)
                        self._origins.append(pos + a)
                        size += m.start() - a
                    a = m.end()
                if a < len(line):
                    pieces.append(line[a:])
                    self._starts.append(size)
                    self._origins.append(pos + a)
                    size += len(line) - a
            pos += len(line) + 1
        self.text = "".join(pieces)
        self._back = back
        self.ends = [m.start() for m in _SENTENCE_END.finditer(self.text)]

    def origin(self, p: int) -> int:
        """The position in the text as given of position ``p`` of the prepared text."""
        i = bisect_right(self._starts, p) - 1
        if i < 0:
            return 0
        q = self._origins[i] + (p - self._starts[i])
        return self._back[q] if self._back is not None and q < len(self._back) else q

    def sentence(self, pos: int) -> str:
        """The sentence around ``pos``."""
        i = bisect_left(self.ends, pos)
        start = self.ends[i - 1] + 1 if i else 0
        end = self.ends[i] + 1 if i < len(self.ends) else len(self.text)
        return self.text[start:end].strip()

    def previous_sentence(self, pos: int) -> str:
        """The sentence before the one around ``pos`` ('' for the first)."""
        i = bisect_left(self.ends, pos)
        if not i:
            return ""
        start = self.ends[i - 2] + 1 if i >= 2 else 0
        return self.text[start:self.ends[i - 1] + 1]


def _unit_after(text: str, pos: int) -> str | None:
    for u in _units():
        if text.startswith(u, pos):
            return u
    return None


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
        if rule["anchors"] and not any(a in body for a in rule["anchors"]):
            continue
        for m in rule["regex"].finditer(body):
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

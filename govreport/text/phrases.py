"""The phrases of the problems section, as data: ``govreport/data/problem_phrases.csv``.

One row per pattern: ``kind`` (``preamble``, ``closing``, ``deficiency``,
``problems_heading``, ``problems_heading_suffix``, ``improvement_heading``,
``improvement_start``, ``plan_marker``), ``pattern`` (a regular expression; the rows of
one kind are alternatives) and a real ``example``.
"""

from __future__ import annotations

import functools
import re

from .. import datafiles


@functools.cache
def phrase(kind: str) -> str:
    """The alternatives of one kind as one regular expression (non-capturing)."""
    patterns = [r["pattern"] for r in datafiles.rows("problem_phrases.csv") if r["kind"] == kind]
    if not patterns:
        raise KeyError(f"problem_phrases.csv has no rows of kind {kind!r}")
    return "(?:" + "|".join(f"(?:{p})" for p in patterns) + ")"


@functools.cache
def phrase_re(kind: str) -> re.Pattern:
    """:func:`phrase` compiled."""
    return re.compile(phrase(kind))

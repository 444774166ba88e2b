"""No pattern of the tables stage backtracks on a long line (issue 12).

Every compiled pattern in ``govreport/tables/`` and in the numbering grammar it uses runs on
the worst lines we know for it (100,000 characters each). A backtracking pattern takes seconds to minutes on these (the old
markdown-separator regex took 12.5 s on ``|`` + 100,000 ``-``); a linear one takes
milliseconds, so the bound below is a generous guard, not a speed target.
"""
from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import time

import pytest

import govreport.tables as tables_pkg
from govreport import normalize, numbering
from govreport.reader import text as text_reader

N = 100_000
WORST = {
    "dashes": "|" + "-" * N,
    "dashes_spaces": "|" + " -" * (N // 2) + "x",
    "pipes": "|" * N + "x",
    "digits": "1" * N,
    "digits_dots": "1." * (N // 2),
    "digit_spaces": "1 " * (N // 2) + ".",
    "fullwidth": "１　" * (N // 2) + "．",
    "cjk_numerals": "一" * N,
    "parens": "(" * N,
    "open_numbered": "(" + "一" * N,
    "pinyin": "据(" + "ā" * N,
    "pinyin_many": "据(āā" * (N // 4),
    "spaces": " " * N + "x",
    "signs": "+" * N + "1",
}


def _patterns():
    """Every compiled pattern with the methods its module calls on it (``match`` when it is
    passed around, as the statistics levels are)."""
    mods = [importlib.import_module(f"govreport.tables.{m.name}") for m in pkgutil.iter_modules(tables_pkg.__path__)]
    for mod in [*mods, normalize, numbering, text_reader]:  # the text reader finds the `|` tables
        source = inspect.getsource(mod)
        for name, obj in vars(mod).items():
            if isinstance(obj, re.Pattern):
                used = set(re.findall(rf"\b{name}\.(match|fullmatch|search|finditer|findall|sub)\(", source))
                yield f"{mod.__name__}.{name}", (obj, used or {"match"})


PATTERNS = dict(_patterns())


def test_the_patterns_are_found():
    assert {"govreport.tables.tokens._NUM_RUN", "govreport.tables.cells.NUMBER",
            "govreport.normalize._PINYIN", "govreport.reader.text._MD_ROW"} <= set(PATTERNS)


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_no_pattern_backtracks_on_a_long_line(name):
    pat, used = PATTERNS[name]
    for label, line in WORST.items():
        start = time.perf_counter()
        for method in used:
            out = pat.sub("", line) if method == "sub" else getattr(pat, method)(line)
            if method == "finditer":
                sum(1 for _ in out)
        assert time.perf_counter() - start < 1.0, (name, label)


def test_markdown_separator_is_plain_code():
    assert text_reader.is_md_separator("| --- | :-: |")
    assert not text_reader.is_md_separator("|" + "-" * N)
    assert not text_reader.is_md_separator("| a | b |")
    start = time.perf_counter()
    text_reader.is_md_separator("|" + "-" * N + "|x")
    assert time.perf_counter() - start < 1.0

"""The one "is this value missing" helper (govreport.missing.is_na)."""
from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import govreport
from govreport.missing import is_na

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"


@pytest.mark.parametrize("value", [None, pd.NA, float("nan"), np.nan, np.float64("nan"), np.float32("nan"),
                                   pd.NaT, np.datetime64("NaT"), np.timedelta64("NaT")],
                         ids=repr)
def test_missing_values(value):
    assert is_na(value) is True


@pytest.mark.parametrize("value", [0, 0.0, -0.0, False, True, "", " ", "nan", "NA", "None", "—", "无", 12,
                                   np.int64(0), np.float64(0.0), np.bool_(False), pd.Timestamp("2024-01-31"),
                                   float("inf"), b""],
                         ids=repr)
def test_values_that_are_not_missing(value):
    assert is_na(value) is False  # a zero, a blank text, a placeholder word are data, not missing


@pytest.mark.parametrize("value", [[None], (np.nan,), np.array([np.nan]), pd.Series([None]), [], {}],
                         ids=lambda v: type(v).__name__)
def test_a_collection_is_not_one_missing_value(value):
    assert is_na(value) is False


def test_it_agrees_with_pandas_on_every_value_of_a_real_report():
    report = govreport.read_report(RAW / "004_1de402db7ad7867c.txt")
    seen = {True: 0, False: 0}
    for name in ("applications", "review_litigation", "active_disclosure", "findings"):
        columns, rows = report.records(name)
        for rec in rows:
            for v in rec:
                if isinstance(v, tuple):  # a box (page coordinates) is no scalar
                    continue
                assert is_na(v) is bool(pd.isna(v)), (name, v)
                seen[is_na(v)] += 1
    assert seen[True] > 0 and seen[False] > 0
    # seed 004 prints 12 of table 四's 15 cells: the litigation-after-review block is left missing, not 0
    columns, rows = report.records("review_litigation")
    proc, val = columns.index("procedure"), columns.index("value")
    assert {rec[proc] for rec in rows if is_na(rec[val])} == {"litigation_after_review"}
    assert sum(is_na(rec[val]) for rec in rows) == 5


_OWN_WAY = re.compile(r"(?<![.\w])(?:pd|np|math)\.(?:isna|isnull|notna|notnull|isnan)\(|is (?:not )?(?:pd\.)?NA\b"
                      r"|(?<![.\w])isna\(|(?<![.\w])(\w+) [!=]= \1\b(?! *[.(\[])")


def _hand_rolled(path: Path) -> list[str]:
    """The scalar missing-value tests in the code of ``path`` (strings and comments blanked:
    docs may say "is NA")."""
    source = path.read_text(encoding="utf-8")
    starts = [0]
    for line in source.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    chars = list(source)
    for t in tokenize.generate_tokens(io.StringIO(source).readline):
        if t.type in (tokenize.STRING, tokenize.COMMENT):
            a, b = starts[t.start[0] - 1] + t.start[1], starts[t.end[0] - 1] + t.end[1]
            chars[a:b] = [c if c == "\n" else " " for c in chars[a:b]]
    return [m.group(0) for m in _OWN_WAY.finditer("".join(chars))]


def test_no_module_tests_one_value_for_missing_its_own_way():
    """One helper: a scalar is tested with is_na only (a Series keeps its vectorised .isna()),
    and no module hand-rolls it with ``v != v`` or ``is NA``."""
    pkg = Path(govreport.__file__).resolve().parent
    found = {str(p.relative_to(pkg)): _hand_rolled(p) for p in sorted(pkg.rglob("*.py")) if p.name != "missing.py"}
    assert {k: v for k, v in found.items() if v} == {}


def test_the_guard_sees_each_hand_rolled_form(tmp_path):
    path = tmp_path / "m.py"
    path.write_text("a = pd.isna(v)\nb = v is pd.NA\nc = x if x == x else None\nd = v != v  # v != v\n"
                    "e = 'v != v'\nf = self.name == name\ng = s.isna()\n", encoding="utf-8")
    assert _hand_rolled(path) == ["pd.isna(", "is pd.NA", "x == x", "v != v"]

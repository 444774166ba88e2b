"""The checks give exactly the findings they gave when pinned: every finding of every report
of data/raw (check, table, row, column, status, severity, location, printed and recomputed
values, message), with and without passes, as ``read_report`` records them, and the
cross-year findings of the folder. A change to a finding is a change of behaviour: rerun
``python scripts/pin_findings.py`` only when that change is meant, and say so in the commit.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import pin_findings  # noqa: E402

PINNED = json.loads((ROOT / "tests" / "data" / "findings_pinned.json").read_text(encoding="utf-8"))
NAMES = [p.name for p in pin_findings.report_paths()]


@pytest.fixture(scope="module")
def now() -> dict:
    return json.loads(json.dumps(pin_findings.pinned()))  # through JSON, as the pinned file went


def test_every_report_is_pinned():
    assert sorted(PINNED["reports"]) == sorted(NAMES)
    assert len(NAMES) == 16


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("kind", ["findings", "with_passes", "read_report"])
def test_findings_unchanged(now, name, kind):
    assert now["columns"] == PINNED["columns"]
    assert now["reports"][name][kind] == PINNED["reports"][name][kind]


def test_cross_year_findings_unchanged(now):
    assert now["corpus_columns"] == PINNED["corpus_columns"]
    assert now["corpus"] == PINNED["corpus"]
    assert len(PINNED["corpus"]) > 0


def test_pinned_findings_are_real():
    """The pin holds real failures and passes, with printed beside recomputed values."""
    cols = PINNED["columns"]
    fails = [dict(zip(cols, r)) for per in PINNED["reports"].values() for r in per["findings"]
             if r[cols.index("status")] == "fail"]
    passes = [r for per in PINNED["reports"].values() for r in per["with_passes"] if r[cols.index("status")] == "pass"]
    assert len(fails) > 10 and len(passes) > 100
    assert any(f["reported"] is not None and f["recomputed"] is not None and f["reported"] != f["recomputed"]
               for f in fails)

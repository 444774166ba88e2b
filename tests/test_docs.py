"""The data dictionary in docs/ is generated from the code tables and must not drift."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_data_dictionary_is_current():
    result = subprocess.run([sys.executable, "scripts/make_data_dictionary.py", "--check"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_data_dictionary_names_every_check_and_indicator():
    from govreport import checks as validate
    from govreport.checks.indicators import indicator_definitions

    text = (ROOT / "docs" / "data_dictionary.md").read_text(encoding="utf-8")
    for code in validate.checks()["code"]:
        assert f"| {code} |" in text
    for code in indicator_definitions()["code"]:
        assert f"| {code} |" in text

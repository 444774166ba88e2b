"""Write tests/data/findings_pinned.json: every finding the checks give on every report of data/raw.

Run once from the repository root to pin the findings of the current code (the test
``tests/test_checks_pinned.py`` compares the checks against this file):

    python scripts/pin_findings.py

For each report: the findings of ``checks.findings`` (with and without passes) on the report
read without validation, and the findings ``read_report`` records; for the whole folder, the
cross-year findings of ``validate_corpus``. A finding is kept whole (check, table, row,
column, status, severity, location, printed and recomputed values, message).
"""
from __future__ import annotations

import json
import math
import os
import sys
from dataclasses import astuple
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from govreport import checks, reader  # noqa: E402
from govreport.report import build_report  # noqa: E402

RAW = ROOT / "data" / "raw"
OUT = ROOT / "tests" / "data" / "findings_pinned.json"


def report_paths() -> list[Path]:
    """The reports of data/raw (every file but the manifest), in name order."""
    return [p for p in sorted(RAW.iterdir()) if p.is_file() and p.name != "manifest.csv"]


def _plain(value: object) -> object:
    """A JSON-safe cell: NA and NaN become None, numpy scalars plain numbers, paths into data/raw
    file names (the pin holds in any clone)."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, str):  # the folder's place on this machine is no finding: names only
        return value.replace(f"{RAW}{os.sep}", "")
    if hasattr(value, "item"):
        value = value.item()
    try:
        if value != value:  # pd.NA raises, NaN is unequal to itself
            return None
    except TypeError:
        return None
    return value


def rows(items: list) -> list[list]:
    """Findings (objects or a DataFrame) as lists of plain cells."""
    if hasattr(items, "itertuples"):
        return [[_plain(v) for v in t] for t in items.itertuples(index=False)]
    return [[_plain(v) for v in astuple(f)] for f in items]


def pinned() -> dict:
    """Everything the checks say about data/raw, as plain JSON."""
    out: dict = {"columns": list(checks.FINDINGS_COLUMNS), "reports": {}}
    read = []
    for p in report_paths():
        doc = reader.load(p, progress=False)  # read once (OCR is slow), built with and without checks
        bare, full = build_report(doc, validate=False), build_report(doc)
        read.append(bare)
        out["reports"][p.name] = {
            "findings": rows(checks.findings(bare)),
            "with_passes": rows(checks.findings(bare, include_passes=True)),
            "read_report": rows(full.findings),
        }
    corpus = checks.validate_corpus(read, include_passes=True)
    out["corpus_columns"] = list(corpus.columns)
    out["corpus"] = rows(corpus)
    return out


def dump(data: dict) -> str:
    """JSON with one finding a line, so a diff of the file shows the findings that changed."""
    def block(items: list[list]) -> str:
        return "[\n" + ",\n".join(json.dumps(r, ensure_ascii=False) for r in items) + "\n]"

    parts = [f'"columns": {json.dumps(data["columns"])}', f'"corpus_columns": {json.dumps(data["corpus_columns"])}',
             f'"corpus": {block(data["corpus"])}']
    reports = ",\n".join(
        f"{json.dumps(name, ensure_ascii=False)}: {{" + ", ".join(
            f'"{kind}": {block(items)}' for kind, items in per.items()) + "}"
        for name, per in data["reports"].items())
    parts.append('"reports": {\n' + reports + "\n}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


if __name__ == "__main__":
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(dump(pinned()), encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")

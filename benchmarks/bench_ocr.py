"""OCR of a scanned report: seconds a page, and right / missing / wrong against hand-read values.

Reads data/raw/hongze_district_gov_2024_scanned.pdf (an image-only scan: 150 dpi grayscale,
rotated up to 0.8°, noise, JPEG q70) with ``read_report`` and compares the fields of its
manifest row (the shared corpus' manifest.csv) with what came back. The target: 0 wrong,
at least 90% right; a field the reader doubts must come back missing, never wrong.

    python benchmarks/bench_ocr.py [--manifest ../shared/corpus/manifest.csv] [--runs 1]
"""
from __future__ import annotations

import argparse
import csv
import math
import os
import sys
import time
from pathlib import Path

import pypdfium2 as pdfium

import govreport
from govreport.reader import ocr

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from manifest_fields import FIELDS  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SCAN = ROOT / "data" / "raw" / "hongze_district_gov_2024_scanned.pdf"
MANIFESTS = [ROOT / "data" / "raw" / "manifest.csv", ROOT.parent / "shared" / "corpus" / "manifest.csv",
             ROOT.parent.parent / "shared" / "corpus" / "manifest.csv"]


def _num(v) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def _value(report, table: str, keys: dict) -> float | None:
    try:
        return _num(report.value(table, **keys))
    except KeyError:
        return None


def manifest_row(path: Path | None, name: str) -> dict:
    for p in [path] if path else MANIFESTS:
        if p and p.exists():
            for row in csv.DictReader(p.open(encoding="utf-8")):
                if row["file"] == name:
                    return row
    raise SystemExit(f"no manifest row for {name} (looked in {path or ', '.join(map(str, MANIFESTS))}); "
                     "pass --manifest")


def score(report, row: dict) -> list[tuple[str, object, object, str]]:
    """(field, hand-read, read, verdict) for every hand-read field of the row."""
    got = {"year": _num(report.meta.get("year")), "layout": report.meta.get("layout")}
    want = {"year": _num(row["year"]), "layout": row["template"]}
    for name, (table, keys) in FIELDS.items():
        if _num(row.get(name)) is not None:
            want[name], got[name] = _num(row[name]), _value(report, table, keys)
    if _num(row.get("litigation_total")) is not None:
        parts = [_value(report, "review_litigation", {"procedure": p, "outcome": "total"})
                 for p in ("litigation_direct", "litigation_after_review")]
        want["litigation_total"] = _num(row["litigation_total"])
        got["litigation_total"] = None if None in parts else sum(parts)
    return [(k, want[k], got[k], "right" if got[k] == want[k] else "missing" if got[k] is None else "WRONG")
            for k in want]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--manifest", type=Path, default=None)
    ap.add_argument("--runs", type=int, default=1)
    args = ap.parse_args()
    row = manifest_row(args.manifest, SCAN.name)
    pages = len(pdfium.PdfDocument(SCAN))
    start = time.perf_counter()
    ocr._engine()
    load = time.perf_counter() - start
    times, cpu = [], []
    for _ in range(args.runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        report = govreport.read_report(SCAN)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    best, best_cpu = min(times), min(cpu)
    print(f"govreport {govreport.__version__}; {SCAN.name}: {pages} pages at {ocr.OcrSettings().scale * 72:.0f} dpi, "
          f"best of {args.runs} run(s), one process")
    print(f"model load (once per process): {load:5.2f} s")
    print(f"read_report, wall clock:       {best:5.1f} s  = {best / pages:4.1f} s a page")
    print(f"read_report, CPU (all threads): {best_cpu:4.1f} s  = {best_cpu / pages:4.1f} s a page "
          f"(the cost on one core; this machine has {os.cpu_count()} cores, shared)")
    print()
    verdicts = score(report, row)
    print(f"{'field':24s} {'hand-read':>10s} {'read':>10s}  verdict")
    for name, want, got, verdict in verdicts:
        print(f"{name:24s} {want!s:>10s} {got!s:>10s}  {verdict}")
    n = len(verdicts)
    right = sum(v == "right" for *_, v in verdicts)
    missing = sum(v == "missing" for *_, v in verdicts)
    wrong = n - right - missing
    print()
    print(f"{'':24s} {'ours':>10s} {'target':>10s}")
    print(f"{'right':24s} {f'{right}/{n} ({right / n:.0%})':>10s} {'>= 90%':>10s}")
    print(f"{'missing':24s} {missing:>10d} {'':>10s}")
    print(f"{'wrong':24s} {wrong:>10d} {'0':>10s}")
    f = report.findings
    print(f"findings: {int((f['check'] == 'ocr_low_confidence').sum())} ocr_low_confidence, "
          f"{int((f['check'] == 'ocr_unread').sum())} ocr_unread, {int((f['check'] == 'ocr_arithmetic').sum())} "
          f"ocr_arithmetic")


if __name__ == "__main__":
    main()

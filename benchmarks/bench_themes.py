"""Held-out check of the problem-theme taxonomy (issue 11: >= 90 % of problem statements
on reports not tuned to get a theme other than ``other``).

Run from the repository root:

    .venv/bin/python benchmarks/bench_themes.py

``govreport/data/themes.csv`` and ``problem_phrases.csv`` were tuned on the seed reports
``000_`` … ``004_`` of data/raw only. Held out: every other report of data/raw (pingtan_*,
shanghai_*) and, when the shared corpus is there, its reports that data/raw does not
hold (e.g. hongze_district_gov_2024.pdf). Prints the coverage of each split beside the
90 % target, and the held-out statements left at ``other``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

import govreport  # noqa: E402
from govreport import text as T  # noqa: E402

COMMAND = ".venv/bin/python benchmarks/bench_themes.py"
TUNED = ("000_", "001_", "002_", "003_", "004_")
TARGET = 0.90
SUFFIXES = (".txt", ".html", ".htm", ".pdf", ".docx")


def _pdf_as_text(path: Path, tmp: Path) -> Path:
    """A text copy of a PDF's text layer (for a reader without PDF support)."""
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        body = "\n".join(page.extract_text() or "" for page in pdf.pages)
    out = tmp / (path.stem + ".txt")
    out.write_text(body, encoding="utf-8")
    return out


def _read(paths: list[Path]) -> dict[str, object]:
    reports = {}
    with tempfile.TemporaryDirectory() as tmp:
        for path in paths:
            try:
                try:
                    reports[path.stem] = govreport.read_report(path)
                except govreport.ParseError:
                    if path.suffix.lower() != ".pdf":
                        raise
                    reports[path.stem] = govreport.read_report(_pdf_as_text(path, Path(tmp)))
            except (govreport.ParseError, OSError, ValueError) as exc:  # reported, not fatal
                print(f"  skipped {path.name}: {type(exc).__name__}: {exc}")
    return reports


def _line(name: str, statements: pd.DataFrame) -> None:
    probs = statements[statements["part"] == "problem"]
    share = T.theme_coverage(statements)
    hit = int((probs["themes"] != "other").sum())
    verdict = "meets" if share >= TARGET else "BELOW"
    print(f"{name:<9} {share:7.1%}  ({hit} of {len(probs)} statements, {probs['report_id'].nunique()} reports)"
          f"  target >= {TARGET:.0%}: {verdict}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--raw", type=Path, default=ROOT / "data" / "raw")
    ap.add_argument("--shared", type=Path, default=Path("/work/shared/corpus"),
                    help="more held-out reports (skipped when absent)")
    args = ap.parse_args(argv)

    raw = sorted(p for p in args.raw.iterdir() if p.suffix.lower() in SUFFIXES)
    tuned = [p for p in raw if p.name.startswith(TUNED)]
    held = [p for p in raw if not p.name.startswith(TUNED)]
    if args.shared.is_dir():
        known = {p.stem for p in raw}
        held += sorted(p for p in args.shared.iterdir()
                       if p.suffix.lower() in SUFFIXES and p.stem not in known and "scanned" not in p.stem)
    print("held out:", ", ".join(p.name for p in held))

    st_tuned = T.stated_problems(_read(tuned))
    st_held = T.stated_problems(_read(held))
    _line("tuned", st_tuned)
    _line("held-out", st_held)
    probs = st_held[st_held["part"] == "problem"]
    for rid, statement in zip(probs["report_id"], probs["statement"]):
        if statement and (probs.loc[probs["statement"] == statement, "themes"] == "other").all():
            print(f"  other: {rid}: {statement}")
    print("held-out themes:", probs["themes"].str.split("|").explode().value_counts().to_dict())
    print(f"command: {COMMAND}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

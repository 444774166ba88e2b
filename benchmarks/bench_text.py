"""Benchmark of govreport.text: keyword tagging vs bare jieba, and theme coverage.

Run from the repository root:

    .venv/bin/python benchmarks/bench_text.py

Prints (1) the time of ``govreport.text.keywords`` (TF-IDF, domain dictionary and
stopwords, tidy DataFrame) against bare ``jieba.analyse.extract_tags`` on the same
texts -- every section of every report in data/raw, repeated until the bare run
takes at least 2 s -- and their ratio (target: at most 1.5); (2) the share of
problem statements (section 五 or its pre-2019 equivalent) that get a theme other
than ``other`` over all data/raw reports (target: at least 90 %).

jieba's one-off dictionary loading is done before timing, for both sides.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import jieba  # noqa: E402
import jieba.analyse  # noqa: E402

import govreport  # noqa: E402
from govreport import text as T  # noqa: E402

COMMAND = ".venv/bin/python benchmarks/bench_text.py"


def load_reports(raw: Path) -> dict[str, object]:
    reports = {}
    for path in sorted(raw.iterdir()):
        if path.suffix.lower() not in (".txt", ".html", ".htm"):
            continue
        try:
            reports[path.stem] = govreport.read_report(path)
        except Exception as exc:  # a report the reader cannot parse is reported, not fatal
            print(f"  skipped {path.name}: {type(exc).__name__}: {exc}")
    return reports


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--raw", type=Path, default=ROOT / "data" / "raw")
    ap.add_argument("--min-seconds", type=float, default=2.0)
    ap.add_argument("--top-k", type=int, default=10)
    args = ap.parse_args(argv)

    reports = load_reports(args.raw)
    sections = T.as_sections(reports)
    # Both sides get the same prose: table rows (lines with "|" cells) are dropped up
    # front, as keywords() would do anyway.
    sections["text"] = [
        "\n".join(line for line in t.splitlines() if line.count("|") < 2) for t in sections["text"]
    ]
    sections = sections[sections["text"].str.strip().str.len() > 0].reset_index(drop=True)
    texts = sections["text"].tolist()
    n_chars = sum(map(len, texts))
    print(f"reports: {len(reports)}  sections: {len(texts)}  characters: {n_chars}")

    # One-off loading outside the timings, for both sides.
    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    T.init()
    for t in texts[:3]:
        jieba.analyse.extract_tags(t, topK=args.top_k, withWeight=True)
    T.keywords(sections.head(3), top_k=args.top_k)

    def bare() -> None:
        for t in texts:
            jieba.analyse.extract_tags(t, topK=args.top_k, withWeight=True)

    def ours() -> None:
        T.keywords(sections, top_k=args.top_k)

    t0 = time.perf_counter()
    bare()
    one = time.perf_counter() - t0
    repeats = max(1, int(args.min_seconds / max(one, 1e-6)) + 1)

    t0 = time.perf_counter()
    for _ in range(repeats):
        bare()
    t_bare = time.perf_counter() - t0
    t0 = time.perf_counter()
    for _ in range(repeats):
        ours()
    t_ours = time.perf_counter() - t0

    print(f"repeats: {repeats}")
    print(f"bare jieba.analyse.extract_tags : {t_bare:8.3f} s")
    print(f"govreport.text.keywords (tfidf) : {t_ours:8.3f} s")
    print(f"ratio                           : {t_ours / t_bare:8.2f}  (target <= 1.5)")

    statements = T.stated_problems(reports)
    problems = statements[statements["part"] == "problem"]
    share = T.theme_coverage(statements)
    n_reports = problems["report_id"].nunique()
    print(
        f"problem statements with a theme other than 'other': {share:.1%} "
        f"({int((problems['themes'] != 'other').sum())} of {len(problems)}, {n_reports} reports; target >= 90%)"
    )
    print("themes:", problems["themes"].str.split("|").explode().value_counts().to_dict())
    print(f"command: {COMMAND}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

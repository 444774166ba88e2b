"""Milliseconds per DOCX report for govreport.read_report (python-docx underneath).

    python benchmarks/bench_docx.py [--repeat 20] [--file data/raw/shanghai_govoffice_2019_docx.docx]
"""
from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import govreport
from govreport import reader

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"


def timed(fn, repeat: int) -> float:
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--file", type=Path, default=RAW / "shanghai_govoffice_2019_docx.docx")
    args = ap.parse_args()
    t_report = timed(lambda: govreport.read_report(args.file), args.repeat)
    t_load = timed(lambda: reader.load(args.file), args.repeat)
    print(f"{args.file.name}: median of {args.repeat} runs")
    print(f"  govreport.read_report   {t_report * 1000:7.1f} ms per report")
    print(f"  reader.load (DOCX only) {t_load * 1000:7.1f} ms")


if __name__ == "__main__":
    main()

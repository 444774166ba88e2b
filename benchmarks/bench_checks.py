"""Benchmark of govreport.checks: the cost of validating one report.

Run from the repository root:

    .venv/bin/python benchmarks/bench_checks.py [--repeat N]

Reads every report of data/raw once (without validation), then times
``govreport.checks.findings(report)`` on each, N times, with the stated-quantity cache
cleared before every call (so the narrative is scanned each time, as on a first read).
Prints, over the reports, the median and the mean of each report's best time, the slowest
report and the time of the narrative extractor, beside the target (1-2 ms per report; issue 9
measured about 4 ms before the move to checks-as-data, of which the regex pre-filter saved
0.4 ms). Then the extractor on hostile narratives of growing size (time should grow linearly).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import govreport  # noqa: E402
from govreport import checks  # noqa: E402
from govreport.checks import quantities  # noqa: E402

TARGET_MS = (1.0, 2.0)
HOSTILE = {
    "digit runs": "收到依申请公开" + "1" * 50 + "件",
    "anchor, digits, no stop": "行政复议" + "1" * 25 + "件",
    "statements without stops": "1" * 29 + "件结转下年度",
    "negations without stops": "未收到政府信息公开申请",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    raw = ROOT / "data" / "raw"
    reports = {p.name: govreport.read_report(p, validate=False) for p in sorted(raw.iterdir())
               if p.suffix in (".txt", ".html")}
    for r in reports.values():  # warm the data-file caches
        checks.findings(r)
    per_report: dict[str, float] = {}
    narrative: list[float] = []
    for name, r in reports.items():
        times, narr = [], []
        for _ in range(args.repeat):
            quantities.extract.cache_clear()
            t0 = time.perf_counter()
            checks.findings(r)
            times.append(time.perf_counter() - t0)
            quantities.extract.cache_clear()
            t0 = time.perf_counter()
            quantities.extract(r.text)
            narr.append(time.perf_counter() - t0)
        per_report[name] = min(times) * 1000  # best of N: the machine may be shared
        narrative.append(min(narr))
    values = list(per_report.values())
    slow = max(per_report, key=per_report.get)
    print(f"govreport.checks.findings on {len(reports)} reports of data/raw, {args.repeat} runs each")
    target = f"target {TARGET_MS[0]:.0f}-{TARGET_MS[1]:.0f} ms"
    print(f"  median per report  {statistics.median(values):6.2f} ms   ({target})")
    print(f"  mean per report    {statistics.mean(values):6.2f} ms")
    print(f"  slowest            {per_report[slow]:6.2f} ms   ({slow})")
    print(f"  narrative extractor {statistics.mean(narrative) * 1000:5.2f} ms per report (mean of the best times)")
    # hostile narratives: the extractor's work must grow linearly with the text
    print("stated-quantity extractor on hostile text (time should grow linearly with size):")
    for name, unit in HOSTILE.items():
        for n in (10_000, 20_000, 40_000):
            text = unit * n
            quantities.extract.cache_clear()
            t0 = time.perf_counter()
            found = quantities.extract(text)
            print(f"  {name:<28} {len(text) / 1e6:5.2f} M chars  {time.perf_counter() - t0:6.2f} s  "
                  f"{len(found)} statements")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

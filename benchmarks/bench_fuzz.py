"""Release-time fuzz run: thousands of mutated real reports, every input format.

Prints the cases tried, the exceptions other than ParseError, time-outs and memory
blow-ups, the slowest case and its time, and the largest peak memory, beside the
targets (0, 0, 0; every case within its limits).

    python benchmarks/bench_fuzz.py [--cases 3000] [--seed 7] [--time-limit 20] [--mem-mb 3072]
"""
from __future__ import annotations

import argparse
import collections
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
import fuzzing  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--time-limit", type=float, default=20.0)
    ap.add_argument("--mem-mb", type=int, default=3072)
    args = ap.parse_args()
    start = time.perf_counter()
    summary = fuzzing.run(fuzzing.cases(args.cases, args.seed), time_limit=args.time_limit, mem_mb=args.mem_mb)
    wall = time.perf_counter() - start
    counts = collections.Counter(o.result for o in summary.outcomes)
    slow = summary.slowest
    print(f"cases tried            : {len(summary.outcomes)} ({wall:.0f} s) over {len(fuzzing.sources())} real reports,"
          f" {len(fuzzing.MUTATIONS)} mutations")
    print(f"read / ParseError      : {counts['ok']} / {counts['parse_error']}")
    print(f"other exceptions       : {counts['exception']:>5}   target 0")
    print(f"time-outs (> {args.time_limit:.0f} s)     : {counts['timeout']:>5}   target 0")
    print(f"memory (> {args.mem_mb} MB)    : {counts['memory']:>5}   target 0")
    print(f"slowest case           : {slow.seconds:.2f} s ({slow.source}, {slow.mutation})")
    print(f"largest peak memory    : {summary.peak_mb:.0f} MB (a worker process, RSS)")
    for o in summary.failures[:20]:
        print(f"  FAIL {o.source} {o.mutation}: {o.result} {o.detail}")


if __name__ == "__main__":
    main()

"""Benchmark of govreport.checks: the cost of validating one report.

Run from the repository root:

    .venv/bin/python benchmarks/bench_checks.py [--repeat N]

Reads every report of data/raw once (without validation), then times
``govreport.checks.findings(report)`` on each, N times, with the stated-quantity cache
cleared before every call (so the narrative is scanned each time, as on a first read).
Prints, over the reports, the median and the mean of each report's best time, the slowest
report and the time of the narrative extractor, beside two figures measured in the same run:

* the baseline: the checks before they became data (``govreport/validate.py`` at commit
  ``--baseline``, 2bc8a3f, taken out of git into a temporary folder and run in a subprocess
  on the same reports, read by that commit's own reader; its stated-quantity cache cleared
  the same way). Skipped, with a note, when git or the commit is not at hand.
* the floor: only iterating every record of the report's tables once.

The baseline and ours run in turn ``--rounds`` times; each figure is the best of all rounds.
Then the extractor on hostile narratives of growing size (time should grow linearly).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import govreport  # noqa: E402
from govreport import checks  # noqa: E402
from govreport.checks import quantities  # noqa: E402

TARGET_MS = (1.0, 2.0)
BASELINE = "2bc8a3f"  # the last commit with the hand-coded checks of govreport/validate.py
# run by the baseline's interpreter: best of N per report, as main() does for ours
_BASELINE_RUN = """
import json, sys, time
from pathlib import Path
import govreport
from govreport import validate as V
names, repeat = json.loads(sys.argv[1]), int(sys.argv[2])
reports = {n: govreport.read_report(Path(n), validate=False) for n in names}
for r in reports.values():
    V.findings(r)
best = {}
for name, r in reports.items():
    times = []
    for _ in range(repeat):
        V._stated_cached.cache_clear()
        t0 = time.perf_counter()
        V.findings(r)
        times.append(time.perf_counter() - t0)
    best[Path(name).name] = min(times) * 1000
print(json.dumps(best))
"""
HOSTILE = {
    "digit runs": "收到依申请公开" + "1" * 50 + "件",
    "anchor, digits, no stop": "行政复议" + "1" * 25 + "件",
    "statements without stops": "1" * 29 + "件结转下年度",
    "negations without stops": "未收到政府信息公开申请",
}


def baseline(paths: list[Path], repeat: int, commit: str) -> dict[str, float] | str:
    """ms per report of the checks at ``commit`` (best of ``repeat``), or why they could not run."""
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "old.tar"
        try:
            subprocess.run(["git", "-C", str(ROOT), "archive", "-o", str(archive), commit, "govreport"],
                           check=True, capture_output=True)
        except (OSError, subprocess.CalledProcessError) as exc:
            return f"git archive {commit} failed ({exc})"
        with tarfile.open(archive) as tar:
            tar.extractall(tmp, filter="data")
        env = {**os.environ, "PYTHONPATH": tmp}
        done = subprocess.run([sys.executable, "-c", _BASELINE_RUN, json.dumps([str(p) for p in paths]), str(repeat)],
                              capture_output=True, text=True, env=env, cwd=tmp)
        if done.returncode:
            return f"the baseline failed: {done.stderr.strip().splitlines()[-1:]}"
        return json.loads(done.stdout)


def floor(report: govreport.Report) -> float:
    """Seconds to iterate every record of the report's checked tables once (no check at all)."""
    t0 = time.perf_counter()
    for name in ("applications", "active_disclosure", "review_litigation", "statistics"):
        for rec in report.records(name)[1]:
            for _ in rec:
                pass
    return time.perf_counter() - t0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3,
                        help="baseline and ours run one after the other this many times; best of all rounds")
    parser.add_argument("--baseline", default=BASELINE, help="commit whose govreport/validate.py to compare with")
    args = parser.parse_args()
    raw = ROOT / "data" / "raw"
    paths = [p for p in sorted(raw.iterdir()) if p.suffix in (".txt", ".html")]  # what the baseline reads too
    reports = {p.name: govreport.read_report(p, validate=False) for p in paths}
    for r in reports.values():  # warm the data-file caches
        checks.findings(r)
    floors = {name: min(floor(r) for _ in range(args.repeat)) * 1000 for name, r in reports.items()}
    old: dict[str, float] | str = {}
    per_report: dict[str, float] = {}
    narrative: dict[str, float] = {}
    for _ in range(args.rounds):  # alternate, so a change of load on a shared machine hits both
        got = baseline(paths, args.repeat, args.baseline) if isinstance(old, dict) else old
        old = got if isinstance(got, str) else {n: min(t, old.get(n, t)) for n, t in got.items()}
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
            # best of N: the machine may be shared
            per_report[name] = min(min(times) * 1000, per_report.get(name, float("inf")))
            narrative[name] = min(min(narr), narrative.get(name, float("inf")))
    values = list(per_report.values())
    slow = max(per_report, key=per_report.get)
    print(f"govreport.checks.findings on {len(reports)} reports of data/raw, best of {args.repeat} runs "
          f"x {args.rounds} rounds each")
    target = f"target {TARGET_MS[0]:.0f}-{TARGET_MS[1]:.0f} ms"
    if isinstance(old, str):
        print(f"  (no baseline: {old})")
        old = {}
    base = [old[n] for n in per_report if n in old]
    beside = (lambda f: f"   baseline {args.baseline} {f(base):6.2f} ms") if len(base) == len(per_report) else (
        lambda f: "")
    print(f"  median per report  {statistics.median(values):6.2f} ms{beside(statistics.median)}   ({target})")
    print(f"  mean per report    {statistics.mean(values):6.2f} ms{beside(statistics.mean)}")
    print(f"  slowest            {per_report[slow]:6.2f} ms   ({slow}"
          + (f"; baseline {old[slow]:.2f} ms)" if slow in old else ")"))
    print(f"  floor              {statistics.median(floors.values()):6.2f} ms   (median; iterating the records only)")
    mean_narrative = statistics.mean(narrative.values()) * 1000
    print(f"  narrative extractor {mean_narrative:5.2f} ms per report (mean of the best times)")
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

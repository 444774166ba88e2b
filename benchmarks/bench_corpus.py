"""Benchmark ``govreport.read_corpus`` on a synthetic corpus of real reports.

Builds N files (default 10,000) in a temporary folder by copying the real reports in
``data/raw`` and appending a unique line to each copy (so no two files share a content
hash, and the cache cannot collapse them), then times::

    jobs=1 cold   jobs=1 cached   jobs=2 cold   jobs=2 cached

Each run happens in a fresh Python process, so its peak memory is its own: the peak
resident memory of the whole process tree (parent + workers, sampled with psutil when
installed, else ``getrusage`` self + largest child).  Target: 10,000 reports in under
5 minutes on 2 cores, under 2 GB peak memory.

Usage::

    python benchmarks/bench_corpus.py                 # 10,000 files, all four runs
    python benchmarks/bench_corpus.py -n 2000 --jobs 2
    python benchmarks/bench_corpus.py --keep DIR      # keep the generated corpus in DIR
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
SUFFIXES = (".txt", ".html", ".htm", ".md")


def _package_dir() -> Path:
    """The govreport package this benchmark measures (installed, on the path, or ROOT)."""
    try:
        import govreport
        return Path(govreport.__file__).resolve().parent
    except ImportError:
        return ROOT / "govreport"


def build_corpus(target: Path, n: int) -> int:
    """Write ``n`` distinct report files under ``target`` (100 per sub-folder)."""
    seeds = sorted(p for p in RAW.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES)
    if not seeds:
        raise SystemExit(f"no reports in {RAW}")
    blobs = [(p.suffix, p.read_bytes()) for p in seeds]
    total = 0
    for i in range(n):
        suffix, data = blobs[i % len(blobs)]
        sub = target / f"batch{i // 100:04d}"
        if i % 100 == 0:
            sub.mkdir(parents=True, exist_ok=True)
        if suffix in (".html", ".htm"):
            extra = f"\n<!-- govreport benchmark copy {i} -->\n".encode()
        else:
            extra = f"\n\n（基准测试副本 {i}）\n".encode()
        (sub / f"r{i:06d}{suffix}").write_bytes(data + extra)
        total += len(data) + len(extra)
    return total


class _PeakSampler:
    """Peak RSS of this process and all its children, sampled every 50 ms."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        try:
            import psutil  # noqa: F401
            self.available = True
        except ImportError:
            self.available = False
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psutil

        me = psutil.Process()
        while not self._stop.is_set():
            try:
                rss = me.memory_info().rss
                for ch in me.children(recursive=True):
                    try:
                        rss += ch.memory_info().rss
                    except psutil.Error:
                        pass
                self.peak = max(self.peak, rss)
            except psutil.Error:
                pass
            self._stop.wait(0.05)

    def __enter__(self) -> "_PeakSampler":
        if self.available:
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self.available:
            self._thread.join()


def run_once(corpus_dir: str, jobs: int, cache: str) -> dict:
    """One timed read_corpus run (called in a fresh process)."""
    import govreport  # the snapshot, via $PYTHONPATH

    read_corpus = getattr(govreport, "read_corpus", None)
    if read_corpus is None:
        from govreport.corpus import read_corpus
    with _PeakSampler() as sampler:
        t0 = time.perf_counter()
        corpus = read_corpus(corpus_dir, jobs=jobs, cache=cache, progress=False)
        wall = time.perf_counter() - t0
    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # without psutil: parent peak + (largest worker peak x workers), an upper bound
    rusage_peak = (self_kb + (child_kb * jobs if jobs > 1 else 0)) * 1024
    peak = sampler.peak if sampler.available and sampler.peak else rusage_peak
    return {
        "jobs": jobs, "files": int(len(corpus.reports)), "parsed": len(corpus),
        "failed": int(len(corpus.errors)), "wall_s": wall,
        "reports_per_s": len(corpus.reports) / wall if wall else float("nan"),
        "peak_rss_mb": peak / 2**20,
        "rows": {k: int(len(v)) for k, v in corpus.tables().items()},
        "package": str(Path(govreport.__file__).parent),
    }


def main(argv: list[str] | None = None) -> int:
    sys.path.append(str(ROOT))  # an installed govreport or $PYTHONPATH wins
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", "--files", type=int, default=10_000, help="corpus size (10000)")
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="jobs values (1 2)")
    ap.add_argument("--keep", metavar="DIR", help="build the corpus in DIR and keep it")
    ap.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    ap.add_argument("--_run", nargs=3, metavar=("DIR", "JOBS", "CACHE"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args._run:  # child process: one run, JSON on stdout
        d, jobs, cache = args._run
        print(json.dumps(run_once(d, int(jobs), cache)))
        return 0

    work = Path(tempfile.mkdtemp(prefix="govreport-bench-"))
    corpus_dir = Path(args.keep) if args.keep else work / "corpus"
    corpus_dir.mkdir(parents=True, exist_ok=True)
    try:
        t0 = time.perf_counter()
        if not any(corpus_dir.iterdir()):
            size = build_corpus(corpus_dir, args.files)
            print(f"built {args.files} files ({size / 2**20:.1f} MiB) in "
                  f"{time.perf_counter() - t0:.1f} s under {corpus_dir}", flush=True)
        else:
            print(f"reusing the corpus in {corpus_dir}", flush=True)
        print(f"{os.cpu_count()} CPU(s), Python {sys.version.split()[0]}", flush=True)
        header = f"{'run':<16}{'files':>8}{'parsed':>8}{'failed':>8}{'wall s':>10}" \
                 f"{'reports/s':>11}{'peak MB':>10}"
        print(header, flush=True)
        snap = work / "pkg"
        shutil.copytree(_package_dir(), snap / "govreport",
                        ignore=shutil.ignore_patterns("__pycache__"))
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(
            [str(snap)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]))
        results = []
        for jobs in args.jobs:
            cache = work / f"cache-j{jobs}"
            shutil.rmtree(cache, ignore_errors=True)
            for label in ("cold", "cached"):
                proc = subprocess.run(
                    [sys.executable, __file__, "--_run", str(corpus_dir), str(jobs), str(cache)],
                    capture_output=True, text=True, cwd=str(ROOT), env=env)
                if proc.returncode != 0:
                    print(proc.stderr[-3000:], file=sys.stderr)
                    return proc.returncode
                r = json.loads(proc.stdout.strip().splitlines()[-1])
                r["run"] = f"jobs={jobs} {label}"
                results.append(r)
                print(f"{r['run']:<16}{r['files']:>8}{r['parsed']:>8}{r['failed']:>8}"
                      f"{r['wall_s']:>10.1f}{r['reports_per_s']:>11.1f}"
                      f"{r['peak_rss_mb']:>10.0f}", flush=True)
        if args.json:
            Path(args.json).write_text(json.dumps(results, indent=1))
        worst = max(r["peak_rss_mb"] for r in results)
        cold2 = [r for r in results if r["run"].endswith("cold") and r["jobs"] >= 2]
        if cold2 and args.files >= 10_000:
            ok_t = cold2[0]["wall_s"] / args.files * 10_000 < 300
            print(f"target (10k reports < 300 s on 2 cores, < 2048 MB): "
                  f"time {'OK' if ok_t else 'MISSED'}, memory "
                  f"{'OK' if worst < 2048 else 'MISSED'}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

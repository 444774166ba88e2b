"""Reports per second of govreport.read_report, for text and for HTML input, on one core.

Also times a plain ``pandas.read_html`` + cleanup baseline on the same HTML (tables only,
no sections, meta or validation), and prints the ratio.

    python benchmarks/bench_read.py [--seconds 5] [--hostile]
"""
from __future__ import annotations

import argparse
import io
import re
import time
import tracemalloc
from pathlib import Path

import pandas as pd

import govreport

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"


def rate(fn, items, seconds: float) -> float:
    for x in items:  # warm caches (OpenCC, jieba-free, label tables)
        fn(x)
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for x in items:
            fn(x)
            n += 1
    return n / (time.perf_counter() - start)


def baseline(html: bytes) -> list[pd.DataFrame]:
    """What a researcher would write by hand: read_html, then strip &nbsp; and cast."""
    frames = pd.read_html(io.BytesIO(html), flavor="lxml")
    out = []
    for df in frames:
        df = df.astype("string").apply(lambda col: col.str.replace("\xa0", "", regex=False).str.strip())
        out.append(df.apply(lambda col: pd.to_numeric(col, errors="coerce")))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--hostile", action="store_true", help="also time hostile inputs (issue 12)")
    args = ap.parse_args()
    texts = [p.read_bytes() for p in sorted(RAW.glob("*.txt"))]
    htmls = [p.read_bytes() for p in sorted(RAW.glob("*.html"))]
    print(f"govreport {govreport.__version__}, pandas {pd.__version__}; {len(texts)} text and "
          f"{len(htmls)} HTML reports from data/raw, {args.seconds:.0f} s each, one process")
    for validate in (False, True):
        label = "read + validate" if validate else "read only"
        t = rate(lambda b, v=validate: govreport.read_report(b, validate=v), texts, args.seconds)
        h = rate(lambda b, v=validate: govreport.read_report(b, validate=v), htmls, args.seconds)
        print(f"{label:16s} text: {t:7.1f} reports/s   HTML: {h:7.1f} reports/s")
    # tables materialised as DataFrames, as a user would look at them
    def touch(b):
        return govreport.read_report(b, validate=False).tables()

    print(f"{'read + frames':16s} text: {rate(touch, texts, args.seconds):7.1f} reports/s   "
          f"HTML: {rate(touch, htmls, args.seconds):7.1f} reports/s")
    b = rate(baseline, htmls, args.seconds)
    h = rate(lambda x: govreport.read_report(x, validate=False), htmls, args.seconds)
    print(f"baseline pandas.read_html + cleanup: {b:7.1f} pages/s; govreport/baseline = {h / b:.2f}")
    print("targets: >= 200 text reports/s, >= 100 HTML reports/s")
    if args.hostile:
        hostile()


def _timed(text: str) -> tuple[float, float]:
    """Seconds and peak traced MB of one read_report."""
    start = time.perf_counter()
    govreport.read_report(text=text, validate=False)
    seconds = time.perf_counter() - start
    tracemalloc.start()
    govreport.read_report(text=text, validate=False)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return seconds, peak


def hostile() -> None:
    """Bounded work on hostile input (issue 12): time should grow linearly with size."""
    seed = (RAW / "000_943bbbccc038582b.txt").read_text(encoding="utf-8")
    markdown = (RAW / "shanghai_stcsm_2024.txt").read_text(encoding="utf-8")
    glued = (RAW / "pingtan_2021.txt").read_text(encoding="utf-8")
    i, j = glued.index("一、本年新收"), glued.index("四、政府信息公开行政复议")
    # every glued table-三 row replaced by a run that 10 splits fit: 10**22 combinations
    many = glued[:i] + re.sub(r"(?<=[\u4e00-\u9fff）])(\d{5,})", "1111112228", glued[i:j]) + glued[j:]
    cases = [("glued rows, 10 splits each (9.8 KB)", many),
             ("one 2,000-digit run", glued.replace("640020470", "7" * 2000, 1)),
             ("markdown report + a line | + 100,000 '-'", markdown + "\n|" + "-" * 100_000 + "\n")]
    one_line = seed.replace("\n", " ")
    for mb in (1, 2, 4):
        cases.append((f"{mb} MB on one line", one_line * (mb * 2**20 // len(one_line.encode()))))
    print("hostile input, one read each (issue 12 reported 20 s + MemoryError for the glued rows, 12.5 s for the "
          "dashes, 5 s for 1 MB on one line)")
    for label, text in cases:
        seconds, peak = _timed(text)
        print(f"  {label:44s} {seconds:7.2f} s  peak {peak:7.1f} MB")


if __name__ == "__main__":
    main()

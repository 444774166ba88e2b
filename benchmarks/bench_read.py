"""Reports per second of govreport.read_report, for text and for HTML input, on one core.

Also times a plain ``pandas.read_html`` + cleanup baseline on the same HTML (tables only,
no sections, meta or validation), and prints the ratio.

    python benchmarks/bench_read.py [--seconds 5]
"""
from __future__ import annotations

import argparse
import io
import time
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
    args = ap.parse_args()
    texts = [p.read_bytes() for p in sorted(RAW.glob("*.txt"))]
    htmls = [p.read_bytes() for p in sorted(RAW.glob("*.html"))]
    print(f"govreport {govreport.__version__}, pandas {pd.__version__}; {len(texts)} text and "
          f"{len(htmls)} HTML reports from data/raw, {args.seconds:.0f} s each, one process")
    for validate in (False, True):
        label = "read + validate" if validate else "read only"
        t = rate(lambda b: govreport.read_report(b, validate=validate), texts, args.seconds)
        h = rate(lambda b: govreport.read_report(b, validate=validate), htmls, args.seconds)
        print(f"{label:16s} text: {t:7.1f} reports/s   HTML: {h:7.1f} reports/s")
    # tables materialised as DataFrames, as a user would look at them
    touch = lambda b: govreport.read_report(b, validate=False).tables()  # noqa: E731
    print(f"{'read + frames':16s} text: {rate(touch, texts, args.seconds):7.1f} reports/s   "
          f"HTML: {rate(touch, htmls, args.seconds):7.1f} reports/s")
    b = rate(baseline, htmls, args.seconds)
    h = rate(lambda x: govreport.read_report(x, validate=False), htmls, args.seconds)
    print(f"baseline pandas.read_html + cleanup: {b:7.1f} pages/s; govreport/baseline = {h / b:.2f}")
    print("targets: >= 200 text reports/s, >= 100 HTML reports/s")


if __name__ == "__main__":
    main()

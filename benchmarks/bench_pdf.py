"""Text-layer PDF: govreport.read_report against bare pdfplumber on the same file, in one run.

The peer is what a researcher would write with pdfplumber alone: open the PDF, then
``extract_text`` and ``extract_tables`` on every page (no sections, no validation). The
floor is bare pypdfium2 text extraction of every page. Target: read_report ≤ 1.0× the peer.

    python benchmarks/bench_pdf.py [--repeat 5] [--file data/raw/hongze_district_gov_2024.pdf]
"""
from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium

import govreport

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"


def peer(path: Path) -> int:
    with pdfplumber.open(path) as pdf:
        return sum(len(p.extract_text() or "") + len(p.extract_tables()) for p in pdf.pages)


def floor(path: Path) -> int:
    pdf = pdfium.PdfDocument(path)
    try:
        return sum(len(pdf[i].get_textpage().get_text_range()) for i in range(len(pdf)))
    finally:
        pdf.close()


def ours(path: Path) -> int:
    return len(govreport.read_report(path).applications)


def medians(fns, path: Path, repeat: int) -> list[float]:
    """Median time of each function; runs interleaved so a busy machine slows all alike."""
    for fn in fns:
        fn(path)  # warm imports and caches
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(repeat):
        for fn, ts in zip(fns, times):
            start = time.perf_counter()
            fn(path)
            ts.append(time.perf_counter() - start)
    return [statistics.median(ts) for ts in times]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--file", type=Path, default=RAW / "hongze_district_gov_2024.pdf")
    args = ap.parse_args()
    pages = len(pdfium.PdfDocument(args.file))
    t_ours, t_peer, t_floor = medians((ours, peer, floor), args.file, args.repeat)
    print(f"{args.file.name}: {pages} pages, median of {args.repeat} interleaved runs")
    print(f"  govreport.read_report        {t_ours * 1000:8.1f} ms  ({t_ours / t_peer:.2f}x the peer; target <= 1.0x)")
    print(f"  pdfplumber text+tables (peer){t_peer * 1000:8.1f} ms")
    print(f"  pypdfium2 text only (floor)  {t_floor * 1000:8.1f} ms  "
          f"(read_report is {t_ours / t_floor:.0f}x the floor)")


if __name__ == "__main__":
    main()

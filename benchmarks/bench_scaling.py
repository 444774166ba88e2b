"""Time and peak memory of read_report on 1, 2 and 4 MB inputs, and the refusal of a file
over the size limit: reading must be linear in the input's size.

The inputs are real reports repeated (text: seed 004 and pingtan 2021 lines; HTML: the
Shanghai page's paragraphs) up to the size. Prints seconds per MB beside the 1 MB figure
(linear: the ratio stays near 1.0), and the time to refuse a 50 MB file.

    python benchmarks/bench_scaling.py
"""
from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"

CHILD = r"""
import resource, sys, time
import govreport
data = open(sys.argv[1], "rb").read()
t = time.perf_counter()
try:
    govreport.read_report(data, name="scaling")
    out = "read"
except govreport.ParseError as ex:
    out = "ParseError " + str(getattr(ex, "code", ""))
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, out)
"""


def make(kind: str, mb: float) -> bytes:
    if kind == "text":
        unit = (RAW / "004_1de402db7ad7867c.txt").read_bytes() + b"\n" + (RAW / "pingtan_2021.txt").read_bytes()
    else:
        unit = (RAW / "shanghai_govoffice_2019.html").read_bytes()
    target = int(mb * 2**20)
    return (unit * (target // len(unit) + 1))[:target]


def measure(data: bytes) -> tuple[float, float, str]:
    with tempfile.NamedTemporaryFile(delete=False) as f:
        f.write(data)
    try:
        out = subprocess.run([sys.executable, "-c", CHILD, f.name], capture_output=True, text=True,
                             timeout=600, env={**os.environ, "PYTHONHASHSEED": "0"})
        secs, peak, *status = out.stdout.split()
        return float(secs), float(peak), " ".join(status)
    finally:
        os.unlink(f.name)


def main() -> None:
    print(f"{'input':<10}{'MB':>5}{'seconds':>10}{'s/MB':>8}{'vs 1 MB':>9}{'peak MB':>9}  result")
    for kind in ("text", "html"):
        base = None
        for mb in (1, 2, 4):
            secs, peak, status = measure(make(kind, mb))
            per = secs / mb
            base = base or per
            print(f"{kind:<10}{mb:>5}{secs:>10.2f}{per:>8.2f}{per / base:>8.2f}x{peak:>9.0f}  {status}")
    path = Path(tempfile.mkdtemp()) / "big.txt"
    path.write_bytes(make("text", 50))
    t = time.perf_counter()
    import govreport

    try:
        govreport.read_report(path)
        status = "read (expected a too_large refusal)"
    except govreport.ParseError as ex:
        status = f"ParseError {getattr(ex, 'code', '')}"
    took = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"50 MB file refused in {took:.3f} s, peak {peak:.0f} MB: {status} (default limit 20 MB)")
    path.unlink()


if __name__ == "__main__":
    main()

"""Seeded mutations of real reports and a bounded runner, for the fuzz test and the
release-time fuzz benchmark (``benchmarks/bench_fuzz.py``).

Every case is one mutated copy of a real report in ``data/raw`` (any format the reader
accepts). The runner reads each case with :func:`govreport.read_report` in a child
process with a memory ceiling and a per-case time limit, and records what escaped:
anything but :class:`govreport.ParseError` is a failure, and so are a time-out and a
memory blow-up.
"""
from __future__ import annotations

import multiprocessing as mp
import random
import re
import resource
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"
SUFFIXES = (".txt", ".html", ".pdf", ".docx")


def sources() -> list[Path]:
    """The real reports the mutations start from."""
    return sorted(p for p in RAW.iterdir() if p.suffix in SUFFIXES)


# ------------------------------------------------------------------ mutations
def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(1, max(2, len(data)))]


def flip_bytes(data: bytes, rng: random.Random) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 20)):
        i = rng.randrange(len(b))
        b[i] = rng.randrange(256)
    return bytes(b)


def shuffle_lines(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    i = rng.randrange(len(lines))
    j = min(len(lines), i + rng.randint(2, 30))
    part = lines[i:j]
    rng.shuffle(part)
    return b"\n".join(lines[:i] + part + lines[j:])


def delete_lines(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    for _ in range(rng.randint(1, 10)):
        if len(lines) > 1:
            del lines[rng.randrange(len(lines))]
    return b"\n".join(lines)


def remove_separators(data: bytes, rng: random.Random) -> bytes:
    seps = [b"|", b"\t", "\u3000".encode(), b" ", b"</td>", b"<td>"]
    return data.replace(rng.choice(seps), b"")


def huge_numbers(data: bytes, rng: random.Random) -> bytes:
    runs = list(re.finditer(rb"\d+", data))
    if not runs:
        return data + b"0" + b"9" * 400
    m = rng.choice(runs)
    big = rng.choice([b"0" + b"7" * 400, b"9" * 2000, b"-" + m.group(0), b"1e308", b"1" * 30])
    return data[: m.start()] + big + data[m.end():]


def fullwidth_digits(data: bytes, rng: random.Random) -> bytes:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return data
    return text.translate({ord(c): 0xFF10 + int(c) for c in "0123456789"}).encode("utf-8")


def reencode(data: bytes, rng: random.Random) -> bytes:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return data
    enc = rng.choice(["gbk", "gb18030", "big5", "utf-16", "utf-16-le", "latin-1"])
    return text.encode(enc, errors="replace")


def broken_html(data: bytes, rng: random.Random) -> bytes:
    choice = rng.randrange(5)
    if choice == 0:
        return data.replace(b"</td>", b"", rng.randint(1, 50))
    if choice == 1:
        return b"<table>" * 250 + data + b"</table>" * 3
    if choice == 2:
        return re.sub(rb"<td", b'<td rowspan="99999" colspan="99999"', data, count=1000)
    if choice == 3:
        return b'<html><head><meta charset="undefined"></head><body>' + data
    return data.replace(b"<tr", b"<tr><table><tr", 30)


def long_lines(data: bytes, rng: random.Random) -> bytes:
    choice = rng.randrange(4)
    if choice == 0:
        return data + b"\n|" + b"-" * 100_000 + b"\n"
    if choice == 1:
        return data.replace(b"\n", b"")  # one line
    if choice == 2:
        return data + b"\n" + "一、".encode() * 50_000
    return data + b"\n" + b"1" * 200_000


MUTATIONS = (truncate, flip_bytes, shuffle_lines, delete_lines, remove_separators, huge_numbers,
             fullwidth_digits, reencode, broken_html, long_lines)


@dataclass
class Case:
    source: str
    mutation: str
    data: bytes


def cases(n: int, seed: int) -> list[Case]:
    """``n`` seeded cases spread over every source file and every mutation."""
    rng = random.Random(seed)
    files = sources()
    blobs = {p: p.read_bytes() for p in files}
    out = []
    for k in range(n):
        path = files[k % len(files)]
        mutate = MUTATIONS[(k // len(files)) % len(MUTATIONS)]
        out.append(Case(path.name, mutate.__name__, mutate(blobs[path], rng)))
    return out


# ------------------------------------------------------------------ runner
@dataclass
class Outcome:
    source: str
    mutation: str
    result: str  # ok | parse_error | exception | timeout | memory
    detail: str = ""
    seconds: float = 0.0


@dataclass
class Summary:
    outcomes: list[Outcome] = field(default_factory=list)
    peak_mb: float = 0.0

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.result in ("exception", "timeout", "memory")]

    @property
    def slowest(self) -> Outcome:
        return max(self.outcomes, key=lambda o: o.seconds)


class _Timeout(Exception):
    pass


def _alarm(signum, frame):  # noqa: ARG001 - signal handler signature
    raise _Timeout()


def _worker(batch: list[Case], time_limit: float, mem_mb: int, queue) -> None:
    import govreport

    resource.setrlimit(resource.RLIMIT_AS, (mem_mb * 2**20, mem_mb * 2**20))
    signal.signal(signal.SIGALRM, _alarm)
    for case in batch:
        start = time.perf_counter()
        signal.setitimer(signal.ITIMER_REAL, time_limit)
        try:
            govreport.read_report(case.data, name=f"{case.source}:{case.mutation}", ocr="never")
            result, detail = "ok", ""
        except govreport.ParseError as ex:
            result, detail = "parse_error", getattr(ex, "code", "") or ""
        except _Timeout:
            result, detail = "timeout", f"over {time_limit} s"
        except MemoryError:
            result, detail = "memory", f"over {mem_mb} MB"
        except Exception as ex:  # noqa: BLE001 - what the fuzz test looks for
            result, detail = "exception", f"{type(ex).__name__}: {ex}"[:300]
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        queue.put(Outcome(case.source, case.mutation, result, detail, time.perf_counter() - start))
    queue.put(("peak", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))


def run(batch: list[Case], *, time_limit: float = 20.0, mem_mb: int = 3072) -> Summary:
    """Read every case in a child process (memory ceiling ``mem_mb``, ``time_limit``
    seconds a case); a child that dies or hangs is replaced, after the case that killed it."""
    summary = Summary()
    # spawn, not fork: a forked copy of a process that runs threads (OCR, BLAS) can deadlock
    ctx = mp.get_context("spawn")
    todo = list(batch)
    while todo:
        queue = ctx.Queue()
        proc = ctx.Process(target=_worker, args=(todo, time_limit, mem_mb, queue))
        proc.start()
        done = 0
        finished = False
        while not finished:
            try:
                item = queue.get(timeout=time_limit + 30)
            except Exception:  # noqa: BLE001 - queue.Empty: the child hung past its alarm, or died
                case = todo[done]
                dead = not proc.is_alive()
                summary.outcomes.append(Outcome(case.source, case.mutation, "memory" if dead else "timeout",
                                                f"worker {'died' if dead else 'hung'} (exit code {proc.exitcode})",
                                                time_limit))
                proc.kill()
                todo = todo[done + 1:]
                break
            if isinstance(item, tuple):  # ("peak", MB): the batch is done
                summary.peak_mb = max(summary.peak_mb, item[1])
                todo, finished = [], True
            else:
                summary.outcomes.append(item)
                done += 1
        proc.join(timeout=5)
        if proc.is_alive():
            proc.kill()
    return summary

"""The work done for one file and one chunk of files (in a worker process, or in-process for jobs=1).

A file is checked before it is opened (a FIFO, socket or device is skipped, never
opened), read within a size limit, looked up in the cache, parsed within a time limit,
and turned into one ``reports`` record, its tables as column lists, and at most one
``errors`` record.  While a file is being read its *marker* (a small file named after
its position, holding the worker's pid) exists in the run's marker folder: if a worker
dies, the parent knows which files were in flight.
"""
from __future__ import annotations

import ctypes
import hashlib
import os
import signal
import stat
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import ParseError
from ..missing import is_na
from ..report import read_report
from ..schema import typed_columns
from . import cache
from .classify import CLASS_FIELDS, classify, region_from
from .files import safe_text
from .frames import TABLE_NAMES, column, text_array


class NotARegularFile(OSError):
    """A FIFO, socket or device: skipped without being opened."""

    code = "not_regular_file"


class FileTooLarge(ValueError):
    """The file is above the run's size limit: not read."""

    code = "too_large"


class FileTimeout(TimeoutError):
    """Reading the file took longer than the run's per-file time limit."""

    code = "timeout"


_OS_CODES = ((IsADirectoryError, "directory"), (FileNotFoundError, "not_found"),
             (PermissionError, "permission"), (OSError, "os_error"))


def error_code(exc: BaseException) -> str:
    """A short code for a file that could not be read (``ParseError.code`` when it has one)."""
    code = getattr(exc, "code", None)
    if isinstance(code, str) and code:
        return code
    if isinstance(exc, ParseError):
        return "parse_error"
    for cls, name in _OS_CODES:
        if isinstance(exc, cls):
            return name
    return "internal"


@dataclass
class Item:
    """One file of a run: its position, path, id and manifest values."""

    index: int
    path: str
    report_id: str
    manifest: dict | None


# ---------------------------------------------------------------- worker processes
def init_worker(parent: int) -> None:
    """Worker initializer: die with the parent (Linux: PR_SET_PDEATHSIG; elsewhere a watchdog thread)."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
        except (OSError, AttributeError):  # pragma: no cover
            _watch_parent(parent)
    else:  # pragma: no cover
        _watch_parent(parent)
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _watch_parent(parent: int) -> None:
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="govreport-parent-watch").start()


@contextmanager
def _in_flight(marks: str | None, item: Item) -> Iterator[None]:
    if not marks:
        yield
        return
    mark = os.path.join(marks, str(item.index))
    try:
        with open(mark, "w") as fh:
            fh.write(str(os.getpid()))
    except OSError:
        mark = ""
    try:
        yield
    finally:
        if mark:
            try:
                os.unlink(mark)
            except OSError:
                pass


@contextmanager
def _time_limit(seconds: float | None, path: str) -> Iterator[None]:
    """Raise :class:`FileTimeout` inside the block after ``seconds`` (main thread, POSIX only).

    The parent also kills a worker stuck past the limit (code that never returns to
    Python, e.g. inside a C extension, cannot be interrupted by a signal).
    """
    usable = (seconds and hasattr(signal, "setitimer")
              and threading.current_thread() is threading.main_thread())
    if not usable:
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise FileTimeout(f"{path}: not read within the time limit of {seconds:g} s")

    old = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, float(seconds))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


# ---------------------------------------------------------------- one file
def read_file(path: Path, max_bytes: int | None) -> bytes:
    """The bytes of a regular file; other kinds of files are refused without being opened."""
    st = os.stat(path)
    if stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(f"{path}: is a directory, not a report file")
    if not stat.S_ISREG(st.st_mode):
        kind = ("FIFO" if stat.S_ISFIFO(st.st_mode) else "socket" if stat.S_ISSOCK(st.st_mode)
                else "device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode) else "special file")
        raise NotARegularFile(f"{path}: a {kind}, not a regular file (skipped, not opened)")
    if max_bytes is not None and st.st_size > max_bytes:
        raise FileTooLarge(f"{path}: {st.st_size:,} bytes, above the limit of {max_bytes:,} (not read)")
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):  # replaced since the stat
            raise NotARegularFile(f"{path}: not a regular file (skipped)")
        return fh.read() if max_bytes is None else fh.read(max_bytes + 1)


def parse_file(path: str, data: bytes) -> dict:
    """Parse one file's bytes; return a cache entry (no report_id, no manifest applied)."""
    report = read_report(data, name=path)
    tables = {}
    for name in TABLE_NAMES:
        recs = report.records(name)
        cols = typed_columns(recs, name)
        tables[name] = {"columns": [c for c, _, _ in cols], "dtypes": [d for _, d, _ in cols],
                        "data": [[None if is_na(v) else v for v in vals] for _, _, vals in cols],
                        "n": len(recs[1])}
    return {"format": cache.FORMAT, "meta": dict(report.meta), "tables": tables, "text": report.text}


def work_one(item: Item, opts: Mapping[str, Any]) -> tuple[dict, dict | None, dict | None]:
    """Parse one file. Returns (reports record, tables or None, error record or None)."""
    name = safe_text(item.path)
    rec: dict[str, Any] = {"report_id": item.report_id, "file": name, "sha256": None, "size": None}
    try:
        with _in_flight(opts.get("marks"), item), _time_limit(opts.get("timeout"), name):
            p = Path(item.path)
            if not p.is_absolute() and opts.get("cwd"):  # dask workers may run elsewhere
                p = Path(opts["cwd"]) / p
            data = read_file(p, opts.get("max_bytes"))
            rec["size"] = len(data)
            sha = hashlib.sha256(data).hexdigest()
            rec["sha256"] = sha
            suffix = p.suffix.lower()  # the reader says why bytes are unreadable (ParseError.code)
            entry = cpath = None
            key = cache.entry_key(sha, suffix, opts.get("salt", ""))
            if opts.get("cache_dir"):
                cpath = cache.entry_path(opts["cache_dir"], key)
                entry = cache.get(cpath, key)
            if entry is None:
                entry = parse_file(name, data)
                if cpath is not None:
                    cache.put(cpath, key, entry)
    except Exception as exc:
        if opts.get("errors") == "raise":
            raise
        rec.update(finish_record({}, item, None, None))
        rec["status"] = "skipped" if isinstance(exc, NotARegularFile) else "failed"
        return rec, None, error_record(item, exc)
    rec.update(finish_record(entry["meta"], item, entry.get("text"), entry["tables"]))
    return rec, entry["tables"], None


def error_record(item: Item, exc: BaseException) -> dict:
    """The ``errors`` row of a file that could not be read."""
    return {"report_id": item.report_id, "file": safe_text(item.path), "error_type": type(exc).__name__,
            "error_code": error_code(exc), "message": safe_text(_message(exc, safe_text(item.path)))}


def _message(exc: BaseException, path: str) -> str:
    msg = str(exc) or type(exc).__name__
    if isinstance(exc, OSError) and exc.strerror:
        msg = f"{path}: {exc.strerror}"
    elif path not in msg and Path(path).name not in msg:
        msg = f"{path}: {msg}"
    return msg


def _value(v: Any) -> Any:
    return None if is_na(v) else v


def _severity_counts(findings: Mapping[str, Any] | None) -> dict[str, int]:
    out = {"n_error": 0, "n_warning": 0, "n_info": 0}
    if findings and findings["n"] and "severity" in findings["columns"]:
        vals = findings["data"][findings["columns"].index("severity")]
        for sev in ("error", "warning", "info"):
            out[f"n_{sev}"] = sum(1 for v in vals if v == sev)
    return out


def finish_record(meta: Mapping[str, Any], item: Item, text: str | None,
                  tables: Mapping[str, Any] | None) -> dict:
    """Meta + manifest + classification + findings counts for the ``reports`` row."""
    man = item.manifest or {}
    rec: dict[str, Any] = {}
    for field in ("agency", "year", "published"):
        mv, rv = _value(man.get(field)), _value(meta.get(field))
        if mv is not None:
            rec[field], rec[f"{field}_source"] = mv, "manifest"
        elif rv is not None:  # the reader may say more precisely where it found it
            rec[field], rec[f"{field}_source"] = rv, _value(meta.get(f"{field}_source")) or "report"
        else:
            rec[field], rec[f"{field}_source"] = None, None
    rec["url"] = _value(man.get("url"))
    if rec["url"] is None:
        src = _value(meta.get("url"))
        rec["url"] = src if isinstance(src, str) and src.startswith("http") else None
    for key in ("layout", "script", "format", "title", "agency_id", "division_code", "days_late"):
        rec[key] = _value(meta.get(key))
    cls = classify(rec["agency"], text) if (rec["agency"] or text) else {}
    for key in CLASS_FIELDS:
        rec[key] = _value(cls.get(key))
    for key in ("agency_id", "division_code"):  # the reader's own value wins over the classifier's
        if rec[key] is None:
            rec[key] = _value(cls.get(key))
    mreg = _value(man.get("region"))
    if mreg is not None:
        rec["region"], rec["region_source"] = str(mreg), "manifest"
    else:
        reg = region_from(cls)
        rec["region"], rec["region_source"] = reg, ("report" if reg else None)
    if tables is None:
        rec.update({"n_error": None, "n_warning": None, "n_info": None})
    else:
        rec.update(_severity_counts(tables.get("findings")))
        rec["status"] = _value(meta.get("status")) or "ok"
    return {k: safe_text(v) if isinstance(v, str) else v for k, v in rec.items()}


class Accumulator:
    """Rows of one table for a chunk of reports, as growing column lists."""

    def __init__(self, table: str) -> None:
        self.table = table
        self.ids: list[str] = []
        self.data: dict[str, list] = {}
        self.dtypes: dict[str, str] = {}
        self.typed: set[str] = set()  # columns whose dtype came from a non-empty table

    def add(self, report_id: str, payload: Mapping[str, Any]) -> None:
        """Append one report's rows."""
        n, total = payload["n"], len(self.ids)
        for col, dt, vals in zip(payload["columns"], payload["dtypes"], payload["data"]):
            if col not in self.data:
                self.data[col] = [None] * total
                self.dtypes[col] = dt
            if n and col not in self.typed:
                self.dtypes[col] = dt
                self.typed.add(col)
            self.data[col].extend(vals)
        if n:
            for vals in self.data.values():
                if len(vals) < total + n:
                    vals.extend([None] * (total + n - len(vals)))
            self.ids.extend([report_id] * n)

    def frame(self) -> pd.DataFrame:
        """The chunk's rows as a DataFrame, ``report_id`` first."""
        out: dict[str, Any] = {"report_id": text_array(self.ids)}
        for col, vals in self.data.items():
            out[col] = column(self.table, col, vals, self.dtypes[col])
        return pd.DataFrame(out)


def work_chunk(items: list[Item], opts: Mapping[str, Any]) -> dict:
    """Parse a chunk of files; build each table once for the chunk (report_id first)."""
    records, errors = [], []
    acc: dict[str, Accumulator] = {}
    for item in items:
        rec, tables, err = work_one(item, opts)
        records.append(rec)
        if err is not None:
            errors.append(err)
        if tables:
            for name, payload in tables.items():
                acc.setdefault(name, Accumulator(name)).add(item.report_id, payload)
    return {"records": records, "errors": errors, "tables": {name: a.frame() for name, a in acc.items()},
            "first": items[0].index if items else 0}



def failed_result(item: Item, exc: BaseException) -> dict:
    """A chunk result for a file the parent gave up on (its worker died or ran out of time)."""
    rec: dict[str, Any] = {"report_id": item.report_id, "file": safe_text(item.path), "sha256": None, "size": None}
    try:  # hashing the bytes is harmless, whatever reading them did to a worker
        if stat.S_ISREG(os.stat(item.path).st_mode):
            h = hashlib.sha256()
            with open(item.path, "rb") as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    h.update(block)
                    rec["size"] = (rec["size"] or 0) + len(block)
            rec["sha256"], rec["size"] = h.hexdigest(), rec["size"] or 0
    except OSError:
        pass
    rec.update(finish_record({}, item, None, None))
    rec["status"] = "failed"
    return {"records": [rec], "errors": [error_record(item, exc)], "tables": {}, "first": item.index}


__all__ = [
    "FileTimeout",
    "FileTooLarge",
    "Item",
    "NotARegularFile",
    "error_code",
    "failed_result",
    "init_worker",
    "parse_file",
    "work_chunk",
    "work_one",
]

"""Running a corpus: :func:`read_corpus` — files → chunks → a process pool that survives its workers.

A worker that crashes or is killed (the kernel's OOM killer, a segfault in a C
extension) costs only the files it was reading: the chunks it did not finish are sent
again to a fresh pool, the files that were in flight when it died are each read once
more alone, and a file that kills a worker a second time becomes a row of ``errors``
(``error_code='worker_crashed'``).  A file stuck past the per-file time limit is
stopped in its worker (a signal), or, if that does not work, its worker is killed
(``error_code='timeout'``).  Workers exit when the parent dies.
"""
from __future__ import annotations

import concurrent.futures as cf
import os
import shutil
import signal
import tempfile
import time
import warnings
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures.process import BrokenProcessPool
from typing import Any

import pandas as pd

from ..errors import renamed
from . import cache
from .corpus import Corpus
from .files import discover, report_ids
from .chunks import chunks, progress_bar
from .frames import assemble
from .manifest import manifest_lookup
from .work import FileTimeout, Item, failed_result, init_worker, work_chunk

#: Seconds one file may take by default (OCR of a scanned report is slow).
DEFAULT_TIMEOUT: float = 120.0
#: Files above this many bytes are not read by default.
DEFAULT_MAX_SIZE: int = 200 * 2**20
# how long past the limit a worker stuck in C code is left before it is killed
_GRACE = 10.0
_POLL = 0.5


class WorkerCrashed(RuntimeError):
    """A worker process died twice while reading the same file."""

    code = "worker_crashed"


class _Pool:
    """Runs chunks on worker processes until every file has a result."""

    def __init__(self, opts: Mapping[str, Any], jobs: int, size: int | None, bar: Any) -> None:
        self.opts, self.jobs, self.size, self.bar = dict(opts), jobs, size, bar
        self.results: list[dict] = []
        self.timeout = opts.get("timeout")

    def run(self, work: list[list[Item]]) -> list[dict]:
        marks = tempfile.mkdtemp(prefix="govreport-run-")
        self.opts["marks"] = marks
        try:
            while work:
                rest, suspects = self._round(work, self.jobs)
                for item in suspects:  # each alone: a second death names the file
                    self._round([[item]], 1, alone=True)
                work = chunks(rest, self.jobs, self.size)
        finally:
            shutil.rmtree(marks, ignore_errors=True)
        return self.results

    def _take(self, result: dict) -> None:
        self.results.append(result)
        self.bar.update(len(result["records"]))

    def _fail(self, item: Item, exc: BaseException) -> None:
        if self.opts.get("errors") == "raise":
            raise exc
        self._take(failed_result(item, exc))

    def _round(self, work: list[list[Item]], workers: int, alone: bool = False) -> tuple[list[Item], list[Item]]:
        """One pool over ``work``; returns the files to run again and the suspects of a dead worker."""
        pool = cf.ProcessPoolExecutor(max_workers=min(workers, len(work)), initializer=init_worker,
                                      initargs=(os.getpid(),))
        futs = {pool.submit(work_chunk, ch, self.opts): ch for ch in work}
        killed: dict[int, int] = {}
        broken = False
        try:
            waiting = set(futs)
            while waiting and not broken:
                done, waiting = cf.wait(waiting, timeout=_POLL, return_when=cf.FIRST_COMPLETED)
                for f in done:
                    exc = f.exception()
                    if exc is None:
                        self._take(f.result())
                        futs[f] = []
                    elif isinstance(exc, BrokenProcessPool):
                        broken = True
                    else:  # errors="raise"
                        raise exc
                self._watchdog(killed)
        except BaseException:
            _terminate(pool)
            raise
        pool.shutdown(wait=True, cancel_futures=True)
        left = []
        for f, ch in futs.items():
            if not ch:
                continue
            if not f.cancelled() and f.exception() is None:  # finished as the pool broke
                self._take(f.result())
            else:
                left += ch
        if not broken:
            return left, []
        inflight = self._in_flight()
        pending = {it.index: it for it in left}
        for i in sorted(set(killed) & set(pending)):
            self._fail(pending.pop(i), FileTimeout(f"{pending_path(left, i)}: not read within the time limit of "
                                                   f"{self.timeout:g} s (its worker was stopped)"))
        if alone:  # the file's own worker died again (with or without its marker)
            for it in pending.values():
                self._fail(it, WorkerCrashed(f"{it.path}: a worker process died twice while reading this file"))
            return [], []
        suspects = [pending.pop(i) for i in sorted(inflight & set(pending))]
        if not suspects and pending:  # died between files: run the first unfinished chunk alone
            first = next(ch for f, ch in futs.items() if ch and any(it.index in pending for it in ch))
            suspects = [pending.pop(it.index) for it in first if it.index in pending]
        return list(pending.values()), suspects

    def _in_flight(self) -> set[int]:
        """The positions of the files whose markers a dead worker left (markers removed)."""
        out = set()
        for name in os.listdir(self.opts["marks"]):
            if name.isdigit():
                out.add(int(name))
            try:
                os.unlink(os.path.join(self.opts["marks"], name))
            except OSError:
                pass
        return out

    def _watchdog(self, killed: dict[int, int]) -> None:
        """Kill a worker stuck on one file well past the time limit (the in-worker signal did not stop it)."""
        if not self.timeout:
            return
        now, limit = time.time(), self.timeout + min(_GRACE, self.timeout)
        for name in os.listdir(self.opts["marks"]):
            path = os.path.join(self.opts["marks"], name)
            try:
                if not name.isdigit() or int(name) in killed or now - os.stat(path).st_mtime < limit:
                    continue
                with open(path) as fh:
                    pid = int(fh.read().strip() or 0)
            except (OSError, ValueError):
                continue
            if pid > 0:
                try:
                    os.kill(pid, getattr(signal, "SIGKILL", signal.SIGTERM))
                    killed[int(name)] = pid
                except OSError:
                    pass


def pending_path(items: Iterable[Item], index: int) -> str:
    """The path of the item at ``index`` (for messages)."""
    return next((it.path for it in items if it.index == index), str(index))


def _terminate(pool: cf.ProcessPoolExecutor) -> None:
    # stop the workers now (the executor offers no public way to kill running tasks)
    procs = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for p in procs:
        try:
            p.terminate()
        except (OSError, AttributeError):
            pass


@renamed(max_size="max_bytes")
def read_corpus(
    source: str | os.PathLike | Iterable[str | os.PathLike],
    *,
    jobs: int | None = None,
    progress: bool = True,
    errors: str = "collect",
    manifest: str | os.PathLike | pd.DataFrame | None = None,
    cache: bool | str | os.PathLike | None = True,
    engine: str = "processes",
    client: Any = None,
    out: str | os.PathLike | None = None,
    chunksize: int | None = None,
    suffixes: Sequence[str] | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    max_bytes: int | None = DEFAULT_MAX_SIZE,
) -> Corpus:
    """Parse many reports into one :class:`Corpus`.

    Parameters
    ----------
    source
        A folder (searched recursively; every file is part of the corpus except hidden
        files and folders and ``manifest.csv``: files the reader cannot read become rows
        of ``errors``), a glob pattern (``"reports/**/*.html"``), a single file, or a list
        of paths.
    jobs
        Worker processes; ``None`` = all cores, ``1`` = in this process (no pool).
    progress
        Show a ``tqdm`` progress bar.
    errors
        ``"collect"`` (default): a file that cannot be parsed becomes a row of
        ``corpus.errors`` (and a ``reports`` row with ``status='failed'``, or
        ``'skipped'`` for a FIFO, socket or device); ``"raise"``: re-raise the first
        such exception; ``"ignore"``: drop it.
    manifest
        CSV path or DataFrame: ``file`` plus any of ``agency, region, year, url,
        published``; its values override what the reports say
        (``reports.<field>_source`` tells which).
    cache
        ``True``/``None`` = the default cache folder (see :func:`default_cache_dir`),
        a path = that folder, ``False`` = no cache.
    engine
        ``"processes"`` (default) or ``"dask"`` (a ``dask.distributed`` cluster, see
        ``client`` and ``out``; needs ``pip install 'govreport[dask]'``).
    client
        ``engine="dask"`` only: a ``dask.distributed.Client``; default a
        ``LocalCluster`` with ``jobs`` single-threaded worker processes.
    out
        ``engine="dask"`` only: folder for the partitioned Parquet output
        (``out/<table>/part-*.parquet`` + ``schema.json``), reachable by every worker.
    chunksize
        Files per task (default: up to 50, smaller for small corpora).
    suffixes
        Only files with these suffixes when walking a folder (default: every file).
    timeout
        Seconds one file may take (default 120); a slower file becomes an ``errors`` row
        with ``error_code='timeout'``.  ``None``: no limit.  With ``jobs=1`` the limit
        interrupts Python code only (a signal in the main thread).
    max_bytes
        Files above this many bytes (default 200 MiB) are not read (``error_code='too_large'``).

    Returns
    -------
    Corpus

    Notes
    -----
    On platforms that start worker processes by *spawning* (Windows, macOS), a script
    calling ``read_corpus`` with ``jobs != 1`` needs the usual
    ``if __name__ == "__main__":`` guard.  Rows keep the file order whatever the number
    of workers, so ``jobs=1`` and ``jobs=8`` give identical tables.

    Raises
    ------
    FileNotFoundError
        ``source`` (a folder or file) does not exist.
    ValueError
        A folder or glob contains no file, or an argument is invalid.
    """
    if errors not in ("collect", "raise", "ignore"):
        raise ValueError("errors must be 'collect', 'raise' or 'ignore'")
    if engine not in ("processes", "dask"):
        raise ValueError("engine must be 'processes' or 'dask'")
    if jobs is not None and jobs < 1:
        raise ValueError("jobs must be >= 1 or None")
    if timeout is not None and not timeout > 0:
        raise ValueError("timeout must be a positive number of seconds or None")
    exclude = [manifest] if isinstance(manifest, (str, os.PathLike)) else []
    files, root = discover(source, suffixes, exclude=exclude)
    if not files:
        warnings.warn("read_corpus: no files given", stacklevel=3)  # 3: past @renamed
    ids = report_ids(files, root)
    man = manifest_lookup(manifest, files)
    items = [Item(i, str(f), rid, m) for i, (f, rid, m) in enumerate(zip(files, ids, man))]
    opts = {"cache_dir": _cache_dir(cache), "salt": _salt(), "errors": errors,
            "timeout": timeout, "max_bytes": max_bytes}
    njobs = jobs or os.cpu_count() or 1

    if engine == "dask":
        from .dask import read_dask

        corpus = read_dask(items, opts, njobs, client, out, chunksize, progress)
    else:
        work = chunks(items, njobs, chunksize)
        with progress_bar(len(items), progress, "govreport") as bar:
            if njobs == 1 or len(work) <= 1:
                results = []
                for ch in work:
                    results.append(work_chunk(ch, opts))
                    bar.update(len(ch))
            else:
                results = _Pool(opts, njobs, chunksize, bar).run(work)
        corpus = Corpus(assemble(results))
    if errors == "ignore":
        corpus = _drop_failed(corpus)
    return corpus


def _cache_dir(c: bool | str | os.PathLike | None) -> str | None:
    return cache.resolve_cache(c)


def _salt() -> str:
    return cache.code_salt()


def _drop_failed(corpus: Corpus) -> Corpus:
    tables = corpus.tables()
    rep = tables["reports"]
    tables["reports"] = rep.loc[~rep["status"].astype(object).isin(("failed", "skipped"))].reset_index(drop=True)
    tables["errors"] = tables["errors"].iloc[0:0]
    return Corpus(tables)

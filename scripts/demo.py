"""Run the whole chain on a folder of reports: ``python scripts/demo.py`` (``make demo``).

1. parse every report of ``$GOVREPORT_DATA`` (default: the bundled ``data/raw``)
   with :func:`govreport.corpus.read_corpus`;
2. write the tables as Parquet to ``data/processed/`` (reload with
   ``govreport.corpus.load("data/processed")``);
3. print a summary: reports read, files that failed, findings by severity;
4. execute the notebooks in ``notebooks/`` (with nbclient, in a ``python3`` kernel
   of this interpreter, working directory ``notebooks/``, ``GOVREPORT_DATA`` set to
   the same folder): they write their charts to ``figures/`` (PDF, SVG, PNG);
5. publish the executed notebooks, outputs kept, to ``docs/notebooks/`` so that a
   reader on GitHub sees the tables and figures inline, and refresh the README's
   images in ``docs/img/`` from ``figures/``;
6. list every file written.

The stored notebooks in ``notebooks/`` are never modified (they are kept without
outputs). Exit status: 0 on success, 1 if a notebook failed, 2 if nothing could be parsed.

Options: ``--root`` (repository folder; default: the nearest folder at or above
the working directory that holds ``data/raw``, else the checkout this module
lives in), ``--data`` (the folder of reports; default ``$GOVREPORT_DATA``, else
``<root>/data/raw``), ``--no-notebooks`` (parse and export only), ``--notebook NAME``
(run only notebooks whose file name contains NAME; repeatable), ``--jobs``
(parser processes), ``--timeout`` (seconds per notebook cell).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["find_root", "main", "parse", "run_notebook", "run_notebooks"]

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")

#: Tables written to data/processed by :meth:`Corpus.to_parquet` (plus schema.json).
EXPORT_SUFFIXES = (".parquet", ".json")


def find_root(start: str | os.PathLike[str] | None = None) -> Path:
    """The repository folder: the nearest folder at or above ``start`` (default:
    the working directory) that holds ``data/raw``; failing that, the checkout
    this module is installed from (editable install)."""
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "data" / "raw").is_dir():
            return folder
    checkout = Path(__file__).resolve().parents[1]
    if (checkout / "data" / "raw").is_dir():
        return checkout
    raise FileNotFoundError(
        f"no data/raw folder in {here} or above (nor in {checkout}); run from the govreport repository "
        "or pass --root"
    )


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


def parse(raw: str | os.PathLike[str], out: str | os.PathLike[str], *, jobs: int | None = None,
          progress: bool = False):
    """Parse the reports in ``raw`` and export them as Parquet to ``out``.

    Files of earlier exports in ``out`` (``*.parquet``, ``schema.json``) are
    removed first so that the folder holds exactly one corpus.  Returns
    ``(corpus, written_paths)``.
    """
    from govreport.corpus import read_corpus

    out = Path(out)
    corpus = read_corpus(Path(raw), jobs=jobs, progress=progress)
    if out.is_dir():
        for old in out.iterdir():
            if old.is_file() and old.suffix in EXPORT_SUFFIXES:
                old.unlink()
    corpus.to_parquet(out)
    written = sorted(p for p in out.iterdir() if p.is_file() and p.suffix in EXPORT_SUFFIXES)
    return corpus, written


# ------------------------------------------------------------------------------ notebooks


def _kernel_manager():
    """A KernelManager whose ``python3`` kernel runs this interpreter (not whatever
    ``python3`` kernelspec happens to be installed for the user)."""
    from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
    from jupyter_client.manager import KernelManager

    class _ThisPython(KernelSpecManager):
        def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
            return KernelSpec(
                argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                display_name=f"Python {sys.version_info.major}.{sys.version_info.minor} (govreport demo)",
                language="python",
                metadata={"debugger": False},
            )

    # IPC transport (sockets in a private temporary folder) instead of TCP on localhost
    if os.name == "posix":
        ipc_dir = tempfile.mkdtemp(prefix="govreport-kernel-")
        km = KernelManager(kernel_name="python3", kernel_spec_manager=_ThisPython(), transport="ipc",
                           ip=os.path.join(ipc_dir, "kernel"))
        km._govreport_tmp = ipc_dir  # type: ignore[attr-defined]
        return km
    return KernelManager(kernel_name="python3", kernel_spec_manager=_ThisPython())


@dataclass
class NotebookRun:
    path: Path
    seconds: float = 0.0
    ok: bool = False
    error: str | None = None
    written: list[Path] = field(default_factory=list)


def _shutdown(km) -> None:
    try:
        if km.has_kernel:
            km.shutdown_kernel(now=True)
    except Exception:  # noqa: BLE001, S110 - best effort: the kernel may already be gone
        pass
    tmp = getattr(km, "_govreport_tmp", None)
    if tmp:
        shutil.rmtree(tmp, ignore_errors=True)


def _snapshot(folder: Path) -> dict[Path, int]:
    if not folder.is_dir():
        return {}
    return {p: p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def run_notebook(path: str | os.PathLike[str], *, timeout: int = 600, watch: Iterable[Path] = (),
                 publish: str | os.PathLike[str] | None = None) -> NotebookRun:
    """Execute one notebook in memory (the file is not modified), working
    directory = its folder, in a kernel that inherits this process's environment
    (``GOVREPORT_DATA`` …).  With ``publish``, the executed notebook (outputs kept)
    is written to that path when every cell ran.  Returns timing, success and the
    files in ``watch`` folders (and ``publish``) that the run created or changed."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import (
        CellExecutionError,
        CellTimeoutError,
        DeadKernelError,
    )

    path = Path(path)
    run = NotebookRun(path)
    watch = [Path(w) for w in watch]
    before = {w: _snapshot(w) for w in watch}
    nb = nbformat.read(path, as_version=4)
    km = _kernel_manager()
    client = NotebookClient(
        nb,
        km=km,
        timeout=timeout,
        resources={"metadata": {"path": str(path.parent)}},
        allow_errors=False,
        record_timing=False,
    )
    start = time.perf_counter()
    try:
        client.execute()
        run.ok = True
        if publish is not None:
            publish = Path(publish)
            publish.parent.mkdir(parents=True, exist_ok=True)
            nb.metadata.pop("widgets", None)
            _drop_addresses(nb)
            nbformat.write(nb, publish)
    except CellExecutionError as exc:  # the traceback of the failing cell, as Jupyter shows it
        run.error = _ANSI.sub("", str(exc))
    except (CellTimeoutError, DeadKernelError, RuntimeError, OSError) as exc:
        run.error = f"{type(exc).__name__}: {exc}"
    finally:
        run.seconds = time.perf_counter() - start
        _shutdown(km)
    for w in watch:
        after = _snapshot(w)
        run.written += sorted(p for p, m in after.items() if before[w].get(p) != m)
    if run.ok and publish is not None:
        run.written.append(Path(publish))
    return run


_ADDRESS = re.compile(r" at 0x[0-9a-f]+")


def _drop_addresses(nb) -> None:
    """Drop memory addresses from plain-text reprs (``<Styler at 0x7f…>``), so that an
    unchanged notebook publishes an unchanged file."""
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            text = out.get("data", {}).get("text/plain")
            if isinstance(text, str):
                out["data"]["text/plain"] = _ADDRESS.sub("", text)


def run_notebooks(paths: Sequence[Path], *, root: Path, timeout: int = 600, echo=print,
                  publish: Path | None = None) -> list[NotebookRun]:
    """Run every notebook of ``paths``; executed copies go to ``publish`` (a folder) when given."""
    runs = []
    for nb_path in paths:
        echo(f"  {nb_path.name} ...", end="", flush=True)
        run = run_notebook(nb_path, timeout=timeout, watch=[root / "figures"],
                           publish=(publish / nb_path.name) if publish is not None else None)
        status = "ok" if run.ok else "FAILED"
        echo(f" {status} in {run.seconds:.1f} s, {len(run.written)} files")
        if not run.ok:
            echo(_indent(_tail(run.error or "", 40)))
        runs.append(run)
    return runs


def _tail(text: str, lines: int) -> str:
    parts = text.strip().splitlines()
    return "\n".join(parts[-lines:])


def _indent(text: str, prefix: str = "    ") -> str:
    return "\n".join(prefix + line for line in text.splitlines())


def _refresh_readme_images(figures: Path, images: Path) -> list[Path]:
    """Copy figures/<name>.png over docs/img/<name>.png for every image the README shows."""
    out = []
    for img in sorted(images.glob("*.png")) if images.is_dir() else ():
        src = figures / img.name
        if src.is_file() and src.read_bytes() != img.read_bytes():
            shutil.copyfile(src, img)
            out.append(img)
    return out


# ----------------------------------------------------------------------------------- main


def _summary_lines(corpus) -> list[str]:
    s = corpus.summary()
    years = f"{s['years'][0]}–{s['years'][1]}" if s.get("years") else "no years"
    layouts = ", ".join(f"{k}: {v}" for k, v in s.get("layouts", {}).items()) or "none"
    findings = s.get("findings", {})
    lines = [
        f"  files:          {s['files']}",
        f"  reports read:   {s['reports']} ({years}; layouts {layouts})",
        f"  failed:         {s['failed']}",
        "  findings:       " + ", ".join(f"{findings.get(k, 0)} {k}" for k in ("error", "warning", "info")),
    ]
    for rec in corpus.errors.itertuples(index=False):
        lines.append(f"    failed: {rec.file}: {rec.error_type}: {rec.message}")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python scripts/demo.py",
        description="Parse data/raw -> data/processed (Parquet), run the notebooks -> figures/.",
    )
    parser.add_argument("--root", type=Path, default=None, help="repository folder (default: found from the cwd)")
    parser.add_argument("--data", type=Path, default=None,
                        help="folder of reports (default: $GOVREPORT_DATA, else <root>/data/raw)")
    parser.add_argument("--no-notebooks", action="store_true", help="only parse and export")
    parser.add_argument("--notebook", action="append", default=[], metavar="NAME",
                        help="run only notebooks whose file name contains NAME (repeatable)")
    parser.add_argument("--jobs", type=int, default=None, help="parser processes (default: all cores)")
    parser.add_argument("--timeout", type=int, default=600, help="seconds allowed per notebook cell")
    args = parser.parse_args(argv)

    os.environ.setdefault("MPLBACKEND", "Agg")
    os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")

    t0 = time.perf_counter()
    root = (args.root.resolve() if args.root else find_root())
    data = args.data or (Path(os.environ["GOVREPORT_DATA"]) if os.environ.get("GOVREPORT_DATA") else None)
    raw = data.expanduser().resolve() if data is not None else root / "data" / "raw"
    processed = root / "data" / "processed"
    figures, notebooks, published = root / "figures", root / "notebooks", root / "docs" / "notebooks"
    # the notebooks' kernels inherit these: the same folder of reports, figures into the checkout
    os.environ["GOVREPORT_DATA"] = str(raw)
    os.environ.setdefault("GOVREPORT_FIGURES", str(figures))
    print(f"govreport demo in {root}")

    print(f"\n[1/3] parsing {_rel(raw, root)}/ -> {_rel(processed, root)}/")
    t = time.perf_counter()
    corpus, tables = parse(raw, processed, jobs=args.jobs, progress=sys.stderr.isatty())
    print(f"  done in {time.perf_counter() - t:.1f} s")
    print("\n".join(_summary_lines(corpus)))
    if len(corpus) == 0:
        print("nothing could be parsed; stopping", file=sys.stderr)
        return 2

    runs: list[NotebookRun] = []
    if args.no_notebooks:
        print("\n[2/3] notebooks skipped (--no-notebooks)")
    else:
        paths = sorted(notebooks.glob("*.ipynb"))
        if args.notebook:
            paths = [p for p in paths if any(n in p.name for n in args.notebook)]
        print(f"\n[2/3] executing {len(paths)} notebooks in {_rel(notebooks, root)}/ on {_rel(raw, root)}/"
              f" (executed copies -> {_rel(published, root)}/)")
        if not paths:
            print("  no notebooks found")
        figures.mkdir(exist_ok=True)
        runs = run_notebooks(paths, root=root, timeout=args.timeout, publish=published)

    refreshed = _refresh_readme_images(figures, root / "docs" / "img")

    print("\n[3/3] files written")
    print(f"  {_rel(processed, root)}/  (reload with govreport.corpus.load({_rel(processed, root)!r}))")
    for p in tables:
        print(f"    {_rel(p, root)}  ({p.stat().st_size:,} bytes)")
    for run in runs:
        print(f"  by {_rel(run.path, root)} ({run.seconds:.1f} s{'' if run.ok else ', FAILED'}):")
        for p in run.written:
            print(f"    {_rel(p, root)}")
        if not run.written:
            print("    (nothing)")
    if refreshed:
        print("  README images (copies of figures/):")
        for p in refreshed:
            print(f"    {_rel(p, root)}")
    failed = [r for r in runs if not r.ok]
    print(f"\ntotal {time.perf_counter() - t0:.1f} s", end="")
    if failed:
        print(f"; {len(failed)} notebook(s) failed: " + ", ".join(r.path.name for r in failed))
        return 1
    print()
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

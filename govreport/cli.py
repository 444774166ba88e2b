"""The ``govreport`` command line (also ``python -m govreport``).

Commands::

    govreport parse SOURCE -o OUT        parse a folder / glob / files into tables
    govreport validate SOURCE            list findings; exit 1 if any is an error
    govreport info SOURCE                meta, tables and findings of one report
    govreport indicators SOURCE -o FILE  derived indicators, one row per report

Exit status (the same for every command)::

    0  success
    1  error findings found: a finding of severity ``error`` (``validate``), a file that
       could not be parsed as a report (``validate``, ``info``), or no report parsed (``parse``)
    2  usage error, unreadable input (missing path, empty folder, empty or binary file)
       or a crash (an unexpected exception: a one-line message, never a traceback)

Findings are listed from ``--severity`` up (default ``warning``: errors and warnings;
``info`` shows all).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from . import __version__
from .errors import ParseError

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_CRASH = 2

_EXIT_HELP = ("Exit status: 0 success; 1 error findings found (validate: a finding of severity error or an "
              "unparseable file; info: not a report; parse: no report parsed); 2 usage error, unreadable input or "
              "a crash (a message, never a traceback). Run 'govreport COMMAND -h' for a command's options.")

_SEVERITIES = ("error", "warning", "info")


class _Fail(Exception):
    """A clear, user-facing error: message + exit status."""

    def __init__(self, message: str, status: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.status = status


def _add_corpus_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("corpus options")
    g.add_argument("-j", "--jobs", type=int, default=None, metavar="N",
                   help="worker processes (default: all cores; 1 = no worker processes)")
    g.add_argument("--manifest", metavar="CSV",
                   help="CSV with a 'file' column and any of agency, region, year, url, "
                        "published; its values override what the reports say")
    g.add_argument("--no-cache", action="store_true",
                   help="do not read or write the parse cache")
    g.add_argument("--cache-dir", metavar="DIR",
                   help="cache folder (default: $GOVREPORT_CACHE or ~/.cache/govreport)")
    g.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    g.add_argument("--timeout", type=float, default=120.0, metavar="SECONDS",
                   help="time limit per file (default: 120); a slower file is listed in 'errors'")


def build_parser() -> argparse.ArgumentParser:
    """The ``argparse`` parser of the ``govreport`` command."""
    parser = argparse.ArgumentParser(
        prog="govreport",
        description="Parse Chinese government information-disclosure annual reports "
                    "(政府信息公开工作年度报告) into tables.",
        epilog=_EXIT_HELP,
    )
    parser.add_argument("--version", action="version", version=f"govreport {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser(
        "parse", help="parse reports into tables (Parquet by default)",
        description="Parse every report in SOURCE (a folder, searched recursively; a glob "
                    "such as 'reports/**/*.html'; or files) and write the tables "
                    "(reports, errors, sections, active_disclosure, applications, "
                    "review_litigation, statistics, findings) to OUT. Files that cannot be "
                    "parsed are listed in the 'errors' table and at the end of the run.")
    p.add_argument("source", nargs="+", metavar="SOURCE",
                   help="folder, glob pattern or report file(s)")
    p.add_argument("-o", "--out", required=True, metavar="OUT",
                   help="output folder (Parquet/CSV) or .xlsx file (Excel)")
    p.add_argument("-f", "--format", choices=("parquet", "csv", "excel"), default=None,
                   help="output format (default: parquet; excel when OUT ends in .xlsx)")
    p.add_argument("--engine", choices=("processes", "dask"), default="processes",
                   help="run on local processes (default) or a dask.distributed cluster")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="with --engine dask: address of a running scheduler, e.g. "
                        "tcp://10.0.0.5:8786 (default: a local cluster)")
    _add_corpus_options(p)

    p = sub.add_parser(
        "validate", help="check the arithmetic of reports; exit 1 on any error finding",
        description="Parse SOURCE and print its findings (failed sums, inconsistent "
                    "totals, unparseable files). Exit status 1 when any finding has "
                    "severity 'error' or a file cannot be parsed, so it can gate a pipeline.")
    p.add_argument("source", nargs="+", metavar="SOURCE",
                   help="folder, glob pattern or report file(s)")
    p.add_argument("-s", "--severity", choices=_SEVERITIES, default="warning",
                   help="lowest severity to list (default: warning); the exit status "
                        "always reflects errors")
    p.add_argument("-o", "--out", metavar="FILE",
                   help="also write the findings table to FILE (.csv, .parquet or .xlsx)")
    _add_corpus_options(p)

    p = sub.add_parser(
        "info", help="show the meta, tables and findings of one report",
        description="Parse one report and print what was understood: meta data (agency, "
                    "year, layout, ...), each table's size and first rows, and the findings.")
    p.add_argument("source", metavar="SOURCE", help="one report file (.txt, .html, ...)")
    p.add_argument("-n", "--rows", type=int, default=5, metavar="N",
                   help="rows of each table to show (default: 5; 0 = sizes only)")
    p.add_argument("-s", "--severity", choices=_SEVERITIES, default="warning",
                   help="lowest severity of the findings to list (default: warning; info = all)")

    p = sub.add_parser(
        "indicators", help="compute indicators per report and write them to a file",
        description="Parse SOURCE and write the derived indicators (one row per report) to "
                    "FILE; the format follows the suffix (.csv, .parquet, .xlsx).")
    p.add_argument("source", nargs="+", metavar="SOURCE",
                   help="folder, glob pattern or report file(s)")
    p.add_argument("-o", "--out", required=True, metavar="FILE",
                   help="output file: .csv, .parquet or .xlsx")
    _add_corpus_options(p)
    return parser


def _source_arg(values: Sequence[str]) -> Any:
    if len(values) == 1:
        return values[0]
    missing = [v for v in values if not Path(v).exists()]
    if missing and len(missing) == len(values):
        raise _Fail(f"error: no such file or folder: {missing[0]!r}")
    return list(values)


def _read(args: argparse.Namespace, **extra: Any):
    from .corpus import read_corpus

    cache: Any = True
    if args.no_cache:
        cache = False
    elif args.cache_dir:
        cache = args.cache_dir
    src = _source_arg(args.source)
    try:
        return read_corpus(src, jobs=args.jobs, progress=not args.no_progress,
                           manifest=args.manifest, cache=cache, timeout=args.timeout, **extra)
    except (FileNotFoundError, ValueError, ImportError) as exc:
        raise _Fail(f"error: {exc}") from None


def _write_frame(df, out: str) -> Path:
    path = Path(out)
    suffix = path.suffix.lower()
    if path.parent and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".parquet":
        df.to_parquet(path, index=False)
    elif suffix in (".xlsx", ".xlsm"):  # text cells as text, never formulas
        from .corpus.store import frame_to_excel

        frame_to_excel(df, path)
    elif suffix in (".csv", ".txt", ""):
        df.to_csv(path, index=False, encoding="utf-8-sig")
    else:
        raise _Fail(f"error: unknown output format {suffix!r}; use .csv, .parquet or .xlsx")
    return path


def _print_errors(corpus, stream: TextIO, limit: int = 20) -> None:
    errs = corpus.errors
    if not len(errs):
        return
    print(f"{len(errs)} file(s) could not be parsed:", file=stream)
    for _, row in errs.head(limit).iterrows():
        file, msg = str(row["file"]), str(row["message"])
        for prefix in (f"{file}: ", f"{Path(file).name}: "):
            msg = msg.removeprefix(prefix)
        print(f"  {file}: {row['error_type']}: {msg}", file=stream)
    if len(errs) > limit:
        print(f"  ... and {len(errs) - limit} more (see the 'errors' table)", file=stream)


def _summary_line(corpus, seconds: float) -> str:
    s = corpus.summary()
    f = s["findings"]
    skipped = f", {s['skipped']} skipped" if s.get("skipped") else ""
    return (f"{s['reports']} report(s) read, {s['failed']} failed{skipped}, in {seconds:.1f} s; "
            f"findings: {f['error']} error, {f['warning']} warning, {f['info']} info")


def cmd_parse(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    fmt = args.format
    if fmt is None:
        fmt = "excel" if args.out.lower().endswith((".xlsx", ".xlsm")) else "parquet"
    t0 = time.perf_counter()
    extra: dict[str, Any] = {}
    client = None
    if args.engine == "dask":
        extra["engine"] = "dask"
        if args.scheduler:
            try:
                from dask.distributed import Client
            except ImportError:
                raise _Fail("error: --engine dask needs the dask extra: pip install 'govreport[dask]'") from None
            client = Client(args.scheduler)
            extra["client"] = client
        if fmt == "parquet":
            extra["out"] = args.out
    try:
        corpus = _read(args, **extra)
    finally:
        if client is not None:
            client.close()
    seconds = time.perf_counter() - t0
    if fmt == "parquet":
        if args.engine != "dask":
            corpus.to_parquet(args.out)
        where = args.out
    elif fmt == "csv":
        corpus.to_csv(args.out)
        where = args.out
    else:
        where = str(corpus.to_excel(args.out))
    _print_errors(corpus, err)
    print(_summary_line(corpus, seconds), file=out)
    print(f"wrote {fmt} to {where}", file=out)
    return EXIT_OK if len(corpus) or not len(corpus.reports) else EXIT_FINDINGS


def cmd_validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    import pandas as pd

    t0 = time.perf_counter()
    corpus = _read(args)
    seconds = time.perf_counter() - t0
    table = corpus.validate()
    keep = _shown_severities(args.severity)
    shown = table[table["severity"].astype(object).isin(keep)] if len(table) else table
    if args.out:
        _write_frame(table, args.out)
    if len(shown):
        cols = [c for c in ("report_id", "severity", "check", "table", "location", "message")
                if c in shown.columns]
        with pd.option_context("display.max_rows", 500, "display.max_colwidth", 80,
                               "display.width", 200):
            print(_plain(shown[cols]).to_string(index=False), file=out)
    else:
        print(f"no findings of severity {args.severity} or worse", file=out)
    n_err = int((table["severity"].astype(object) == "error").sum()) if len(table) else 0
    print(_summary_line(corpus, seconds), file=out)
    return EXIT_FINDINGS if n_err else EXIT_OK


def cmd_info(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    import pandas as pd

    path = Path(args.source)
    if not path.exists() and not path.is_symlink():
        raise _Fail(f"error: no such file: {args.source!r}")
    if path.is_dir():
        raise _Fail(f"error: {args.source!r} is a folder; 'info' reads one report "
                    f"(use 'govreport parse' or 'validate' for a folder)")
    from . import read_report
    from .corpus.work import read_file

    try:  # a FIFO or device is refused without being opened
        data = read_file(path, None)
    except OSError as exc:
        raise _Fail(f"error: cannot read {args.source!r}: {exc.strerror or exc}") from None
    try:
        report = read_report(data, name=str(path))
    except ParseError as exc:
        # bytes that are no report at all are unreadable input (2); a report without structure is a finding (1)
        code = EXIT_FINDINGS if exc.code == "no_structure" else EXIT_USAGE
        raise _Fail(f"error: cannot parse {args.source!r} ({exc.code}): {exc.reason}", code) from None
    except Exception as exc:  # noqa: BLE001 - anything else: a clear message, never a traceback
        raise _Fail(f"error: cannot parse {args.source!r}: {type(exc).__name__}: {exc}", EXIT_CRASH) from None
    meta = dict(getattr(report, "meta", {}) or {})
    print(f"== {args.source}", file=out)
    width = max((len(k) for k in meta), default=0)
    for k, v in meta.items():
        print(f"  {k:<{width}}  {v}", file=out)
    tables = report.tables() if callable(getattr(report, "tables", None)) else {}
    print("== tables", file=out)
    with pd.option_context("display.max_columns", 20, "display.width", 200,
                           "display.max_colwidth", 40):
        for name, df in tables.items():
            if name == "findings":
                continue
            print(f"-- {name}: {len(df)} row(s) x {df.shape[1]} column(s)", file=out)
            if args.rows and len(df):
                shown = df.head(args.rows).astype(object).map(_short)
                print(shown.to_string(index=False), file=out)
    findings = tables.get("findings", getattr(report, "findings", None))
    print("== findings", file=out)
    if findings is not None and len(findings):
        findings = findings[findings["severity"].astype(object).isin(_shown_severities(args.severity))]
    if findings is None or not len(findings):
        print(f"  none of severity {args.severity} or worse", file=out)
        return EXIT_OK
    cols = [c for c in ("severity", "check", "table", "location", "message")
            if c in findings.columns]
    with pd.option_context("display.max_rows", 200, "display.max_colwidth", 100,
                           "display.width", 200):
        print(_plain(findings[cols]).to_string(index=False), file=out)
    return EXIT_OK


def _shown_severities(lowest: str) -> tuple[str, ...]:
    """The severities listed from ``lowest`` up (``warning`` → error and warning)."""
    return _SEVERITIES[: _SEVERITIES.index(lowest) + 1]


def _plain(df):
    """A frame for printing: every column as object, missing as "" (categoricals refuse new values)."""
    return df.astype(object).where(df.notna(), "")


def _short(v: Any, width: int = 40) -> Any:
    """One line, at most ``width`` characters (for showing table cells)."""
    if not isinstance(v, str):
        return v
    v = " ".join(v.split())
    return v if len(v) <= width else v[: width - 1] + "…"


def _indicator_function():
    from .checks.indicators import indicators

    return indicators


def cmd_indicators(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if Path(args.out).suffix.lower() not in (".csv", ".parquet", ".xlsx", ".xlsm", ".txt"):
        raise _Fail(f"error: unknown output format for {args.out!r}; "
                    f"use .csv, .parquet or .xlsx")
    fn = _indicator_function()
    t0 = time.perf_counter()
    corpus = _read(args)
    table = fn(corpus)
    path = _write_frame(table, args.out)
    _print_errors(corpus, err)
    print(_summary_line(corpus, time.perf_counter() - t0), file=out)
    print(f"wrote {len(table)} indicator row(s) to {path}", file=out)
    return EXIT_OK


_COMMANDS = {"parse": cmd_parse, "validate": cmd_validate, "info": cmd_info,
             "indicators": cmd_indicators}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0 ok, 1 error findings, 2 usage, unreadable input or crash)."""
    for stream in (sys.stdout, sys.stderr):  # a file name that is not UTF-8 never stops the output
        try:
            stream.reconfigure(errors="backslashreplace")
        except (AttributeError, ValueError, OSError):
            pass
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0) if not isinstance(exc.code, str) else EXIT_USAGE
    if not args.command:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return _COMMANDS[args.command](args, sys.stdout, sys.stderr)
    except _Fail as exc:
        print(f"govreport {args.command}: {exc}", file=sys.stderr)
        return exc.status
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. piped into head
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - stays open until exit
        except OSError:
            pass
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - never a traceback: a message and exit 2
        print(f"govreport {args.command}: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_CRASH


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

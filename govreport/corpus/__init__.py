"""Read many reports at once: :func:`read_corpus`, :class:`Corpus` and :func:`load`.

A study reads one province's reports for ten years, or every county in China for one
year: thousands to hundreds of thousands of files.  :func:`read_corpus` parses them in
parallel (one process per core), caches each parse by content hash, and returns a
:class:`Corpus`: the tables of :class:`govreport.Report` concatenated, each row carrying
a ``report_id``, plus a ``reports`` table (one row per file) and an ``errors`` table
(one row per file that could not be read).  One bad file never stops the run.

``report_id``
    The file name without its suffix (``pingtan_2021``) when that stem is unique in the
    corpus; otherwise the stem, a dash and the first 8 hex digits of the SHA-1 of the
    file's path relative to the corpus root (``report-3fa4c2d1``).  It depends only on
    the file list, so it is stable between runs of the same corpus.

Cache
    Each successful parse is stored under the cache directory (``$GOVREPORT_CACHE``, else
    ``$XDG_CACHE_HOME/govreport``, else ``~/.cache/govreport``) keyed by the SHA-256 of
    the file's bytes plus a salt made of the govreport version and a hash of the
    package's own source and data files, so any change to the parser invalidates it.
    ``cache=False`` turns it off; :func:`clear_cache` empties it.

Manifest
    A CSV (or DataFrame) with a ``file`` column and any of ``agency``, ``region``,
    ``year``, ``url``, ``published``.  A non-empty manifest value completes or corrects
    what the report says about itself; ``reports.<field>_source`` says where each value
    came from: ``'manifest'``, ``'report'`` or missing.  Paths in the ``file`` column are
    relative to the manifest's folder (or absolute); a bare file name also matches when it
    is unique in the corpus.  Without a manifest value, ``region`` is the most specific
    place (county, prefecture, province) that :mod:`govreport.classify` finds in the
    agency name (source ``'report'``).  Other manifest columns are ignored.

Export
    :meth:`Corpus.to_parquet` and :meth:`Corpus.to_csv` write one file per table plus a
    ``schema.json``; :func:`load` restores every dtype, category and missing value, so
    the round trip is exact.  :meth:`Corpus.to_excel` writes one sheet per table (Excel
    cannot tell an empty string from a missing value, so reloading it is best effort).

Scaling out
    ``read_corpus(..., engine="dask", client=Client("tcp://scheduler:8786"), out=DIR)``
    runs the same parsing on a ``dask.distributed`` cluster; each task writes its rows
    to ``DIR/<table>/part-NNNNNN.parquet`` and :func:`load` reads the folder back.  The
    report files and ``DIR`` must be visible to every worker at the same path.
"""

from __future__ import annotations

import concurrent.futures as cf
import glob as _glob
import hashlib
import json
import math
import os
import pickle
import shutil
import tempfile
import uuid
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from ..protocol import ReportCollection, ReportLike
from ..reader import looks_binary
from ..report import read_report
from ..tables import typed_columns

__all__ = [
    "Corpus",
    "ReportView",
    "read_corpus",
    "load",
    "clear_cache",
    "default_cache_dir",
    "discover",
    "NotTextError",
    "EmptyFileError",
    "REPORT_SUFFIXES",
    "TABLE_NAMES",
]

#: File suffixes taken as reports when ``source`` is a folder or a glob.
REPORT_SUFFIXES: tuple[str, ...] = (".txt", ".text", ".md", ".htm", ".html", ".xhtml")

#: Report tables, in the order a Corpus carries them.
TABLE_NAMES: tuple[str, ...] = (
    "sections",
    "active_disclosure",
    "applications",
    "review_litigation",
    "statistics",
    "findings",
)

#: Columns stored as pandas ``category`` (low-cardinality codes), in every table.
CATEGORY_COLUMNS: frozenset[str] = frozenset(
    {
        "row", "applicant", "procedure", "outcome", "category", "metric", "item",
        "layout", "script", "format", "severity", "check", "status", "table", "column",
        "unit", "level", "kind", "sector", "error_type",
        "agency_source", "year_source", "published_source", "region_source",
    }
)

#: Bump when the layout of a cache entry changes.
_CACHE_FORMAT = "corpus-cache-1"
_SCHEMA_FILE = "schema.json"
_CSV_NA = "<NA>"
_MANIFEST_FIELDS = ("agency", "region", "year", "url", "published")

# Columns of the tables when a corpus has no row at all (the Report's own columns win).
_EMPTY_COLUMNS: dict[str, list[str]] = {
    "sections": ["number", "title", "text"],
    "active_disclosure": ["item", "category", "metric", "value", "raw", "label"],
    "applications": ["row", "applicant", "value", "raw", "label"],
    "review_litigation": ["procedure", "outcome", "value", "raw"],
    "statistics": ["indicator", "unit", "value", "raw", "parent", "code", "mapped"],
    "findings": ["table", "location", "check", "severity", "status", "row", "column",
                 "reported", "recomputed", "message"],
}
_EMPTY_DTYPES: dict[str, str] = {
    "number": "Int64", "value": "Float64", "reported": "Float64", "recomputed": "Float64",
    "mapped": "boolean",
}

REPORTS_COLUMNS: tuple[str, ...] = (
    "report_id", "file", "sha256", "size", "status",
    "agency", "agency_source", "year", "year_source", "published", "published_source",
    "region", "region_source", "url",
    "layout", "script", "format", "title",
    "level", "kind", "sector", "province", "prefecture", "county",
    "n_error", "n_warning", "n_info",
)
ERRORS_COLUMNS: tuple[str, ...] = ("report_id", "file", "error_type", "message")
_CLASS_FIELDS = ("level", "kind", "sector", "province", "prefecture", "county")
_REPORTS_DTYPES: dict[str, str] = {
    "size": "Int64", "year": "Int64", "published": "datetime64[ns]",
    "n_error": "Int64", "n_warning": "Int64", "n_info": "Int64",
}


class NotTextError(ValueError):
    """The file is binary, not a text or HTML report."""


class EmptyFileError(ValueError):
    """The file has no bytes."""


# --------------------------------------------------------------------------------------
# dtype helpers
# --------------------------------------------------------------------------------------

def _string_dtype() -> Any:
    """The pandas default dtype for text columns (``str`` on pandas 3, object before)."""
    try:
        return pd.Series(["a"]).dtype if pd.Series(["a"]).dtype != object else object
    except Exception:  # pragma: no cover
        return object


_STR = _string_dtype()
_STR_DTYPE = pd.Index(["a"], dtype=_STR).dtype


def _obj(values: Any) -> pd.Series:
    """An object Series whose missing values are all ``None``."""
    s = pd.Series(values, dtype=object) if not isinstance(values, pd.Series) \
        else values.astype(object)
    return pd.Series([None if _is_na(v) else v for v in s], index=s.index, dtype=object,
                     name=s.name)


def _as_text(values: Any, index: Any = None) -> pd.Series:
    """A text Series: strings and NA only, in the default string dtype."""
    s = _obj(pd.Series(values, index=index, dtype=object))
    s = pd.Series([v if v is None or isinstance(v, str) else str(v) for v in s],
                  index=s.index, dtype=object)
    return s.astype(_STR) if _STR is not object else s


def _to_category(df: pd.DataFrame) -> pd.DataFrame:
    """Turn the code columns of ``df`` into ``category`` with sorted string categories."""
    for col in df.columns:
        if col not in CATEGORY_COLUMNS:
            continue
        s = df[col]
        if isinstance(s.dtype, pd.CategoricalDtype):
            cats = s.cat.categories
            if cats.dtype == _STR_DTYPE and list(cats) == sorted(cats):
                continue
            s = s.astype(object)
        elif s.dtype != object and not pd.api.types.is_string_dtype(s.dtype):
            if not s.isna().all():
                continue  # numeric code column: leave it as it is
            s = s.astype(object)
        vals = [v if v is None or isinstance(v, str) else str(v) for v in _obj(s)]
        cats = sorted({v for v in vals if v is not None})
        df[col] = pd.Categorical(vals, categories=pd.Index(cats, dtype=_STR))
    return df


def _concat(frames: list[pd.DataFrame], columns: Sequence[str] | None = None) -> pd.DataFrame:
    """Concatenate once, keeping ``category`` columns categorical (union of categories)."""
    frames = [f for f in frames if f is not None]
    nonempty = [f for f in frames if len(f)]
    if not nonempty:
        if frames:
            return frames[0].iloc[0:0].reset_index(drop=True)
        return pd.DataFrame({c: pd.Series(dtype=object) for c in (columns or [])})
    frames = nonempty
    cat_cols = [c for c in frames[0].columns
                if isinstance(frames[0][c].dtype, pd.CategoricalDtype)]
    if cat_cols and len(frames) > 1:
        for col in cat_cols:
            cats: set = set()
            for f in frames:
                if col in f.columns and isinstance(f[col].dtype, pd.CategoricalDtype):
                    cats.update(f[col].cat.categories)
            union = pd.Index(sorted(cats), dtype=_STR)
            for i, f in enumerate(frames):
                if col in f.columns and isinstance(f[col].dtype, pd.CategoricalDtype):
                    if not f[col].cat.categories.equals(union):
                        f = f.copy(deep=False) if f is frames[i] else f
                        f[col] = f[col].cat.set_categories(union)
                        frames[i] = f
    out = pd.concat(frames, ignore_index=True, sort=False, copy=False) \
        if _concat_accepts_copy() else pd.concat(frames, ignore_index=True, sort=False)
    return out


@lru_cache(maxsize=1)
def _concat_accepts_copy() -> bool:
    # pandas 3 deprecates the ``copy`` keyword (copy-on-write makes it moot).
    return int(pd.__version__.split(".")[0]) < 3


def _dtype_name(dtype: Any) -> str:
    if isinstance(dtype, pd.CategoricalDtype):
        return "category"
    return str(dtype)


def _cast(s: pd.Series, spec: Mapping[str, Any]) -> pd.Series:
    """Cast a Series read back from disk to the dtype recorded in ``schema.json``."""
    name = spec["dtype"]
    if name == "category":
        cats = spec.get("categories") or []
        vals = _obj(s)
        return pd.Series(pd.Categorical(vals, categories=pd.Index(cats, dtype=_STR)),
                         index=s.index, name=s.name)
    if _dtype_name(s.dtype) == name:
        return s
    if name.startswith("datetime64"):
        return pd.to_datetime(s).astype(name)
    if name in ("Int64", "Int32", "Int16", "Int8", "Float64", "Float32", "UInt64") or \
            name.startswith(("int", "float", "uint")):
        if s.dtype == object or pd.api.types.is_string_dtype(s.dtype):
            s = pd.to_numeric(_obj(s))
        return s.astype(name)
    if name in ("bool", "boolean"):
        if s.dtype == object or pd.api.types.is_string_dtype(s.dtype):
            mapping = {"True": True, "False": False, "true": True, "false": False}
            s = _obj(s).map(lambda v: mapping.get(v, v) if isinstance(v, str) else v)
        return s.astype(name)
    if name == "object":
        return _obj(s)
    return s.astype(name)


def _schema_of(tables: Mapping[str, pd.DataFrame]) -> dict:
    schema: dict[str, Any] = {"format": "govreport-corpus", "version": 1, "tables": {}}
    for name, df in tables.items():
        cols = []
        for col in df.columns:
            spec: dict[str, Any] = {"name": str(col), "dtype": _dtype_name(df[col].dtype)}
            if isinstance(df[col].dtype, pd.CategoricalDtype):
                spec["categories"] = [str(c) for c in df[col].cat.categories]
            cols.append(spec)
        schema["tables"][name] = {"columns": cols, "rows": int(len(df))}
    try:
        from .. import __version__ as v  # type: ignore[attr-defined]
        schema["govreport_version"] = str(v)
    except Exception:
        pass
    return schema


def _apply_schema(df: pd.DataFrame, spec: Mapping[str, Any]) -> pd.DataFrame:
    cols = spec["columns"]
    out = {}
    for c in cols:
        name = c["name"]
        s = df[name] if name in df.columns else pd.Series([None] * len(df), dtype=object)
        out[name] = _cast(s.reset_index(drop=True), c)
    if not cols:
        return pd.DataFrame(index=pd.RangeIndex(len(df)))
    return pd.DataFrame(out)


# --------------------------------------------------------------------------------------
# Cache
# --------------------------------------------------------------------------------------

def default_cache_dir() -> Path:
    """Where parses are cached: ``$GOVREPORT_CACHE``, else ``$XDG_CACHE_HOME/govreport``,
    else ``~/.cache/govreport``."""
    env = os.environ.get("GOVREPORT_CACHE")
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "govreport"


def _resolve_cache(cache: bool | str | os.PathLike | None) -> str | None:
    if cache is False:
        return None
    if cache is None or cache is True:
        return str(default_cache_dir())
    return str(Path(cache).expanduser())


def clear_cache(cache: str | os.PathLike | None = None) -> int:
    """Delete every cached parse under ``cache`` (default: :func:`default_cache_dir`).

    Returns the number of cache entries removed.
    """
    root = Path(cache).expanduser() if cache is not None else default_cache_dir()
    sub = root / _CACHE_FORMAT
    if not sub.exists():
        return 0
    n = sum(1 for _ in sub.rglob("*.pkl"))
    shutil.rmtree(sub, ignore_errors=True)
    return n


@lru_cache(maxsize=1)
def _code_salt() -> str:
    """Version + hash of the package's source and data files: any parser change
    invalidates the cache."""
    h = hashlib.sha256(_CACHE_FORMAT.encode())
    pkg = Path(__file__).resolve().parents[1]
    try:
        from .. import __version__ as v  # type: ignore[attr-defined]
        h.update(str(v).encode())
    except Exception:
        pass
    files = sorted(p for p in pkg.rglob("*")
                   if p.is_file() and p.suffix in (".py", ".csv", ".json", ".txt", ".tsv", ".yaml")
                   and "__pycache__" not in p.parts)
    for p in files:
        h.update(str(p.relative_to(pkg)).encode())
        try:
            h.update(p.read_bytes())
        except OSError:
            pass
    return h.hexdigest()[:16]


def _cache_path(cache_dir: str, sha: str, salt: str) -> Path:
    key = hashlib.sha256(f"{sha}:{salt}".encode()).hexdigest()
    return Path(cache_dir) / _CACHE_FORMAT / key[:2] / f"{key}.pkl"


def _cache_get(path: Path) -> dict | None:
    try:
        with open(path, "rb") as fh:
            entry = pickle.load(fh)
        return entry if isinstance(entry, dict) and entry.get("format") == _CACHE_FORMAT else None
    except FileNotFoundError:
        return None
    except Exception:  # corrupt entry: treat as a miss
        return None


def _cache_put(path: Path, entry: dict) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
        with open(tmp, "wb") as fh:
            pickle.dump(entry, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)  # atomic on POSIX and Windows
    except OSError:
        try:
            tmp.unlink(missing_ok=True)  # type: ignore[possibly-undefined]
        except Exception:
            pass


# --------------------------------------------------------------------------------------
# The work done for one file (in a worker process, or in-process for jobs=1)
# --------------------------------------------------------------------------------------

def _meta_value(v: Any) -> Any:
    if v is None:
        return None
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    return v


@lru_cache(maxsize=1)
def _classifier() -> Callable[..., Any] | None:
    try:
        from ..agency import classify_agency  # type: ignore[import-not-found]
    except Exception:
        return None
    return classify_agency


def _classify(name: str | None, text: str | None) -> dict:
    fn = _classifier()
    if fn is None:
        return {}
    try:
        out = fn(name, text=text)
        return dict(out) if out else {}
    except Exception:
        return {}


@lru_cache(maxsize=1)
def _parse_file(path: str, data: bytes) -> dict:
    """Parse one file's bytes; return a cache entry (no report_id, no manifest applied).

    Tables go from the report's records to plain column lists without a DataFrame per report.
    """
    report = read_report(data, name=path)
    tables = {}
    for name in TABLE_NAMES:
        cols = typed_columns(report.records(name))
        tables[name] = {"columns": [c for c, _, _ in cols], "dtypes": [d for _, d, _ in cols],
                        "data": [v for _, _, v in cols], "n": len(report.records(name)[1])}
    return {"format": _CACHE_FORMAT, "meta": dict(report.meta), "tables": tables, "text": report.text}


def _severity_counts(findings: dict | None) -> dict[str, int]:
    out = {"n_error": 0, "n_warning": 0, "n_info": 0}
    if findings and findings["n"] and "severity" in findings["columns"]:
        vals = findings["data"][findings["columns"].index("severity")]
        for sev in ("error", "warning", "info"):
            out[f"n_{sev}"] = sum(1 for v in vals if v == sev)
    return out


def _region_from(cls: Mapping[str, Any]) -> str | None:
    for key in ("county", "prefecture", "province"):
        v = _meta_value(cls.get(key))
        if v:
            return str(v)
    return None


@dataclass
class _Item:
    index: int
    path: str
    report_id: str
    manifest: dict | None


def _work_one(item: _Item, opts: Mapping[str, Any]) -> tuple[dict, dict | None, dict | None]:
    """Parse one file. Returns (reports record, tables or None, error record or None)."""
    rec: dict[str, Any] = {"report_id": item.report_id, "file": item.path, "sha256": None,
                           "size": None, "status": "failed"}
    try:
        p = Path(item.path)
        if not p.is_absolute() and opts.get("cwd"):  # dask workers may run elsewhere
            p = Path(opts["cwd"]) / p
        if p.is_dir():
            raise IsADirectoryError(f"{item.path}: is a directory, not a report file")
        data = p.read_bytes()
        rec["size"] = len(data)
        sha = hashlib.sha256(data).hexdigest()
        rec["sha256"] = sha
        if not data:
            raise EmptyFileError(f"{item.path}: empty file (0 bytes)")
        if looks_binary(data) and not data.startswith(b"%PDF-"):  # PDFs are the reader's (OCR for scans)
            raise NotTextError(f"{item.path}: not text (binary content)")
        entry = None
        cpath = None
        if opts.get("cache_dir"):
            cpath = _cache_path(opts["cache_dir"], sha, opts["salt"])
            entry = _cache_get(cpath)
        if entry is None:
            entry = _parse_file(item.path, data)
            if cpath is not None:
                _cache_put(cpath, entry)
    except Exception as exc:  # one bad file never stops the run
        if opts.get("errors") == "raise":
            raise
        err = {"report_id": item.report_id, "file": item.path,
               "error_type": type(exc).__name__, "message": _message(exc, item.path)}
        rec.update(_finish_record({}, item, None, None))
        rec["status"] = "failed"
        return rec, None, err

    rec.update(_finish_record(entry["meta"], item, entry.get("text"), entry["tables"]))
    rec["status"] = "ok"
    return rec, entry["tables"], None


def _message(exc: BaseException, path: str) -> str:
    msg = str(exc) or type(exc).__name__
    if isinstance(exc, OSError) and exc.strerror:
        msg = f"{path}: {exc.strerror}"
    elif path not in msg and Path(path).name not in msg:
        msg = f"{path}: {msg}"
    return msg


def _finish_record(meta: Mapping[str, Any], item: _Item, text: str | None,
                   tables: Mapping[str, pd.DataFrame] | None) -> dict:
    """Meta + manifest + classification + findings counts for the ``reports`` row."""
    man = item.manifest or {}
    rec: dict[str, Any] = {}
    for field in ("agency", "year", "published"):
        mv = _meta_value(man.get(field))
        rv = _meta_value(meta.get(field))
        if mv is not None:
            rec[field], rec[f"{field}_source"] = mv, "manifest"
        elif rv is not None:
            rec[field], rec[f"{field}_source"] = rv, "report"
        else:
            rec[field], rec[f"{field}_source"] = None, None
    rec["url"] = _meta_value(man.get("url"))
    if rec["url"] is None:
        src = _meta_value(meta.get("url"))
        rec["url"] = src if isinstance(src, str) and src.startswith("http") else None
    for key in ("layout", "script", "format", "title"):
        rec[key] = _meta_value(meta.get(key))
    cls = _classify(rec["agency"], text) if (rec["agency"] or text) else {}
    for key in _CLASS_FIELDS:
        rec[key] = _meta_value(cls.get(key))
    mreg = _meta_value(man.get("region"))
    if mreg is not None:
        rec["region"], rec["region_source"] = str(mreg), "manifest"
    else:
        reg = _region_from(cls)
        rec["region"], rec["region_source"] = reg, ("report" if reg else None)
    if tables is None:
        rec.update({"n_error": None, "n_warning": None, "n_info": None})
    else:
        rec.update(_severity_counts(tables.get("findings")))
    return rec


class _Accumulator:
    """Rows of one table for a chunk of reports, as growing column lists."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.data: dict[str, list] = {}
        self.dtypes: dict[str, str] = {}
        self.typed: set[str] = set()  # columns whose dtype came from a non-empty table

    def add(self, report_id: str, payload: Mapping[str, Any]) -> None:
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
            for col, vals in self.data.items():
                if len(vals) < total + n:
                    vals.extend([None] * (total + n - len(vals)))
            self.ids.extend([report_id] * n)

    def frame(self) -> pd.DataFrame:
        out: dict[str, Any] = {"report_id": _text_array(self.ids)}
        for col, vals in self.data.items():
            out[col] = _column(col, vals, self.dtypes[col])
        return pd.DataFrame(out)


def _text_array(vals: list) -> Any:
    if _STR is object:
        return np.array(vals, dtype=object)
    return pd.array(vals, dtype=_STR)


def _column(name: str, vals: list, dtype: str) -> Any:
    """Rebuild a column from a list, in its recorded dtype (codes as ``category``)."""
    if name in CATEGORY_COLUMNS and dtype in ("object", "str", "string", "category"):
        clean = [v if isinstance(v, str) else (None if _is_na(v) else str(v)) for v in vals]
        cats = sorted({v for v in clean if v is not None})
        return pd.Categorical(clean, categories=pd.Index(cats, dtype=_STR))
    if dtype == "category":
        return pd.Categorical(vals)
    try:
        if dtype in ("str", "string") or dtype == _dtype_name(_STR_DTYPE):
            return pd.array(vals, dtype=dtype)
        if dtype == "object":
            return np.array(vals, dtype=object)
        return pd.array(vals, dtype=dtype)
    except (TypeError, ValueError):
        try:
            return pd.Series(vals, dtype=dtype).array
        except (TypeError, ValueError):
            return np.array(vals, dtype=object)


def _work_chunk(items: list[_Item], opts: Mapping[str, Any]) -> dict:
    """Parse a chunk of files; build each table once for the chunk (report_id first)."""
    records, errors = [], []
    acc: dict[str, _Accumulator] = {}
    for item in items:
        rec, tables, err = _work_one(item, opts)
        records.append(rec)
        if err is not None:
            errors.append(err)
        if tables:
            for name, payload in tables.items():
                acc.setdefault(name, _Accumulator()).add(item.report_id, payload)
    out_tables = {name: a.frame() for name, a in acc.items()}
    return {"records": records, "errors": errors, "tables": out_tables,
            "first": items[0].index if items else 0}


# --------------------------------------------------------------------------------------
# Finding the files, report ids, manifest
# --------------------------------------------------------------------------------------

def _is_report_name(p: Path, suffixes: Sequence[str]) -> bool:
    return p.suffix.lower() in suffixes and not p.name.startswith(".")


def _walk(root: Path, suffixes: Sequence[str]) -> list[Path]:
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        base = Path(dirpath)
        for d in dirnames:  # a directory named like a report is listed (and becomes an error)
            if _is_report_name(base / d, suffixes):
                found.append(base / d)
        for f in sorted(filenames):
            if _is_report_name(base / f, suffixes):
                found.append(base / f)
    return sorted(found)


def _has_glob(s: str) -> bool:
    return any(ch in s for ch in "*?[")


def discover(source: str | os.PathLike | Iterable[str | os.PathLike],
             suffixes: Sequence[str] = REPORT_SUFFIXES) -> tuple[list[Path], Path | None]:
    """The report files of ``source`` (folder, glob or list) and the corpus root.

    Raises ``FileNotFoundError`` for a folder or file that does not exist and
    ``ValueError`` when a folder or glob holds no report file.
    """
    suffixes = tuple(s.lower() for s in suffixes)
    if isinstance(source, (str, os.PathLike)):
        s = os.fspath(source)
        p = Path(s).expanduser()
        if p.is_dir():
            files = _walk(p, suffixes)
            if not files:
                raise ValueError(
                    f"no report files ({', '.join(suffixes)}) found in folder {s!r}")
            return files, p
        if p.exists() or p.is_symlink():
            return [p], p.parent
        if _has_glob(s):
            matches = sorted(Path(m) for m in _glob.glob(os.path.expanduser(s), recursive=True))
            files = [m for m in matches if m.is_file() or _is_report_name(m, suffixes)]
            if not files:
                raise ValueError(f"no files match the pattern {s!r}")
            root = Path(os.path.commonpath([str(m.parent.resolve()) for m in files]))
            return files, root
        raise FileNotFoundError(f"no such file or folder: {s!r}")
    files = []
    for entry in source:
        p = Path(os.fspath(entry)).expanduser()
        if p.is_dir() and not _is_report_name(p, suffixes):
            files.extend(_walk(p, suffixes))
        else:
            files.append(p)  # missing or unreadable files become error rows
    root = None
    if files:
        try:
            root = Path(os.path.commonpath([str(f.resolve().parent) for f in files]))
        except ValueError:
            root = None
    return files, root


def _report_ids(files: Sequence[Path], root: Path | None) -> list[str]:
    stems: dict[str, int] = {}
    for f in files:
        stems[f.stem] = stems.get(f.stem, 0) + 1
    ids = []
    for f in files:
        if stems[f.stem] == 1:
            ids.append(f.stem)
            continue
        try:
            rel = f.resolve().relative_to(root.resolve()) if root else f
        except ValueError:
            rel = f
        h = hashlib.sha1(rel.as_posix().encode("utf-8")).hexdigest()[:8]
        ids.append(f"{f.stem}-{h}")
    # the same path given twice: number the repeats
    seen: dict[str, int] = {}
    for i, rid in enumerate(ids):
        if rid in seen:
            seen[rid] += 1
            ids[i] = f"{rid}-{seen[rid]}"
        else:
            seen[rid] = 1
    return ids


def _read_manifest(manifest: str | os.PathLike | pd.DataFrame) -> tuple[pd.DataFrame, Path]:
    if isinstance(manifest, pd.DataFrame):
        return manifest.copy(), Path.cwd()
    mpath = Path(manifest).expanduser()
    if not mpath.is_file():
        raise FileNotFoundError(f"manifest not found: {os.fspath(manifest)!r}")
    df = pd.read_csv(mpath, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    return df, mpath.parent


def _manifest_lookup(manifest: str | os.PathLike | pd.DataFrame | None,
                     files: Sequence[Path]) -> list[dict | None]:
    if manifest is None:
        return [None] * len(files)
    df, base = _read_manifest(manifest)
    cols = {c.lower().strip(): c for c in df.columns}
    fcol = cols.get("file") or cols.get("path") or cols.get("filename")
    if fcol is None:
        raise ValueError("the manifest needs a 'file' column (file -> agency, region, year, "
                         "url, published)")
    by_path: dict[str, dict] = {}
    by_name: dict[str, list[dict]] = {}
    for _, row in df.iterrows():
        fname = str(row[fcol]).strip()
        if not fname:
            continue
        vals: dict[str, Any] = {}
        for field in _MANIFEST_FIELDS:
            c = cols.get(field)
            if c is None:
                continue
            v = row[c]
            if v is None or (isinstance(v, float) and math.isnan(v)) or \
                    (isinstance(v, str) and not v.strip()):
                continue
            vals[field] = v.strip() if isinstance(v, str) else v
        if "year" in vals:
            try:
                vals["year"] = int(float(vals["year"]))
            except (TypeError, ValueError):
                vals.pop("year")
        if "published" in vals:
            try:
                vals["published"] = pd.Timestamp(vals["published"]).date()
            except (TypeError, ValueError):
                vals.pop("published")
        fp = Path(fname)
        full = fp if fp.is_absolute() else base / fp
        by_path[os.path.normpath(os.path.abspath(full))] = vals
        by_name.setdefault(fp.name, []).append(vals)
    names: dict[str, int] = {}
    for f in files:
        names[f.name] = names.get(f.name, 0) + 1
    out: list[dict | None] = []
    for f in files:
        vals = by_path.get(os.path.normpath(os.path.abspath(f)))
        if vals is None and names[f.name] == 1 and len(by_name.get(f.name, [])) == 1:
            vals = by_name[f.name][0]
        out.append(vals)
    return out


# --------------------------------------------------------------------------------------
# Building the Corpus from chunk results
# --------------------------------------------------------------------------------------

def _reports_frame(records: list[dict]) -> pd.DataFrame:
    data: dict[str, Any] = {}
    for col in REPORTS_COLUMNS:
        vals = [r.get(col) for r in records]
        dt = _REPORTS_DTYPES.get(col)
        if dt == "datetime64[ns]":
            conv = [pd.Timestamp(v) if v is not None else pd.NaT for v in vals]
            data[col] = pd.Series(conv, dtype="datetime64[ns]")
        elif dt is not None:
            conv = []
            for v in vals:
                try:
                    conv.append(None if v is None else int(v))
                except (TypeError, ValueError):
                    conv.append(None)
            data[col] = pd.array(conv, dtype=dt)
        else:
            data[col] = _as_text(vals)
    return _to_category(pd.DataFrame(data))


def _errors_frame(errors: list[dict]) -> pd.DataFrame:
    data = {c: _as_text([e.get(c) for e in errors]) for c in ERRORS_COLUMNS}
    return _to_category(pd.DataFrame(data))


def _empty_table(name: str) -> pd.DataFrame:
    cols = ["report_id"] + _EMPTY_COLUMNS.get(name, [])
    data = {}
    for c in cols:
        dt = _EMPTY_DTYPES.get(c)
        data[c] = pd.Series([], dtype=dt) if dt else _as_text([])
    return _to_category(pd.DataFrame(data))


def _sort_categories(df: pd.DataFrame) -> pd.DataFrame:
    for col in df.columns:
        if isinstance(df[col].dtype, pd.CategoricalDtype):
            cats = df[col].cat.categories
            srt = pd.Index(sorted(str(c) for c in cats), dtype=_STR)
            if not cats.equals(srt):
                df[col] = df[col].cat.set_categories(srt)
    return df


def _assemble(results: list[dict], table_names: Iterable[str] = TABLE_NAMES) -> dict[str, pd.DataFrame]:
    results = sorted(results, key=lambda r: r["first"])
    records = [rec for r in results for rec in r["records"]]
    errors = [e for r in results for e in r["errors"]]
    names = list(table_names)
    for r in results:
        for n in r["tables"]:
            if n not in names:
                names.append(n)
    tables: dict[str, pd.DataFrame] = {"reports": _reports_frame(records),
                                       "errors": _errors_frame(errors)}
    for name in names:
        frames = [r["tables"][name] for r in results if name in r["tables"]]
        df = _concat(frames) if frames else _empty_table(name)
        if not len(df.columns):
            df = _empty_table(name)
        tables[name] = _sort_categories(df)
    return tables


# --------------------------------------------------------------------------------------
# The Corpus
# --------------------------------------------------------------------------------------

class ReportView(ReportLike):
    """The rows of one report in a :class:`Corpus`, shaped like a :class:`Report`.

    ``meta`` is the report's row of ``corpus.reports`` as a dict; each table (an
    attribute, computed on first access) is the report's rows without ``report_id``.
    """

    def __init__(self, corpus: "Corpus", report_id: str) -> None:
        self.report_id = report_id
        self._corpus = corpus
        self._cache: dict[str, pd.DataFrame] = {}
        pos = corpus._report_positions().get(report_id)
        row = corpus.reports.iloc[pos] if pos is not None else None
        self.meta: dict[str, Any] = {
            k: (None if _is_na(v) else v) for k, v in row.to_dict().items()
        } if row is not None else {}

    def table(self, name: str) -> pd.DataFrame:
        if name not in self._corpus.table_names:
            raise KeyError(f"no table {name!r}; the tables are {', '.join(self._corpus.table_names)}")
        if name not in self._cache:
            self._cache[name] = self._corpus._rows_of(name, self.report_id)
        return self._cache[name]

    @property
    def text(self) -> str:
        """The report's text as the corpus keeps it: its sections, joined."""
        sec = self.sections
        return "\n".join(str(t) for t in sec["text"].dropna()) if "text" in sec.columns else ""

    def __repr__(self) -> str:
        m = self.meta
        return (f"<ReportView {self.report_id!r}: {m.get('agency')} {m.get('year')} "
                f"layout={m.get('layout')} status={m.get('status')}>")


def _row_ranges(df: pd.DataFrame) -> dict[str, Any]:
    """report_id -> (start, stop) of its rows, or an index array when not contiguous."""
    if not len(df) or "report_id" not in df.columns:
        return {}
    ids = np.asarray(df["report_id"].astype(object))
    starts = np.concatenate([[0], np.flatnonzero(ids[1:] != ids[:-1]) + 1])
    stops = np.concatenate([starts[1:], [len(ids)]])
    out: dict[str, Any] = {}
    for a, b in zip(starts.tolist(), stops.tolist()):
        rid = ids[a]
        if rid in out:  # not contiguous (a user re-sorted the table): fall back
            return {k: v for k, v in df.groupby(df["report_id"].astype(object),
                                                  sort=False).indices.items()}
        out[rid] = (a, b)
    return out


def _is_na(v: Any) -> bool:
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


class Corpus(ReportCollection):
    """Many reports as concatenated tables.

    Attributes
    ----------
    reports : DataFrame
        One row per file: ``report_id, file, sha256, size, status`` (``'ok'`` or
        ``'failed'``), ``agency, year, published, region`` each with a ``*_source``
        column (``'report'``, ``'manifest'`` or NA), ``url, layout, script, format,
        title``, the agency classification ``level, kind, sector, province, prefecture,
        county`` and the number of findings by severity ``n_error, n_warning, n_info``.
    errors : DataFrame
        One row per file that could not be parsed: ``report_id, file, error_type,
        message``.
    sections, active_disclosure, applications, review_litigation, statistics, findings :
        The tables of :class:`govreport.Report`, concatenated, ``report_id`` first.
    """

    def __init__(self, tables: Mapping[str, pd.DataFrame]) -> None:
        tables = dict(tables)
        self.reports: pd.DataFrame = tables.pop("reports", None)
        if self.reports is None:
            self.reports = _reports_frame([])
        self.errors: pd.DataFrame = tables.pop("errors", None)
        if self.errors is None:
            self.errors = _errors_frame([])
        for name in TABLE_NAMES:
            tables.setdefault(name, _empty_table(name))
        self.table_names: list[str] = list(tables)
        self._tables = tables
        for name, df in tables.items():
            setattr(self, name, df)
        self._index: dict[str, dict[str, np.ndarray]] = {}

    # -- container protocol -----------------------------------------------------------
    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table by name: ``reports``, ``errors`` and the report tables."""
        out = {"reports": self.reports, "errors": self.errors}
        out.update({name: getattr(self, name) for name in self.table_names})
        return out

    def __len__(self) -> int:
        """Number of reports parsed (failed files not counted)."""
        return int((self.reports["status"].astype(object) == "ok").sum())

    def __iter__(self):
        for rid in self.report_ids:
            yield self[rid]

    def __contains__(self, report_id: object) -> bool:
        return report_id in self._report_positions()

    @property
    def report_ids(self) -> list[str]:
        """The ids of the reports parsed, in file order."""
        ok = self.reports["status"].astype(object) == "ok"
        return [str(x) for x in self.reports.loc[ok, "report_id"]]

    def __getitem__(self, report_id: str) -> ReportView:
        """The rows of one report (by ``report_id``, or by file path) as a
        :class:`ReportView`."""
        if report_id not in self._report_positions():
            ids = self.reports["report_id"].astype(object)
            files = self.reports["file"].astype(object)
            match = ids[files == str(report_id)]
            if len(match):
                report_id = match.iloc[0]
            else:
                raise KeyError(report_id)
        return ReportView(self, str(report_id))

    def _report_positions(self) -> dict[str, int]:
        if "__reports__" not in self._index:
            ids = self.reports["report_id"].astype(object).tolist()
            self._index["__reports__"] = {rid: i for i, rid in enumerate(ids)}  # type: ignore
        return self._index["__reports__"]  # type: ignore[return-value]

    def _rows_of(self, name: str, report_id: str) -> pd.DataFrame:
        df = getattr(self, name)
        if name not in self._index:
            self._index[name] = _row_ranges(df)
        where = self._index[name].get(report_id)
        cols = [i for i, c in enumerate(df.columns) if c != "report_id"]
        contiguous = cols == list(range(1, df.shape[1]))
        if where is None:
            out = df.iloc[0:0, cols]
        elif isinstance(where, tuple) and contiguous:  # rows of a report are contiguous
            out = df.iloc[where[0]:where[1], 1:]
        elif isinstance(where, tuple):
            out = df.iloc[where[0]:where[1], cols]
        else:
            out = df.iloc[where, cols]
        return out.reset_index(drop=True)

    # -- overviews ---------------------------------------------------------------------
    def summary(self) -> dict[str, Any]:
        """Counts: files, reports parsed, failed, years, layouts, findings by severity."""
        rep = self.reports
        ok = rep["status"].astype(object) == "ok"
        years = rep.loc[ok, "year"].dropna()
        sev = self.findings["severity"].astype(object).value_counts() \
            if "severity" in self.findings.columns else pd.Series(dtype=int)
        return {
            "files": int(len(rep)),
            "reports": int(ok.sum()),
            "failed": int(len(self.errors)),
            "years": (int(years.min()), int(years.max())) if len(years) else None,
            "layouts": {str(k): int(v) for k, v in
                        rep.loc[ok, "layout"].astype(object).fillna("unknown")
                        .value_counts().sort_index().items()},
            "findings": {s: int(sev.get(s, 0)) for s in ("error", "warning", "info")},
            "rows": {name: int(len(getattr(self, name))) for name in self.table_names},
        }

    def __repr__(self) -> str:
        s = self.summary()
        yrs = f"{s['years'][0]}–{s['years'][1]}" if s["years"] else "no years"
        return (f"<Corpus: {s['reports']} reports ({yrs}), {s['failed']} failed; "
                f"layouts {s['layouts']}; findings {s['findings']}>")

    def _repr_html_(self) -> str:
        import html as _html

        s = self.summary()
        yrs = f"{s['years'][0]}–{s['years'][1]}" if s["years"] else "—"
        rows = [("reports parsed", s["reports"]), ("files failed", s["failed"]),
                ("years", yrs),
                ("layouts", ", ".join(f"{k}: {v}" for k, v in s["layouts"].items()) or "—"),
                ("findings", ", ".join(f"{k}: {v}" for k, v in s["findings"].items()))]
        rows += [(f"rows in {k}", v) for k, v in s["rows"].items()]
        body = "".join(f"<tr><th style='text-align:left'>{_html.escape(str(k))}</th>"
                       f"<td style='text-align:left'>{_html.escape(str(v))}</td></tr>"
                       for k, v in rows)
        return f"<div><strong>govreport Corpus</strong><table>{body}</table></div>"

    # -- other modules -----------------------------------------------------------------
    def validate(self) -> pd.DataFrame:
        """The findings of every report with its ``file``, plus one ``parse`` error row
        per file that could not be read."""
        files = self.reports[["report_id", "file"]].copy()
        files["report_id"] = files["report_id"].astype(object)
        f = self.findings.copy()
        f["report_id"] = f["report_id"].astype(object)
        out = f.merge(files, on="report_id", how="left")
        cols = ["report_id", "file"] + [c for c in f.columns if c != "report_id"]
        out = out[cols]
        if len(self.errors):
            err = pd.DataFrame({
                "report_id": self.errors["report_id"].astype(object),
                "file": self.errors["file"].astype(object),
                "check": "parse", "severity": "error", "status": "fail",
                "message": (self.errors["error_type"].astype(object) + ": "
                            + self.errors["message"].astype(object)),
            })
            out = pd.concat([out.astype({c: object for c in out.columns
                                         if isinstance(out[c].dtype, pd.CategoricalDtype)}),
                             err], ignore_index=True, sort=False)
        return out.reset_index(drop=True)

    def indicators(self, **kwargs: Any) -> pd.DataFrame:
        """Derived indicators per report (see :mod:`govreport.indicators`)."""
        from ..checks.indicators import indicators

        return indicators(self, **kwargs)

    # -- export ------------------------------------------------------------------------
    def to_parquet(self, path: str | os.PathLike) -> Path:
        """Write ``<path>/<table>.parquet`` for every table and ``<path>/schema.json``.

        :func:`load` reads it back exactly (dtypes, categories, NA).
        """
        out = Path(path)
        out.mkdir(parents=True, exist_ok=True)
        tables = self.tables()
        for name, df in tables.items():
            df.to_parquet(out / f"{name}.parquet", index=False)
        _write_json(out / _SCHEMA_FILE, _schema_of(tables) | {"storage": "parquet"})
        return out

    def to_csv(self, path: str | os.PathLike) -> Path:
        """Write ``<path>/<table>.csv`` (UTF-8 with BOM, NA written as ``<NA>``) and
        ``<path>/schema.json`` so that :func:`load` restores the dtypes exactly."""
        out = Path(path)
        out.mkdir(parents=True, exist_ok=True)
        tables = self.tables()
        for name, df in tables.items():
            _csv_ready(df).to_csv(out / f"{name}.csv", index=False, na_rep=_CSV_NA,
                                  encoding="utf-8-sig", lineterminator="\n")
        _write_json(out / _SCHEMA_FILE, _schema_of(tables) | {"storage": "csv"})
        return out

    def to_excel(self, path: str | os.PathLike) -> Path:
        """Write one sheet per table to an ``.xlsx`` workbook (plus a ``_schema`` sheet).

        Excel limits cells to 32,767 characters and sheets to 1,048,576 rows; longer
        section texts are cut (with a warning).  Use Parquet for exact storage.
        """
        out = Path(path)
        if out.suffix.lower() not in (".xlsx", ".xlsm"):
            out = out.with_suffix(".xlsx")
        out.parent.mkdir(parents=True, exist_ok=True)
        tables = self.tables()
        with pd.ExcelWriter(out, engine="openpyxl") as xw:
            for name, df in tables.items():
                if len(df) > 1_048_575:
                    warnings.warn(f"table {name!r} has {len(df)} rows; Excel keeps the "
                                  f"first 1,048,575", stacklevel=2)
                    df = df.iloc[:1_048_575]
                xdf = _excel_ready(df, name)
                xdf.to_excel(xw, sheet_name=name[:31], index=False)
            schema = json.dumps(_schema_of(tables), ensure_ascii=False)
            pd.DataFrame({"schema": [schema[i:i + 30000]
                                     for i in range(0, len(schema), 30000)]}).to_excel(
                xw, sheet_name="_schema", index=False)
        return out


def _write_json(path: Path, obj: Any) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(obj, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)


def _csv_ready(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if pd.api.types.is_float_dtype(s.dtype):
            # repr() round-trips every float exactly
            out[col] = s.astype(object).map(lambda v: _CSV_NA if _is_na(v) else repr(float(v)))
    return out


def _excel_ready(df: pd.DataFrame, name: str) -> pd.DataFrame:
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if s.dtype == object or pd.api.types.is_string_dtype(s.dtype) or \
                isinstance(s.dtype, pd.CategoricalDtype):
            vals = s.astype(object)
            too_long = vals.map(lambda v: isinstance(v, str) and len(v) > 32767)
            if too_long.any():
                warnings.warn(f"{name}.{col}: {int(too_long.sum())} cells longer than "
                              f"Excel's 32,767 characters were cut", stacklevel=3)
                vals = vals.map(lambda v: v[:32767] if isinstance(v, str) else v)
            out[col] = vals
    return out


# --------------------------------------------------------------------------------------
# load()
# --------------------------------------------------------------------------------------

def load(path: str | os.PathLike) -> Corpus:
    """Reload a corpus written by :meth:`Corpus.to_parquet`, :meth:`Corpus.to_csv`,
    :meth:`Corpus.to_excel` or ``read_corpus(..., engine="dask")``.

    ``path`` is the export folder (Parquet or CSV, with its ``schema.json``) or the
    ``.xlsx`` workbook.  Dtypes, categories and missing values are restored.
    """
    p = Path(path).expanduser()
    if not p.exists():
        raise FileNotFoundError(f"no such corpus export: {os.fspath(path)!r}")
    if p.is_file() and p.suffix.lower() in (".xlsx", ".xlsm"):
        return _load_excel(p)
    if not p.is_dir():
        raise ValueError(f"{os.fspath(path)!r} is not a corpus export folder or .xlsx file")
    schema_path = p / _SCHEMA_FILE
    if not schema_path.is_file():
        raise FileNotFoundError(f"{os.fspath(path)!r} has no {_SCHEMA_FILE}; "
                                f"is it a govreport corpus export?")
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    tables: dict[str, pd.DataFrame] = {}
    for name, spec in schema["tables"].items():
        raw = _read_table(p, name, spec)
        tables[name] = _apply_schema(raw, spec)
    return Corpus(tables)


def _read_table(p: Path, name: str, spec: Mapping[str, Any]) -> pd.DataFrame:
    cols = [c["name"] for c in spec["columns"]]
    if (p / f"{name}.parquet").is_file():
        return pd.read_parquet(p / f"{name}.parquet")
    if (p / name).is_dir():
        parts = sorted((p / name).glob("*.parquet"))
        frames = [pd.read_parquet(f) for f in parts]
        frames = [_decategorize(f) for f in frames if len(f)]
        if not frames:
            return pd.DataFrame({c: pd.Series([], dtype=object) for c in cols})
        return pd.concat(frames, ignore_index=True, sort=False)
    if (p / f"{name}.csv").is_file():
        return pd.read_csv(p / f"{name}.csv", dtype=str, keep_default_na=False,
                           na_values=[_CSV_NA], encoding="utf-8-sig")
    raise FileNotFoundError(f"table {name!r} is missing from {os.fspath(p)!r}")


def _decategorize(df: pd.DataFrame) -> pd.DataFrame:
    for c in df.columns:
        if isinstance(df[c].dtype, pd.CategoricalDtype):
            df[c] = df[c].astype(object)
    return df


def _load_excel(p: Path) -> Corpus:
    sheets = pd.read_excel(p, sheet_name=None, dtype=object)
    schema_sheet = sheets.pop("_schema", None)
    if schema_sheet is None:
        raise ValueError(f"{p} has no _schema sheet; was it written by Corpus.to_excel?")
    schema = json.loads("".join(str(x) for x in schema_sheet["schema"]))
    tables = {}
    for name, spec in schema["tables"].items():
        df = sheets.get(name[:31], pd.DataFrame())
        df = pd.DataFrame({c: _obj(df[c]) for c in df.columns})
        tables[name] = _apply_schema(df, spec)
    return Corpus(tables)


# --------------------------------------------------------------------------------------
# read_corpus()
# --------------------------------------------------------------------------------------

def _chunks(items: list[_Item], jobs: int, size: int | None) -> list[list[_Item]]:
    if size is None:
        size = max(1, min(50, math.ceil(len(items) / max(1, jobs * 4))))
    return [items[i:i + size] for i in range(0, len(items), size)]


def _progress_bar(total: int, progress: bool, desc: str):
    from tqdm.auto import tqdm

    return tqdm(total=total, disable=not progress, desc=desc, unit="file", dynamic_ncols=True)


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
    suffixes: Sequence[str] = REPORT_SUFFIXES,
) -> Corpus:
    """Parse many reports into one :class:`Corpus`.

    Parameters
    ----------
    source
        A folder (searched recursively for ``.txt``, ``.md``, ``.htm(l)`` files; hidden
        files and folders are skipped), a glob pattern (``"reports/**/*.html"``), a single
        file, or a list of paths.
    jobs
        Worker processes; ``None`` = all cores, ``1`` = in this process (no pool).
    progress
        Show a ``tqdm`` progress bar.
    errors
        ``"collect"`` (default): a file that cannot be parsed becomes a row of
        ``corpus.errors`` (and a ``reports`` row with ``status='failed'``);
        ``"raise"``: re-raise the first such exception; ``"ignore"``: drop it.
    manifest
        CSV path or DataFrame: ``file`` plus any of ``agency, region, year, url,
        published``; its values override what the reports say
        (``reports.<field>_source`` tells which).
    cache
        ``True``/``None`` = the default cache folder (see :func:`default_cache_dir`),
        a path = that folder, ``False`` = no cache.
    engine
        ``"processes"`` (default, :class:`concurrent.futures.ProcessPoolExecutor`) or
        ``"dask"`` (a ``dask.distributed`` cluster, see ``client`` and ``out``).
    client
        ``engine="dask"`` only: a ``dask.distributed.Client``; default a
        ``LocalCluster`` with ``jobs`` single-threaded worker processes.
    out
        ``engine="dask"`` only: folder for the partitioned Parquet output
        (``out/<table>/part-*.parquet`` + ``schema.json``); it must be reachable by
        every worker (a shared file system on a real cluster).  Default: a new
        temporary folder.
    chunksize
        Files per task (default: up to 50, smaller for small corpora).
    suffixes
        File suffixes taken as reports when walking a folder.

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
        A folder or glob contains no report file, or an argument is invalid.
    """
    if errors not in ("collect", "raise", "ignore"):
        raise ValueError("errors must be 'collect', 'raise' or 'ignore'")
    if engine not in ("processes", "dask"):
        raise ValueError("engine must be 'processes' or 'dask'")
    if jobs is not None and jobs < 1:
        raise ValueError("jobs must be >= 1 or None")
    files, root = discover(source, suffixes)
    if not files:
        warnings.warn("read_corpus: no files given", stacklevel=2)
    ids = _report_ids(files, root)
    man = _manifest_lookup(manifest, files)
    items = [_Item(i, str(f), rid, m) for i, (f, rid, m) in enumerate(zip(files, ids, man))]
    cache_dir = _resolve_cache(cache)
    opts = {"cache_dir": cache_dir, "salt": _code_salt(), "errors": errors}
    njobs = jobs or os.cpu_count() or 1

    if engine == "dask":
        corpus = _read_dask(items, opts, njobs, client, out, chunksize, progress)
    else:
        results: list[dict] = []
        chunks = _chunks(items, njobs, chunksize)
        with _progress_bar(len(items), progress, "govreport") as bar:
            if njobs == 1 or len(chunks) <= 1:
                for ch in chunks:
                    results.append(_work_chunk(ch, opts))
                    bar.update(len(ch))
            else:
                with cf.ProcessPoolExecutor(max_workers=min(njobs, len(chunks))) as pool:
                    futs = {pool.submit(_work_chunk, ch, opts): len(ch) for ch in chunks}
                    try:
                        for fut in cf.as_completed(futs):
                            results.append(fut.result())
                            bar.update(futs[fut])
                    except BaseException:
                        for f in futs:
                            f.cancel()
                        raise
        corpus = Corpus(_assemble(results))
    if errors == "ignore":
        corpus = _drop_failed(corpus)
    return corpus


def _drop_failed(corpus: Corpus) -> Corpus:
    tables = corpus.tables()
    rep = tables["reports"]
    tables["reports"] = rep.loc[rep["status"].astype(object) != "failed"].reset_index(drop=True)
    tables["errors"] = tables["errors"].iloc[0:0]
    return Corpus(tables)


# --------------------------------------------------------------------------------------
# dask engine
# --------------------------------------------------------------------------------------

def _dask_chunk(items: list[_Item], opts: Mapping[str, Any], out: str, part: int) -> dict:
    """Parse a chunk on a dask worker and write its tables as Parquet parts; return only
    the small things (reports records, errors, dtypes and categories)."""
    res = _work_chunk(items, opts)
    meta: dict[str, Any] = {}
    for name, df in res["tables"].items():
        if len(df):
            d = Path(out) / name
            d.mkdir(parents=True, exist_ok=True)
            tmp = d / f".part-{part:06d}.parquet.tmp"
            df.to_parquet(tmp, index=False)
            os.replace(tmp, d / f"part-{part:06d}.parquet")
        meta[name] = {
            "columns": [
                {"name": c, "dtype": _dtype_name(df[c].dtype),
                 **({"categories": [str(x) for x in df[c].cat.categories]}
                    if isinstance(df[c].dtype, pd.CategoricalDtype) else {})}
                for c in df.columns],
            "rows": int(len(df)),
        }
    return {"records": res["records"], "errors": res["errors"], "tables": meta,
            "first": res["first"]}


def _read_dask(items: list[_Item], opts: Mapping[str, Any], njobs: int, client: Any,
               out: str | os.PathLike | None, chunksize: int | None, progress: bool) -> Corpus:
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError as exc:  # pragma: no cover
        raise ImportError("engine='dask' needs dask.distributed: "
                          "pip install 'dask[distributed]'") from exc
    out_dir = Path(out) if out is not None else Path(tempfile.mkdtemp(prefix="govreport-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in list(TABLE_NAMES) + ["reports", "errors"]:
        if (out_dir / name).is_dir():
            shutil.rmtree(out_dir / name)
    own_cluster = None
    if client is None:
        own_cluster = LocalCluster(n_workers=njobs, processes=True, threads_per_worker=1,
                                   dashboard_address=None)
        client = Client(own_cluster)
    try:
        nworkers = max(1, len(client.scheduler_info().get("workers", {})) or njobs)
        chunks = _chunks(items, nworkers, chunksize)
        wopts = dict(opts, cwd=os.getcwd())
        futs = [client.submit(_dask_chunk, ch, wopts, str(out_dir.resolve()), i, pure=False)
                for i, ch in enumerate(chunks)]
        sizes = {f.key: len(ch) for f, ch in zip(futs, chunks)}
        results = []
        with _progress_bar(len(items), progress, "govreport[dask]") as bar:
            for fut in as_completed(futs):
                results.append(fut.result())
                bar.update(sizes[fut.key])
    finally:
        if own_cluster is not None:
            client.close()
            own_cluster.close()

    results.sort(key=lambda r: r["first"])
    records = [rec for r in results for rec in r["records"]]
    errs = [e for r in results for e in r["errors"]]
    small = {"reports": _reports_frame(records), "errors": _errors_frame(errs)}
    schema = _schema_of(small)
    for name, df in small.items():
        d = out_dir / name
        d.mkdir(parents=True, exist_ok=True)
        df.to_parquet(d / "part-000000.parquet", index=False)
    names = list(TABLE_NAMES)
    for r in results:
        names += [n for n in r["tables"] if n not in names]
    for name in names:
        (out_dir / name).mkdir(parents=True, exist_ok=True)
        specs = [r["tables"][name] for r in results if name in r["tables"]]
        if not specs:
            schema["tables"][name] = _schema_of({name: _empty_table(name)})["tables"][name]
            continue
        first = next((s for s in specs if s["rows"]), specs[0])
        cols = [dict(c) for c in first["columns"]]
        for c in cols:
            if c["dtype"] == "category":
                cats = set()
                for s in specs:
                    for sc in s["columns"]:
                        if sc["name"] == c["name"]:
                            cats.update(sc.get("categories", []))
                c["categories"] = sorted(cats)
        schema["tables"][name] = {"columns": cols, "rows": sum(s["rows"] for s in specs)}
    schema["storage"] = "parquet-partitioned"
    _write_json(out_dir / _SCHEMA_FILE, schema)
    corpus = load(out_dir)
    corpus.path = out_dir  # type: ignore[attr-defined]
    return corpus

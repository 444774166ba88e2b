"""The parse cache: data, never code.

Each parse is stored as one JSON file (the report's meta, its tables as column lists,
its text) under ``<cache>/corpus-cache-2/<key[:2]>/<key>.json``, where ``key`` is the
SHA-256 of the file's bytes, its suffix and a salt made of the govreport version and a
hash of the package's source and data files (so any change to the parser is a miss).

Loading a cache entry never runs code: JSON only, from a regular file of bounded size
(a planted FIFO or device is never read), and the entry must have exactly the
expected shape (its own key, every table with columns, dtypes and equally long value
lists of the declared types) or it is a miss and the file is parsed again.  Entries are
written to a unique temporary name and renamed into place, so a killed run or two runs
sharing one cache never leave a half-written entry.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import stat
import uuid
from functools import lru_cache
from pathlib import Path
from typing import Any

from .frames import TABLE_NAMES

FORMAT = "corpus-cache-2"
#: Entries above this many bytes are misses (a parse is far smaller).
MAX_ENTRY = 256 * 2**20
_SUFFIX = ".json"
# value types a column of each dtype may hold (bool is an int: excluded explicitly below)
_TYPES: dict[str, tuple[type, ...]] = {"string": (str,), "Float64": (float, int), "Int64": (int,),
                                       "boolean": (bool,)}
_SCALARS = (str, int, float, bool, type(None))


def default_cache_dir() -> Path:
    """Where parses are cached: ``$GOVREPORT_CACHE``, else ``$XDG_CACHE_HOME/govreport``,
    else ``~/.cache/govreport``."""
    env = os.environ.get("GOVREPORT_CACHE")
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "govreport"


def resolve_cache(cache: bool | str | os.PathLike | None) -> str | None:
    """``read_corpus``'s ``cache`` argument → a folder, or None for no cache."""
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
    n = 0
    for sub in (root / f for f in ("corpus-cache-1", FORMAT)):  # the pickles of older versions too
        if sub.is_dir():
            n += sum(1 for p in sub.rglob("*") if p.is_file() and not p.name.startswith("."))
            shutil.rmtree(sub, ignore_errors=True)
    return n


@lru_cache(maxsize=1)
def code_salt() -> str:
    """Version + hash of the package's source and data files: any parser change invalidates the cache."""
    h = hashlib.sha256(FORMAT.encode())
    pkg = Path(__file__).resolve().parents[1]
    try:
        from .. import __version__ as v

        h.update(str(v).encode())
    except ImportError:  # pragma: no cover
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


def entry_key(sha: str, suffix: str, salt: str) -> str:
    """The cache key of a file's content (its reading may depend on the suffix too)."""
    return hashlib.sha256(f"{sha}:{suffix.lower()}:{salt}".encode("utf-8", "surrogatepass")).hexdigest()


def entry_path(cache_dir: str, key: str) -> Path:
    """Where the entry of ``key`` lives."""
    return Path(cache_dir) / FORMAT / key[:2] / f"{key}{_SUFFIX}"


def _encode(v: Any) -> Any:
    if isinstance(v, dt.datetime):
        return {"$datetime": v.isoformat()}
    if isinstance(v, dt.date):
        return {"$date": v.isoformat()}
    if hasattr(v, "item") and callable(v.item):  # numpy scalars
        return v.item()
    return str(v)


def _decode_meta(v: Any, depth: int = 0) -> Any:
    if isinstance(v, _SCALARS):
        return v
    if depth > 3:
        raise ValueError("meta nested too deep")
    if isinstance(v, dict):
        if len(v) == 1:
            (tag, iso), = v.items()
            if tag == "$date" and isinstance(iso, str):
                return dt.date.fromisoformat(iso)
            if tag == "$datetime" and isinstance(iso, str):
                return dt.datetime.fromisoformat(iso)
        return {str(k): _decode_meta(x, depth + 1) for k, x in v.items()}
    if isinstance(v, list):
        return [_decode_meta(x, depth + 1) for x in v]
    raise ValueError("unexpected meta value")


def get(path: Path, key: str) -> dict | None:
    """The entry at ``path``, or None for a miss (absent, unreadable, tampered or of the wrong shape)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
        with os.fdopen(fd, "rb") as fh:
            st = os.fstat(fh.fileno())
            if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_ENTRY:  # a planted FIFO, device or giant
                return None
            raw = fh.read(MAX_ENTRY + 1)
        entry = json.loads(raw.decode("utf-8", "surrogatepass"))
        return _checked(entry, key)
    except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return None


def _checked(entry: Any, key: str) -> dict | None:
    """``entry`` when it has exactly the shape :func:`put` writes, else None."""
    if not isinstance(entry, dict) or entry.get("format") != FORMAT or entry.get("key") != key:
        return None
    meta, tables, text = entry.get("meta"), entry.get("tables"), entry.get("text")
    if not isinstance(meta, dict) or not isinstance(tables, dict) or not isinstance(text, str):
        return None
    if set(tables) != set(TABLE_NAMES):
        return None
    entry["meta"] = {str(k): _decode_meta(v) for k, v in meta.items()}
    for payload in tables.values():
        if not _valid_table(payload):
            return None
    return entry


def _valid_table(p: Any) -> bool:
    if not isinstance(p, dict):
        return False
    cols, dtypes, data, n = p.get("columns"), p.get("dtypes"), p.get("data"), p.get("n")
    if not (isinstance(cols, list) and isinstance(dtypes, list) and isinstance(data, list)
            and type(n) is int and n >= 0 and len(cols) == len(dtypes) == len(data)):
        return False
    for name, dtype, vals in zip(cols, dtypes, data):
        if not isinstance(name, str) or dtype not in _TYPES or not isinstance(vals, list) or len(vals) != n:
            return False
        ok = _TYPES[dtype]
        for v in vals:
            if v is not None and (not isinstance(v, ok) or (isinstance(v, bool) and dtype != "boolean")):
                return False
    return True


def put(path: Path, key: str, entry: dict) -> None:
    """Write ``entry`` atomically (unique temporary file, then rename); a failure only loses the entry."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        body = json.dumps(dict(entry, key=key), ensure_ascii=False, default=_encode, separators=(",", ":"))
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as fh:
            fh.write(body.encode("utf-8", "surrogatepass"))
        os.replace(tmp, path)  # atomic on POSIX and Windows
    except (OSError, TypeError, ValueError):
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass

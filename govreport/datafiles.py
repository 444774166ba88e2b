"""Data files, read by one set of rules: the package's CSV files by their name under
``govreport/data`` (``"reader/notes.csv"``, ``"layouts/2021/rows.csv"``) and a user's CSV file
by its path (a theme table, a manifest, a layout folder of one's own).

The rules:

* the text is UTF-8, with or without a byte-order mark;
* every cell is a string with the spaces around it stripped; an empty cell stays ``""``: no NA
  guessing, so ``NA``, ``null`` or ``-`` are text like any other;
* a row shorter than the header is padded with ``""``; a line of blank cells is no row; text past
  the header's last column or under a column the header leaves unnamed (a spreadsheet's trailing
  commas are fine when empty), and a header name given twice, are errors naming the file and line;
* a package file is read once per process (callers get a fresh copy); a user's file on every call.

A ``str`` is the name of a package file, relative to ``govreport/data``; a :class:`pathlib.Path`
(any ``os.PathLike``), or an absolute ``str``, is a user's file. A package name that does not
exist raises :class:`FileNotFoundError` listing what its folder holds.
"""
from __future__ import annotations

import csv
import functools
import io
import os
from pathlib import Path

import pandas as pd

__all__ = ["DATA_DIR", "Source", "available", "exists", "frame", "frame_of_text", "path", "rows"]

#: The package's data folder.
DATA_DIR = Path(__file__).resolve().parent / "data"

#: A package file's name (``str``) or a user's file (``Path`` or an absolute ``str``).
Source = str | os.PathLike

_Table = tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]


def rows(source: Source) -> list[dict[str, str]]:
    """The rows of a CSV file as dicts of strings, keyed by the header's names."""
    header, body = _table(source)
    return [dict(zip(header, r)) for r in body]


def frame(source: Source) -> pd.DataFrame:
    """A CSV file as a DataFrame of strings (what ``pd.read_csv(dtype=str,
    keep_default_na=False)`` gives, with the cells stripped)."""
    if _is_user(source):
        return _frame(_read_user(Path(source)))
    return _package_frame(_name(source)).copy()


def frame_of_text(text: str, name: str = "<text>") -> pd.DataFrame:
    """CSV text as a DataFrame of strings, by the same rules; ``name`` is the file errors name."""
    return _frame(_parse(text.removeprefix("\ufeff"), name))


def exists(source: Source) -> bool:
    """True when the package file or the user's file is there."""
    return Path(source).is_file() if _is_user(source) else (DATA_DIR / _name(source)).is_file()


def path(name: str) -> Path:
    """The file system path of a package data file, for a library that opens it itself."""
    p = DATA_DIR / _name(name)
    if not p.is_file():
        raise FileNotFoundError(_not_found(name))
    return p


def available(folder: str = "") -> tuple[str, ...]:
    """What a package data folder holds, sorted: file names, and folder names ending in ``/``."""
    base = DATA_DIR / _name(folder) if folder else DATA_DIR
    if not base.is_dir():
        raise FileNotFoundError(f"no data folder {folder!r} in govreport/data")
    return tuple(sorted(p.name + "/" if p.is_dir() else p.name for p in base.iterdir()
                        if not p.name.startswith((".", "__"))))


# ---------------------------------------------------------------- reading
def _is_user(source: Source) -> bool:
    return not isinstance(source, str) or os.path.isabs(source)


def _name(name: str) -> str:
    """A package file name checked to stay inside the data folder, with ``/`` separators."""
    parts = name.replace("\\", "/").strip("/").split("/")
    if any(p in ("", ".", "..") for p in parts):
        raise ValueError(f"{name!r} is not a name of a file inside govreport/data")
    return "/".join(parts)


def _table(source: Source) -> _Table:
    return _read_user(Path(source)) if _is_user(source) else _package(_name(source))


@functools.cache
def _package(name: str) -> _Table:
    p = DATA_DIR / name
    if not p.is_file():
        raise FileNotFoundError(_not_found(name))
    return _decode_parse(p.read_bytes(), f"govreport/data/{name}")


@functools.cache
def _package_frame(name: str) -> pd.DataFrame:
    return _frame(_package(name))


def _read_user(p: Path) -> _Table:
    if not p.is_file():
        raise FileNotFoundError(f"no such file: {os.fspath(p)!r}")
    return _decode_parse(p.read_bytes(), os.fspath(p))


def _not_found(name: str) -> str:
    folder = name.rpartition("/")[0]
    while folder and not (DATA_DIR / folder).is_dir():
        folder = folder.rpartition("/")[0]
    where = f"govreport/data/{folder}" if folder else "govreport/data"
    return f"no data file {name!r}; {where} holds: {', '.join(available(folder))}"


def _decode_parse(data: bytes, label: str) -> _Table:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ValueError(f"{label}: not UTF-8 text (byte {e.start}: {e.reason})") from None
    return _parse(text, label)


def _parse(text: str, label: str) -> _Table:
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip() for h in next(reader, [])]
    if not any(header):
        raise ValueError(f"{label}: no header row")
    seen = [h for h in header if h]
    if len(set(seen)) != len(seen):
        twice = sorted({h for h in seen if seen.count(h) > 1})
        raise ValueError(f"{label}: the header names {', '.join(twice)} more than once")
    keep = [i for i, h in enumerate(header) if h]
    width = len(header)
    body = []
    for raw in reader:
        cells = [c.strip() for c in raw]
        if not any(cells):
            continue
        if len(cells) > width and any(cells[width:]):
            raise ValueError(f"{label}, line {reader.line_num}: {len(cells)} cells under a header of {width}"
                             " (a comma inside a cell needs the cell in double quotes)")
        cells += [""] * (width - len(cells))
        if any(cells[i] for i in range(width) if not header[i]):
            raise ValueError(f"{label}, line {reader.line_num}: text in a column the header does not name")
        body.append(tuple(cells[i] for i in keep))
    return tuple(header[i] for i in keep), tuple(body)


def _frame(table: _Table) -> pd.DataFrame:
    header, body = table
    return pd.DataFrame(list(body), columns=list(header), dtype=str)

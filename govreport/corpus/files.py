"""Finding the files of a corpus and naming them: :func:`discover` and the report ids.

A folder is walked recursively and every file in it is part of the corpus, whatever its
suffix (the reader says which formats it reads; the others become rows of ``errors``),
except hidden files and folders and ``manifest.csv``.  File names that are not valid
UTF-8 are kept (Python's surrogate escapes) and shown as ``\\xNN`` in the tables.
"""
from __future__ import annotations

import glob as _glob
import hashlib
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

#: File suffixes of the formats govreport reads; a *folder* named like one is listed
#: (and becomes an error row) rather than walked.
REPORT_SUFFIXES: tuple[str, ...] = (".txt", ".text", ".md", ".htm", ".html", ".xhtml", ".pdf", ".docx")
#: File names never taken as reports (compared in lower case).
NOT_REPORTS: frozenset[str] = frozenset({"manifest.csv"})


def safe_text(s: str) -> str:
    """``s`` as valid UTF-8 text: undecodable bytes of a file name (surrogate escapes) as ``\\xNN``."""
    try:
        s.encode("utf-8")
        return s
    except UnicodeEncodeError:
        try:
            raw = s.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:
            raw = s.encode("utf-8", "surrogatepass")
        return raw.decode("utf-8", "backslashreplace")


def _is_candidate(name: str, suffixes: Sequence[str] | None, exclude: frozenset[str]) -> bool:
    if name.startswith(".") or name.lower() in NOT_REPORTS or name in exclude:
        return False
    return suffixes is None or os.path.splitext(name)[1].lower() in suffixes


def _walk(root: Path, suffixes: Sequence[str] | None, exclude: frozenset[str]) -> list[Path]:
    found: list[Path] = []
    named = suffixes if suffixes is not None else REPORT_SUFFIXES
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        base = Path(dirpath)
        keep = []
        for d in sorted(dirnames):
            if d.startswith("."):
                continue
            if os.path.splitext(d)[1].lower() in named:
                found.append(base / d)  # a directory named like a report: an error row, not walked
            else:
                keep.append(d)
        dirnames[:] = keep
        found.extend(base / f for f in filenames if _is_candidate(f, suffixes, exclude))
    return sorted(found)


def _has_glob(s: str) -> bool:
    return any(ch in s for ch in "*?[")


def discover(source: str | os.PathLike | Iterable[str | os.PathLike],
             suffixes: Sequence[str] | None = None,
             exclude: Iterable[str | os.PathLike] = ()) -> tuple[list[Path], Path | None]:
    """The files of ``source`` (folder, glob or list) and the corpus root.

    ``suffixes`` limits a folder to those suffixes (default: every file); ``exclude``
    names files to leave out (the manifest).  FIFOs, sockets and devices are listed:
    the run records them as skipped without opening them.

    Raises ``FileNotFoundError`` for a folder or file that does not exist and
    ``ValueError`` when a folder or glob holds no file.
    """
    sfx = tuple(s.lower() for s in suffixes) if suffixes is not None else None
    skip = frozenset(os.path.abspath(os.fspath(e)) for e in exclude)
    names = frozenset(os.path.basename(e) for e in skip)
    if isinstance(source, (str, os.PathLike)):
        s = os.fspath(source)
        p = Path(s).expanduser()
        if p.is_dir():
            files = [f for f in _walk(p, sfx, names) if os.path.abspath(f) not in skip]
            if not files:
                what = f"report files ({', '.join(sfx)})" if sfx else "report files"
                raise ValueError(f"no {what} found in folder {safe_text(s)!r}")
            return files, p
        if p.exists() or p.is_symlink():
            return [p], p.parent
        if _has_glob(s):
            matches = sorted(Path(m) for m in _glob.glob(os.path.expanduser(s), recursive=True))
            files = [m for m in matches if not m.is_dir() or os.path.splitext(m.name)[1].lower() in REPORT_SUFFIXES]
            if not files:
                raise ValueError(f"no files match the pattern {safe_text(s)!r}")
            root = Path(os.path.commonpath([str(m.parent.resolve()) for m in files]))
            return files, root
        raise FileNotFoundError(f"no such file or folder: {safe_text(s)!r}")
    files = []
    for entry in source:
        p = Path(os.fspath(entry)).expanduser()
        if p.is_dir() and os.path.splitext(p.name)[1].lower() not in REPORT_SUFFIXES:
            files.extend(f for f in _walk(p, sfx, names) if os.path.abspath(f) not in skip)
        else:
            files.append(p)  # missing or unreadable files become error rows
    root = None
    if files:
        try:
            root = Path(os.path.commonpath([str(f.resolve().parent) for f in files]))
        except ValueError:
            root = None
    return files, root


def report_ids(files: Sequence[Path], root: Path | None) -> list[str]:
    """One id per file: its stem when unique, else stem-<8 hex of the relative path's SHA-1>."""
    stems: dict[str, int] = {}
    for f in files:
        stems[f.stem] = stems.get(f.stem, 0) + 1
    ids = []
    for f in files:
        if stems[f.stem] == 1:
            ids.append(safe_text(f.stem))
            continue
        try:
            rel = f.resolve().relative_to(root.resolve()) if root else f
        except ValueError:
            rel = f
        h = hashlib.sha1(rel.as_posix().encode("utf-8", "surrogateescape")).hexdigest()[:8]
        ids.append(f"{safe_text(f.stem)}-{h}")
    # the same path given twice: number the repeats
    seen: dict[str, int] = {}
    for i, rid in enumerate(ids):
        if rid in seen:
            seen[rid] += 1
            ids[i] = f"{rid}-{seen[rid]}"
        else:
            seen[rid] = 1
    return ids

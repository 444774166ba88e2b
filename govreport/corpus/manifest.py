"""The manifest: a CSV (or DataFrame) that completes or corrects what reports say about themselves.

It has a ``file`` column and any of ``agency``, ``region``, ``year``, ``url``,
``published``.  Paths in ``file`` are relative to the manifest's folder (or absolute);
a bare file name also matches when it is unique in the corpus.  Other columns are ignored.
"""
from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from .. import datafiles
from ..missing import is_na

#: The manifest columns read_corpus uses.
MANIFEST_FIELDS = ("agency", "region", "year", "url", "published")


def read_manifest(manifest: str | os.PathLike | pd.DataFrame) -> tuple[pd.DataFrame, Path]:
    """The manifest as a DataFrame of strings, and the folder its paths are relative to."""
    if isinstance(manifest, pd.DataFrame):
        return manifest.copy(), Path.cwd()
    mpath = Path(manifest).expanduser()
    if not mpath.is_file():
        raise FileNotFoundError(f"manifest not found: {os.fspath(manifest)!r}")
    df = datafiles.frame(mpath)
    return df, mpath.parent


def manifest_lookup(manifest: str | os.PathLike | pd.DataFrame | None,
                     files: Sequence[Path]) -> list[dict | None]:
    """Per file, the manifest's non-empty values for it (None when it has no row)."""
    if manifest is None:
        return [None] * len(files)
    df, base = read_manifest(manifest)
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
        for field in MANIFEST_FIELDS:
            c = cols.get(field)
            if c is None:
                continue
            v = row[c]
            if is_na(v) or (isinstance(v, str) and not v.strip()):
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

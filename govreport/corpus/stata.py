"""Stata files of a corpus: ``.dta`` version 118 (UTF-8) with labels, and a codebook.

``corpus.to_stata(path)`` writes ``panel.dta`` (one row per report, see
:mod:`govreport.corpus.panel`) and one ``.dta`` per table. Stata names are at most 32
characters, so long names are shortened and the mapping is kept in ``codebook.csv``
beside the files (name, stata_name, label, unit, source cell, layouts). Variable labels
are English (Stata allows 80 characters); the Chinese label of every variable is stored
as a Stata note (``notes list`` shows it); coded columns carry value labels.
"""
from __future__ import annotations

import re
import struct
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
from pandas.io.stata import StataWriterUTF8

from .panel import _META_LABELS, panel, panel_columns

if TYPE_CHECKING:  # pragma: no cover
    from . import Corpus

_PREFIX = {"applications": "a", "review_litigation": "r", "active_disclosure": "d", "indicator": "i"}
_STRL_AT = 2045  # longer strings must be strL in Stata
_VALUE_LABEL_MAX = 200  # distinct codes above this are kept as strings, not value labels
_CODED = {"row", "applicant", "procedure", "outcome", "category", "metric", "layout", "format", "status",
          "level", "kind", "sector", "severity", "check", "table", "column", "unit", "script",
          "agency_source", "year_source", "published_source", "region_source", "error_type", "error_code"}


class _NotesWriter(StataWriterUTF8):
    """pandas' dta 118 writer, plus variable notes written as Stata characteristics
    (``var[note0]`` = count, ``var[note1]`` = text), which pandas leaves empty."""

    def __init__(self, *args, notes: dict[str, str] | None = None, **kwargs) -> None:
        self._notes = notes or {}
        super().__init__(*args, **kwargs)

    def _write_characteristics(self) -> None:
        self._update_map("characteristics")
        body = b""
        width = 129  # variable and characteristic names in dta 118
        for var, text in self._notes.items():
            for char, contents in (("note1", text), ("note0", "1")):
                payload = (var.encode("utf-8").ljust(width, b"\0")
                           + char.encode("utf-8").ljust(width, b"\0")
                           + contents.encode("utf-8") + b"\0")
                body += b"<ch>" + struct.pack(self._byteorder + "I", len(payload)) + payload + b"</ch>"
        self._write_bytes(self._tag(body, "characteristics"))


def stata_name(name: str, taken: set[str]) -> str:
    """A valid Stata name (≤ 32 characters, letters, digits, ``_``) for ``name``, unique
    among ``taken`` (which it joins)."""
    parts = name.split(".")
    if parts[0] in _PREFIX and len(parts) > 1:
        parts = [_PREFIX[parts[0]], *parts[1:]]
    parts = [re.sub(r"[^A-Za-z0-9_]", "_", p) for p in parts]
    # shorten the longest part first, one character at a time, so names stay readable
    while len("_".join(parts)) > 32 and max(len(p) for p in parts[1:] or [""]) > 3:
        i = max(range(1, len(parts)), key=lambda k: len(parts[k]))
        parts[i] = parts[i][:-1]
    out = "_".join(parts)
    out = out[:32]
    if not re.match(r"[A-Za-z_]", out):
        out = "v" + out[:31]
    base, k = out, 2
    while out.lower() in taken:
        suffix = f"_{k}"
        out = base[: 32 - len(suffix)] + suffix
        k += 1
    taken.add(out.lower())
    return out


def _prepare(df: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str], list[str]]:
    """Columns Stata can hold: dates as dates, booleans as 0/1, codes as value labels."""
    out = pd.DataFrame(index=df.index)
    dates: dict[str, str] = {}
    strl: list[str] = []
    for col in df.columns:
        s = df[col]
        if pd.api.types.is_datetime64_any_dtype(s.dtype):
            out[col] = s
            dates[col] = "td"
        elif pd.api.types.is_bool_dtype(s.dtype):
            out[col] = s.astype("Int8")
        elif pd.api.types.is_numeric_dtype(s.dtype):
            out[col] = s.astype("Float64") if not pd.api.types.is_integer_dtype(s.dtype) else s.astype("Int64")
        else:
            text = s.astype(object).where(s.notna(), None)
            text = text.map(lambda v: v if v is None else str(v))
            n_codes = text.nunique(dropna=True)
            if col in _CODED and 0 < n_codes <= _VALUE_LABEL_MAX and text.notna().all():
                out[col] = pd.Categorical(text)  # pandas writes categories as value labels
            else:
                out[col] = text.fillna("").astype(object)
                if len(out) and out[col].map(lambda v: len(v.encode("utf-8"))).max() > _STRL_AT:
                    strl.append(col)
    return out, dates, strl


def write_dta(df: pd.DataFrame, path: Path, labels: dict[str, tuple[str, str]], data_label: str) -> dict[str, str]:
    """Write ``df`` to ``path`` (dta 118) with English labels and Chinese notes; returns
    the mapping of column names to Stata names."""
    taken: set[str] = set()
    names = {col: stata_name(str(col), taken) for col in df.columns}
    data, dates, strl = _prepare(df)
    data = data.rename(columns=names)
    var_labels = {names[c]: labels[c][0][:80] for c in df.columns if c in labels and labels[c][0]}
    notes = {names[c]: labels[c][1] for c in df.columns if c in labels and labels[c][1]}
    writer = _NotesWriter(path, data, convert_dates={names.get(k, k): v for k, v in dates.items()},
                          write_index=False, variable_labels=var_labels, data_label=data_label[:80],
                          convert_strl=[names[c] for c in strl], version=118, notes=notes)
    writer.write_file()
    return names


def to_stata(corpus: "Corpus", folder: str | Path) -> list[Path]:
    """Write the panel and every table of ``corpus`` as Stata files into ``folder``, with
    ``codebook.csv``. Returns the paths written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    book = panel_columns()
    labels = {r.name: (r.label_en, r.label_zh) for r in book.itertuples()}
    labels.update({k: v for k, v in _META_LABELS.items()})
    written: list[Path] = []
    rows = []
    frames = {"panel": panel(corpus)}
    frames.update({name: df for name, df in corpus.tables().items()})
    for name, df in frames.items():
        path = folder / f"{name}.dta"
        mapping = write_dta(df, path, labels, f"govreport {name}")
        written.append(path)
        for col, sname in mapping.items():
            info = book.loc[book["name"] == col]
            first = info.iloc[0] if len(info) else None
            rows.append({"file": path.name, "name": col, "stata_name": sname,
                         "label_en": labels.get(col, ("", ""))[0], "label_zh": labels.get(col, ("", ""))[1],
                         "unit": first["unit"] if first is not None else "",
                         "source": first["source"] if first is not None else f"{name}.{col}",
                         "layouts": first["layouts"] if first is not None else "",
                         "comparability": first["comparability"] if first is not None else ""})
    codebook = folder / "codebook.csv"
    pd.DataFrame(rows).to_csv(codebook, index=False, encoding="utf-8")
    written.append(codebook)
    return written

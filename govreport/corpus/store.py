"""Storing a corpus: Parquet, CSV and Excel exports with a ``schema.json``, and reading them back.

The exports are safe to hand to their readers: :func:`load` reads only files inside
its folder (a ``schema.json`` naming a table ``../x`` or an absolute path is refused),
and the Excel workbook holds no formula and no control character (a text cell that
begins with ``=``, ``+``, ``-`` or ``@`` is written as text).
"""
from __future__ import annotations

import json
import os
import re
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from ..missing import is_na
from .frames import STR, obj

SCHEMA_FILE = "schema.json"
CSV_NA = "<NA>"
_TABLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# characters an xlsx cell cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE)
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_EXCEL_ROWS = 1_048_575
_EXCEL_CELL = 32767


# ---------------------------------------------------------------- schema.json
def dtype_name(dtype: Any) -> str:
    """The name schema.json records for a dtype."""
    return "category" if isinstance(dtype, pd.CategoricalDtype) else str(dtype)


def column_spec(df: pd.DataFrame) -> list[dict[str, Any]]:
    """schema.json's description of ``df``'s columns (names, dtypes, categories)."""
    cols = []
    for col in df.columns:
        spec: dict[str, Any] = {"name": str(col), "dtype": dtype_name(df[col].dtype)}
        if isinstance(df[col].dtype, pd.CategoricalDtype):
            spec["categories"] = [str(c) for c in df[col].cat.categories]
        cols.append(spec)
    return cols


def schema_of(tables: Mapping[str, pd.DataFrame]) -> dict:
    """The ``schema.json`` of a set of tables."""
    from .. import __version__

    return {"format": "govreport-corpus", "version": 1, "govreport_version": str(__version__),
            "tables": {name: {"columns": column_spec(df), "rows": len(df)} for name, df in tables.items()}}


def write_json(path: Path, data: Any) -> None:
    """Write JSON atomically."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)


def _cast(s: pd.Series, spec: Mapping[str, Any]) -> pd.Series:
    """Cast a Series read back from disk to the dtype recorded in ``schema.json``."""
    name = spec["dtype"]
    if name == "category":
        cats = [str(c) for c in spec.get("categories") or []]
        return pd.Series(pd.Categorical(obj(s), categories=pd.Index(cats, dtype=STR)), index=s.index, name=s.name)
    if dtype_name(s.dtype) == name:
        return s
    if name.startswith("datetime64"):
        return pd.to_datetime(s).astype(name)
    if name in ("Int64", "Int32", "Int16", "Int8", "Float64", "Float32", "UInt64") or \
            name.startswith(("int", "float", "uint")):
        if s.dtype == object or pd.api.types.is_string_dtype(s.dtype):
            s = pd.to_numeric(obj(s))
        return s.astype(name)
    if name in ("bool", "boolean"):
        if s.dtype == object or pd.api.types.is_string_dtype(s.dtype):
            mapping = {"True": True, "False": False, "true": True, "false": False}
            s = obj(s).map(lambda v: mapping.get(v, v) if isinstance(v, str) else v)
        return s.astype(name)
    if name == "object":
        return obj(s)
    return s.astype(name)


def _apply_schema(df: pd.DataFrame, spec: Mapping[str, Any]) -> pd.DataFrame:
    cols = spec["columns"]
    if not cols:
        return pd.DataFrame(index=pd.RangeIndex(len(df)))
    out = {}
    for c in cols:
        name = c["name"]
        s = df[name] if name in df.columns else pd.Series([None] * len(df), dtype=object)
        out[name] = _cast(s.reset_index(drop=True), c)
    return pd.DataFrame(out)


# ---------------------------------------------------------------- writing
def to_parquet(tables: Mapping[str, pd.DataFrame], path: str | os.PathLike) -> Path:
    """Write ``<path>/<table>.parquet`` per table and ``<path>/schema.json``."""
    out = Path(path)
    out.mkdir(parents=True, exist_ok=True)
    for name, df in tables.items():
        df.to_parquet(out / f"{name}.parquet", index=False)
    write_json(out / SCHEMA_FILE, schema_of(tables) | {"storage": "parquet"})
    write_codebook(out / CODEBOOK_FILE, tables)
    return out


def to_csv(tables: Mapping[str, pd.DataFrame], path: str | os.PathLike) -> Path:
    """Write ``<path>/<table>.csv`` per table (UTF-8 with BOM, NA as ``<NA>``) and ``schema.json``."""
    out = Path(path)
    out.mkdir(parents=True, exist_ok=True)
    for name, df in tables.items():
        _csv_ready(df).to_csv(out / f"{name}.csv", index=False, na_rep=CSV_NA, encoding="utf-8-sig",
                              lineterminator="\n")
    write_json(out / SCHEMA_FILE, schema_of(tables) | {"storage": "csv"})
    write_codebook(out / CODEBOOK_FILE, tables)
    return out


CODEBOOK_FILE = "codebook.csv"


def write_codebook(path: Path, tables: Mapping[str, pd.DataFrame]) -> Path:
    """``codebook.csv`` beside an export: one row per exported column (file, table, column,
    dtype, where its codes come from, description — from the one schema)."""
    from .. import schema

    declared = {(r.table, r.column): r for r in schema.describe().itertuples()}
    rows = []
    for name, df in tables.items():
        for col in df.columns:
            d = declared.get((name, str(col)))
            rows.append({"table": name, "column": str(col), "dtype": str(df[col].dtype),
                         "codes": d.categories if d is not None else "",
                         "description": d.description if d is not None else ""})
    pd.DataFrame(rows).to_csv(path, index=False, encoding="utf-8")
    return path


def _csv_ready(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if pd.api.types.is_float_dtype(s.dtype):  # repr() round-trips every float exactly
            out[col] = s.astype(object).map(lambda v: CSV_NA if is_na(v) else repr(float(v)))
    return out


def excel_text(v: Any) -> Any:
    """A text cell as Excel may hold it: control characters as ``\\xNN``, at most 32,767 characters."""
    if not isinstance(v, str):
        return v
    if _XLSX_ILLEGAL.search(v):
        v = _XLSX_ILLEGAL.sub(lambda m: f"\\x{ord(m.group()):02x}", v)
    return v[:_EXCEL_CELL]


def to_excel(tables: Mapping[str, pd.DataFrame], path: str | os.PathLike) -> Path:
    """One sheet per table plus a ``_schema`` sheet; every text cell is text, never a formula."""
    out = Path(path)
    if out.suffix.lower() not in (".xlsx", ".xlsm"):
        out = out.with_suffix(".xlsx")
    out.parent.mkdir(parents=True, exist_ok=True)
    with pd.ExcelWriter(out, engine="openpyxl") as xw:
        for name, df in tables.items():
            if len(df) > _EXCEL_ROWS:
                warnings.warn(f"table {name!r} has {len(df)} rows; Excel keeps the first 1,048,575", stacklevel=3)
                df = df.iloc[:_EXCEL_ROWS]
            xdf, texts = _excel_ready(df, name)
            xdf.to_excel(xw, sheet_name=name[:31], index=False)
            _as_text_cells(xw.sheets[name[:31]], xdf, texts)
        schema = json.dumps(schema_of(tables), ensure_ascii=False)
        pd.DataFrame({"schema": [schema[i:i + 30000] for i in range(0, len(schema), 30000)]}).to_excel(
            xw, sheet_name="_schema", index=False)
        _as_text_cells(xw.sheets["_schema"], None, [])
    return out


def frame_to_excel(df: pd.DataFrame, path: str | os.PathLike, sheet: str = "data") -> Path:
    """One DataFrame as a one-sheet workbook, as safely as :meth:`Corpus.to_excel` writes a corpus."""
    with pd.ExcelWriter(path, engine="openpyxl") as xw:
        xdf, texts = _excel_ready(df, sheet)
        xdf.to_excel(xw, sheet_name=sheet[:31], index=False)
        _as_text_cells(xw.sheets[sheet[:31]], xdf, texts)
    return Path(path)


def _excel_ready(df: pd.DataFrame, name: str) -> tuple[pd.DataFrame, list[int]]:
    out = df.copy()
    texts = []
    for i, col in enumerate(out.columns):
        s = out[col]
        if s.dtype == object or pd.api.types.is_string_dtype(s.dtype) or isinstance(s.dtype, pd.CategoricalDtype):
            vals = s.astype(object)
            too_long = vals.map(lambda v: isinstance(v, str) and len(v) > _EXCEL_CELL)
            if too_long.any():
                warnings.warn(f"{name}.{col}: {int(too_long.sum())} cells longer than Excel's 32,767 characters "
                              f"were cut", stacklevel=4)
            out[col] = vals.map(excel_text)
            texts.append(i)
    return out, texts


def _as_text_cells(ws: Any, df: pd.DataFrame | None, texts: list[int]) -> None:
    """Make every cell openpyxl took for a formula (a string starting with ``=``) a plain string."""
    if df is None:
        cells = (c for row in ws.iter_rows() for c in row)
    else:
        cells = (ws.cell(row=r + 2, column=i + 1) for i in texts
                 for r in [k for k, v in enumerate(df.iloc[:, i]) if isinstance(v, str) and v.startswith("=")])
    for cell in cells:
        if cell.data_type == "f":
            cell.data_type = "s"


# ---------------------------------------------------------------- load()
def read_tables(path: str | os.PathLike) -> dict[str, pd.DataFrame]:
    """Reload a corpus written by :meth:`Corpus.to_parquet`, :meth:`Corpus.to_csv`,
    :meth:`Corpus.to_excel` or ``read_corpus(..., engine="dask")``.

    ``path`` is the export folder (Parquet or CSV, with its ``schema.json``) or the
    ``.xlsx`` workbook.  Dtypes, categories and missing values are restored.  Only files
    inside the folder are read: a ``schema.json`` naming a table outside it is an error.
    """
    p = Path(path).expanduser()
    if not p.exists():
        raise FileNotFoundError(f"no such corpus export: {os.fspath(path)!r}")
    if p.is_file() and p.suffix.lower() in (".xlsx", ".xlsm"):
        return _load_excel(p)
    if not p.is_dir():
        raise ValueError(f"{os.fspath(path)!r} is not a corpus export folder or .xlsx file")
    schema_path = p / SCHEMA_FILE
    if not schema_path.is_file():
        raise FileNotFoundError(f"{os.fspath(path)!r} has no {SCHEMA_FILE}; is it a govreport corpus export?")
    schema = _read_schema(schema_path.read_text(encoding="utf-8"), schema_path)
    return {name: _apply_schema(_read_table(p, name, spec), spec) for name, spec in schema["tables"].items()}


def _read_schema(text: str, where: Path) -> dict:
    """``schema.json`` checked: tables named like identifiers, each with a list of named columns."""
    try:
        schema = json.loads(text)
    except ValueError as exc:
        raise ValueError(f"{where}: not valid JSON ({exc})") from None
    tables = schema.get("tables") if isinstance(schema, dict) else None
    if not isinstance(tables, dict):
        raise ValueError(f"{where}: no 'tables' object; is it a govreport corpus export?")  # noqa: TRY004 - a bad file
    for name, spec in tables.items():
        if not isinstance(name, str) or not _TABLE_NAME.match(name):
            raise ValueError(f"{where}: table name {name!r} is not a plain name (it would point outside the folder)")
        cols = spec.get("columns") if isinstance(spec, dict) else None
        if not isinstance(cols, list) or not all(isinstance(c, dict) and isinstance(c.get("name"), str)
                                                 and isinstance(c.get("dtype"), str) for c in cols):
            raise ValueError(f"{where}: table {name!r} has no valid column list")
    return schema


def _inside(root: Path, target: Path) -> Path:
    """``target`` when it resolves (links followed) to a path inside ``root``, else ValueError."""
    real, base = target.resolve(), root.resolve()
    if real != base and base not in real.parents:
        raise ValueError(f"{target} points outside the export folder {root}; not read")
    return target


def _read_table(p: Path, name: str, spec: Mapping[str, Any]) -> pd.DataFrame:
    cols = [c["name"] for c in spec["columns"]]
    if (p / f"{name}.parquet").is_file():
        return pd.read_parquet(_inside(p, p / f"{name}.parquet"))
    if (p / name).is_dir():
        parts = [_inside(p, f) for f in sorted(_inside(p, p / name).glob("*.parquet"))]
        frames = [_decategorize(pd.read_parquet(f)) for f in parts]
        frames = [f for f in frames if len(f)]
        if not frames:
            return pd.DataFrame({c: pd.Series([], dtype=object) for c in cols})
        return pd.concat(frames, ignore_index=True, sort=False)
    if (p / f"{name}.csv").is_file():
        return pd.read_csv(_inside(p, p / f"{name}.csv"), dtype=str, keep_default_na=False, na_values=[CSV_NA],
                           encoding="utf-8-sig")
    raise FileNotFoundError(f"table {name!r} is missing from {os.fspath(p)!r}")


def _decategorize(df: pd.DataFrame) -> pd.DataFrame:
    for c in df.columns:
        if isinstance(df[c].dtype, pd.CategoricalDtype):
            df[c] = df[c].astype(object)
    return df


def _load_excel(p: Path) -> dict[str, pd.DataFrame]:
    sheets = pd.read_excel(p, sheet_name=None, dtype=object)
    schema_sheet = sheets.pop("_schema", None)
    if schema_sheet is None:
        raise ValueError(f"{p} has no _schema sheet; was it written by Corpus.to_excel?")
    schema = _read_schema("".join(str(x) for x in schema_sheet["schema"]), p)
    tables = {}
    for name, spec in schema["tables"].items():
        df = sheets.get(name[:31], pd.DataFrame())
        df = pd.DataFrame({c: obj(df[c]) for c in df.columns})
        tables[name] = _apply_schema(df, spec)
    return tables

"""Layouts as data: every layout is a folder of CSV files, loaded into a :class:`Layout`.

``govreport/data/layouts/`` holds one folder per layout (``2021``, ``2019``, ``pre2019``) and
``common/`` for the pieces all layouts share; ``govreport/data/layouts/README.md`` describes
every file and column. The files are read by :mod:`govreport.datafiles` (a built-in folder's
by its package name, a user's folder by its path). The identities (``checks.csv``) and
indicator formulas (``indicators.csv``) live with the checks.

More layouts are added as data only: :func:`register_path` (or the ``GOVREPORT_LAYOUTS``
environment variable, folders separated by ``os.pathsep``) adds a folder of layout folders, or
one layout folder. The module-level functions (:func:`rows`, :func:`columns`, :func:`markers` …)
are thin wrappers kept for callers that predate the objects.
"""
from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import datafiles

TABLES = ("active_disclosure", "applications", "review_litigation", "statistics")
REQUIRED_FILES = ("layout.csv", "markers.csv", "tables.csv", "columns.csv")
KINDS = ("fixed_rows", "row_metrics", "block_row", "indicator_tree")
ENV = "GOVREPORT_LAYOUTS"


@dataclass(frozen=True)
class RowSpec:
    """One row of a layout's table (a table-三 outcome row, a table-二 category)."""

    code: str
    label: str
    keys: tuple[str, ...]
    item: str
    metrics: tuple[str, ...]
    description: str


@dataclass(frozen=True)
class ColumnSpec:
    """One column code of a table (applicant type, outcome, metric)."""

    code: str
    label: str
    unit: str
    description: str


@dataclass(frozen=True)
class TableSpec:
    """How one table of a layout is found and read (a row of the layout's ``tables.csv``)."""

    table: str
    kind: str
    order: int
    anchors: tuple[str, ...] = ()
    fallback_anchors: tuple[str, ...] = ()
    end_anchors: tuple[str, ...] = ()
    after: str = ""
    ends_at: str = ""
    header_words: tuple[str, ...] = ()
    stop_words: tuple[str, ...] = ()
    label_window: int = 60
    match: str = ""
    check: str = ""
    columns: tuple[str, ...] = ()
    optional_columns: tuple[tuple[str, str], ...] = ()
    flow: tuple[str, ...] = ()  # in, in, out total, out: in + in = total + out; the other rows add up to total
    rows: tuple[RowSpec, ...] = ()
    parts: dict[str, tuple[ColumnSpec, ...]] = field(default_factory=dict, compare=False, hash=False)

    def part(self, name: str = "") -> tuple[ColumnSpec, ...]:
        """Column codes of this table (``part`` e.g. ``procedure``, ``outcome``, ``metric``)."""
        return self.parts.get(name, ())


@dataclass(frozen=True)
class Layout:
    """One layout, loaded from its folder."""

    name: str
    period: str
    regulation: str
    order: int
    description: str
    path: str
    markers: tuple[tuple[str, int], ...]
    tables: tuple[TableSpec, ...]
    crosswalk: tuple[dict, ...] = ()
    infer_min_sections: int | None = None
    infer_unless_section: tuple[str, str] | None = None

    def table(self, name: str) -> TableSpec | None:
        """The spec of table ``name``, or None when the layout does not print it."""
        return next((t for t in self.tables if t.table == name), None)

    @property
    def table_names(self) -> tuple[str, ...]:
        """The tables this layout prints, in reading order."""
        return tuple(t.table for t in self.tables)

    @property
    def mapped_tables(self) -> tuple[str, ...]:
        """Tables filled through the crosswalk (not printed as such by this layout)."""
        return tuple(dict.fromkeys(c["table"] for c in self.crosswalk))

    def rows(self, table: str) -> tuple[RowSpec, ...]:
        spec = self.table(table)
        return spec.rows if spec else _loose(self.path).get(("rows", table), ())

    def columns(self, table: str) -> tuple[ColumnSpec, ...]:
        name, _, part = table.partition(".")
        spec = self.table(name)
        if spec is not None:
            return spec.part(part)
        return _loose(self.path).get(("columns", table), ())


# ---------------------------------------------------------------- loading
def _split(value: str) -> tuple[str, ...]:
    return tuple(v for v in (value or "").split("|") if v)


def _file(folder: str, name: str) -> datafiles.Source:
    """A file of a layout folder: a built-in folder's by its package name, a user's by its path."""
    return Path(folder, name) if os.path.isabs(folder) else f"layouts/{folder}/{name}"


@functools.cache
def _loose(path: str) -> dict[tuple[str, str], tuple]:
    """Rows and columns of tables a layout does not read itself (crosswalk targets)."""
    out: dict[tuple[str, str], list] = {}
    if datafiles.exists(_file(path, "rows.csv")):
        for r in datafiles.rows(_file(path, "rows.csv")):
            out.setdefault(("rows", r["table"]), []).append(_row(r))
    for r in datafiles.rows(_file(path, "columns.csv")):
        out.setdefault(("columns", r["table"]), []).append(ColumnSpec(r["code"], r["label"], r["unit"],
                                                                    r["description"]))
    return {k: tuple(v) for k, v in out.items()}


def _row(r: dict[str, str]) -> RowSpec:
    return RowSpec(r["code"], r["label"], _split(r["keys"]), r["item"], _split(r["metrics"]), r["description"])


def load(path: str | os.PathLike) -> Layout:
    """Load one layout folder (its files are described in ``govreport/data/layouts/README.md``)."""
    key = str(path)
    missing = [f for f in REQUIRED_FILES if not datafiles.exists(_file(key, f))]
    if missing:
        raise ValueError(f"layout folder {key} lacks {', '.join(missing)}")
    meta = datafiles.rows(_file(key, "layout.csv"))[0]
    loose = _loose(key)
    specs = []
    for t in datafiles.rows(_file(key, "tables.csv")):
        if t["kind"] not in KINDS:
            raise ValueError(f"layout {meta['name']}: table {t['table']} has kind {t['kind']!r}, not one of {KINDS}")
        name = t["table"]
        parts = {k[1].partition(".")[2]: v for k, v in loose.items() if k[0] == "columns"
                 and k[1].partition(".")[0] == name}
        specs.append(TableSpec(
            table=name, kind=t["kind"], order=int(t["order"] or 0), anchors=_split(t["anchors"]),
            fallback_anchors=_split(t["fallback_anchors"]), end_anchors=_split(t["end_anchors"]),
            after=t["after"], ends_at=t["ends_at"], header_words=_split(t["header_words"]),
            stop_words=_split(t["stop_words"]), label_window=int(t["label_window"] or 60), match=t["match"],
            check=t["check"], columns=_split(t["columns"]),
            optional_columns=tuple(tuple(c.split(":", 1)) for c in _split(t["optional_columns"])),
            flow=_split(t.get("flow", "")),
            rows=loose.get(("rows", name), ()), parts=parts))
    unless = meta.get("infer_unless_section", "")
    crosswalk = ()
    if datafiles.exists(_file(key, "crosswalk.csv")):
        crosswalk = tuple({"keys": _split(r["keys"]), "parent_keys": _split(r["parent_keys"]), "table": r["table"],
                           "row": r["row"], "column": r["column"]} for r in datafiles.rows(_file(key, "crosswalk.csv")))
    return Layout(
        name=meta["name"], period=meta.get("period", ""), regulation=meta.get("regulation", ""),
        order=int(meta.get("order") or 0), description=meta.get("description", ""), path=key,
        markers=tuple((r["marker"], int(r["weight"])) for r in datafiles.rows(_file(key, "markers.csv"))),
        tables=tuple(sorted(specs, key=lambda s: s.order)), crosswalk=crosswalk,
        infer_min_sections=int(meta["infer_min_sections"]) if meta.get("infer_min_sections") else None,
        infer_unless_section=tuple(unless.split(":", 1)) if unless else None)


def _candidates() -> list[str]:
    """Layout folders: the built-in ones, then the registered and environment paths."""
    out = [e[:-1] for e in datafiles.available("layouts") if e.endswith("/")
           and datafiles.exists(f"layouts/{e}layout.csv")]
    roots = [Path(p) for p in os.environ.get(ENV, "").split(os.pathsep) if p]
    for root in roots:
        root = root.resolve()
        if (root / "layout.csv").is_file():
            out.append(str(root))
        elif root.is_dir():
            out.extend(str(p) for p in sorted(root.iterdir()) if (p / "layout.csv").is_file())
    return out


@functools.cache
def _registry(env: str) -> dict[str, Layout]:
    loaded = [load(p) for p in _candidates()]
    reg: dict[str, Layout] = {}
    for lay in sorted(loaded, key=lambda x: x.order):  # stable: built-ins first on equal order
        reg.setdefault(lay.name, lay)
    return reg


def _layouts() -> dict[str, Layout]:
    return _registry(os.environ.get(ENV, ""))


def _env_paths() -> list[str]:
    return [p for p in os.environ.get(ENV, "").split(os.pathsep) if p]


def register_path(path: str | os.PathLike) -> None:
    """Add a folder of layout folders (or one layout folder) to the known layouts.

    The folder is added to ``GOVREPORT_LAYOUTS``, so worker processes of a corpus run see it too.
    """
    folder = str(Path(path).resolve())
    if folder not in _env_paths():
        os.environ[ENV] = os.pathsep.join([*_env_paths(), folder])


def unregister_path(path: str | os.PathLike) -> None:
    """Forget a folder added with :func:`register_path`."""
    folder = str(Path(path).resolve())
    rest = [p for p in _env_paths() if str(Path(p).resolve()) != folder]
    if rest:
        os.environ[ENV] = os.pathsep.join(rest)
    else:
        os.environ.pop(ENV, None)


def get(name: str) -> Layout:
    """The layout called ``name``; KeyError lists the known ones."""
    try:
        return _layouts()[name]
    except KeyError:
        raise KeyError(f"no layout {name!r}; the layouts are {', '.join(_layouts())}") from None


def all() -> tuple[Layout, ...]:
    """Every known layout, in order."""
    return tuple(_layouts().values())


class _Names(Sequence):
    """The names of the known layouts, kept current as layouts are registered."""

    def __getitem__(self, i):
        return tuple(_layouts())[i]

    def __len__(self) -> int:
        return len(_layouts())

    def __repr__(self) -> str:
        return repr(tuple(_layouts()))


LAYOUTS: Sequence[str] = _Names()


# ---------------------------------------------------------------- thin wrappers
def rows(layout: str, table: str) -> tuple[RowSpec, ...]:
    """Rows of ``table`` in ``layout``, in printed order (empty for an unknown layout)."""
    lay = _layouts().get(layout)
    return lay.rows(table) if lay else ()


def columns(layout: str, table: str) -> tuple[ColumnSpec, ...]:
    """Column codes of ``table`` (e.g. ``applications``, ``review_litigation.outcome``)."""
    lay = _layouts().get(layout)
    return lay.columns(table) if lay else ()


def markers() -> tuple[tuple[str, str, int], ...]:
    """``(layout, marker, weight)``: labels whose presence votes for a layout."""
    return tuple((lay.name, m, w) for lay in all() for m, w in lay.markers)


def anchors(table: str) -> tuple[str, ...]:
    """Texts that mark where ``table`` starts, in any layout."""
    out: dict[str, None] = {}
    for lay in all():
        spec = lay.table(table)
        if spec:
            out.update(dict.fromkeys(spec.anchors + spec.fallback_anchors))
    return tuple(out)


def crosswalk() -> tuple[dict[str, object], ...]:
    """pre-2019 statistics indicators that have a counterpart in the later layouts."""
    return tuple(c for lay in all() for c in lay.crosswalk)


def _common(name: str) -> list[dict[str, str]]:
    return datafiles.rows(f"layouts/common/{name}")


@functools.cache
def label_fixes() -> tuple[tuple[str, str], ...]:
    """``(variant, canonical)`` substitutions applied before matching labels."""
    return tuple((r["variant"], r["canonical"]) for r in _common("label_fixes.csv"))


@functools.cache
def placeholders() -> frozenset[str]:
    """Cell texts that mean "not reported" and become NA (never 0)."""
    return frozenset(r["value"] for r in _common("placeholders.csv"))


@functools.cache
def units() -> dict[str, tuple[str, float | None]]:
    """Unit → (kind, factor to 万元 for money)."""
    return {
        r["unit"]: (r["kind"], float(r["factor_to_10k_yuan"]) if r["factor_to_10k_yuan"] else None)
        for r in _common("units.csv")
    }


@functools.cache
def units_longest_first() -> tuple[str, ...]:
    """The unit words, longest first (so ``万元`` is tried before ``元``)."""
    return tuple(sorted(units(), key=len, reverse=True))


@functools.cache
def settings() -> dict[str, float]:
    """Numeric reading settings (``ocr_min_confidence``, ``max_splits``, ``max_label``)."""
    return {r["setting"]: float(r["value"]) for r in _common("settings.csv")}


@dataclass(frozen=True)
class ReadingSettings:
    """Limits of the table reader (``common/settings.csv``)."""

    ocr_min_confidence: float = 0.8  # an OCR cell below it is missing with a finding
    max_splits: int = 20000  # steps of one digit-split search, combinations of one table's splits
    max_label: int = 60  # longest cell (normalised) that may be a row label
    max_digits: int = 15  # most digits of one printed number


@functools.cache
def reading_settings() -> ReadingSettings:
    """The reader's limits as a typed object."""
    s = settings()
    return ReadingSettings(ocr_min_confidence=s["ocr_min_confidence"], max_splits=int(s["max_splits"]),
                           max_label=int(s["max_label"]), max_digits=int(s["max_digits"]))


@functools.cache
def section_codes() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``(code, keys)`` used to tag a section title with a standard code."""
    return tuple((r["code"], _split(r["keys"])) for r in _common("sections.csv"))


@functools.cache
def title_endings() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Words a section title ends with: (strong, weak). A title ends at its last strong
    ending, else at its last weak one."""
    rows_ = _common("title_endings.csv")
    return (tuple(r["ending"] for r in rows_ if r["strength"] == "strong"),
            tuple(r["ending"] for r in rows_ if r["strength"] != "strong"))


@functools.cache
def chrome_phrases() -> tuple[str, ...]:
    """Web-page furniture (share buttons, QR prompts) removed from the text."""
    return tuple(r["phrase"] for r in _common("chrome.csv"))


@functools.cache
def agency_suffixes() -> tuple[str, ...]:
    """Endings of agency names, longest first."""
    return tuple(sorted((r["suffix"] for r in _common("agency_suffixes.csv")), key=len, reverse=True))


def data_dictionary() -> pd.DataFrame:
    """Every canonical code of every layout with its printed label and description."""
    out = []
    for lay in all():
        for table in ("applications", "active_disclosure"):
            for r in lay.rows(table):
                out.append((lay.name, table, "row" if table == "applications" else "category",
                            r.code, r.label, r.description))
        for table in ("applications", "review_litigation.procedure", "review_litigation.outcome",
                      "active_disclosure.metric"):
            for c in lay.columns(table):
                kind = table.split(".")[1] if "." in table else "applicant"
                out.append((lay.name, table.split(".")[0], kind, c.code, c.label, c.description))
    return pd.DataFrame(out, columns=["layout", "table", "kind", "code", "label", "description"])

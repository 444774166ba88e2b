"""Read the report's tables into tidy records with the canonical codes.

The document is first turned into one stream of tokens (:mod:`.tokens`), whatever its form.
Each table the layout prints (its ``tables.csv``) is then found (:mod:`.region`) and assembled
by its kind: ``fixed_rows`` and ``row_metrics`` (:mod:`.assemble`), ``block_row``
(:mod:`.block`), ``indicator_tree`` (:mod:`.statistics`). Values glued together are split with
the table's own arithmetic (:mod:`.digits`); where more than one split fits, the cells stay
missing and a finding says so. Cells become numbers in :mod:`.cells`.
"""
from __future__ import annotations

from collections.abc import Iterable

from .. import layouts
from ..findings import Finding, finding
from ..layouts import Layout
from ..missing import is_na
from ..schema import Records, column_dtype, records, to_frame, typed_columns  # noqa: F401
from .assemble import (
    ACTIVE_COLUMNS,
    APPLICATIONS_COLUMNS,
    read_fixed_rows,
    read_row_metrics,
)
from .block import REVIEW_COLUMNS, read_block_row
from .cells import Ctx, Value, as_values, is_value, parse_cell, read_value  # noqa: F401
from .digits import blocks_ok, cumulative_ok, fit, row_sum_ok, splits  # noqa: F401
from .region import locate
from .statistics import STATISTICS_COLUMNS, crosswalk, read_indicator_tree
from .tokens import Tok, tokenize

__all__ = [
    "COLUMNS",
    "Records",
    "Tok",
    "crosswalk",
    "infer_layout",
    "parse_cell",
    "read_tables",
    "records",
    "splits",
    "to_frame",
    "tokenize",
    "typed_columns",
]

#: the columns of each value table, in order (``mapped`` is appended by :func:`records`)
COLUMNS: dict[str, tuple[str, ...]] = {
    "active_disclosure": ACTIVE_COLUMNS, "applications": APPLICATIONS_COLUMNS,
    "review_litigation": REVIEW_COLUMNS, "statistics": STATISTICS_COLUMNS}
_READERS = {"fixed_rows": read_fixed_rows, "row_metrics": read_row_metrics, "block_row": read_block_row,
            "indicator_tree": read_indicator_tree}


def infer_layout(sections: Iterable) -> Layout | None:
    """The layout assumed when no table label voted: the first whose ``infer_min_sections``
    the report's sections reach, none of them being its ``infer_unless_section``."""
    sections = list(sections)
    for lay in layouts.all():
        if lay.infer_min_sections is None or len(sections) < lay.infer_min_sections:
            continue
        code, word = lay.infer_unless_section or ("", "")
        if code and any(s.code == code and word in s.title for s in sections):
            continue
        return lay
    return None


def read_tables(toks: list[Tok], layout: Layout | None, mode: str = "",
                recognised: bool = True) -> tuple[dict[str, Records], list[Finding]]:
    """Every value table of a report from its tokens, as the layout's data says.

    Tables the layout prints are read by their kind, in the layout's reading order; tables it
    does not print are filled through its crosswalk (mapped) or left empty. A ``recognised``
    layout (voted by its markers) whose printed table comes back without a single value gets an
    ``error`` finding ``table_empty`` naming the table.
    """
    out: dict[str, Records] = {}
    notes: list[Finding] = []
    regions: dict[str, tuple[int, int]] = {}
    for spec in (layout.tables if layout else ()):
        region = locate(toks, spec, regions) if spec.kind != "indicator_tree" else None
        if region is not None:
            regions[spec.table] = region
        reader = _READERS[spec.kind]
        recs, fs = (reader(toks, layout, spec, region, mode) if spec.kind == "block_row"
                    else reader(toks, layout, spec, region))
        out[spec.table] = recs
        notes += fs
        if recognised and not _has_value(recs):
            notes.append(finding("table_empty", f"layout {layout.name} prints table {spec.table}, but no value of "
                                 "it was read", table=spec.table, severity="error"))
    stats = out.get("statistics", records([], STATISTICS_COLUMNS))
    stats, mapped = crosswalk(stats, layout) if layout is not None and layout.crosswalk else (stats, {})
    out["statistics"] = stats
    for name, cols in COLUMNS.items():
        if name in out:
            continue
        rows = mapped.get(name, [])
        if name == "applications":
            rows = [(r, c, v, raw, label, page, box) for r, c, v, raw, label, page, box in rows]
        elif name == "review_litigation":
            rows = [(r, c, v, raw, page, box) for r, c, v, raw, _, page, box in rows]
        elif name == "active_disclosure":
            rows = [("", r, c, v, raw, label, page, box) for r, c, v, raw, label, page, box in rows]
        out[name] = records(rows, cols, mapped=True)
    return out, notes


def _has_value(recs: Records) -> bool:
    columns, rows = recs
    i = columns.index("value")
    return any(not is_na(r[i]) for r in rows)


# ---------------------------------------------------------------- the per-table entry points of before
def read_applications(toks: list[Tok], layout: str) -> tuple[Records, list[Finding], tuple[int, int] | None]:
    """Table 三 of ``layout`` alone, with its region (kept for callers of the old API)."""
    spec = layouts.get(layout).table("applications")
    region = locate(toks, spec, {})
    recs, fs = read_fixed_rows(toks, layouts.get(layout), spec, region)
    return recs, fs, region


def read_active_disclosure(toks: list[Tok], layout: str, end: int | None) -> tuple[Records, list[Finding]]:
    """Table 二 of ``layout`` alone, ending at ``end`` (the start of table 三)."""
    spec = layouts.get(layout).table("active_disclosure")
    regions = {spec.ends_at: (end, end)} if end is not None and spec.ends_at else {}
    return read_row_metrics(toks, layouts.get(layout), spec, locate(toks, spec, regions))


def read_review_litigation(toks: list[Tok], layout: str, start: int | None,
                           mode: str = "") -> tuple[Records, list[Finding]]:
    """Table 四 of ``layout`` alone, searched from ``start`` (the end of table 三)."""
    spec = layouts.get(layout).table("review_litigation")
    regions = {spec.after: (start, start)} if start is not None and spec.after else {}
    return read_block_row(toks, layouts.get(layout), spec, locate(toks, spec, regions), mode)


def read_statistics(toks: list[Tok]) -> tuple[Records, list[Finding]]:
    """The free-form statistics table, read with the first layout that prints one."""
    lay = next((x for x in layouts.all() if x.table("statistics")), None)
    return read_indicator_tree(toks, lay, lay.table("statistics") if lay else None)

"""``block_row`` tables (table 四): one row of values, a block of outcomes per procedure.

The data row is the first run of values after the header words, before the stop words. When
cells were lost (not glued), only leading blocks whose parts add up to their total are kept.
"""
from __future__ import annotations

import pandas as pd

from ..findings import Finding
from ..layouts import Layout, TableSpec
from ..normalize import squash
from ..schema import Records, records
from .cells import Ctx, Value, as_values, is_number, is_value, read_value
from .digits import fit, row_sum_ok
from .region import find
from .tokens import Tok

NA = pd.NA
REVIEW_COLUMNS = ("procedure", "outcome", "value", "raw", "page", "box")


def _has_number(toks: list[Tok]) -> bool:
    return any(t.kind == "num" or is_number(t.key) for t in toks)


def data_row(toks: list[Tok], spec: TableSpec, begin: int) -> list[Tok] | None:
    """The first run of values (up to a row end or text) after the header words."""
    stop = find(toks, spec.stop_words, begin + 1) or len(toks)
    header = False
    cur: list[Tok] = []
    for t in toks[begin:stop]:
        if is_value(t):
            cur.append(t)
            continue
        if header and _has_number(cur):
            return cur
        cur = []
        if t.kind in ("cell", "text") and any(h in t.key for h in spec.header_words):
            header = True
    return cur if header and _has_number(cur) else None


def read_block_row(toks: list[Tok], layout: Layout, spec: TableSpec, region: tuple[int, int] | None,
                   mode: str = "") -> tuple[Records, list[Finding]]:
    """Table 四 (review and litigation): procedures × outcomes from one printed row."""
    procs = [c.code for c in spec.part("procedure")]
    outs = [c.code for c in spec.part("outcome")]
    ctx = Ctx(spec.table)
    n = len(procs) * len(outs)
    values: dict[tuple[str, str], tuple] = {}
    row = data_row(toks, spec, region[0]) if region is not None else None
    if row is None:
        ctx.note("table_missing", f"table {spec.table} values not found")
    else:
        vals = as_values(row)
        # one-cell-per-line copies leave merged header cells as blanks before the data
        while mode == "pipes" and vals and not vals[0].raw.strip():
            vals.pop(0)
        while len(vals) > n and not vals[-1].raw.strip():
            vals.pop()
        while len(vals) > n and not vals[0].raw.strip():
            vals.pop(0)
        if len(vals) < n and not all(v.glued for v in vals):
            got = _partial_blocks(vals, procs, outs, ctx)  # cells lost, not glued
        else:
            got = fit(vals, n, ctx, spec.table, spec.check, block=len(outs))
            if isinstance(got, list) and got and isinstance(got[0], list):
                ctx.note("ambiguous_digits", f"{len(got)} splits of {' '.join(v.raw for v in vals)[:80]!r} fit the "
                         "totals; left missing")
                got = None
        for k, v in enumerate(got or []):
            if v is None:
                continue
            p, o = procs[k // len(outs)], outs[k % len(outs)]
            values[(p, o)] = (read_value(v, ctx, p, o), v.printed, v.page if v.page is not None else NA,
                              v.box or NA)
    data = [(p, o, *values.get((p, o), (NA, NA, NA, NA))) for p in procs for o in outs]
    return records(data, REVIEW_COLUMNS), ctx.findings


def _partial_blocks(vals: list[Value], procs, outs, ctx: Ctx) -> list[Value | None]:
    """A short row: keep leading blocks whose parts add up to their total."""
    size = len(outs)
    got: list[Value | None] = [None] * (len(procs) * size)
    kept = []
    for b, proc in enumerate(procs):
        block = vals[b * size:(b + 1) * size]
        nums = [float(squash(v.raw)) if is_number(squash(v.raw)) else None for v in block]
        if len(block) == size and all(x is not None for x in nums) and row_sum_ok(nums):
            got[b * size:(b + 1) * size] = block
            kept.append(proc)
        else:
            break
    missing = [p for p in procs if p not in kept]
    rest = [v.raw.strip() for v in vals[len(kept) * size:]]
    ctx.note("cell_count", f"row has {len(vals)} of {len(procs) * size} cells; "
             + (f"{', '.join(kept)} read (their parts add up to their totals, so the lost cells are later); "
                if kept else "")
             + f"{', '.join(missing)} left missing"
             + (f" (the remaining printed cells {' | '.join(rest)} cannot be placed)" if rest else ""),
             row=None, severity="warning")
    return got

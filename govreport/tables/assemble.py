"""Labelled-row tables driven by a :class:`~govreport.layouts.TableSpec`.

``fixed_rows`` (table 三): rows × applicant columns, rows matched in printed order; glued rows
are split by their row total and, where several splits fit, by the table's column identities.
``row_metrics`` (table 二): rows matched in any order, each with its own metrics.
Every value keeps its printed text (``raw``) and, from a grid, its page and box.
"""
from __future__ import annotations

import itertools
import math

import pandas as pd

from ..findings import Finding
from ..layouts import Layout, TableSpec
from ..schema import Records, records
from .cells import Ctx, Value, as_values, is_number, read_value
from .digits import _budget, fit
from .region import Entry, entries, spec_matcher
from .tokens import Tok

NA = pd.NA
APPLICATIONS_COLUMNS = ("row", "applicant", "value", "raw", "label", "page", "box")
ACTIVE_COLUMNS = ("item", "category", "metric", "value", "raw", "label", "page", "box")


def _where(v: Value) -> tuple:
    return (v.page if v.page is not None else NA, v.box if v.box else NA)


def read_fixed_rows(toks: list[Tok], layout: Layout, spec: TableSpec,
                    region: tuple[int, int] | None) -> tuple[Records, list[Finding]]:
    """Table 三 (applications): each row's cells per applicant column."""
    specs, cols = spec.rows, spec.part("")
    ctx = Ctx(spec.table)
    if region is None:
        ctx.note("table_missing", f"table {spec.table} not found", severity="warning")
        return _fixed_records(specs, cols, {}, {}), ctx.findings
    start, end = region
    found = entries(toks[start:end], spec_matcher([s.keys for s in specs], spec.match != "any_order",
                                                  spec.label_window))
    # stop after the last row of the table
    last = max((k for k, e in enumerate(found) if e.idx == len(specs) - 1), default=None)
    if last is not None:
        found = found[: last + 1]
    rows = _place_rows(found, specs, len(cols), ctx)
    fitted: dict[int, object] = {i: fit(as_values(e.toks), len(cols), ctx, specs[i].code, spec.check)
                                 for i, e in rows.items()}
    _resolve(fitted, specs, spec.flow, ctx)
    values: dict[tuple[str, str], tuple] = {}
    for i, got in fitted.items():
        code = specs[i].code
        if not isinstance(got, list) or (got and isinstance(got[0], list)):
            continue
        blanks = []
        for col, v in zip(cols, got):
            values[(code, col.code)] = (read_value(v, ctx, code, col.code), v.printed,
                                        NA if v.page is None else v.page, v.box or NA)
            if not v.printed:
                blanks.append(col.code)
        if blanks:
            ctx.note("blank_cell", f"blank cells read as missing: {', '.join(blanks)}", row=code,
                     severity="info", status="info")
    for i, s in enumerate(specs):
        if i not in rows:
            ctx.note("row_missing", f"row {s.label} not found", row=s.code)
    labels = {specs[i].code: e.label for i, e in rows.items()}
    return _fixed_records(specs, cols, values, labels), ctx.findings


def _place_rows(found: list[Entry], specs, ncols: int, ctx: Ctx) -> dict[int, Entry]:
    """Labelled rows, plus rows whose labels were printed apart from their values (PDF
    extraction): values without a label between two labelled rows fill the empty rows
    between them, in order, when their counts agree."""
    rows: dict[int, Entry] = {}
    labelled = [k for k, e in enumerate(found) if e.idx is not None]
    for k in labelled:
        rows[found[k].idx] = found[k]
    bounds = [-1, *labelled, len(found)]
    for a, b in itertools.pairwise(bounds):
        loose = [found[k] for k in range(a + 1, b)
                 if found[k].idx is None and any(t.raw.strip() for t in found[k].toks)]
        if not loose:
            continue
        lo = found[a].idx if a >= 0 else -1
        hi = found[b].idx if b < len(found) else len(specs)
        gap = [i for i in range(lo + 1, hi) if i not in rows]
        full = [e for e in loose if len(as_values(e.toks)) >= ncols]
        for e in loose:
            if e not in full:
                ctx.note("stray_values", f"values {' '.join(t.raw.strip() for t in e.toks)!r} belong to no row; "
                         "ignored", severity="info", status="info")
        if a < 0 and b < len(found):
            gap = gap[-len(full):] if full and len(gap) >= len(full) else gap
        if full and len(full) == len(gap):
            for i, e in zip(gap, full):
                e.idx = i
                rows[i] = e
                ctx.note("detached_label", f"values of row {specs[i].code} were printed apart from its label; "
                         "assigned by row order", row=specs[i].code, severity="info", status="info")
        elif full:
            ctx.note("detached_label", f"{len(full)} rows of values without labels for {len(gap)} empty rows; "
                     "left missing", severity="warning")
    return rows


def _resolve(fitted: dict[int, object], specs, flow: tuple[str, ...], ctx: Ctx) -> None:
    """Choose among ambiguous splits of glued rows with the table's column identities (its
    ``flow``: in + in = total + out, and the other rows add up to total).

    The combinations are walked lazily, and only when their number is within the budget:
    never built as a product in memory."""
    amb = [i for i, f in fitted.items() if isinstance(f, list) and f and isinstance(f[0], list)]
    if not amb:
        return
    codes = [s.code for s in specs]
    idx = {c: i for i, c in enumerate(codes)}
    if len(flow) != 4:
        flow = ("", "", "", "")  # no identity: every ambiguous row stays missing
    outcome = [i for i, c in enumerate(codes) if c not in flow]

    def known(i, combo):
        f = combo.get(i, fitted.get(i))
        if f is None or (isinstance(f, list) and f and isinstance(f[0], list)):
            return None
        return [float(v.raw) if is_number(v.raw) else None for v in f]

    good = []
    if math.prod(len(fitted[i]) for i in amb) <= _budget():
        for combo in itertools.product(*[fitted[i] for i in amb]):
            c = dict(zip(amb, combo))
            ok = True
            rows_ = {i: known(i, c) for i in range(len(codes))}
            pt = rows_.get(idx.get(flow[2]))
            if pt is not None and all(rows_.get(i) is not None for i in outcome):
                sums = [sum(rows_[i][k] or 0 for i in outcome) for k in range(len(pt))]
                ok &= all(abs(s - (p or 0)) < 1e-9 for s, p in zip(sums, pt))
            ids = [rows_.get(idx.get(c_)) for c_ in flow]
            if all(x is not None for x in ids):
                ok &= all(abs((a or 0) + (b or 0) - (p or 0) - (f or 0)) < 1e-9 for a, b, p, f in zip(*ids))
            if ok:
                good.append(c)
                if len(good) > 1:
                    break  # ambiguous already
    if len(good) == 1:
        for i, v in good[0].items():
            fitted[i] = v
            ctx.note("split_digits", f"row {codes[i]}: glued digits split as {'|'.join(x.raw for x in v)} "
                     "(the only split that fits the column sums)", row=codes[i], severity="info", status="info")
    else:
        for i in amb:
            ctx.note("ambiguous_digits", f"row {codes[i]}: {len(fitted[i])} splits of the glued digits fit; "
                     "left missing", row=codes[i])
            fitted[i] = None


def _fixed_records(specs, cols, values, labels) -> Records:
    empty = (NA, NA, NA, NA)
    data = [(s.code, c.code, *values.get((s.code, c.code), empty)[:2], labels.get(s.code, NA),
             *values.get((s.code, c.code), empty)[2:]) for s in specs for c in cols]
    return records(data, APPLICATIONS_COLUMNS)


def read_row_metrics(toks: list[Tok], layout: Layout, spec: TableSpec,
                     region: tuple[int, int] | None) -> tuple[Records, list[Finding]]:
    """Table 二 (active disclosure): each category row with its own metrics."""
    specs = spec.rows
    units = {c.code: c.unit for c in spec.part("metric")}
    ctx = Ctx(spec.table)
    values: dict[tuple[str, str], tuple] = {}
    labels: dict[str, str] = {}
    if region is None:
        ctx.note("table_missing", f"table {spec.table} not found")
    else:
        start, end = region
        match = spec_matcher([s.keys for s in specs], spec.match == "in_order", spec.label_window)
        for e in entries(toks[start:end], match):
            if e.idx is None:
                continue
            row = specs[e.idx]
            labels[row.code] = e.label
            got = fit(as_values(e.toks), len(row.metrics), ctx, row.code, spec.check, "metrics")
            if isinstance(got, list) and got and isinstance(got[0], list):
                ctx.note("ambiguous_digits", f"digits {' '.join(v.raw for v in as_values(e.toks))!r} can be read "
                         f"as {len(got)} different {len(row.metrics)}-cell rows; left missing", row=row.code)
                continue
            for metric, v in zip(row.metrics, got or []):
                values[(row.code, metric)] = (read_value(v, ctx, row.code, metric, units.get(metric)),
                                              v.printed, *_where(v))
        for row in specs:
            if row.code not in labels:
                ctx.note("row_missing", f"row {row.label} not found", row=row.code)
    data = []
    empty = (NA, NA, NA, NA)
    for row in specs:
        for metric in row.metrics:
            value, raw, page, box = values.get((row.code, metric), empty)
            data.append((row.item, row.code, metric, value, raw, labels.get(row.code, NA), page, box))
    return records(data, ACTIVE_COLUMNS), ctx.findings

"""``indicator_tree`` tables (the pre-2019 统计表) and the crosswalk to the later tables.

Free-form numbered indicators (``一、`` ``(一)`` ``1.`` ``(1)`` ``其中:``) become rows with their
parent; the columns (this year, and cumulative when the header says so) come from the spec.
A glued pair (this year | cumulative) is read only when its split is the only well-formed one
and the cumulative value is not below the year's. When the header lacks the optional column's
word but the values read as pairs (``00``), the header is doubted and glued runs stay missing.
"""
from __future__ import annotations

import re

import pandas as pd

from .. import layouts
from ..findings import Finding
from ..layouts import Layout, TableSpec
from ..numbering import LEVEL3, LEVELS
from ..schema import Records, records
from .cells import Ctx, Value, as_values, is_value, read_value
from .digits import fit
from .tokens import Tok, max_label

NA = pd.NA
STATISTICS_COLUMNS = ("indicator", "unit", "column", "value", "raw", "parent", "label", "code", "page", "box")
_SUB = re.compile(r"其中[:：]?")


def _indicator(label: str) -> str:
    m = _SUB.match(label)
    s = label[m.end():] if m else label
    for pat in LEVELS:
        m = pat.match(s)
        if m:
            s = s[m.end():]
    return s


def _start(toks: list[Tok], spec: TableSpec) -> int | None:
    """The table's own header (the last one), not the preamble's mention of a 统计表."""
    for keys in (spec.anchors, spec.fallback_anchors):
        hits = [i for i, t in enumerate(toks) if t.kind != "br" and any(k in t.key for k in keys)]
        if hits:
            return hits[-1]
    return None


def read_indicator_tree(toks: list[Tok], layout: Layout | None = None, spec: TableSpec | None = None,
                        region: tuple[int, int] | None = None) -> tuple[Records, list[Finding]]:
    """The statistics table: one row per indicator and column."""
    ctx = Ctx("statistics")
    if spec is None or not toks:
        return records([], STATISTICS_COLUMNS), ctx.findings
    start = _start(toks, spec)
    if start is None:
        ctx.note("table_missing", f"table {spec.table} not found")
        return records([], STATISTICS_COLUMNS), ctx.findings
    head = "".join(t.key for t in toks[start:start + 12] if t.kind != "br")
    periods = list(spec.columns) + [c for c, word in spec.optional_columns if word in head]
    lost = [c for c, word in spec.optional_columns if word not in head]
    rows = _rows(toks[start:], spec)
    for r in rows:
        r["values"] = as_values(r["vals"])
    doubt = bool(lost) and any(len(r["values"]) == 1 and r["values"][0].glued and _pair_like(r["values"][0].raw)
                               for r in rows)
    if doubt:
        ctx.note("header_doubtful", f"the header names no {'/'.join(lost)} column but rows print pairs of digits "
                 "(such as 00); glued values left missing")
    data = []
    for r in _tree(rows):
        ind, parent, label = r["indicator"], r["parent"], r["label"]
        vals = r["values"]
        if not vals and r["unit"] is None:
            continue  # a group heading
        got: object
        if doubt and any(v.glued and len(v.raw) > 1 for v in vals):
            got = None
        elif vals:
            got = fit(vals, len(periods), ctx, ind, spec.check, "values")
        else:
            got = [Value("")] * len(periods)
        if isinstance(got, list) and got and isinstance(got[0], list):
            ctx.note("ambiguous_digits", f"{ind}: digits {' '.join(v.raw for v in vals)!r} fit "
                     f"{len(got)} splits into {'|'.join(periods)}; left missing", row=ind)
            got = None
        for k, period in enumerate(periods):
            v = got[k] if got else None
            value = read_value(v, ctx, ind, period) if v is not None else NA
            data.append([ind, r["unit"], period, value, v.printed if v is not None else NA, parent, label, NA,
                         v.page if v is not None and v.page is not None else NA,
                         v.box if v is not None and v.box else NA])
    return records(data, STATISTICS_COLUMNS), ctx.findings


def _pair_like(digits: str) -> bool:
    """A run that is no single number but splits into two (``00``, ``012``)."""
    return len(digits) > 1 and digits[0] == "0" and "." not in digits


def _rows(toks: list[Tok], spec: TableSpec) -> list[dict]:
    unit_set = set(layouts.units())
    rows: list[dict] = []
    cur: dict | None = None
    for i, t in enumerate(toks):
        if t.kind == "br":
            continue
        if _is_date(toks, i):
            break  # the signature date (2018年1月23日) ends the table: its digits are no indicator's values
        key = t.key
        if t.kind == "cell" and key in unit_set and cur is not None and cur["unit"] is None:
            cur["unit"] = key
            continue
        if is_value(t):
            if cur is not None:
                cur["vals"].append(t)
            continue
        if t.loose or len(key) > max_label():
            cur = None
            continue
        stripped = True
        while stripped:  # header words glued before the first label
            stripped = False
            for h in spec.header_words:
                if key.startswith(h):
                    key, stripped = key[len(h):], True
        if not key or key.strip(":") == "其中":
            if key:
                cur = {"label": "其中:", "unit": None, "vals": [], "stub": True}
                rows.append(cur)
            continue
        if rows and rows[-1].get("stub"):
            rows.pop()
            key = "其中:" + key
        unit = None
        for u in layouts.units_longest_first():
            if key.endswith(u) and len(key) > len(u) and t.kind == "text":
                key, unit = key[: -len(u)], u
                break
        cur = {"label": key, "unit": unit, "vals": []}
        rows.append(cur)
    return rows


def _is_date(toks: list[Tok], i: int) -> bool:
    """A date starts at token ``i``: a year of four digits, 年, a month, 月 (line ends skipped)."""
    if toks[i].kind != "num" or not (len(toks[i].key) == 4 and toks[i].key[:2] in ("19", "20")):
        return False
    nxt = [t for t in toks[i + 1:i + 8] if t.kind != "br"][:3]
    return (len(nxt) == 3 and nxt[0].key.startswith("年") and nxt[1].kind == "num" and len(nxt[1].key) <= 2
            and nxt[2].key.startswith("月"))


def _tree(rows: list[dict]) -> list[dict]:
    """Each row with its indicator name and parent, from the numbering levels."""
    out = []
    stack: list[tuple[int, str]] = []
    sub_parent: str | None = None
    prev_sub = False
    for r in rows:
        if r.get("stub"):
            continue
        label = r["label"]
        ind = _indicator(label)
        if label.startswith("其中"):
            parent = stack[-1][1] if stack else None
            sub_parent, prev_sub = parent, True
        else:
            level = next((lv for lv, pat in enumerate(LEVELS, 1)
                          if pat.match(label)), 0)
            if level == 0 and prev_sub and sub_parent is not None and not LEVEL3.match(label):
                parent = sub_parent
            elif level == 0:
                stack = [(0, ind)]
                parent, prev_sub = None, False
            else:
                while stack and stack[-1][0] >= level:
                    stack.pop()
                parent = stack[-1][1] if stack else None
                stack.append((level, ind))
                prev_sub = False
        out.append({**r, "indicator": ind, "parent": parent})
    return out


def crosswalk(stats: Records, layout: Layout | None = None) -> tuple[Records, dict[str, list[tuple]]]:
    """Indicators with a counterpart in the later layouts, per target table.

    Returns the statistics with ``code`` (``table:row:column``) and ``mapped`` set on the
    rows it maps, and the mapped cells per target table as
    ``(row, column, value, raw, label, page, box)``.
    """
    columns, rows = stats
    col = {c: i for i, c in enumerate(columns)}
    walk = layout.crosswalk if layout is not None else layouts.crosswalk()
    out: dict[str, list[tuple]] = {"applications": [], "review_litigation": [], "active_disclosure": []}
    seen: set[str] = set()
    first_period = rows[0][col["column"]] if rows else None
    new_rows = []
    for r in rows:
        r = list(r)
        ind, parent = r[col["indicator"]], r[col["parent"]]
        parent = parent if isinstance(parent, str) else ""
        for cw in (walk if r[col["column"]] == first_period else ()):
            if any(key in ind for key in cw["keys"]) and \
                    (not cw["parent_keys"] or any(pk in parent for pk in cw["parent_keys"])):
                if not cw["parent_keys"] and parent and any(key in parent for key in cw["keys"]):
                    break  # a child that merely repeats its parent's words
                code = f"{cw['table']}:{cw['row']}:{cw['column']}"
                if code in seen:
                    break
                seen.add(code)
                r[col["code"]], r[col["mapped"]] = code, True
                out.setdefault(cw["table"], []).append(
                    (cw["row"], cw["column"], r[col["value"]], r[col["raw"]], r[col["label"]],
                     r[col["page"]], r[col["box"]]))
                break
        new_rows.append(tuple(r))
    return (columns, new_rows), out

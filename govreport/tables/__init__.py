"""Read the report's tables into tidy DataFrames with the canonical codes.

The document is first turned into one stream of tokens, whatever its form:

* ``cell``  – a table cell (HTML ``<td>``, a ``|``-delimited piece of text);
* ``text``  – prose or a run of characters between numbers (copies that lost separators);
* ``num``   – a run of digits (possibly several cells glued together, ``640020470``);
* ``br``    – a known row end (``</tr>``, a line holding a whole row).

Each table is then assembled from the stream by anchoring on its row labels (data from
:mod:`govreport.layouts`) and taking the values that follow. Values glued together are
split with the table's own arithmetic; where more than one split fits, the cells stay
missing and a finding says so.
"""
from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass, field
from typing import Callable, Sequence

import pandas as pd

from .. import layouts
from ..findings import Finding, finding
from ..schema import Records, column_dtype, records, to_frame, typed_columns  # noqa: F401
from ..normalize import Normalizer, halfwidth, squash, to_simplified
from ..reader import Document, Grid

NA = pd.NA
_NUM_RUN = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?(?:[ \t\u3000\xa0]+[0-9０-９]+(?:[.．][0-9０-９]+)?)*")
_ITEM_START = re.compile(r"^[.、．]\s*[\u4e00-\u9fff]")
_LONE_NUMBER = re.compile(r"^\s*[0-9０-９]+(?:[.．][0-9０-９]+)?\s*$")
_MD_ROW = re.compile(r"^\s*\|.*\|\s*$")
_MD_SEP = re.compile(r"^\s*\|[\s:|]*-{3,}[\s\-:|]*\|\s*$")
_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
_LIST_RESET = re.compile(r"^(?:\([一二三四五六七八九十]+\)|[一二三四五六七八九十]+、)")
_LIST_ITEM = re.compile(r"^(\d{1,2})[.、]")
_MAX_LABEL = 60
_MAX_SPLITS = 20000


# ---------------------------------------------------------------- tokens
@dataclass
class Tok:
    kind: str  # cell | text | num | br
    raw: str = ""
    key: str = ""  # normalised, no white space, variants fixed
    loose: bool = False  # prose that is never a row label


def tokenize(doc: Document, norm: Normalizer) -> tuple[list[Tok], str]:
    """The document as one token stream, and the mode it was read in."""
    if any(isinstance(b, Grid) for b in doc.blocks):
        toks: list[Tok] = []
        for block in doc.blocks:
            if isinstance(block, Grid):
                for row in block.logical_rows():
                    toks.extend(_cell(c, norm) for c in row)
                    toks.append(Tok("br"))
            else:
                toks.extend(_line_tokens(block, norm))
                toks.append(Tok("br"))
        return _fix_items(toks), "html"
    lines = [b for b in doc.blocks if isinstance(b, str)]
    if sum(bool(_MD_ROW.match(line)) for line in lines) >= 3 and any(_MD_SEP.match(line) for line in lines):
        return _fix_items(_markdown_tokens(lines, norm)), "markdown"
    if sum(line.count("|") for line in lines) >= 10:
        return _pipe_tokens(lines, norm), "pipes"
    # a table copied cell by cell, one cell per line (no separators): line ends are not row ends
    if sum(bool(_LONE_NUMBER.match(line)) for line in lines) >= 20:
        return [Tok("num", line.strip(), halfwidth(line.strip())) if _LONE_NUMBER.match(line) else _cell(line, norm)
                for line in lines if line.strip()], "lines"
    toks = []
    for line in lines:
        toks.extend(_line_tokens(line, norm))
        toks.append(Tok("br"))
    return _fix_items(toks), "glued"


def _cell(raw: str, norm: Normalizer) -> Tok:
    raw = raw.strip()
    key = norm.key(raw)
    return Tok("text", raw, key, loose=True) if len(key) > _MAX_LABEL else Tok("cell", raw, key)


def _line_tokens(line: str, norm: Normalizer) -> list[Tok]:
    out, pos = [], 0
    for m in _NUM_RUN.finditer(line):
        if m.start() > pos:
            out.append(Tok("text", line[pos:m.start()], norm.key(line[pos:m.start()])))
        out.append(Tok("num", m.group(0), halfwidth(m.group(0))))
        pos = m.end()
    if pos < len(line):
        out.append(Tok("text", line[pos:], norm.key(line[pos:])))
    return [t for t in out if t.kind == "num" or t.key]


def _markdown_tokens(lines: list[str], norm: Normalizer) -> list[Tok]:
    toks: list[Tok] = []
    for line in lines:
        if _MD_SEP.match(line):
            toks.append(Tok("br"))
        elif _MD_ROW.match(line):
            toks.extend(_cell(c, norm) for c in line.strip()[1:-1].split("|"))
            toks.append(Tok("br"))
        else:
            line_toks = _line_tokens(line, norm)
            # "2.其他法律…": item numbers are not values
            nums = [t for k, t in enumerate(line_toks) if t.kind == "num" and not (
                k + 1 < len(line_toks) and _ITEM_START.match(line_toks[k + 1].key) and len(t.key) <= 2)]
            if not nums:
                # a label (or a piece of one) whose values were printed elsewhere (PDF)
                toks.append(Tok("text", line, norm.key(line), loose=True))
            else:
                toks.extend(line_toks)
            toks.append(Tok("br"))
    return toks


def _pipe_tokens(lines: list[str], norm: Normalizer) -> list[Tok]:
    """``a | b |`` lines and one-cell-per-line copies: split everything on ``|``.

    A line holding two or more filled cells is a whole row and ends with a ``br``;
    one-cell lines give no row ends (rows are then found by their labels).
    """
    toks: list[Tok] = []
    buf: list[str] = []
    for line in lines:
        if "|" not in line:
            buf.append(line)
            continue
        pieces = line.split("|")
        buf.append(pieces[0])
        toks.append(_cell("\n".join(buf), norm))
        buf = []
        for p in pieces[1:-1]:
            toks.append(_cell(p, norm))
        buf.append(pieces[-1])
        if sum(bool(p.strip()) for p in pieces) >= 2 and not pieces[-1].strip():
            toks.append(Tok("br"))
    if buf:
        toks.append(_cell("\n".join(buf), norm))
    return toks


def _fix_items(toks: list[Tok]) -> list[Tok]:
    """Give item numbers glued onto values back to their labels: ``00000002.其他…`` is the
    run ``0000000`` and the label ``2.其他…``. The number is the one the list expects next."""
    out: list[Tok] = []
    last = 0
    for i, t in enumerate(toks):
        if t.kind == "text":
            if _LIST_RESET.match(t.key):
                last = 0
            m = _LIST_ITEM.match(t.key)
            if m:
                last = int(m.group(1))
        if t.kind == "num" and i + 1 < len(toks) and toks[i + 1].kind == "text" and _ITEM_START.match(toks[i + 1].key):
            digits = t.key.rstrip()
            for expected in (last + 1, 1):
                s = str(expected)
                if digits.endswith(s) and (len(digits) == len(s) or not digits[-len(s) - 1] == "."):
                    nxt = toks[i + 1]
                    toks[i + 1] = Tok("text", s + nxt.raw, s + nxt.key, nxt.loose)
                    rest = digits[: -len(s)].rstrip()
                    if rest:
                        out.append(Tok("num", t.raw[: len(rest)], rest))
                    break
            else:
                out.append(t)
            continue
        out.append(t)
    # adjacent text pieces form one label ("其中:" + "1、当面申请数条")
    merged: list[Tok] = []
    for t in out:
        if t.kind == "text" and merged and merged[-1].kind == "text" and not t.loose and not merged[-1].loose:
            merged[-1] = Tok("text", merged[-1].raw + t.raw, merged[-1].key + t.key)
        else:
            merged.append(t)
    return merged


# ---------------------------------------------------------------- values
@dataclass
class Value:
    raw: str
    value: object = NA  # float or NA
    glued: bool = False  # a digit run that may hold several cells


@dataclass
class Ctx:
    """What one table's assembly noticed."""

    table: str
    findings: list[Finding] = field(default_factory=list)

    def note(self, check: str, message: str, *, row: str | None = None, column: str | None = None,
             severity: str = "warning", status: str = "fail", reported=None) -> None:
        self.findings.append(finding(check, message, table=self.table, row=row, column=column,
                                     severity=severity, status=status, reported=reported))


def parse_cell(raw: str, ctx: Ctx, row: str | None, column: str | None, unit: str | None = None):
    """A printed cell → number or NA, noting placeholders, units, typos."""
    if raw.isdigit() and raw.isascii() and (len(raw) == 1 or raw[0] != "0"):
        return float(raw)  # the common case: a plain count
    text = squash(halfwidth(raw or "")).replace(",", "")
    if not text.isascii():  # units may be printed in traditional script (0項)
        text = to_simplified(text)
    if text == "":
        return NA
    if text in layouts.placeholders():
        ctx.note("placeholder", f"cell {raw!r} means not reported; read as missing", row=row, column=column,
                 severity="info", status="info")
        return NA
    number, found_unit = text, None
    for u in sorted(layouts.units(), key=len, reverse=True):
        if text.endswith(u) and _NUMBER.match(text[: -len(u)]):
            number, found_unit = text[: -len(u)], u
            break
    if not _NUMBER.match(number):
        ctx.note("unparsed_cell", f"cell {raw!r} is not a number; read as missing", row=row, column=column)
        return NA
    value = float(number)
    if len(number) > 1 and number[0] == "0" and "." not in number:
        ctx.note("leading_zero", f"cell printed as {raw!r} (typo?); read as {int(value)}", row=row,
                 column=column, reported=value)
    if found_unit:
        kind, factor = layouts.units()[found_unit]
        if unit and found_unit != unit and kind == "money":
            ctx.note("unit_conflict", f"cell {raw!r} is in {found_unit} but the column is in {unit}; "
                     f"left missing rather than rescaled", row=row, column=column, reported=value)
            return NA
        ctx.note("unit_in_cell", f"unit {found_unit!r} stripped from cell {raw!r}", row=row, column=column,
                 severity="info", status="info")
    return value


def is_value(t: Tok) -> bool:
    """A number, a number with a unit, a placeholder or a blank cell."""
    if t.kind == "num":
        return True
    return t.kind == "cell" and _value_key(t.key)


@functools.lru_cache(maxsize=1 << 14)
def _value_key(key: str) -> bool:
    text = key.replace(",", "")
    if text == "" or text in layouts.placeholders() or _NUMBER.match(text):
        return True
    return any(text.endswith(u) and _NUMBER.match(text[: -len(u)]) for u in layouts.units())


def as_values(toks: Sequence[Tok]) -> list[Value]:
    out = []
    for t in toks:
        if t.kind == "num":
            out.extend(Value(c, glued=True) for c in t.key.split())
        else:
            out.append(Value(t.raw))
    return out


# ---------------------------------------------------------------- splitting glued digits
@functools.lru_cache(maxsize=4096)
def _cuts(s: str) -> tuple[str, ...]:
    """Prefixes of a digit run that are well-formed printed numbers."""
    out = []
    for j in range(1, len(s) + 1):
        p = s[:j]
        if p.endswith(".") or (j < len(s) and s[j] == "."):
            continue
        if len(p) > 1 and p[0] == "0" and not p.startswith("0."):
            break
        if p.count(".") > 1:
            break
        out.append(p)
    return tuple(out)


def _number_ok(s: str) -> bool:
    return bool(s) and s in _cuts(s)


def splits(chunks: Sequence[str], n: int, ok: Callable[[list[float]], bool] | None = None,
           limit: int = _MAX_SPLITS) -> list[list[str]] | None:
    """All ways to cut the digit runs ``chunks`` into ``n`` printed numbers that pass ``ok``.

    A number never has a leading zero (``0`` alone is fine) and a decimal point stays
    inside one number. Returns None when the search is too large to be trusted.
    """
    results: list[list[str]] = []
    count = 0
    tail = [sum(len(c) for c in chunks[i + 1:]) for i in range(len(chunks))]

    def rec(ci: int, rest: str, acc: list[str]) -> bool:
        nonlocal count
        count += 1
        if count > limit:
            return False
        if not rest:
            if ci + 1 < len(chunks):
                return rec(ci + 1, chunks[ci + 1], acc)
            if len(acc) == n and (ok is None or ok([float(a) for a in acc])):
                results.append(list(acc))
            return True
        left = n - len(acc)  # parts still to cut
        if left < len(chunks) - ci or left > len(rest) + tail[ci]:
            return True
        if left == 1:  # the rest of this (last) chunk is the last number
            if ci + 1 == len(chunks) and _number_ok(rest):
                acc.append(rest)
                rec(ci, "", acc)
                acc.pop()
            return True
        for p in _cuts(rest):
            acc.append(p)
            if not rec(ci, rest[len(p):], acc):
                return False
            acc.pop()
        return True

    if not chunks:
        return []
    if not rec(0, chunks[0], []):
        return None
    return results


def row_sum_ok(v: list[float]) -> bool:
    return abs(sum(v[:-1]) - v[-1]) < 1e-9


def blocks_ok(v: list[float], size: int = 5) -> bool:
    return all(row_sum_ok(v[i:i + size]) for i in range(0, len(v), size))


def cumulative_ok(v: list[float]) -> bool:
    return all(v[i] <= v[i + 1] for i in range(len(v) - 1))


# ---------------------------------------------------------------- regions
def _find(toks: list[Tok], keys: Sequence[str], start: int = 0, end: int | None = None) -> int | None:
    end = len(toks) if end is None else end
    for i in range(start, end):
        if toks[i].kind != "br" and any(k in toks[i].key for k in keys):
            return i
    return None


def _label_key(t: Tok, size: int = _MAX_LABEL) -> str:
    """The part of a token that may be a row label: a whole short cell, or the end of a
    run of text that precedes its values (copies that lost their separators)."""
    if t.kind == "cell":
        return t.key if len(t.key) <= _MAX_LABEL else ""
    return t.key[-size:]


@dataclass
class Entry:
    idx: int | None
    label: str | None
    toks: list[Tok] = field(default_factory=list)


def _entries(toks: list[Tok], match: Callable[[Tok], int | None]) -> list[Entry]:
    """Rows of a table: a label and the values after it, up to the next label, text or row end."""
    entries: list[Entry] = []
    cur: Entry | None = None
    for t in toks:
        if t.kind == "br":
            cur = None
            continue
        value = is_value(t)
        if not value and t.kind in ("cell", "text") and not t.loose and t.key:
            idx = match(t)
            if idx is not None:
                cur = Entry(idx, t.raw.strip())
                entries.append(cur)
                continue
        if value:
            if cur is None:
                cur = Entry(None, None)
                entries.append(cur)
            cur.toks.append(t)
        elif cur is not None and any(x.kind == "num" or x.key for x in cur.toks):
            cur = None
    return entries


def _fit(values: list[Value], n: int, ctx: Ctx, row: str, ok=None, what: str = "cells") -> list[Value] | list[list[Value]] | None:
    """Make ``values`` exactly ``n`` cells: trim spare blanks, or split glued digit runs.

    Returns the n values, a list of candidate n-value lists when a split is ambiguous,
    or None when the row cannot be read.
    """
    vals = list(values)
    while len(vals) > n and not vals[-1].raw.strip():
        vals.pop()
    while len(vals) > n and not vals[0].raw.strip():
        vals.pop(0)
    if len(vals) == n:
        return vals
    if len(vals) > n:
        ctx.note("cell_count", f"row has {len(vals)} {what}, expected {n}; left missing", row=row)
        return None
    if not vals or not all(v.glued for v in vals):
        ctx.note("cell_count", f"row has {len(vals)} of {n} {what}; left missing", row=row)
        return None
    chunks = [v.raw for v in vals]
    found = splits(chunks, n, ok)
    if found is None:
        ctx.note("ambiguous_digits", f"digits {' '.join(chunks)!r} allow too many splits into {n} {what}; "
                 "left missing", row=row)
        return None
    if not found:
        ctx.note("unsplittable_digits", f"digits {' '.join(chunks)!r} cannot be split into {n} {what} "
                 "that add up; left missing", row=row)
        return None
    cands = [[Value(p, glued=True) for p in f] for f in found]
    return cands[0] if len(cands) == 1 else cands


# ---------------------------------------------------------------- table 三
def read_applications(toks: list[Tok], layout: str) -> tuple[Records, list[Finding], tuple[int, int] | None]:
    specs = layouts.rows(layout, "applications")
    cols = layouts.columns(layout, "applications")
    ctx = Ctx("applications")
    start = _find(toks, ("勾稽关系", "申请人情况"))
    if start is None:
        start = _find(toks, specs[0].keys)
    if start is None:
        ctx.note("table_missing", "table 三 (applications) not found", severity="warning")
        return _applications_records(specs, cols, {}, {}), ctx.findings, None
    end = _find(toks, ("行政复议",), start + 1) or len(toks)

    cursor = [-1]

    def match(t: Tok) -> int | None:
        key = _label_key(t)
        for i in range(cursor[0] + 1, len(specs)):
            if any(k in key for k in specs[i].keys):
                cursor[0] = i
                return i
        return None

    entries = _entries(toks[start:end], match)
    # stop after the last row of the table
    last = max((k for k, e in enumerate(entries) if e.idx == len(specs) - 1), default=None)
    if last is not None:
        entries = entries[: last + 1]
    rows: dict[int, Entry] = {}
    labelled = [k for k, e in enumerate(entries) if e.idx is not None]
    for k in labelled:
        rows[entries[k].idx] = entries[k]
    # rows whose labels were printed apart from their values (PDF extraction): values
    # without a label between two labelled rows fill the empty rows between them, in order
    bounds = [-1, *labelled, len(entries)]
    for a, b in zip(bounds, bounds[1:]):
        loose = [entries[k] for k in range(a + 1, b)
                 if entries[k].idx is None and any(t.raw.strip() for t in entries[k].toks)]
        if not loose:
            continue
        lo = entries[a].idx if a >= 0 else -1
        hi = entries[b].idx if b < len(entries) else len(specs)
        gap = [i for i in range(lo + 1, hi) if i not in rows]
        full = [e for e in loose if len(as_values(e.toks)) >= len(cols)]
        for e in loose:
            if e not in full:
                ctx.note("stray_values", f"values {' '.join(t.raw.strip() for t in e.toks)!r} belong to no row; ignored",
                         severity="info", status="info")
        if a < 0 and b < len(entries):
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

    fitted: dict[int, object] = {}
    for i, e in rows.items():
        fitted[i] = _fit(as_values(e.toks), len(cols), ctx, specs[i].code, row_sum_ok)
    _resolve(fitted, specs, ctx)
    values: dict[tuple[str, str], object] = {}
    raws: dict[tuple[str, str], str] = {}
    for i, got in fitted.items():
        code = specs[i].code
        if not isinstance(got, list) or (got and isinstance(got[0], list)):
            continue
        blanks = []
        for col, v in zip(cols, got):
            raws[(code, col.code)] = v.raw.strip()
            values[(code, col.code)] = parse_cell(v.raw, ctx, code, col.code)
            if not v.raw.strip():
                blanks.append(col.code)
        if blanks:
            ctx.note("blank_cell", f"blank cells read as missing: {', '.join(blanks)}", row=code,
                     severity="info", status="info")
    for i, spec in enumerate(specs):
        if i not in rows:
            ctx.note("row_missing", f"row {spec.label} not found", row=spec.code)
    labels = {specs[i].code: e.label for i, e in rows.items()}
    return _applications_records(specs, cols, values, raws, labels), ctx.findings, (start, end)


def _resolve(fitted: dict[int, object], specs, ctx: Ctx) -> None:
    """Choose among ambiguous splits of glued rows with the column identities of table 三."""
    amb = [i for i, f in fitted.items() if isinstance(f, list) and f and isinstance(f[0], list)]
    if not amb:
        return
    codes = [s.code for s in specs]
    idx = {c: i for i, c in enumerate(codes)}
    outcome = [i for i, c in enumerate(codes) if c not in ("new_received", "carried_over", "processed_total",
                                                             "carried_forward")]

    def known(i, combo):
        f = combo.get(i, fitted.get(i))
        if f is None or (isinstance(f, list) and f and isinstance(f[0], list)):
            return None
        return [float(v.raw) if _NUMBER.match(v.raw) else None for v in f]

    combos = list(itertools.product(*[fitted[i] for i in amb]))
    good = []
    if len(combos) <= _MAX_SPLITS:
        for combo in combos:
            c = dict(zip(amb, combo))
            ok = True
            rows_ = {i: known(i, c) for i in range(len(codes))}
            pt = rows_.get(idx.get("processed_total"))
            if pt is not None and all(rows_.get(i) is not None for i in outcome):
                sums = [sum(rows_[i][k] or 0 for i in outcome) for k in range(len(pt))]
                ok &= all(abs(s - (p or 0)) < 1e-9 for s, p in zip(sums, pt))
            ids = [rows_.get(idx.get(c_)) for c_ in ("new_received", "carried_over", "processed_total",
                                                     "carried_forward")]
            if all(x is not None for x in ids):
                ok &= all(abs((a or 0) + (b or 0) - (p or 0) - (f or 0)) < 1e-9 for a, b, p, f in zip(*ids))
            if ok:
                good.append(c)
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


def _applications_records(specs, cols, values, raws, labels=None) -> Records:
    labels = labels or {}
    data = [(s.code, c.code, values.get((s.code, c.code), NA), raws.get((s.code, c.code), NA), labels.get(s.code, NA))
            for s in specs for c in cols]
    return records(data, ["row", "applicant", "value", "raw", "label"])


# ---------------------------------------------------------------- table 二
def read_active_disclosure(toks: list[Tok], layout: str, end: int | None) -> tuple[Records, list[Finding]]:
    specs = layouts.rows(layout, "active_disclosure")
    units = {c.code: c.unit for c in layouts.columns(layout, "active_disclosure.metric")}
    ctx = Ctx("active_disclosure")
    start = _find(toks, ("第二十条第",), 0, end)
    data = []
    values: dict[tuple[str, str], tuple[object, str]] = {}
    labels: dict[str, str] = {}
    if start is None:
        ctx.note("table_missing", "table 二 (active disclosure) not found")
    else:
        taken: set[int] = set()

        def match(t: Tok) -> int | None:
            key = _label_key(t, 24)
            for i, s in enumerate(specs):
                if i not in taken and any(k in key for k in s.keys):
                    taken.add(i)
                    return i
            return None

        for e in _entries(toks[start:end], match):
            if e.idx is None:
                continue
            spec = specs[e.idx]
            labels[spec.code] = e.label
            got = _fit(as_values(e.toks), len(spec.metrics), ctx, spec.code, None, "metrics")
            if isinstance(got, list) and got and isinstance(got[0], list):
                ctx.note("ambiguous_digits", f"digits {' '.join(v.raw for v in as_values(e.toks))!r} can be read as "
                         f"{len(got)} different {len(spec.metrics)}-cell rows; left missing", row=spec.code)
                continue
            if not got:
                continue
            for metric, v in zip(spec.metrics, got):
                values[(spec.code, metric)] = (parse_cell(v.raw, ctx, spec.code, metric, units.get(metric)), v.raw.strip())
        for spec in specs:
            if spec.code not in labels:
                ctx.note("row_missing", f"row {spec.label} not found", row=spec.code)
    for spec in specs:
        for metric in spec.metrics:
            value, raw = values.get((spec.code, metric), (NA, NA))
            data.append((spec.item, spec.code, metric, value, raw, labels.get(spec.code, NA)))
    return records(data, ["item", "category", "metric", "value", "raw", "label"]), ctx.findings


# ---------------------------------------------------------------- table 四
_REVIEW_HEADER = ("结果", "总计", "审结", "维持", "纠正", "起诉", "复议", "诉讼", "尚未", "其他")


def read_review_litigation(toks: list[Tok], layout: str, start: int | None,
                           mode: str = "") -> tuple[Records, list[Finding]]:
    procs = [c.code for c in layouts.columns(layout, "review_litigation.procedure")]
    outs = [c.code for c in layouts.columns(layout, "review_litigation.outcome")]
    ctx = Ctx("review_litigation")
    n = len(procs) * len(outs)
    values: dict[tuple[str, str], tuple[object, str]] = {}
    begin = _find(toks, ("行政复议",), start or 0)
    row: list[Tok] | None = None
    if begin is not None:
        stop = _find(toks, ("存在的主要问题", "存在问题", "主要问题", "改进情况"), begin + 1) or len(toks)
        header = False
        cur: list[Tok] = []
        # the data row: the first run of values (up to a row end or text) after the header words
        for t in toks[begin:stop]:
            if is_value(t):
                cur.append(t)
                continue
            if header and _has_number(cur):
                row = cur
                break
            cur = []
            if t.kind in ("cell", "text") and any(h in t.key for h in _REVIEW_HEADER):
                header = True
        else:
            if header and _has_number(cur):
                row = cur
    if row is None:
        ctx.note("table_missing", "table 四 (review and litigation) values not found")
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
            got = _fit(vals, n, ctx, "review_litigation", blocks_ok)
            if isinstance(got, list) and got and isinstance(got[0], list):
                ctx.note("ambiguous_digits", f"{len(got)} splits of {' '.join(v.raw for v in vals)!r} fit the "
                         "totals; left missing")
                got = None
        for k, v in enumerate(got or []):
            if v is None:
                continue
            p, o = procs[k // len(outs)], outs[k % len(outs)]
            values[(p, o)] = (parse_cell(v.raw, ctx, p, o), v.raw.strip())
    data = [(p, o, *values.get((p, o), (NA, NA))) for p in procs for o in outs]
    return records(data, ["procedure", "outcome", "value", "raw"]), ctx.findings


def _has_number(toks: list[Tok]) -> bool:
    return any(t.kind == "num" or _NUMBER.match(t.key) for t in toks)


def _partial_blocks(vals: list[Value], procs, outs, ctx: Ctx) -> list[Value | None]:
    """A short table-四 row: keep leading blocks whose parts add up to their total."""
    size = len(outs)
    got: list[Value | None] = [None] * (len(procs) * size)
    kept = []
    for b, proc in enumerate(procs):
        block = vals[b * size:(b + 1) * size]
        nums = [float(squash(v.raw) or "nan") if _NUMBER.match(squash(v.raw) or "x") else None for v in block]
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


# ---------------------------------------------------------------- pre-2019 statistics
_LEVEL1 = re.compile(r"^[一二三四五六七八九十]+、")
_LEVEL2 = re.compile(r"^\([一二三四五六七八九十]+\)")
_LEVEL3 = re.compile(r"^\d{1,2}[.、]")
_LEVEL4 = re.compile(r"^\(\d{1,2}\)")
_STAT_HEADER = ("统计指标", "指标名称", "计量单位", "单位", "统计数", "历年累计", "本年度", "年度")


def _indicator(label: str) -> str:
    s = re.sub(r"^其中[:：]?", "", label)
    for pat in (_LEVEL1, _LEVEL2, _LEVEL3, _LEVEL4):
        s = pat.sub("", s)
    return s


def read_statistics(toks: list[Tok]) -> tuple[Records, list[Finding]]:
    ctx = Ctx("statistics")
    cols = ["indicator", "unit", "column", "value", "raw", "parent", "label", "code"]
    # the table's own header, not the preamble's mention of a 统计表
    hits = [i for i, t in enumerate(toks) if t.kind != "br" and ("统计指标" in t.key or "指标名称" in t.key)]
    hits = hits or [i for i, t in enumerate(toks) if t.kind != "br" and "统计表" in t.key]
    if not hits:
        return records([], cols), ctx.findings
    start = hits[-1]
    head = "".join(t.key for t in toks[start:start + 12] if t.kind != "br")
    periods = ["year", "cumulative"] if "累计" in head else ["year"]
    unit_set = set(layouts.units())
    rows: list[dict] = []
    cur: dict | None = None
    for t in toks[start:]:
        if t.kind == "br":
            continue
        key = t.key
        if t.kind == "cell" and key in unit_set and cur is not None and cur["unit"] is None:
            cur["unit"] = key
            continue
        if is_value(t):
            if cur is not None:
                cur["vals"].append(t)
            continue
        if t.loose or len(key) > _MAX_LABEL:
            cur = None
            continue
        stripped = True
        while stripped:  # header words glued before the first label
            stripped = False
            for h in _STAT_HEADER:
                if key.startswith(h):
                    key, stripped = key[len(h):], True
        if not key or key.strip(":") == "其中":
            if key:
                pending = "其中:"
                cur = {"label": pending, "unit": None, "vals": [], "stub": True}
                rows.append(cur)
            continue
        if rows and rows[-1].get("stub"):
            rows.pop()
            key = "其中:" + key
        unit = None
        for u in sorted(unit_set, key=len, reverse=True):
            if key.endswith(u) and len(key) > len(u) and t.kind == "text":
                key, unit = key[: -len(u)], u
                break
        cur = {"label": key, "unit": unit, "vals": []}
        rows.append(cur)
    data = []
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
            level = next((lv for lv, pat in ((1, _LEVEL1), (2, _LEVEL2), (3, _LEVEL3), (4, _LEVEL4))
                          if pat.match(label)), 0)
            if level == 0 and prev_sub and sub_parent is not None and not _LEVEL3.match(label):
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
        vals = as_values(r["vals"])
        if not vals and r["unit"] is None:
            continue  # a group heading
        got = _fit(vals, len(periods), ctx, ind, cumulative_ok, "values") if vals else [Value("")] * len(periods)
        if isinstance(got, list) and got and isinstance(got[0], list):
            ctx.note("ambiguous_digits", f"{ind}: digits {' '.join(v.raw for v in vals)!r} fit "
                     f"{len(got)} splits into {'|'.join(periods)}; left missing", row=ind)
            got = None
        for k, period in enumerate(periods):
            v = got[k] if got else None
            value = parse_cell(v.raw, ctx, ind, period) if v is not None else NA
            data.append([ind, r["unit"], period, value, v.raw.strip() if v is not None else NA, parent, label, NA])
    return records(data, cols), ctx.findings


def crosswalk(stats: Records) -> tuple[Records, dict[str, list[tuple]]]:
    """pre-2019 indicators with a counterpart in the later layouts, per target table.

    Returns the statistics with ``code`` (``table:row:column``) and ``mapped`` set on the
    rows it maps, and the mapped cells per target table.
    """
    columns, rows = stats
    col = {c: i for i, c in enumerate(columns)}
    out: dict[str, list[tuple]] = {"applications": [], "review_litigation": [], "active_disclosure": []}
    seen: set[str] = set()
    first_period = rows[0][col["column"]] if rows else None
    new_rows = []
    for r in rows:
        r = list(r)
        ind, parent = r[col["indicator"]], r[col["parent"]]
        parent = parent if isinstance(parent, str) else ""
        for cw in (layouts.crosswalk() if r[col["column"]] == first_period else ()):
            if any(key in ind for key in cw["keys"]) and \
                    (not cw["parent_keys"] or any(pk in parent for pk in cw["parent_keys"])):
                if not cw["parent_keys"] and parent and any(key in parent for key in cw["keys"]):
                    break  # a child that merely repeats its parent's words
                code = f"{cw['table']}:{cw['row']}:{cw['column']}"
                if code in seen:
                    break
                seen.add(code)
                r[col["code"]], r[col["mapped"]] = code, True
                out[cw["table"]].append((cw["row"], cw["column"], r[col["value"]], r[col["raw"]], r[col["label"]]))
                break
        new_rows.append(tuple(r))
    return (columns, new_rows), out

"""Split runs of glued digits into printed numbers, with a budget.

Copies that lost their cell separators print a row as one run (``640020470``). The run is cut
into the row's number of cells; a cut is kept only when the table's own arithmetic forces it.
An equality (a row total, block totals) may choose among well-formed cuts; an inequality
(cumulative ≥ this year) may only confirm a cut that is the only well-formed one. The search is
lazy, depth-first, pruned by the longest printed number, and stops after a budget of steps
(``common/settings.csv``: ``max_splits``) with "too many" rather than building products.
"""
from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

from .. import layouts
from .cells import NA, Ctx, Value

_LIMITS = layouts.reading_settings()


def _budget() -> int:
    return _LIMITS.max_splits


def _max_digits() -> int:
    return _LIMITS.max_digits


def _number_ends(s: str, start: int, maxd: int) -> list[int]:
    """Ends ``j`` such that ``s[start:j]`` is a well-formed printed number: no leading zero
    (``0`` and ``0.5`` are fine), at most one decimal point and never at either end, at most
    ``maxd`` digits. At most ``maxd`` ends, whatever the run's length."""
    n, dots, digits = len(s), 0, 0
    out = []
    if s[start] == "0" and (start + 1 == n or s[start + 1] != "."):
        return [start + 1]  # a leading zero is the number 0 alone
    for j in range(start + 1, min(n, start + maxd + 2) + 1):
        if s[j - 1] == ".":
            dots += 1
            if dots > 1:
                break
            continue
        digits += 1
        if digits > maxd:
            break
        if j < n and s[j] == ".":
            continue
        out.append(j)
    return out


def number_ok(s: str) -> bool:
    """Whether ``s`` is one well-formed printed number."""
    return bool(s) and any(j == len(s) for j in _number_ends(s, 0, _max_digits()))


def splits(chunks: Sequence[str], n: int, ok: Callable[[list[float]], bool] | None = None,
           limit: int | None = None) -> list[list[str]] | None:
    """The ways to cut the digit runs ``chunks`` into ``n`` printed numbers that pass ``ok``.

    Depth-first over number ends (depth at most ``n`` plus the number of runs), pruned when the
    digits left cannot make the numbers left. Returns None when the search needs more than
    ``limit`` steps (too many to trust).
    """
    if not chunks:
        return []
    limit = _budget() if limit is None else limit
    maxd = _max_digits()
    tail = [sum(len(c) for c in chunks[i + 1:]) for i in range(len(chunks))]
    results: list[list[str]] = []
    acc: list[str] = []
    memo: dict[tuple[int, int], list[int]] = {}  # local to this search: freed with it
    steps, nch, width = 0, len(chunks), maxd + 1

    def rec(ci: int, pos: int) -> None:
        """Cut numbers from run ``ci`` at ``pos`` (never at its end)."""
        nonlocal steps
        steps += 1
        if steps > limit:
            raise _OverBudget
        s = chunks[ci]
        size = len(s)
        left, remaining = n - len(acc), size - pos + tail[ci]
        if left < nch - ci or left > remaining or remaining > left * width:
            return
        ends = memo.get((ci, pos))
        if ends is None:
            ends = memo[(ci, pos)] = _number_ends(s, pos, maxd)
        last = ci + 1 == nch
        if left == 1:  # the rest of this (last) run must be the last number
            if last and size in ends:
                acc.append(s[pos:])
                if ok is None or ok([float(a) for a in acc]):
                    results.append(list(acc))
                acc.pop()
            return
        for j in ends:
            acc.append(s[pos:j])
            if j < size:
                rec(ci, j)
            elif not last:
                rec(ci + 1, 0)
            acc.pop()

    try:
        rec(0, 0)
    except _OverBudget:
        return None
    return results


class _OverBudget(Exception):
    """The split search ran out of steps."""


def row_sum_ok(v: list[float]) -> bool:
    """The last cell is the sum of the others (table 三's 总计 column)."""
    return abs(sum(v[:-1]) - v[-1]) < 1e-9


def blocks_ok(v: list[float], size: int = 5) -> bool:
    """Each block of ``size`` cells ends with its total (table 四)."""
    return all(row_sum_ok(v[i:i + size]) for i in range(0, len(v), size))


def cumulative_ok(v: list[float]) -> bool:
    """Cumulative counts never fall below this year's (pre-2019 pairs)."""
    return all(v[i] <= v[i + 1] for i in range(len(v) - 1))


#: check name (``tables.csv``) → (test, whether it is an equality that may choose a split)
CHECKS: dict[str, tuple[Callable[[list[float]], bool], bool]] = {
    "row_sum": (row_sum_ok, True), "blocks": (blocks_ok, True), "cumulative": (cumulative_ok, False)}


class _Shown:
    """The digits as a finding prints them (at most 60 characters), built only when printed."""

    def __init__(self, chunks: list[str]):
        self.chunks = chunks

    def __repr__(self) -> str:
        text = " ".join(self.chunks)
        return repr(text if len(text) <= 60 else text[:60] + "…")


def fit(values: list[Value], n: int, ctx: Ctx, row: str, check: str = "",
        what: str = "cells", block: int = 5) -> list[Value] | list[list[Value]] | None:
    """Make ``values`` exactly ``n`` cells: trim spare blanks, or split glued digit runs
    (``block``: the block size of a ``blocks`` check).

    Returns the n values, a list of candidate n-value lists when several splits fit, or None
    when the row cannot be read (with a finding).
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
    shown = _Shown(chunks)
    test, may_choose = CHECKS.get(check, (None, False))
    if check == "blocks":
        test = functools.partial(blocks_ok, size=block)
    found = splits(chunks, n, test if may_choose else None)
    if found is None:
        ctx.note("ambiguous_digits", f"digits {shown!r} allow too many splits into {n} {what}; left missing",
                 row=row)
        return None
    if not may_choose and test is not None:
        if len(found) > 1:
            ctx.note("ambiguous_digits", f"digits {shown!r} can be split into {n} {what} in {len(found)} ways "
                     f"and the table's arithmetic ({check}) does not force one; left missing", row=row)
            return None
        found = [f for f in found if test([float(a) for a in f])]
    if not found:
        ctx.note("unsplittable_digits", f"digits {shown!r} cannot be split into {n} {what} "
                 "that add up; left missing", row=row)
        return None
    first = vals[0]
    cands = [[Value(p, NA, True, first.page, first.box, first.conf) for p in f] for f in found]
    return cands[0] if len(cands) == 1 else cands

"""Where a table is in the token stream, and its rows: a label and the values after it.

Start, end and fallback anchors come from the layout's ``tables.csv`` (a :class:`TableSpec`);
one table's region may start after, or end at, another's. Every scan here is one pass over the
tokens (linear in the report's length).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ..layouts import TableSpec
from .cells import is_value
from .tokens import Tok, max_label


def find(toks: list[Tok], keys: Sequence[str], start: int = 0, end: int | None = None) -> int | None:
    """Index of the first token from ``start`` whose key holds one of ``keys``."""
    end = len(toks) if end is None else end
    if not keys:
        return None
    for i in range(start, end):
        if toks[i].kind != "br" and any(k in toks[i].key for k in keys):
            return i
    return None


def locate(toks: list[Tok], spec: TableSpec, regions: dict[str, tuple[int, int]]) -> tuple[int, int] | None:
    """``(start, end)`` of a table's region, or None when its anchors are absent.

    ``regions`` holds the regions of the tables read before this one (``after``/``ends_at``).
    """
    lo = regions[spec.after][1] if spec.after in regions else 0
    hi = regions[spec.ends_at][0] if spec.ends_at in regions else None
    start = find(toks, spec.anchors, lo, hi)
    if start is None:
        start = find(toks, spec.fallback_anchors, lo, hi)
    if start is None:
        return None
    end = find(toks, spec.end_anchors, start + 1, hi) if spec.end_anchors else None
    return start, end if end is not None else (hi if hi is not None else len(toks))


def label_key(t: Tok, size: int | None = None) -> str:
    """The part of a token that may be a row label: a whole short cell, or the end of a
    run of text that precedes its values (copies that lost their separators)."""
    limit = max_label()
    if t.kind == "cell":
        return t.key if len(t.key) <= limit else ""
    return t.key[-(size or limit):]


@dataclass
class Entry:
    idx: int | None
    label: str | None
    toks: list[Tok] = field(default_factory=list)
    filled: bool = False  # holds a number or a non-blank cell


def entries(toks: list[Tok], match: Callable[[Tok], int | None]) -> list[Entry]:
    """Rows of a table: a label and the values after it, up to the next label, text or row end."""
    out: list[Entry] = []
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
                out.append(cur)
                continue
        if value:
            if cur is None:
                cur = Entry(None, None)
                out.append(cur)
            cur.toks.append(t)
            cur.filled = cur.filled or t.kind == "num" or bool(t.key)
        elif cur is not None and cur.filled:
            cur = None
    return out


def spec_matcher(keys: Sequence[tuple[str, ...]], in_order: bool, window: int) -> Callable[[Tok], int | None]:
    """A label matcher over the rows' keys: in printed order (each row after the last matched)
    or in any order (each row once)."""
    taken: set[int] = set()
    cursor = [-1]

    def in_order_match(t: Tok) -> int | None:
        key = label_key(t, window)
        for i in range(cursor[0] + 1, len(keys)):
            if any(k in key for k in keys[i]):
                cursor[0] = i
                return i
        return None

    def any_order_match(t: Tok) -> int | None:
        key = label_key(t, window)
        for i, row_keys in enumerate(keys):
            if i not in taken and any(k in key for k in row_keys):
                taken.add(i)
                return i
        return None

    return in_order_match if in_order else any_order_match

"""Script normalisation of agency names and report texts (NFKC, traditional → simplified)
that keeps division names already correct in simplified script (乾县, 乾安县)."""
from __future__ import annotations

import re
import unicodedata
from functools import cache

from .divisions import _scan_name, _t2s

_DROP_RE = re.compile(r"[\s\u3000（）()【】\[\]《》<>〈〉“”\"'‘’·•]+")


def _normalize_text(s: str) -> str:
    """NFKC, and traditional -> simplified when the text is mostly traditional.

    A simplified text is left alone: OpenCC would also rewrite simplified
    characters that double as traditional ones (乾县 -> 干县).
    """
    s = unicodedata.normalize("NFKC", s)
    conv = _t2s()
    if conv is None:
        return s
    out = conv.convert(s)
    if len(out) != len(s):
        return out
    changed = sum(1 for a, b in zip(s, out) if a != b)
    return out if changed >= max(2, len(s) // 200) else s


@cache
def _convertible_chars() -> frozenset[str]:
    """CJK characters that OpenCC t2s rewrites (a cheap pre-filter for names)."""
    conv = _t2s()
    if conv is None:
        return frozenset()
    chars = [chr(c) for c in range(0x3400, 0xA000)] + [chr(c) for c in range(0xF900, 0xFB00)]
    block = "\n".join(chars)
    out = conv.convert(block).split("\n")
    if len(out) != len(chars):  # pragma: no cover - defensive
        return frozenset(chars)
    return frozenset(a for a, b in zip(chars, out) if a != b)


def _clean_name(name: str) -> str:
    """NFKC, drop spaces/brackets/quotes, and convert traditional script while
    keeping division names that are already correct (乾县, 乾安县)."""
    s = _DROP_RE.sub("", unicodedata.normalize("NFKC", name))
    conv = _t2s()
    if conv is None or not s or _convertible_chars().isdisjoint(s):
        return s
    out = conv.convert(s)
    if out == s:
        return s
    parts, pos = [], 0
    for m in _scan_name(s):
        parts.append(conv.convert(s[pos : m.start]))
        parts.append(s[m.start : m.end])
        pos = m.end
    parts.append(conv.convert(s[pos:]))
    return "".join(parts)

"""Normalise the script and the characters of a report.

Mirror sites glue pinyin after some characters (``依據(jù)``); some reports are in
traditional script; many use full-width digits and punctuation. Everything downstream
matches labels on the normalised form, while the original text is kept for ``raw``.
"""
from __future__ import annotations

import functools
import re
import threading
import unicodedata

from . import layouts

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# A pinyin syllable glued after a character carries a tone mark: 據(jù), 網(wǎng).
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
_PINYIN = re.compile(rf"(?<=[{_CJK}])[(（](?=[a-z{_TONED}]{{0,6}}[{_TONED}])[a-z{_TONED}]{{1,7}}[)）]")
_CJK_RE = re.compile(f"[{_CJK}]")
_WS = re.compile(r"[\s\u3000\xa0]+")
_lock = threading.Lock()


@functools.cache
def _converter():
    import opencc

    try:
        return opencc.OpenCC("t2s")
    except Exception:  # noqa: BLE001 - older wheels want the file name
        return opencc.OpenCC("t2s.json")


def strip_pinyin(text: str) -> str:
    """Drop pinyin glued after characters by mirror sites: ``依據(jù)`` → ``依據``."""
    return _PINYIN.sub("", text) if "(" in text or "（" in text else text


def halfwidth(text: str) -> str:
    """Full-width digits, letters and punctuation to their ASCII forms (NFKC)."""
    return unicodedata.normalize("NFKC", text)


def to_simplified(text: str) -> str:
    """Traditional → simplified script with OpenCC."""
    with _lock:  # the OpenCC binding is not documented as thread-safe
        return _converter().convert(text)


def detect_script(text: str, threshold: float = 0.03) -> str:
    """``'traditional'`` when OpenCC changes more than ``threshold`` of the CJK characters."""
    sample = "".join(_CJK_RE.findall(text[:3000]))[:1500]
    if not sample:
        return "simplified"
    converted = to_simplified(sample)
    changed = sum(map(str.__ne__, sample, converted))
    return "traditional" if changed / len(sample) > threshold else "simplified"


def squash(text: str) -> str:
    """Remove all white space (labels are matched without it: ``统 计 指 标``)."""
    return _WS.sub("", text)


def fix_labels(text: str) -> str:
    """Map variant wordings onto the canonical ones (``上年转结`` → ``上年结转``)."""
    for variant, canonical in layouts.label_fixes():
        if variant in text:
            text = text.replace(variant, canonical)
    return text


class Normalizer:
    """Normalises pieces of one report consistently (same script decision for all)."""

    def __init__(self, script: str):
        self.script = script
        self._trad = script == "traditional"

    @classmethod
    def for_text(cls, text: str) -> Normalizer:
        return cls(detect_script(strip_pinyin(text)))

    def __call__(self, text: str) -> str:
        """Pinyin stripped, NFKC, simplified script (when the report is traditional)."""
        n, trad = len(text), self._trad
        return _norm_short(text, trad) if n <= _SHORT else _norm_long(text, trad) if n <= _LONG else _norm(text, trad)

    def key(self, text: str) -> str:
        """Form used for label matching: normalised, no white space, variants fixed."""
        n, trad = len(text), self._trad
        return _key_short(text, trad) if n <= _SHORT else _key_long(text, trad) if n <= _LONG else _key(text, trad)


def _norm(text: str, traditional: bool) -> str:
    text = halfwidth(strip_pinyin(text))
    return to_simplified(text) if traditional else text


def _key(text: str, traditional: bool) -> str:
    n = len(text)
    normed = (_norm_short(text, traditional) if n <= _SHORT else _norm_long(text, traditional) if n <= _LONG
              else _norm(text, traditional))
    return fix_labels(squash(normed))


# Cells and labels repeat within and across reports ("0", "", labels); lines of prose repeat when
# a report is read again. Both caches are bounded in entries and in the length of what they keep
# (at most about 65536 x 120 + 1024 x 8192 characters); longer texts are never kept.
_SHORT, _LONG = 120, 8192
_norm_short = functools.lru_cache(maxsize=1 << 16)(_norm)
_key_short = functools.lru_cache(maxsize=1 << 16)(_key)
_norm_long = functools.lru_cache(maxsize=1 << 10)(_norm)
_key_long = functools.lru_cache(maxsize=1 << 10)(_key)

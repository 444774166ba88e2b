"""The Chinese numbering grammar, once: numerals both ways, circled numbers, and the markers
that number headings and list items.

Reports number their parts in a few fixed ways::

    一、总体情况          level-1 heading             dun()
    （一）主动公开情况     level-2 heading             paren()
    1. 其他 / 1、 / (1)    arabic item                 arabic(), paren(ARABIC)
    一是…二是…            ordinal item                ordinal()
    第一，… / 其一，…     counted item                counted()
    ① …                   circled item                circled_class(), circled()

Numerals come in the *counting* form (一, 十, 十二, 二十一, 一百零五) and the *digit* form that
years and Word's ``ideographDigital`` lists use (二〇二四, 二零二四).

The marker functions return regex *source* (not compiled patterns), so each call site states
the variant it accepts in one call (numeral length, separators, full-width brackets, spaces)
instead of carrying its own character class; the levels of a normalised table label are
compiled here once (``LEVEL1`` … ``LEVEL4``). Every fragment is linear on any line: no nested
or overlapping repeats (tests/test_tables_regex.py runs them on worst-case lines).
"""
from __future__ import annotations

import functools
import re

#: Chinese digits, value = index: ``DIGITS[2] == "二"``.
DIGITS = "〇一二三四五六七八九"
#: What a digit-form year prints for zero (二〇二四, 二○二四, 二零二四); OCR and mixed input give O and 0.
ZEROS = "〇○零O0"
#: The characters of a counting numeral below 100 (一 … 九十九).
COUNTING = "一二三四五六七八九十"
#: Circled numbers ① … ⑳ (Unicode has them contiguous), value = index + 1.
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

#: Spaces a heading may hold around its separator, never a line break: ``一、 概述``.
SPACE = r"[ \t\u3000]*"
#: One or two arabic digits, the number of an arabic item (``1.`` … ``99.``).
ARABIC = r"\d{1,2}"

_DIGIT_VALUE = {c: i for i, c in enumerate(DIGITS)} | dict.fromkeys(ZEROS, 0)


# ---------------------------------------------------------------- numerals
def chinese(n: int) -> str:
    """``n`` as a counting numeral: 1 → 一, 10 → 十, 12 → 十二, 21 → 二十一, 105 → 一百零五.

    Numbers outside 1 … 999 come back in arabic digits (``str(n)``)."""
    if n <= 0 or n > 999:
        return str(n)
    h, rest = divmod(n, 100)
    t, u = divmod(rest, 10)
    out = (DIGITS[h] + "百") if h else ""
    if t:
        out += ("" if t == 1 and not h else DIGITS[t]) + "十"
    elif h and u:
        out += "零"
    return out + (DIGITS[u] if u else "")


def chinese_digits(n: int) -> str:
    """``n`` in the digit form: 2024 → 二〇二四, 11 → 一一 (negative numbers stay arabic)."""
    return "".join(DIGITS[int(d)] for d in str(n)) if n >= 0 else str(n)


@functools.cache
def _counting_values() -> dict[str, int]:
    out = {chinese(n): n for n in range(1, 1000)}
    out.update({"一" + chinese(n): n for n in range(10, 20)})  # 一十二: the long form of 十二
    return out


def value(text: str) -> int | None:
    """The number a numeral stands for, or None when ``text`` is no numeral.

    Counting form: 一 → 1, 十二 → 12, 一十二 → 12, 二十一 → 21, 一百零五 → 105. Digit form (only
    digits, no 十 or 百): 二〇二四 → 2024, 〇二四 → 24, 一一 → 11, and 二O二四 as OCR reads it (but
    not ``00`` alone: arabic digits are no numeral). ``十十`` or ``二十百`` → None."""
    if text and all(c in _DIGIT_VALUE for c in text) and text.strip("O0"):
        return int("".join(str(_DIGIT_VALUE[c]) for c in text))
    return _counting_values().get(text)


def circled(n: int) -> str:
    """1 → ①, 20 → ⑳; numbers without a circled form come back in arabic digits."""
    return CIRCLED[n - 1] if 0 < n <= len(CIRCLED) else str(n)


def circled_value(char: str) -> int | None:
    """① → 1, ⑳ → 20; None for anything else."""
    i = CIRCLED.find(char) if len(char) == 1 else -1
    return i + 1 if i >= 0 else None


# ---------------------------------------------------------------- regex fragments
@functools.cache
def numeral(upto: int = 99) -> str:
    """Exactly the counting numerals 1 … ``upto``, the longest first so 十二 wins over 十:
    ``numeral(20)`` matches 一, 十, 十九, 二十 and not 二十一 nor 十十."""
    forms = sorted((chinese(n) for n in range(1, upto + 1)), key=len, reverse=True)
    return "(?:" + "|".join(forms) + ")"


def run(max_len: int | None = None, arabic: bool = False) -> str:
    """A run of numeral characters, by shape only: ``run(4)`` is ``[一二三四五六七八九十]{1,4}``
    (一, 十二, 三十四, and also 十十). ``arabic=True`` lets digits in: ``(1)``, ``(一1)``."""
    chars = COUNTING + (r"\d" if arabic else "")
    return f"[{chars}]" + (f"{{1,{max_len}}}" if max_len else "+")


def digit_run(length: int, zeros: str = ZEROS) -> str:
    """``length`` digits of the digit form, a year printed ``二〇二四`` (``zeros``: what may
    stand for zero)."""
    return f"[{zeros}{DIGITS[1:]}]{{{length}}}"


def _one_of(chars: str) -> str:
    return re.escape(chars) if len(chars) == 1 else f"[{chars}]"


def dun(num: str | None = None, seps: str = "、", space: str = "") -> str:
    """A level-1 marker: numeral, separator: ``一、`` (``seps="、.．"`` also takes ``一.``/``一．``);
    ``space`` is allowed between them (``一 、``). ``num`` defaults to ``run(4)``."""
    return (run(4) if num is None else num) + space + _one_of(seps)


def paren(num: str | None = None, full_width: bool = False, space: str = "") -> str:
    """A bracketed marker: ``(一)`` (normalised text, ASCII brackets) or, with ``full_width``,
    also ``（一）``; ``paren(ARABIC)`` is ``(1)``. ``space`` is allowed inside the brackets."""
    opening, closing = (r"[(（]", r"[)）]") if full_width else (r"\(", r"\)")
    return opening + space + (run(4) if num is None else num) + space + closing


def arabic(num: str = ARABIC, seps: str = ".、", space: str = "") -> str:
    """An arabic item number: ``1.`` / ``1、`` (``seps`` are the separators allowed)."""
    return num + space + _one_of(seps)


def ordinal(num: str) -> str:
    """An ordinal item: ``一是`` (``ordinal(chinese(2))`` matches ``二是``)."""
    return num + "是"


def counted(num: str, seps: str = "，,、") -> str:
    """A counted item: ``第一，`` or ``其一，``."""
    return f"[第其]{num}{_one_of(seps)}"


def circled_class(upto: int = len(CIRCLED)) -> str:
    """Any of the circled numbers ① … ``upto``: ``circled_class(10)`` is ``[①-⑩]``."""
    return f"[{CIRCLED[0]}-{CIRCLED[upto - 1]}]"


def circled_item(k: int, upto: int = len(CIRCLED)) -> str:
    """The circled number ``k`` (``②``), or a pattern that never matches past ``upto``."""
    return re.escape(CIRCLED[k - 1]) if 0 < k <= upto else r"(?!)"


def item_start(circled_upto: int = 10) -> str:
    """Any marker that opens a list item or heading, loosely: ``（一）``, ``(1)``, ``一、``,
    ``1.``, ``一)``, ``一是``, ``①``."""
    return (r"(?:[(（]?" + run(arabic=True) + r"[)）、.．]|" + ordinal(run()) + "|"
            + circled_class(circled_upto) + ")")


#: The numbering of a normalised (half-width) table label, level by level:
#: ``一、`` · ``(一)`` · ``1.`` or ``1、`` · ``(1)``.
LEVEL1 = re.compile(dun())
LEVEL2 = re.compile(paren())
LEVEL3 = re.compile(arabic())
LEVEL4 = re.compile(paren(ARABIC))
LEVELS = (LEVEL1, LEVEL2, LEVEL3, LEVEL4)

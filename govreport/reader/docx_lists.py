"""Word's automatic numbering, rendered: a heading numbered by a list definition prints
``一、`` or ``（一）`` that its text does not hold, and the sections are found by that number.

Reads the numbering part (``w:num`` → ``w:abstractNum`` → ``w:lvl`` with ``w:start``,
``w:numFmt`` and ``w:lvlText``) and counts per list and level, as Word does.
"""
from __future__ import annotations

from ..numbering import chinese, chinese_digits, circled

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _roman(n: int) -> str:
    out = ""
    for v, s in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                 (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= v:
            out, n = out + s, n - v
    return out


def render(n: int, fmt: str) -> str:
    """The number ``n`` in Word's ``w:numFmt`` ``fmt``."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "ideographTraditional", "taiwaneseCounting",
               "chineseLegalSimplified", "taiwaneseCountingThousand"):
        return chinese(n)
    if fmt == "ideographDigital":
        return chinese_digits(n)
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return circled(n)
    if fmt in ("upperLetter", "lowerLetter"):
        s = chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return s if fmt == "upperLetter" else s.lower()
    if fmt in ("upperRoman", "lowerRoman"):
        return _roman(n) if fmt == "upperRoman" else _roman(n).lower()
    if fmt in ("none", "bullet"):
        return ""
    return str(n)  # decimal and the rest


class ListLabels:
    """The list labels of one document, computed paragraph by paragraph in reading order."""

    def __init__(self, document) -> None:
        self._levels: dict[str, dict[int, tuple[int, str, str]]] = {}  # numId → ilvl → (start, fmt, text)
        self._styles: dict[str, tuple[str, int]] = {}  # styleId → (numId, ilvl)
        self._count: dict[str, dict[int, int]] = {}
        try:
            numbering = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return
        abstract = {a.get(_W + "abstractNumId"): a for a in numbering.iterchildren(_W + "abstractNum")}
        for num in numbering.iterchildren(_W + "num"):
            ref = num.find(_W + "abstractNumId")
            a = abstract.get(ref.get(_W + "val")) if ref is not None else None
            if a is None:
                continue
            levels = {}
            for lvl in a.iterchildren(_W + "lvl"):
                levels[_int(lvl.get(_W + "ilvl"))] = (_int(_val(lvl, "start"), 1), _val(lvl, "numFmt") or "decimal",
                                                      _val(lvl, "lvlText") or "")
            self._levels[num.get(_W + "numId")] = levels
        try:
            styles = document.styles.element
        except AttributeError:
            return
        for st in styles.iterchildren(_W + "style"):
            pr = st.find(f"{_W}pPr/{_W}numPr")
            if pr is not None:
                self._styles[st.get(_W + "styleId")] = (_val(pr, "numId") or "", _int(_val(pr, "ilvl")))

    def label(self, p) -> str:
        """The label Word prints before paragraph ``p`` (``一、``), or ``""``; advances the count."""
        if not self._levels:
            return ""
        pr = p.find(f"{_W}pPr/{_W}numPr")
        if pr is not None:
            num, ilvl = _val(pr, "numId") or "", _int(_val(pr, "ilvl"))
        else:
            style = p.find(f"{_W}pPr/{_W}pStyle")
            num, ilvl = self._styles.get(style.get(_W + "val") if style is not None else "", ("", 0))
        levels = self._levels.get(num)
        if not levels or ilvl not in levels:
            return ""
        count = self._count.setdefault(num, {})
        count[ilvl] = count.get(ilvl, levels[ilvl][0] - 1) + 1
        for deeper in [k for k in count if k > ilvl]:
            del count[deeper]  # a new item restarts the levels below it
        text = levels[ilvl][2]
        for k, (start, fmt, _) in levels.items():
            if f"%{k + 1}" in text:
                text = text.replace(f"%{k + 1}", render(count.get(k, start), fmt))
        return text


def _val(el, name: str) -> str | None:
    found = el.find(_W + name)
    return None if found is None else found.get(_W + "val")


def _int(value: str | None, default: int = 0) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default

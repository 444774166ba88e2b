"""The prose of a section: width folding, date lines dropped, wrapped lines joined.

A section's text is prose already (its tables are grids, never lines of it).
"""

from __future__ import annotations

import re

from .. import numbering as nb
from ..normalize import strip_pinyin

# Full-width ASCII -> ASCII, ideographic space -> space: the same length, so offsets hold.
_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_WIDTH[0x3000] = 0x20

#: A line that starts with a list marker (（一）, 1., 一是, ①).
ENUM_START = re.compile(r"^\s*" + nb.item_start(circled_upto=10))
#: A top-level heading (一、…) at the start of a line.
TOP_HEADING = re.compile(r"\n\s*" + nb.dun(nb.run(), space=r"\s*"))
# signature dates and PDF page numbers ("- 4 -") are not prose
_DATE_LINE = re.compile(r"^\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$|^\s*[-—–]\s*\d{1,3}\s*[-—–]\s*$")
_SPACE_NEAR_CJK = re.compile(
    r"(?<=[\u4e00-\u9fff，。、；：“”《》])[ \t\u3000]+|[ \t\u3000]+(?=[\u4e00-\u9fff，。、；：“”《》])"
)


def narrow(text: str) -> str:
    """Full-width ASCII folded to ASCII, offsets unchanged."""
    return text.translate(_WIDTH)


def prose(text: str) -> str:
    """Prose of a section for statement splitting: pinyin notes such as ``(guān)``
    removed, date lines dropped, lines that a PDF wrapped mid-sentence joined, spaces
    next to Chinese removed."""
    text = strip_pinyin(narrow(text or ""))
    lines = [line.rstrip() for line in text.splitlines() if not _DATE_LINE.match(line)]
    out = ""
    for line in lines:
        if not out:
            out = line
            continue
        prev = out.rstrip()
        if (
            len(out) - (out.rfind("\n") + 1) >= 20
            and prev
            and prev[-1] not in "。；;:：!！?？"
            and line.strip()
            and not ENUM_START.match(line)
        ):
            out = prev + line.strip()
        else:
            out += "\n" + line
    return _SPACE_NEAR_CJK.sub("", out).strip()


def sentences(text: str) -> list[str]:
    """Sentences (cut after 。；！？ and at line breaks), stripped, empty ones dropped."""
    parts = re.split(r"(?<=[。；;！!？?])|\n+", text)
    return [p.strip() for p in parts if p and p.strip()]


def unwrap_newlines(text: str) -> str:
    """Replace line breaks that a PDF put inside a sentence by spaces (same length)."""
    if "\n" not in text:
        return text
    chars = list(text)
    line_start = 0
    for i, ch in enumerate(text):
        if ch != "\n":
            continue
        line = text[line_start:i].rstrip()
        nxt = text[i + 1: i + 12]
        if (
            len(line) >= 20
            and line[-1] not in "。；;:：!！?？"
            and nxt.strip()
            and not nxt.startswith((" ", "\t"))
            and not ENUM_START.match(nxt)
        ):
            chars[i] = " "
        line_start = i + 1
    return "".join(chars)

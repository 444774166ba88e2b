"""Blocks → one stream of tokens, whatever the input format.

* ``cell``  – a table cell (a grid cell of any format, plain text's included);
* ``text``  – prose or a run of characters between numbers (copies that lost separators);
* ``num``   – a run of digits (possibly several cells glued together, ``640020470``);
* ``br``    – a known row end (the end of a grid row, a line holding a whole row).

Grid blocks are tokenised as grids (from HTML, PDF, DOCX or text alike); each token from a
grid cell carries that cell's page, box and OCR confidence. The grids the reader made of a
plain-text report's ``|`` tables are tokenised the way that text printed them (``markdown``,
``pipes``: the reader's ``Document.mode``); text without grids as one cell per line or glued.
OCR doubt is one predicate on one threshold, :func:`low_confidence` (``ocr_min_confidence`` of
``data/layouts/common/settings.csv``). A value cell (digits, or letters a digit is misread as)
read below it is *doubted*: its token keeps the recognised text in ``raw`` but has a blank key,
so the assembler matches and splits it as a blank cell; :func:`~govreport.tables.cells.read_value`
then makes every value read below it missing, with an ``ocr_low_confidence`` finding naming
table, row and column and quoting the reading.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .. import layouts
from .. import numbering as nb
from ..normalize import Normalizer, halfwidth
from ..reader import Document, Grid
from ..reader.document import digit_like

# each pattern here is linear on any line (no nested or overlapping repeats): see tests/test_tables_regex.py
_NUM_RUN = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?(?:[ \t\u3000\xa0]+[0-9０-９]+(?:[.．][0-9０-９]+)?)*")
_ITEM_START = re.compile(r"[.、．]\s*[\u4e00-\u9fff]")
_LONE_NUMBER = re.compile(r"\s*[0-9０-９]+(?:[.．][0-9０-９]+)?\s*")
# a Chinese-numbered label ((一) or 一、) starts a new arabic list; 1. / 1、 is an item of it
_LIST_RESET = re.compile(nb.paren() + "|" + nb.dun())
_LIST_ITEM = re.compile(nb.arabic(f"({nb.ARABIC})"))


@dataclass(slots=True)
class Tok:
    kind: str  # cell | text | num | br
    raw: str = ""
    key: str = ""  # normalised, no white space, variants fixed
    loose: bool = False  # prose that is never a row label
    page: int | None = None  # where a grid cell was printed (PDF), else None
    box: str | None = None  # "x0,top,x1,bottom" on that page
    conf: float | None = None  # OCR confidence of the cell
    doubted: bool = False  # an OCR'd value below the confidence threshold: raw as read, key blank


#: the one OCR confidence threshold: a value read with less is missing, with a finding
OCR_MIN_CONFIDENCE = layouts.reading_settings().ocr_min_confidence


def low_confidence(conf: float | None) -> bool:
    """Whether an OCR confidence is below :data:`OCR_MIN_CONFIDENCE` (None: not OCR'd)."""
    return conf is not None and conf < OCR_MIN_CONFIDENCE


#: longest normalised cell that may be a row label (data: ``common/settings.csv``)
MAX_LABEL = layouts.reading_settings().max_label


def max_label() -> int:
    """Longest normalised cell that may be a row label."""
    return MAX_LABEL


def tokenize(doc: Document, norm: Normalizer) -> tuple[list[Tok], str]:
    """The document as one token stream, and the mode it was read in: the reader's own
    mode for a plain-text report whose ``|`` tables it made into grids (``markdown``,
    ``pipes``), ``grid`` for the grids of HTML, PDF and DOCX, else ``lines`` or ``glued``."""
    if doc.mode == "markdown":
        return _fix_items(_markdown_tokens(doc.blocks, norm)), "markdown"
    if doc.mode == "pipes":
        return _pipe_tokens(doc.blocks, norm), "pipes"
    if any(isinstance(b, Grid) for b in doc.blocks):
        toks: list[Tok] = []
        for block in doc.blocks:
            if isinstance(block, Grid):
                toks.extend(grid_tokens(block, norm))
            else:
                toks.extend(_line_tokens(block, norm))
                toks.append(Tok("br"))
        return _fix_items(toks), "grid"
    lines = [b for b in doc.blocks if isinstance(b, str)]
    # a table copied cell by cell, one cell per line (no separators): line ends are not row ends
    if sum(bool(_LONE_NUMBER.fullmatch(line)) for line in lines) >= 20:
        return [Tok("num", line.strip(), halfwidth(line.strip())) if _LONE_NUMBER.fullmatch(line)
                else _cell(line, norm) for line in lines if line.strip()], "lines"
    toks = []
    for line in lines:
        toks.extend(_line_tokens(line, norm))
        toks.append(Tok("br"))
    return _fix_items(toks), "glued"


def grid_tokens(grid: Grid, norm: Normalizer) -> list[Tok]:
    """One ``cell`` token per origin cell, with its page, box and confidence; ``br`` per row.
    A value cell read by OCR below the threshold is a doubted token (blank key, raw as read)."""
    out: list[Tok] = []
    for row in grid.logical_cells():
        for r, c in row:
            text = grid.cells[r][c]
            page, box, conf = grid.where(r, c)
            doubted = low_confidence(conf) and digit_like(text.strip())
            tok = Tok("cell", text.strip(), "", doubted=True) if doubted else _cell(text, norm)
            tok.page, tok.conf = page, conf
            tok.box = ",".join(f"{x:g}" for x in box) if box else None
            out.append(tok)
        out.append(Tok("br"))
    return out


def _cell(raw: str, norm: Normalizer) -> Tok:
    raw = raw.strip()
    key = norm.key(raw)
    # a long cell is prose, unless it is all digits (a damaged number is still a cell of its row)
    if len(key) > MAX_LABEL and not key.replace(",", "").replace(".", "").isdigit():
        return Tok("text", raw, key, loose=True)
    return Tok("cell", raw, key)


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


def _markdown_tokens(blocks: list, norm: Normalizer) -> list[Tok]:
    toks: list[Tok] = []
    for block in blocks:
        if isinstance(block, Grid):
            for row in block.logical_rows():
                toks.extend(_cell(c, norm) for c in row)
                toks.append(Tok("br"))
            continue
        line_toks = _line_tokens(block, norm)
        # "2.其他法律…": item numbers are not values
        nums = [t for k, t in enumerate(line_toks) if t.kind == "num" and not (
            k + 1 < len(line_toks) and _ITEM_START.match(line_toks[k + 1].key) and len(t.key) <= 2)]
        if not nums:
            # a label (or a piece of one) whose values were printed elsewhere (PDF)
            toks.append(Tok("text", block, norm.key(block), loose=True))
        else:
            toks.extend(line_toks)
        toks.append(Tok("br"))
    return toks


def _pipe_tokens(blocks: list, norm: Normalizer) -> list[Tok]:
    """A pipe copy's grids row by row, each row a printed line's pieces: a line without a
    bar (one piece, or a paragraph) is glued to the next cell, as the copy wrapped it.

    A line holding two or more filled cells is a whole row and ends with a ``br``;
    one-cell lines give no row ends (rows are then found by their labels).
    """
    toks: list[Tok] = []
    buf: list[str] = []
    rows = (row for b in blocks for row in (b.logical_rows() if isinstance(b, Grid) else [[b]]))
    for pieces in rows:
        if len(pieces) == 1:
            buf.append(pieces[0])
            continue
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
                if digits.endswith(s) and (len(digits) == len(s) or digits[-len(s) - 1] != "."):
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
    # adjacent text pieces form one label ("其中:" + "1、当面申请数条"); joined once, not pairwise
    merged: list[Tok] = []
    run: list[Tok] = []
    for t in [*out, None]:
        if t is not None and t.kind == "text" and not t.loose:
            run.append(t)
            continue
        if run:
            merged.append(run[0] if len(run) == 1 else
                          Tok("text", "".join(x.raw for x in run), "".join(x.key for x in run)))
            run = []
        if t is not None:
            merged.append(t)
    return merged

"""Ruled-table cells with boxes (one page or several) into one :class:`Grid`.

Column edges are pooled over every page the table runs on, so its pieces line up; rows
are stacked page after page. Where a table breaks over a page, the first row of the next
piece is either

* the rest of a row cut in two (no column holds a number on both sides and the row does
  not start a new item): its cells are joined to the cells above (``自然`` + ``人``), or
* a new row: its empty cells under a label that spans rows (``三、本年度办理结果``) are
  that label's continuation, every other cell stays as printed.

Header rows repeated at the top of the next page (Word's "repeat header row") are dropped.
The same joining serves grids already built page by page (OCR): :func:`join_grids`.

A number is never carried into a cell it was not printed in.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .document import Box, Grid, Paragraph
from .paragraphs import starts_block

_NUMBER = re.compile(r"[-+]?\d[\d,，.]{0,30}\s{0,2}[%％]?\s{0,2}[件个条次项元万]{0,2}")
_TOL_X = 3.0
_TOL_Y = 2.0


@dataclass(eq=False)
class Cell:
    """A printed cell: text, page (1-based), box in PDF points, and (once placed) its rows and
    columns; ``conf`` is its OCR confidence (None for a text layer)."""

    text: str
    page: int
    box: Box
    r0: int = 0
    r1: int = 0
    c0: int = 0
    c1: int = 0
    conf: float | None = None


def join_cell_lines(text: str | None) -> str:
    """A label wrapped inside its cell (``商业企\\n业``, the vertical ``三\\n、\\n本``) joined back."""
    if not text:
        return ""
    parts = [p.strip() for p in text.splitlines() if p.strip()]
    out = ""
    for p in parts:
        if out and out[-1].isascii() and out[-1].isalnum() and p[0].isascii() and p[0].isalnum():
            out += " "
        out += p
    return out


def _edges(values: list[float], tol: float) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tol:
            out.append(v)
    return out


def _index(edges: list[float], v: float) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - v))


def _is_number(text: str) -> bool:
    return bool(_NUMBER.fullmatch(text.strip()))


def same_table(a: Box, b: Box) -> bool:
    """Two table pieces on consecutive pages are one table when their left and right edges agree."""
    return abs(a[0] - b[0]) <= _TOL_X and abs(a[2] - b[2]) <= _TOL_X


def build(pieces: list[list[Cell]]) -> Grid:
    """One grid from table pieces (each a page's cells, in page order)."""
    pieces = [p for p in pieces if p]
    xs = _edges([v for p in pieces for c in p for v in (c.box[0], c.box[2])], _TOL_X)
    placed = []
    for piece in pieces:
        ys = _edges([v for c in piece for v in (c.box[1], c.box[3])], _TOL_Y)
        for c in piece:
            c.c0, c.c1 = _index(xs, c.box[0]), _index(xs, c.box[2])
            c.r0, c.r1 = _index(ys, c.box[1]), _index(ys, c.box[3])
        placed.append([c for c in piece if c.c1 > c.c0 and c.r1 > c.r0])
    return _stack(placed, len(xs) - 1)


def _stack(pieces: list[list[Cell]], width: int) -> Grid:
    """One grid from placed pieces (rows counted from 0 in each), stacked in order: repeated
    headers dropped, the first row of each later piece joined to the table above."""
    cells: list[Cell] = []
    row0 = 0
    for n, piece in enumerate(pieces):
        for c in piece:
            c.r0, c.r1 = c.r0 + row0, c.r1 + row0
        if n and piece:
            piece = _drop_repeated_header(cells, piece, row0)
            piece = _continue(cells, piece, row0)
        cells.extend(piece)
        row0 = max((c.r1 for c in cells), default=row0)
    return _grid(cells, width, row0)


def grid_cells(grid: Grid) -> list[Cell]:
    """The origin cells of a grid with pages and boxes, placed: a span is the origin with the
    copies right of and below it that share its box."""
    out = []
    rows, cols = len(grid.cells), len(grid.cells[0]) if grid.cells else 0
    for r in range(rows):
        for c in range(cols):
            if not grid.origin[r][c]:
                continue
            page, box, conf = grid.where(r, c)

            def copy(rr: int, cc: int) -> bool:
                return not grid.origin[rr][cc] and grid.where(rr, cc)[:2] == (page, box)  # noqa: B023

            c1 = c + 1
            while c1 < cols and copy(r, c1):
                c1 += 1
            r1 = r + 1
            while r1 < rows and copy(r1, c):
                r1 += 1
            out.append(Cell(grid.cells[r][c], page, box, r, r1, c, c1, conf))
    return out


def join_grids(upper: Grid, lower: Grid) -> Grid | None:
    """``upper`` and ``lower`` (the first table of the next page) as one grid, when they are one
    table cut by the page break: as many columns, and every column edge (read from the rows
    nearest the break: a scan's boxes drift with its tilt) within a few points. None when they
    are two tables, or a grid lacks pages and boxes."""
    if not (upper.cells and lower.cells and upper.box and lower.box and upper.page and lower.page):
        return None
    width = len(upper.cells[0])
    if len(lower.cells[0]) != width:
        return None
    above, below = grid_cells(upper), grid_cells(lower)
    a, b = _column_edges(above, from_bottom=True), _column_edges(below, from_bottom=False)
    if len(a) != width + 1 or len(b) != width + 1 or any(abs(a[k] - b[k]) > _TOL_X for k in a):
        return None
    return _stack([above, below], width)


def join_pages(pages: dict[int, list[Paragraph | Grid]]) -> dict[int, list[Paragraph | Grid]]:
    """Blocks of pages read one at a time (OCR; keys are 0-based page indexes) with each table
    cut by a page break joined into one grid, as the text layer's tables are (:func:`join_grids`):
    the last block of a page and the first block of the next, both grids of one table, become
    one grid where the table starts (a table may run over several pages). In place; returns ``pages``."""
    holder: list[Paragraph | Grid] | None = None  # the blocks ending with the table that may run on
    for i in sorted(pages):
        here = pages[i]
        ran_on = False
        if holder and here and i - 1 in pages and isinstance(holder[-1], Grid) and isinstance(here[0], Grid):
            joined = join_grids(holder[-1], here[0])
            if joined is not None:
                holder[-1] = joined
                here.pop(0)
                ran_on = True
        if here or not ran_on:  # a page that only held the table's next piece leaves it running on
            holder = here
    return pages


def _column_edges(cells: list[Cell], from_bottom: bool) -> dict[int, float]:
    """Each column edge's x (edge k is the left of column k; the last, the table's right), taken
    from the cell nearest the top or the bottom of the table that starts or ends there."""
    out: dict[int, float] = {}
    for c in sorted((c for c in cells if c.box), key=lambda c: -c.r1 if from_bottom else c.r0):
        out.setdefault(c.c0, c.box[0])
        out.setdefault(c.c1, c.box[2])
    return out


def _drop_repeated_header(table: list[Cell], piece: list[Cell], first: int) -> list[Cell]:
    """Word and WPS repeat a table's header rows at the top of every page: drop the top rows
    of a piece that print exactly (same texts, same columns) the first rows of the table."""
    top0 = min((c.r0 for c in table), default=0)

    def row(cells: list[Cell], r: int) -> list[tuple[int, int, int, str]]:
        return sorted((c.c0, c.c1, c.r1 - c.r0, c.text) for c in cells if c.r0 == r)

    k = 0
    while k < 4 and row(piece, first + k) and row(piece, first + k) == row(table, top0 + k) \
            and any(t for *_, t in row(piece, first + k)):
        k += 1
    if not k or any(c.r0 < first + k < c.r1 for c in piece):
        return piece  # a header cell reaching into the data rows: leave the piece as printed
    kept = [c for c in piece if c.r0 >= first + k]
    for c in kept:
        c.r0, c.r1 = c.r0 - k, c.r1 - k
    return kept


def _continue(above: list[Cell], piece: list[Cell], first: int) -> list[Cell]:
    """Join the first row of a piece to the table above it (see the module docstring)."""
    bottom = [c for c in above if c.r1 == first]

    def over(c: Cell) -> list[Cell]:
        return [b for b in bottom if b.c0 < c.c1 and c.c0 < b.c1]

    top = [c for c in piece if c.r0 == first]
    # the row was cut in two: no column has a number on both sides, and it starts no new item
    cut = not any(_is_number(c.text) and any(_is_number(b.text) for b in over(c)) for c in top) \
        and not any(starts_block(c.text) for c in top if c.text)
    gone = set()
    for c in top:
        bs = over(c)
        if len(bs) != 1 or (bs[0].c0, bs[0].c1) != (c.c0, c.c1):
            continue  # a cell that subdivides the one above (a sub-header) is a cell of its own
        b = bs[0]
        label_above = bool(b.text) and not _is_number(b.text)
        if not c.text and label_above:
            pass  # a label spanning rows continues on this page
        elif cut and not (_is_number(b.text) and _is_number(c.text)):
            if b.text and c.text and (_is_number(b.text) or _is_number(c.text)):
                continue  # never glue a number to other text
            b.text = _join_text(b.text, c.text)
            b.conf = min((x for x in (b.conf, c.conf) if x is not None), default=None)  # OCR: the doubt of either
        else:
            continue
        b.r1 = c.r1
        gone.add(id(c))
    return [c for c in piece if id(c) not in gone]


def _join_text(a: str, b: str) -> str:
    return join_cell_lines(a + "\n" + b) if a and b else a or b


def _grid(cells: list[Cell], width: int, height: int) -> Grid:
    text = [[""] * width for _ in range(height)]
    origin = [[False] * width for _ in range(height)]
    page: list[list[int | None]] = [[None] * width for _ in range(height)]
    box: list[list[Box | None]] = [[None] * width for _ in range(height)]
    conf: list[list[float | None]] = [[None] * width for _ in range(height)]
    for c in cells:
        for r in range(c.r0, min(c.r1, height)):
            for k in range(c.c0, min(c.c1, width)):
                if origin[r][k]:
                    continue  # overlapping boxes: the first cell keeps the slot
                text[r][k] = c.text
                origin[r][k] = (r, k) == (c.r0, c.c0)
                page[r][k] = c.page
                box[r][k] = c.box
                conf[r][k] = c.conf
    keep = [r for r in range(height) if any(origin[r])]  # rows that only hold copies add nothing
    ocr = any(c.conf is not None for c in cells)
    return Grid(cells=[text[r] for r in keep], origin=[origin[r] for r in keep],
                page=[page[r] for r in keep], box=[box[r] for r in keep],
                confidence=[conf[r] for r in keep] if ocr else None)

"""The typed blocks every reader returns, whatever the input format.

A :class:`Document` is a list of blocks in reading order: :class:`Paragraph` lines of
prose and :class:`Grid` tables. A grid keeps, for every cell, its text, whether the cell
starts there (spanned copies are not origins) and, where the format knows it, the page,
the box on that page and the OCR confidence. Tables stay grids from the reader to the
table assembler: nothing renders them back into text to be found again.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import compress

#: A box on a page in PDF points, ``(x0, top, x1, bottom)`` from the top-left corner.
Box = tuple[float, float, float, float]

#: the most cells a grid may hold; a table beyond this is a hostile file, refused
MAX_GRID_CELLS = 2_000_000


def check_grid_size(width: int, height: int) -> None:
    """Refuse a table whose grid would exceed :data:`MAX_GRID_CELLS` (ParseError ``too_large``)."""
    if width * height > MAX_GRID_CELLS:
        from ..errors import ParseError

        raise ParseError(None, f"a table of {height} rows and {width} columns is larger than any report table",
                         code="too_large")


# digits, and the letters a digit is misread as (1 → I l |, 0 → O o): a value cell, if doubtful
_DIGIT_LIKE = re.compile(r"[\s0-9０-９.,，．%％()（）\-－IlOo|]+")


def digit_like(text: str) -> bool:
    """Whether recognised text is a value a recogniser may have misread: digits, or the letters
    and marks a digit is misread as. Such a cell read with low confidence is doubted."""
    return bool(text) and _DIGIT_LIKE.fullmatch(text) is not None


class Paragraph(str):
    """A line of prose. It is a ``str`` (the text) that also knows its page (PDF)."""

    page: int | None

    def __new__(cls, text: str, page: int | None = None) -> Paragraph:  # noqa: PYI034 - Self needs Python 3.11
        obj = super().__new__(cls, text)
        obj.page = page
        return obj

    def __reduce__(self):
        return (Paragraph, (str(self), self.page))


@dataclass
class Grid:
    """A table as a rectangular grid.

    ``cells[r][c]`` is the text of the cell covering (r, c); ``origin[r][c]`` is True where
    that cell starts (row and column spans are expanded into copies that are not origins).
    ``page``, ``box`` and ``confidence`` are per-cell grids of the same shape, or None when
    the format has no such thing (text, HTML, DOCX have no pages; only OCR has confidence).
    An OCR'd cell keeps the text recognised however low its confidence: whether a value is
    trusted is the table assembler's decision, not the reader's.
    """

    cells: list[list[str]]
    origin: list[list[bool]]
    page: list[list[int | None]] | None = None
    box: list[list[Box | None]] | None = None
    confidence: list[list[float | None]] | None = None
    #: the lines a plain-text table was printed as (``a | b |``), kept to show it as printed
    lines: list[str] | None = None

    def logical_rows(self) -> list[list[str]]:
        """Each row's cells once, in order: spanned copies dropped."""
        return [list(compress(row, orow)) for row, orow in zip(self.cells, self.origin)]  # compress: C speed

    def logical_cells(self) -> list[list[tuple[int, int]]]:
        """Like :meth:`logical_rows`, but the ``(row, column)`` of each origin cell, so a
        consumer can look up its page, box and confidence."""
        return [[(r, c) for c, o in enumerate(orow) if o] for r, orow in enumerate(self.origin)]

    def where(self, r: int, c: int) -> tuple[int | None, Box | None, float | None]:
        """``(page, box, confidence)`` of cell (r, c); None where unknown."""
        return (self.page[r][c] if self.page else None, self.box[r][c] if self.box else None,
                self.confidence[r][c] if self.confidence else None)


@dataclass
class Document:
    """A decoded report: paragraphs and grids in reading order, before normalisation."""

    blocks: list[Paragraph | str | Grid]
    format: str  # 'text' | 'html' | 'pdf' | 'docx'
    source: str | None = None
    encoding: str | None = None
    original_text: str = ""
    notes: list[tuple[str, str]] = field(default_factory=list)  # (check, message) seen while reading
    pages: int | None = None  # page count (PDF)
    ocr: bool = False  # True when any page's text came from OCR
    data: bytes | None = field(default=None, repr=False)  # the PDF's bytes, to draw its pages (Report.show)
    #: how a plain-text report printed its tables: ``markdown`` (``| a | b |`` rows under a
    #: ``|---|`` rule) or ``pipes`` (cells ending in ``|``, one or many a line); None when the
    #: grids are the format's own (HTML, PDF, DOCX) or the text printed no ``|`` table
    mode: str | None = None


def text_lines(blocks: list[Paragraph | str | Grid], cell=str) -> list[str]:
    """Blocks as lines for a human reader: each paragraph, and each table in place (as
    printed for plain text, else one ``a | b |`` line per row). ``cell`` maps each piece
    of text first (e.g. a normaliser). No stage parses these lines back."""
    out: list[str] = []
    for b in blocks:
        if not isinstance(b, Grid):
            out.append(cell(b))
        elif b.lines is not None:
            out.extend(map(cell, b.lines))
        else:
            out.extend(" | ".join(map(cell, row)) + " |" for row in b.logical_rows())
    return out


def decoded_text(blocks: list[Paragraph | str | Grid]) -> str:
    """A document's ``original_text`` for formats that have no text of their own (HTML,
    PDF, DOCX): each paragraph, and each grid as one ``a | b`` line per row."""
    return "\n".join(b if not isinstance(b, Grid) else "\n".join(" | ".join(r) for r in b.logical_rows())
                     for b in blocks)


def rectangular(rows: list[list[str]], lines: list[str] | None = None) -> Grid:
    """A Grid of rows of any lengths: short rows are padded with cells that are no origins."""
    width = max(map(len, rows), default=0)
    check_grid_size(width, len(rows))
    blank, flags = [""] * width, [True] * width + [False] * width  # each row a slice of these: C speed
    return Grid([r + blank[len(r):] for r in rows], [flags[width - len(r):2 * width - len(r)] for r in rows],
                lines=lines)

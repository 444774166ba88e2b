"""Offline OCR of scanned pages into the typed blocks every reader returns.

Pages are rendered with pypdfium2, deskewed (a scan is rarely straight; the angle that makes
the ink's row profile sharpest is taken), and read with rapidocr-onnxruntime, whose Chinese
detection and recognition models ship inside the wheel (nothing is downloaded). Ruled tables
become :class:`Grid` blocks with page, box (PDF points) and confidence per cell; other text
becomes :class:`Paragraph` blocks, lines joined back into sentences.

Every cell keeps the text recognised in it and its confidence: the reader decides nothing
about doubt. The table assembler alone turns a value read with less than the one threshold
(``ocr_min_confidence`` of ``data/layouts/common/settings.csv``) into missing with an
``ocr_low_confidence`` finding naming table, row and column (:mod:`govreport.tables.tokens`).
The reader only reads such value cells a second time from their ink, in case the recogniser
is surer then. OCR costs seconds a page (about 10 s at 150 dpi on one laptop core).
"""
from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from .. import layouts
from ..errors import ParseError
from .document import Box, Grid, Paragraph, digit_like
from .ocr_grid import (
    GridCells,
    TextBox,
    cluster_lattice,
    cluster_table,
    fill_lattice,
    find_lattices,
    join_texts,
    text_lines,
)
from .pdfgrid import join_pages

_SENTENCE_END = tuple("。：:；;！!？?")
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class OcrSettings:
    """How scanned pages are read.

    scale: pixels per PDF point to render at (150 dpi = 150/72; a scan's own resolution is best).
    reread_below: a value cell read with less confidence is read again from its ink (0 reads
        nothing again). Only an effort setting: whether a value is trusted is decided by the table
        assembler alone, against ``ocr_min_confidence`` of ``common/settings.csv`` (the default
        here too, so every doubtful value gets its second reading); this reader blanks nothing.
    max_skew: largest rotation (degrees) searched for when straightening the page.
    ink_threshold: grey level below which a pixel is ink (ruling lines, text); light shading is paper.
    min_line: shortest ruling-line stretch, in PDF points.
    text_score: rapidocr's own floor: boxes recognised with less are dropped by the engine.
    footer: a line matching this pattern at the foot of a page is a page number, not text.
    max_side: longest side of a rendered page in pixels (a poster-sized page is rendered smaller).
    """

    scale: float = 150 / 72
    reread_below: float = field(default_factory=lambda: layouts.reading_settings().ocr_min_confidence)
    max_skew: float = 1.0
    ink_threshold: int = 160
    min_line: float = 20.0
    text_score: float = 0.5
    footer: str = r"^[-—–－_\s]*\d{1,3}[-—–－_\s]*$"
    max_side: int = 4000


@functools.lru_cache(maxsize=1)
def _engine():
    """The rapidocr engine, loaded once per process from the models inside the wheel."""
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError as ex:  # the extra is not installed
        raise ParseError(None, "this PDF is a scan (no text layer): reading it needs OCR; install the extra "
                         "with `pip install govreport[ocr]` (rapidocr-onnxruntime)") from ex
    return RapidOCR(print_verbose=False)


# ---------------------------------------------------------------- geometry
def estimate_skew(gray: np.ndarray, max_skew: float = 1.0, threshold: int = 160) -> float:
    """The rotation (degrees, counter-clockwise, as ``cv2.getRotationMatrix2D``) that
    straightens the page: the one whose ink row profile changes most sharply."""
    import cv2

    ink = np.where(gray < threshold, 255, 0).astype(np.uint8)
    small = cv2.resize(ink, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    h, w = small.shape

    def sharpness(angle: float) -> float:
        m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
        turned = cv2.warpAffine(small, m, (w, h), flags=cv2.INTER_NEAREST)  # no blur: angle 0 gets no edge
        return float(np.var(np.diff(turned.sum(axis=1).astype(float))))

    coarse = max(np.arange(-max_skew, max_skew + 1e-9, 0.1), key=sharpness)
    return float(max(np.arange(coarse - 0.1, coarse + 0.1 + 1e-9, 0.02), key=sharpness))


def _straighten(gray: np.ndarray, angle: float) -> tuple[np.ndarray, np.ndarray]:
    """The page rotated by ``angle`` (white fill) and the inverse map (2×3) back to the scan."""
    import cv2

    h, w = gray.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    out = cv2.warpAffine(gray, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)
    return out, cv2.invertAffineTransform(m)


def _to_points(rect: tuple[float, float, float, float], inverse: np.ndarray, scale: float) -> Box:
    """A pixel rectangle of the straightened image as a box in PDF points on the page."""
    x0, y0, x1, y1 = rect
    corners = np.array([[x0, y0, 1], [x1, y0, 1], [x0, y1, 1], [x1, y1, 1]], dtype=float) @ inverse.T
    lo, hi = corners.min(axis=0) / scale, corners.max(axis=0) / scale
    return (round(float(lo[0]), 1), round(float(lo[1]), 1), round(float(hi[0]), 1), round(float(hi[1]), 1))


def _recognise(image: np.ndarray, settings: OcrSettings) -> list[TextBox]:
    result, _ = _engine()(image, text_score=settings.text_score, return_word_box=True)
    out = []
    for quad, text, score, *extra in result or []:
        xs, ys = [p[0] for p in quad], [p[1] for p in quad]
        out.append(TextBox(min(xs), min(ys), max(xs), max(ys), str(text), float(score), _words(text, *extra[:2])))
    return out


def _words(text: str, boxes=None, contents=None) -> tuple[tuple[str, float, float], ...]:
    """The words of a recognised line with their x extent; () unless they spell the line."""
    if not boxes or not contents or len(boxes) != len(contents) or "".join(contents) != text.replace(" ", ""):
        return ()
    return tuple((str(w), float(min(p[0] for p in b)), float(max(p[0] for p in b))) for w, b in zip(contents, boxes))


# ---------------------------------------------------------------- blocks
def page_blocks(image, page: int, scale: float, *, settings: OcrSettings | None = None) -> list[Paragraph | Grid]:
    """Blocks of one page image (rendered at `scale` pixels per PDF point), in reading order; every Grid cell
    carries page, box (in PDF points, (x0, top, x1, bottom)) and confidence (0..1, None for a cell where
    nothing was read); Paragraphs carry page. Pages are numbered from 1. Every cell keeps its recognised
    text, however doubtful: :func:`page_read` also returns the notes of the page."""
    return page_read(image, page, scale, settings=settings)[0]


def page_read(image, page: int, scale: float, *, settings: OcrSettings | None = None
              ) -> tuple[list[Paragraph | Grid], list[tuple[str, str]]]:
    """:func:`page_blocks` and the notes of the page (``ocr_reread``: a value cell read again from its
    ink; ``ocr_unread``: a cell holding ink where nothing was recognised)."""
    settings = settings or OcrSettings()
    gray = np.asarray(image.convert("L"))
    angle = estimate_skew(gray, settings.max_skew, settings.ink_threshold)
    gray, inverse = _straighten(gray, angle) if abs(angle) >= 0.02 else (gray, np.eye(2, 3))
    boxes = _recognise(np.dstack([gray] * 3), settings)
    lattices = find_lattices(gray, threshold=settings.ink_threshold, min_line=max(8, int(settings.min_line * scale)))
    placed: list[tuple[float, object]] = []
    inside = set()
    for lat in lattices:
        x0, y0, x1, y1 = lat.bounds
        mine = [b for b in boxes if x0 <= b.cx < x1 and y0 <= b.cy < y1]
        inside.update(id(b) for b in mine)
        placed.append((y0, fill_lattice(lat, mine)))
    free = [b for b in boxes if id(b) not in inside]
    lines = _drop_footer(text_lines(free), gray.shape[0], settings.footer)
    taken: set[int] = set()
    for start, end in cluster_table(lines):
        group = lines[start:end]
        placed.append((min(b.y0 for b in group[0]), fill_lattice(cluster_lattice(group), [b for ln in group
                                                                                        for b in ln])))
        taken.update(range(start, end))
    tops = [top for top, _ in placed]
    for para_top, text in _paragraphs([ln for i, ln in enumerate(lines) if i not in taken], tops):
        placed.append((para_top, Paragraph(text, page)))
    placed.sort(key=lambda p: p[0])
    blocks: list[Paragraph | Grid] = []
    notes: list[tuple[str, str]] = []
    for _, item in placed:
        if isinstance(item, GridCells):
            again = _reread(item, gray, settings)
            grid = _grid(item, page, inverse, scale)
            for r, c, first in again:
                message = (f"page {page}, box {grid.box[r][c]}: {first!r} read again from the ink as "
                           f"{item.cells[r][c]!r} (confidence {item.confidence[r][c]:.3f})")
                notes.append(("ocr_reread", message))
            notes += _unread(item, grid, gray, settings.ink_threshold)
            blocks.append(grid)
        else:
            blocks.append(item)
    return blocks, notes


def _drop_footer(lines: list[list[TextBox]], height: int, pattern: str) -> list[list[TextBox]]:
    rx = re.compile(pattern)
    return [ln for ln in lines if not (min(b.y0 for b in ln) > 0.9 * height and rx.match(join_texts(ln)))]


def _paragraphs(lines: list[list[TextBox]], tables: Sequence[float] = ()) -> list[tuple[float, str]]:
    """Lines joined into paragraphs. A line continues the previous one unless the previous
    line ends a sentence, stops well short of the text's right edge, this line is indented,
    or a table (its top in ``tables``) stands between them."""
    if not lines:
        return []
    left = min(min(b.x0 for b in ln) for ln in lines)
    right = max(max(b.x1 for b in ln) for ln in lines)
    out: list[tuple[float, str]] = []
    prev = None
    for ln in lines:
        text = join_texts(ln)
        x0, x1 = min(b.x0 for b in ln), max(b.x1 for b in ln)
        height = float(np.median([b.y1 - b.y0 for b in ln]))
        if prev is not None:
            p_text, p_x1, p_y = prev
            between = any(p_y < t < min(b.y0 for b in ln) for t in tables)
            cont = (not p_text.endswith(_SENTENCE_END) and p_x1 > right - 2 * height and x0 < left + height
                    and not between)
            if cont:
                top, body = out[-1]
                out[-1] = (top, body + text)
                prev = (text, x1, min(b.y0 for b in ln))
                continue
        out.append((min(b.y0 for b in ln), text))
        prev = (text, x1, min(b.y0 for b in ln))
    return out


def _grid(cells: GridCells, page: int, inverse: np.ndarray, scale: float) -> Grid:
    """A :class:`Grid` with the recognised text and page/box/confidence of every cell."""
    rows, cols = len(cells.cells), len(cells.cells[0]) if cells.cells else 0
    boxes = [[_to_points(cells.pixel_box[r][c], inverse, scale) for c in range(cols)] for r in range(rows)]
    return Grid(cells=[row[:] for row in cells.cells], origin=[row[:] for row in cells.origin],
                page=[[page] * cols for _ in range(rows)], box=boxes,
                confidence=[row[:] for row in cells.confidence])


def _ink(gray: np.ndarray, rect: tuple[float, float, float, float], threshold: int, min_ink: int = 40
         ) -> np.ndarray | None:
    """The inked part of a cell (inside its ruling lines, specks of noise ignored), padded
    with white for the recogniser; None when the cell holds less than ``min_ink`` dark pixels."""
    import cv2

    x0, y0, x1, y1 = (int(v) for v in rect)
    inner = gray[y0 + 4:y1 - 3, x0 + 4:x1 - 3]
    if inner.size == 0:
        return None
    n, _, stats, _ = cv2.connectedComponentsWithStats((inner < threshold).astype(np.uint8), connectivity=8)
    keep = [k for k in range(1, n) if stats[k][4] >= 12]
    if sum(stats[k][4] for k in keep) < min_ink:
        return None
    left, top = min(stats[k][0] for k in keep), min(stats[k][1] for k in keep)
    right = max(stats[k][0] + stats[k][2] for k in keep)
    bottom = max(stats[k][1] + stats[k][3] for k in keep)
    crop = inner[max(top - 4, 0):bottom + 4, max(left - 4, 0):right + 4]
    return cv2.copyMakeBorder(crop, 8, 8, 16, 16, cv2.BORDER_CONSTANT, value=255)


def _reread(cells: GridCells, gray: np.ndarray, settings: OcrSettings) -> list[tuple[int, int, str]]:
    """Read again, from the ink alone, the value cells the page pass doubted or missed (the
    detector skips some lone digits; a lone 1 may come back as I). The second reading is
    kept when it is a number and the recogniser is surer of it than of the first; the table
    assembler still doubts it if it stays below the threshold. In place; returns ``(row,
    column, first reading)`` of the cells read again."""
    again = []
    spans: dict[tuple[float, ...], list[tuple[int, int]]] = {}
    for r, row in enumerate(cells.pixel_box):
        for c, rect in enumerate(row):
            spans.setdefault(rect, []).append((r, c))
    for members in spans.values():
        r, c = members[0]
        text, conf = cells.cells[r][c], cells.confidence[r][c]
        if text and not (conf is not None and conf < settings.reread_below and digit_like(text)):
            continue
        crop = _ink(gray, cells.pixel_box[r][c], settings.ink_threshold)
        if crop is None:
            continue
        result, _ = _engine()(np.dstack([crop] * 3), use_det=False, use_cls=False)
        if not result:
            continue
        new, score = str(result[0][0]).strip(), float(result[0][1])
        if re.fullmatch(r"[0-9]+", new) and score > (conf or 0.0):
            again.append((r, c, text))
            for rr, cc in members:
                cells.cells[rr][cc], cells.confidence[rr][cc] = new, score
    return again


def _unread(cells: GridCells, grid: Grid, gray: np.ndarray, threshold: int) -> list[tuple[str, str]]:
    """Notes for empty cells that hold ink (a mark the recogniser did not read): the cell is
    missing, and the user can look at the box."""
    notes = []
    for r, row in enumerate(cells.cells):
        for c, text in enumerate(row):
            if not text and cells.origin[r][c] and _ink(gray, cells.pixel_box[r][c], threshold) is not None:
                notes.append(("ocr_unread", (f"page {grid.page[r][c]}, box {grid.box[r][c]}: the cell holds ink "
                                            "but no text was recognised; left missing")))
    return notes


# ---------------------------------------------------------------- documents
def has_text_layer(pdf, page: int) -> bool:
    """True when a PDF page has any extractable text (pypdfium2 page index)."""
    tp = pdf[page].get_textpage()
    try:
        return bool(tp.get_text_range().strip())
    finally:
        tp.close()


def read_scanned(source, pages: Sequence[int] | None = None, settings: OcrSettings | None = None,
                 progress: Progress | None = None) -> tuple[list[Paragraph | Grid], list[tuple[str, str]]]:
    """OCR the given pages (0-based; all by default) of a PDF (path, bytes or
    ``pypdfium2.PdfDocument``): blocks of every page in order, and the (check, message) notes.

    ``progress(done, total)`` is called after each page (OCR takes seconds a page).
    """
    import pypdfium2 as pdfium

    settings = settings or OcrSettings()
    pdf = source if isinstance(source, pdfium.PdfDocument) else pdfium.PdfDocument(
        bytes(source) if isinstance(source, (bytes, bytearray)) else os.fspath(source))
    pages = list(range(len(pdf))) if pages is None else list(pages)
    read: dict[int, list[Paragraph | Grid]] = {}
    notes: list[tuple[str, str]] = []
    for k, i in enumerate(pages):
        scale = min(settings.scale, settings.max_side / max(pdf[i].get_size()))
        image = pdf[i].render(scale=scale, grayscale=True).to_pil()
        read[i], n = page_read(image, i + 1, scale, settings=settings)
        notes.extend(n)
        if progress:
            progress(k + 1, len(pages))
    join_pages(read)
    return [b for i in pages for b in read[i]], notes

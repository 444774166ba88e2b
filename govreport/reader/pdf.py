"""PDF reports: text from pypdfium2, ruled tables from pdfplumber, scans through OCR.

pypdfium2 gives every page's characters and their boxes (fast). Only pages that draw
ruling lines are opened with pdfplumber, whose ``find_tables`` turns the lines into cells;
page fills (white or shaded boxes behind text, as WPS exports draw them) are ignored, so
prose is never taken for a table. A table that runs over a page break is one
:class:`~govreport.reader.document.Grid` (see :mod:`.pdfgrid`). The prose around the tables
is joined back into paragraphs and stripped of page numbers (:mod:`.paragraphs`). Pages
without a text layer are rendered and handed to :mod:`govreport.reader.ocr`.
"""
from __future__ import annotations

import ctypes
import importlib.util
import io
import logging

from ..errors import ParseError
from . import paragraphs as para
from . import pdfgrid
from .document import Document, Grid, Paragraph, decoded_text

#: pixels per PDF point when a page is rendered for OCR (about 200 dpi)
OCR_MODES = ("auto", "always", "never")
_MIN_RULES = 4  # stroked paths (or hairline fills) a page needs before we look for a table on it
_MAX_RULES = 5000  # pdfplumber's intersection search grows with lines²: a page drawing more is not searched


def read_pdf(data: bytes, name: str | None = None, *, ocr: str = "auto", progress: bool = True) -> Document:
    """Read a PDF's bytes into a Document (paragraphs and grids in reading order)."""
    import pypdfium2 as pdfium

    if ocr not in OCR_MODES:
        raise ParseError(name, f"ocr must be one of {', '.join(OCR_MODES)}, not {ocr!r}", code="bad_argument")
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as ex:
        raise ParseError(name, f"cannot open the PDF ({ex}); it may be damaged or password-protected",
                         code="bad_pdf") from ex
    try:
        return _read(pdf, data, name, ocr, progress)
    finally:
        pdf.close()


def _read(pdf, data: bytes, name: str | None, ocr: str, progress: bool) -> Document:
    n = len(pdf)
    notes: list[tuple[str, str]] = []
    items: list[tuple[int, float, object]] = []  # (page, top, Line | list[Cell] piece)
    scans: list[int] = []
    prose: list[list[para.Line]] = []  # each page's lines outside its tables
    widths: dict[int, float] = {}  # page → width as shown
    plumber = None
    try:
        for i in range(n):
            page = pdf[i]
            widths[i + 1] = round(page.get_width())
            lines = _page_lines(page, i + 1)
            if ocr == "always" or not lines or _only_an_image(page, lines):
                scans.append(i)
                continue
            pieces: list[list[pdfgrid.Cell]] = []
            rules = _count_rules(page)
            if rules > _MAX_RULES:
                notes.append(("pdf_too_many_rules", f"page {i + 1} draws over {_MAX_RULES} lines; tables not searched"))
            elif rules >= _MIN_RULES:
                if plumber is None:
                    import pdfplumber

                    # pdfminer logs every oddity of a damaged page: what matters becomes a finding
                    logging.getLogger("pdfminer").setLevel(logging.ERROR)
                    plumber = pdfplumber.open(io.BytesIO(data))
                try:
                    pieces = _tables(plumber.pages[i], i + 1)
                except Exception as ex:  # noqa: BLE001 - one damaged page costs its tables, not the report
                    why = f"page {i + 1}: the table finder failed ({type(ex).__name__}); its tables are missing"
                    notes.append(("pdf_tables_unreadable", why))
            boxes = [_bbox(p) for p in pieces]
            lines = sorted((ln for ln in lines if not any(_inside(ln, b) for b in boxes)), key=lambda ln: ln.top)
            prose.append(para.strip_page_marks(lines))
            items += [(i + 1, b[1], p) for p, b in zip(pieces, boxes)]
    finally:
        if plumber is not None:
            plumber.close()
    for lines in para.strip_running_lines(prose):
        items += [(ln.page, ln.top, ln) for ln in lines]
    ocr_blocks: dict[int, list] = {}
    if scans:
        if ocr == "never":
            if len(scans) == n:
                raise ParseError(name, "the PDF has no text layer (a scan); read it with ocr='auto' to run OCR",
                                 code="no_text")
            pages = ", ".join(str(s + 1) for s in scans)
            notes.append(("pdf_page_without_text", f"pages {pages} have no text layer and were not read (ocr='never')"))
        else:
            ocr_blocks, ocr_notes = _ocr(pdf, scans, name, progress)
            notes += ocr_notes
    items.sort(key=lambda t: (t[0], t[1]))
    blocks = _blocks(items, ocr_blocks, widths)
    original = decoded_text(blocks)
    return Document(blocks=blocks, format="pdf", source=name, encoding=None, original_text=original,
                    notes=notes, pages=n, ocr=bool(ocr_blocks), data=data)


def _page_lines(page, number: int) -> list[para.Line]:
    """The page's text lines with their boxes (top-left origin), from pdfium's character boxes."""
    tp = page.get_textpage()
    try:
        count = tp.count_chars()
        if count <= 0:
            return []
        text = tp.get_text_range(0, count)
        to_display = _display_transform(page)
        lines: list[para.Line] = []
        buf: list[str] = []
        box = [1e9, 1e9, -1e9, -1e9]
        for k, ch in enumerate(text[:count]):
            if ch in "\r\n":
                _flush(buf, box, number, lines)
                continue
            if ch.strip():
                x0, top, x1, bottom = to_display(*tp.get_charbox(k, loose=True))  # font height, not glyph
                overlap = min(box[3], bottom) - max(box[1], top)
                if box[2] > box[0] and overlap < 0.3 * min(box[3] - box[1], bottom - top):
                    _flush(buf, box, number, lines)  # a new printed line (pdfium misses them on rotated pages)
                box[0], box[1] = min(box[0], x0), min(box[1], top)
                box[2], box[3] = max(box[2], x1), max(box[3], bottom)
            buf.append(ch)
        _flush(buf, box, number, lines)
        return lines
    finally:
        tp.close()


def _display_transform(page):
    """pdfium's character boxes are in the unrotated page space (origin bottom-left);
    pdfplumber's are as the page is shown (``/Rotate`` applied, origin top-left). This maps
    ``(left, bottom, right, top)`` to the shown ``(x0, top, x1, bottom)``."""
    rot = page.get_rotation() % 360
    w, h = page.get_width(), page.get_height()  # as shown
    if rot in (90, 270):
        w, h = h, w  # unrotated width and height
    if rot == 90:
        return lambda x0, y0, x1, y1: (y0, x0, y1, x1)
    if rot == 180:
        return lambda x0, y0, x1, y1: (w - x1, y0, w - x0, y1)
    if rot == 270:
        return lambda x0, y0, x1, y1: (h - y1, w - x1, h - y0, w - x0)
    return lambda x0, y0, x1, y1: (x0, h - y1, x1, h - y0)


def _flush(buf: list[str], box: list[float], page: int, lines: list[para.Line]) -> None:
    t = "".join(buf).strip()
    if t and box[2] > box[0]:
        lines.append(para.Line(t, page, box[0], box[1], box[2], box[3]))
    buf.clear()
    box[:] = [1e9, 1e9, -1e9, -1e9]


def _only_an_image(page, lines: list[para.Line]) -> bool:
    """A scan with a stray text object (a stamped page number): an image covers most of the
    page and the text layer holds a handful of characters."""
    from pypdfium2 import raw

    if sum(len(ln.text) for ln in lines) >= 20:
        return False
    area = page.get_width() * page.get_height()
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        x0, y0, x1, y1 = obj.get_bounds()
        if (x1 - x0) * (y1 - y0) >= 0.5 * area:
            return True
    return False


def _count_rules(page) -> int:
    """Cheap test before pdfplumber: stroked paths and hairline fills that could rule a table
    (counted up to just above :data:`_MAX_RULES`)."""
    from pypdfium2 import raw

    rules = 0
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH], max_depth=2):
        fill, stroke = ctypes.c_int(), ctypes.c_int()
        raw.FPDFPath_GetDrawMode(obj.raw, ctypes.byref(fill), ctypes.byref(stroke))
        if stroke.value:
            rules += 1
        else:
            x0, y0, x1, y1 = obj.get_bounds()
            rules += min(x1 - x0, y1 - y0) < 2
        if rules > _MAX_RULES:
            break
    return rules


def _is_rule(obj: dict) -> bool:
    # a filled box behind text is a background, not a border; a hairline fill is a border
    if obj.get("object_type") != "rect":
        return True
    return bool(obj.get("stroke")) or min(obj.get("width", 0), obj.get("height", 0)) < 2


def _tables(page, number: int) -> list[list[pdfgrid.Cell]]:
    """pdfplumber's ruled tables on one page, as cells with boxes."""
    ruled = page.filter(_is_rule)
    out = []
    for table in ruled.find_tables():
        texts = table.extract()
        cells = []
        for row, row_text in zip(table.rows, texts):
            for bbox, text in zip(row.cells, row_text):
                if bbox is not None:
                    cells.append(pdfgrid.Cell(pdfgrid.join_cell_lines(text), number, tuple(bbox)))
        if len({c.box[0] for c in cells}) < 2 and len(cells) < 2:
            continue  # one box around some text: a frame, not a table
        out.append(cells)
    return out


def _bbox(cells: list[pdfgrid.Cell]) -> tuple[float, float, float, float]:
    return (min(c.box[0] for c in cells), min(c.box[1] for c in cells),
            max(c.box[2] for c in cells), max(c.box[3] for c in cells))


def _inside(ln: para.Line, b) -> bool:
    cx, cy = (ln.x0 + ln.x1) / 2, (ln.top + ln.bottom) / 2
    return b[0] <= cx <= b[2] and b[1] <= cy <= b[3]


def _blocks(items: list, ocr_blocks: dict[int, list], widths: dict[int, float]) -> list[Paragraph | Grid]:
    """Reading order: prose runs joined into paragraphs; table pieces on consecutive pages,
    with nothing but page marks between them and the same width, joined into one grid."""
    lines = [it[2] for it in items if isinstance(it[2], para.Line)]
    # the text block's right margin, per page size (a landscape page has its own)
    by_size: dict[float, float] = {}
    for ln in lines:
        by_size[widths[ln.page]] = max(by_size.get(widths[ln.page], 0.0), ln.x1)
    right = {page: by_size.get(w, 0.0) for page, w in widths.items()}
    blocks: list[Paragraph | Grid] = []
    run: list[para.Line] = []
    pieces: list[list[pdfgrid.Cell]] = []
    last_page = 0

    def flush_run() -> None:
        blocks.extend(para.join(run, right))
        run.clear()

    def flush_table() -> None:
        if pieces:
            blocks.append(pdfgrid.build(pieces))
            pieces.clear()

    for page, _, obj in items:
        for p in sorted(k for k in ocr_blocks if last_page < k + 1 < page):  # OCR'd pages in between
            flush_run()
            flush_table()
            blocks.extend(ocr_blocks.pop(p))
        last_page = page
        if isinstance(obj, para.Line):
            flush_table()
            run.append(obj)
            continue
        flush_run()
        if pieces and not (page == pieces[-1][0].page + 1 and pdfgrid.same_table(_bbox(pieces[-1]), _bbox(obj))):
            flush_table()
        pieces.append(obj)
    flush_run()
    flush_table()
    for p in sorted(ocr_blocks):
        blocks.extend(ocr_blocks[p])
    return blocks


def _ocr(pdf, pages: list[int], name: str | None, progress: bool) -> tuple[dict[int, list], list[tuple[str, str]]]:
    """Render the pages without text and read them with OCR (govreport.reader.ocr): each
    page's blocks, and the notes (cells read again from their ink, cells with ink but no text …)."""
    if importlib.util.find_spec("rapidocr_onnxruntime") is None:
        raise ParseError(name, "the PDF has pages without a text layer (scans) and OCR is not installed: "
                         "pip install 'govreport[ocr]'", code="ocr_unavailable")
    try:
        from . import ocr as ocr_mod
    except ImportError as ex:
        raise ParseError(name, f"OCR is not available ({ex}): pip install 'govreport[ocr]'",
                         code="ocr_unavailable") from ex
    from tqdm.auto import tqdm

    settings = ocr_mod.OcrSettings()
    out: dict[int, list] = {}
    notes: list[tuple[str, str]] = []
    for i in tqdm(pages, desc="OCR (several seconds a page)", unit="page", disable=not progress, leave=False):
        # the scale the recogniser was tuned at, capped for very large pages
        scale = min(settings.scale, settings.max_side / max(pdf[i].get_size()))
        image = pdf[i].render(scale=scale, grayscale=True).to_pil()
        blocks, page_notes = ocr_mod.page_read(image, i + 1, scale, settings=settings)
        out[i] = list(blocks)
        notes += page_notes
    return pdfgrid.join_pages(out), notes  # tables cut by a page break, one grid as in the text layer

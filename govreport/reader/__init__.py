"""Turn a path, bytes or a string into a :class:`Document`: decoded text in blocks.

A block is a paragraph line or an HTML table resolved into a grid (rowspan and colspan
expanded). Encodings are detected with charset-normalizer; HTML is parsed with lxml
(BeautifulSoup, through lxml's soupparser, when lxml cannot cope with the markup) and
stripped of page furniture (navigation, share buttons, QR prompts).
"""
from __future__ import annotations

import os
import re
from pathlib import Path

from .. import layouts
from ..errors import ParseError
from .document import Document, Grid, Paragraph  # noqa: F401

_HTML_HINT = re.compile(rb"<\s*(html|body|table|p|div|tr|td|br|span|meta|head|article)\b", re.I)
_HTML_HINT_STR = re.compile(r"<\s*(html|body|table|p|div|tr|td|br|span|meta|head|article)\b", re.I)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_DROP_TAGS = ("script", "style", "noscript", "iframe", "nav", "header", "footer", "form",
              "button", "select", "input", "textarea", "svg", "head", "object")
_CHROME_ATTR = re.compile(r"(^|[-_\s])(nav|menu|breadcrumb|crumb|share|footer|header|sidebar|toolbar|"
                          r"print|qrcode|ewm|erweima|fontsize|topbar|bottom)([-_\s]|$)", re.I)
_BLOCK_TAGS = {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "section", "article",
               "blockquote", "pre", "dd", "dt", "ul", "ol", "center", "title"}


_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))


def looks_binary(data: bytes) -> bool:
    """True for content that is not text in any encoding a report could use."""
    head = data[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 BOM: text, let the reader try
        return False
    if b"\x00" in head:
        return not _looks_utf16(head)
    control = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return control > max(8, len(head) // 20)


def _looks_utf16(head: bytes) -> bool:
    """UTF-16 without a BOM: mostly CJK, ASCII and punctuation once decoded."""
    head = head[: len(head) // 2 * 2]
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = head.decode(enc)
        except UnicodeDecodeError:
            continue
        if not text:
            continue
        good = sum(1 for ch in text
                   if ch in "\t\r\n" or " " <= ch <= "~" or "\u3000" <= ch <= "\u30ff"
                   or "\u4e00" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef")
        if good >= 0.9 * len(text):
            return True
    return False


def decode(data: bytes, name: str | None = None, encoding: str | None = None) -> tuple[str, str]:
    """Decode bytes: the given encoding, else UTF-8, else the declared or detected charset."""
    if not data.strip():
        raise ParseError(name, "empty file")
    if encoding:
        return data.decode(encoding), encoding
    if looks_binary(data):
        raise ParseError(name, "binary file, not a text or HTML report")
    head = data[:4096]
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as ex:
        # a download cut inside a character: UTF-8 up to the cut (the lost tail is < 4 bytes)
        if ex.start >= len(data) - 3 and ex.reason == "unexpected end of data":
            return data[: ex.start].decode("utf-8-sig"), "utf-8"
    declared = _META_CHARSET.search(head)
    if declared:
        enc = declared.group(1).decode("ascii").lower()
        enc = "gb18030" if enc in ("gb2312", "gbk", "gb18030") else enc
        try:
            return data.decode(enc), enc
        except (UnicodeDecodeError, LookupError):
            pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=["utf_8", "gb18030", "gbk", "big5", "utf_16"]).best()
    if best is None:
        best = from_bytes(data).best()
    if best is None:
        raise ParseError(name, "cannot determine the text encoding (binary file?)")
    enc = best.encoding
    # GB2312/GBK detections decode more safely as their superset GB18030
    if enc in ("gb2312", "gbk"):
        enc = "gb18030"
    text = data.decode(enc, errors="replace")
    if text.count("\ufffd") > max(5, len(text) // 100):
        raise ParseError(name, f"cannot decode as {enc}: too many invalid bytes")
    return text, enc


def is_html(text: str) -> bool:
    return bool(_HTML_HINT_STR.search(text[:5000]))


def load(source: str | os.PathLike | bytes | None = None, *, text: str | None = None,
         encoding: str | None = None, name: str | None = None) -> Document:
    """Read a report from a path, bytes or a string (``text=``, HTML or plain).

    ``name`` is recorded as the source of bytes or text (a path records itself).
    """
    if text is None:
        if source is None:
            raise ParseError(None, "nothing to read: pass a path, bytes or text=")
        if isinstance(source, (bytes, bytearray)):
            data = bytes(source)
        else:
            path = Path(source)
            name = str(path)
            if path.is_dir():
                raise ParseError(name, "is a directory, not a report")
            if not path.exists():
                raise ParseError(name, "no such file")
            try:
                data = path.read_bytes()
            except OSError as ex:
                raise ParseError(name, f"cannot read file: {ex.strerror or ex}") from ex
        if data.startswith(b"%PDF-"):
            return _load_scanned_pdf(data, name)
        text, enc = decode(data, name, encoding)
    else:
        enc = None
    if not text.strip():
        raise ParseError(name, "empty file")
    if is_html(text):
        return _from_html(text, name, enc)
    return Document(blocks=_clean_lines(text.splitlines()), format="text", source=name, encoding=enc,
                    original_text=text)


def _load_scanned_pdf(data: bytes, name: str | None, ocr: str = "auto", progress: bool = True) -> Document:
    """A PDF read by OCR (:mod:`govreport.reader.ocr`): with ``ocr="auto"`` the pages without
    a text layer (all of them, until the PDF reader lands: a PDF with text is refused here),
    with ``"always"`` every page; ``"never"`` refuses a scan. A progress bar counts the pages
    (OCR takes seconds a page)."""
    import pypdfium2 as pdfium

    from . import ocr as _ocr

    if ocr not in ("auto", "always", "never"):
        raise ValueError(f"ocr must be 'auto', 'always' or 'never', not {ocr!r}")
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as ex:
        raise ParseError(name, f"cannot open PDF: {ex}") from ex
    pages = list(range(len(pdf))) if ocr == "always" else [i for i in range(len(pdf))
                                                           if not _ocr.has_text_layer(pdf, i)]
    if ocr == "never" and pages:
        raise ParseError(name, f"{len(pages)} of {len(pdf)} pages are scans without text; read them with ocr='auto'")
    if len(pages) < len(pdf):
        raise ParseError(name, "PDF with a text layer: not read by this build (OCR reads image-only PDFs)")
    from tqdm.auto import tqdm

    # shown on a terminal only (disable=None), gone when done: a corpus run has its own bar
    with tqdm(total=len(pages), disable=None if progress and len(pages) > 1 else True, unit="page", leave=False,
              desc=f"OCR {Path(name).name if name else 'PDF'} (seconds a page)") as bar:
        blocks, notes = _ocr.read_scanned(pdf, pages, progress=lambda done, total: bar.update(1))
    original = "\n".join(b if isinstance(b, str) else "\n".join(" | ".join(r) for r in b.logical_rows())
                         for b in blocks)
    return Document(blocks=blocks, format="pdf", source=name, original_text=original, notes=notes,
                    pages=len(pdf), ocr=True)


def _clean_lines(lines: list[str]) -> list[str]:
    out = []
    phrases = layouts.chrome_phrases()
    for line in lines:
        for p in phrases:
            if p in line:
                line = line.replace(p, "")
        out.append(line.rstrip())
    return out


def _parse_html(text: str, name: str | None):
    """lxml's HTML parser (fast, forgiving); BeautifulSoup through lxml's soupparser when
    lxml gives up on the markup."""
    from lxml import etree
    from lxml import html as lhtml

    text = _XML_DECL.sub("", text, count=1)  # lxml refuses str input that declares an encoding
    try:
        root = lhtml.document_fromstring(text)
    except (etree.ParserError, ValueError):
        try:
            from lxml.html import soupparser

            root = soupparser.fromstring(text)
        except Exception as ex:  # noqa: BLE001 - any failure here means unreadable HTML
            raise ParseError(name, f"cannot parse HTML: {ex}") from ex
    return root


def _from_html(html: str, name: str | None, enc: str | None) -> Document:
    root = _parse_html(html, name)
    for el in list(root.iter(*_DROP_TAGS)):
        el.drop_tree()
    for el in list(root.iter()):
        if not isinstance(el.tag, str) or el.getparent() is None:
            continue
        attrs = f"{el.get('class', '')} {el.get('id', '')}".strip()
        if attrs and _CHROME_ATTR.search(attrs) and el.find(".//table") is None \
                and len(el.text_content()) < 400:
            el.drop_tree()

    blocks: list[str | Grid] = []
    buf: list[str] = []

    def flush() -> None:
        line = "".join(buf).strip()
        if line:
            blocks.append(line)
        buf.clear()

    def walk(el) -> None:
        tag = el.tag if isinstance(el.tag, str) else None  # comments and PIs have no str tag
        if tag == "table":
            flush()
            blocks.append(table_grid(el))
        elif tag == "br":
            flush()
        elif tag is not None:
            block = tag in _BLOCK_TAGS
            if block:
                flush()
            if el.text:
                buf.append(el.text.replace("\n", " "))
            for child in el:
                walk(child)
            if block:
                flush()
        if el.tail:
            buf.append(el.tail.replace("\n", " "))

    body = root.find(".//body")
    walk(body if body is not None else root)
    flush()
    lines = _clean_lines([b for b in blocks if isinstance(b, str)])
    it = iter(lines)
    cleaned: list[str | Grid] = [b if isinstance(b, Grid) else next(it) for b in blocks]
    original = "\n".join(b if isinstance(b, str) else
                         "\n".join(" | ".join(r) for r in b.logical_rows()) for b in blocks)
    return Document(blocks=[b for b in cleaned if not (isinstance(b, str) and not b.strip())],
                    format="html", source=name, encoding=enc, original_text=original)


def _cell_text(cell) -> str:
    # <br> and <p> inside a cell split words of a label ("本年新<br/>制作数量"): join them
    return "".join(s.strip() for s in cell.itertext()).replace("\xa0", " ").strip()


def table_grid(table) -> Grid:
    """Resolve an HTML ``<table>`` (an lxml element) into a rectangular grid, expanding
    rowspan and colspan."""
    rows = table.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")
    cells: list[list[str | None]] = []
    origin: list[list[bool]] = []
    pending: dict[tuple[int, int], str] = {}
    for r, tr in enumerate(rows):
        row: list[str | None] = []
        orow: list[bool] = []
        c = 0
        for td in tr.iterchildren("td", "th"):
            while (r, c) in pending:
                row.append(pending.pop((r, c)))
                orow.append(False)
                c += 1
            text = _cell_text(td)
            rs = _span(td.get("rowspan"))
            cs = _span(td.get("colspan"))
            for k in range(cs):
                row.append(text)
                orow.append(k == 0)
                for dr in range(1, rs):
                    pending[(r + dr, c + k)] = text
            c += cs
        while (r, c) in pending:
            row.append(pending.pop((r, c)))
            orow.append(False)
            c += 1
        cells.append(row)
        origin.append(orow)
    width = max((len(r) for r in cells), default=0)
    for row, orow in zip(cells, origin):
        row.extend([""] * (width - len(row)))
        orow.extend([False] * (width - len(orow)))
    return Grid(cells=[[c or "" for c in row] for row in cells], origin=origin)


def _span(value) -> int:
    if value is None:
        return 1
    try:
        return max(1, min(int(str(value).strip()), 100))
    except (TypeError, ValueError):
        return 1

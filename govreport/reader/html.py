"""HTML reports: lxml (BeautifulSoup through lxml's soupparser when lxml gives up), page
furniture dropped (navigation, share buttons, QR prompts), tables resolved into grids.

Bounded for hostile pages: the tree is walked without recursion, spans are clamped to what
the table can hold, and tables nested deeper than a browser would show leave a note.
"""
from __future__ import annotations

import re

from ..errors import ParseError
from .document import Document, Grid, check_grid_size, decoded_text
from .text import clean_lines

_HTML_HINT_STR = re.compile(r"<\s{0,10}(html|body|table|p|div|tr|td|br|span|meta|head|article)\b", re.IGNORECASE)
_XML_DECL = re.compile(r"^\s{0,100}<\?xml[^>]{0,400}\?>", re.IGNORECASE)
_DROP_TAGS = ("script", "style", "noscript", "iframe", "nav", "header", "footer", "form",
              "button", "select", "input", "textarea", "svg", "head", "object")
_CHROME_ATTR = re.compile(r"(^|[-_\s])(nav|menu|breadcrumb|crumb|share|footer|header|sidebar|toolbar|"
                          r"print|qrcode|ewm|erweima|fontsize|topbar|bottom)([-_\s]|$)", re.IGNORECASE)
_BLOCK_TAGS = {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "section", "article",
               "blockquote", "pre", "dd", "dt", "ul", "ol", "center", "title"}
_NOT_CJK = re.compile(r"[^\u4e00-\u9fff]+")
_MAX_SPAN = 1000  # the HTML standard's colspan limit
_NESTED_NOTE = 8  # tables nested deeper than this are flattened into their cell, with a note


def is_html(text: str) -> bool:
    """The text looks like HTML markup (a known tag near its start)."""
    return bool(_HTML_HINT_STR.search(text[:5000]))


def _parse_html(text: str, name: str | None):
    """lxml's HTML parser (fast, forgiving; no depth limit so deep nesting is not cut off);
    BeautifulSoup through lxml's soupparser when lxml gives up on the markup."""
    from lxml import etree
    from lxml import html as lhtml

    text = _XML_DECL.sub("", text, count=1)  # lxml refuses str input that declares an encoding
    try:
        return lhtml.document_fromstring(text, parser=lhtml.HTMLParser(huge_tree=True))
    except (etree.ParserError, ValueError):
        try:
            from lxml.html import soupparser

            return soupparser.fromstring(text)
        except Exception as ex:
            raise ParseError(name, f"cannot parse HTML: {ex}", code="bad_html") from ex


def read_html(html: str, name: str | None = None, encoding: str | None = None,
              notes: list[tuple[str, str]] | None = None) -> Document:
    """An HTML report as a Document of text lines and table grids."""
    notes = list(notes or [])
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

    body = root.find(".//body")
    # an explicit stack instead of recursion: a page nested 10,000 deep must not overflow
    stack: list[tuple[object, bool]] = [(body if body is not None else root, False)]
    while stack:
        el, closing = stack.pop()
        tag = el.tag if isinstance(el.tag, str) else None  # comments and PIs have no str tag
        if closing:
            if tag in _BLOCK_TAGS:
                flush()
            if el.tail:
                buf.append(el.tail.replace("\n", " "))
            continue
        if tag == "table":
            flush()
            blocks.append(table_grid(el, notes))
            if el.tail:
                buf.append(el.tail.replace("\n", " "))
            continue
        if tag == "br":
            flush()
            if el.tail:
                buf.append(el.tail.replace("\n", " "))
            continue
        if tag is None:
            if el.tail:
                buf.append(el.tail.replace("\n", " "))
            continue
        if tag in _BLOCK_TAGS:
            flush()
        if el.text:
            buf.append(el.text.replace("\n", " "))
        stack.append((el, True))
        stack.extend((child, False) for child in reversed(list(el)))
    flush()
    lines = clean_lines([b for b in blocks if isinstance(b, str)])
    it = iter(lines)
    cleaned: list[str | Grid] = [b if isinstance(b, Grid) else next(it) for b in blocks]
    original = decoded_text(blocks)
    printed, kept = len(_NOT_CJK.sub("", html)), len(_NOT_CJK.sub("", original))
    if kept < 0.8 * printed - 50:  # the parser gave up on part of the page (nesting beyond its limit)
        notes.append(("html_text_lost", (f"only {kept} of the {printed} Chinese characters of the page were "
                                         "read; the markup is nested or broken beyond what the HTML parser keeps")))
    return Document(blocks=[b for b in cleaned if not (isinstance(b, str) and not b.strip())],
                    format="html", source=name, encoding=encoding, original_text=original, notes=notes)


def _cell_text(cell) -> str:
    # <br> and <p> inside a cell split words of a label ("本年新<br/>制作数量"): join them
    return "".join(s.strip() for s in cell.itertext()).replace("\xa0", " ").strip()


def _nesting(table) -> int:
    """How deep tables nest inside ``table`` (one pass over its subtree)."""
    best, stack = 0, [(table, 0)]
    while stack:
        el, depth = stack.pop()
        for child in el:
            d = depth + (child.tag == "table")
            best = max(best, d)
            stack.append((child, d))
    return best


def table_grid(table, notes: list[tuple[str, str]] | None = None) -> Grid:
    """Resolve an HTML ``<table>`` (an lxml element) into a rectangular grid, expanding
    rowspan and colspan. Spans are clamped to the rows the table has and to a grid no larger
    than its cells can fill, so ``rowspan=99999 colspan=99999`` costs nothing."""
    rows = table.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")
    n_cells = sum(len(tr.xpath("./td | ./th")) for tr in rows)
    budget = 50 * n_cells + 2000  # slots: generous for real tables, bounded for absurd spans
    grid = _expand(rows, budget)
    if grid is None:
        grid = _expand(rows, None, spans=False)
        if notes is not None:
            notes.append(("table_spans_ignored", (f"a table of {n_cells} cells declares spans that would make "
                                                  f"more than {budget} cells; its rowspan/colspan were ignored")))
    depth = _nesting(table) if notes is not None and table.find(".//table") is not None else 0
    if depth > _NESTED_NOTE:
        notes.append(("table_nested_deep", f"tables nested {depth} deep; the inner tables were read as text"))
    return grid


def _expand(rows, budget: int | None, spans: bool = True) -> Grid | None:
    cells: list[list[str | None]] = []
    origin: list[list[bool]] = []
    pending: dict[tuple[int, int], str] = {}
    slots = 0
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
            rs = min(_span(td.get("rowspan")), len(rows) - r) if spans else 1
            cs = _span(td.get("colspan")) if spans else 1
            slots += rs * cs
            if budget is not None and slots > budget:
                return None
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
    if budget is not None and width * len(cells) > budget:
        return None
    check_grid_size(width, len(cells))
    for row, orow in zip(cells, origin):
        row.extend([""] * (width - len(row)))
        orow.extend([False] * (width - len(orow)))
    return Grid(cells=[[c or "" for c in row] for row in cells], origin=origin)


def _span(value) -> int:
    if value is None:
        return 1
    try:
        return max(1, min(int(str(value).strip()[:6]), _MAX_SPAN))
    except (TypeError, ValueError):
        return 1

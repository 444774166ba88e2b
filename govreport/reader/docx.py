"""DOCX reports (python-docx): paragraphs and tables in document order.

Merged cells are expanded like HTML spans: ``gridSpan`` repeats a cell to the right and
``vMerge`` continues the cell above; copies are not origins.
"""
from __future__ import annotations

import io
import zipfile

from ..errors import ParseError
from .document import Document, Grid, Paragraph, check_grid_size, decoded_text
from .docx_lists import ListLabels

_MAX_XML = 200 << 20  # uncompressed document.xml: a ZIP bomb is refused, not inflated
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_docx(data: bytes, name: str | None = None) -> Document:
    """Read a DOCX's bytes into a Document."""
    import docx

    try:
        info = zipfile.ZipFile(io.BytesIO(data)).getinfo("word/document.xml")
        if info.file_size > _MAX_XML:
            raise ParseError(name, f"word/document.xml inflates to {info.file_size} bytes", code="too_large")
        d = docx.Document(io.BytesIO(data))
    except ParseError:
        raise
    except Exception as ex:
        raise ParseError(name, f"cannot open the DOCX ({type(ex).__name__}: {ex})", code="bad_docx") from ex
    numbering = ListLabels(d)
    notes: list[tuple[str, str]] = []
    blocks: list[Paragraph | Grid] = []
    for child in _body_blocks(d.element.body):
        if child.tag == _W + "p":
            text = _text(child, numbering).strip()
            if text:
                blocks.append(Paragraph(text))
        elif child.tag == _W + "tbl":
            blocks.append(table_grid(child, numbering, notes))
    original = decoded_text(blocks)
    return Document(blocks=blocks, format="docx", source=name, original_text=original, notes=notes)


def _body_blocks(body):
    """Paragraphs and tables of the body in order, including those wrapped in content
    controls (``w:sdt``) or custom XML, which python-docx's ``paragraphs`` would skip."""
    stack = list(reversed(list(body)))
    while stack:
        el = stack.pop()
        if el.tag in (_W + "p", _W + "tbl"):
            yield el
        elif el.tag in (_W + "sdt", _W + "sdtContent", _W + "customXml"):
            stack.extend(reversed(list(el)))


def _text(el, numbering: ListLabels | None = None) -> str:
    """The text of a paragraph or cell element: automatic list labels (``一、``), runs, tabs
    as spaces; paragraphs inside a cell joined without a break (a wrapped label is one label)."""
    out = []
    for node in el.iter(_W + "t", _W + "tab", _W + "p"):
        if node.tag == _W + "t":
            out.append(node.text or "")
        elif node.tag == _W + "tab":
            out.append(" ")
        elif numbering is not None:
            out.append(numbering.label(node))
    return "".join(out).replace("\xa0", " ")


def _val(el, path: str) -> str | None:
    found = el.find(path)
    return None if found is None else found.get(_W + "val", "")


def table_grid(tbl, numbering: ListLabels | None = None, notes: list[tuple[str, str]] | None = None) -> Grid:
    """A ``w:tbl`` element as a Grid, merged cells expanded. Spans that would blow the grid
    far beyond what its cells fill are ignored (with a note), as for HTML."""
    trs = list(tbl.iterchildren(_W + "tr"))
    n_cells = sum(len(tr.findall(_W + "tc")) for tr in trs)
    width = max((_int(_val(tr, f"{_W}trPr/{_W}gridBefore"), 0) + sum(
        _int(_val(tc, f"{_W}tcPr/{_W}gridSpan"), 1) for tc in tr.iterchildren(_W + "tc")) for tr in trs), default=0)
    spans = width * len(trs) <= 50 * n_cells + 2000
    if not spans:
        width = max((len(tr.findall(_W + "tc")) for tr in trs), default=0)
        if notes is not None:
            why = f"a table of {n_cells} cells declares absurd spans; its gridSpan/gridBefore were ignored"
            notes.append(("table_spans_ignored", why))
    check_grid_size(width, len(trs))
    cells: list[list[str]] = []
    origin: list[list[bool]] = []
    for tr in trs:
        row: list[str] = []
        orow: list[bool] = []
        before = _val(tr, f"{_W}trPr/{_W}gridBefore") if spans else None
        for _ in range(_int(before, 0)):
            row.append("")
            orow.append(False)
        for tc in tr.iterchildren(_W + "tc"):
            span = _int(_val(tc, f"{_W}tcPr/{_W}gridSpan"), 1) if spans else 1
            vmerge = _val(tc, f"{_W}tcPr/{_W}vMerge")
            c = len(row)
            if vmerge is not None and vmerge != "restart" and cells and c < len(cells[-1]):
                text = cells[-1][c]  # continues the cell above
                first = False
            else:
                text = _text(tc, numbering).strip()
                first = True
            for k in range(span):
                row.append(text)
                orow.append(first and k == 0)
        cells.append(row)
        origin.append(orow)
    width = max((len(r) for r in cells), default=0)
    for row, orow in zip(cells, origin):
        row.extend([""] * (width - len(row)))
        orow.extend([False] * (width - len(orow)))
    return Grid(cells=cells, origin=origin)


def _int(value: str | None, default: int) -> int:
    try:
        return max(1 if default else 0, min(int(value), 1000)) if value else default
    except ValueError:
        return default

"""Turn a path, bytes or a string into a :class:`Document`: paragraphs and table grids.

:func:`load` sniffs the format from the bytes (``%PDF-``; a ZIP holding
``word/document.xml``; OLE2, OFD, archives and images are refused with the conversion to
run), then from the suffix, and dispatches to one module per format: :mod:`.text`,
:mod:`.html`, :mod:`.pdf`, :mod:`.docx`. :mod:`.decode` is the only place that decides
whether bytes are text and in which encoding. Files above ``max_bytes`` are refused
without being read.
"""
from __future__ import annotations

import functools
import os
import stat
from pathlib import Path

from .. import datafiles
from ..errors import EmptyFileError, ParseError
from .decode import Decoded, binary_reason, decode, decode_text, looks_binary  # noqa: F401
from .document import Box, Document, Grid, Paragraph, text_lines
from .formats import Kind, sniff, suffix_kind
from .html import is_html, read_html, table_grid  # noqa: F401
from .text import clean_lines, read_text  # noqa: F401

#: reports larger than this are refused (``ParseError`` code ``too_large``); a parameter of load()
MAX_BYTES = 20 * 1024 * 1024

__all__ = [
    "MAX_BYTES",
    "Box",
    "Document",
    "Grid",
    "Kind",
    "Paragraph",
    "binary_reason",
    "decode",
    "decode_text",
    "is_html",
    "load",
    "looks_binary",
    "note_severity",
    "read_bytes",
    "sniff",
    "text_lines",
]


@functools.cache
def _note_kinds() -> dict[str, str]:
    return {r["code"]: r["severity"] for r in datafiles.rows("reader/notes.csv")}


def note_severity(code: str) -> str:
    """The severity of a reader note (``data/reader/notes.csv``; ``warning`` when unlisted)."""
    return _note_kinds().get(code, "warning")


def read_bytes(path: str | os.PathLike, max_bytes: int = MAX_BYTES) -> bytes:
    """A file's bytes, refusing directories, FIFOs/devices and files above ``max_bytes``
    without reading more than ``max_bytes + 1`` bytes."""
    name = str(path)
    try:
        st = os.stat(path)
    except FileNotFoundError as ex:
        raise ParseError(name, "no such file", code="not_found") from ex
    except OSError as ex:
        raise ParseError(name, f"cannot read file: {ex.strerror or ex}", code="unreadable") from ex
    if stat.S_ISDIR(st.st_mode):
        raise ParseError(name, "is a directory, not a report", code="is_directory")
    if not stat.S_ISREG(st.st_mode):
        raise ParseError(name, "not a regular file (a FIFO, socket or device)", code="unreadable")
    if st.st_size > max_bytes:
        raise ParseError(name, f"file of {st.st_size} bytes is larger than max_bytes={max_bytes}", code="too_large")
    try:
        with open(path, "rb") as f:
            data = f.read(max_bytes + 1)
    except OSError as ex:
        raise ParseError(name, f"cannot read file: {ex.strerror or ex}", code="unreadable") from ex
    if len(data) > max_bytes:  # the file grew after stat
        raise ParseError(name, f"file is larger than max_bytes={max_bytes}", code="too_large")
    return data


def load(source: str | os.PathLike | bytes | None = None, *, text: str | None = None,
         encoding: str | None = None, name: str | None = None, ocr: str = "auto", max_bytes: int = MAX_BYTES,
         encoding_errors: str = "replace", progress: bool = True) -> Document:
    """Read a report from a path, bytes or a string (``text=``, HTML or plain).

    ``name`` is recorded as the source of bytes or text (a path records itself). ``ocr``
    (``"auto"``, ``"always"``, ``"never"``) says when scanned PDF pages are OCR'd;
    ``encoding``/``encoding_errors`` control decoding of text and HTML (see
    :func:`decode_text`). Only :class:`~govreport.errors.ParseError` is raised.
    """
    if text is not None:
        if not isinstance(text, str):
            raise ParseError(name, f"text= must be a str, not {type(text).__name__}", code="bad_argument")
        if len(text) > max_bytes:
            raise ParseError(name, f"text of {len(text)} characters is larger than max_bytes={max_bytes}",
                             code="too_large")
        return _guard(_from_text, text, name, None, [])
    if source is None:
        raise ParseError(None, "nothing to read: pass a path, bytes or text=", code="bad_argument")
    suffix = ""
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        if len(data) > max_bytes:
            raise ParseError(name, f"{len(data)} bytes is larger than max_bytes={max_bytes}", code="too_large")
        suffix = Path(name).suffix if name else ""
    elif isinstance(source, (str, os.PathLike)):
        if isinstance(source, str) and ("\n" in source or len(source) > 4096):
            raise ParseError(None, "the source looks like report text, not a path: pass it as text=...",
                             code="bad_argument")
        path = Path(source)
        name = str(path)
        suffix = path.suffix
        data = read_bytes(path, max_bytes)
    else:
        raise ParseError(name, f"cannot read a {type(source).__name__}: pass a path, bytes or text=",
                         code="bad_argument")
    return _guard(_dispatch, data, name, suffix, encoding, encoding_errors, ocr, progress)


def _guard(fn, *args) -> Document:
    """Only ParseError leaves the reader: a library failing on hostile bytes is reported as
    a damaged file of that format, with the cause chained."""
    try:
        return fn(*args)
    except ParseError as ex:
        if ex.file is None and args[1]:  # raised deep inside a format reader: name the file
            raise ParseError(args[1], ex.reason, ex.code) from ex
        raise
    except Exception as ex:  # the contract: only ParseError escapes (RecursionError and MemoryError too)
        raise ParseError(args[1], f"cannot read the file ({type(ex).__name__}: {ex})", code="unreadable") from ex


def _dispatch(data: bytes, name: str | None, suffix: str, encoding: str | None, errors: str, ocr: str,
              progress: bool) -> Document:
    kind = sniff(data, suffix)
    if kind.name == "pdf":
        from .pdf import read_pdf

        return read_pdf(data, name, ocr=ocr, progress=progress)
    if kind.name == "docx":
        from .docx import read_docx

        return read_docx(data, name)
    if not kind.readable:
        raise ParseError(name, kind.message, code="unsupported_format")
    announced = suffix_kind(suffix)
    if announced is not None and looks_binary(data):
        raise ParseError(name, announced.message, code="unsupported_format")
    d = decode_text(data, name, encoding, errors)
    return _from_text(d.text, name, d.encoding, d.notes)


def _from_text(text: str, name: str | None, enc: str | None, notes: list) -> Document:
    if not text.strip():
        raise EmptyFileError(name)
    if is_html(text):
        return read_html(text, name, enc, notes)
    return read_text(text, name, enc, notes)

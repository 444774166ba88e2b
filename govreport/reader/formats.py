"""Which format a file is, from its bytes first and its suffix second.

The signatures, container members and conversions live in ``data/reader/formats.csv``.
Formats the reader reads: text and HTML (any encoding), PDF, DOCX. Everything else gets a
:class:`~govreport.errors.ParseError` (code ``unsupported_format``) naming the format and
the conversion to run.
"""
from __future__ import annotations

import codecs
import functools
import io
import zipfile
from dataclasses import dataclass

from .. import datafiles
from ..errors import ParseError

READABLE = ("pdf", "docx")


@dataclass(frozen=True)
class Kind:
    """A sniffed format: ``name`` (``pdf``, ``docx``, ``text`` for anything that may be text,
    ``binary`` for unknown binary data, or an unsupported format's name) and, for formats we do
    not read, the label and the conversion command."""

    name: str
    label: str = ""
    convert: str = ""

    @property
    def readable(self) -> bool:
        return self.name in READABLE or self.name == "text"

    @property
    def message(self) -> str:
        how = f"; convert it first: {self.convert}" if self.convert else ""
        return f"{self.label or self.name} is not a format govreport reads{how}"


@dataclass(frozen=True)
class _Sig:
    name: str
    magic: bytes
    zip_member: str
    ole_stream: bytes
    suffixes: tuple[str, ...]
    label: str
    convert: str


@functools.cache
def _signatures() -> tuple[_Sig, ...]:
    rows = datafiles.rows("reader/formats.csv")
    return tuple(_Sig(r["name"], codecs.escape_decode(r["magic"].encode("utf-8"))[0] if r["magic"] else b"",
                      r["zip_member"], r["ole_stream"].encode("utf-16-le"), tuple(r["suffixes"].split()),
                      r["label"], r["convert"]) for r in rows)


def _kind(sig: _Sig) -> Kind:
    return Kind(sig.name, sig.label, sig.convert)


def sniff(data: bytes, suffix: str = "") -> Kind:
    """The format of ``data``: magic bytes first (a PDF header may follow up to 1 KB of junk),
    then the members of a ZIP container, the streams of an OLE2 file, then ``suffix``."""
    suffix = suffix.lower()
    sigs = _signatures()
    if b"%PDF-" in data[:1024]:
        return Kind("pdf", "PDF")
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except (zipfile.BadZipFile, ValueError, OSError, EOFError):
            names = None  # a cut download: the local headers still name the members
        for sig in sigs:
            if sig.zip_member and (sig.zip_member in names if names is not None
                                   else sig.zip_member.encode() in data[:1 << 20]):
                return _kind(sig)
    ole = [s for s in sigs if s.name != "pdf" and s.magic == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"]
    if ole and data.startswith(ole[0].magic):
        head = data[:1 << 20]  # the directory of a report-sized OLE2 file sits near its start
        found = next((s for s in ole if s.ole_stream and s.ole_stream in head), None)
        return _kind(found or _by_suffix(ole, suffix) or next(s for s in ole if not s.ole_stream))
    for sig in sigs:
        if sig.magic and data.startswith(sig.magic) and not sig.ole_stream and not sig.zip_member:
            return _kind(sig)
    return Kind("text")


def _by_suffix(sigs: list[_Sig], suffix: str) -> _Sig | None:
    return next((s for s in sigs if suffix in s.suffixes), None)


def suffix_kind(suffix: str) -> Kind | None:
    """The unsupported format a file name's suffix announces (``.doc``, ``.ofd``, ``.xls``…),
    for files whose bytes do not say (for example a truncated download)."""
    suffix = suffix.lower()
    for sig in _signatures():
        if sig.name not in READABLE and suffix in sig.suffixes:
            return _kind(sig)
    return None


def refuse(kind: Kind, name: str | None) -> ParseError:
    """The ParseError for a format we do not read."""
    return ParseError(name, kind.message, code="unsupported_format")

"""The one gate for bytes: empty, binary, and the text encoding.

Everything that tests whether bytes are text lives here (the corpus and the CLI call
:func:`binary_reason`). Decoding order: a byte-order mark; strict UTF-8 (a download cut
inside the last character is tolerated); UTF-8 with a few bad bytes (replaced, with a note,
unless ``errors="strict"``); the charset the page declares, when it names a real text
encoding; Chinese double-byte encodings (GB18030, Big5, Big5-HKSCS) chosen by which one
yields common characters; charset-normalizer as the last resort.
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from ..errors import EmptyFileError, ParseError

_META_CHARSET = re.compile(rb"""<meta[^>]{0,400}?charset\s{0,20}=\s{0,20}["']?([A-Za-z0-9_\-]{1,40})""", re.IGNORECASE)
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))
# GB2312/GBK names decode more safely as their superset GB18030
_SUPERSET = {"gb2312": "gb18030", "gbk": "gb18030", "gb18030": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030",
             "big5": "big5hkscs", "big5-hkscs": "big5hkscs", "big5hkscs": "big5hkscs", "cp950": "big5hkscs"}
#: names Python knows that decode nothing useful (``<meta charset="undefined">``)
_NOT_TEXT = {"undefined"}


@dataclass
class Decoded:
    """Decoded text, the encoding used and notes ``(check, message)`` about the decoding."""

    text: str
    encoding: str
    notes: list[tuple[str, str]] = field(default_factory=list)


def looks_binary(data: bytes) -> bool:
    """True for content that is not text in any encoding a report could use."""
    head = data[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 BOM: text, let the reader try
        return False
    if b"\x00" in head:
        return not _looks_utf16(head)
    control = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return control > max(8, len(head) // 20)


def binary_reason(data: bytes) -> str | None:
    """None when the reader can read these bytes (text, HTML, PDF, DOCX); otherwise why not,
    naming the format and the conversion to run when the format is known."""
    from .formats import sniff

    kind = sniff(data)
    if kind.name == "text":
        return "binary content" if looks_binary(data) else None
    return None if kind.readable else kind.message


def _looks_utf16(head: bytes) -> bool:
    """UTF-16 without a BOM: mostly CJK, ASCII and punctuation once decoded."""
    head = head[: len(head) // 2 * 2]
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = head.decode(enc)
        except UnicodeDecodeError:
            continue
        if text and _plausible_share(text) >= 0.9:
            return True
    return False


def _plausible_share(text: str) -> float:
    good = sum(1 for ch in text
               if ch in "\t\r\n" or " " <= ch <= "~" or "\u3000" <= ch <= "\u30ff"
               or "\u4e00" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef")
    return good / max(1, len(text))


def check_encoding(encoding: str, name: str | None = None) -> str:
    """The codec name of ``encoding``; ParseError code ``encoding`` if it is no text encoding."""
    try:
        info = codecs.lookup(encoding)
    except (LookupError, TypeError, ValueError) as ex:
        raise ParseError(name, f"unknown encoding {encoding!r}", code="encoding") from ex
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_TEXT:
        raise ParseError(name, f"{encoding!r} is not a text encoding", code="encoding")
    return info.name


def decode_text(data: bytes, name: str | None = None, encoding: str | None = None,
                errors: str = "replace") -> Decoded:
    """Decode report bytes (see the module docstring for the order tried).

    ``errors`` is ``"replace"`` (bad bytes become U+FFFD and a note says how many) or
    ``"strict"`` (a bad byte is a ParseError code ``encoding``), as in pandas.
    """
    if errors not in ("replace", "strict"):
        raise ParseError(name, f"encoding_errors must be 'replace' or 'strict', not {errors!r}", code="bad_argument")
    if not data.strip():
        raise EmptyFileError(name)
    if encoding:
        return _forced(data, name, check_encoding(encoding, name), errors)
    if looks_binary(data):
        raise ParseError(name, "binary file, not a text or HTML report", code="binary")
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return _forced(data, name, enc, errors)
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as ex:
        # a download cut inside a character: UTF-8 up to the cut (the lost tail is < 4 bytes)
        if ex.start >= len(data) - 3 and ex.reason == "unexpected end of data":
            try:
                return Decoded(data[: ex.start].decode("utf-8"), "utf-8")
            except UnicodeDecodeError:
                pass
    if b"\x00" in data[:8192] and _looks_utf16(data[:8192]):
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            if _plausible_share(text[:4000]) >= 0.9:
                return Decoded(text, enc)
    # UTF-8 with a few bad bytes (a stray 0xFF): everything else is valid UTF-8
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    multibyte = sum(1 for ch in text[:200000] if ord(ch) > 0x7F) - bad
    if multibyte > 20 * bad and bad <= max(8, len(data) // 5000):
        return _replaced(text, "utf-8", bad, name, errors)
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        enc = declared.group(1).decode("ascii").lower()
        enc = _SUPERSET.get(enc, enc)
        try:
            codec = check_encoding(enc)
            return Decoded(data.decode(codec), codec)
        except (ParseError, UnicodeError, LookupError):
            pass  # a charset that is no text encoding, or that the bytes contradict: detect instead
    best = _cjk_guess(data)
    if best is not None:
        return best
    return _fallback(data, name, errors)


def decode(data: bytes, name: str | None = None, encoding: str | None = None) -> tuple[str, str]:
    """Decode bytes; ``(text, encoding)``. See :func:`decode_text` for notes and options."""
    d = decode_text(data, name, encoding)
    return d.text, d.encoding


def _forced(data: bytes, name: str | None, enc: str, errors: str) -> Decoded:
    try:
        return Decoded(data.decode(enc), enc.replace("-sig", ""))
    except UnicodeDecodeError as ex:
        if errors == "strict":
            raise ParseError(name, f"not valid {enc}: {ex.reason} at byte {ex.start}", code="encoding") from ex
    except UnicodeError as ex:  # codecs that cannot decode at all
        raise ParseError(name, f"cannot decode as {enc}: {ex}", code="encoding") from ex
    text = data.decode(enc, errors="replace")
    return _replaced(text, enc.replace("-sig", ""), text.count("\ufffd"), name, errors)


def _replaced(text: str, enc: str, bad: int, name: str | None, errors: str) -> Decoded:
    if errors == "strict":
        raise ParseError(name, f"{bad} byte(s) are not valid {enc} (encoding_errors='strict')", code="encoding")
    return Decoded(text, enc, [("encoding_replaced", f"{bad} invalid byte(s) in {enc} text replaced by U+FFFD")])


def _cjk_guess(data: bytes) -> Decoded | None:
    """GB18030 or Big5(-HKSCS): each decodes the other's bytes into rare characters, so keep
    the decoding whose CJK characters are mostly the common ones of that standard."""
    scored = []
    for enc in ("gb18030", "big5", "big5hkscs"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        scored.append((_common_share(text, enc), enc, text))
    if not scored:
        return None
    share, enc, text = max(scored, key=lambda t: (t[0], t[1] == "big5"))
    return Decoded(text, enc) if share >= 0.8 else None


def _common_share(text: str, enc: str) -> float:
    """Share of the CJK characters that sit in the common block of ``enc``: GB2312 levels 1-2
    (lead bytes 0xB0-0xF7) for GB; Big5 level 1 (lead bytes 0xA4-0xC6) for Big5."""
    counts: dict[str, int] = {}
    for ch in text[:100000]:
        if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or ch >= "\U00020000":
            counts[ch] = counts.get(ch, 0) + 1
    total = sum(counts.values())
    if not total:
        return 0.0
    common = 0
    for ch, n in counts.items():
        try:
            b = ch.encode("gb2312" if enc == "gb18030" else "big5")
        except UnicodeEncodeError:
            continue
        if (0xB0 <= b[0] <= 0xF7) if enc == "gb18030" else (0xA4 <= b[0] <= 0xC6):
            common += n
    return common / total


def _fallback(data: bytes, name: str | None, errors: str) -> Decoded:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:2_000_000]).best()
    if best is None:
        raise ParseError(name, "cannot determine the text encoding (binary file?)", code="encoding")
    enc = _SUPERSET.get(best.encoding, best.encoding)
    text = data.decode(enc, errors="replace")
    bad = text.count("\ufffd")
    if bad > max(5, len(text) // 100):
        raise ParseError(name, f"cannot decode as {enc}: too many invalid bytes", code="encoding")
    if bad:
        return _replaced(text, enc, bad, name, errors)
    return Decoded(text, enc)

"""Exceptions raised by govreport."""
from __future__ import annotations

#: The codes a :class:`ParseError` carries, so callers can branch without parsing messages.
CODES = ("empty", "binary", "encoding", "too_large", "no_structure", "unsupported_format", "no_text",
         "ocr_unavailable", "not_found", "is_directory", "unreadable", "bad_pdf", "bad_docx", "bad_html",
         "bad_argument", "internal", "parse")


class ParseError(ValueError):
    """A report the reader cannot understand at all.

    ``file`` names the input (None for bytes or text), ``reason`` says why and ``code`` is one
    of :data:`CODES` (``empty``, ``binary``, ``encoding``, ``too_large``, ``no_structure``,
    ``unsupported_format``, ``no_text``, ``ocr_unavailable``, ``not_found`` …).
    Reports that are only partly understood do not raise: they come back with findings.
    """

    def __init__(self, file: str | None, reason: str, code: str = "parse"):
        self.file = file
        self.reason = reason
        self.code = code
        super().__init__(f"{file or '<input>'}: {reason}")

    def __reduce__(self):  # keep it picklable across worker processes
        return (type(self), (self.file, self.reason, self.code))

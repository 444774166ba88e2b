"""Exceptions raised by govreport."""
from __future__ import annotations


class ParseError(ValueError):
    """A report the reader cannot understand at all.

    ``file`` names the input (None for bytes or text) and ``reason`` says why.
    Reports that are only partly understood do not raise: they come back with findings.
    """

    def __init__(self, file: str | None, reason: str):
        self.file = file
        self.reason = reason
        super().__init__(f"{file or '<input>'}: {reason}")

    def __reduce__(self):  # keep it picklable across worker processes
        return (type(self), (self.file, self.reason))

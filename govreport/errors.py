"""Exceptions raised by govreport, and the warning a renamed keyword gives."""
from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

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


class EmptyFileError(ParseError):
    """A report with nothing in it (no bytes, or only white space): the reader's
    ``ParseError`` with ``code="empty"``. A corpus run lists the file in ``errors``."""

    def __init__(self, file: str | None, reason: str = "empty file", code: str = "empty"):
        super().__init__(file, reason, code)


def renamed(**old_to_new: str) -> Callable[[F], F]:
    """Keep a renamed keyword working for one release: ``@renamed(path="source")``.

    A call with the old keyword warns (a ``FutureWarning`` naming the new keyword) and passes
    the value on under the new name; giving both is a ``TypeError``. The wrapped function keeps
    its signature (``inspect.signature`` shows the new names) and lists the renames in
    ``__renamed__``, so a test can walk them.
    """
    def wrap(func: F) -> F:
        @functools.wraps(func)
        def inner(*args: Any, **kwargs: Any) -> Any:
            for old, new in old_to_new.items():
                if old in kwargs:
                    if new in kwargs:
                        raise TypeError(f"{func.__qualname__}() got both {old}= and {new}=; {old}= is now {new}=")
                    warnings.warn(f"{func.__qualname__}(): the keyword {old}= is renamed {new}=; "
                                  f"{old}= will stop working in the next release", FutureWarning, stacklevel=2)
                    kwargs[new] = kwargs.pop(old)
            return func(*args, **kwargs)

        inner.__renamed__ = dict(old_to_new)  # type: ignore[attr-defined]
        return inner  # type: ignore[return-value]

    return wrap

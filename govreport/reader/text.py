"""Plain-text reports: lines, with web-page furniture phrases removed."""
from __future__ import annotations

from .. import layouts
from .document import Document


def clean_lines(lines: list[str]) -> list[str]:
    """Lines with the chrome phrases of ``layouts/chrome.csv`` removed and right-stripped."""
    out = []
    phrases = layouts.chrome_phrases()
    for line in lines:
        for p in phrases:
            if p in line:
                line = line.replace(p, "")
        out.append(line.rstrip())
    return out


def read_text(text: str, name: str | None = None, encoding: str | None = None,
              notes: list[tuple[str, str]] | None = None) -> Document:
    """A plain-text report as a Document of lines."""
    return Document(blocks=clean_lines(text.splitlines()), format="text", source=name, encoding=encoding,
                    original_text=text, notes=list(notes or []))

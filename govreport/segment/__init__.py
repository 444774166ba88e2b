"""Segment a normalised report: its sections, what it says about itself, its layout.

* :mod:`.sections` – numbered top-level sections with standard codes;
* :mod:`.meta` – title, year, agency (with the evidence that gave each);
* :mod:`.dates` – publication date and days after the statutory deadline;
* :mod:`.layout` – the layout vote (per table, ``hybrid`` when tables disagree).
"""
from __future__ import annotations

from .dates import days_late, deadline, find_published
from .layout import HYBRID, LayoutVote, detect_layout, vote
from .meta import (
    AGENCY_SOURCES,
    extract_meta,
    find_agency,
    find_title,
    find_year,
    read_meta,
)
from .sections import Section, find_sections, prose_of, section_code

__all__ = [
    "AGENCY_SOURCES",
    "HYBRID",
    "LayoutVote",
    "Section",
    "days_late",
    "deadline",
    "detect_layout",
    "extract_meta",
    "find_agency",
    "find_published",
    "find_sections",
    "prose_of",
    "find_title",
    "find_year",
    "read_meta",
    "section_code",
    "vote",
]

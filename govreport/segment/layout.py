"""Which layout a report's tables follow, voted by the labels they print (never the year).

Every marker of ``markers.csv`` votes with its weight for its layout. A marker also
belongs to the table whose anchor (``anchors.csv``) last precedes it, so a report that
prints one table in one layout and another table in another is told apart: when two
layouts each win a table with a score over the threshold the report is ``hybrid``.
No layout name appears in this module; the layouts are whatever the markers name.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from .. import layouts
from ..normalize import fix_labels, squash

#: a layout (or a table's layout) needs this marker weight to be recognised
THRESHOLD = 2
HYBRID = "hybrid"


@dataclass
class LayoutVote:
    """The outcome of the vote: ``layout`` is the best layout over the whole text (the one
    to read the tables with), ``label`` what the report is (``layout`` or ``hybrid``)."""

    layout: str | None
    scores: dict[str, int]
    by_table: dict[str, dict[str, int]] = field(default_factory=dict)
    table_layouts: dict[str, str] = field(default_factory=dict)

    @property
    def hybrid(self) -> bool:
        return len(set(self.table_layouts.values())) > 1

    @property
    def label(self) -> str | None:
        return HYBRID if self.hybrid else self.layout

    def odd_tables(self) -> list[str]:
        """Tables whose own layout differs from the overall one."""
        return [t for t, lay in self.table_layouts.items() if lay != self.layout]


def _layout_names() -> list[str]:
    names: list[str] = []
    for layout, _, _ in layouts.markers():
        if layout not in names:
            names.append(layout)
    return names


def _anchor_index(flat: str) -> tuple[list[int], list[str]]:
    """Offsets of every table anchor in ``flat``, sorted, with the table each one starts."""
    hits: list[tuple[int, str]] = []
    for table in layouts.TABLES:
        for anchor in layouts.anchors(table):
            a = squash(anchor)
            start = flat.find(a)
            while start >= 0:
                hits.append((start, table))
                start = flat.find(a, start + 1)
    hits.sort()
    return [p for p, _ in hits], [t for _, t in hits]


def vote(text: str) -> LayoutVote:
    """Score each layout over the whole text and per table (see module doc)."""
    flat = fix_labels(squash(text))
    names = _layout_names()
    scores = dict.fromkeys(names, 0)
    by_table: dict[str, dict[str, int]] = {}
    positions, tables_at = _anchor_index(flat)
    for layout, marker, weight in layouts.markers():
        pos = flat.find(marker)
        if pos < 0:
            continue
        scores[layout] += weight
        i = bisect.bisect_right(positions, pos) - 1
        if i >= 0:
            table_scores = by_table.setdefault(tables_at[i], dict.fromkeys(names, 0))
            table_scores[layout] += weight
    best = max(scores, key=scores.get) if scores else None
    layout = best if best is not None and scores[best] >= THRESHOLD else None
    table_layouts = {}
    for table, s in by_table.items():
        top = max(s, key=s.get)
        if s[top] >= THRESHOLD and list(s.values()).count(s[top]) == 1:
            table_layouts[table] = top
    return LayoutVote(layout, scores, by_table, table_layouts)


def detect_layout(text: str) -> tuple[str | None, dict[str, int]]:
    """Layout voted by the table labels present (never by the year), and the scores."""
    v = vote(text)
    return v.layout, v.scores

"""Put recognised text boxes of a page image into table grids.

Tables are found from their ruling lines (morphological opening of the ink with long thin
kernels); the lattice of line positions gives the cells, and a missing stretch of ruling
line between two lattice cells merges them (a row or column span). Each text box goes to
the cell that holds its centre. Lines of boxes outside every ruled table become prose.
All coordinates here are pixels of the (deskewed) page image.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

import numpy as np

_NUMBER = re.compile(r"^[0-9][0-9.,]*$")


@dataclass
class TextBox:
    """One recognised line of text: pixel box ``(x0, y0, x1, y1)``, text, confidence."""

    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    confidence: float
    #: the recognised words (CJK: one character) with their left and right edges, when known
    words: tuple[tuple[str, float, float], ...] = ()

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2


@dataclass
class Lattice:
    """A ruled table: line positions and, for every lattice cell, the id of its merged cell."""

    xs: list[int]  # vertical line positions, left to right
    ys: list[int]  # horizontal line positions, top to bottom
    owner: np.ndarray  # (len(ys)-1, len(xs)-1): merged-cell id of each lattice cell

    @property
    def bounds(self) -> tuple[int, int, int, int]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]

    def cell_at(self, x: float, y: float) -> tuple[int, int] | None:
        """The lattice cell holding point (x, y), or None outside the table."""
        if not (self.xs[0] <= x < self.xs[-1] and self.ys[0] <= y < self.ys[-1]):
            return None
        c = int(np.searchsorted(self.xs, x, side="right")) - 1
        r = int(np.searchsorted(self.ys, y, side="right")) - 1
        return r, c

    def spans(self) -> dict[int, tuple[int, int, int, int]]:
        """Each merged cell's lattice rectangle ``(r0, c0, r1, c1)`` (inclusive)."""
        out: dict[int, tuple[int, int, int, int]] = {}
        for (r, c), k in np.ndenumerate(self.owner):
            r0, c0, r1, c1 = out.get(int(k), (r, c, r, c))
            out[int(k)] = (min(r0, r), min(c0, c), max(r1, r), max(c1, c))
        return out


def ink_mask(gray: np.ndarray, threshold: int) -> np.ndarray:
    """Dark pixels (ink) as 255, paper and light shading as 0."""
    return np.where(gray < threshold, 255, 0).astype(np.uint8)


def _line_masks(ink: np.ndarray, min_len: int) -> tuple[np.ndarray, np.ndarray]:
    import cv2

    horiz = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (min_len, 1)))
    vert = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, min_len)))
    # close the small gaps JPEG noise leaves in a ruling line
    horiz = cv2.dilate(horiz, cv2.getStructuringElement(cv2.MORPH_RECT, (5, 3)))
    vert = cv2.dilate(vert, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 5)))
    return horiz, vert


def _positions(profile: np.ndarray, min_count: int, gap: int = 3) -> list[int]:
    """Centres of runs of indexes where ``profile`` reaches ``min_count``."""
    idx = np.flatnonzero(profile >= min_count)
    if not len(idx):
        return []
    runs = np.split(idx, np.flatnonzero(np.diff(idx) > gap) + 1)
    return [round(run.mean()) for run in runs]


def find_lattices(gray: np.ndarray, *, threshold: int = 160, min_line: int = 40,
                  coverage: float = 0.6) -> list[Lattice]:
    """The ruled tables of a page image, top to bottom.

    ``min_line`` is the shortest ruling stretch (pixels) taken for a line; a boundary between
    two lattice cells counts as drawn when ``coverage`` of it is ink.
    """
    import cv2

    ink = ink_mask(gray, threshold)
    horiz, vert = _line_masks(ink, min_line)
    n, _, stats, _ = cv2.connectedComponentsWithStats(cv2.bitwise_or(horiz, vert), connectivity=8)
    out = []
    for k in range(1, n):
        x, y, w, h, _ = stats[k]
        if w < 4 * min_line or h < 2 * min_line:
            continue  # an underline or a stray stroke, not a table
        hs, vs = horiz[y:y + h, x:x + w], vert[y:y + h, x:x + w]
        ys = _positions((hs > 0).sum(axis=1), min_line)
        xs = _positions((vs > 0).sum(axis=0), min_line)
        if len(ys) < 2 or len(xs) < 2:
            continue
        xs = [x + v for v in xs]
        ys = [y + v for v in ys]
        out.append(_merge_cells(xs, ys, horiz, vert, coverage))
    return sorted(out, key=lambda t: t.ys[0])


def _merge_cells(xs: list[int], ys: list[int], horiz: np.ndarray, vert: np.ndarray,
                 coverage: float) -> Lattice:
    """Union lattice cells whose shared boundary is not drawn."""
    rows, cols = len(ys) - 1, len(xs) - 1
    parent = list(range(rows * cols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def drawn(mask: np.ndarray, fixed: int, lo: int, hi: int, horizontal: bool) -> bool:
        pad = max(1, (hi - lo) // 6)  # line crossings at the ends are not evidence
        lo, hi = lo + pad, hi - pad
        if hi <= lo:
            return True
        band = mask[max(fixed - 2, 0):fixed + 3, lo:hi] if horizontal else mask[lo:hi, max(fixed - 2, 0):fixed + 3]
        hit = band.max(axis=0 if horizontal else 1) > 0
        return hit.mean() >= coverage

    for r in range(rows):
        for c in range(cols):
            if c + 1 < cols and not drawn(vert, xs[c + 1], ys[r], ys[r + 1], horizontal=False):
                parent[find(r * cols + c + 1)] = find(r * cols + c)
            if r + 1 < rows and not drawn(horiz, ys[r + 1], xs[c], xs[c + 1], horizontal=True):
                parent[find((r + 1) * cols + c)] = find(r * cols + c)
    owner = np.array([find(i) for i in range(rows * cols)]).reshape(rows, cols)
    return Lattice(xs, ys, owner)


def join_texts(boxes: list[TextBox]) -> str:
    """The text of boxes in one cell or line: top to bottom, left to right, no separator
    (a label wrapped inside a cell is one word), a space only between two numbers."""
    out = ""
    for b in reading_order(boxes):
        t = b.text.strip()
        if out and t and out[-1].isdigit() and t[0].isdigit():
            out += " "
        out += t
    return out


def reading_order(boxes: list[TextBox]) -> list[TextBox]:
    """Boxes sorted into lines (by vertical overlap), each line left to right."""
    return [b for line in text_lines(boxes) for b in line]


def text_lines(boxes: list[TextBox]) -> list[list[TextBox]]:
    """Group boxes into lines: a box joins the line whose vertical middle it overlaps."""
    lines: list[list[TextBox]] = []
    for b in sorted(boxes, key=lambda b: b.cy):
        for line in reversed(lines[-3:]):
            top = min(x.y0 for x in line)
            bottom = max(x.y1 for x in line)
            if top <= b.cy <= bottom and abs((top + bottom) / 2 - b.cy) < 0.5 * (bottom - top):
                line.append(b)
                break
        else:
            lines.append([b])
    return [sorted(line, key=lambda b: b.x0) for line in lines]


@dataclass
class GridCells:
    """A lattice filled with text: per merged cell its text, confidence and pixel box."""

    cells: list[list[str]]
    origin: list[list[bool]]
    confidence: list[list[float | None]]
    pixel_box: list[list[tuple[float, float, float, float]]]


def split_at_columns(box: TextBox, lattice: Lattice) -> list[TextBox]:
    """A box read across a ruling line (the detector may join ``结果 | 结果`` of two cells)
    cut into one box per merged cell, at its words' edges."""
    if len(box.words) < 2:
        return [box]
    pieces: list[tuple[int, list[tuple[str, float, float]]]] = []
    for w in box.words:
        rc = lattice.cell_at((w[1] + w[2]) / 2, box.cy)
        owner = -1 if rc is None else int(lattice.owner[rc])
        if pieces and pieces[-1][0] == owner:
            pieces[-1][1].append(w)
        else:
            pieces.append((owner, [w]))
    if len(pieces) == 1:
        return [box]
    return [TextBox(ws[0][1], box.y0, ws[-1][2], box.y1, "".join(w[0] for w in ws), box.confidence, tuple(ws))
            for _, ws in pieces]


def fill_lattice(lattice: Lattice, boxes: list[TextBox]) -> GridCells:
    """Text of each merged cell from the boxes whose centre falls in it; spans expanded
    (copies are not origins); confidence is the mean of the cell's boxes (None if empty)."""
    spans = lattice.spans()
    members: dict[int, list[TextBox]] = {k: [] for k in spans}
    for b in (piece for box in boxes for piece in split_at_columns(box, lattice)):
        rc = lattice.cell_at(b.cx, b.cy)
        if rc is not None:
            members[int(lattice.owner[rc])].append(b)
    rows, cols = lattice.owner.shape
    cells = [[""] * cols for _ in range(rows)]
    origin = [[False] * cols for _ in range(rows)]
    conf: list[list[float | None]] = [[None] * cols for _ in range(rows)]
    pbox = [[(0.0, 0.0, 0.0, 0.0)] * cols for _ in range(rows)]
    for k, (r0, c0, r1, c1) in spans.items():
        text = join_texts(members[k])
        mean = float(np.mean([b.confidence for b in members[k]])) if members[k] else None
        rect = (float(lattice.xs[c0]), float(lattice.ys[r0]), float(lattice.xs[c1 + 1]), float(lattice.ys[r1 + 1]))
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                cells[r][c], conf[r][c], pbox[r][c] = text, mean, rect
                origin[r][c] = (r, c) == (r0, c0)
    return GridCells(cells, origin, conf, pbox)


def cluster_table(lines: list[list[TextBox]], min_columns: int = 3) -> list[tuple[int, int]]:
    """Runs of lines (start, end) that look like rows of an unruled table: ``min_columns`` or
    more numbers standing apart (prose is read as whole lines, a row of counts as separate boxes)."""
    def tabular(line: list[TextBox]) -> bool:
        if sum(bool(_NUMBER.match(b.text.strip())) for b in line) < min_columns:
            return False
        height = float(np.median([b.y1 - b.y0 for b in line]))
        gaps = [b.x0 - a.x1 for a, b in itertools.pairwise(line)]
        return sum(g > height for g in gaps) >= min_columns - 1

    runs, start = [], None
    for i, line in enumerate([*lines, []]):
        if line and tabular(line):
            start = i if start is None else start
        elif start is not None:
            runs.append((start, i))
            start = None
    return runs


def cluster_lattice(lines: list[list[TextBox]]) -> Lattice:
    """A lattice for an unruled table: column edges where no box of any line crosses,
    row edges between lines."""
    boxes = [b for line in lines for b in line]
    x0, x1 = min(b.x0 for b in boxes), max(b.x1 for b in boxes)
    covered = np.zeros(int(x1 - x0) + 2, dtype=bool)
    for b in boxes:
        covered[int(b.x0 - x0):int(b.x1 - x0) + 1] = True
    free = np.flatnonzero(~covered)
    runs = np.split(free, np.flatnonzero(np.diff(free) > 1) + 1) if len(free) else []
    cuts = [int(x0) + int(run.mean()) for run in runs if run[0] > 0 and run[-1] < len(covered) - 2]
    xs = [int(x0) - 1] + cuts + [int(x1) + 2]
    ys = [int(min(b.y0 for b in lines[0])) - 1]
    for a, b in itertools.pairwise(lines):
        ys.append(int((max(x.y1 for x in a) + min(x.y0 for x in b)) / 2))
    ys.append(int(max(b.y1 for b in lines[-1])) + 2)
    owner = np.arange((len(ys) - 1) * (len(xs) - 1)).reshape(len(ys) - 1, len(xs) - 1)
    return Lattice(xs, ys, owner)

"""Writing figures for journals (:func:`save_figure`) and checking that no text is clipped
(:func:`clipped_text`)."""

from __future__ import annotations

import os
import pickle
from collections.abc import Sequence
from pathlib import Path

import matplotlib
from matplotlib.backend_bases import FigureCanvasBase
from matplotlib.figure import Figure
from matplotlib.text import Text

from .fonts import _font_rc
from .style import Width, _inches

__all__ = ["clipped_text", "save_figure"]


def clipped_text(fig: Figure, *, tolerance: float = 1.0) -> list[str]:
    """The visible, non-empty texts of ``fig`` (titles, labels, ticks, legends, notes,
    annotations) that reach outside the figure canvas, as ``"text: (x0, y0, x1, y1)"``.

    An empty list means nothing is clipped.  ``tolerance`` is in pixels at the figure's dpi.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if fig.canvas is None or not hasattr(fig.canvas, "get_renderer"):
        FigureCanvasAgg(fig)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    box = fig.bbox
    out = []
    undrawn = _undrawn_tick_labels(fig)
    undrawn |= {id(t) for ax in fig.axes if not ax.get_visible() for t in ax.findobj(Text)}  # a hidden panel
    for text in fig.findobj(Text):
        if not text.get_visible() or not text.get_text().strip() or id(text) in undrawn:
            continue
        ext = text.get_window_extent(renderer)
        if (ext.x0 < box.x0 - tolerance or ext.y0 < box.y0 - tolerance
                or ext.x1 > box.x1 + tolerance or ext.y1 > box.y1 + tolerance):
            out.append(f"{text.get_text()!r}: ({ext.x0:.0f}, {ext.y0:.0f}, {ext.x1:.0f}, {ext.y1:.0f})"
                       f" outside (0, 0, {box.x1:.0f}, {box.y1:.0f})")
    return out


def _undrawn_tick_labels(fig: Figure) -> set[int]:
    """Ids of tick labels matplotlib keeps but does not draw (ticks outside the view limits)."""
    undrawn: set[int] = set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            drawn = {id(lab) for tick in axis._update_ticks() for lab in (tick.label1, tick.label2)}
            for tick in (*axis.majorTicks, *axis.minorTicks):
                undrawn |= {id(lab) for lab in (tick.label1, tick.label2) if id(lab) not in drawn}
    return undrawn


def save_figure(
    fig: Figure,
    path: str | os.PathLike[str],
    *,
    width: Width | None = None,
    height: float | None = None,
    formats: Sequence[str] = ("pdf", "svg", "png"),
    dpi: int = 300,
) -> list[Path]:
    """Write ``fig`` in journal formats and return the written paths.

    ``path`` is the output stem (a suffix such as ``.pdf`` is replaced by each
    format's).  ``width`` is ``"single"`` (3.5 in), ``"double"`` (7.2 in) or
    inches; ``None`` (default) keeps the width the chart was built with (the
    chart functions take the same ``width`` argument: build at the final width
    for the best layout).  ``height`` defaults to the figure's height.  PDF
    embeds the font as TrueType (``pdf.fonttype=42``), SVG turns text into
    paths (``svg.fonttype='path'``, renders identically without the font),
    PNG is written at ``dpi`` (300) with that resolution recorded.  Output
    carries no timestamp, so identical figures give identical files.  The
    figure's size is restored afterwards.
    """
    if not isinstance(fig, Figure):
        raise TypeError(f"save_figure: fig must be a matplotlib Figure, got {type(fig).__name__}")
    old_size = fig.get_size_inches()
    inches = float(old_size[0]) if width is None else _inches(width, "save_figure")
    if not formats:
        raise ValueError("save_figure: no formats given")
    formats = [f.lower().lstrip(".") for f in formats]
    unknown = [f for f in formats if f not in ("pdf", "svg", "png", "eps", "tif", "tiff", "jpg", "jpeg")]
    if unknown:
        raise ValueError(f"save_figure: unsupported format(s) {', '.join(unknown)}")
    base = Path(path)
    if base.suffix.lower().lstrip(".") in {"pdf", "svg", "png", "eps", "tif", "tiff", "jpg", "jpeg"}:
        base = base.with_suffix("")
    base.parent.mkdir(parents=True, exist_ok=True)

    new_height = float(height) if height is not None else float(old_size[1])
    metadata = {
        "pdf": {"Creator": "govreport", "Producer": None, "CreationDate": None},
        "svg": {"Creator": "govreport", "Date": None},
        "png": {"Software": "govreport"},
        "eps": {"Creator": "govreport"},
    }
    rc = _font_rc()
    rc["svg.hashsalt"] = "govreport"
    written: list[Path] = []
    # Save a copy: constrained layout starts from the current positions, so laying out the
    # figure itself would shift it by rounding noise from one call to the next; every copy
    # starts from the same state, and identical figures give identical files.
    # A figure holding something that cannot be pickled (a lambda formatter) is saved itself.
    try:
        copy = pickle.loads(pickle.dumps(fig))
        FigureCanvasBase(copy)
    except (pickle.PicklingError, AttributeError, TypeError):
        copy = fig
    old_size = fig.get_size_inches().copy()
    try:
        copy.set_size_inches(inches, new_height)
        with matplotlib.rc_context(rc):
            for fmt in formats:
                out = base.with_name(base.name + "." + fmt)
                copy.savefig(out, format=fmt, dpi=dpi, metadata=metadata.get(fmt), facecolor="white")
                written.append(out)
    finally:
        fig.set_size_inches(*old_size)
    return written

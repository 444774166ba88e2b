"""Style shared by every chart: journal widths, the two languages and their labels, text
measurement and wrapping, and the notes printed under a chart."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from typing import Literal

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.offsetbox import TextArea

from .. import datafiles
from .fonts import _font_rc

__all__ = ["WIDTHS", "Lang", "Width", "label"]

Lang = Literal["zh", "en"]
Width = Literal["single", "double"] | float

#: Journal column widths in inches.
WIDTHS: dict[str, float] = {"single": 3.5, "double": 7.2}

#: Font size (pt) of tick labels and notes in the "paper" context.
TEXT_PT = 8.8
#: Font size (pt) of axes titles in the "paper" context.
TITLE_PT = 9.6


def _style_rc() -> dict[str, object]:
    import seaborn as sns

    rc: dict[str, object] = dict(sns.axes_style("whitegrid"))
    rc.update(sns.plotting_context("paper"))
    rc.update(_font_rc())
    rc["figure.dpi"] = 100
    return rc


# -------------------------------------------------------------------------- labels

@functools.lru_cache(maxsize=1)
def _label_table() -> dict[tuple[str, str], tuple[str, str]]:
    table: dict[tuple[str, str], tuple[str, str]] = {}
    for row in datafiles.rows("plot_labels.csv"):
        table[(row["kind"], row["code"])] = (row["zh"], row["en"])
    # theme codes and labels are owned by the text stage (themes.csv)
    for row in datafiles.rows("themes.csv"):
        if row["theme"]:
            table[("theme", row["theme"])] = (row["label_zh"] or row["theme"], row["label_en"] or row["theme"])
    return table


def _check_lang(lang: str) -> str:
    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
    return lang


def label(kind: str, code: str, lang: Lang = "zh") -> str:
    """Label of a code from the shipped label table.

    ``kind`` is one of ``outcome, applicant, row, measure, volume, theme, part,
    text`` (theme labels come from ``govreport/data/themes.csv``).  Unknown
    codes are returned unchanged.
    """
    _check_lang(lang)
    pair = _label_table().get((kind, str(code)))
    if pair is None:
        return str(code)
    return pair[0] if lang == "zh" else pair[1]


def _t(key: str, lang: str, **fmt: object) -> str:
    text = label("text", key, lang)  # type: ignore[arg-type]
    return text.format(**fmt) if fmt else text


# --------------------------------------------------------------------------- sizes

def _inches(width: Width, func: str) -> float:
    if isinstance(width, str):
        if width not in WIDTHS:
            raise ValueError(f"{func}: width must be 'single', 'double' or inches, not {width!r}")
        return WIDTHS[width]
    inches = float(width)
    if not inches > 0:
        raise ValueError(f"{func}: width must be positive, not {width!r}")
    return inches


def _text_inches(text: str, size_pt: float = 8.8) -> float:
    """Rough width of a one-line label: CJK characters are square, others half."""
    ems = sum(1.0 if ord(ch) > 0x2E80 else 0.55 for ch in text)
    return ems * size_pt / 72


def _too_wide(labels: Iterable[str], available: float) -> bool:
    widest = max((_text_inches(line) for lab in labels for line in str(lab).split("\n")), default=0.0)
    return widest > available * 0.95


def _slant(ax, angle: float, axis: str = "x") -> None:
    """Slant the tick labels of ``axis`` by ``angle`` degrees, anchored at their
    right end (``ha="right"``, ``rotation_mode="anchor"``) so that each label ends
    under its tick and long labels grow to the lower left, inside the figure."""
    ax.tick_params(axis=axis, labelrotation=angle)
    labels = ax.get_xticklabels() if axis == "x" else ax.get_yticklabels()
    for text in labels:
        text.set_rotation(angle)
        text.set_horizontalalignment("right")
        text.set_rotation_mode("anchor")


def _new_figure(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), layout="constrained")
    return fig


def _finish(fig: Figure, data: pd.DataFrame) -> Figure:
    # Draw once while the style context is active so lazily created tick
    # labels pick up the CJK font (later ticks copy the first tick's font).
    fig.draw_without_rendering()
    fig.govreport_data = data.reset_index(drop=True)  # type: ignore[attr-defined]
    if not hasattr(fig, "govreport_notes"):
        fig.govreport_notes = []  # type: ignore[attr-defined]
    return fig


def _wrap(text: str, inches: float, size_pt: float = TEXT_PT) -> str:
    """``text`` broken into lines no wider than ``inches``: at spaces in English, between
    any two characters in Chinese.  Existing line breaks are kept."""
    limit = max(inches, 0.5)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        tokens: list[str] = []
        for ch in paragraph:  # a token is a run of non-space Latin characters, or one CJK character
            if ord(ch) > 0x2E80 or ch == " " or not tokens or tokens[-1] == " " or ord(tokens[-1][-1]) > 0x2E80:
                tokens.append(ch)
            else:
                tokens[-1] += ch
        line = ""
        for tok in tokens:
            if line and _text_inches((line + tok).rstrip(), size_pt) > limit:
                lines.append(line.rstrip())
                line = "" if tok == " " else tok
            else:
                line += tok
        lines.append(line.rstrip())
    return "\n".join(lines)


def _notes_text(notes: Sequence[str], inches: float, size_pt: float = 7.5) -> str:
    """The notes under a chart, one per line, each wrapped to ``inches``."""
    return "\n".join(_wrap(n, inches, size_pt) for n in notes if n)


def _add_notes(fig: Figure, notes: Sequence[str], inches: float, legend: Legend | None = None) -> None:
    """Print ``notes`` (what was left out, what a marker means, what changes between years)
    at the foot of the figure, where constrained layout makes room for them: under the
    figure legend ``legend`` when there is one (constrained layout gives a figure legend and
    a ``supxlabel`` the same place), else as the figure's ``supxlabel``.  The notes are kept
    as ``fig.govreport_notes``."""
    notes = [n for n in notes if n]
    fig.govreport_notes = notes  # type: ignore[attr-defined]
    if not notes:
        return
    text = _notes_text(notes, inches - 0.15)
    if legend is not None:
        box = TextArea(text, textprops={"fontsize": 7.5, "color": "0.25", "multialignment": "left"})
        box.set_figure(fig)
        box.axes = legend.axes
        # the legend's packer (title, entries) gets the notes as a third row, so the legend's
        # extent, which constrained layout reserves, includes them
        legend._legend_box._children.append(box)
        legend._legend_box.align = "left"
        return
    fig.supxlabel(text, fontsize=7.5, ha="left", x=0.02, color="0.25", multialignment="left")

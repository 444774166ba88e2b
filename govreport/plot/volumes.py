"""Proactive-disclosure volumes and decisions by year (:func:`disclosure_volumes`): bars on a
linear axis from 0, or lines and points on a log axis; years on a numeric axis (a year without
data is a visible gap); one colour and one series per agency."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Literal

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FixedLocator, FuncFormatter, NullFormatter, NullLocator

from ..errors import renamed
from .frames import _agency_label, _agency_set_note, _floats, _require, _with_meta
from .style import (
    TITLE_PT,
    Lang,
    Width,
    _add_notes,
    _check_lang,
    _finish,
    _inches,
    _new_figure,
    _slant,
    _style_rc,
    _t,
    _text_inches,
    _too_wide,
    _wrap,
    label,
)

__all__ = ["disclosure_volumes"]

# (category, metric) of the active_disclosure table -> indicator-style column name.
_VOLUME_NAMES: dict[tuple[str, str], str] = {
    ("licensing", "decisions"): "licensing_decisions",
    ("penalty", "decisions"): "penalty_decisions",
    ("coercion", "decisions"): "coercion_decisions",
    ("normative_document", "in_force"): "normative_in_force",
    ("normative_document", "issued"): "normative_issued",
    ("normative_document", "repealed"): "normative_repealed",
    ("normative_document", "total_published"): "normative_published_total",
    ("regulation", "in_force"): "regulation_in_force",
    ("regulation", "issued"): "regulation_issued",
    ("regulation", "repealed"): "regulation_repealed",
    ("regulation", "total_published"): "regulation_published_total",
}
# Default panels; each entry lists alternative column names, first present wins
# (govreport.indicators calls the proactive count proactive_items_stated/_table).
_DEFAULT_VOLUMES: tuple[tuple[str, ...], ...] = (
    ("proactive_items", "proactive_items_stated", "proactive_items_table"),
    ("licensing_decisions",),
    ("penalty_decisions",),
    ("coercion_decisions",),
    ("normative_in_force",),
)

# Share of a year's slot on the x axis taken by its bars (as seaborn's default).
_SLOT = 0.8


def _volumes_from_active(active: pd.DataFrame, func: str) -> pd.DataFrame:
    """Wide report_id x volume-column table from the tidy active_disclosure table."""
    df = active.copy()
    df["value"] = _floats(df["value"])
    names = [
        _VOLUME_NAMES.get((str(c), str(m)), f"{c}_{m}") for c, m in zip(df["category"], df["metric"])
    ]
    df["column"] = names
    wide = df.pivot_table(index="report_id", columns="column", values="value", aggfunc=lambda s: s.sum(min_count=1))
    wide.columns.name = None
    return wide.reset_index()



def _count_format(v: float, _pos: object) -> str:
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.1f}"


def _log_format(v: float, _pos: object) -> str:
    return f"{v:,.0f}" if v >= 1 else f"{v:g}"


@renamed(metrics="measures")
def disclosure_volumes(
    data: pd.DataFrame,
    reports: pd.DataFrame | None = None,
    *,
    by: Literal["agency", "year"] = "agency",
    measures: Sequence[str] | None = None,
    log: bool = False,
    lang: Lang = "zh",
    width: Width = "double",
) -> Figure:
    """Proactive-disclosure volumes and decisions by year, one panel per measure.

    ``data`` is either the ``indicators`` table (one row per report, columns
    such as ``proactive_items``, ``licensing_decisions``, ``penalty_decisions``,
    ``coercion_decisions``, ``normative_in_force``) or the tidy
    ``active_disclosure`` table (report_id, category, metric, value), whose
    (category, metric) pairs become the same column names (e.g. licensing /
    decisions -> ``licensing_decisions``; others ``{category}_{metric}``).

    The x axis is numeric in years, so 2019 → 2021 is two steps and a year
    without data is a visible gap.  ``log=False`` (default) draws bars on a
    linear axis from 0; in each year the agencies that reported a value share
    the year's slot; a reported 0 is a flat bar labelled "0".  ``log=True``
    draws one line with points per agency (a line is broken where a year is
    missing), on a log axis; a reported 0, which a log axis cannot show, is an
    open circle in a band of its own under the log scale, labelled "0", cut off
    by a break mark and explained in a note.  With
    ``by="agency"`` each agency (keyed by ``agency_id`` when present, else by
    name) is one colour and one series, never merged with another; with
    ``by="year"`` the agencies are added up, and a note says when the set of
    agencies changes between years.  Several reports of one agency and year
    are added up.  Missing values are left out, never drawn as 0.

    Parameters
    ----------
    data : ``indicators`` or ``active_disclosure`` table.
    reports : ``reports`` table (report_id, agency, year) unless ``data``
        carries agency and year.
    by : ``"agency"`` or ``"year"``.
    measures : columns to draw; default: those of proactive_items (or
        proactive_items_stated / proactive_items_table), licensing_decisions,
        penalty_decisions, coercion_decisions, normative_in_force that have data.
    log : lines and points on logarithmic y axes instead of bars.
    lang : ``"zh"`` or ``"en"``.
    width : figure width, ``"single"``, ``"double"`` or inches (one panel
        per row below 5 in).
    """
    import seaborn as sns

    func = "disclosure_volumes"
    _check_lang(lang)
    data = _require(data, ("report_id",), "data", func)
    if by not in ("agency", "year"):
        raise ValueError(f"{func}: by must be 'agency' or 'year', not {by!r}")
    if {"category", "metric", "value"} <= set(data.columns):
        wide = _volumes_from_active(data, func)
    else:
        wide = data
    wide = _with_meta(wide, reports, func)
    if measures is None:
        measures = []
        for names in _DEFAULT_VOLUMES:
            present = [m for m in names if m in wide.columns and _floats(wide[m]).notna().any()]
            if present:
                measures.append(present[0])
    else:
        missing = [m for m in measures if m not in wide.columns]
        if missing:
            raise ValueError(f"{func}: no column(s) {', '.join(missing)} in the data")
    if not measures:
        known = ", ".join(m for names in _DEFAULT_VOLUMES for m in names)
        raise ValueError(f"{func}: none of the volume columns {known} has data; nothing to plot")
    wide = wide.assign(series=_agency_label(wide))
    ids = ["report_id", "agency", "year", "series"]
    long = wide.melt(id_vars=ids, value_vars=list(measures), var_name="metric", value_name="value")
    long["value"] = _floats(long["value"])
    long = long.dropna(subset=["value", "year"])
    if long.empty:
        raise ValueError(f"{func}: every value of {', '.join(measures)} is missing; nothing to plot")
    measures = [m for m in measures if m in set(long["metric"])]
    # one value per (series, year) per panel: several reports of one agency and
    # year are added up; with by="year" the agencies are added up.
    keys = ["metric", "year", "series"] if by == "agency" else ["metric", "year"]
    points = long.groupby(keys, sort=True)["value"].sum().reset_index()
    agencies = list(long.groupby("series")["value"].sum().sort_values(ascending=False, kind="stable").index)
    colours = dict(zip(agencies, sns.color_palette("colorblind", len(agencies))))
    single = sns.color_palette("colorblind")[0]
    years = list(range(int(long["year"].min()), int(long["year"].max()) + 1))

    notes = []
    if log and (points["value"] == 0).any():
        notes.append(_t("note.zero_on_log", lang))
    if by == "year":
        notes.append(_agency_set_note(long.drop_duplicates("report_id"), lang))
    notes = [n for n in notes if n]

    w = _inches(width, func)
    ncols = min(len(measures), 3 if w >= 6 else (2 if w >= 5 else 1))
    nrows = int(np.ceil(len(measures) / ncols))
    panel_in = w / ncols - 0.7
    with matplotlib.rc_context(_style_rc()):
        fig = _new_figure(w, 0.9 + 2.0 * nrows + 0.16 * sum(_wrap(n, w).count("\n") + 1 for n in notes))
        axes = fig.subplots(nrows, ncols, squeeze=False)
        for i, ax in enumerate(axes.flat):
            if i >= len(measures):
                ax.set_visible(False)
                continue
            sub = points[points["metric"] == measures[i]]
            if log:
                _draw_lines(ax, sub, by, agencies, colours, single, years)
            else:
                _draw_bars(ax, sub, by, agencies, colours, single)
            ax.set_xticks(years, [str(y) for y in years])
            ax.set_xlim(years[0] - 0.6, years[-1] + 0.6)
            ax.grid(axis="x", visible=False)
            ax.set_title(_wrap(label("volume", measures[i], lang), panel_in + 0.3, TITLE_PT))  # type: ignore[arg-type]
            ax.set_xlabel(_t("year", lang) if i // ncols == nrows - 1 else "")
            ax.set_ylabel(_t("disclosure_volumes.ylabel", lang) if i % ncols == 0 else "")
            if _too_wide([str(y) for y in years], 0.8 * panel_in / len(years)):
                _slant(ax, 30)
        if by == "agency":
            handles = [
                Line2D([], [], color=colours[a], marker="o", markersize=4, label=a) if log
                else Patch(color=colours[a], label=a)
                for a in agencies
            ]
            entry_in = max(_text_inches(str(a)) for a in agencies) + 0.45
            ncols_leg = max(1, min(len(agencies), 4, int((w - 0.2) // entry_in)))
            legend = fig.legend(handles=handles, title=_t("agency", lang), loc="outside lower center", ncols=ncols_leg,
                                frameon=False)
        else:
            legend = None
        if len(measures) > 1:
            fig.suptitle(_wrap(_t("disclosure_volumes.title", lang), w - 0.3))
        _add_notes(fig, notes, w, legend)
        return _finish(fig, long)


def _draw_bars(ax, sub: pd.DataFrame, by: str, agencies: list[str], colours: dict, single: object) -> None:
    """Bars from 0 at x = year; the agencies with a value that year share the year's slot."""
    zeros: list[tuple[float, float, object]] = []
    for year in sorted(int(y) for y in sub["year"].unique()):
        in_year = sub[sub["year"] == year]
        if by == "agency":
            order = [a for a in agencies if a in set(in_year["series"])]
            values = in_year.set_index("series")["value"].reindex(order).to_numpy(dtype=float)
            cols = [colours[a] for a in order]
        else:
            values = in_year["value"].to_numpy(dtype=float)
            cols = [single]
        n = len(values)
        bar_w = _SLOT / n
        xs = year - _SLOT / 2 + bar_w * (np.arange(n) + 0.5)
        ax.bar(xs, values, width=bar_w, color=cols, edgecolor="white", linewidth=0.4 if n > 1 else 0)
        zeros += [(float(xv), bar_w, c) for xv, v, c in zip(xs, values, cols) if v == 0]
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_formatter(FuncFormatter(_count_format))
    # a reported 0 has no height: a flat bar in the agency's colour labelled "0",
    # so it is not mistaken for a missing value
    base = ax.get_xaxis_transform()
    for xv, bw, c in zeros:
        ax.plot([xv - bw * 0.4, xv + bw * 0.4], [0, 0], transform=base, color=c, linewidth=2.5,
                solid_capstyle="butt", clip_on=False, gid="govreport-zero")
        ax.annotate("0", (xv, 0), xycoords=base, xytext=(0, 2), textcoords="offset points",
                    ha="center", va="bottom", fontsize=6.5, color="0.25", gid="govreport-zero")


def _draw_lines(ax, sub: pd.DataFrame, by: str, agencies: list[str], colours: dict, single: object,
                years: list[int]) -> None:
    """One line with points per series on a log axis, broken at missing years.  A reported 0,
    which a log axis cannot show, is an open circle in a band of its own under the lowest
    power of ten, labelled "0" and cut from the log scale by a break mark."""
    ax.set_yscale("log")
    positive = sub["value"][sub["value"] > 0]
    lo = int(np.floor(np.log10(positive.min()) + 1e-9)) if len(positive) else 0
    hi = max(int(np.ceil(np.log10(positive.max()) - 1e-9)), lo + 1) if len(positive) else 1
    has_zero = bool((sub["value"] == 0).any())
    zero_at = 10 ** (lo - 0.6)
    series = agencies if by == "agency" else [None]
    for a in series:
        mine = sub[sub["series"] == a] if a is not None else sub
        colour = colours[a] if a is not None else single
        values = mine.set_index(mine["year"].astype(int))["value"].reindex(years).astype(float)
        ax.plot(years, values.where(values > 0).to_numpy(), color=colour, marker="o", markersize=4, linewidth=1.2)
        for year in values.index[values == 0]:
            ax.plot([year], [zero_at], marker="o", markersize=5, markerfacecolor="white", markeredgecolor=colour,
                    linestyle="none", gid="govreport-zero")
    decades = [10.0 ** k for k in range(lo, hi + 1)]
    if hi - lo <= 2:  # a short log axis also gets 2 and 5 times each power of ten, so it has enough labels
        decades = sorted(m * d for d in decades for m in (1, 2, 5) if m * d <= 10.0 ** hi)
    if has_zero:
        cut = 10 ** (lo - 0.3)
        ax.set_ylim(10 ** (lo - 0.9), 10.0 ** hi)
        ax.yaxis.set_major_locator(FixedLocator([zero_at, *decades]))
        ax.yaxis.set_major_formatter(FuncFormatter(functools.partial(_zero_band_format, zero_at)))
        ax.axhline(cut, color="0.75", linewidth=0.8, linestyle=(0, (2, 2)), gid="govreport-zero-band")
        for dy in (0.9, 1.1):  # the break mark on the y axis
            ax.plot([-0.025, 0.025], [cut * dy / 1.15, cut * dy * 1.15], transform=ax.get_yaxis_transform(),
                    color="0.3", linewidth=0.8, clip_on=False, gid="govreport-zero-band")
    else:
        ax.set_ylim(10.0 ** lo, 10.0 ** hi)
        ax.yaxis.set_major_locator(FixedLocator(decades))
        ax.yaxis.set_major_formatter(FuncFormatter(_log_format))
    ax.yaxis.set_minor_locator(NullLocator())
    ax.yaxis.set_minor_formatter(NullFormatter())


def _zero_band_format(zero_at: float, v: float, _pos: object) -> str:
    return "0" if np.isclose(v, zero_at) else _log_format(v, _pos)

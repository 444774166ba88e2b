"""Heatmap of the themes of stated problems and improvements (:func:`problem_themes`), with
the number of statements under every column and, by year, every year between the first and
the last as a column (a year without statements is a visible gap)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from ..missing import is_na
from .frames import (
    _UNKNOWN,
    By,
    _agency_set_note,
    _group_key,
    _order_groups,
    _require,
    _with_meta,
)
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

__all__ = ["problem_themes"]


def _theme_list(value: object) -> list[str]:
    if is_na(value):
        return []
    if isinstance(value, str):
        parts = value.replace("；", ";").replace("，", ",").replace("|", ";").replace(",", ";").split(";")
        return [p.strip() for p in parts if p.strip()]
    try:
        return [str(v) for v in value if v is not None and str(v) != ""]  # type: ignore[union-attr]
    except TypeError:
        return [str(value)]


def problem_themes(
    problems: pd.DataFrame,
    reports: pd.DataFrame | None = None,
    *,
    by: By = "year",
    part: Literal["problem", "improvement"] | None = "problem",
    labels: Mapping[str, str] | None = None,
    lang: Lang = "zh",
    width: Width = "double",
) -> Figure:
    """Heatmap of the share of problem (or improvement) statements per theme.

    Cell = statements of the group tagged with the theme / all statements of
    the group (a statement may carry several themes, so columns can add up to
    more than 100 %; untagged statements count in the denominator).  The
    number of statements is given under each column.

    Parameters
    ----------
    problems : table with report_id, part ('problem'|'improvement'),
        statement and themes (list of theme codes, or a ';'-separated string).
    reports : ``reports`` table (report_id, agency, year) unless ``problems``
        carries agency and year.
    by : ``"year"``, ``"agency"`` or ``"report"``.
    part : which statements; ``None`` = both.
    labels : optional code -> label mapping overriding the shipped table.
    lang : ``"zh"`` or ``"en"``.
    width : figure width, ``"single"``, ``"double"`` or inches.
    """
    import seaborn as sns

    func = "problem_themes"
    _check_lang(lang)
    df = _require(problems, ("report_id", "themes"), "problems", func)
    if part is not None:
        if "part" not in df.columns:
            raise ValueError(f"{func}: problems lacks column part")
        if part not in ("problem", "improvement"):
            raise ValueError(f"{func}: part must be 'problem', 'improvement' or None, not {part!r}")
        df = df[df["part"].astype(str) == part]
        if df.empty:
            raise ValueError(f"{func}: no statements with part == {part!r}; nothing to plot")
    df = _with_meta(df.reset_index(drop=True), reports, func)
    df["group"] = _group_key(df, by, func)
    df["theme_list"] = [list(dict.fromkeys(_theme_list(v))) for v in df["themes"]]
    totals = df.groupby("group").size()
    exploded = df.explode("theme_list").dropna(subset=["theme_list"])
    if exploded.empty:
        raise ValueError(f"{func}: no statement carries a theme; nothing to plot")
    counts = exploded.groupby(["theme_list", "group"]).size().unstack("group", fill_value=0)
    groups = _order_groups(pd.DataFrame({"n": totals}), by, "n")
    notes = []
    if by == "year":
        known = [int(g) for g in groups if g != _UNKNOWN]
        if known:  # every year from the first to the last, so a gap shows as an empty column
            full = [str(y) for y in range(min(known), max(known) + 1)]
            groups = full + [g for g in groups if g == _UNKNOWN]
            totals = totals.reindex(groups, fill_value=0)
        notes.append(_agency_set_note(df.drop_duplicates("report_id"), lang))
    counts = counts.reindex(columns=groups, fill_value=0)
    shares = counts.div(totals.reindex(groups).where(lambda t: t > 0), axis=1)
    theme_order = list(counts.sum(axis=1).sort_values(ascending=False, kind="stable").index)
    shares = shares.loc[theme_order]

    def theme_label(code: str) -> str:
        if labels is not None and code in labels:
            return str(labels[code])
        return label("theme", code, lang)

    col_labels = [f"{g}\nn={totals[g]}" for g in groups]
    matrix = shares.copy()
    matrix.index = [theme_label(c) for c in theme_order]
    matrix.columns = col_labels
    tidy = (
        shares.rename_axis("theme").reset_index().melt(id_vars="theme", var_name="group", value_name="share")
    )
    tidy["count"] = [counts.loc[t, g] for t, g in zip(tidy["theme"], tidy["group"])]
    tidy["n_statements"] = tidy["group"].map(totals)
    tidy["label"] = [theme_label(t) for t in tidy["theme"]]

    w = _inches(width, func)
    height = 1.5 + 0.3 * len(theme_order) + 0.16 * sum(_wrap(n, w).count("\n") + 1 for n in notes if n)
    title_key = "problem_themes.title_improvement" if part == "improvement" else "problem_themes.title"
    with matplotlib.rc_context(_style_rc()):
        fig = _new_figure(w, height)
        ax = fig.add_subplot()
        sns.heatmap(
            matrix,
            ax=ax,
            cmap="Blues",
            vmin=0,
            vmax=max(float(np.nanmax(matrix.to_numpy(dtype=float), initial=0.0)), 1e-9),
            annot=np.where(matrix.to_numpy(dtype=float) > 0,
                           np.vectorize(lambda v: f"{v:.0%}")(matrix.to_numpy(dtype=float)), ""),
            fmt="",
            annot_kws={"fontsize": 7},
            linewidths=0.5,
            linecolor="white",
            cbar_kws={"label": _t("problem_themes.cbar", lang), "format": PercentFormatter(1.0, decimals=0)},
        )
        ax.grid(False)  # an empty column (a year without statements) is plain grey, no grid lines
        ax.set_facecolor("#e6e6e6")
        ax.set_xlabel(_t(by, lang))
        ax.set_ylabel(_t("problem_themes.ylabel", lang))
        # width left for the cells: figure minus theme labels and colour bar
        label_in = max(_text_inches(str(t)) for t in matrix.index) + 0.45
        ax.set_title(_wrap(_t(title_key, lang), w - label_in - 1.0, TITLE_PT))
        cell_in = max(w - label_in - 1.0, 0.5) / len(groups)
        size = 8.8 if not _too_wide(col_labels, cell_in) else 7.0
        rotate = _too_wide([c.replace("\n", "\n") for c in col_labels], cell_in * 8.8 / size)
        ax.tick_params(axis="x", labelrotation=0, labelsize=size)
        if rotate:  # one line per slanted label: "group (n=…)"
            ax.set_xticks(ax.get_xticks(), [f"{g} (n={totals[g]})" for g in groups])
            _slant(ax, 45)
        ax.tick_params(axis="y", labelrotation=0)
        _add_notes(fig, [n for n in notes if n], w)
        return _finish(fig, tidy)



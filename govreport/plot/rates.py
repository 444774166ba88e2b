"""Bars of administrative review and litigation cases per 100 requests
(:func:`review_litigation_rates`), on a linear axis from 0; by year, on a numeric year axis."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .frames import (
    FLAG,
    By,
    _agency_set_note,
    _flag_groups,
    _flag_note,
    _floats,
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
    _too_wide,
    _wrap,
    _text_inches,
    label,
)

__all__ = ["review_litigation_rates"]

# Rate columns, with the names govreport.checks.indicators uses.
_RATE_ALIASES: dict[str, tuple[str, ...]] = {
    "review_per_100": ("review_per_100", "review_per_100_requests"),
    "litigation_per_100": ("litigation_per_100", "litigation_per_100_requests"),
}
# The case counts behind each rate (columns of govreport.checks.indicators), for pooling a group.
_CASES = {
    "review_per_100": "review_cases", "review_per_100_requests": "review_cases",
    "litigation_per_100": "litigation_cases", "litigation_per_100_requests": "litigation_cases",
}


def review_litigation_rates(
    indicators: pd.DataFrame,
    reports: pd.DataFrame | None = None,
    *,
    by: By = "year",
    measures: Sequence[str] | None = None,
    min_n: int = 10,
    flagged: Iterable[str] | None = None,
    flag_note: str | None = None,
    lang: Lang = "zh",
    width: Width = "double",
) -> Figure:
    """Bars of administrative review and litigation cases per 100 requests.

    Reads the per-report rates ``review_per_100`` and ``litigation_per_100``
    (or ``review_per_100_requests`` / ``litigation_per_100_requests`` as named
    by :func:`govreport.checks.indicators.indicators`) of the ``indicators`` table
    (NA where a report has no requests or did not report the cases; such values
    are dropped, never taken as 0).  With several reports in a group the bar is
    their mean, or, when the table also has the case counts (``review_cases``,
    ``litigation_cases``) and ``requests``, the group's cases per 100 of its
    requests (pooled).  When the table has a ``requests`` column, each label gives the
    requests the rates rest on (n) and reports with fewer than ``min_n`` requests
    are left out, with a note; otherwise it gives the number of reports.  By year
    the x axis is numeric (a year without data is a visible gap) and a note says
    when the set of agencies changes between years.

    Parameters
    ----------
    indicators : one row per report with report_id, agency, year and the rates.
    reports : only needed when ``indicators`` lacks agency/year.
    by : ``"year"``, ``"agency"`` or ``"report"``.
    measures : rate columns to draw (default: the two rates above).
    min_n : smallest number of requests a rate may rest on (default 10).
    flagged, flag_note : report ids marked with ``*``, and what ``*`` means.
    lang : ``"zh"`` or ``"en"``.
    width : figure width, ``"single"``, ``"double"`` or inches.
    """
    import seaborn as sns

    func = "review_litigation_rates"
    _check_lang(lang)
    indicators = _require(indicators, ("report_id",), "indicators", func)
    if measures is None:
        measures = [
            next(c for c in names if c in indicators.columns)
            for names in _RATE_ALIASES.values()
            if any(c in indicators.columns for c in names)
        ]
        if not measures:
            raise ValueError(
                f"{func}: indicators has none of the columns "
                + ", ".join(c for names in _RATE_ALIASES.values() for c in names)
            )
    _require(indicators, ("report_id", *measures), "indicators", func)
    df = _with_meta(indicators, reports, func)
    df["group"] = _group_key(df, by, func)
    has_n = "requests" in df.columns
    df["n_requests"] = _floats(df["requests"]) if has_n else np.nan
    long = df.melt(id_vars=["report_id", "group", "agency", "year", "n_requests"], value_vars=list(measures),
                   var_name="measure", value_name="rate")
    long["rate"] = _floats(long["rate"])
    cases = {m: _CASES[m] for m in measures if _CASES.get(m) in df.columns}
    long["cases"] = np.nan
    for m, col in cases.items():
        long.loc[long["measure"] == m, "cases"] = long.loc[long["measure"] == m, "report_id"].map(
            df.drop_duplicates("report_id").set_index("report_id")[col].pipe(_floats))
    long = long.dropna(subset=["rate"])
    if long.empty:
        raise ValueError(f"{func}: no report has a {' or '.join(measures)} value; nothing to plot")
    notes = []
    if has_n:
        small = long["n_requests"].isna() | (long["n_requests"] < min_n)
        k = long.loc[small, "report_id"].nunique()
        long = long[~small]
        if long.empty:
            raise ValueError(f"{func}: every rate rests on fewer than min_n={min_n} requests; nothing to plot")
        if k:
            notes.append(_t("note.small_n_reports", lang, k=k, min_n=min_n))
    per_report = long.drop_duplicates("report_id")
    n = per_report.groupby("group")["report_id"].nunique()
    n_req = per_report.groupby("group")["n_requests"].sum()
    stats = pd.DataFrame({"n": n, "mean": long.groupby("group")["rate"].mean()})
    groups = _order_groups(stats, by, "mean")
    marked = _flag_groups(long["group"], long["report_id"], flagged)
    if marked:
        notes.append(_flag_note(flag_note, lang))
    if by == "year":
        notes.append(_agency_set_note(df[df["report_id"].isin(set(long["report_id"]))], lang))

    def tick(g: str) -> str:
        count = f"n={n_req[g]:,.0f}" if has_n else (_t("note.reports", lang, k=int(n[g])) if n[g] > 1 else "")
        if has_n and n[g] > 1:
            count += _t("note.n_reports", lang, k=int(n[g]))
        return f"{g}{FLAG if g in marked else ''}" + (f"\n({count})" if count else "")

    ticks = {g: tick(g) for g in groups}
    numeric = by == "year" and all(g.isdigit() for g in groups)
    x = {g: (int(g) if numeric else i) for i, g in enumerate(groups)}
    present = [m for m in measures if m in set(long["measure"])]
    # a group's bar: its cases over its requests (pooled) when both are known, else the mean of its rates
    pooled = long.dropna(subset=["cases", "n_requests"]).groupby(["group", "measure"])[["cases", "n_requests"]].sum()
    means = long.groupby(["group", "measure"])["rate"].mean()
    if has_n and len(cases):
        means.update(pooled["cases"] / pooled["n_requests"].where(pooled["n_requests"] > 0) * 100)
    colours = dict(zip(present, sns.color_palette("colorblind", len(present))))
    long = long.assign(measure_label=[label("measure", m, lang) for m in long["measure"]])  # type: ignore[arg-type]

    w = _inches(width, func)
    span = (max(x.values()) - min(x.values()) + 1) if numeric else len(groups)
    slant = _too_wide(ticks.values(), (w - 0.8) / span)
    # slanted labels hang below the axes: the figure grows by their height, the axes keep theirs
    longest = max((_text_inches(t.replace("\n", " ")) for t in ticks.values()), default=0.0)
    # labels slanted 30° reach left by 0.87 of their length: past the first bar they would leave the page
    upright = slant and longest * 0.87 > 0.4 * w
    hang = (longest if upright else 0.5 * longest) if slant else 0.0
    with matplotlib.rc_context(_style_rc()):
        fig = _new_figure(w, 3.4 + hang + 0.16 * sum(_wrap(t, w).count("\n") + 1 for t in notes if t))
        ax = fig.add_subplot()
        bar_w = 0.8 / len(present)
        for j, m in enumerate(present):
            xs = [x[g] - 0.4 + bar_w * (j + 0.5) for g in groups if (g, m) in means.index]
            hs = [float(means[(g, m)]) for g in groups if (g, m) in means.index]
            bars = ax.bar(xs, hs, width=bar_w, color=colours[m], label=label("measure", m, lang))  # type: ignore[arg-type]
            ax.bar_label(bars, fmt="%.1f", fontsize=7, padding=1)
        if numeric:
            years = range(min(x.values()), max(x.values()) + 1)
            ax.set_xticks(list(years), [ticks.get(str(y), str(y)) for y in years])
            ax.set_xlim(min(years) - 0.6, max(years) + 0.6)
        else:
            ax.set_xticks(range(len(groups)), [ticks[g] for g in groups])
            ax.set_xlim(-0.6, len(groups) - 0.4)
        top = float(means.max()) if len(means) else 0.0
        ax.set_ylim(0, top * 1.15 if top > 0 else 1.0)  # from 0, with room for the value labels
        ax.grid(axis="x", visible=False)
        ax.set_xlabel(_t(by, lang))
        ax.set_ylabel(_wrap(_t("review_litigation.ylabel", lang), 2.4))
        ax.set_title(_wrap(_t("review_litigation.title", lang), w - 1.0, TITLE_PT))
        # under the chart like the other charts' legends ("best" inside the axes is slow and may move)
        legend = fig.legend(title=_t("review_litigation.legend", lang), loc="outside lower center",
                            ncols=len(present), frameon=False)
        if slant:
            # one line per slanted label: "group (n=…)"
            ax.set_xticks(ax.get_xticks(), [t.get_text().replace("\n", " ") for t in ax.get_xticklabels()])
            _slant(ax, 90 if upright else 30)
        _add_notes(fig, notes, w, legend)
        return _finish(fig, long)

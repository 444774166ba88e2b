"""100 % stacked bars of shares of requests: how requests were answered (:func:`outcome_shares`)
and who filed them (:func:`applicant_mix`).  Every bar carries its n; bars resting on fewer
than ``min_n`` requests are left out and the figure says so."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

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
    _label_table,
    _new_figure,
    _style_rc,
    _t,
    _text_inches,
    _wrap,
    label,
)

__all__ = ["applicant_mix", "outcome_shares"]

#: Applicant columns in the order of the label table (the order of the printed form).
_APPLICANT_ORDER = tuple(code for kind, code in _label_table() if kind == "applicant" and code != "total")

# Fixed colours (seaborn "colorblind") so a category keeps its colour across
# figures; withholding reasons get shades of the "withheld" colour.
_OUTCOME_COLOURS = {
    "granted": "#0173b2",
    "partially_granted": "#56b4e9",
    "withheld": "#d55e00",
    "unavailable": "#029e73",
    "not_processed": "#ece133",
    "other": "#cc78bc",
    "unaccounted": "#d9d9d9",
}


def _outcome_palette(codes: Sequence[str]) -> list[object]:
    import seaborn as sns

    reasons = [c for c in codes if c.startswith("withheld.")]
    shades = sns.blend_palette(["#7f2704", "#fdae6b"], max(len(reasons), 2))
    shade = dict(zip(reasons, shades))
    return [shade.get(c) or _OUTCOME_COLOURS.get(c, "#949494") for c in codes]


def _row_totals(applications: pd.DataFrame) -> pd.DataFrame:
    """Wide table report_id x row code of per-row totals.

    Uses the ``total`` applicant column; where it is blank (printed empty) the
    applicant cells are summed instead, and NA stays NA when all are blank.
    """
    df = applications.copy()
    df["value"] = _floats(df["value"])
    if "applicant" not in df.columns:
        df["applicant"] = "total"
    df["row"] = df["row"].astype(str)
    df["applicant"] = df["applicant"].astype(str)
    total = df[df["applicant"] == "total"].groupby(["report_id", "row"])["value"].sum(min_count=1)
    parts = df[df["applicant"] != "total"].groupby(["report_id", "row"])["value"].sum(min_count=1)
    combined = total.combine_first(parts)
    wide = combined.unstack("row")
    wide.columns.name = None
    return wide


def _report_ids(table: pd.DataFrame, reports: pd.DataFrame | None) -> pd.Index:
    """The reports a chart speaks for: those of ``reports`` (parsed ones, when it has a
    ``status``) when given, else those of ``table``.  Reports of ``reports`` absent from
    ``table`` count as lacking data, so the caption counts every report not drawn."""
    ids = table["report_id"].astype(str)
    if reports is not None and "report_id" in reports.columns:
        rep = reports
        if "status" in rep.columns:
            rep = rep[rep["status"].astype("string").fillna("ok") == "ok"]
        ids = pd.concat([rep["report_id"].astype(str), ids])
    return pd.Index(pd.unique(ids))


def _stacked_shares(
    counts: pd.DataFrame,
    denom: pd.Series,
    meta: pd.DataFrame,
    *,
    by: str,
    order: Sequence[str],
    kind: str,
    lang: str,
    title: str,
    xlabel: str,
    legend_title: str,
    excluded: int,
    min_n: int,
    flagged: Iterable[str] | None,
    flag_note: str | None,
    func: str,
    width: Width,
) -> Figure:
    """Shared drawing code of the 100 % stacked horizontal bar charts."""
    import seaborn as sns

    meta = meta.loc[counts.index]
    keys = _group_key(meta, by, func)
    grouped = counts.groupby(keys).sum(min_count=1).fillna(0.0)
    grouped_denom = denom.groupby(keys).sum()
    n = keys.groupby(keys).size()
    stats = pd.DataFrame({"denominator": grouped_denom, "n_reports": n})
    small = stats.index[stats["denominator"] < min_n]
    groups = [g for g in _order_groups(stats, by, "denominator") if g not in set(small)]
    if not groups:
        raise ValueError(f"{func}: every group rests on fewer than min_n={min_n} requests; nothing to plot")
    grouped, grouped_denom, n = grouped.loc[groups], grouped_denom.loc[groups], n.loc[groups]
    cols = [c for c in order if c in grouped.columns and grouped[c].sum() > 0]
    if not cols:
        raise ValueError(f"{func}: every count is zero or missing; nothing to plot")
    shares = grouped[cols].div(grouped_denom, axis=0)
    marked = _flag_groups(keys, pd.Series(counts.index, index=counts.index), flagged)

    tidy = (
        shares.rename_axis("group")
        .reset_index()
        .melt(id_vars="group", var_name="code", value_name="share")
        .merge(grouped[cols].rename_axis("group").reset_index()
               .melt(id_vars="group", var_name="code", value_name="count"))
    )
    tidy["denominator"] = tidy["group"].map(grouped_denom)
    tidy["n_reports"] = tidy["group"].map(n)
    tidy["flagged"] = tidy["group"].isin(marked)
    tidy["label"] = [label(kind, c, lang) for c in tidy["code"]]  # type: ignore[arg-type]

    w = _inches(width, func)
    sep = " " if w >= 5 else "\n"

    def tick(g: str) -> str:
        count = f"n={grouped_denom[g]:,.0f}"
        if n[g] > 1:
            count += _t("note.n_reports", lang, k=int(n[g]))
        # a long name wraps rather than pushing the chart off the page
        return f"{_wrap(g + (FLAG if g in marked else ''), max(1.4, 0.4 * w))}{sep}({count})"

    ticks = [tick(g) for g in groups]
    rows = list(groups)
    if by == "year" and all(g.isdigit() for g in groups):
        # every year from the first to the last: a year without data is an empty, labelled row
        rows = [str(y) for y in range(int(min(groups)), int(max(groups)) + 1)]
        ticks = [tick(g) if g in set(groups) else f"{g}{sep}({_t('note.no_data', lang)})" for g in rows]
    entry_in = max(_text_inches(label(kind, c, lang)) for c in cols) + 0.45  # type: ignore[arg-type]
    ncols = max(1, min(len(cols), 4, int((w - 0.2) // entry_in)))
    legend_rows = int(np.ceil(len(cols) / ncols))
    notes = []
    if excluded:
        notes.append(_t("excluded", lang, k=excluded))
    if len(small):
        notes.append(_t("note.small_n", lang, k=len(small), min_n=min_n))
    if marked:
        notes.append(_flag_note(flag_note, lang))
    if by == "year":
        notes.append(_agency_set_note(meta, lang))
    notes = [x for x in notes if x]
    height = (1.2 + (0.3 if w >= 5 else 0.45) * len(rows) + 0.2 * legend_rows
              + 0.16 * sum(_wrap(x, w).count("\n") + 1 for x in notes))
    if kind == "outcome":
        palette = _outcome_palette(cols)
    else:
        base = sns.color_palette("colorblind", 10)
        palette = [base[_APPLICANT_ORDER.index(c) % 10] if c in _APPLICANT_ORDER else base[(7 + i) % 10]
                   for i, c in enumerate(cols)]

    with matplotlib.rc_context(_style_rc()):
        fig = _new_figure(w, height)
        ax = fig.add_subplot()
        min_label = 0.08 if w >= 5 else 0.16  # only label segments wide enough for "45%"
        y = np.arange(len(rows))
        left = np.zeros(len(rows))
        for colour, code in zip(palette, cols):
            widths = shares[code].reindex(rows).fillna(0.0).to_numpy(dtype=float)
            ax.barh(y, widths, left=left, height=0.7, color=colour, label=label(kind, code, lang),  # type: ignore[arg-type]
                    edgecolor="white", linewidth=0.5)
            for yi, (start, share) in enumerate(zip(left, widths)):
                if share >= min_label:
                    ax.text(start + share / 2, yi, f"{share:.0%}", ha="center", va="center", fontsize=7, color="black")
            left += widths
        ax.set_yticks(y, ticks)
        ax.invert_yaxis()
        ax.set_xlim(0, 1)
        ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax.grid(axis="y", visible=False)
        label_in = max(_text_inches(line) for t in ticks for line in t.split("\n")) + 0.5
        ax.set_xlabel(_wrap(xlabel, w - label_in))
        ax.set_ylabel(_t(by, lang))
        ax.set_title(_wrap(title, w - label_in - 0.2, TITLE_PT))
        legend = fig.legend(title=legend_title, loc="outside lower center", ncols=ncols, frameon=False)
        _add_notes(fig, notes, w, legend)
        return _finish(fig, tidy)


# ------------------------------------------------------------------------- charts


def outcome_shares(
    applications: pd.DataFrame,
    reports: pd.DataFrame | None = None,
    *,
    by: By = "agency",
    split_withheld: bool = False,
    min_n: int = 10,
    flagged: Iterable[str] | None = None,
    flag_note: str | None = None,
    lang: Lang = "zh",
    width: Width = "double",
) -> Figure:
    """Stacked 100 % bars of how requests were handled, per agency, year or report.

    Shares of ``processed_total`` ((七)总计) in the categories granted,
    partially granted, withheld (``withheld.*``; one segment per reason with
    ``split_withheld=True``), unavailable (``unavailable.*``), not processed
    (``not_processed.*``) and other (``other`` / ``other.*``).  Counts are
    pooled over the reports in a group, and each bar's label gives its n (the
    requests the shares are of, and the number of reports when more than one).
    Reports whose ``processed_total`` is missing or 0 are skipped, and groups of
    fewer than ``min_n`` requests are left out; a note at the foot of the figure
    counts both (``fig.govreport_notes``).  A row's value is its ``total`` cell,
    or the sum of its applicant cells when the total cell is blank.  When the
    printed categories add up to less than the total the rest is shown as "not
    itemised"; when they add up to more, the categories' sum is the denominator.

    Parameters
    ----------
    applications : tidy ``applications`` table (report_id, row, applicant, value).
    reports : ``reports`` table with report_id, agency, year (not needed when
        ``applications`` already carries agency and year).  When given, its
        reports without usable data are counted in the note.
    by : ``"agency"`` (keyed by ``agency_id`` when the tables carry it),
        ``"year"`` or ``"report"``.  By year, the note says when the set of
        agencies changes between years.
    split_withheld : one segment per withholding reason.
    min_n : smallest number of requests a bar may rest on (default 10).
    flagged : report ids to mark with ``*`` (e.g. reports with a warning on
        table 三); the figure explains the marker.
    flag_note : the explanation of ``*`` (default: a validation warning or error).
    lang : ``"zh"`` or ``"en"`` labels.
    width : figure width, ``"single"`` (3.5 in), ``"double"`` (7.2 in) or inches.
    """
    func = "outcome_shares"
    _check_lang(lang)
    applications = _require(applications, ("report_id", "row", "value"), "applications", func)
    wide = _row_totals(applications.astype({"report_id": str}))
    wide = wide.reindex(_report_ids(applications, reports if "agency" not in applications.columns else None))
    meta_src = applications.drop_duplicates("report_id") if "agency" in applications.columns else None
    meta = _with_meta(meta_src if meta_src is not None else pd.DataFrame({"report_id": wide.index}), reports, func)
    meta = meta.drop_duplicates("report_id").set_index("report_id")
    _group_key(meta, by, func)  # validate `by` early

    processed = wide["processed_total"] if "processed_total" in wide.columns else pd.Series(np.nan, index=wide.index)
    usable = processed.notna() & (processed > 0)
    excluded = int((~usable).sum())
    if not usable.any():
        raise ValueError(
            f"{func}: none of the {len(wide)} report(s) has a positive processed_total; nothing to plot"
        )
    wide = wide[usable]

    def group_sum(prefix: str) -> pd.Series:
        cols = [c for c in wide.columns if c == prefix or c.startswith(prefix + ".")]
        if not cols:
            return pd.Series(np.nan, index=wide.index)
        return wide[cols].sum(axis=1, min_count=1)

    counts = pd.DataFrame(index=wide.index)
    counts["granted"] = wide.get("granted", pd.Series(np.nan, index=wide.index))
    counts["partially_granted"] = wide.get("partially_granted", pd.Series(np.nan, index=wide.index))
    order: list[str] = ["granted", "partially_granted"]
    if split_withheld:
        withheld_cols = sorted(c for c in wide.columns if c.startswith("withheld."))
        known = [c for c in _label_table() if c[0] == "outcome" and c[1].startswith("withheld.")]
        rank = {code: i for i, (_, code) in enumerate(known)}
        withheld_cols.sort(key=lambda c: rank.get(c, len(rank)))
        for c in withheld_cols:
            counts[c] = wide[c]
        order += withheld_cols
    else:
        counts["withheld"] = group_sum("withheld")
        order.append("withheld")
    for group in ("unavailable", "not_processed", "other"):
        counts[group] = group_sum(group)
        order.append(group)
    itemised = counts.sum(axis=1, min_count=1).fillna(0.0)
    total = wide["processed_total"]
    counts["unaccounted"] = (total - itemised).clip(lower=0)
    order.append("unaccounted")
    denom = np.maximum(total, itemised)
    counts = counts.fillna(0.0)

    return _stacked_shares(
        counts, denom, meta, by=by, order=order, kind="outcome", lang=lang,
        title=_t("outcome_shares.title", lang), xlabel=_t("outcome_shares.xlabel", lang),
        legend_title=_t("outcome_shares.legend", lang), excluded=excluded, min_n=min_n,
        flagged=flagged, flag_note=flag_note, func=func, width=width,
    )


def applicant_mix(
    applications: pd.DataFrame,
    reports: pd.DataFrame | None = None,
    *,
    by: By = "agency",
    row: str = "new_received",
    min_n: int = 10,
    flagged: Iterable[str] | None = None,
    flag_note: str | None = None,
    lang: Lang = "zh",
    width: Width = "double",
) -> Figure:
    """Stacked 100 % bars of who filed requests (natural persons, enterprises, …).

    Uses the applicant cells (not the ``total`` column) of one table row,
    ``new_received`` (一、本年新收) by default.  Reports whose applicant cells
    are all blank or add up to 0 are skipped, groups of fewer than ``min_n``
    requests are left out, and a note counts both.  Counts are pooled over the
    reports of a group; each bar's label gives its n.

    Parameters
    ----------
    applications : tidy ``applications`` table (report_id, row, applicant, value).
    reports : ``reports`` table (report_id, agency, year), unless
        ``applications`` carries agency and year.
    by : ``"agency"``, ``"year"`` or ``"report"``.
    row : row code whose applicant split is shown.
    min_n, flagged, flag_note : as in :func:`outcome_shares`.
    lang : ``"zh"`` or ``"en"``.
    width : figure width, ``"single"``, ``"double"`` or inches.
    """
    func = "applicant_mix"
    _check_lang(lang)
    applications = _require(applications, ("report_id", "row", "applicant", "value"), "applications", func)
    applications = applications.astype({"report_id": str})
    df = applications[(applications["row"].astype(str) == row)
                      & (applications["applicant"].astype(str) != "total")].copy()
    if df.empty:
        raise ValueError(f"{func}: no applicant cells for row {row!r}")
    df["value"] = _floats(df["value"])
    df["applicant"] = df["applicant"].astype(str)
    counts = df.pivot_table(index="report_id", columns="applicant", values="value",
                            aggfunc=lambda s: s.sum(min_count=1))
    counts.columns = counts.columns.astype(str)
    all_ids = _report_ids(applications, reports if "agency" not in applications.columns else None)
    denom_all = counts.sum(axis=1, min_count=1).reindex(all_ids)
    usable = denom_all.notna() & (denom_all > 0)
    excluded = int((~usable).sum())
    if not usable.any():
        raise ValueError(f"{func}: no report has applicant counts above 0 for row {row!r}; nothing to plot")
    counts = counts.loc[usable[usable].index].fillna(0.0)
    denom = counts.sum(axis=1)
    meta_src = applications.drop_duplicates("report_id") if "agency" in applications.columns else None
    meta = _with_meta(meta_src if meta_src is not None else pd.DataFrame({"report_id": counts.index}), reports, func)
    meta = meta.drop_duplicates("report_id").set_index("report_id")
    order = [c for c in _APPLICANT_ORDER] + sorted(c for c in counts.columns if c not in _APPLICANT_ORDER)
    title = _t("applicant_mix.title", lang)
    if row != "new_received":
        title += f" · {label('row', row, lang)}"
    return _stacked_shares(
        counts, denom, meta, by=by, order=order, kind="applicant", lang=lang, title=title,
        xlabel=_t("applicant_mix.xlabel", lang), legend_title=_t("applicant_mix.legend", lang),
        excluded=excluded, min_n=min_n, flagged=flagged, flag_note=flag_note, func=func, width=width,
    )

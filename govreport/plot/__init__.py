"""Publication-ready charts of parsed government information-disclosure reports.

Every chart function takes the tidy corpus tables produced by
:func:`govreport.read_corpus` (``applications``, ``active_disclosure``,
``review_litigation``, ``reports``, ``indicators``, ``problems``; each with a
leading ``report_id``) and returns a :class:`matplotlib.figure.Figure` drawn
with seaborn.  Labels come in Chinese (``lang="zh"``, default) or English
(``lang="en"``) from the label table shipped as ``govreport/data/plot_labels.csv``
(columns ``kind, code, zh, en``); codes missing from the table are shown as
they are.  The data actually drawn is attached to each figure as
``fig.govreport_data`` (a DataFrame) so numbers in a paper can be traced.

Chinese fonts
-------------
Importing this module registers the CJK font shipped by the
``paperang-p2-fonts-cjk`` package (WenQuanYi Micro Hei, a TrueType collection,
Apache-2.0) with matplotlib's font manager, puts it first in
``font.sans-serif`` and sets ``axes.unicode_minus=False``.  No system font
is needed and nothing is downloaded.  Set ``GOVREPORT_CJK_FONT=/path/font.ttf``
to use another font file.  If another library resets ``rcParams`` afterwards
(e.g. ``seaborn.set_theme()``), call :func:`use_cjk_font` again; the chart
functions and :func:`save_figure` apply the font themselves.

Output for journals
-------------------
:func:`save_figure` writes PDF with the font embedded as TrueType
(``pdf.fonttype=42``, a ``/FontFile2`` stream; editable text in Illustrator),
SVG with text converted to paths (``svg.fonttype='path'``: the glyphs survive
on machines without the font, at the price of text not being selectable) and
PNG at 300 dpi, at single-column (3.5 in) or double-column (7.2 in) width.
"""

from __future__ import annotations

import csv
import functools
import importlib.util
import os
import warnings
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Literal

import matplotlib
import numpy as np
import pandas as pd
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, NullFormatter, PercentFormatter

from .. import layouts

__all__ = [
    "CJKFontNotFoundError",
    "FONT_ENV_VAR",
    "WIDTHS",
    "applicant_mix",
    "cjk_font_name",
    "cjk_font_path",
    "disclosure_volumes",
    "label",
    "outcome_shares",
    "problem_themes",
    "review_litigation_rates",
    "save_figure",
    "use_cjk_font",
]

Lang = Literal["zh", "en"]

#: Environment variable naming a font file to use instead of the packaged one.
FONT_ENV_VAR = "GOVREPORT_CJK_FONT"

# (importable package, file inside it).  TrueType outlines only: matplotlib
# embeds fonts in PDF as Type 42 (/FontFile2), which requires glyf outlines;
# CFF-based .otf files (Noto Sans CJK / Source Han Sans) produce PDFs whose
# font dictionary does not match the embedded program.
_FONT_CANDIDATES: tuple[tuple[str, str], ...] = (
    ("paperang_p2_fonts_cjk", "fonts/wqy-microhei.ttc"),
)

_DATA_DIR = Path(__file__).resolve().parents[1] / "data"
_LABELS_PATH = _DATA_DIR / "plot_labels.csv"
# Theme codes and labels are owned by the text module (govreport/data/themes.csv).
_THEMES_PATH = _DATA_DIR / "themes.csv"

#: Journal column widths in inches.
WIDTHS: dict[str, float] = {"single": 3.5, "double": 7.2}

_OUTCOME_ORDER = ("granted", "partially_granted", "withheld", "unavailable", "not_processed", "other", "unaccounted")
_APPLICANT_ORDER = tuple(c.code for c in layouts.columns("2021", "applications") if c.code != "total")
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
# Rate columns of review_litigation_rates, with the names govreport.indicators uses.
_RATE_ALIASES: dict[str, tuple[str, ...]] = {
    "review_per_100": ("review_per_100", "review_per_100_requests"),
    "litigation_per_100": ("litigation_per_100", "litigation_per_100_requests"),
}


# --------------------------------------------------------------------------- fonts


class CJKFontNotFoundError(FileNotFoundError):
    """No CJK font file could be located."""


@functools.lru_cache(maxsize=None)
def cjk_font_path() -> Path:
    """Return the path of the CJK font used for Chinese labels.

    Looks at ``$GOVREPORT_CJK_FONT`` first, then at the font shipped by the
    ``paperang-p2-fonts-cjk`` pip package.  Raises :class:`CJKFontNotFoundError`
    (a ``FileNotFoundError``) naming the package to install when none exists.
    """
    env = os.environ.get(FONT_ENV_VAR)
    if env:
        path = Path(env).expanduser()
        if not path.is_file():
            raise CJKFontNotFoundError(f"{FONT_ENV_VAR}={env!r} is not a font file")
        return path.resolve()
    for module, relative in _FONT_CANDIDATES:
        try:
            spec = importlib.util.find_spec(module)
        except (ImportError, ValueError):
            spec = None
        if spec is None:
            continue
        for location in spec.submodule_search_locations or ():
            path = Path(location) / relative
            if path.is_file():
                return path.resolve()
    raise CJKFontNotFoundError(
        "no CJK font found for Chinese chart labels: install it with "
        "`pip install paperang-p2-fonts-cjk` (WenQuanYi Micro Hei), or set "
        f"{FONT_ENV_VAR} to a TrueType font file"
    )


@functools.lru_cache(maxsize=None)
def cjk_font_name() -> str:
    """Register the CJK font with matplotlib and return its family name."""
    path = cjk_font_path()
    known = {Path(f.fname).resolve() for f in font_manager.fontManager.ttflist}
    if path not in known:
        font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


@functools.lru_cache(maxsize=None)
def _has_truetype_outlines(path: Path) -> bool:
    """True for glyf-based fonts, which matplotlib can embed as Type 42."""
    from fontTools.ttLib import TTFont

    try:
        with TTFont(str(path), fontNumber=0, lazy=True) as font:
            return "glyf" in font
    except Exception:  # unreadable by fontTools: let matplotlib decide
        return True


def _font_rc() -> dict[str, object]:
    name = cjk_font_name()
    rest = [f for f in matplotlib.rcParams["font.sans-serif"] if f != name]
    # Type 42 needs TrueType outlines; a CFF (.otf) font given through
    # $GOVREPORT_CJK_FONT is embedded as Type 3 instead (still embedded).
    fonttype = 42 if _has_truetype_outlines(cjk_font_path()) else 3
    return {
        "font.family": ["sans-serif"],
        "font.sans-serif": [name, *rest],
        "axes.unicode_minus": False,
        "pdf.fonttype": fonttype,
        "ps.fonttype": fonttype,
        "svg.fonttype": "path",
    }


def use_cjk_font() -> str:
    """(Re-)apply the CJK font settings to the global ``matplotlib.rcParams``.

    Called on import.  Call it again after anything that resets rcParams
    (``seaborn.set_theme()``, ``matplotlib.rcdefaults()``).  Returns the font
    family name.
    """
    rc = _font_rc()
    matplotlib.rcParams.update(rc)
    return cjk_font_name()


try:
    use_cjk_font()
except CJKFontNotFoundError as _exc:  # pragma: no cover - depends on the install
    warnings.warn(f"govreport.plot: {_exc}; Chinese labels will not render", RuntimeWarning, stacklevel=2)


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
    with open(_LABELS_PATH, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            table[(row["kind"], row["code"])] = (row["zh"], row["en"])
    if _THEMES_PATH.is_file():
        with open(_THEMES_PATH, encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                code = (row.get("theme") or "").strip()
                if code:
                    zh = (row.get("label_zh") or "").strip() or code
                    en = (row.get("label_en") or "").strip() or code
                    table[("theme", code)] = (zh, en)
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


# ------------------------------------------------------------------------- helpers


def _require(df: pd.DataFrame | None, columns: Iterable[str], what: str, func: str) -> pd.DataFrame:
    if df is None or not isinstance(df, pd.DataFrame):
        raise TypeError(f"{func}: {what} must be a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"{func}: {what} lacks column(s) {', '.join(missing)}")
    if df.empty:
        raise ValueError(f"{func}: {what} is empty; nothing to plot")
    return df


def _floats(values: pd.Series) -> pd.Series:
    """Numeric float Series with NaN for missing (nullable NA included)."""
    num = pd.to_numeric(values, errors="coerce")
    return pd.Series(np.asarray(num.to_numpy(dtype=float, na_value=np.nan), dtype=float), index=values.index)


def _with_meta(df: pd.DataFrame, reports: pd.DataFrame | None, func: str) -> pd.DataFrame:
    """Attach ``agency`` and ``year`` from ``reports`` (by report_id) unless present."""
    if "agency" in df.columns and "year" in df.columns:
        out = df.copy()
    else:
        if reports is None:
            raise ValueError(f"{func}: pass the `reports` table (report_id, agency, year) to group the data")
        _require(reports, ("report_id", "agency", "year"), "reports", func)
        meta = reports[["report_id", "agency", "year"]].drop_duplicates("report_id")
        out = df.drop(columns=[c for c in ("agency", "year") if c in df.columns]).merge(meta, on="report_id", how="left")
    out["year"] = pd.to_numeric(out["year"], errors="coerce").astype("Int64")
    out["agency"] = out["agency"].astype("string")
    return out


_By = Literal["agency", "year", "report"]


_UNKNOWN = "?"


def _group_key(meta: pd.DataFrame, by: str, func: str) -> pd.Series:
    """Group label of each row: agency, year or "agency year" (per report).

    Missing agency or year shows as "?".  With ``by="report"`` two reports
    that share agency and year get their report_id appended.
    """
    agency = meta["agency"].astype("string").fillna(_UNKNOWN).astype(str)
    year = meta["year"].astype("string").fillna(_UNKNOWN).astype(str)
    if by == "agency":
        return agency
    if by == "year":
        return year
    if by == "report":
        key = agency + " " + year
        ids = meta["report_id"] if "report_id" in meta.columns else pd.Series(meta.index, index=meta.index)
        ids = ids.astype(str)
        per_label = pd.DataFrame({"key": key, "id": ids}).groupby("key")["id"].nunique()
        clash = key.map(per_label) > 1
        return key.where(~clash, key + " [" + ids + "]")
    raise ValueError(f"{func}: by must be 'agency', 'year' or 'report', not {by!r}")


def _order_groups(groups: pd.DataFrame, by: str, weight: str) -> list[str]:
    """Years chronologically, agencies/reports by descending weight."""
    if by == "year":
        return sorted(groups.index, key=lambda g: (g == _UNKNOWN, g))
    return list(groups.sort_values(weight, ascending=False, kind="stable").index)


Width = Literal["single", "double"] | float

# Share of a category slot on the x axis taken by its bars (as seaborn's default).
_SLOT = 0.8


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
    return fig


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
    func: str,
    width: Width,
) -> Figure:
    """Shared drawing code of the 100 % stacked horizontal bar charts."""
    import seaborn as sns

    keys = _group_key(meta.loc[counts.index], by, func)
    grouped = counts.groupby(keys).sum(min_count=1).fillna(0.0)
    grouped_denom = denom.groupby(keys).sum()
    n = keys.groupby(keys).size()
    stats = pd.DataFrame({"denominator": grouped_denom, "n_reports": n})
    groups = _order_groups(stats, by, "denominator")
    cols = [c for c in order if c in grouped.columns and grouped[c].sum() > 0]
    if not cols:
        raise ValueError(f"{func}: every count is zero or missing; nothing to plot")
    shares = grouped[cols].div(grouped_denom, axis=0)

    tidy = (
        shares.reindex(groups)
        .rename_axis("group")
        .reset_index()
        .melt(id_vars="group", var_name="code", value_name="share")
        .merge(grouped[cols].rename_axis("group").reset_index().melt(id_vars="group", var_name="code", value_name="count"))
    )
    tidy["denominator"] = tidy["group"].map(grouped_denom)
    tidy["n_reports"] = tidy["group"].map(n)
    tidy["label"] = [label(kind, c, lang) for c in tidy["code"]]  # type: ignore[arg-type]

    w = _inches(width, func)
    sep = " " if w >= 5 else "\n"
    ticks = list(groups) if (n == 1).all() else [f"{g}{sep}(n={n[g]})" for g in groups]
    entry_in = max(_text_inches(label(kind, c, lang)) for c in cols) + 0.45  # type: ignore[arg-type]
    ncols = max(1, min(len(cols), 4, int((w - 0.2) // entry_in)))
    legend_rows = int(np.ceil(len(cols) / ncols))
    height = 1.1 + (0.3 if w >= 5 else 0.42) * len(groups) + 0.2 * legend_rows + (0.2 if excluded else 0.0)
    if kind == "outcome":
        palette = _outcome_palette(cols)
    else:
        base = sns.color_palette("colorblind", 10)
        palette = [base[_APPLICANT_ORDER.index(c) % 10] if c in _APPLICANT_ORDER else base[(7 + i) % 10] for i, c in enumerate(cols)]

    with matplotlib.rc_context(_style_rc()):
        fig = _new_figure(w, height)
        ax = fig.add_subplot()
        min_label = 0.08 if w >= 5 else 0.16  # only label segments wide enough for "45%"
        y = np.arange(len(groups))
        left = np.zeros(len(groups))
        for colour, code in zip(palette, cols):
            widths = shares.reindex(groups)[code].to_numpy(dtype=float)
            ax.barh(y, widths, left=left, height=0.7, color=colour, label=label(kind, code, lang), edgecolor="white", linewidth=0.5)  # type: ignore[arg-type]
            for yi, (start, share) in enumerate(zip(left, widths)):
                if share >= min_label:
                    ax.text(start + share / 2, yi, f"{share:.0%}", ha="center", va="center", fontsize=7, color="black")
            left += widths
        ax.set_yticks(y, ticks)
        ax.invert_yaxis()
        ax.set_xlim(0, 1)
        ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax.grid(axis="y", visible=False)
        xl = xlabel
        if excluded:
            xl += "\n" + _t("excluded", lang, k=excluded)
        ax.set_xlabel(xl)
        ax.set_ylabel(_t(by, lang))
        ax.set_title(title)
        fig.legend(title=legend_title, loc="outside lower center", ncols=ncols, frameon=False)
        return _finish(fig, tidy)


# ------------------------------------------------------------------------- charts


def outcome_shares(
    applications: pd.DataFrame,
    reports: pd.DataFrame | None = None,
    *,
    by: _By = "agency",
    split_withheld: bool = False,
    lang: Lang = "zh",
    width: Width = "double",
) -> Figure:
    """Stacked 100 % bars of how requests were handled, per agency or year.

    Shares of ``processed_total`` ((七)总计) in the categories granted,
    partially granted, withheld (``withheld.*``; one segment per reason with
    ``split_withheld=True``), unavailable (``unavailable.*``), not processed
    (``not_processed.*``) and other (``other`` / ``other.*``).  Counts are
    pooled over the reports in a group.  Reports whose ``processed_total`` is
    missing or 0 are skipped (their number is noted under the axis); a row's
    value is its ``total`` cell, or the sum of its applicant cells when the
    total cell is blank.  When the printed categories add up to less than the
    total the rest is shown as "not itemised"; when they add up to more, the
    categories' sum is used as the denominator.

    Parameters
    ----------
    applications : tidy ``applications`` table (report_id, row, applicant, value).
    reports : ``reports`` table with report_id, agency, year (not needed when
        ``applications`` already carries agency and year).
    by : ``"agency"``, ``"year"`` or ``"report"``.
    split_withheld : one segment per withholding reason.
    lang : ``"zh"`` or ``"en"`` labels.
    width : figure width, ``"single"`` (3.5 in), ``"double"`` (7.2 in) or inches.
    """
    func = "outcome_shares"
    _check_lang(lang)
    _require(applications, ("report_id", "row", "value"), "applications", func)
    wide = _row_totals(applications)
    meta = _with_meta(pd.DataFrame({"report_id": wide.index}), reports, func).set_index("report_id")
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
        counts,
        denom,
        meta,
        by=by,
        order=order,
        kind="outcome",
        lang=lang,
        title=_t("outcome_shares.title", lang),
        xlabel=_t("outcome_shares.xlabel", lang),
        legend_title=_t("outcome_shares.legend", lang),
        excluded=excluded,
        func=func,
        width=width,
    )


def applicant_mix(
    applications: pd.DataFrame,
    reports: pd.DataFrame | None = None,
    *,
    by: _By = "agency",
    row: str = "new_received",
    lang: Lang = "zh",
    width: Width = "double",
) -> Figure:
    """Stacked 100 % bars of who filed requests (natural persons, enterprises, …).

    Uses the applicant cells (not the ``total`` column) of one table row,
    ``new_received`` (一、本年新收) by default.  Reports whose applicant cells
    are all blank or add up to 0 are skipped and counted under the axis.
    Counts are pooled over the reports of a group.

    Parameters
    ----------
    applications : tidy ``applications`` table (report_id, row, applicant, value).
    reports : ``reports`` table (report_id, agency, year), unless
        ``applications`` carries agency and year.
    by : ``"agency"``, ``"year"`` or ``"report"``.
    row : row code whose applicant split is shown.
    lang : ``"zh"`` or ``"en"``.
    width : figure width, ``"single"``, ``"double"`` or inches.
    """
    func = "applicant_mix"
    _check_lang(lang)
    _require(applications, ("report_id", "row", "applicant", "value"), "applications", func)
    df = applications[(applications["row"].astype(str) == row) & (applications["applicant"].astype(str) != "total")].copy()
    if df.empty:
        raise ValueError(f"{func}: no applicant cells for row {row!r}")
    df["value"] = _floats(df["value"])
    counts = df.pivot_table(index="report_id", columns="applicant", values="value", aggfunc=lambda s: s.sum(min_count=1))
    counts.columns = counts.columns.astype(str)
    all_ids = pd.Index(applications["report_id"].unique())
    denom_all = counts.sum(axis=1, min_count=1).reindex(all_ids)
    usable = denom_all.notna() & (denom_all > 0)
    excluded = int((~usable).sum())
    if not usable.any():
        raise ValueError(f"{func}: no report has applicant counts above 0 for row {row!r}; nothing to plot")
    counts = counts.loc[usable[usable].index].fillna(0.0)
    denom = counts.sum(axis=1)
    meta = _with_meta(pd.DataFrame({"report_id": counts.index}), reports, func).set_index("report_id")
    order = [c for c in _APPLICANT_ORDER] + sorted(c for c in counts.columns if c not in _APPLICANT_ORDER)
    title = _t("applicant_mix.title", lang)
    if row != "new_received":
        title += f" · {label('row', row, lang)}"
    return _stacked_shares(
        counts,
        denom,
        meta,
        by=by,
        order=order,
        kind="applicant",
        lang=lang,
        title=title,
        xlabel=_t("applicant_mix.xlabel", lang),
        legend_title=_t("applicant_mix.legend", lang),
        excluded=excluded,
        func=func,
        width=width,
    )


def review_litigation_rates(
    indicators: pd.DataFrame,
    reports: pd.DataFrame | None = None,
    *,
    by: _By = "year",
    measures: Sequence[str] | None = None,
    lang: Lang = "zh",
    width: Width = "double",
) -> Figure:
    """Bars of administrative review and litigation cases per 100 requests.

    Reads the per-report rates ``review_per_100`` and ``litigation_per_100``
    (or ``review_per_100_requests`` / ``litigation_per_100_requests`` as named
    by :func:`govreport.indicators.indicators`) of the ``indicators`` table (NA where a report has no requests or did not
    report the cases; such values are dropped, never taken as 0).  With several
    reports in a group the bar is their mean; the number of reports is given
    in the tick label.

    Parameters
    ----------
    indicators : one row per report with report_id, agency, year and the rates.
    reports : only needed when ``indicators`` lacks agency/year.
    by : ``"year"``, ``"agency"`` or ``"report"``.
    measures : rate columns to draw (default: the two rates above).
    lang : ``"zh"`` or ``"en"``.
    width : figure width, ``"single"``, ``"double"`` or inches.
    """
    import seaborn as sns

    func = "review_litigation_rates"
    _check_lang(lang)
    _require(indicators, ("report_id",), "indicators", func)
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
    long = df.melt(id_vars=["report_id", "group", "agency", "year"], value_vars=list(measures), var_name="measure", value_name="rate")
    long["rate"] = _floats(long["rate"])
    long = long.dropna(subset=["rate"])
    if long.empty:
        raise ValueError(f"{func}: no report has a {' or '.join(measures)} value; nothing to plot")
    n = long.groupby("group")["report_id"].nunique()
    stats = pd.DataFrame({"n": n, "mean": long.groupby("group")["rate"].mean()})
    groups = _order_groups(stats, by, "mean")
    tick = {g: (str(g) if (n == 1).all() else f"{g}\n(n={n[g]})") for g in groups}
    long["tick"] = long["group"].map(tick)
    long["measure_label"] = [label("measure", m, lang) for m in long["measure"]]  # type: ignore[arg-type]
    hue_order = [label("measure", m, lang) for m in measures if m in set(long["measure"])]  # type: ignore[arg-type]

    w = _inches(width, func)
    with matplotlib.rc_context(_style_rc()):
        fig = _new_figure(w, 3.0)
        ax = fig.add_subplot()
        sns.barplot(
            data=long,
            x="tick",
            y="rate",
            hue="measure_label",
            order=[tick[g] for g in groups],
            hue_order=hue_order,
            estimator="mean",
            errorbar=None,
            palette="colorblind",
            ax=ax,
        )
        for container in ax.containers:
            ax.bar_label(container, fmt="%.1f", fontsize=7, padding=1)
        ax.set_xlabel(_t(by, lang))
        ax.set_ylabel(_t("review_litigation.ylabel", lang))
        ax.set_title(_t("review_litigation.title", lang))
        ax.legend(title=_t("review_litigation.legend", lang), frameon=False)
        ax.margins(y=0.12)
        if _too_wide(tick.values(), (w - 0.8) / len(groups)):
            # one line per slanted label: "group (n=…)"
            ax.set_xticks(ax.get_xticks(), [t.get_text().replace("\n", " ") for t in ax.get_xticklabels()])
            _slant(ax, 30)
        return _finish(fig, long.drop(columns=["tick"]))


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


def disclosure_volumes(
    data: pd.DataFrame,
    reports: pd.DataFrame | None = None,
    *,
    by: Literal["agency", "year"] = "agency",
    metrics: Sequence[str] | None = None,
    log: bool = False,
    lang: Lang = "zh",
    width: Width = "double",
) -> Figure:
    """Bars of proactive-disclosure volumes and decisions by year (and agency).

    ``data`` is either the ``indicators`` table (one row per report, columns
    such as ``proactive_items``, ``licensing_decisions``, ``penalty_decisions``,
    ``coercion_decisions``, ``normative_in_force``) or the tidy
    ``active_disclosure`` table (report_id, category, metric, value), whose
    (category, metric) pairs become the same column names (e.g. licensing /
    decisions -> ``licensing_decisions``; others ``{category}_{metric}``).
    One panel per metric, x = year; with ``by="agency"`` one bar colour per
    agency and, in each year, one bar for each agency that reported a value
    that year (the bars share the year's slot, so a year with one agency gets
    one full-width bar); with ``by="year"`` agencies are summed.  Several
    reports of one agency and year are added up.  Missing values are left out
    (not drawn as 0); a reported 0 is drawn as a flat bar in the agency's
    colour at the foot of its position, labelled "0".

    Parameters
    ----------
    data : ``indicators`` or ``active_disclosure`` table.
    reports : ``reports`` table (report_id, agency, year) unless ``data``
        carries agency and year.
    by : ``"agency"`` or ``"year"``.
    metrics : columns to draw; default: those of proactive_items (or
        proactive_items_stated / proactive_items_table), licensing_decisions,
        penalty_decisions, coercion_decisions, normative_in_force that have data.
    log : logarithmic y axes (volumes span several orders of magnitude);
        a reported 0 cannot be drawn as a bar on a log axis and is shown as
        the "0" mark, whereas a year without any value is left off that
        panel's axis.
    lang : ``"zh"`` or ``"en"``.
    width : figure width, ``"single"``, ``"double"`` or inches (one panel
        per row below 5 in).
    """
    import seaborn as sns

    func = "disclosure_volumes"
    _check_lang(lang)
    _require(data, ("report_id",), "data", func)
    if by not in ("agency", "year"):
        raise ValueError(f"{func}: by must be 'agency' or 'year', not {by!r}")
    if {"category", "metric", "value"} <= set(data.columns):
        wide = _volumes_from_active(data, func)
    else:
        wide = data
    wide = _with_meta(wide, reports, func)
    if metrics is None:
        metrics = []
        for names in _DEFAULT_VOLUMES:
            present = [m for m in names if m in wide.columns and _floats(wide[m]).notna().any()]
            if present:
                metrics.append(present[0])
    else:
        missing = [m for m in metrics if m not in wide.columns]
        if missing:
            raise ValueError(f"{func}: no column(s) {', '.join(missing)} in the data")
    if not metrics:
        known = ", ".join(m for names in _DEFAULT_VOLUMES for m in names)
        raise ValueError(f"{func}: none of the volume columns {known} has data; nothing to plot")
    long = wide.melt(id_vars=["report_id", "agency", "year"], value_vars=list(metrics), var_name="metric", value_name="value")
    long["value"] = _floats(long["value"])
    long = long.dropna(subset=["value", "year"])
    if long.empty:
        raise ValueError(f"{func}: every value of {', '.join(metrics)} is missing; nothing to plot")
    metrics = [m for m in metrics if m in set(long["metric"])]
    # one bar per (agency, year) per panel: several reports of one agency and
    # year are added up; with by="year" the agencies are added up.  A missing
    # agency is drawn as "?" (the data keeps it missing).
    drawn = long.assign(agency=long["agency"].astype("string").fillna(_UNKNOWN))
    keys = ["metric", "year", "agency"] if by == "agency" else ["metric", "year"]
    bars = drawn.groupby(keys, sort=True)["value"].sum().reset_index()
    agencies = list(drawn.groupby("agency")["value"].sum().sort_values(ascending=False, kind="stable").index)
    colours = dict(zip(agencies, sns.color_palette("colorblind", len(agencies))))
    single = sns.color_palette("colorblind")[0]

    w = _inches(width, func)
    ncols = min(len(metrics), 3 if w >= 6 else (2 if w >= 5 else 1))
    nrows = int(np.ceil(len(metrics) / ncols))
    with matplotlib.rc_context(_style_rc()):
        fig = _new_figure(w, 0.8 + 2.0 * nrows)
        axes = fig.subplots(nrows, ncols, squeeze=False)
        for i, ax in enumerate(axes.flat):
            if i >= len(metrics):
                ax.set_visible(False)
                continue
            sub = bars[bars["metric"] == metrics[i]]
            # only years with a value for this metric: a missing year is left
            # out rather than shown as an empty (zero-looking) slot
            sub_years = sorted(int(y) for y in sub["year"].unique())
            if log:
                ax.set_yscale("log")
            zeros: list[tuple[float, float, object]] = []
            for x, year in enumerate(sub_years):
                in_year = sub[sub["year"] == year]
                if by == "agency":
                    # only the agencies with a value this year share the slot
                    order = [a for a in agencies if a in set(in_year["agency"])]
                    values = in_year.set_index("agency")["value"].reindex(order).to_numpy(dtype=float)
                    cols = [colours[a] for a in order]
                else:
                    values = in_year["value"].to_numpy(dtype=float)
                    cols = [single]
                n = len(values)
                bar_w = _SLOT / n
                xs = x - _SLOT / 2 + bar_w * (np.arange(n) + 0.5)
                ax.bar(xs, values, width=bar_w, color=cols, edgecolor="white", linewidth=0.4 if n > 1 else 0)
                zeros += [(float(xv), bar_w, c) for xv, v, c in zip(xs, values, cols) if v == 0]
            ax.set_xticks(range(len(sub_years)), [str(y) for y in sub_years])
            ax.set_xlim(-0.5, len(sub_years) - 0.5)
            ax.grid(axis="x", visible=False)
            if log:
                positive = sub["value"][sub["value"] > 0]
                if len(positive):  # start bars at a power of ten below the smallest value
                    ax.set_ylim(bottom=10 ** np.floor(np.log10(positive.min()) - 1e-9))
                else:
                    ax.set_ylim(0.5, 10)
                ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:,.0f}" if v >= 1 else f"{v:g}"))
                ax.yaxis.set_minor_formatter(NullFormatter())
            else:
                ax.set_ylim(bottom=0)
                ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:,.0f}" if float(v).is_integer() else f"{v:,.1f}"))
            # a reported 0 has no bar (none at all on a log axis): a flat bar in the
            # agency's colour at the foot of its slot, labelled "0", so it is not
            # mistaken for a missing value
            base = ax.get_xaxis_transform()
            for xv, bw, c in zeros:
                ax.plot(
                    [xv - bw * 0.4, xv + bw * 0.4], [0, 0], transform=base, color=c, linewidth=2.5,
                    solid_capstyle="butt", clip_on=False, gid="govreport-zero",
                )
                ax.annotate(
                    "0", (xv, 0), xycoords=base, xytext=(0, 2), textcoords="offset points",
                    ha="center", va="bottom", fontsize=6.5, color="0.25", gid="govreport-zero",
                )
            ax.set_title(label("volume", metrics[i], lang))  # type: ignore[arg-type]
            ax.set_xlabel(_t("year", lang) if i // ncols == nrows - 1 else "")
            ax.set_ylabel(_t("disclosure_volumes.ylabel", lang) if i % ncols == 0 else "")
            if _too_wide([str(y) for y in sub_years], (w / ncols - 0.7) / len(sub_years)):
                _slant(ax, 45)
        if by == "agency":
            handles = [Patch(color=colours[a], label=a) for a in agencies]
            entry_in = max(_text_inches(str(a)) for a in agencies) + 0.45
            ncols_leg = max(1, min(len(agencies), 4, int((w - 0.2) // entry_in)))
            fig.legend(handles=handles, title=_t("agency", lang), loc="outside lower center", ncols=ncols_leg, frameon=False)
        if len(metrics) > 1:
            fig.suptitle(_t("disclosure_volumes.title", lang))
        return _finish(fig, long)


def _theme_list(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        parts = value.replace("；", ";").replace("，", ",").replace("|", ";").replace(",", ";").split(";")
        return [p.strip() for p in parts if p.strip()]
    if isinstance(value, float) and np.isnan(value):
        return []
    if value is pd.NA:
        return []
    try:
        return [str(v) for v in value if v is not None and str(v) != ""]  # type: ignore[union-attr]
    except TypeError:
        return [str(value)]


def problem_themes(
    problems: pd.DataFrame,
    reports: pd.DataFrame | None = None,
    *,
    by: _By = "year",
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
    _require(problems, ("report_id", "themes"), "problems", func)
    df = problems
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
    counts = counts.reindex(columns=groups, fill_value=0)
    shares = counts.div(totals.reindex(groups), axis=1)
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
    height = 1.5 + 0.3 * len(theme_order)
    title_key = "problem_themes.title_improvement" if part == "improvement" else "problem_themes.title"
    with matplotlib.rc_context(_style_rc()):
        fig = _new_figure(w, height)
        ax = fig.add_subplot()
        sns.heatmap(
            matrix,
            ax=ax,
            cmap="Blues",
            vmin=0,
            vmax=max(float(matrix.to_numpy().max()), 1e-9),
            annot=np.where(matrix.to_numpy() > 0, np.vectorize(lambda v: f"{v:.0%}")(matrix.to_numpy()), ""),
            fmt="",
            annot_kws={"fontsize": 7},
            linewidths=0.5,
            linecolor="white",
            cbar_kws={"label": _t("problem_themes.cbar", lang), "format": PercentFormatter(1.0, decimals=0)},
        )
        ax.set_xlabel(_t(by, lang))
        ax.set_ylabel(_t("problem_themes.ylabel", lang))
        ax.set_title(_t(title_key, lang))
        # width left for the cells: figure minus theme labels and colour bar
        label_in = max(_text_inches(str(t)) for t in matrix.index) + 0.45
        cell_in = max(w - label_in - 1.0, 0.5) / len(groups)
        size = 8.8 if not _too_wide(col_labels, cell_in) else 7.0
        rotate = _too_wide([c.replace("\n", "\n") for c in col_labels], cell_in * 8.8 / size)
        ax.tick_params(axis="x", labelrotation=0, labelsize=size)
        if rotate:  # one line per slanted label: "group (n=…)"
            ax.set_xticks(ax.get_xticks(), [f"{g} (n={totals[g]})" for g in groups])
            _slant(ax, 45)
        ax.tick_params(axis="y", labelrotation=0)
        return _finish(fig, tidy)


# --------------------------------------------------------------------------- saving


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
    old_size = fig.get_size_inches().copy()
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
    try:
        fig.set_size_inches(inches, new_height)
        with matplotlib.rc_context(rc):
            for fmt in formats:
                out = base.with_name(base.name + "." + fmt)
                fig.savefig(out, format=fmt, dpi=dpi, metadata=metadata.get(fmt), facecolor="white")
                written.append(out)
    finally:
        fig.set_size_inches(*old_size)
    return written

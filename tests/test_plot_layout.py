"""Every chart of govreport.plot, drawn on the reports of data/raw at single and double column
width in Chinese and English, keeps all its text inside the canvas; the notes under a chart
count what they say they count; categories unused in the data never reach a legend."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text

from govreport import plot
from govreport.checks.indicators import indicators
from govreport.corpus import read_corpus
from govreport.plot.frames import _drop_unused_categories

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"


@pytest.fixture(scope="module")
def corpus():
    return read_corpus(RAW, jobs=1, progress=False, cache=False)


@pytest.fixture(scope="module")
def tables(corpus):
    from govreport import text

    return {
        "applications": corpus.applications,
        "active": corpus.active_disclosure,
        "reports": corpus.reports,
        "indicators": indicators(corpus),
        "problems": text.stated_problems(corpus),
    }


def _flagged(corpus) -> set[str]:
    f = corpus.findings
    hit = (f["table"].astype("string") == "applications") & f["severity"].astype("string").isin(["warning", "error"])
    return set(f.loc[hit, "report_id"].astype(str))


CHARTS = {
    "outcomes_report": lambda t, c, **k: plot.outcome_shares(t["applications"], t["reports"], by="report",
                                                             flagged=_flagged(c), **k),
    "outcomes_year_split": lambda t, c, **k: plot.outcome_shares(t["applications"], t["reports"], by="year",
                                                                 split_withheld=True, **k),
    "outcomes_agency": lambda t, c, **k: plot.outcome_shares(t["applications"], t["reports"], by="agency", **k),
    "applicants_report": lambda t, c, **k: plot.applicant_mix(t["applications"], t["reports"], by="report",
                                                              row="processed_total", min_n=1, **k),
    "rates_report": lambda t, c, **k: plot.review_litigation_rates(t["indicators"], by="report", **k),
    "rates_year": lambda t, c, **k: plot.review_litigation_rates(t["indicators"], by="year", min_n=1, **k),
    "volumes_bars": lambda t, c, **k: plot.disclosure_volumes(t["indicators"], by="agency", **k),
    "volumes_log": lambda t, c, **k: plot.disclosure_volumes(t["active"], t["reports"], by="agency", log=True, **k),
    "volumes_year": lambda t, c, **k: plot.disclosure_volumes(t["active"], t["reports"], by="year", **k),
    "themes_year": lambda t, c, **k: plot.problem_themes(t["problems"], t["reports"], by="year", **k),
    "themes_agency": lambda t, c, **k: plot.problem_themes(t["problems"], t["reports"], by="agency", **k),
    "themes_report_improvement": lambda t, c, **k: plot.problem_themes(t["problems"], t["reports"], by="report",
                                                                       part="improvement", **k),
}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("width", ["single", "double"])
@pytest.mark.parametrize("chart", sorted(CHARTS))
def test_no_text_outside_the_canvas(chart, width, lang, tables, corpus) -> None:
    fig = CHARTS[chart](tables, corpus, lang=lang, width=width)
    assert fig.get_size_inches()[0] == pytest.approx(plot.WIDTHS[width])
    FigureCanvasAgg(fig).draw()  # the chart functions build a canvas-less Figure
    renderer = fig.canvas.get_renderer()
    texts = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
    assert len(texts) >= 5, chart  # titles, labels, ticks: there is text to check
    assert plot.clipped_text(fig) == []
    # the same check written out for the texts that are always drawn: titles, axis labels, legend, notes
    box = fig.bbox
    always = [ax.title for ax in fig.axes] + [ax.xaxis.label for ax in fig.axes] + [ax.yaxis.label for ax in fig.axes]
    always += [t for leg in fig.legends for t in leg.get_texts()] + [fig._supxlabel, fig._suptitle]
    for t in always:
        if t is None or not t.get_visible() or not t.get_text().strip() or (t.axes and not t.axes.get_visible()):
            continue
        ext = t.get_window_extent(renderer)
        assert box.x0 - 1 <= ext.x0 and ext.x1 <= box.x1 + 1 and box.y0 - 1 <= ext.y0 and ext.y1 <= box.y1 + 1, (
            t.get_text(), ext, box)


def test_clipped_text_detects_clipping() -> None:
    """The detector itself: a title far wider than its figure is reported, and only that."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(3, 2), layout="constrained")
    ax = fig.add_subplot()
    ax.set_title("Outcomes of information requests by agency and year, 2017 to 2024")
    (clipped,) = plot.clipped_text(fig)
    assert clipped.startswith("'Outcomes of information requests")
    ax.set_title("Outcomes")
    assert plot.clipped_text(fig) == []


def _processed_total(apps: pd.DataFrame) -> pd.Series:
    """(七)总计 of every report: the total cell, else the sum of its applicant cells."""
    sel = apps[apps["row"].astype(str) == "processed_total"].copy()
    sel["value"] = sel["value"].astype("Float64")
    total = sel[sel["applicant"].astype(str) == "total"].groupby("report_id")["value"].sum(min_count=1)
    parts = sel[sel["applicant"].astype(str) != "total"].groupby("report_id")["value"].sum(min_count=1)
    return total.combine_first(parts)


def test_caption_counts_every_report_not_drawn(corpus, tables) -> None:
    apps, reports = tables["applications"], tables["reports"]
    read = ~reports["status"].astype(str).isin(["failed", "skipped"])  # ok or partial: the report was read
    ok = reports.loc[read, "report_id"].astype(str)
    processed = _processed_total(apps).reindex(ok)
    lacking = int((processed.isna() | (processed <= 0)).sum())
    small = int(((processed > 0) & (processed < 10)).sum())
    assert lacking >= 5  # 2017/2018 平潭 and two seeds processed none; seed 002 printed no table 三
    fig = plot.outcome_shares(apps, reports, by="report", lang="en")
    assert f"{lacking} reports lacking data not shown" in fig.govreport_notes
    assert f"{small} groups with fewer than 10 requests not shown" in fig.govreport_notes
    drawn = fig.govreport_data["group"].nunique()
    assert drawn + lacking + small == len(ok)
    # a report of the reports table with no applications rows at all lacks data too
    without = apps[apps["report_id"].astype(str) != "pingtan_2022"]
    fig = plot.outcome_shares(without, reports, by="report", lang="en")
    assert f"{lacking + 1} reports lacking data not shown" in fig.govreport_notes


def test_shares_carry_n_and_flags_are_explained(corpus, tables) -> None:
    flagged = _flagged(corpus)
    fig = plot.outcome_shares(tables["applications"], tables["reports"], by="report", flagged=flagged, lang="en")
    data = fig.govreport_data
    ticks = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    flat = ["".join(t.split()) for t in ticks]  # long names wrap over lines
    for group, denominator in data.drop_duplicates("group")[["group", "denominator"]].itertuples(index=False):
        tick = next(t for t in flat if t.startswith("".join(group.split())))
        assert f"n={denominator:,.0f}".replace(" ", "") in tick
    drawn_flagged = set(data.loc[data["flagged"], "group"])
    assert all(any(t.startswith("".join(g.split()) + "*") for t in flat) for g in drawn_flagged)
    if drawn_flagged:
        assert "* report with a validation warning or error on this table" in fig.govreport_notes
    plain = plot.outcome_shares(tables["applications"], tables["reports"], by="report", lang="en")
    assert not any("*" in t.get_text() for t in plain.axes[0].get_yticklabels())
    assert not any("*" in n for n in plain.govreport_notes)


def test_by_year_says_the_agencies_change(tables) -> None:
    fig = plot.outcome_shares(tables["applications"], tables["reports"], by="year", min_n=1, lang="en")
    (note,) = [n for n in fig.govreport_notes if "agencies differ between years" in n]
    assert "2019: 2" in note  # 平潭 and 上海市人民政府办公厅 in 2019


def test_unused_categories_never_reach_a_legend(tables) -> None:
    apps = tables["applications"].copy()
    extra = [f"unused_{i}" for i in range(30)]
    apps["applicant"] = apps["applicant"].astype(str).astype(pd.CategoricalDtype([*apps["applicant"].astype(str).unique(), *extra]))
    apps["row"] = apps["row"].astype(str).astype(pd.CategoricalDtype([*apps["row"].astype(str).unique(), *extra]))
    cleaned = _drop_unused_categories(apps)
    assert not set(extra) & set(cleaned["applicant"].cat.categories)
    assert not set(extra) & set(cleaned["row"].cat.categories)
    fig = plot.applicant_mix(apps, tables["reports"], by="report", row="processed_total", min_n=1, lang="en")
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    drawn = fig.govreport_data.groupby("code")["count"].sum()
    assert sorted(legend) == sorted(plot.label("applicant", c, "en") for c in drawn[drawn > 0].index)
    assert not any(t.startswith("unused_") for t in legend)


def test_rates_of_a_group_are_pooled(tables) -> None:
    """A bar for several reports is their cases per 100 of their requests, not a mean of rates."""
    ind = tables["indicators"]
    fig = plot.review_litigation_rates(ind, by="year", measures=["review_per_100_requests"], min_n=1, lang="en")
    in_2019 = ind[(ind["year"] == 2019) & ind["review_per_100_requests"].notna() & (ind["requests"] >= 1)]
    # 平潭 2019 (23 requests, 0 reviews) and 上海市人民政府办公厅 2019 (859, 7) as HTML, DOCX and PDF
    assert len(in_2019) == 4
    expected = float(in_2019["review_cases"].sum() / in_2019["requests"].sum() * 100)
    (bar,) = [b for b in fig.axes[0].patches if abs(b.get_x() + b.get_width() / 2 - 2019) < 0.45]
    assert bar.get_height() == pytest.approx(expected)
    assert bar.get_height() != pytest.approx(float(in_2019["review_per_100_requests"].astype(float).mean()))
    tick = next(t.get_text() for t in fig.axes[0].get_xticklabels() if t.get_text().startswith("2019"))
    assert f"n={int(in_2019['requests'].sum()):,}" in tick

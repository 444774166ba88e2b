"""Range checks (govreport.checks.ranges and the range identities of checks.csv), each
planted in one cell of a real report: the finding sits on that cell with the printed value
in ``reported`` and the bound in ``recomputed``."""
from __future__ import annotations

import importlib
from pathlib import Path

import pandas as pd

import govreport

V = importlib.import_module("govreport.checks")
RAW = Path(__file__).resolve().parent.parent / "data" / "raw"


def read(name: str):
    return govreport.read_report(RAW / name)


def planted(name: str, old: str, new: str):
    text = (RAW / name).read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    return govreport.read_report(text=text.replace(old, new))


def fails(f: pd.DataFrame) -> set[tuple[str, object, object]]:
    f = f[f["status"] == "fail"]
    return {(c, None if pd.isna(r) else r, None if pd.isna(k) else k)
            for c, r, k in zip(f["check"], f["row"], f["column"])}


def one(f: pd.DataFrame, check: str) -> pd.Series:
    sel = f[(f["check"] == check) & (f["status"] == "fail")]
    assert len(sel) == 1, sel
    return sel.iloc[0]


def with_statistics(report, edit) -> V.ReportTables:
    """The report's own tables, with its 统计指标 table edited by ``edit(df)``."""
    st = report.statistics.copy()
    edit(st)
    tables = {k: report.table(k) for k in ("applications", "active_disclosure", "review_litigation", "sections")}
    return V.ReportTables(dict(report.meta), {**tables, "statistics": st}, text=report.text)


def test_processed_above_received_seed_000():
    base = read("000_943bbbccc038582b.txt")
    r = planted("000_943bbbccc038582b.txt", "(七)总计 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
                "(七)总计 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |")
    got = fails(V.validate(r)) - fails(V.validate(base))
    assert got == {(check, row, col) for col in ("natural_person", "total") for check, row in (
        ("applications.above_received", "processed_total"), ("applications.outcome_sum", "processed_total"),
        ("applications.identity", "carried_forward"))}
    f = V.validate(r)
    x = f[(f["check"] == "applications.above_received") & (f["column"] == "total")].iloc[0]
    assert x["reported"] == 1 and x["recomputed"] == 0 and x["severity"] == "error"
    assert "processed_total" in x["location"]


def test_cumulative_below_this_year_pingtan_2018():
    # 行政复议数 prints 0 this year and 0 cumulative: plant 2 in this year's cell
    r = read("pingtan_2018.txt")

    def edit(st):
        st.loc[(st["indicator"] == "行政复议数") & (st["column"] == "year"), "value"] = 2.0

    assert "statistics.cumulative_below_year" not in set(V.validate(r)["check"])
    f = V.validate(with_statistics(r, edit))
    assert fails(f) == {("statistics.cumulative_below_year", "行政复议数", "cumulative")}
    x = one(f, "statistics.cumulative_below_year")
    assert x["reported"] == 0 and x["recomputed"] == 2


def test_share_above_100_seed_002():
    r = read("002_8b3fd4c305a71f8f.txt")
    row = r.statistics["indicator"] == "回应公众关注热点或重大舆情数"
    assert r.statistics.loc[row, "value"].tolist() == [136]

    def as_share(value):
        def edit(st):
            st["unit"] = st["unit"].astype(object)
            st.loc[row, "unit"] = "%"
            st.loc[row, "value"] = value
        return edit

    assert fails(V.validate(with_statistics(r, as_share(99.5)))) == set()
    f = V.validate(with_statistics(r, as_share(136.0)))
    assert fails(f) == {("statistics.share_above_100", "回应公众关注热点或重大舆情数", "year")}
    x = one(f, "statistics.share_above_100")
    assert x["reported"] == 136 and x["recomputed"] == 100


def test_negative_and_fractional_counts_seed_002():
    base = read("002_8b3fd4c305a71f8f.txt")
    old = "回应公众关注热点或重大舆情数 | 次 | 136 |"
    neg = planted("002_8b3fd4c305a71f8f.txt", old, "回应公众关注热点或重大舆情数 | 次 | -136 |")
    assert fails(V.validate(neg)) - fails(V.validate(base)) == {
        ("statistics.negative", "回应公众关注热点或重大舆情数", "year")}
    x = one(V.validate(neg), "statistics.negative")
    assert x["reported"] == -136 and x["recomputed"] == 0
    frac = planted("002_8b3fd4c305a71f8f.txt", old, "回应公众关注热点或重大舆情数 | 次 | 13.6 |")
    x = one(V.validate(frac), "statistics.non_integer")
    assert x["reported"] == 13.6 and x["recomputed"] == 14


def test_signed_metric_may_be_negative_layout_2019():
    """2019 table 二 本年增/减 (metric change) may be negative: no range finding there."""
    r = read("pingtan_2019.txt")
    ad = r.active_disclosure.copy()
    changes = ad["metric"] == "change"
    assert changes.any()
    ad.loc[changes, "value"] = -3.0
    tables = {k: r.table(k) for k in ("applications", "review_litigation", "statistics")}
    f = V.validate(V.ReportTables(dict(r.meta), {**tables, "active_disclosure": ad}))
    assert not (f["check"] == "active_disclosure.negative").any()
    ad.loc[(ad["category"] == "regulation") & (ad["metric"] == "new_made"), "value"] = -3.0
    f = V.validate(V.ReportTables(dict(r.meta), {**tables, "active_disclosure": ad}))
    x = one(f, "active_disclosure.negative")
    assert (x["row"], x["column"], x["reported"], x["recomputed"]) == ("regulation", "new_made", -3, 0)


def test_negative_and_fractional_counts_tables_3_and_4_seed_000():
    """One planted cell each: the range finding sits on exactly that cell."""
    cases = [
        ("(一)予以公开 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |", "(一)予以公开 | -1 | 0 | 0 | 0 | 0 | 0 | 0 |",
         "applications.negative", ("granted", "natural_person"), (-1, 0)),
        ("(一)予以公开 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |", "(一)予以公开 | 0.5 | 0 | 0 | 0 | 0 | 0 | 0 |",
         "applications.non_integer", ("granted", "natural_person"), (0.5, 0)),
        ("\n0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n",
         "\n-2 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n",
         "review_litigation.negative", ("review", "upheld"), (-2, 0)),
        ("\n0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n",
         "\n1.5 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n",
         "review_litigation.non_integer", ("review", "upheld"), (1.5, 2)),
    ]
    base = fails(V.validate(read("000_943bbbccc038582b.txt")))
    for old, new, check, (row, col), (reported, bound) in cases:
        f = V.validate(planted("000_943bbbccc038582b.txt", old, new))
        cells = {(r, c) for k, r, c in fails(f) - base if k == check}
        assert cells == {(row, col)}, (check, cells)
        x = f[(f["check"] == check) & (f["status"] == "fail")].iloc[0]
        assert (x["reported"], x["recomputed"]) == (reported, bound), check
        assert x["severity"] == "error"

"""Selecting reports, the agency × year panel and the Stata export, on the real reports in data/raw."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyreadstat
import pytest

import govreport
from govreport.corpus.stata import stata_name

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"
TEXT_FILES = sorted(p for p in RAW.iterdir() if p.suffix in (".txt", ".html"))


@pytest.fixture(scope="module")
def corpus():
    return govreport.read_corpus(TEXT_FILES, progress=False, cache=False, jobs=1)


def test_select_by_agency_filters_every_table(corpus):
    sub = corpus.select(agency="平潭综合实验区")
    assert sorted(sub.reports["report_id"].astype(str)) == [
        "pingtan_2017", "pingtan_2018", "pingtan_2019", "pingtan_2021", "pingtan_2022"]
    ids = set(sub.reports["report_id"].astype(str))
    for name in ("sections", "applications", "active_disclosure", "review_litigation", "statistics", "findings"):
        table = getattr(sub, name)
        assert set(table["report_id"].astype(str)) <= ids, name
    assert len(sub) == 5
    assert [r.report_id for r in sub] == ["pingtan_2017", "pingtan_2018", "pingtan_2019", "pingtan_2021",
                                          "pingtan_2022"]


def test_select_by_year_range_and_layout(corpus):
    sub = corpus.select(year=range(2021, 2023), layout="2021")
    assert sorted(sub.reports["report_id"].astype(str)) == ["001_88d0cb4415071165", "pingtan_2021",
                                                            "pingtan_2022"]
    assert sub.select(year=2022).reports["report_id"].astype(str).tolist() == ["pingtan_2022"]


def test_select_unknown_field_lists_the_valid_ones(corpus):
    with pytest.raises(TypeError, match="choose from year, agency"):
        corpus.select(colour="red")


def test_boolean_mask_selects_like_select(corpus):
    mask = corpus.reports["province"].astype(object) == "上海市"
    sub = corpus[mask]
    assert sorted(sub.reports["report_id"].astype(str)) == ["shanghai_govoffice_2019", "shanghai_stcsm_2024"]
    assert sub.applications["report_id"].astype(str).isin(
        ["shanghai_govoffice_2019", "shanghai_stcsm_2024"]).all()


def test_selection_drops_unused_categories(corpus):
    sub = corpus.select(agency="平潭综合实验区", year=2017)
    rows = sub.applications["row"]
    assert set(rows.cat.categories) == set(rows.astype(str))
    assert "withheld.state_secret" not in set(rows.cat.categories)  # a 2021-layout code


def test_panel_one_row_per_report_with_printed_cells(corpus):
    p = corpus.panel()
    assert p["report_id"].is_unique and len(p) == 12
    row = p.set_index("report_id")
    assert row.loc["pingtan_2021", "applications.new_received.total"] == 70
    assert row.loc["pingtan_2021", "applications.granted.total"] == 30
    assert row.loc["pingtan_2021", "review_litigation.review.total"] == 3
    assert row.loc["004_1de402db7ad7867c", "applications.granted.total"] == 13
    # printed blank in the Shanghai table: missing, never 0
    assert pd.isna(row.loc["shanghai_govoffice_2019", "applications.granted.total"])
    assert row.loc["shanghai_govoffice_2019", "applications.processed_total.total"] == 805
    # pre-2019 values come through the crosswalk and are marked
    assert bool(row.loc["pingtan_2017", "crosswalked"]) is True
    assert bool(row.loc["pingtan_2021", "crosswalked"]) is False
    assert row.loc["pingtan_2017", "review_litigation.litigation.total"] == 0
    assert row.loc["pingtan_2021", "indicator.requests"] == 70


def test_panel_long_is_the_tidy_form(corpus):
    long = corpus.panel(long=True)
    one = long[(long["report_id"] == "pingtan_2021") & (long["variable"] == "applications.carried_forward.total")]
    assert one["value"].tolist() == [1]
    assert one["raw"].notna().all()
    n_cells = sum(len(getattr(corpus, t)) for t in ("applications", "review_litigation", "active_disclosure"))
    assert len(long) == n_cells


def test_panel_codebook_states_comparability():
    book = govreport.corpus.panel_columns().set_index("name")
    assert book.loc["applications.new_received.total", "label_zh"].startswith("一、本年新收")
    assert "pre2019 (crosswalk)" in book.loc["applications.new_received.total", "layouts"]
    assert book.loc["applications.other.unpaid_fee.total", "comparability"] == "only in layout 2021"
    assert book.loc["review_litigation.litigation.total", "layouts"] == "pre2019"


def test_stata_names_are_valid_and_unique():
    taken: set[str] = set()
    names = [stata_name(n, taken) for n in govreport.corpus.panel_columns()["name"]]
    assert len(set(n.lower() for n in names)) == len(names)
    assert all(len(n) <= 32 and n[0].isalpha() and n.replace("_", "a").isalnum() for n in names)


def test_to_stata_round_trip(corpus, tmp_path):
    written = corpus.to_stata(tmp_path)
    assert {p.name for p in written} >= {"panel.dta", "applications.dta", "reports.dta", "codebook.csv"}
    book = pd.read_csv(tmp_path / "codebook.csv")
    name = book.set_index(["file", "name"]).loc[("panel.dta", "applications.new_received.total"), "stata_name"]
    df = pd.read_stata(tmp_path / "panel.dta")
    assert df.set_index("report_id").loc["pingtan_2021", name] == 70
    assert df.set_index("report_id").loc["shanghai_govoffice_2019", "agency"] == "上海市人民政府办公厅"
    data, meta = pyreadstat.read_dta(tmp_path / "applications.dta")
    assert "row" in meta.variable_value_labels  # coded columns carry value labels
    assert "granted" in meta.value_labels[meta.variable_to_label["row"]].values()
    _, pmeta = pyreadstat.read_dta(tmp_path / "panel.dta")
    assert pmeta.column_names_to_labels[name] == "New requests received this year — Total of all applicants"
    # the Chinese label is a Stata note (a characteristic) of the variable
    blob = (tmp_path / "panel.dta").read_bytes()
    assert "一、本年新收政府信息公开申请数量 总计".encode() in blob


def test_every_export_has_a_codebook(corpus, tmp_path):
    for write in ("to_parquet", "to_csv"):
        out = getattr(corpus, write)(tmp_path / write)
        book = pd.read_csv(out / "codebook.csv").set_index(["table", "column"])
        assert book.loc[("applications", "row"), "codes"] == "layouts/rows.csv"
        assert book.loc[("reports", "days_late"), "dtype"] == "Int64"
        assert len(book) == sum(len(df.columns) for df in corpus.tables().values())
        assert govreport.load(out).reports["report_id"].tolist() == corpus.reports["report_id"].tolist()


def test_codebook_follows_layouts_registered_later(tmp_path):
    import csv
    import shutil

    from govreport import layouts

    before = govreport.corpus.panel_columns().set_index("name")
    folder = tmp_path / "2099"
    shutil.copytree(Path(layouts.__file__).parent / "data" / "layouts" / "2021", folder)
    with open(folder / "layout.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    rows[0]["name"] = "2099"
    with open(folder / "layout.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    layouts.register_path(folder)
    try:
        after = govreport.corpus.panel_columns().set_index("name")
    finally:
        layouts.unregister_path(folder)
    assert before.loc["applications.other.unpaid_fee.total", "layouts"] == "2021"
    assert after.loc["applications.other.unpaid_fee.total", "layouts"] == "2021|2099"

"""The Report's own API on real reports: tables as properties, value() that explains
itself, to_pandas(), and debug(table), the view of what a table was built from."""
from __future__ import annotations

from pathlib import Path

import pytest

import govreport
from govreport.protocol import TABLE_NAMES, ReportLike

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"
SEED4 = RAW / "004_1de402db7ad7867c.txt"


@pytest.fixture(scope="module")
def r():
    return govreport.read_report(SEED4)


def test_tables_are_properties_of_the_protocol(r):
    assert isinstance(r, ReportLike)
    for name in TABLE_NAMES:
        assert isinstance(getattr(type(r), name), property), name
    assert r.applications is r.table("applications")


def test_value_names_the_valid_codes(r):
    assert r.value("applications", row="granted", applicant="total") == 13
    with pytest.raises(KeyError, match="applications.row has no code 'grant' in this report; the codes are: "
                                       "carried_forward, carried_over, granted"):
        r.value("applications", row="grant", applicant="total")
    with pytest.raises(KeyError, match="applications has no column 'rows'; its key columns are row, applicant"):
        r.value("applications", rows="granted")
    with pytest.raises(KeyError, match="7 cells of applications match"):
        r.value("applications", row="granted")


def test_to_pandas_is_one_tidy_frame_of_every_value(r):
    tidy = r.to_pandas()
    assert list(tidy.columns[:5]) == ["table", "row", "column", "value", "raw"]
    cell = tidy[(tidy["table"] == "active_disclosure") & (tidy["row"] == "licensing") & (tidy["column"] == "decisions")]
    assert cell["value"].tolist() == [9945]
    assert len(tidy) == sum(len(r.table(t)) for t in ("applications", "active_disclosure", "review_litigation",
                                                     "statistics"))
    assert r.to_pandas("review_litigation").equals(r.review_litigation)


def test_debug_shows_cells_findings_and_tokens(r):
    d = r.debug("review_litigation")
    cell = d[(d["procedure"] == "review") & (d["outcome"] == "other")]
    assert cell["raw"].tolist() == ["1"] and cell["value"].tolist() == [1]
    # seed 004 prints 12 of table 四's 15 cells: the blank block says why it cannot be checked
    blank = d[(d["procedure"] == "litigation_after_review") & (d["outcome"] == "total")]
    assert "cannot be checked" in blank["findings"].iloc[0]
    toks = d.attrs["tokens"]
    assert toks["raw"].iloc[0].startswith("四、政府信息公开、行政复议、行政诉讼情况")
    assert {"结果维持", "总计"} <= set(toks["raw"])
    with pytest.raises(KeyError, match="the value tables are applications"):
        r.debug("sections")


def test_debug_of_a_pdf_table_carries_pages_and_boxes():
    r = govreport.read_report(RAW / "hongze_district_gov_2024.pdf")
    d = r.debug("applications")
    first = d[(d["row"] == "new_received") & (d["applicant"] == "natural_person")].iloc[0]
    assert (first["raw"], first["value"], first["page"]) == ("95", 95, 3)
    assert len(first["box"].split(",")) == 4

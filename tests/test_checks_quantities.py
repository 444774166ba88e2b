"""The one stated-quantity extractor (govreport.checks.quantities) and the narrative check."""
from __future__ import annotations

import importlib
from pathlib import Path

import pandas as pd

import govreport

V = importlib.import_module("govreport.checks")
Q = importlib.import_module("govreport.checks.quantities")
RAW = Path(__file__).resolve().parent.parent / "data" / "raw"

# pingtan 2021 prints 3 review cases in table 四 (1 upheld, 2 other)
PINGTAN_2021 = "pingtan_2021.txt"
# the real line of issue 11: no review *corrected* the agency, which says nothing of how many reviews there were
NEGATED = "全年未发生因依申请公开被行政复议纠错的情况。"
ANCHOR = "五、存在的主要问题及改进情况"


def with_line(line: str):
    text = (RAW / PINGTAN_2021).read_text(encoding="utf-8")
    assert text.count(ANCHOR) == 1
    return govreport.read_report(text=text.replace(ANCHOR, line + ANCHOR))


def mismatches(report) -> pd.DataFrame:
    f = V.validate(report)
    return f[(f["check"] == "narrative.mismatch") & (f["row"] == "review")]


def test_negated_outcome_is_not_a_count_of_zero():
    r = with_line(NEGATED)
    assert r.value("review_litigation", procedure="review", outcome="total") == 3
    assert mismatches(r).empty
    assert "review_cases" not in set(V.stated_quantities(NEGATED)["subject"])


def test_a_statement_of_absence_of_the_count_still_is_zero():
    # the same sentence without the outcome word denies any review: 0 against the table's 3
    r = with_line("全年未发生因依申请公开被申请行政复议的情况。")
    x = mismatches(r)
    assert len(x) == 1 and x["status"].iloc[0] == "fail"
    assert x["reported"].iloc[0] == 3 and x["recomputed"].iloc[0] == 0


def test_negated_litigation_outcome():
    assert V.stated_quantities("本年度未发生因政府信息公开引起的行政诉讼败诉案件。").empty
    sq = V.stated_quantities("本年度未发生因政府信息公开引起的行政诉讼。")
    assert list(sq["subject"]) == ["litigation_cases"] and sq["quantity"].iloc[0] == 0


def test_return_type_offsets_and_units_on_a_real_report():
    text = (RAW / "004_1de402db7ad7867c.txt").read_text(encoding="utf-8")
    found = Q.extract(text)
    assert all(isinstance(q, Q.StatedQuantity) for q in found)
    req = next(q for q in found if q.subject == "requests_received")
    assert (req.quantity, req.unit, req.absence) == (52.0, "件", False)
    # offsets point into the text as given
    assert text[req.start:req.end] == req.match == "收到依申请信息公开52件"
    assert req.match in req.sentence and req.targets.startswith("A:new_received:total")
    df = V.stated_quantities(text)
    assert list(df.columns) == Q.COLUMNS
    assert len(df) == len(found) and df["start"].is_monotonic_increasing


def test_offsets_across_a_pdf_line_break():
    # stcsm is a PDF copy: 上年结转政府信息公开\n申请 2 件 spans a line break and spaces
    text = (RAW / "shanghai_stcsm_2024.txt").read_text(encoding="utf-8")
    q = next(q for q in Q.extract(text) if q.subject == "carried_over")
    assert q.quantity == 2
    assert text[q.start:q.end].replace("\n", "").replace(" ", "") == q.match
    assert "\n" in text[q.start:q.end]


def test_proactive_items_have_no_target_and_are_not_checked():
    text = (RAW / "004_1de402db7ad7867c.txt").read_text(encoding="utf-8")
    items = [q for q in Q.extract(text) if q.subject == "proactive_items"]
    assert items[0].quantity == 439 and items[0].targets == "" and items[0].unit == "条"


def test_anchor_literals_are_in_every_match():
    """The literal anchor column of narrative_checks.csv is a necessary part of a match."""
    text = "".join((RAW / n).read_text(encoding="utf-8") for n in sorted(p.name for p in RAW.glob("*.txt")))
    for rule in Q.rules():
        for m in rule["regex"].finditer(text.replace("\n", "").replace(" ", "")):
            assert not rule["anchors"] or any(a in m.group(0) for a in rule["anchors"]), (rule["subject"], m.group(0))


def test_search_near_anchors_finds_what_a_whole_text_search_finds(monkeypatch):
    texts = [(RAW / n).read_text(encoding="utf-8") for n in sorted(p.name for p in RAW.glob("*.txt"))]
    near = [Q.extract.__wrapped__(t) for t in texts]
    monkeypatch.setattr(Q._Prepared, "windows", lambda self, anchors: None)
    whole = [Q.extract.__wrapped__(t) for t in texts]
    assert near == whole
    assert sum(len(x) for x in whole) >= 40


def test_a_run_of_digits_no_count_has_is_not_a_statement():
    # issue 12: a cell or number of 400 digits must not become a value; offsets still hold
    text = (RAW / "004_1de402db7ad7867c.txt").read_text(encoding="utf-8")
    damaged = text.replace("共收到依申请信息公开52件", "共收到依申请信息公开" + "5" * 400 + "件")
    got = [q for q in Q.extract(damaged) if q.subject == "requests_received"]
    assert got == []
    after = next(q for q in Q.extract(damaged) if q.subject == "penalty_cases")
    assert damaged[after.start:after.end] == after.match

"""Tests for govreport.checks: arithmetic checks, per cell.

Most tests plant one inconsistency into a copy of a real report (change one
printed cell by a string replacement on a unique context), re-read it with
``govreport.read_report(text=...)`` and assert that exactly the expected checks
fire, at exactly the expected row and column.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import importlib

import govreport

V = importlib.import_module("govreport.checks")

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"

SEED_000 = "000_943bbbccc038582b.txt"
SEED_001 = "001_88d0cb4415071165.txt"
SEED_002 = "002_8b3fd4c305a71f8f.txt"
SEED_003 = "003_36f0aac7f99c3c7f.txt"
SEED_004 = "004_1de402db7ad7867c.txt"
STCSM = "shanghai_stcsm_2024.txt"


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------


def raw_text(name: str) -> str:
    return (RAW / name).read_text(encoding="utf-8")


def read(name: str):
    return govreport.read_report(RAW / name)


def planted(name: str, old: str, new: str):
    """Read a copy of ``name`` with the unique string ``old`` replaced by ``new``."""
    text = raw_text(name)
    assert text.count(old) == 1, f"context {old!r} is not unique in {name}"
    return govreport.read_report(text=text.replace(old, new))


def fails(findings: pd.DataFrame, *, severity: str | None = None) -> set[tuple[str, str | None, str | None]]:
    """The failed checks as a set of (check, row, column)."""
    f = findings[findings["status"] == "fail"]
    if severity is not None:
        f = f[f["severity"] == severity]
    return {
        (c, None if pd.isna(r) else r, None if pd.isna(col) else col)
        for c, r, col in zip(f["check"], f["row"], f["column"])
    }


def new_fails(base, changed) -> set[tuple[str, str | None, str | None]]:
    """Failures present after planting that were not there before."""
    return fails(V.validate(changed)) - fails(V.validate(base))


def one(findings: pd.DataFrame, check: str, row: str | None = None, column: str | None = None) -> pd.Series:
    sel = findings[findings["check"] == check]
    if row is not None:
        sel = sel[sel["row"] == row]
    if column is not None:
        sel = sel[sel["column"] == column]
    assert len(sel) == 1, sel
    return sel.iloc[0]


def synthetic(layout: str = "2021", **overrides) -> V.ReportTables:
    """A consistent all-zero report in tidy form; ``overrides`` maps
    'applications' -> {(row, col): value} etc."""
    rows = V._application_rows(layout, [])
    app = pd.DataFrame(
        [
            {"row": r, "applicant": c, "value": 0.0, "raw": "0", "label": r}
            for r in rows
            for c in V.APPLICANT_COLUMNS
        ]
    )
    rl = pd.DataFrame(
        [{"procedure": p, "outcome": o, "value": 0.0, "raw": "0"} for p in V.PROCEDURES for o in V.RL_OUTCOMES]
    )
    ad = pd.DataFrame(
        [
            {"item": "", "category": c, "metric": m, "value": 0.0, "raw": "0", "label": c}
            for c, m in [
                ("regulation", "issued"), ("regulation", "repealed"), ("regulation", "in_force"),
                ("normative_document", "issued"), ("normative_document", "repealed"),
                ("normative_document", "in_force"), ("licensing", "decisions"), ("penalty", "decisions"),
                ("coercion", "decisions"), ("fees", "amount_10k_yuan"),
            ]
        ]
    )
    tables = {"applications": (app, "row", "applicant"), "review_litigation": (rl, "procedure", "outcome"),
              "active_disclosure": (ad, "category", "metric")}
    for name, cells in overrides.items():
        df, rk, ck = tables[name]
        for (r, c), v in cells.items():
            mask = (df[rk] == r) & (df[ck] == c)
            df.loc[mask, "value"] = v
            df.loc[mask, "raw"] = "" if v is None else str(v)
    for df, _, _ in tables.values():
        df["value"] = df["value"].astype("Float64")
    return V.ReportTables(
        {"layout": layout, "agency": "test agency", "year": 2023},
        {"applications": app, "review_litigation": rl, "active_disclosure": ad, "statistics": pd.DataFrame()},
        text="",
    )


# --------------------------------------------------------------------------
# schema and API
# --------------------------------------------------------------------------


def test_findings_schema_exact_columns_and_dtypes():
    f = V.validate(synthetic(applications={("granted", "total"): 1.0}))
    assert list(f.columns) == V.FINDINGS_COLUMNS
    assert str(f["reported"].dtype) == "Float64"
    assert str(f["recomputed"].dtype) == "Float64"
    empty = V.validate(synthetic())
    assert list(empty.columns) == V.FINDINGS_COLUMNS
    assert empty.empty


def test_every_check_code_is_documented():
    codes = set(V.checks()["code"])
    for code in ["applications.identity", "applications.outcome_sum", "applications.row_sum",
                 "review_litigation.sum", "active_disclosure.negative", "active_disclosure.non_integer",
                 "statistics.children_sum", "narrative.mismatch", "cross_year.carried", "cross_year.in_force",
                 "applications.incomplete", "review_litigation.incomplete"]:
        assert code in codes
    # doubtful printed cells are the reader's findings (leading_zero, unit_conflict), not repeated here
    assert not codes & {"cell.leading_zero", "active_disclosure.unit_conflict"}
    assert set(V.checks()["severity"]) <= {"error", "warning", "info"}


def test_validate_is_pure_and_validate_report_appends():
    r = read(SEED_004)
    before = {k: getattr(r, k).copy() for k in ("applications", "review_litigation", "active_disclosure")}
    n_before = len(r.findings)
    f = V.validate(r)
    for k, df in before.items():
        pd.testing.assert_frame_equal(getattr(r, k), df)
    assert len(r.findings) == n_before
    V.validate_report(r)
    V.validate_report(r)  # idempotent: no duplicates
    assert len(r.findings) <= n_before + len(f)
    assert set(map(tuple, f[["check", "row", "column"]].astype(str).values)) <= set(
        map(tuple, r.findings[["check", "row", "column"]].astype(str).values)
    )


def test_include_passes():
    f = V.validate(synthetic(), include_passes=True)
    assert set(f["status"]) == {"pass"}
    assert {"applications.identity", "applications.outcome_sum", "applications.row_sum",
            "review_litigation.sum"} <= set(f["check"])


# --------------------------------------------------------------------------
# the seeds
# --------------------------------------------------------------------------


@pytest.mark.parametrize("name", [SEED_000, SEED_001])
def test_clean_seeds_have_no_error_findings(name):
    f = V.validate(read(name))
    assert fails(f, severity="error") == set(), f[f["severity"] == "error"].to_string()


def test_seed_003_says_what_is_wrong_with_table_4():
    r = read(SEED_003)
    f = V.validate(r)
    # the total of 行政复议 is printed '00': the reader says so (validate does not repeat it)
    z = one(r.findings, "leading_zero", "review", "total")
    assert z["reported"] == 0 and "'00'" in z["message"]
    assert not f["check"].str.contains("leading_zero").any()
    # the total of 未经复议直接起诉 is blank: the sum cannot be checked, and it is said which cell is missing
    na = one(f, "review_litigation.sum", "litigation_direct", "total")
    assert na["status"] == "not_assessable" and na["severity"] == "info"
    assert "total" in na["message"]
    inc = one(f, "review_litigation.incomplete")
    assert inc["reported"] == 14 and inc["recomputed"] == 15
    assert "litigation_direct/total" in inc["message"]


def test_seed_004_says_what_is_wrong_with_table_4():
    # table 四 prints 12 of the 15 cells: 0 0 1 0 1 | 0 0 0 0 0 | 1 1
    f = V.validate(read(SEED_004))
    inc = one(f, "review_litigation.incomplete")
    assert inc["status"] == "fail" and inc["severity"] == "warning"
    assert inc["recomputed"] == 15 and inc["reported"] < 15
    assert f"{int(inc['reported'])} of 15" in inc["message"]
    assert "litigation_after_review" in inc["message"]
    # the procedure whose cells are missing cannot be summed: not_assessable, not a pass
    na = one(f, "review_litigation.sum", "litigation_after_review", "total")
    assert na["status"] == "not_assessable" and na["severity"] == "info"
    assert fails(f, severity="error") == set()
    # narrative: 52 requests, 5 penalty cases, 9945 licensing decisions agree with the tables;
    # 信访投诉64件 / 已办结64件 are not about information requests
    assert not (f["check"] == "narrative.mismatch").any(), f[f["check"] == "narrative.mismatch"].to_string()


# --------------------------------------------------------------------------
# planted inconsistencies: table 三
# --------------------------------------------------------------------------

CF_000 = "四、结转下年度继续办理 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |"
CO_000 = "二、上年结转政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |"
GRANTED_000 = "(一)予以公开 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |"
DUP_000 = "2.重复申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |"


def test_planted_identity_carried_forward_cell():
    r = planted(SEED_000, CF_000, "四、结转下年度继续办理 | 2 | 0 | 0 | 0 | 0 | 0 | 2 |")
    f = V.validate(r)
    assert fails(f) == {
        ("applications.identity", "carried_forward", "natural_person"),
        ("applications.identity", "carried_forward", "total"),
    }
    x = one(f, "applications.identity", "carried_forward", "natural_person")
    assert x["reported"] == 2 and x["recomputed"] == 0
    assert x["severity"] == "error"
    assert x["location"] == "table 三, row carried_forward, column natural_person"


def test_planted_identity_single_cell_also_breaks_row_sum():
    r = planted(SEED_000, CO_000, "二、上年结转政府信息公开申请数量 | 0 | 0 | 3 | 0 | 0 | 0 | 0 |")
    f = V.validate(r)
    assert fails(f) == {
        ("applications.identity", "carried_forward", "research_institution"),
        ("applications.row_sum", "carried_over", "total"),
    }
    x = one(f, "applications.identity", "carried_forward", "research_institution")
    assert x["reported"] == 0 and x["recomputed"] == 3


def test_planted_outcome_sum():
    # a granted request in the natural_person and total columns, not counted in (七)总计
    r = planted(SEED_000, GRANTED_000, "(一)予以公开 | 4 | 0 | 0 | 0 | 0 | 0 | 4 |")
    f = V.validate(r)
    assert fails(f) == {
        ("applications.outcome_sum", "processed_total", "natural_person"),
        ("applications.outcome_sum", "processed_total", "total"),
    }
    x = one(f, "applications.outcome_sum", "processed_total", "total")
    assert x["reported"] == 0 and x["recomputed"] == 4


def test_planted_outcome_sum_counts_not_processed_rows():
    r = planted(SEED_000, DUP_000, "2.重复申请 | 0 | 0 | 0 | 0 | 0 | 1 | 1 |")
    assert fails(V.validate(r)) == {
        ("applications.outcome_sum", "processed_total", "other_org"),
        ("applications.outcome_sum", "processed_total", "total"),
    }


def test_planted_row_sum():
    r = planted(SEED_000, GRANTED_000, "(一)予以公开 | 0 | 0 | 0 | 0 | 0 | 0 | 7 |")
    f = V.validate(r)
    assert fails(f) == {
        ("applications.row_sum", "granted", "total"),
        ("applications.outcome_sum", "processed_total", "total"),
    }
    x = one(f, "applications.row_sum", "granted", "total")
    assert x["reported"] == 7 and x["recomputed"] == 0


def test_row_sum_on_real_numbers_stcsm():
    base = read(STCSM)
    assert fails(V.validate(base), severity="error") == set()


def test_missing_cell_is_not_a_pass():
    r = synthetic(applications={("carried_forward", "total"): None})
    f = V.validate(r)
    assert fails(f, severity="error") == set()
    x = one(f, "applications.identity", "carried_forward", "total")
    assert x["status"] == "not_assessable" and x["severity"] == "info"
    y = one(f, "applications.row_sum", "carried_forward", "total")
    assert y["status"] == "not_assessable"
    inc = one(f, "applications.incomplete")
    assert inc["reported"] == 174 and inc["recomputed"] == 175
    assert "carried_forward/total" in inc["message"]


def test_2019_layout_single_other_row():
    r = synthetic("2019", applications={("other", "total"): 2.0, ("other", "natural_person"): 2.0,
                                        ("new_received", "total"): 2.0, ("new_received", "natural_person"): 2.0})
    f = V.validate(r)
    assert fails(f) == {
        ("applications.outcome_sum", "processed_total", "natural_person"),
        ("applications.outcome_sum", "processed_total", "total"),
        ("applications.identity", "carried_forward", "natural_person"),
        ("applications.identity", "carried_forward", "total"),
    }
    x = one(f, "applications.outcome_sum", "processed_total", "total")
    assert x["recomputed"] == 2


# --------------------------------------------------------------------------
# planted inconsistencies: table 四 and table 二
# --------------------------------------------------------------------------

T4_000 = "\n0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n"


def test_planted_review_litigation_sum():
    # 未经复议直接起诉: 结果纠正 1 but 总计 0
    r = planted(SEED_000, T4_000, "\n0 | 0 | 0 | 0 | 0 | 0 | 1 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n")
    f = V.validate(r)
    assert fails(f) == {("review_litigation.sum", "litigation_direct", "total")}
    x = one(f, "review_litigation.sum", "litigation_direct", "total")
    assert x["reported"] == 0 and x["recomputed"] == 1


def test_planted_active_disclosure_negative():
    r = planted(SEED_000, "行政处罚 | 0 |", "行政处罚 | -3 |")
    f = V.validate(r)
    assert fails(f) == {("active_disclosure.negative", "penalty", "decisions")}
    assert one(f, "active_disclosure.negative")["reported"] == -3


def test_planted_active_disclosure_non_integer():
    r = planted(SEED_000, "行政强制 | 0 |", "行政强制 | 2.5 |")
    f = V.validate(r)
    assert fails(f) == {("active_disclosure.non_integer", "coercion", "decisions")}


def test_money_may_be_decimal():
    r = planted(SEED_000, "行政事业性收费 | 0 |", "行政事业性收费 | 12.35 |")
    assert fails(V.validate(r)) == set()


def test_money_unit_conflict():
    # the reader records the conflicting unit (and leaves the cell missing); validate does not repeat it
    r = planted(SEED_000, "行政事业性收费 | 0 |", "行政事业性收费 | 251000元 |")
    x = one(r.findings, "unit_conflict", "fees", "amount_10k_yuan")
    assert x["status"] == "fail" and x["severity"] == "warning" and "251000元" in x["message"]
    assert fails(V.validate(r)) == set()


def test_planted_leading_zero():
    # the reader records the leading zero; validate does not repeat it
    r = planted(SEED_000, "行政强制 | 0 |", "行政强制 | 00 |")
    assert fails(r.findings) == {("leading_zero", "coercion", "decisions")}
    assert one(r.findings, "leading_zero")["severity"] == "warning"
    assert fails(V.validate(r)) == set()


# --------------------------------------------------------------------------
# narrative against tables
# --------------------------------------------------------------------------


def test_planted_narrative_requests():
    base = read(SEED_004)
    r = planted(SEED_004, "共收到依申请信息公开52件", "共收到依申请信息公开57件")
    f = V.validate(r)
    assert fails(f) - fails(V.validate(base)) == {("narrative.mismatch", "new_received", "total")}
    x = one(f, "narrative.mismatch", "new_received", "total")
    assert x["reported"] == 52 and x["recomputed"] == 57
    assert "共收到依申请信息公开57件" in x["message"]
    assert x["table"] == "applications"


def test_narrative_every_mention_is_checked():
    # a second mention of the penalty decisions that disagrees; the first one agrees
    r = planted(SEED_004, "群众满意率达100%。", "群众满意率达100%。全年办结行政处罚案件6件。")
    f = V.validate(r)
    mism = f[(f["check"] == "narrative.mismatch") & (f["status"] == "fail")]
    assert len(mism) == 1
    x = mism.iloc[0]
    assert (x["row"], x["column"]) == ("penalty", "decisions")
    assert x["reported"] == 5 and x["recomputed"] == 6
    assert "全年办结行政处罚案件6件" in x["message"]


def test_narrative_statement_of_absence_is_zero():
    # 000 says 未收到…政府信息公开网上申请; plant one request in the table
    r = planted(SEED_000, "一、本年新收政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
                "一、本年新收政府信息公开申请数量 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |")
    f = V.validate(r)
    assert ("narrative.mismatch", "new_received", "total") in fails(f)
    x = one(f, "narrative.mismatch", "new_received", "total")
    assert x["recomputed"] == 0 and "未收到" in x["message"]


def test_narrative_ignores_complaints():
    sq = V.stated_quantities("2024年，共收到各类信访投诉64件，已办结64件，现场接访24件。")
    assert sq.empty


def test_stated_quantities_stcsm():
    sq = V.stated_quantities(raw_text(STCSM))
    got = dict(zip(sq["subject"], sq["quantity"]))
    assert got["requests_received"] == 34
    assert got["carried_over"] == 2
    assert got["granted"] == 9
    assert got["carried_forward"] == 1
    assert got["review_cases"] == 1
    assert got["litigation_cases"] == 0


# --------------------------------------------------------------------------
# pre2019 统计指标
# --------------------------------------------------------------------------


def test_planted_statistics_children_sum():
    base = read(SEED_002)
    assert fails(V.validate(base), severity="error") == set()
    r = planted(SEED_002, "(四)从事政府信息公开工作人员数 | 人 | 2 |", "(四)从事政府信息公开工作人员数 | 人 | 3 |")
    got = new_fails(base, r)
    assert len(got) == 1
    check, row, _ = got.pop()
    assert check == "statistics.children_sum"
    assert "从事政府信息公开工作人员数" in row
    f = V.validate(r)
    x = one(f[f["status"] == "fail"], "statistics.children_sum")
    assert x["reported"] == 3 and x["recomputed"] == 2
    assert x["location"].startswith("统计指标")
    # blank parents and children (nothing reported) are not passes either
    na = f[(f["check"] == "statistics.children_sum") & (f["status"] == "not_assessable")]
    assert len(na) >= 1 and set(na["severity"]) == {"info"}


def test_statistics_rules_synthetic():
    st = pd.DataFrame(
        {
            "indicator": ["(一)收到申请数", "1.当面申请数", "2.传真申请数", "3.网络申请数", "4.信函申请数",
                          "5.其他形式"],
            "unit": ["件"] * 6,
            "value": pd.array([5, 1, 0, 2, 1, 0], dtype="Float64"),
            "raw": ["5", "1", "0", "2", "1", "0"],
            "parent": [None, "(一)收到申请数", "(一)收到申请数", "(一)收到申请数", "(一)收到申请数", "(一)收到申请数"],
            "code": [None] * 6,
            "mapped": [False] * 6,
        }
    )
    r = V.ReportTables({"layout": "pre2019"}, {"statistics": st}, text="")
    f = V.validate(r)
    assert fails(f) == {("statistics.children_sum", "(一)收到申请数", None)}
    x = one(f[f["status"] == "fail"], "statistics.children_sum")
    assert x["reported"] == 5 and x["recomputed"] == 4


# --------------------------------------------------------------------------
# across years
# --------------------------------------------------------------------------


def _pingtan(name: str, old: str | None = None, new: str | None = None):
    """A pingtan report; the agency is set explicitly (the corpus takes it from the
    manifest when the title does not name it), so that 2021 and 2022 pair up."""
    r = read(name) if old is None else planted(name, old, new)
    r.meta["agency"] = "平潭综合实验区"
    return r


def test_cross_year_pingtan_consistent():
    r21, r22 = _pingtan("pingtan_2021.txt"), _pingtan("pingtan_2022.txt")
    f = V.validate_corpus([r21, r22])
    assert list(f.columns) == ["report_id"] + V.FINDINGS_COLUMNS
    assert fails(f) == set(), f.to_string()
    # carried_forward 2021 = carried_over 2022 = 1 was assessed (and passed)
    p = V.validate_corpus([r21, r22], include_passes=True)
    x = one(p, "cross_year.carried", "carried_over", "total")
    assert x["status"] == "pass" and x["reported"] == 1 and x["recomputed"] == 1


def test_planted_cross_year_carried():
    r21 = _pingtan("pingtan_2021.txt")
    r22 = _pingtan("pingtan_2022.txt", "二、上年结转政府信息公开申请数量 1000001",
                   "二、上年结转政府信息公开申请数量 3000003")
    f = V.validate_corpus([r21, r22])
    assert fails(f) == {
        ("cross_year.carried", "carried_over", "natural_person"),
        ("cross_year.carried", "carried_over", "total"),
    }
    x = one(f, "cross_year.carried", "carried_over", "total")
    assert x["reported"] == 3 and x["recomputed"] == 1
    assert r22.meta.get("source") is None and x["report_id"] == "1"  # list input: a text has no source: position
    assert "2021→2022" in x["message"]


def test_cross_year_needs_consecutive_years_and_same_agency():
    a = synthetic(applications={("carried_forward", "total"): 5.0})
    b = synthetic()
    b.meta = {**b.meta, "year": 2025}  # not consecutive
    assert V.validate_corpus([a, b]).empty
    b.meta = {**b.meta, "year": 2024, "agency": "another agency"}
    assert V.validate_corpus([a, b]).empty


def test_planted_cross_year_in_force():
    prev = synthetic(active_disclosure={("normative_document", "in_force"): 10.0})
    cur = synthetic(active_disclosure={("normative_document", "in_force"): 12.0,
                                       ("normative_document", "issued"): 3.0,
                                       ("normative_document", "repealed"): 1.0})
    cur.meta = {**cur.meta, "year": 2024}
    assert fails(V.validate_corpus([prev, cur])) == set()
    cur.active_disclosure.loc[
        (cur.active_disclosure["category"] == "normative_document")
        & (cur.active_disclosure["metric"] == "in_force"), "value"] = 13.0
    f = V.validate_corpus([prev, cur])
    assert fails(f) == {("cross_year.in_force", "normative_document", "in_force")}
    x = one(f, "cross_year.in_force")
    assert x["reported"] == 13 and x["recomputed"] == 12 and x["severity"] == "warning"


def _with_active_disclosure(report, cells: dict) -> V.ReportTables:
    """``report``'s own tables with table 二 cells set to ``cells`` ((category, metric) -> value)."""
    ad = report.active_disclosure.copy()
    for (cat, metric), v in cells.items():
        ad.loc[(ad["category"] == cat) & (ad["metric"] == metric), "value"] = v
    tables = {k: report.table(k) for k in ("applications", "review_litigation", "statistics", "sections")}
    return V.ReportTables(dict(report.meta), {**tables, "active_disclosure": ad}, text=report.text)


def test_cross_year_in_force_pingtan_planted():
    """pingtan: 665 in force (2021) + 88 issued - 55 repealed = 698 in force (2022). The cells
    are printed glued (693665, 8855698); here they are set to the values the text prints, on the
    reports' own tables, and 2022's in-force count planted one too high."""
    r21 = _with_active_disclosure(_pingtan("pingtan_2021.txt"), {
        ("normative_document", "issued"): 69.0, ("normative_document", "repealed"): 3.0,
        ("normative_document", "in_force"): 665.0})
    cells22 = {("normative_document", "issued"): 88.0, ("normative_document", "repealed"): 55.0,
               ("normative_document", "in_force"): 698.0}
    ok = V.validate_corpus([r21, _with_active_disclosure(_pingtan("pingtan_2022.txt"), cells22)],
                           include_passes=True)
    assert one(ok, "cross_year.in_force", "normative_document", "in_force")["status"] == "pass"
    cells22[("normative_document", "in_force")] = 699.0
    f = V.validate_corpus([r21, _with_active_disclosure(_pingtan("pingtan_2022.txt"), cells22)])
    x = one(f, "cross_year.in_force", "normative_document", "in_force")
    assert x["status"] == "fail" and x["reported"] == 699 and x["recomputed"] == 698


def test_planted_outcome_sum_2019_layout_traditional_script():
    # seed 003 (layout 2019, traditional script): one request closed by (六)其他處理 (the single
    # `other` row of 2019) for a natural person, not counted in (七)總計
    base = read(SEED_003)
    assert base.meta["layout"] == "2019"
    r = planted(SEED_003, "(六)其他處理 |\n0 |", "(六)其他處理 |\n1 |")
    assert new_fails(base, r) == {
        ("applications.outcome_sum", "processed_total", "natural_person"),
        ("applications.row_sum", "other", "total"),
    }
    x = one(V.validate(r), "applications.outcome_sum", "processed_total", "natural_person")
    assert x["reported"] == 3 and x["recomputed"] == 4


@pytest.mark.parametrize(
    "old,new,row,column,reported,stated",
    [
        ("申请中同意公开答复 9 件", "申请中同意公开答复 8 件", "granted", "total", 9, 8),
        ("有 1 件涉及政府信息公开工作的行政复", "有 2 件涉及政府信息公开工作的行政复", "review", "total", 1, 2),
        ("上年结转政府信息公开\n申请 2 件", "上年结转政府信息公开\n申请 5 件", "carried_over", "total", 2, 5),
    ],
)
def test_planted_narrative_stcsm_pdf_text(old, new, row, column, reported, stated):
    """PDF text with line breaks inside sentences: the statement is still found."""
    base = read(STCSM)
    r = planted(STCSM, old, new)
    assert new_fails(base, r) == {("narrative.mismatch", row, column)}
    x = one(V.validate(r), "narrative.mismatch", row, column)
    assert x["reported"] == reported and x["recomputed"] == stated


def test_validate_corpus_on_a_corpus(tmp_path):
    """With a real Corpus (tables carrying report_id; agency from the manifest)."""
    corpus_mod = importlib.import_module("govreport.corpus")
    text = raw_text("pingtan_2022.txt").replace(
        "二、上年结转政府信息公开申请数量 1000001", "二、上年结转政府信息公开申请数量 3000003")
    (tmp_path / "pingtan_2022.txt").write_text(text, encoding="utf-8")
    (tmp_path / "pingtan_2021.txt").write_text(raw_text("pingtan_2021.txt"), encoding="utf-8")
    c = corpus_mod.read_corpus([tmp_path / "pingtan_2021.txt", tmp_path / "pingtan_2022.txt"], jobs=1,
                               progress=False, cache=False, manifest=RAW / "manifest.csv")
    f = V.validate_corpus(c)
    assert fails(f) == {
        ("cross_year.carried", "carried_over", "natural_person"),
        ("cross_year.carried", "carried_over", "total"),
    }
    rid_2022 = c.reports.loc[c.reports["year"] == 2022, "report_id"].iloc[0]
    assert set(f.loc[f["status"] == "fail", "report_id"]) == {rid_2022}
    both = V.validate_corpus(c, include_reports=True)
    assert ("applications.identity", "carried_forward", "natural_person") in fails(both)


def test_every_emitted_check_is_documented_on_the_real_reports():
    documented = set(V.checks()["code"])
    names = sorted(p.name for p in RAW.iterdir() if p.suffix in (".txt", ".html"))
    seen: set[str] = set()
    for name in names:
        f = V.validate(read(name))
        assert list(f.columns) == V.FINDINGS_COLUMNS
        assert "validate.internal_error" not in set(f["check"]), (name, f.to_string())
        assert set(f["status"]) <= {"fail", "not_assessable"}
        assert set(f.loc[f["status"] == "not_assessable", "severity"]) <= {"info"}
        seen |= set(f["check"])
    assert seen <= documented


def test_read_report_appends_the_findings():
    """read_report runs validate() at the end of reading: r.findings has these checks."""
    r = read(SEED_003)
    got = set(zip(r.findings["check"], r.findings["row"].astype(object), r.findings["column"].astype(object)))
    assert ("leading_zero", "review", "total") in got  # the reader's
    assert ("review_litigation.sum", "litigation_direct", "total") in got  # validate's
    assert ("cell.leading_zero", "review", "total") not in got  # no duplicate


def test_findings_fast_path_matches_validate():
    """validate.findings(report) returns Finding objects without building any DataFrame
    of the report; validate() is the same findings as a DataFrame."""
    from govreport.findings import Finding, frame

    for name in (SEED_003, SEED_004, "pingtan_2017.txt", STCSM):
        r = govreport.read_report(RAW / name, validate=False)
        got = V.findings(r)
        assert all(isinstance(x, Finding) for x in got)
        assert r.__dict__["_frames"] == {}  # no table was turned into a DataFrame
        pd.testing.assert_frame_equal(frame(got), V.validate(r))
        # the same report with its tables as DataFrames (the fallback path) gives the same findings
        ns = V.ReportTables(dict(r.meta), {k: getattr(r, k) for k in (
            "applications", "active_disclosure", "review_litigation", "statistics", "sections")}, text=r.text)
        pd.testing.assert_frame_equal(V.validate(ns), V.validate(r))

"""Tests for govreport.indicators: one row per report, NA (never 0 or inf) when undefined."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

import importlib

import govreport

# importlib: ``govreport.indicators`` may be re-bound to the function in the package namespace
I = importlib.import_module("govreport.checks.indicators")  # noqa: E741
V = importlib.import_module("govreport.checks")

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"


def read(name: str):
    return govreport.read_report(RAW / name)


def _synthetic(layout: str = "2021", cells: dict | None = None, rl: dict | None = None) -> V.ReportTables:
    rows = V._application_rows(layout, [])
    app = pd.DataFrame(
        [{"row": r, "applicant": c, "value": 0.0, "raw": "0", "label": r} for r in rows for c in V.APPLICANT_COLUMNS]
    )
    for (r, c), v in (cells or {}).items():
        app.loc[(app["row"] == r) & (app["applicant"] == c), "value"] = v
    app["value"] = app["value"].astype("Float64")
    t4 = pd.DataFrame(
        [{"procedure": p, "outcome": o, "value": 0.0, "raw": "0"} for p in V.PROCEDURES for o in V.RL_OUTCOMES]
    )
    for (p, o), v in (rl or {}).items():
        t4.loc[(t4["procedure"] == p) & (t4["outcome"] == o), "value"] = v
    t4["value"] = t4["value"].astype("Float64")
    return V.ReportTables({"layout": layout, "agency": "a", "year": 2022},
                          {"applications": app, "review_litigation": t4, "active_disclosure": pd.DataFrame(),
                           "statistics": pd.DataFrame()}, text="")


def test_definitions_document_every_column():
    d = I.indicator_definitions()
    assert {"code", "description", "unit", "formula_2021", "formula_2019", "formula_pre2019"} <= set(d.columns)
    assert d["code"].is_unique
    assert (d["description"].str.len() > 0).all()
    df = I.indicators(_synthetic())
    assert list(df.columns) == ["agency", "year", "layout"] + list(d["code"])
    for code in ["requests", "grant_rate", "not_held_share", "withheld_share", "not_processed_share",
                 "natural_person_share", "backlog", "review_per_100_requests", "litigation_per_100_requests",
                 "review_correction_rate", "litigation_correction_rate", "licensing_decisions",
                 "penalty_decisions", "coercion_decisions", "normative_in_force", "proactive_items_stated"]:
        assert code in set(d["code"])
    assert any(c.startswith("withheld_share.") for c in d["code"])


def test_seed_004_values():
    df = I.indicators(read("004_1de402db7ad7867c.txt"))
    assert len(df) == 1
    row = df.iloc[0]
    assert row["layout"] == "2021"
    assert row["requests"] == 52
    assert row["grant_rate"] == pytest.approx((13 + 4) / 52)
    assert row["not_held_share"] == pytest.approx(35 / 52)
    assert row["withheld_share"] == 0
    assert row["natural_person_share"] == 1
    assert row["backlog"] == 0
    assert row["licensing_decisions"] == 9945
    assert row["penalty_decisions"] == 5
    assert row["normative_in_force"] == 6
    assert row["proactive_items_stated"] == 439
    assert str(df["grant_rate"].dtype) == "Float64"


def test_zero_denominator_is_na_not_zero_or_inf():
    df = I.indicators(read("000_943bbbccc038582b.txt"))
    row = df.iloc[0]
    assert row["requests"] == 0
    for code in ["grant_rate", "not_held_share", "withheld_share", "natural_person_share",
                 "review_per_100_requests", "review_correction_rate", "litigation_correction_rate"]:
        assert pd.isna(row[code]), code
    assert row["licensing_decisions"] == 5


def test_missing_input_is_na():
    r = _synthetic(cells={("new_received", "total"): 10.0, ("new_received", "natural_person"): None,
                          ("processed_total", "total"): 8.0, ("granted", "total"): 4.0,
                          ("withheld.state_secret", "total"): None})
    row = I.indicators(r).iloc[0]
    assert row["grant_rate"] == pytest.approx(0.5)
    assert pd.isna(row["natural_person_share"])
    assert pd.isna(row["withheld_share"])  # one of the eight reasons is blank
    assert pd.isna(row["withheld_share.state_secret"])
    assert row["withheld_share.third_party"] == 0


def test_correction_rates_use_concluded_cases():
    r = _synthetic(cells={("new_received", "total"): 50.0},
                   rl={("review", "corrected"): 1.0, ("review", "upheld"): 2.0, ("review", "pending"): 1.0,
                       ("review", "total"): 4.0, ("litigation_direct", "upheld"): 1.0,
                       ("litigation_direct", "total"): 1.0, ("litigation_after_review", "corrected"): 1.0,
                       ("litigation_after_review", "total"): 1.0})
    row = I.indicators(r).iloc[0]
    assert row["review_correction_rate"] == pytest.approx(1 / 3)
    assert row["litigation_correction_rate"] == pytest.approx(1 / 2)
    assert row["review_per_100_requests"] == pytest.approx(8.0)
    assert row["litigation_per_100_requests"] == pytest.approx(4.0)


def test_list_of_reports_and_long_form():
    reps = [read("pingtan_2021.txt"), read("pingtan_2022.txt")]
    df = I.indicators(reps)
    assert len(df) == 2 and df.columns[0] == "report_id"
    assert list(df["year"]) == [2021, 2022]
    cell = reps[1].applications.query("row == 'new_received' and applicant == 'total'")["value"]
    got = df.loc[df["year"] == 2022, "requests"].iloc[0]
    assert got == cell.iloc[0] == 74  # 一、本年新收 of pingtan 2022
    assert df.loc[df["year"] == 2021, "backlog"].iloc[0] == 1
    assert df.loc[df["year"] == 2022, "review_cases"].iloc[0] == 2
    long = I.indicators(reps, long=True)
    assert {"report_id", "indicator", "value", "layout", "formula"} <= set(long.columns)
    assert len(long) == 2 * len(I.indicator_definitions())
    values = [v for v in long["value"] if not pd.isna(v)]
    assert all(math.isfinite(float(v)) for v in values)


def test_layout_column_and_crosswalk_pre2019():
    df = I.indicators(read("pingtan_2017.txt"))
    assert df["layout"].iloc[0] == "pre2019"
    # 2017: no applications; the stated items come from the text
    assert df["proactive_items_stated"].iloc[0] == 2122
    assert df["requests"].iloc[0] == 0  # 受理政府信息依申请公开总数 0 (mapped to new_received)


def test_corpus_one_row_per_report():
    corpus_mod = importlib.import_module("govreport.corpus")
    files = [RAW / "pingtan_2017.txt", RAW / "pingtan_2021.txt", RAW / "004_1de402db7ad7867c.txt"]
    c = corpus_mod.read_corpus(files, jobs=1, progress=False, cache=False, manifest=RAW / "manifest.csv")
    df = I.indicators(c)
    assert len(df) == len(c.reports)
    assert list(df["report_id"]) == list(c.reports["report_id"].astype(str))
    by_year = df.set_index("year")
    assert by_year.loc[2017, "layout"] == "pre2019" and by_year.loc[2021, "layout"] == "2021"
    assert by_year.loc[2024, "requests"] == 52
    assert by_year.loc[2021, "requests"] == 70  # 64|0|0|2|0|4|70 glued in the source
    # 2017 (pre2019 统计指标, mapped) and 2021 (table 三) on one series
    assert by_year.loc[2017, "requests"] == 0
    assert by_year.loc[2017, "review_cases"] == 0 and by_year.loc[2021, "review_cases"] == 3


def test_degenerate_inputs_give_na_not_errors():
    empty = V.ReportTables({}, {}, text="")
    row = I.indicators(empty).iloc[0]
    assert row[list(I.indicator_definitions()["code"])].isna().all()
    assert V.validate(empty).empty


def test_every_formula_parses_in_every_layout():
    d = I.indicator_definitions()
    for layout in I.INDICATOR_LAYOUTS:
        res = V.CellResolver(_synthetic("2019" if layout == "2019" else "2021"))
        for code, formula in zip(d["code"], d[f"formula_{layout}"]):
            if formula:
                V.evaluate(formula, res)  # raises on a malformed formula
                for kind, a, _ in res.uses(formula):
                    assert kind in "ADRST" and a, (code, formula)


def test_narrative_rules_are_well_formed():
    import re

    rules = V._read_data_csv("narrative_checks.csv")
    res = V.CellResolver(_synthetic())
    for rec in rules.to_dict("records"):
        rx = re.compile(rec["pattern"])
        assert "n" in rx.groupindex or "zero" in rx.groupindex, rec["pattern"]
        for alt in filter(None, (a.strip() for a in rec["targets"].split("|"))):
            V.evaluate(alt, res)

"""The formula engine (govreport.checks.formula) and checks.csv as data."""
from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

import govreport

F = importlib.import_module("govreport.checks.formula")
A = importlib.import_module("govreport.checks.arithmetic")
V = importlib.import_module("govreport.checks")
CHECKS_DIR = Path(V.__file__).parent
RAW = Path(__file__).resolve().parent.parent / "data" / "raw"


@pytest.fixture(scope="module")
def seed004():
    return V.CellResolver(govreport.read_report(RAW / "004_1de402db7ad7867c.txt"))


def test_references_and_group_sum_on_a_real_report(seed004):
    # table 三 of seed 004: 52 new, 13 granted, 4 partially granted, 35 not held, none withheld
    assert F.evaluate("A:new_received:total", seed004) == 52
    assert F.evaluate("A:granted:total + A:partially_granted:total", seed004) == 17
    assert F.evaluate("A:withheld.*:total", seed004) == 0
    assert F.evaluate("A:unavailable.not_held:total / A:processed_total:total", seed004) == pytest.approx(35 / 52)
    assert F.evaluate("round(7 / 2)", seed004) == 4
    # a missing cell (table 四 litigation_after_review is not printed) makes the formula missing, never 0
    assert F.evaluate("R:litigation_after_review:total + 1", seed004) is None
    assert F.evaluate("A:new_received:total / (A:withheld.*:total)", seed004) is None  # division by 0
    assert F.evaluate("", seed004) is None


def test_the_language_refuses_anything_else(seed004):
    for bad in ("__import__('os')", "A:new_received:total ** 2", "max(1, 2)", "A:new_received:total +"):
        with pytest.raises(ValueError):
            F.evaluate(bad, seed004)
    with pytest.raises(ValueError):
        F.split_relation("A:x:total + 1")


def test_relations():
    assert F.split_relation("A:a:{c} <= A:b:{c}") == ("A:a:{c}", "<=", "A:b:{c}")
    assert F.holds(3, "<=", 3, 0) and not F.holds(4, "<=", 3, 0)
    assert F.holds(3, ">=", 3, 0) and not F.holds(2, ">=", 3, 0)
    assert F.bind("A:{r}:{c}", {"r": "granted", "c": "total"}) == "A:granted:total"


def test_every_check_formula_is_well_formed():
    t = V.checks()
    assert t["code"].is_unique
    assert {"code", "table", "kind", "severity", "layouts", "over", "where", "formula"} <= set(t.columns)
    res = V.CellResolver(V.ReportTables({"layout": "2021"}, {}))
    pair = importlib.import_module("govreport.checks.cross_year").PairResolver(res, res)
    for rule in t.to_dict("records"):
        if rule["kind"] in ("identity", "cross_year"):
            lhs, _, rhs = F.split_relation(rule["formula"])
            names = set(re.findall(r"\{([a-z_]+)\}", rule["formula"]))
            bound = {n: "x" for n in names}
            assert len(F.references(F.bind(lhs, bound))) == 1, rule["code"]
            F.evaluate(F.bind(rhs, bound), pair)  # parses
            assert names == {p.split("=")[0].strip() for p in rule["over"].split(";") if p.strip()}, rule["code"]
        if rule["kind"] == "cell":
            F.split_relation(rule["formula"])


def test_checks_apply_by_layout_data_not_by_code():
    rule = next(r for r in V.checks().to_dict("records") if r["code"] == "applications.identity")
    assert A.applies(rule, "2021") and A.applies(rule, "2019")
    assert not A.applies(rule, "pre2019") and not A.applies(rule, None)
    # no module of checks/ names a layout
    for path in CHECKS_DIR.glob("*.py"):
        if path.name == "ocr.py":  # the OCR engineer's confidence checks, not evaluated from checks.csv
            continue
        src = path.read_text(encoding="utf-8")
        assert not re.search(r"[\"'](2021|2019|pre2019)[\"']|pre2019", src), path.name
        assert "SimpleNamespace" not in src and "hasattr(" not in src and "re._parser" not in src, path.name
        assert len(src.splitlines()) <= 400, path.name


def test_a_check_added_as_data_runs(monkeypatch):
    """A new identity is a row of checks.csv: planted on seed 004's real table 三."""
    data = importlib.import_module("govreport.checks.data")
    extra = {"code": "applications.granted_le_new", "table": "applications", "kind": "identity",
             "severity": "error", "layouts": "2021", "over": "c=applications.applicant~total", "where": "",
             "formula": "A:granted:{c} <= A:new_received:{c} - 40", "label": "granted within new - 40",
             "description": ""}
    original = data.check_rows
    rows = original("identity") + (extra,)
    monkeypatch.setattr(A, "check_rows", lambda kind: rows if kind == "identity" else original(kind))
    f = V.validate(govreport.read_report(RAW / "004_1de402db7ad7867c.txt"))
    x = f[f["check"] == "applications.granted_le_new"]
    assert len(x) == 1
    assert (x["row"].iloc[0], x["column"].iloc[0]) == ("granted", "total")
    assert x["reported"].iloc[0] == 13 and x["recomputed"].iloc[0] == 12

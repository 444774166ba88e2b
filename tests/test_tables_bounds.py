"""Bounded work on hostile input (issue 12): the digit splitter, long runs, long cells."""
from __future__ import annotations

import re
import tracemalloc
from pathlib import Path

import pandas as pd

import govreport
from govreport.tables import Ctx, blocks_ok, parse_cell, row_sum_ok, splits
from govreport.tables import digits as digits_module

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"
PINGTAN = (RAW / "pingtan_2021.txt").read_text(encoding="utf-8")


def _glued(replacement: str) -> str:
    """pingtan 2021 with every glued table-三 row replaced by ``replacement``."""
    i, j = PINGTAN.index("一、本年新收"), PINGTAN.index("四、政府信息公开行政复议")
    region = re.sub(r"(?<=[\u4e00-\u9fff）])(\d{5,})", lambda m: replacement, PINGTAN[i:j])
    return PINGTAN[:i] + region + PINGTAN[j:]


def _peak_mb(fn) -> tuple[object, float]:
    tracemalloc.start()
    try:
        out = fn()
        return out, tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def test_many_glued_rows_with_several_splits_each_give_up_without_building_products():
    # 1111112228 splits 10 ways into 7 cells that add up; 22 rows of it: 10**22 combinations
    assert len(splits(["1111112228"], 7, row_sum_ok)) == 10
    text = _glued("1111112228")
    assert len(text.encode()) < 10_000
    rep, peak = _peak_mb(lambda: govreport.read_report(text=text, validate=False))
    assert peak < 60
    f = rep.findings[(rep.findings["table"] == "applications") & (rep.findings["check"] == "ambiguous_digits")]
    assert len(f) >= 20
    assert rep.applications["value"].isna().all()
    assert (rep.findings["check"] == "table_empty").sum() == 1


def test_a_2000_digit_run_is_not_split_into_every_prefix():
    assert splits(["1" * 2000], 7, row_sum_ok) == []
    text = PINGTAN.replace("640020470", "7" * 2000, 1)
    rep, peak = _peak_mb(lambda: govreport.read_report(text=text, validate=False))
    assert peak < 60
    assert rep.applications[rep.applications["row"] == "new_received"]["value"].isna().all()
    assert rep.value("applications", row="granted", applicant="total") == 30  # the other rows still read
    f = rep.findings[(rep.findings["row"] == "new_received") & (rep.findings["table"] == "applications")]
    assert f["check"].tolist() == ["unsplittable_digits"]
    # no cache keyed by input outlives the parse
    assert not [name for name, obj in vars(digits_module).items() if hasattr(obj, "cache_info")]


def test_the_split_budget_gives_up_with_none():
    assert splits(["1" * 40], 15, blocks_ok) is None  # table 四: 15 cells from 40 digits
    assert splits(["640020470"], 7, row_sum_ok, limit=5) is None
    assert splits(["640020470"], 7, row_sum_ok) == [["64", "0", "0", "2", "0", "4", "70"]]


def test_a_cell_of_a_leading_zero_and_400_digits_is_missing_not_an_overflow():
    ctx = Ctx("applications")
    assert pd.isna(parse_cell("0" + "1" * 400, ctx, "granted", "total"))
    assert [f.check for f in ctx.findings] == ["unparsed_cell"]
    seed = (RAW / "000_943bbbccc038582b.txt").read_text(encoding="utf-8")
    line = "一、本年新收政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | ||"
    assert line in seed
    rep = govreport.read_report(text=seed.replace(line, line.replace("| 0 | ||", "| 0" + "1" * 400 + " | ||")))
    assert pd.isna(rep.value("applications", row="new_received", applicant="total"))
    assert rep.value("applications", row="new_received", applicant="natural_person") == 0
    assert "unparsed_cell" in set(rep.findings["check"])

"""pre-2019 glued pairs (this year | cumulative) are read only when the split is forced (issue 12)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

import govreport

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"
TEXT = (RAW / "pingtan_2017.txt").read_text(encoding="utf-8")
ROW = "主动公开文件数条212210037"


def _row(text: str, indicator: str = "主动公开文件数"):
    rep = govreport.read_report(text=text)
    s = rep.statistics
    return rep, s[s["indicator"] == indicator].set_index("column")["value"]


def _checks(rep, row=None):
    f = rep.findings[rep.findings["table"] == "statistics"]
    return set(f["check"]) if row is None else set(f.loc[f["row"] == row, "check"])


def test_forced_pairs_are_read():
    rep, v = _row(TEXT, "政府公报公开数")  # printed 00: only 0 | 0 is well formed
    assert v.tolist() == [0, 0]
    assert rep.value("applications", row="new_received", applicant="total") == 0


def test_a_misprinted_pair_is_not_split_by_a_guess():
    assert ROW in TEXT
    for printed in ("1717", "1817"):  # 1|717 or 17|17; 1817 (misprint) fits only 1|817 by cumulative >= year
        rep, v = _row(TEXT.replace(ROW, "主动公开文件数条" + printed))
        assert v.isna().all(), printed
        assert "ambiguous_digits" in _checks(rep, "主动公开文件数")


def test_a_cumulative_below_the_year_is_not_read():
    rep, v = _row(TEXT.replace(ROW, "主动公开文件数条10"))  # only 1 | 0 is well formed, and 0 < 1
    assert v.isna().all()
    assert "unsplittable_digits" in _checks(rep, "主动公开文件数")


def test_a_lost_cumulative_header_makes_glued_pairs_missing_with_a_finding():
    text = TEXT.replace("历年累计", "").replace(ROW, "主动公开文件数条728")
    rep, v = _row(text)
    assert v.index.tolist() == ["year"] and pd.isna(v["year"])  # not 728
    assert "header_doubtful" in _checks(rep)
    assert rep.statistics["value"].isna().all()  # every row printed a pair (00)


def test_signature_block_after_the_table_is_no_indicator():
    """Issue 11: the agency name and the signature date printed after a glued pre-2019 table
    (平潭 2017 with its own signature lines put back) gave rows 年 and 月 with values 2 and 3."""
    raw = (RAW / "pingtan_2017.txt").read_text(encoding="utf-8")
    end = raw.index("行政诉讼数件00") + len("行政诉讼数件00")
    signed = raw[:end] + "\n平潭综合实验区管委会办公室\n2018年1月23日\n" + raw[end:]
    plain, r = govreport.read_report(text=raw), govreport.read_report(text=signed)
    assert r.statistics["indicator"].tolist() == plain.statistics["indicator"].tolist()
    assert not r.statistics["indicator"].isin(["年", "月", "平潭综合实验区管委会办公室"]).any()
    last = r.statistics[r.statistics["indicator"] == "行政诉讼数"]
    assert last["value"].tolist() == [0, 0]

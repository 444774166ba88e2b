"""Layout vote per table: a report mixing the 2019 and 2021 tables says hybrid."""
from __future__ import annotations

from pathlib import Path

import pytest

import govreport
from govreport import segment

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"
T3_START, T3_END = "三、收到和处理政府信息公开申请情况（本列数据", " 四、政府信息公开行政复议"


def _table3(text: str) -> tuple[int, int]:
    i = text.index(T3_START)
    return i, text.index(T3_END, i)


@pytest.fixture(scope="module")
def hybrid_text() -> str:
    """pingtan 2019 (2019 tables) with its table 三 replaced by pingtan 2021's (2021 layout)."""
    a = (RAW / "pingtan_2019.txt").read_text(encoding="utf-8")
    b = (RAW / "pingtan_2021.txt").read_text(encoding="utf-8")
    i, j = _table3(a)
    k, m = _table3(b)
    return a[:i] + b[k:m] + a[j:]


def test_hybrid_report(hybrid_text):
    r = govreport.read_report(text=hybrid_text, name="hybrid.txt")
    assert r.meta["layout"] == "hybrid"
    assert r.meta["layout_read"] == "2019"
    assert r.meta["layout_tables"] == {"active_disclosure": "2019", "applications": "2021"}
    f = r.findings[r.findings["check"] == "layout_hybrid"]
    assert list(f["table"]) == ["applications"]
    assert "2021" in f["message"].iloc[0]


def test_vote_per_table(hybrid_text):
    v = segment.vote(hybrid_text)
    assert v.hybrid and v.label == "hybrid" and v.layout == "2019"
    assert v.odd_tables() == ["applications"]
    assert v.by_table["applications"]["2021"] == 3  # 逾期不补正 (2) + 缴纳费用 (1)


@pytest.mark.parametrize("name, layout", [
    ("pingtan_2017.txt", "pre2019"), ("pingtan_2019.txt", "2019"), ("pingtan_2021.txt", "2021"),
    ("003_36f0aac7f99c3c7f.txt", "2019"), ("004_1de402db7ad7867c.txt", "2021"),
])
def test_pure_reports_are_not_hybrid(name, layout):
    r = govreport.read_report(RAW / name, validate=False)
    assert r.meta["layout"] == layout
    assert "layout_tables" not in r.meta
    assert segment.detect_layout(r.text)[0] == layout

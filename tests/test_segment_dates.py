"""Publication date (release line, 成文日期, signature) and days after the statutory deadline."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import govreport
from govreport import segment

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"


def read(path: Path, before: str = "", after: str = "") -> govreport.Report:
    text = before + path.read_text(encoding="utf-8").rstrip("\n") + after
    return govreport.read_report(text=text, name=path.name, validate=False)


@pytest.mark.parametrize("name, published, source, late", [
    ("pingtan_2017.txt", date(2018, 1, 23), "release", -67),   # 2007 rule: 31 March
    ("pingtan_2019.txt", date(2020, 1, 20), "release", -71),   # 2019 rule, a government: 31 March
    ("002_8b3fd4c305a71f8f.txt", date(2018, 1, 19), "signature", -71),  # a department, 2007 rule
    ("shanghai_govoffice_2019.html", date(2020, 1, 31), "release", -60),
])
def test_published_and_days_late(name, published, source, late):
    r = govreport.read_report(RAW / name, validate=False)
    assert r.meta["published"] == published
    assert r.meta["published_source"] == source
    assert r.meta["days_late"] == late


def test_department_under_the_2019_rule_is_late_after_31_january():
    r = read(RAW / "004_1de402db7ad7867c.txt", after="\n安顺市住房和城乡建设局\n2025年2月10日\n")
    assert r.meta["agency_kind"] == "department"
    assert r.meta["published"] == date(2025, 2, 10) and r.meta["published_source"] == "signature"
    assert r.meta["days_late"] == 10


def test_signature_date_in_chinese_numerals():
    r = read(RAW / "000_943bbbccc038582b.txt", after="\n津市市住房保障服务中心\n二〇二四年一月二十日\n")
    assert r.meta["published"] == date(2024, 1, 20)
    assert r.meta["days_late"] == -11


def test_written_date_line():
    r = read(RAW / "003_36f0aac7f99c3c7f.txt", before="成文日期：2024-01-15\n")
    assert r.meta["published"] == date(2024, 1, 15) and r.meta["published_source"] == "written"
    assert r.meta["days_late"] == -16


def test_no_date_no_delay():
    r = govreport.read_report(RAW / "004_1de402db7ad7867c.txt", validate=False)
    assert r.meta["published"] is None and r.meta["days_late"] is None


def test_deadlines_are_data_with_their_article():
    assert segment.deadline(2018, "department") == (date(2019, 3, 31), "政府信息公开条例 (2007) art. 31")
    assert segment.deadline(2019, "department") == (date(2020, 1, 31), "政府信息公开条例 (2019) art. 49")
    assert segment.deadline(2023, "government") == (date(2024, 3, 31), "政府信息公开条例 (2019) art. 49")
    assert segment.deadline(2023, None) is None  # the rule depends on a kind we do not know
    assert segment.days_late(2023, date(2024, 2, 1), None) is None


def test_date_inside_the_report_year_is_a_finding():
    text = (RAW / "002_8b3fd4c305a71f8f.txt").read_text(encoding="utf-8").replace("2018年1月19日\n", "2017年1月19日\n")
    r = govreport.read_report(text=text, name="dingtao.txt", validate=False)
    f = r.findings[r.findings["check"] == "published_before_year_end"]
    assert len(f) == 1 and f["reported"].iloc[0] == 2017 and f["recomputed"].iloc[0] == 2017
    ok = govreport.read_report(RAW / "002_8b3fd4c305a71f8f.txt", validate=False)
    assert ok.findings[ok.findings["check"] == "published_before_year_end"].empty

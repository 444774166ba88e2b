"""The Chinese numbering grammar (``govreport/numbering.py``): numerals both ways, circled
numbers, and the heading and item markers, on lines taken from the reports in data/raw."""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from govreport import numbering as nb
from govreport.normalize import halfwidth
from govreport.segment import find_sections
from govreport.segment.dates import signature_date
from govreport.text.statements import enumerate_items

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"


def _lines(name: str) -> list[str]:
    return (RAW / name).read_text(encoding="utf-8").splitlines()


# ---------------------------------------------------------------- numerals
def test_counting_numerals_round_trip_1_to_999():
    assert all(nb.value(nb.chinese(n)) == n for n in range(1, 1000))
    assert len({nb.chinese(n) for n in range(1, 1000)}) == 999


@pytest.mark.parametrize(("n", "text"), [(1, "一"), (10, "十"), (12, "十二"), (20, "二十"), (21, "二十一"),
                                         (99, "九十九"), (100, "一百"), (105, "一百零五"), (110, "一百一十")])
def test_chinese_counting_form(n, text):
    assert nb.chinese(n) == text
    assert nb.value(text) == n


def test_numbers_outside_the_counting_form_stay_arabic():
    assert (nb.chinese(0), nb.chinese(1000), nb.chinese(-3)) == ("0", "1000", "-3")


@pytest.mark.parametrize(("text", "n"), [("二〇二四", 2024), ("二○二四", 2024), ("二零二四", 2024),
                                         ("二O二四", 2024), ("〇二四", 24), ("一一", 11), ("一十二", 12)])
def test_digit_form_and_long_form_are_read(text, n):
    assert nb.value(text) == n


@pytest.mark.parametrize("text", ["", "十十", "二十百", "十四五", "一百百", "百", "2024", "00", "O", "两", "十一a"])
def test_what_is_no_numeral_reads_none(text):
    assert nb.value(text) is None


def test_digit_form_of_a_year():
    assert nb.chinese_digits(2024) == "二〇二四"
    assert nb.value(nb.chinese_digits(2019)) == 2019
    assert re.fullmatch(nb.digit_run(4), "二〇二四") and re.fullmatch(nb.digit_run(4), "二O二四")
    assert re.fullmatch(nb.digit_run(4, zeros="〇○零"), "二O二四") is None


def test_circled_numbers_round_trip():
    assert [nb.circled_value(nb.circled(k)) for k in range(1, 21)] == list(range(1, 21))
    assert (nb.circled(3), nb.circled(20), nb.circled(21)) == ("③", "⑳", "21")
    assert nb.circled_value("1") is None and nb.circled_value("①②") is None
    assert re.fullmatch(nb.circled_class(10), "⑩") and re.fullmatch(nb.circled_class(10), "⑪") is None
    assert re.search(nb.circled_item(11, upto=10), "⑩⑪") is None


def test_the_numeral_fragment_holds_exactly_one_to_upto():
    pattern = re.compile(nb.numeral(20))
    assert [n for n in range(1, 100) if pattern.fullmatch(nb.chinese(n))] == list(range(1, 21))
    assert pattern.fullmatch("十十") is None
    assert pattern.match("十二、").group(0) == "十二"  # the longest numeral wins over 十


# ---------------------------------------------------------------- markers on real lines
def test_level1_headings_of_a_2017_report():
    # 定陶区 2017 prints eleven headings 一、概述 … 十一、…存在的主要问题及改进情况
    head = re.compile(nb.dun(f"({nb.numeral(20)})"))
    numbers = [nb.value(m.group(1)) for line in _lines("002_8b3fd4c305a71f8f.txt")[:30]  # the table follows
               if "|" not in line and (m := head.match(line))]
    assert numbers == list(range(1, 12))


def test_level2_and_arabic_items_of_a_2023_report():
    lines = _lines("000_943bbbccc038582b.txt")
    paren = re.compile(nb.paren(f"({nb.numeral(20)})", full_width=True))
    assert [nb.value(m.group(1)) for line in lines[2:7] if (m := paren.match(line))] == [1, 2, 3, 4, 5]
    assert lines[2].startswith("(一)主动公开政府信息情况")
    items = [int(m.group(1)) for line in lines[31:36] if (m := re.match(nb.arabic(f"({nb.ARABIC})"), line))]
    assert items == [2, 3, 4, 5, 6]  # 2.其他法律行政法规禁止公开 … 6.属于四类过程性信息


def test_table_label_levels():
    # cells of 000's table 三 and a 平潭 2018 item, half-width as the tables stage keys them
    cells = [c.strip() for line in _lines("000_943bbbccc038582b.txt")[26:31] for c in line.split("|")]
    item = next(s for s in _lines("pingtan_2018.txt") if "（1）政府工作公开透明" in s)
    labels = [cells[0], next(c for c in cells if c.startswith("(三)")), next(c for c in cells if c.startswith("1.")),
              halfwidth(item[item.index("（1）政府工作"):][:12])]
    assert labels[0] == "一、本年新收政府信息公开申请数量" and labels[1:3] == ["(三)不予公开", "1.属于国家秘密"]
    assert [[bool(p.match(s)) for p in nb.LEVELS] for s in labels] == [
        [True, False, False, False], [False, True, False, False], [False, False, True, False],
        [False, False, False, True]]


def test_ordinal_and_circled_items_of_real_reports():
    line = _lines("001_88d0cb4415071165.txt")[15]
    found = [nb.value(m.group(1)) for m in re.finditer(nb.ordinal(f"({nb.numeral(20)})"), line)]
    assert found == [1, 2] and line.startswith("一是加强组织领导")
    lead, items = enumerate_items(line)
    assert lead == "" and [i[:6] for i in items] == ["加强组织领导", "开展自查自纠"]
    circled = _lines("003_36f0aac7f99c3c7f.txt")[22]
    assert re.match(nb.circled_class(), circled) and nb.circled_value(circled[0]) == 1


def test_markers_that_are_prose():
    # 安顺市 2024: "开工率全省排名第一，截至12月底" is a rank, not the first counted item
    line = _lines("004_1de402db7ad7867c.txt")[10]
    assert re.search(nb.counted("一"), line)  # the shape is there ...
    assert enumerate_items(line) is None  # ... but no enumeration starts inside a word
    # 平潭 2022: "设立“十四五”规划" names a five-year plan: no numeral, no heading
    plan = next(s for s in (RAW / "pingtan_2022.txt").read_text(encoding="utf-8").split("。") if "十四五" in s)
    assert plan.startswith("设立“十四五”规划")
    assert nb.value("十四五") is None and re.search(nb.dun(), plan) is None
    assert find_sections(plan) == []
    # a year is no arabic item; a date line is no heading
    assert nb.LEVEL3.match("2024年") is None and nb.LEVEL1.match("十四五") is None
    assert find_sections("二〇二四年一月二十日\n十一五期间") == []


def test_signature_dates_in_the_digit_form():
    assert signature_date("……\n平潭综合实验区管委会\n二〇二四年一月二十日\n") == date(2024, 1, 20)
    # a month that is no numeral is no date (it raised KeyError before)
    assert signature_date("二〇二四年十十月二日") is None
    assert str(signature_date("二〇二四年十一月二日")) == "2024-11-02"

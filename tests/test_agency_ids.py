"""Identifiers a panel needs: division code and a stable agency id (issue 11)."""
from __future__ import annotations

from pathlib import Path

import pytest

import govreport
from govreport.agency import FIELDS, ID_FIELDS, agency_id, classify_agency, identify

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"


@pytest.mark.parametrize("name, code", [
    ("安顺市住房和城乡建设局", "520400"),
    ("弋阳县住房建设保障中心", "361126"),
    ("平潭综合实验区", "350128"),
    ("北京市海淀区教育委员会", "110108"),
    ("上海市科委", "310000"),
    ("国务院办公厅", None),
    ("朝阳区教育局", None),  # 朝阳区 of Beijing or of Changchun: unknown, not a guess
])
def test_division_code(name, code):
    got = identify(name)
    assert tuple(got) == ID_FIELDS
    assert got["division_code"] == code
    assert {k: got[k] for k in FIELDS} == classify_agency(name)


def test_bare_name_resolved_by_text_joins_the_full_name():
    text = (RAW / "004_1de402db7ad7867c.txt").read_text(encoding="utf-8")
    bare = identify("市住房和城乡建设局", text)
    assert bare["division_code"] == "520400"
    assert bare["agency_id"] == identify("安顺市住房和城乡建设局")["agency_id"]
    assert identify("市住房和城乡建设局")["agency_id"] != bare["agency_id"]  # no division known


def test_renamed_agency_keeps_its_own_id():
    old, new = identify("安顺市住房和城乡建设局"), identify("安顺市住房城乡建设局")
    assert old["division_code"] == new["division_code"] == "520400"
    assert old["agency_id"] != new["agency_id"]


def test_same_department_of_two_divisions_differs():
    assert identify("安顺市财政局")["agency_id"] != identify("遵义市财政局")["agency_id"]


def test_id_is_stable_and_short():
    assert agency_id("平潭综合实验区", "350128") == agency_id(" 平潭综合实验区 ", "350128")
    assert len(agency_id("平潭综合实验区", "350128")) == 12
    assert agency_id(None) is None and identify(None) == dict.fromkeys(ID_FIELDS)


def test_reports_of_different_years_join():
    ids = {govreport.read_report(RAW / f"pingtan_{y}.txt", validate=False).meta["agency_id"]
           for y in (2017, 2018, 2019, 2021, 2022)}
    assert len(ids) == 1 and None not in ids
    r = govreport.read_report(RAW / "003_36f0aac7f99c3c7f.txt", validate=False)
    assert r.meta["division_code"] == "361126" and r.meta["agency_level"] == "county"

"""Section headings as real reports print them: spaces, numbering styles, glued titles."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

import govreport
from govreport.segment import find_sections, section_code

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"
DINGTAO = RAW / "002_8b3fd4c305a71f8f.txt"  # 2017, eleven 一、概述 … headings
TITLES = ["概述", "政府信息公开的组织领导和制度建设情况", "发布解读、回应社会关切以及互动交流情况"]


def _headings(text: str, sep: str) -> str:
    return re.sub(r"(?m)^([一二三四五六七八九十]+)、", lambda m: m.group(1) + sep, text)


@pytest.mark.parametrize("sep", ["、 ", "、\u3000", " 、", ".", "．", ". "])
def test_heading_spellings(sep):
    # a 2012–2016 series prints 一、 概述 (space after 、): it must get its sections,
    # and so its problems section
    text = _headings(DINGTAO.read_text(encoding="utf-8"), sep)
    r = govreport.read_report(text=text, name="dingtao.txt", validate=False)
    assert len(r.sections) == 11
    assert list(r.sections["title"])[:3] == TITLES
    assert r.sections["code"].iloc[10] == "problems"
    assert r.sections.set_index("code").loc["problems", "text"].startswith("今年,我单位在政府信息公开方面")


def test_heading_glued_to_first_sentence():
    text = DINGTAO.read_text(encoding="utf-8").replace("一、概述\n", "一、概述", 1)
    assert "一、概述2017年,以贯彻落实" in text
    secs = find_sections(govreport.read_report(text=text, name="x.txt", validate=False).text)
    assert secs[0].title == "概述" and secs[0].code == "general"
    assert len(secs) == 11


def test_numbered_item_inside_a_sentence_is_not_a_heading():
    # "一." after text on the same line is a list item, not section 一
    secs = find_sections("我局做了以下工作:一.加强组织领导情况\n一、总体情况\n正文\n二、主动公开政府信息情况\n正文")
    assert [s.title for s in secs] == ["总体情况", "主动公开政府信息情况"]


def test_section_code_from_data():
    assert section_code("政府信息公开工作存在的主要问题及改进情况") == "problems"
    assert section_code("概述") == "general"
    assert section_code("组织领导") is None

"""The text stage's one section selector and its one report protocol, on real reports."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import get_args

import pandas as pd
import pytest

import govreport
from govreport import text as T
from govreport.layouts import section_codes

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"
_CACHE: dict[str, object] = {}


def report(prefix: str):
    if prefix not in _CACHE:
        _CACHE[prefix] = govreport.read_report(next(RAW.glob(prefix + "*")))
    return _CACHE[prefix]


def test_section_code_literal_matches_the_layout_data():
    assert get_args(T.SectionCode) == tuple(code for code, _ in section_codes())
    assert T.section_codes() == get_args(T.SectionCode)


def test_section_by_code_and_by_number_agree_on_seed004():
    by_code = T.select_sections(report("004_"), "problems")
    by_number = T.select_sections(report("004_"), 5)
    assert list(by_code["number"]) == [5] and list(by_code["code"]) == ["problems"]
    assert by_code["text"].tolist() == by_number["text"].tolist()
    assert by_code["text"].iloc[0].startswith("2024年,市住房和城乡建设局紧紧围绕人民群众关注的焦点问题")
    applications = T.select_sections(report("004_"), "applications")
    assert list(applications["number"]) == [3]


def test_unknown_code_lists_the_valid_ones():
    with pytest.raises(ValueError, match="problems") as err:
        T.keywords(report("000_"), section="问题")  # a title regex is no longer a selector
    assert "general" in str(err.value) and "statistics" in str(err.value)
    with pytest.raises(TypeError):
        T.keywords(report("000_"), section=[5])


def test_shanghai_stcsm_problems_text_is_the_same_for_every_function():
    # the report numbers its sections 一…六 and then 一…五 again: no heading of its own for
    # the problems; they sit under （一）主要问题 inside section 六
    ps = T.problems_section(report("shanghai_stcsm"))
    assert len(ps) == 1 and ps["number"].iloc[0] == 6
    body = ps["text"].iloc[0]
    flat = body.replace("\n", "").replace(" ", "")
    assert flat.startswith("(一)主要问题市科委2024年根据本市机构改革工作安排")
    assert "原有部门网站政务公开栏目和政府信息公开目录结构无法满足机构改革后的市科委政务信息发布需要" in flat
    assert flat.endswith("政务公开专栏改版工作正在有序进行中。") and "其他需要报告的事项" not in flat
    probs = T.stated_problems(report("shanghai_stcsm"))
    problems = probs.loc[probs["part"] == "problem", "statement"].tolist()
    assert problems == [
        ("市科委2024年根据本市机构改革工作安排,内设机构和职能发生较大调整,原有部门网站政务公开栏目和"
         "政府信息公开目录结构无法满足机构改革后的市科委政务信息发布需要")
    ]
    kw = T.keywords(report("shanghai_stcsm"), section="problems", top_k=5)
    assert set(kw["section"]) == {6}
    assert all(w in flat for w in kw["keyword"]), kw["keyword"].tolist()


def test_a_corpus_a_list_and_a_mapping_give_the_same_sections():
    corpus = govreport.read_corpus(str(RAW), progress=False, cache=False)
    from_corpus = T.sections_of(corpus)
    views = [corpus["pingtan_2021"], corpus["pingtan_2022"]]
    from_list = T.sections_of(views)
    assert set(from_list["report_id"]) == {"pingtan_2021", "pingtan_2022"}
    mine = from_corpus[from_corpus["report_id"].isin(["pingtan_2021", "pingtan_2022"])].reset_index(drop=True)
    assert from_list["text"].tolist() == mine["text"].tolist()
    assert from_list["code"].tolist() == mine["code"].tolist()
    # Reports read from files keep their file names in a list
    files = T.sections_of([report("000_"), report("004_")])
    assert set(files["report_id"]) == {"000_943bbbccc038582b", "004_1de402db7ad7867c"}
    assert set(T.sections_of({"x": report("000_")})["report_id"]) == {"x"}


def test_a_sections_table_without_codes_gets_them_from_its_titles():
    bare = report("002_").sections[["number", "title", "text"]]
    secs = T.sections_of(bare)
    assert secs.loc[secs["number"] == 11, "code"].tolist() == ["problems"]
    assert T.problems_section(bare)["number"].tolist() == [11]


def test_anything_else_is_a_type_error():
    with pytest.raises(TypeError, match="Report, a Corpus"):
        T.keywords([report("000_"), 42])
    with pytest.raises(TypeError):
        T.stated_volumes(42)


def test_minhash_without_datasketch_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "datasketch", None)
    reps = {k: report(k) for k in ("000_", "004_")}
    with pytest.raises(ImportError, match=r"govreport\[reuse\]"):
        T.section_similarity(reps, method="minhash")
    # the other methods do not need it
    sim = T.section_similarity(reps, method="jaccard")
    assert len(sim) == 1 and 0 < sim["similarity"].iloc[0] < 0.5
    assert isinstance(sim, pd.DataFrame)


def test_problems_heading_with_a_space_after_the_numeral(tmp_path):
    # issue 11: "一、 概述" style headings (a space after 、) are not sections; the problems
    # under such a heading are still the report's problems
    source = next(RAW.glob("004_*"))
    raw = source.read_text(encoding="utf-8")
    path = tmp_path / source.name
    path.write_text(raw.replace("五、存在的主要问题及改进情况", "五、 存在的主要问题及改进情况"), encoding="utf-8")
    spaced = govreport.read_report(path)
    ps = T.problems_section(spaced)
    assert ps["text"].iloc[0].startswith("2024年,市住房和城乡建设局紧紧围绕人民群众关注的焦点问题")
    assert "其他需要报告的事项" not in ps["text"].iloc[0]
    got = T.stated_problems(spaced)[["part", "statement", "themes"]]
    expected = T.stated_problems(report("004_"))[["part", "statement", "themes"]]
    assert got.to_dict("records") == expected.to_dict("records")
    assert (got["part"] == "problem").sum() == 3


def test_a_section_number_taken_from_a_sections_table_selects_like_an_int():
    r = report("004_")
    number = r.sections["number"].iloc[4]  # the table's own integer type, not a Python int
    assert type(number) is not int and number == 5
    picked = T.select_sections(r, number)
    assert list(picked["code"]) == ["problems"]
    assert picked["text"].tolist() == T.select_sections(r, 5)["text"].tolist()

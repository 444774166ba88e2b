"""Problem statements that are problems: real lines of unseen reports embedded in real reports."""

from __future__ import annotations

from pathlib import Path

import pytest

import govreport
from govreport import text as T

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"
SEED000 = next(RAW.glob("000_*"))
SEED001 = next(RAW.glob("001_*"))
# seed 000's own preamble, in section 五
PREAMBLE_000 = "津市市住房保障服务中心政务公开工作虽然取得了良好的成效,但也还存在着一些不足。"
PROBLEMS_000 = ["政务公开的内容不全面", "时效性有待提高", "公开形式和渠道还有些单一", "干部队伍建设还需要进一步加强"]


def _rewritten(tmp_path: Path, source: Path, old: str, new: str) -> object:
    raw = source.read_text(encoding="utf-8")
    assert old in raw
    path = tmp_path / source.name
    path.write_text(raw.replace(old, new, 1), encoding="utf-8")
    return govreport.read_report(path)


def _problems(rep) -> list[str]:
    st = T.stated_problems(rep)
    return st.loc[st["part"] == "problem", "statement"].tolist()


@pytest.mark.parametrize(
    "preamble",
    [
        # issue 11: preambles of unseen reports, read as problems before
        "2018年我局认真细致地做好政府信息公开工作,但在工作中仍在不足。",
        "2018年我局认真细致地做好政府信息公开各项工作。但在工作中仍在不足:",
        "但在工作中仍在不足。",
    ],
)
def test_preambles_are_not_problems(tmp_path, preamble):
    rep = _rewritten(tmp_path, SEED000, PREAMBLE_000, preamble)
    assert _problems(rep) == PROBLEMS_000


def test_seed000_as_printed():
    assert _problems(govreport.read_report(SEED000)) == PROBLEMS_000


@pytest.mark.parametrize(
    "old, new",
    [
        ("(一)存在的主要问题\n", "(一)存在的主要问题"),  # sub-heading glued to the first sentence
        ("(二)改进措施\n", "(二)改进措施"),
    ],
)
def test_glued_subheadings(tmp_path, old, new):
    rep = _rewritten(tmp_path, SEED001, old, new)
    st = T.stated_problems(rep)
    probs = st.loc[st["part"] == "problem", "statement"].tolist()
    imps = st.loc[st["part"] == "improvement", "statement"].tolist()
    assert probs == ["政府信息公开的信息化基础建设还很不适应新形势发展的要求,业务信息化基础数据公开落后",
                     "信息公开资源管理体系尚未建立、健全等"]
    assert len(imps) == 2 and imps[0].startswith("开展业务系统整合") and imps[1].startswith("健全住建信息发布制度")
    assert not any("存在的主要问题" in s or "改进措施" in s for s in probs + imps)


# Section 五 of an unseen report (hongze_district_gov_2024, its text layer as printed, with
# the PDF's line breaks and page number), put in place of seed 000's section 五.
HONGZE_5 = (
    "2024 年,全区政府信息公开工作虽取得一定成绩,但对照上\n级要求和群众期盼,仍"
    "存在一些不足,主要是:个别部门对复杂\n申请件的研判能力不足,答复文书规范性有待提"
    "升,疑难问题协\n调处理机制尚需完善,政策解读的形式还不够丰富,政务新媒体\n运维管"
    "理还需加强等。\n针对存在问题,2025 年我们将切实抓好以下工作:一是扎实\n推进"
    "依申请公开工作,全面梳理和优化工作流程、健全工作机制、\n强化部门协同配合,全面提"
    "升政府信息依申请公开规范化、专业\n化水平。二是加强对典型案例的研究、梳理和汇总。"
    "不定期更新\n编制适用性广、操作性强的依申请公开政府信息答复书模板,使\n- 4 -"
    "\n各行政机关答复的方式、格式、不予公开依据等更加规范,有效\n降低行政复议、行政诉"
    "讼发生率和纠错率。三是继续加强业务指\n导培训,实行政府信息公开工作人员跟班学习制"
    "度,不断提高各\n单位政府信息公开工作人员的思想认识和业务工作水平。"
)


def test_problems_listed_after_a_preamble_and_plans_announced_after_them(tmp_path):
    raw = SEED000.read_text(encoding="utf-8")
    start = raw.index(PREAMBLE_000)
    end = raw.index("\n六、其他需要报告的事项")
    path = tmp_path / SEED000.name
    path.write_text(raw[:start] + HONGZE_5 + raw[end:], encoding="utf-8")
    st = T.stated_problems(govreport.read_report(path))
    probs = st[st["part"] == "problem"]
    assert probs["statement"].tolist() == [
        "个别部门对复杂申请件的研判能力不足",
        "答复文书规范性有待提升",
        "疑难问题协调处理机制尚需完善",
        "政策解读的形式还不够丰富",
        "政务新媒体运维管理还需加强等",
    ]
    themes = [set(t.split("|")) for t in probs["themes"]]
    assert "staff" in themes[0] and "requests" in themes[1] and "mechanisms" in themes[2]
    assert "policy_interpretation" in themes[3] and "new_media" in themes[4]
    imps = st.loc[st["part"] == "improvement", "statement"].tolist()
    assert len(imps) == 3 and imps[0].startswith("扎实推进依申请公开工作")
    assert not any("- 4 -" in s for s in imps)  # the page number is not prose


@pytest.mark.parametrize(
    "statement, theme",
    [
        ("公开内容不够全面", "completeness"),
        ("解读形式单一", "policy_interpretation"),
        ("队伍建设有待加强", "staff"),
        ("培训不足", "staff"),
        ("信息更新不及时", "timeliness"),
        ("依申请公开答复规范性有待提高", "requests"),
        ("平台建设有待完善", "platforms_it"),
        ("基层政务公开发展不平衡", "grassroots"),
        ("工作经费保障不足", "mechanisms"),
    ],
)
def test_theme_of_common_phrasings(statement, theme):
    assert theme in T.tag_themes(statement)


def test_every_phrase_matches_its_own_example():
    import csv
    import re

    path = Path(T.__file__).resolve().parents[1] / "data" / "problem_phrases.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert {r["kind"] for r in rows} >= {"preamble", "closing", "deficiency", "problems_heading",
                                          "improvement_heading", "improvement_start", "plan_marker"}
    for r in rows:
        example = r["example"].split(";")[0].split(" (")[0].strip()
        assert re.search(r["pattern"], example), (r["kind"], r["pattern"], example)


def test_a_problem_that_starts_with_zhendui_is_not_a_plan():
    st = T.stated_problems("存在的主要问题：针对群众关切的问题回应不够及时。下一步，我们将加强培训。")
    assert st.loc[st["part"] == "problem", "statement"].tolist() == ["针对群众关切的问题回应不够及时"]
    assert st.loc[st["part"] == "improvement", "statement"].tolist() == ["我们将加强培训"]


@pytest.mark.parametrize(
    "text, problems",
    [
        # list markers glued to the end of the item before (no punctuation), 单一 before 三是
        ("存在的主要问题：一是公开内容不够全面二是解读形式单一三是队伍建设有待加强。下一步，我们将加强培训。",
         ["公开内容不够全面", "解读形式单一", "队伍建设有待加强"]),
        ("（一）主要问题一是信息更新不及时，二是平台建设滞后。（二）改进措施一是加强培训。二是完善制度。",
         ["信息更新不及时", "平台建设滞后"]),
    ],
)
def test_glued_list_markers(text, problems):
    st = T.stated_problems(text)
    assert st.loc[st["part"] == "problem", "statement"].tolist() == problems
    assert (st["part"] == "improvement").sum() >= 1

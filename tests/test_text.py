"""Tests of govreport.text (narrative text) on the real reports in data/raw."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import govreport
from govreport import text as T

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"


def _path(prefix: str) -> Path:
    # data/raw holds one report in several formats (.html/.docx/.pdf) and a scan beside its PDF:
    # the exact stem first, then text and HTML (these tests read the file's text too)
    return min(RAW.glob(prefix + "*"), key=lambda p: (p.stem != prefix, p.suffix not in (".txt", ".html"), p.name))


_CACHE: dict[str, object] = {}


def report(prefix: str):
    """A report read with govreport.read_report (cached for the session)."""
    if prefix not in _CACHE:
        _CACHE[prefix] = govreport.read_report(_path(prefix))
    return _CACHE[prefix]


def all_reports() -> dict[str, object]:
    out = {}
    for p in sorted(RAW.iterdir()):
        if p.suffix.lower() in (".txt", ".html"):
            out[p.stem] = report(p.stem)
    return out


# --------------------------------------------------------------------- data files


def test_data_files_exist_and_parse():
    for p in (T.DOMAIN_DICT_PATH, T.STOPWORDS_PATH, T.THEMES_PATH, T.VOLUME_SUBJECTS_PATH):
        assert p.is_file(), p
    themes = T.load_themes()
    assert list(themes.columns) == ["theme", "label_zh", "label_en", "description", "keywords"]
    assert 9 <= len(themes) <= 14
    assert "other" in set(themes["theme"])
    assert themes["theme"].is_unique
    subjects = T.load_volume_subjects()
    assert subjects["subject"].is_unique
    import re

    for pat in subjects["zh_patterns"]:
        re.compile(pat)
    for code in ("proactive_items", "policy_interpretations", "requests_received", "requests_processed",
                 "carried_forward", "granted", "partially_granted", "review_cases", "litigation_cases",
                 "penalty_cases", "licensing_cases"):
        assert code in set(subjects["subject"]), code


# --------------------------------------------------------------------- jieba set-up


def test_domain_terms_stay_whole():
    toks = T.tokenize("依申请公开和政务新媒体、放管服、三审三校、本机关不掌握、政府信息公开条例、政策解读")
    for term in ("依申请公开", "政务新媒体", "放管服", "三审三校", "本机关不掌握", "政府信息公开条例", "政策解读"):
        assert term in toks, (term, toks)


def test_global_jieba_untouched():
    import jieba

    T.init()
    # govreport loads its domain dictionary into a private tokenizer only
    assert T._engine().tokenizer is not jieba.dt
    assert "本机关不掌握" not in jieba.dt.FREQ


def test_jieba_quiet_and_loaded_once():
    code = (
        "import govreport.text as T; T.init(); e = T._engine(); T.init(); "
        "assert T._engine() is e; T.keywords('加强政务新媒体管理，提升政策解读质量。')"
    )
    res = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300,
                         check=False)
    assert res.returncode == 0, res.stderr
    assert "prefix dict" not in res.stderr and "Loading model" not in res.stderr, res.stderr


# --------------------------------------------------------------------- inputs


def test_as_sections_accepts_report_dataframe_string_and_dict():
    r = report("000_")
    secs = T.as_sections(r)
    assert list(secs.columns) == ["report_id", "number", "title", "text"]
    assert secs["report_id"].iloc[0] == "000_943bbbccc038582b"
    bare = r.sections[["number", "title", "text"]]
    assert set(T.as_sections(bare)["report_id"]) == {"report"}
    assert len(T.as_sections("一段文字")) == 1
    both = T.as_sections({"a": r, "b": report("004_")})
    assert set(both["report_id"]) == {"a", "b"}


def test_problems_section_in_every_layout():
    ps = T.problems_section(all_reports())
    got = dict(zip(ps["report_id"], ps["number"]))
    assert got["000_943bbbccc038582b"] == 5
    assert got["004_1de402db7ad7867c"] == 5
    assert got["002_8b3fd4c305a71f8f"] == 11  # pre2019: 十一、…存在的主要问题及改进情况
    assert "pingtan_2017" in got  # one long line: 五、存在的主要问题和改进措施
    assert len(got) >= 11


# --------------------------------------------------------------------- keywords

TRAINING = {"培训", "业务培训", "学习培训", "专职人员", "工作人员"}
CHANNELS = {"渠道", "公开渠道", "公开形式", "新媒体", "社交媒体", "形式"}
AWARENESS = {"思想认识", "重视程度", "意识", "认识"}


def test_keywords_seed004_section5_are_about_training_channels_awareness():
    kw = T.keywords(report("004_"), section=5, top_k=10)
    assert list(kw.columns) == ["report_id", "section", "title", "keyword", "weight", "rank", "method"]
    assert len(kw) == 10 and set(kw["section"]) == {5} and set(kw["method"]) == {"tfidf"}
    words = set(kw["keyword"])
    assert words & TRAINING, words
    assert words & CHANNELS, words
    assert words & AWARENESS, words
    stop = T.stopwords()
    assert not words & stop
    for boiler in ("进一步", "加强", "工作", "情况", "我局", "2024年", "2024"):
        assert boiler not in words
    assert kw["weight"].is_monotonic_decreasing


def test_keywords_textrank_and_both():
    kw = T.keywords(report("004_"), section="problems", method="both", top_k=8)
    assert set(kw["method"]) == {"tfidf", "textrank"}
    tr = set(kw.loc[kw["method"] == "textrank", "keyword"])
    assert tr & (TRAINING | CHANNELS | AWARENESS)
    assert not tr & T.stopwords()


def test_keywords_every_section_of_a_corpus():
    reps = {k: report(k) for k in ("000_", "002_", "004_")}
    kw = T.keywords(reps, top_k=5)
    assert set(kw["report_id"]) == set(reps)
    assert kw.groupby(["report_id", "section"]).size().max() <= 5
    assert not kw["keyword"].str.fullmatch(r"\d+年?").any()


def test_fitted_idf(tmp_path):
    reps = all_reports()
    idf = T.fit_idf(reps)
    assert idf.n_docs >= 50
    assert {"word", "df", "idf"} <= set(idf.table.columns)
    # words in nearly every section get a low idf, rare ones a high idf
    d = idf.as_dict()
    assert d.get("政府信息公开条例", 0) < d.get("社交媒体", 99)
    path = tmp_path / "idf.csv"
    idf.to_csv(path)
    back = T.IDFTable.from_csv(path)
    assert back.n_docs == idf.n_docs and len(back.table) == len(idf.table)
    kw_fit = T.keywords(report("004_"), section=5, idf=idf, top_k=10)
    kw_def = T.keywords(report("004_"), section=5, top_k=10)
    assert list(kw_fit["keyword"]) != list(kw_def["keyword"])
    assert set(kw_fit["keyword"]) & (TRAINING | CHANNELS | AWARENESS)
    kw_path = T.keywords(report("004_"), section=5, idf=str(path), top_k=10)
    assert list(kw_path["keyword"]) == list(kw_fit["keyword"])
    # "corpus" fits on the input itself
    assert len(T.keywords(reps, section="problems", idf="corpus", top_k=3)) > 0


def test_user_stopwords_extend():
    before = set(T.keywords(report("004_"), section=5, top_k=10)["keyword"])
    word = min(before)
    T.add_stopwords([word])
    try:
        after = set(T.keywords(report("004_"), section=5, top_k=10)["keyword"])
        assert word not in after
    finally:
        T._engine().stop_words.discard(word)


# --------------------------------------------------------------------- problems


def _problems(prefix):
    st = T.stated_problems(report(prefix))
    assert list(st.columns) == ["report_id", "section", "part", "n", "statement", "themes", "keywords"]
    return st[st["part"] == "problem"].reset_index(drop=True), st[st["part"] == "improvement"].reset_index(drop=True)


def test_seed000_four_stated_problems_with_themes():
    probs, imps = _problems("000_")
    assert len(probs) == 4, probs["statement"].tolist()
    expected = [
        ("内容不全面", "completeness"),
        ("时效性", "timeliness"),
        ("形式和渠道", "forms_channels"),
        ("干部队伍建设", "staff"),
    ]
    for (needle, theme), (_, row) in zip(expected, probs.iterrows()):
        assert needle in row["statement"], row["statement"]
        assert theme in row["themes"].split("|"), (row["statement"], row["themes"])
    assert list(probs["n"]) == [1, 2, 3, 4]
    assert len(imps) >= 1
    assert "培训" in imps["statement"].iloc[0]
    assert not any("取得" in s for s in probs["statement"])  # the preamble is not a problem


def test_seed002_pre2019_problems_in_section_11():
    probs, imps = _problems("002_")
    assert set(probs["section"]) == {11}
    assert len(probs) >= 1
    themes = set("|".join(probs["themes"]).split("|"))
    assert {"timeliness", "completeness"} <= themes, probs
    assert len(imps) == 4, imps["statement"].tolist()
    assert imps["statement"].iloc[0].startswith("完善制度")
    assert "staff" in imps["themes"].iloc[3].split("|")
    # the statistics table after the last section is not a statement
    assert not imps["statement"].str.contains(r"\|").any()
    assert not imps["statement"].str.contains("统计指标").any()


def test_seed004_enumerated_problems_and_improvements():
    probs, imps = _problems("004_")
    assert len(probs) == 3 and len(imps) == 3
    assert probs["statement"].iloc[0].startswith("思想认识不足")
    assert "awareness" in probs["themes"].iloc[0].split("|")
    assert "staff" in probs["themes"].iloc[1].split("|")
    assert "forms_channels" in probs["themes"].iloc[2].split("|")
    # statement keywords are jieba keywords, not stopwords
    for kws in probs["keywords"]:
        assert kws and not set(kws.split("|")) & T.stopwords()


def test_seed001_subheadings_and_closing_sentence():
    probs, imps = _problems("001_")
    assert len(probs) == 2 and len(imps) == 2
    assert not probs["statement"].str.startswith("这些").any()
    assert "platforms_it" in probs["themes"].iloc[0].split("|")


def test_pingtan_one_line_reports():
    for year, n_prob in (("pingtan_2017", 2), ("pingtan_2019", 3), ("pingtan_2022", 3)):
        probs, imps = _problems(year)
        assert len(probs) == n_prob, (year, probs["statement"].tolist())
        assert len(imps) == 3, (year, imps["statement"].tolist())
    probs, _ = _problems("pingtan_2018")  # 存在A、B、C等问题 in one sentence
    assert len(probs) == 3, probs["statement"].tolist()


def test_theme_coverage_over_bundled_corpus():
    st = T.stated_problems(all_reports())
    probs = st[st["part"] == "problem"]
    assert probs["report_id"].nunique() >= 11
    share = T.theme_coverage(st)
    assert share >= 0.9, probs.loc[probs["themes"] == "other", "statement"].tolist()


@pytest.mark.parametrize(
    "text, n_prob, n_imp",
    [
        ("（一）存在的主要问题\n一是公开不及时。二是渠道单一。\n（二）改进措施\n一是加强培训。二是完善制度。", 2, 2),
        ("存在的主要问题：1.网站栏目更新不及时；2.政策解读形式单一。改进情况：1.加强网站管理；2.丰富解读形式。", 2, 2),
        ("今年工作取得了一定成效，但也存在一些不足：①公开意识不强；②队伍不稳定。下一步，我们将加强培训。", 2, 1),
        ("我局政务公开工作存在的问题主要是公开内容不够全面，公开时效有待提高。2024年我局将进一步加强学习。", 2, 1),
    ],
)
def test_split_variants(text, n_prob, n_imp):
    st = T.stated_problems(text)
    assert (st["part"] == "problem").sum() == n_prob, st
    assert (st["part"] == "improvement").sum() == n_imp, st


def test_custom_theme_rules():
    themes = pd.DataFrame(
        {"theme": ["money", "other"], "label_zh": ["经费", "其他"], "label_en": ["Funding", "Other"],
         "description": ["", ""], "keywords": ["经费&不足|预算", ""]}
    )
    assert T.tag_themes("工作经费不足", themes) == ["money"]
    assert T.tag_themes("经费充足", themes) == ["other"]


# --------------------------------------------------------------------- volumes


def _vol(text_or_report):
    v = T.stated_volumes(text_or_report)
    assert list(v.columns) == ["report_id", "section", "quantity", "unit", "subject", "label", "phrase",
                               "approx", "breakdown", "sentence", "offset", "match"]
    return v


def _first(v, subject):
    rows = v[(v["subject"] == subject) & ~v["breakdown"]]
    assert len(rows), (subject, v[["quantity", "unit", "subject", "phrase"]])
    return rows.iloc[0]


def test_volumes_on_plain_text_with_offsets():
    raw = _path("000_").read_text(encoding="utf-8")
    v = _vol(raw)
    row = _first(v, "proactive_items")
    assert row["quantity"] == 18 and row["unit"] == "条"
    assert "主动公开政府信息共18条" in row["sentence"]
    for r in v.itertuples():
        assert raw[r.offset: r.offset + len(r.match)] == r.match
    # table rows ("行政许可 | 5 |") are not narrative
    assert (v["quantity"] == 5).sum() == 1  # only 发放商品房预售许可5个 in the prose


def test_volumes_seed_examples():
    v1 = _vol(_path("001_").read_text(encoding="utf-8"))
    assert _first(v1, "proactive_items")["quantity"] == 235
    v4 = _vol(report("004_"))
    assert _first(v4, "proactive_items")["quantity"] == 439
    assert _first(v4, "requests_received")["quantity"] == 52
    assert set(v4["report_id"]) == {"004_1de402db7ad7867c"}
    assert v4["section"].notna().all()
    v2 = _vol(report("002_"))
    assert _first(v2, "policy_interpretations")["quantity"] == 1
    assert _first(v2, "public_responses")["quantity"] == 136
    approx = v4[v4["approx"]]
    assert (approx["quantity"] == 80).any()  # 政策咨询80余件


def test_volumes_request_outcomes_stated_in_prose():
    v = _vol(_path("shanghai_stcsm").read_text(encoding="utf-8"))
    got = {s: q for s, q in zip(v["subject"], v["quantity"]) if s}
    assert got["requests_received"] == 34
    assert got["carried_over"] == 2
    assert got["granted"] == 9
    assert got["partially_granted"] == 0
    assert got["withheld"] == 2
    assert got["unavailable"] == 10
    assert got["other_processed"] == 14
    assert got["carried_forward"] == 1


# --------------------------------------------------------------------- similarity


def test_section_similarity_methods():
    reps = {k: report(k) for k in ("pingtan_2017", "pingtan_2019", "000_", "004_")}
    for method in ("minhash", "jaccard", "cosine"):
        s = T.section_similarity(reps, section="problems", method=method)
        assert list(s.columns) == ["report_id_a", "report_id_b", "similarity"]
        assert len(s) == 6
        assert s["similarity"].between(0, 1.0000001).all()
        assert s["similarity"].is_monotonic_decreasing
    whole = T.section_similarity(reps, section=None, method="jaccard")
    top = whole.iloc[0]
    assert {top["report_id_a"], top["report_id_b"]} == {"pingtan_2017", "pingtan_2019"}
    lsh = T.section_similarity(reps, section=None, threshold=0.1)
    assert (lsh["similarity"] >= 0.1).all()


def test_copied_problem_text_across_years():
    cp = T.copied_passages(report("pingtan_2017"), report("pingtan_2019"), section="problems")
    assert {"passage_a", "passage_b", "similarity", "containment"} <= set(cp.columns)
    hit = cp[cp["passage_a"].str.contains("虽然制定了政府信息公开工作相关制度")]
    assert len(hit) == 1 and hit["similarity"].iloc[0] > 0.9
    assert (cp["similarity"] >= 0.5).all()
    none = T.copied_passages(report("000_"), report("004_"), section="problems")
    assert len(none) == 0


def test_copied_passages_on_strings():
    a = "一是公开形式不够多，群众获取信息的渠道较少。二是长效工作机制建设不够全，仍然有待完善。"
    b = "存在问题：长效工作机制建设不够全，仍然有待完善。另外，培训不足。"
    cp = T.copied_passages(a, b, min_chars=10)
    assert len(cp) == 1 and cp["similarity"].iloc[0] > 0.7


def test_stated_total_proactive_items():
    reps = {k: report(k) for k in ("000_", "001_", "002_", "004_", "pingtan_2017", "pingtan_2022", "shanghai_stcsm")}
    tot = T.stated_total(reps)
    assert tot["000_"] == 18 and tot["001_"] == 235 and tot["004_"] == 439 and tot["pingtan_2022"] == 14571
    assert tot["002_"] == 53  # 主动…公开 beats 发布信息49条
    assert tot["pingtan_2017"] == 2122  # the total, not a topic count
    assert tot["shanghai_stcsm"] == 393  # 政府信息, not all website items (2139)


def test_stated_total_matches_hand_read_manifest():
    manifest = pd.read_csv(RAW / "manifest.csv")
    reps = {Path(f).stem: report(Path(f).stem) for f in manifest["file"]}
    tot = T.stated_total(reps)
    for f, expected in zip(manifest["file"], manifest["active_disclosure_count_in_text"]):
        stem = Path(f).stem
        if pd.isna(expected):
            assert stem not in tot.index
        else:
            assert tot[stem] == expected, (f, tot.get(stem), expected)


# --------------------------------------------------------------------- fixes found while building the notebooks

_CORPUS: dict[str, object] = {}


def corpus():
    """The bundled reports read with govreport.read_corpus (as the notebooks do)."""
    if "c" not in _CORPUS:
        _CORPUS["c"] = govreport.read_corpus(str(RAW), progress=False, cache=False)
    return _CORPUS["c"]


_LIST_MARKER = r"(?:[一二三四五六七八九十]+是|第[一二三四五六七八九十]+|其[一二三四五六七八九十]|首先|其次|再次|最后)"


def test_list_markers_are_stopwords():
    stop = T.stopwords()
    for w in ("一是", "二是", "三是", "四是", "五是", "十是", "第一", "第二", "第三", "其一",
              "首先", "其次", "再次", "最后"):
        assert w in stop, w
    # the data file lists them (a plain word list, no patterns)
    listed = set(T._read_word_list(T.STOPWORDS_PATH))
    assert {"一是", "二是", "三是", "四是", "五是", "第一", "第二", "首先", "其次"} <= listed


@pytest.mark.parametrize("prefix", ["001_", "003_", "shanghai_govoffice_2019"])
def test_keywords_drop_list_markers(prefix):
    # these reports enumerate with 一是/二是/四是 in section 五; the markers used to rank as keywords
    raw = _path(prefix).read_text(encoding="utf-8")
    assert any(m in raw for m in ("一是", "二是", "四是"))
    for method in ("tfidf", "textrank"):
        kw = T.keywords(report(prefix), top_k=10, method=method)
        assert len(kw)
        assert not kw["keyword"].str.fullmatch(_LIST_MARKER).any(), kw[kw["keyword"].str.fullmatch(_LIST_MARKER)]
    probs = T.stated_problems(report(prefix))
    for kws in probs["keywords"]:
        assert not any(pd.Series(kws.split("|")).str.fullmatch(_LIST_MARKER)), kws


def test_corpus_report_view_keeps_its_report_id():
    c = corpus()
    view = c["pingtan_2021"]
    assert view.report_id == "pingtan_2021"
    assert set(T.as_sections(view)["report_id"]) == {"pingtan_2021"}
    cp = T.copied_passages(c["pingtan_2021"], c["pingtan_2022"])
    assert len(cp) >= 1
    assert set(cp["report_id_a"]) == {"pingtan_2021"} and set(cp["report_id_b"]) == {"pingtan_2022"}
    cp17 = T.copied_passages(c["pingtan_2017"], c["pingtan_2019"], section="problems")
    hit = cp17[cp17["passage_a"].str.contains("虽然制定了政府信息公开工作相关制度")]
    assert len(hit) == 1
    assert hit["report_id_a"].iloc[0] == "pingtan_2017" and hit["report_id_b"].iloc[0] == "pingtan_2019"
    assert set(T.keywords(view, section=5)["report_id"]) == {"pingtan_2021"}
    assert set(T.stated_problems(view)["report_id"]) == {"pingtan_2021"}
    assert set(T.stated_total(view).index) == {"pingtan_2021"}
    sim = T.section_similarity([c["pingtan_2017"], c["pingtan_2019"]])
    assert {sim["report_id_a"].iloc[0], sim["report_id_b"].iloc[0]} == {"pingtan_2017", "pingtan_2019"}
    # a Report read from a file still takes its file name
    assert set(T.as_sections(report("pingtan_2021"))["report_id"]) == {"pingtan_2021"}


def _expected_totals() -> dict[str, float]:
    manifest = pd.read_csv(RAW / "manifest.csv")
    from govreport.corpus import REPORT_SUFFIXES

    out = {
        Path(f).stem: float(v)
        for f, v in zip(manifest["file"], manifest["active_disclosure_count_in_text"])
        if pd.notna(v) and Path(f).suffix in REPORT_SUFFIXES  # the files corpus() reads
    }
    # seed 002: not in the manifest; section 十一 says 我单位主动政府公开信息53条, section 四 发布信息49条
    out["002_8b3fd4c305a71f8f"] = 53.0
    return out


def test_stated_total_is_the_report_wide_total_for_every_input_form():
    expected = _expected_totals()
    assert len(expected) >= 7
    c = corpus()
    from_corpus = T.stated_total(c)
    for rid, total in expected.items():
        assert from_corpus[rid] == total, (rid, from_corpus.get(rid), total)
        assert T.stated_total(c[rid])[rid] == total, rid                     # corpus["…"]
        assert T.stated_total(report(rid))[rid] == total, rid                # Report
        path = _path(rid)  # the file's text (a PDF's or DOCX's as the reader extracts it)
        plain = T.stated_total(path.read_text(encoding="utf-8") if path.suffix in (".txt", ".html")
                               else report(rid).text)
        assert list(plain) == [total], (rid, list(plain))
    # the sentences that used to win are in the reports, and are not the total
    raw17 = _path("pingtan_2017").read_text(encoding="utf-8")
    assert "全年共发布信息166条" in raw17 and "2017年全区主动公开政府信息2122条" in raw17
    raw02 = _path("002_").read_text(encoding="utf-8")
    assert "主动政府公开信息53条" in raw02 and "发布信息49条" in raw02


def test_stated_total_prefers_whole_report_statements_over_parts():
    # verbatim pieces of pingtan_2017, joined in different orders
    raw17 = _path("pingtan_2017").read_text(encoding="utf-8")
    pieces = [
        "全年共发布信息166条",                          # one topic (重大建设项目)
        "今年累计主动公开采购信息25条、工程招投标信息188条",  # one topic
        "各乡镇主动公开政府信息613条，占28.89%",         # one part of the total
        "2017年全区主动公开政府信息2122条",               # the total
    ]
    for piece in pieces:
        assert piece in raw17, piece
    assert list(T.stated_total("。".join(pieces) + "。")) == [2122.0]
    assert list(T.stated_total("。".join(reversed(pieces)) + "。")) == [2122.0]
    # without the total, 主动公开政府信息 of a part still beats a topic or 发布信息
    assert list(T.stated_total("。".join(pieces[:3]) + "。")) == [613.0]
    raw02 = _path("002_").read_text(encoding="utf-8")
    pieces02 = ["2017年,在政府网站我单位负责板块发布信息49条。", "2017年,我单位主动政府公开信息53条,电子化率达100%。"]
    for piece in pieces02:
        assert piece in raw02, piece
    assert list(T.stated_total("".join(pieces02))) == [53.0]
    assert list(T.stated_total("".join(reversed(pieces02)))) == [53.0]

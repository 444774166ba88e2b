"""Tests of govreport.plot: CJK font, journal output, chart functions on real data.

All numbers come from real reports: either the hand-read values of
data/raw/manifest.csv or tables parsed by govreport.read_report from the files
in data/raw/.  Problem statements are quoted verbatim from the reports (the
test checks that each quote occurs in its file) with hand-assigned themes.
"""

from __future__ import annotations

import importlib

import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from govreport import plot

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"
MANIFEST = RAW / "manifest.csv"

# manifest column -> applications row code (hand-read totals, applicant "total")
MANIFEST_ROWS = {
    "new_requests_total": "new_received",
    "carried_over_total": "carried_over",
    "granted_total": "granted",
    "partial_total": "partially_granted",
    "not_held_total": "unavailable.not_held",
    "processed_total": "processed_total",
    "carried_forward_total": "carried_forward",
}

# Statements quoted from section 五 of the reports (line breaks of the PDF copy
# removed); theme codes of govreport/data/themes.csv assigned by hand.
PROBLEMS = [
    ("pingtan_2019", "problem", 1, "个别部门对政府信息公开工作主动性和自觉性仍待提高，信息人员队伍能力建设仍有欠缺", ["awareness", "staff"]),
    ("pingtan_2019", "problem", 2, "受人员编制限制，各单位信息公开多由办公室人员或临时借调人员兼职经办", ["staff"]),
    ("pingtan_2019", "problem", 3, "公开的长效工作机制建设不够“全”", ["mechanisms"]),
    ("pingtan_2019", "improvement", 1, "继续强化信息公开责任", ["mechanisms"]),
    ("pingtan_2019", "improvement", 2, "继续完善信息公开机制", ["mechanisms"]),
    ("pingtan_2019", "improvement", 3, "继续加强督导协调工作", ["mechanisms", "staff"]),
    ("pingtan_2021", "problem", 1, "政策解读形式不够丰富，未能充分运用数字化、图表图解等方式通俗易懂地解读政策文件", ["policy_interpretation"]),
    ("pingtan_2021", "problem", 2, "政务公开质量水平有待提高，政务公开渠道有限，在利用政务新媒体开展宣传方面还难以满足群众需要", ["completeness", "forms_channels", "new_media"]),
    ("pingtan_2021", "improvement", 1, "丰富政策解读形式", ["policy_interpretation"]),
    ("pingtan_2021", "improvement", 2, "加强重点政务信息管理", ["completeness"]),
    ("pingtan_2021", "improvement", 3, "拓宽公开载体和渠道", ["forms_channels"]),
    ("pingtan_2022", "problem", 1, "重大行政决策预公开程度需进一步加强，意见征集形式较为单一", ["completeness", "forms_channels"]),
    ("pingtan_2022", "problem", 2, "部分重点领域信息公开深度不足，重点项目建设未进行全流程信息公开", ["completeness"]),
    ("pingtan_2022", "problem", 3, "政策解读形式单一，缺少多个角度多种形式的解读", ["policy_interpretation", "forms_channels"]),
    ("pingtan_2022", "improvement", 1, "丰富意见征集形式", ["forms_channels"]),
    ("pingtan_2022", "improvement", 2, "加大重点领域公开信息整合归类力度", ["completeness"]),
    ("pingtan_2022", "improvement", 3, "丰富政策解读形式和方式", ["policy_interpretation"]),
    ("shanghai_stcsm_2024", "problem", 1, "原有部门网站政务公开栏目和政府信息公开目录结构无法满足机构改革后的市科委政务信息发布需要", ["platforms_it"]),
    ("shanghai_stcsm_2024", "improvement", 1, "开设“张江高新区”专栏", ["platforms_it"]),
    ("shanghai_stcsm_2024", "improvement", 2, "根据市科委新的职能对政府信息公开目录进行调整", ["platforms_it"]),
]


# ------------------------------------------------------------------ fixtures


def _num(value: object) -> object:
    if value is None or (isinstance(value, float) and pd.isna(value)) or str(value).strip() == "":
        return pd.NA
    return float(value)


@pytest.fixture(scope="module")
def manifest() -> pd.DataFrame:
    df = pd.read_csv(MANIFEST, dtype=str, keep_default_na=False)
    df["report_id"] = [Path(f).stem for f in df["file"]]
    return df


@pytest.fixture(scope="module")
def m_reports(manifest: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "report_id": manifest["report_id"],
            "agency": manifest["agency"],
            "year": manifest["year"].astype(int),
            "layout": manifest["template"],
        }
    )


@pytest.fixture(scope="module")
def m_applications(manifest: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for _, rec in manifest.iterrows():
        for col, code in MANIFEST_ROWS.items():
            rows.append({"report_id": rec["report_id"], "row": code, "applicant": "total", "value": _num(rec[col]), "raw": rec[col]})
    df = pd.DataFrame(rows)
    df["value"] = df["value"].astype("Float64")
    return df


@pytest.fixture(scope="module")
def m_indicators(manifest: pd.DataFrame, m_reports: pd.DataFrame) -> pd.DataFrame:
    num = {c: pd.array([_num(v) for v in manifest[c]], dtype="Float64") for c in MANIFEST_ROWS}
    req = pd.Series(num["new_requests_total"])
    proc = pd.Series(num["processed_total"])
    review = pd.Series(pd.array([_num(v) for v in manifest["review_total"]], dtype="Float64"))
    litig = pd.Series(pd.array([_num(v) for v in manifest["litigation_total"]], dtype="Float64"))
    req_pos = req.where(req > 0)
    ind = m_reports.copy().reset_index(drop=True)
    ind["requests"] = req
    ind["grant_rate"] = pd.Series(num["granted_total"]) / proc.where(proc > 0)
    ind["review_per_100"] = review / req_pos * 100
    ind["litigation_per_100"] = litig / req_pos * 100
    ind["proactive_items"] = pd.Series(pd.array([_num(v) for v in manifest["active_disclosure_count_in_text"]], dtype="Float64"))
    return ind


@pytest.fixture(scope="module")
def problems() -> pd.DataFrame:
    return pd.DataFrame(PROBLEMS, columns=["report_id", "part", "n", "statement", "themes"])


def _read_report():
    import govreport

    fn = getattr(govreport, "read_report", None)
    if fn is None:
        pytest.skip("govreport.read_report not available yet")
    return fn


@pytest.fixture(scope="module")
def parsed():
    """Corpus tables built with govreport.read_report over data/raw."""
    read_report = _read_report()
    tables: dict[str, list[pd.DataFrame]] = {"applications": [], "active_disclosure": [], "review_litigation": []}
    reports = []
    objects = {}
    for path in sorted(RAW.iterdir()):
        if path.suffix not in (".txt", ".html"):
            continue
        try:
            rep = read_report(path)
        except ValueError:
            continue
        rid = path.stem
        objects[rid] = rep
        reports.append({"report_id": rid, "agency": rep.meta.get("agency"), "year": rep.meta.get("year"), "layout": rep.meta.get("layout")})
        for name, frames in tables.items():
            df = getattr(rep, name).copy()
            df.insert(0, "report_id", rid)
            frames.append(df)
    out = {name: pd.concat(dfs, ignore_index=True) for name, dfs in tables.items() if dfs}
    out["reports"] = pd.DataFrame(reports)
    out["objects"] = objects
    return out


def _draw_warnings(fig: Figure) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        FigureCanvasAgg(fig).draw()
    return [str(w.message) for w in caught]


def _glyph_warnings(messages: list[str]) -> list[str]:
    return [m for m in messages if "missing from" in m or "Glyph" in m]


# ------------------------------------------------------------------ font


def test_font_registered_without_fallback() -> None:
    name = plot.cjk_font_name()
    path = plot.cjk_font_path()
    assert path.is_file()
    found = font_manager.findfont(font_manager.FontProperties(family=name), fallback_to_default=False)
    assert Path(found).resolve() == path
    assert matplotlib.rcParams["font.sans-serif"][0] == name
    assert matplotlib.rcParams["axes.unicode_minus"] is False
    assert matplotlib.rcParams["pdf.fonttype"] == 42


def test_font_is_truetype_and_covers_all_labels(manifest: pd.DataFrame) -> None:
    from fontTools.ttLib import TTCollection, TTFont

    path = plot.cjk_font_path()
    font = TTCollection(str(path)).fonts[0] if path.suffix.lower() == ".ttc" else TTFont(str(path))
    assert "glyf" in font, "Type 42 PDF embedding needs TrueType outlines"
    cmap = font.getBestCmap()
    labels = "".join(zh + en for zh, en in plot._label_table().values())  # incl. themes.csv
    text = labels + "".join(manifest["agency"]) + "（）：，、“”%0123456789−·,"
    missing = sorted({ch for ch in text if not ch.isspace() and ord(ch) not in cmap and ch not in "{}"})
    assert missing == []


def test_chinese_tick_labels_render_without_glyph_warnings(manifest: pd.DataFrame) -> None:
    fig = Figure(figsize=(4, 3))
    ax = fig.add_subplot()
    agencies = list(manifest["agency"].unique())
    ax.barh(agencies, range(1, len(agencies) + 1))
    ax.set_title("政府信息公开工作年度报告")
    ax.set_xlabel("件数 −1")
    assert _glyph_warnings(_draw_warnings(fig)) == []


def test_glyph_warning_detector_works() -> None:
    """Inverse check: without the CJK font matplotlib does warn, and we catch it."""
    fig = Figure(figsize=(3, 2))
    ax = fig.add_subplot()
    ax.set_title("平潭综合实验区", family="DejaVu Sans")
    with pytest.warns(UserWarning, match=r"Glyph .*missing from (current )?font"):
        FigureCanvasAgg(fig).draw()


def test_missing_font_is_a_clear_error(tmp_path: Path) -> None:
    """With no usable font, import warns and charts raise, naming the fix."""
    import os
    import subprocess
    import sys

    code = (
        "import warnings\n"
        "warnings.simplefilter('always')\n"
        "from govreport import plot\n"
        "try:\n"
        "    plot.cjk_font_path()\n"
        "except FileNotFoundError as exc:\n"
        "    print('RAISED', exc)\n"
    )
    env = dict(os.environ, GOVREPORT_CJK_FONT=str(tmp_path / "no-such-font.ttf"), MPLBACKEND="Agg")
    env["PYTHONPATH"] = os.pathsep.join([str(Path(__file__).resolve().parents[1]), env.get("PYTHONPATH", "")])
    proc = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "RAISED" in proc.stdout and "GOVREPORT_CJK_FONT" in proc.stdout
    assert "Chinese labels will not render" in proc.stderr


def test_label_lookup() -> None:
    assert plot.label("outcome", "granted", "zh") == "予以公开"
    assert plot.label("outcome", "granted", "en") == "Granted"
    assert plot.label("theme", "no_such_code", "en") == "no_such_code"
    with pytest.raises(ValueError):
        plot.label("outcome", "granted", "fr")  # type: ignore[arg-type]


# ------------------------------------------------------------------ saving


def test_save_figure_embeds_font_and_png_300dpi(tmp_path: Path, m_applications, m_reports) -> None:
    from PIL import Image

    fig = plot.outcome_shares(m_applications, m_reports, by="report", width="single")
    before = tuple(fig.get_size_inches())
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # e.g. "constrained_layout not applied"
        paths = plot.save_figure(fig, tmp_path / "sub" / "outcomes.pdf", width="single")
    assert [p.suffix for p in paths] == [".pdf", ".svg", ".png"]
    assert all(p.is_file() and p.stat().st_size > 0 for p in paths)
    assert tuple(fig.get_size_inches()) == before

    pdf = paths[0].read_bytes()
    assert b"/FontFile2" in pdf
    assert b"WenQuanYi" in pdf or plot.cjk_font_name().replace(" ", "").encode() in pdf
    assert b"/FontFile3" not in pdf and b"/Type3" not in pdf

    svg = paths[1].read_text(encoding="utf-8")
    assert "<text" not in svg  # text converted to paths

    # reproducible output: no timestamps, fixed SVG ids, same font subset tag
    again = plot.save_figure(fig, tmp_path / "again" / "outcomes", width="single")
    for first, second in zip(paths, again):
        assert first.read_bytes() == second.read_bytes(), first.suffix

    with Image.open(paths[2]) as img:
        dpi = img.info["dpi"]
        assert abs(dpi[0] - 300) < 1 and abs(dpi[1] - 300) < 1
        assert abs(img.size[0] - 3.5 * 300) <= 2


def test_save_figure_double_width_and_png_only(tmp_path: Path, m_indicators) -> None:
    from PIL import Image

    fig = plot.review_litigation_rates(m_indicators, by="report")
    (png,) = plot.save_figure(fig, tmp_path / "rates", width="double", formats=("png",))
    assert png.name == "rates.png"
    with Image.open(png) as img:
        assert abs(img.size[0] - 7.2 * 300) <= 2
    with pytest.raises(ValueError):
        plot.save_figure(fig, tmp_path / "x", width="triple")  # type: ignore[arg-type]


# ------------------------------------------------------------------ charts on hand-read values


def test_outcome_shares_from_manifest(m_applications, m_reports) -> None:
    fig = plot.outcome_shares(m_applications, m_reports, by="report", lang="en")
    assert isinstance(fig, Figure)
    data = fig.govreport_data
    # pingtan 2017 and 2018 processed 0 requests: skipped, not drawn as 0 %
    assert not data["group"].str.contains("2017|2018").any()
    row = data[(data["group"] == "平潭综合实验区 2021") & (data["code"] == "granted")].iloc[0]
    assert row["share"] == pytest.approx(30 / 69)
    # withheld / not_processed / other are not in the manifest: the rest is "not itemised"
    rest = data[(data["group"] == "平潭综合实验区 2021") & (data["code"] == "unaccounted")].iloc[0]
    assert rest["count"] == 69 - 30 - 5 - 25
    assert fig.axes[0].get_title() == "Outcomes of information requests"
    assert "2 reports lacking data not shown" in fig.govreport_notes  # printed at the foot of the figure
    assert _glyph_warnings(_draw_warnings(fig)) == []


def test_outcome_shares_by_agency_pools_counts(m_applications, m_reports) -> None:
    fig = plot.outcome_shares(m_applications, m_reports, by="agency")
    data = fig.govreport_data
    pingtan = data[(data["group"] == "平潭综合实验区") & (data["code"] == "granted")].iloc[0]
    assert pingtan["share"] == pytest.approx((7 + 30 + 21) / (23 + 69 + 75))
    assert pingtan["n_reports"] == 3
    assert fig.axes[0].get_title() == "政府信息公开申请办理结果"


def test_review_litigation_rates_from_manifest(m_indicators) -> None:
    fig = plot.review_litigation_rates(m_indicators, by="report", lang="zh")
    assert isinstance(fig, Figure)
    data = fig.govreport_data
    r = data[(data["report_id"] == "pingtan_2021") & (data["measure"] == "litigation_per_100")].iloc[0]
    assert r["rate"] == pytest.approx(12 / 70 * 100)
    # 2017/2018 had no requests: the rate is missing, not 0
    assert not data["report_id"].isin(["pingtan_2017", "pingtan_2018"]).any()
    assert _glyph_warnings(_draw_warnings(fig)) == []


def test_disclosure_volumes_from_indicators(m_indicators) -> None:
    fig = plot.disclosure_volumes(m_indicators, by="agency", log=True, lang="en")
    data = fig.govreport_data
    assert set(data["metric"]) == {"proactive_items"}
    assert data.loc[data["report_id"] == "pingtan_2022", "value"].iloc[0] == 14571
    assert fig.axes[0].get_title() == "Items proactively disclosed"
    assert _glyph_warnings(_draw_warnings(fig)) == []


def test_problem_themes(problems, m_reports) -> None:
    for rid, _part, _n, statement, _themes in PROBLEMS:
        assert statement in (RAW / f"{rid}.txt").read_text(encoding="utf-8").replace("\n", ""), statement
    fig = plot.problem_themes(problems, m_reports, by="year")
    data = fig.govreport_data
    cell = data[(data["theme"] == "policy_interpretation") & (data["group"] == "2022")].iloc[0]
    assert cell["share"] == pytest.approx(1 / 3)
    assert cell["n_statements"] == 3
    fig_en = plot.problem_themes(problems, m_reports, by="agency", part="improvement", lang="en")
    assert fig_en.axes[0].get_title() == "Themes of reported improvements"
    assert _glyph_warnings(_draw_warnings(fig)) == []


def test_empty_and_invalid_input(m_applications, m_reports, m_indicators, problems) -> None:
    empty = m_applications.iloc[0:0]
    with pytest.raises(ValueError, match="empty"):
        plot.outcome_shares(empty, m_reports)
    zero = m_applications[m_applications["report_id"].isin(["pingtan_2017", "pingtan_2018"])]
    with pytest.raises(ValueError, match="processed_total"):
        plot.outcome_shares(zero, m_reports)
    with pytest.raises(ValueError, match="by must be"):
        plot.outcome_shares(m_applications, m_reports, by="province")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="lang"):
        plot.review_litigation_rates(m_indicators, lang="de")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="reports"):
        plot.outcome_shares(m_applications)
    with pytest.raises(ValueError):
        plot.applicant_mix(m_applications, m_reports)  # manifest has totals only
    with pytest.raises(ValueError, match="empty"):
        plot.problem_themes(problems.iloc[0:0], m_reports)
    with pytest.raises(ValueError, match="no column"):
        plot.disclosure_volumes(m_indicators, measures=["penalty_decisions"])


# ------------------------------------------------------------------ charts on parsed reports


def _group(reports: pd.DataFrame, rid: str) -> str:
    rec = reports.set_index("report_id").loc[rid]
    return f"{rec['agency']} {rec['year']}"


def _cell(apps: pd.DataFrame, rid: str, row: str, applicant: str = "total") -> float:
    sel = apps[(apps["report_id"] == rid) & (apps["row"] == row) & (apps["applicant"] == applicant)]["value"]
    return float(sel.iloc[0]) if len(sel) and pd.notna(sel.iloc[0]) else float("nan")


# The tests below check that what is drawn is what read_report parsed (the
# parser's own accuracy against the hand-read manifest is tested elsewhere).


def test_outcome_shares_parsed(parsed) -> None:
    apps, reports = parsed["applications"], parsed["reports"]
    fig = plot.outcome_shares(apps, reports, by="report", split_withheld=True)
    assert isinstance(fig, Figure)
    data = fig.govreport_data
    checked = 0
    for rid in reports["report_id"]:
        processed = _cell(apps, rid, "processed_total")
        rows = data[data["group"] == _group(reports, rid)].set_index("code")
        if not processed >= 10:
            # NA or 0 denominators are skipped, never drawn; shares of fewer than min_n=10 requests are left out
            assert rows.empty
            continue
        if (reports["agency"].astype(str) + " " + reports["year"].astype(str)).tolist().count(_group(reports, rid)) > 1:
            continue
        granted = _cell(apps, rid, "granted")
        if pd.notna(granted) and granted > 0:
            assert rows.loc["granted", "count"] == granted
            assert rows.loc["granted", "share"] == pytest.approx(granted / rows.loc["granted", "denominator"])
            assert rows.loc["granted", "denominator"] >= processed
            checked += 1
        assert rows["share"].sum() == pytest.approx(1.0)
    assert checked >= 3
    for by in ("agency", "year"):
        f = plot.outcome_shares(apps, reports, by=by, lang="en")
        assert f.govreport_data.groupby("group")["share"].sum().round(9).eq(1).all()
        assert _glyph_warnings(_draw_warnings(f)) == []


def test_applicant_mix_parsed(parsed) -> None:
    apps, reports = parsed["applications"], parsed["reports"]
    fig = plot.applicant_mix(apps, reports, by="report", row="processed_total")
    data = fig.govreport_data
    checked = 0
    for rid in reports["report_id"]:
        rows = data[data["group"] == _group(reports, rid)].set_index("code")
        if rows.empty:
            continue
        natural = _cell(apps, rid, "processed_total", "natural_person")
        if pd.notna(natural) and natural > 0:
            assert rows.loc["natural_person", "count"] == natural
            checked += 1
        assert rows["share"].sum() == pytest.approx(1.0)
    assert checked >= 1
    assert _glyph_warnings(_draw_warnings(fig)) == []


def test_disclosure_volumes_parsed(parsed) -> None:
    active, reports = parsed["active_disclosure"], parsed["reports"]
    fig = plot.disclosure_volumes(active, reports, by="agency")
    data = fig.govreport_data
    lic = active[(active["category"] == "licensing") & (active["metric"] == "decisions")].dropna(subset=["value"])
    assert len(lic) >= 1
    for _, rec in lic.iterrows():
        drawn = data[(data["report_id"] == rec["report_id"]) & (data["metric"] == "licensing_decisions")]["value"]
        assert drawn.iloc[0] == rec["value"]
    assert _glyph_warnings(_draw_warnings(fig)) == []
    fig_year = plot.disclosure_volumes(active, reports, by="year", measures=["penalty_decisions"], lang="en", width="single")
    assert isinstance(fig_year, Figure)


def test_review_litigation_rates_parsed(parsed) -> None:
    rl, apps = parsed["review_litigation"], parsed["applications"]
    totals = rl[rl["outcome"] == "total"].pivot_table(
        index="report_id", columns="procedure", values="value", aggfunc=lambda v: v.sum(min_count=1)
    )
    ind = parsed["reports"].set_index("report_id")
    requests = pd.Series({rid: _cell(apps, rid, "new_received") for rid in ind.index})
    requests = requests.where(requests > 0)
    ind["review_per_100"] = totals["review"].reindex(ind.index).astype(float) / requests * 100
    lit = totals.reindex(columns=["litigation_direct", "litigation_after_review"]).astype(float).sum(axis=1, min_count=1)
    ind["litigation_per_100"] = lit.reindex(ind.index) / requests * 100
    fig = plot.review_litigation_rates(ind.reset_index(), by="year")
    data = fig.govreport_data
    expected = ind["review_per_100"].dropna()
    assert len(expected) >= 1
    for rid, rate in expected.items():
        drawn = data[(data["report_id"] == rid) & (data["measure"] == "review_per_100")]["rate"]
        assert drawn.iloc[0] == pytest.approx(rate)
    assert _glyph_warnings(_draw_warnings(fig)) == []


def test_charts_from_indicators_module(parsed) -> None:
    """Charts accept the table of govreport.indicators.indicators as is."""
    mod = importlib.import_module("govreport.checks.indicators")
    ind = mod.indicators(parsed["objects"])
    fig = plot.review_litigation_rates(ind, by="report", lang="en")
    data = fig.govreport_data
    # rates resting on fewer than min_n=10 requests are left out (and counted in a note)
    rested = ind.set_index("report_id")
    expected = rested.loc[rested["requests"].astype("Float64") >= 10, "review_per_100_requests"].dropna()
    assert len(expected) >= 1
    small = rested[(rested["requests"].astype("Float64") < 10) & rested["review_per_100_requests"].notna()]
    assert not data["report_id"].isin(small.index).any()
    if len(small):
        assert f"{len(small)} reports with fewer than 10 requests not shown" in fig.govreport_notes
    for rid, rate in expected.items():
        drawn = data[(data["report_id"] == rid) & (data["measure"] == "review_per_100_requests")]["rate"]
        assert drawn.iloc[0] == pytest.approx(float(rate))
    assert fig.legends[0].get_texts()[0].get_text() == "Administrative review"  # the legend sits under the chart
    vol = plot.disclosure_volumes(ind, by="agency")
    assert "proactive_items_stated" in set(vol.govreport_data["metric"]) or "proactive_items" in set(vol.govreport_data["metric"])
    for f in (fig, vol):
        assert _glyph_warnings(_draw_warnings(f)) == []


def test_problem_themes_from_text_module(parsed) -> None:
    """problem_themes accepts govreport.text.stated_problems output ('|'-joined themes)."""
    text = importlib.import_module("govreport.text")
    problems = text.stated_problems(parsed["objects"])
    assert len(problems)
    fig = plot.problem_themes(problems, parsed["reports"], by="report", part="problem")
    data = fig.govreport_data
    probs = problems[problems["part"] == "problem"]
    top = data.sort_values("count", ascending=False).iloc[0]
    rid_groups = {rid: _group(parsed["reports"], rid) for rid in probs["report_id"].unique()}
    in_group = probs[probs["report_id"].map(rid_groups) == top["group"]]
    tagged = in_group["themes"].astype(str).str.split("|").apply(lambda ts: top["theme"] in ts).sum()
    assert top["count"] == tagged
    assert top["share"] == pytest.approx(tagged / len(in_group))
    assert _glyph_warnings(_draw_warnings(fig)) == []


@pytest.mark.parametrize("width", ["single", "double"])
def test_every_chart_lays_out_at_journal_widths(width, m_applications, m_reports, m_indicators, problems, tmp_path) -> None:
    """No layout or glyph warnings at 3.5 in and 7.2 in; PNG is that wide."""
    from PIL import Image

    figures = {
        "outcomes": plot.outcome_shares(m_applications, m_reports, by="agency", width=width),
        "rates": plot.review_litigation_rates(m_indicators, by="year", width=width, lang="en"),
        "volumes": plot.disclosure_volumes(m_indicators, by="agency", width=width),
        "themes": plot.problem_themes(problems, m_reports, by="agency", width=width),
    }
    for name, fig in figures.items():
        with warnings.catch_warnings():
            warnings.simplefilter("error", UserWarning)
            (png,) = plot.save_figure(fig, tmp_path / name, formats=("png",))
        with Image.open(png) as img:
            assert abs(img.size[0] - plot.WIDTHS[width] * 300) <= 2, name


# ------------------------------------------------------------------ fixes found while building the notebooks


@pytest.fixture(scope="module")
def parsed_indicators(parsed):
    mod = importlib.import_module("govreport.checks.indicators")
    return mod.indicators(parsed["objects"])


def _bars(ax) -> list:
    from matplotlib.patches import Rectangle

    return [p for p in ax.patches if isinstance(p, Rectangle)]


def _check_volume_bars(fig, by: str = "agency") -> int:
    """Every panel has one bar per (agency, year) with a value, filling the year's slot, at x = the year."""
    data = fig.govreport_data
    axes = [ax for ax in fig.axes if ax.get_visible()]
    metrics = list(dict.fromkeys(data["metric"]))
    assert len(axes) == len(metrics)
    checked = 0
    all_years = list(range(int(data["year"].min()), int(data["year"].max()) + 1))
    for ax, metric in zip(axes, metrics):
        assert ax.get_yscale() == "linear" and ax.get_ylim()[0] == 0  # bars stand on 0
        sub = data[data["metric"] == metric].copy()
        keys = ["year", "series"] if by == "agency" else ["year"]
        expected = sub.groupby(keys)["value"].sum()
        bars = _bars(ax)
        assert len(bars) == len(expected), (metric, len(bars), len(expected))
        # a numeric year axis: every year from the first to the last, gaps included
        assert [int(t.get_text()) for t in ax.get_xticklabels()] == all_years
        assert list(ax.get_xticks()) == all_years
        for year in sorted({int(y) for y in sub["year"]}):
            in_slot = sorted((b for b in bars if abs(b.get_x() + b.get_width() / 2 - year) < 0.45), key=lambda b: b.get_x())
            n = int((expected.index.get_level_values(0) == year).sum()) if by == "agency" else 1
            assert len(in_slot) == n, (metric, year)
            for b in in_slot:  # the present agencies share the whole slot
                assert b.get_width() == pytest.approx(0.8 / n)
            assert in_slot[0].get_x() == pytest.approx(year - 0.4)
            assert in_slot[-1].get_x() + in_slot[-1].get_width() == pytest.approx(year + 0.4)
            heights = sorted(b.get_height() for b in in_slot)
            want = sorted(expected.loc[year].to_numpy(dtype=float)) if by == "agency" else [float(expected.loc[year])]
            assert heights == pytest.approx(want)
            checked += 1
    return checked


def test_disclosure_volumes_one_bar_per_agency_and_year(parsed_indicators, parsed) -> None:
    ind = parsed_indicators
    fig = plot.disclosure_volumes(ind, by="agency")
    data = fig.govreport_data
    # the 7+ agencies do not each get a slot in every year
    assert data["agency"].nunique() >= 6
    assert _check_volume_bars(fig) >= 10
    # 2017: 平潭 2122 (stated) and seed 002 53 (stated) share the slot, each half of it
    ax = fig.axes[0]
    in_2017 = [b for b in _bars(ax) if abs(b.get_x() + b.get_width() / 2 - 2017) < 0.45]
    assert sorted(b.get_height() for b in in_2017) == [53.0, 2122.0]
    assert all(b.get_width() == pytest.approx(0.4) for b in in_2017)
    # 2020 has no report: an empty slot between 2019 and 2021
    assert not [b for b in _bars(ax) if abs(b.get_x() + b.get_width() / 2 - 2020) < 0.45]
    # the legend lists the agencies drawn, one colour each, and bars use only those colours
    legend = fig.legends[0]
    legend_labels = [t.get_text() for t in legend.get_texts()]
    assert sorted(legend_labels) == sorted(set(data["series"]))
    handle_colours = {tuple(round(c, 3) for c in h.get_facecolor()[:3]) for h in legend.legend_handles}
    assert len(handle_colours) == len(legend_labels)
    bar_colours = {tuple(round(c, 3) for c in b.get_facecolor()[:3]) for a in fig.axes for b in _bars(a)}
    assert bar_colours <= handle_colours
    assert _glyph_warnings(_draw_warnings(fig)) == []
    # by="year" adds agencies up: one full-width bar per year, and the note says the agencies change
    fig_year = plot.disclosure_volumes(parsed["active_disclosure"], parsed["reports"], by="year")
    assert _check_volume_bars(fig_year, by="year") >= 5
    assert any("agencies differ between years" in n for n in plot.disclosure_volumes(
        parsed["active_disclosure"], parsed["reports"], by="year", lang="en").govreport_notes)


def test_disclosure_volumes_one_line_per_agency_id(parsed_indicators) -> None:
    """Two agencies of the same name (different agency_id) are two series, never one line."""
    ind = parsed_indicators[parsed_indicators["agency"].astype("string") == "平潭综合实验区"].copy()
    ind["agency_id"] = ["a" if int(y) < 2020 else "b" for y in ind["year"]]
    fig = plot.disclosure_volumes(ind, by="agency", log=True, measures=["requests"])
    ax = fig.axes[0]
    lines = [ln for ln in ax.get_lines() if ln.get_gid() not in ("govreport-zero", "govreport-zero-band")]
    assert len(lines) == 2
    assert sorted(t.get_text() for t in fig.legends[0].get_texts()) == ["平潭综合实验区 [a]", "平潭综合实验区 [b]"]
    years = {ln.get_color(): [int(x) for x, y in zip(ln.get_xdata(), ln.get_ydata()) if pd.notna(y)] for ln in lines}
    assert sorted(years.values()) == [[2019], [2021, 2022]]  # the 0s of 2017/2018 are marks, not points


def test_disclosure_volumes_marks_zeros_on_log_axes(parsed) -> None:
    active, reports = parsed["active_disclosure"], parsed["reports"]
    fig = plot.disclosure_volumes(active, reports, by="agency", log=True)
    data = fig.govreport_data
    zeros = data[data["value"] == 0]
    # real zeros: e.g. licensing decisions of 上海市人民政府办公厅 2019 and seed 003 (2023)
    assert len(zeros) >= 5
    assert ((zeros["metric"] == "licensing_decisions") & (zeros["year"] == 2019)).any()
    for ax, metric in zip([a for a in fig.axes if a.get_visible()], dict.fromkeys(data["metric"])):
        assert ax.get_yscale() == "log"
        assert not _bars(ax)  # no bars on a log axis: lines and points
        sums = data.loc[data["metric"] == metric].groupby(["year", "series"])["value"].sum()
        marks = [ln for ln in ax.get_lines() if ln.get_gid() == "govreport-zero"]
        assert sorted(int(m.get_xdata()[0]) for m in marks) == sorted(int(y) for (y, _a) in sums.index[sums == 0])
        # a zero sits in a band of its own, under a break and the lowest power of ten, on a tick labelled "0":
        # never drawn at a value of the log scale
        lowest = min(v for v in sums if v > 0)
        ticks = dict(zip(ax.get_yticks(), (t.get_text() for t in ax.get_yticklabels())))
        zero_y = {float(m.get_ydata()[0]) for m in marks}
        assert all(ticks.get(y) == "0" for y in zero_y), (metric, zero_y, ticks)
        decades = [y for y, t in ticks.items() if t != "0"]
        assert all(y < min(decades) <= lowest for y in zero_y)
        assert list(ticks.values()).count("0") == (1 if marks else 0)
        points = [ln for ln in ax.get_lines() if ln.get_gid() not in ("govreport-zero", "govreport-zero-band")]
        drawn = sorted(float(y) for ln in points for y in ln.get_ydata() if pd.notna(y))
        assert drawn == sorted(float(v) for v in sums[sums > 0])
    assert "Open circle = a reported 0, drawn in a row of its own under the log scale (a log axis cannot show 0)" in plot.disclosure_volumes(
        active, reports, by="agency", log=True, lang="en").govreport_notes
    # the linear chart marks them as flat bars labelled 0, and nothing vanishes
    lin = plot.disclosure_volumes(active, reports, by="agency", log=False)
    assert sum(t.get_gid() == "govreport-zero" for ax in lin.axes for t in ax.texts) == len(zeros)
    assert _glyph_warnings(_draw_warnings(fig)) == []


def _check_slanted(fig) -> int:
    """Slanted x tick labels end at their tick (ha=right, rotation_mode=anchor) and stay in the figure."""
    FigureCanvasAgg(fig).draw()
    renderer = fig.canvas.get_renderer()
    fig_box = fig.bbox
    slanted = 0
    for ax in fig.axes:
        ticks = ax.get_xticks()
        for x, lab in zip(ticks, ax.get_xticklabels()):
            if not lab.get_text() or not lab.get_rotation():
                continue
            slanted += 1
            assert lab.get_horizontalalignment() == "right", lab.get_text()
            assert lab.get_rotation_mode() == "anchor", lab.get_text()
            box = lab.get_window_extent(renderer)
            tick_x = ax.transData.transform((x, 0))[0]
            assert box.x1 <= tick_x + 8, (lab.get_text(), box.x1, tick_x)  # the label ends at its tick
            assert box.x0 >= fig_box.x0 - 1 and box.y0 >= fig_box.y0 - 1, lab.get_text()  # inside the figure
    return slanted


def test_slanted_labels_are_anchored_at_their_right_end(parsed_indicators, parsed) -> None:
    ind = parsed_indicators
    rates = plot.review_litigation_rates(ind, by="report")
    assert _check_slanted(rates) >= 5
    text = importlib.import_module("govreport.text")
    problems = text.stated_problems(parsed["objects"])
    for width in ("double", "single"):
        themes = plot.problem_themes(problems, parsed["reports"], by="agency", width=width)
        assert _check_slanted(themes) >= 5
        labels = [t.get_text() for t in themes.axes[0].get_xticklabels()]
        assert "平潭综合实验区 (n=" in labels[0]  # one line per slanted label
    vols = plot.disclosure_volumes(ind, by="agency", log=True, width="single")
    _check_slanted(vols)

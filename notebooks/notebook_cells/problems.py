"""Cells of 04_stated_problems.ipynb: themes, keywords and copied text of section 五."""

from .shared import PREAMBLE

PROBLEMS = [
    ("md", """\
# 04 · Stated problems: themes, keywords and copied text

Section **五 存在的主要问题及改进情况** (in older reports often the last section, 存在的主要问题和改进措施) is where an \
agency says what went wrong and what it will do about it. It is the only self-assessment in the report, and much of \
it is boilerplate. `govreport.text` splits the section into a *problems* part and an *improvements* part, cuts \
each into statements (一是…二是…, （一）…, 1.…, or sentences), and tags every statement with themes from \
`govreport/data/themes.csv` (a keyword list you can edit). It also extracts keywords with jieba and measures how \
much text is shared between reports."""),
    *PREAMBLE,
    ("md", """\
## Statements and their themes

One row per statement; `themes` and `keywords` are `|`-separated (`df.themes.str.split("|")` gives lists)."""),
    ("code", '''\
from govreport import text

statements = text.stated_problems(corpus)
statements.insert(1, "report", statements["report_id"].astype(str).map(label_of))
statements[["report", "part", "n", "statement", "themes", "keywords"]].head(15)'''),
    ("code", '''\
themes = text.load_themes()
print(f"{text.theme_coverage(statements):.0%} of problem statements carry a theme other than 'other'")
themes.head(12)'''),
    ("code", '''\
counts = (
    statements.assign(theme=statements["themes"].str.split("|"))
    .explode("theme")
    .groupby(["part", "theme"])
    .size()
    .unstack("part", fill_value=0)
)
counts.sort_values(counts.columns[0], ascending=False)'''),
    ("md", """\
## Themes by year

Share of problem statements that mention each theme, per reporting year (a statement can carry several themes; \
`n` is the number of statements)."""),
    ("code", '''\
fig = plot.problem_themes(statements, reports, by="year")
save(fig, "04_stated_problems")
fig.govreport_data.head()'''),
    ("md", """\
## Themes by agency, and the improvements promised"""),
    ("code", '''\
fig = plot.problem_themes(statements, reports, by="agency")
save(fig, "04_problem_themes_by_agency");'''),
    ("code", '''\
fig = plot.problem_themes(statements, reports, by="year", part="improvement")
save(fig, "04_improvement_themes");'''),
    ("md", """\
## Keywords

TF-IDF keywords of each report's problems section (jieba, with a domain dictionary and stopwords shipped in \
`govreport/data/`)."""),
    ("code", '''\
kw = text.keywords(corpus, section="problems", top_k=8)
kw.assign(report=kw["report_id"].astype(str).map(label_of)).groupby("report", sort=False)["keyword"].agg(" · ".join).to_frame()'''),
    ("md", """\
## How similar are the problems sections?

Pairwise similarity of the problems sections (Jaccard similarity of character 3-grams, estimated with MinHash). \
High values between years of one agency point to text carried over from the previous report."""),
    ("code", '''\
sim = text.section_similarity(corpus, section="problems")
sim = sim.assign(
    report_a=sim["report_id_a"].astype(str).map(label_of),
    report_b=sim["report_id_b"].astype(str).map(label_of),
)
sim[["report_a", "report_b", "similarity"]].head(10)'''),
    ("md", """\
## Copied passages, year to year

For every agency with reports for several years, compare each report's narrative with the previous report and \
list the sentences that are (nearly) identical. Digits and punctuation are ignored, so a sentence whose wording is \
kept while its numbers are updated counts as copied — exactly the template reuse we are looking for. The tables \
are left out: from the 2019 form on, sections 二–四 are the tables, whose labels are the same every year by \
design (so is the pre-2019 统计表); in older reports those sections are prose and stay in."""),
    ("code", '''\
secs = corpus.sections.copy()
secs["report_id"] = secs["report_id"].astype(str)
secs["layout"] = secs["report_id"].map(dict(zip(reports["report_id"].astype(str), reports["layout"].astype("string"))))
code = secs["code"].astype("string")
is_table = (code == "statistics") | (
    secs["layout"].isin(["2019", "2021"]) & code.isin(["active_disclosure", "applications", "review_litigation"])
)
narrative = secs[~is_table.fillna(False)]

meta = corpus.reports.assign(report_id=corpus.reports["report_id"].astype(str)).dropna(subset=["agency", "year"])
pairs = []
for agency, group in meta.sort_values("year").groupby("agency"):
    ids = list(group["report_id"])
    pairs += list(zip(ids, ids[1:]))

found = [
    text.copied_passages(narrative[narrative["report_id"] == a], narrative[narrative["report_id"] == b], threshold=0.6)
    for a, b in pairs
]
copied = pd.concat(found, ignore_index=True) if found else text.copied_passages("", "")  # no pair: no row
copied["report_a"] = copied["report_id_a"].astype(str).map(label_of)
copied["report_b"] = copied["report_id_b"].astype(str).map(label_of)
print(len(pairs), "pairs of consecutive reports,", len(copied), "copied passages")
copied[["report_a", "report_b", "similarity", "passage_a", "passage_b"]].head(10)'''),
    ("md", """\
How much of each report's narrative was carried over from the previous report: characters of the report's \
sentences that have a near-copy in the previous one, over all characters of its narrative sections."""),
    ("code", '''\
import matplotlib
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

plot.use_cjk_font()
length = narrative.groupby("report_id")["text"].apply(lambda t: t.str.len().sum())
rows = []
for a, b in pairs:
    mine = copied[(copied["report_id_a"].astype(str) == a) & (copied["report_id_b"].astype(str) == b)]
    chars = mine.drop_duplicates(["section_b", "offset_b"])["passage_b"].str.len().sum() if len(mine) else 0
    rows.append({"pair": f"{label_of[a]} → {label_of[b].split()[-1]}", "copied_chars": chars, "chars": length.get(b, 0)})
carried = pd.DataFrame(rows, columns=["pair", "copied_chars", "chars"])
carried["share"] = carried["copied_chars"] / carried["chars"].where(carried["chars"] > 0)
display(carried)

if len(carried):
    with matplotlib.rc_context({"font.size": 9, "axes.spines.top": False, "axes.spines.right": False}):
        fig = Figure(figsize=(7.2, 0.9 + 0.35 * len(carried)), layout="constrained")
        ax = fig.add_subplot()
        ax.barh(carried["pair"], carried["share"].fillna(0), color="#cc78bc")
        for y, share in enumerate(carried["share"]):
            ax.text((0 if pd.isna(share) else share) + 0.01, y, "—" if pd.isna(share) else f"{share:.0%}", va="center")
        ax.invert_yaxis()
        ax.xaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_xlim(0, min(1.0, max(0.25, 1.25 * carried["share"].max(skipna=True) if carried["share"].notna().any() else 0)))
        ax.set_xlabel("与上一年报告几乎相同的文字所占比例\\nshare of the narrative copied from the previous report")
        ax.set_title("逐年沿用的文字")
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
    save(fig, "04_copied_text");'''),
]


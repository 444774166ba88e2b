"""Cells of 03_outcome_distributions.ipynb: tables 三 and 四 with their findings."""

from .shared import PREAMBLE

OUTCOMES = [
    ("md", """\
# 03 · Requests, outcomes, applicants, review and litigation (tables 三 and 四)

Table **三** counts the requests for government information an agency received (本年新收) and carried over \
(上年结转), and how it answered them: granted (予以公开), partly granted (部分公开), withheld (不予公开, with \
eight reasons), unavailable (无法提供 — above all **本机关不掌握相关政府信息**, \u201cthis agency does not hold the \
information\u201d, a frequent way of saying no), not processed (不予处理) and other (其他处理). Columns split the \
applicants into natural persons and kinds of organisations. Table **四** counts administrative reviews (行政复议) \
and lawsuits (行政诉讼) about disclosure decisions and their outcomes.

Every number below comes with the **validation findings** that concern it: a share computed from a table whose \
cells do not add up should not go into a paper unchecked."""),
    *PREAMBLE,
    ("md", """\
## Indicators per report

Definitions (from `govreport/data/indicators.csv`): shares are fractions of the requests processed in the year; \
rates per 100 are per 100 new requests; `<NA>` where a cell is missing or the denominator is zero (a report with \
no requests has no grant rate)."""),
    ("code", '''\
from govreport.checks.indicators import indicator_definitions, indicators

ind = indicators(corpus)
ind["report_id"] = ind["report_id"].astype(str)
measures = [
    "requests", "carried_over", "processed", "grant_rate", "not_held_share", "unavailable_share",
    "withheld_share", "not_processed_share", "natural_person_share", "backlog",
    "review_per_100_requests", "litigation_per_100_requests",
]
measures = [m for m in measures if m in ind.columns]
indicator_definitions().set_index("code").loc[measures, ["description", "unit"]]'''),
    ("md", """\
## The validation findings next to the numbers

For each report: the indicators, then the number of warnings and errors on table 三 (applications) and table 四 \
(review and litigation) and what they say. `applications.incomplete`, for instance, means some cells were \
printed blank; shares computed from such a table rest on fewer cells than the form has."""),
    ("code", '''\
# plain strings instead of the corpus' categorical codes, for grouping and joining
findings = corpus.findings.astype({"report_id": str, "table": "string", "check": str, "severity": str})
serious = findings[findings["severity"].isin(["error", "warning"])]


def flags(table):
    f = serious[serious["table"] == table]
    return f.groupby("report_id").agg(n=("check", "size"), checks=("check", lambda s: ", ".join(sorted(set(s)))))


t3, t4 = flags("applications"), flags("review_litigation")
side = ind[["report_id", *measures]].set_index("report_id")
side["table三 findings"] = t3["n"].reindex(side.index).fillna(0).astype(int)
side["table三 checks"] = t3["checks"].reindex(side.index).fillna("")
side["table四 findings"] = t4["n"].reindex(side.index).fillna(0).astype(int)
side["table四 checks"] = t4["checks"].reindex(side.index).fillna("")
side.index = [label_of[i] for i in side.index]
side.style.set_uuid("indicators").format(  # a fixed id: the same output on every run
    {m: "{:.1%}" for m in measures if m.endswith(("_share", "_rate"))} | {m: "{:.2f}" for m in measures if "per_100" in m},
    na_rep="<NA>",
).format({m: "{:,.0f}" for m in ["requests", "carried_over", "processed", "backlog"] if m in measures}, na_rep="<NA>")'''),
    ("md", """\
The full text of those findings, with the printed and the recomputed value:"""),
    ("code", '''\
detail = serious[serious["table"].isin(["applications", "review_litigation"])]
detail.assign(report=detail["report_id"].map(label_of))[
    ["report", "table", "check", "severity", "location", "reported", "recomputed", "message"]
]'''),
    ("md", """\
In the charts, reports that carry a warning or error on the table drawn are marked with **\\*** after the agency \
name (the `flagged=` argument of the chart functions); every chart that shows the marker says what it means."""),
    ("code", '''\
flag_t3 = set(t3.index)  # reports with a warning or error on table 三
flag_t4 = set(t4.index)  # … on table 四
label_t3 = {rid: label + ("*" if rid in flag_t3 else "") for rid, label in label_of.items()}'''),
    ("md", """\
## How requests were answered

Shares of all requests processed in the year ((七)总计); each bar gives the number of requests (n) it rests on. \
Reports without requests, or whose totals were not printed, and reports of fewer than 10 requests (`min_n`) are \
left out; the note under the chart counts them."""),
    ("code", '''\
fig = plot.outcome_shares(corpus.applications, corpus.reports, by="report", flagged=flag_t3)
save(fig, "03_outcome_shares")
fig.govreport_data.head()'''),
    ("md", """\
## 本机关不掌握: \u201cwe do not hold this information\u201d

The share of processed requests answered with 本机关不掌握相关政府信息 is watched closely by lawyers: a high share \
can mean misdirected requests, or an easy way to refuse."""),
    ("code", '''\
import matplotlib
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

plot.use_cjk_font()
MIN_N = 10  # a share of fewer requests is left out (and counted in the label of the axis)
nh = ind[["report_id", "not_held_share", "processed"]].dropna(subset=["not_held_share"])
small = nh[nh["processed"].astype("float64") < MIN_N]
nh = nh[nh["processed"].astype("float64") >= MIN_N]
nh = nh.assign(
    report=nh["report_id"].map(label_t3),
    share=nh["not_held_share"].astype("float64"),
).sort_values("share")

with matplotlib.rc_context({"font.size": 9, "axes.spines.top": False, "axes.spines.right": False}):
    fig = Figure(figsize=(7.2, 1.3 + 0.32 * len(nh)), layout="constrained")
    ax = fig.add_subplot()
    ax.barh(nh["report"], nh["share"], color="#029e73")
    for y, (share, n) in enumerate(zip(nh["share"], nh["processed"])):
        ax.text(share + 0.01, y, f"{share:.0%}（{int(n)} 件中）", va="center", fontsize=8)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_xlim(0, 1.15)
    ax.set_xlabel(
        "本机关不掌握相关政府信息 / 办理总数\\n"
        f"* 表三有校验警告或错误；未显示办理不足 {MIN_N} 件的 {len(small)} 份报告"
    )
    ax.set_title("“本机关不掌握”答复的比例")
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
save(fig, "03_not_held_share");'''),
    ("md", """\
## Who asks

The applicant columns of row 一、本年新收: natural persons (自然人) against commercial enterprises, research \
institutions, social-welfare organisations, legal-service organisations and other organisations."""),
    ("code", '''\
fig = plot.applicant_mix(corpus.applications, corpus.reports, by="report", flagged=flag_t3)
save(fig, "03_applicant_mix");'''),
    ("md", """\
## Review and litigation per 100 requests

Cases in table 四 per 100 new requests, on a linear axis from 0. Pre-2019 reports give only totals; a report whose \
table 四 carries a warning is marked with \\*, and reports of fewer than 10 requests are left out."""),
    ("code", '''\
fig = plot.review_litigation_rates(ind, by="report", flagged=flag_t4)
save(fig, "03_review_litigation");'''),
    ("md", """\
## Carried forward: the backlog

Requests carried into the next year (四、结转下年度继续办理) should reappear as 上年结转 in the next report. \
`validate_corpus` compares consecutive reports of the same agency:"""),
    ("code", '''\
from govreport.checks import validate_corpus

cross = validate_corpus(corpus)
cross.assign(report=cross["report_id"].astype(str).map(label_of))[
    ["report", "check", "status", "location", "reported", "recomputed", "message"]
]'''),
]


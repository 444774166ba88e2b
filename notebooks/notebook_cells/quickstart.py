"""Cells of 01_quickstart.ipynb: one report, then the corpus."""

from .shared import LABELS, LOAD_CORPUS, LOAD_MD, SETUP, SETUP_MD

QUICKSTART = [
    ("md", """\
# 01 · Quickstart: one report, then the corpus

Chinese government agencies publish a **政府信息公开工作年度报告** (annual report on government information \
disclosure) every year. Since 2019 the State Council prescribes its tables:

* table **二** 主动公开政府信息情况 — what the agency published on its own initiative (regulations, normative \
documents, licensing / penalty / coercion decisions, fees);
* table **三** 收到和处理政府信息公开申请情况 — requests for information received and how they were answered, \
by type of applicant;
* table **四** 政府信息公开行政复议、行政诉讼情况 — administrative reviews and lawsuits about disclosure;
* section **五** 存在的主要问题及改进情况 — the problems the agency admits and what it promises to do.

Reports before 2019 used a free-form 统计表 instead. `govreport` reads all of them — text, HTML, traditional or \
simplified script, tables glued together by a web crawler — into tidy pandas tables, and **checks the arithmetic**: \
every sum the official form implies is recomputed and each disagreement becomes a *finding*. Nothing is silently \
corrected; a missing cell is `<NA>`, never 0.

This notebook reads the folder of reports, then looks at one report and its parts, then back at the whole corpus."""),
    ("md", SETUP_MD),
    ("code", SETUP),
    ("md", LOAD_MD),
    ("code", LOAD_CORPUS),
    ("md", """\
## Read one report

`govreport.read_report` takes a path (or bytes, or a string) and returns a `Report`. We take the report named by \
the environment variable `GOVREPORT_REPORT` when it is set, else the first report of the corpus whose table 三 \
(requests) was read."""),
    ("code", '''\
if os.environ.get("GOVREPORT_REPORT"):
    report_file = Path(os.environ["GOVREPORT_REPORT"]).expanduser()
else:
    ok = corpus.reports[corpus.reports["status"].astype(str) == "ok"]
    with_table = ok[ok["report_id"].astype(str).isin(set(corpus.applications["report_id"].astype(str)))]
    report_file = Path((with_table if len(with_table) else ok)["file"].iloc[0])
print("report:", shown(report_file))
r = govreport.read_report(report_file)
r'''),
    ("md", """\
### Meta data

What the report says about itself: the agency (`agency`, in simplified characters), the reporting `year`, the \
`layout` of its tables (`2021` = the form in use since the 2021 reports, `2019` = the 2019–2020 form, \
`pre2019` = the older 统计表), the script and the date of publication when printed."""),
    ("code", "pd.Series(r.meta, dtype=object).to_frame('value')"),
    ("md", """\
### Sections

The report is cut at its numbered headings (一、二、…). `code` says what a section is about whatever its exact \
wording; `text` is the body of the section."""),
    ("code", '''\
sections = r.sections.assign(characters=r.sections["text"].str.len())
sections[["number", "title", "code", "characters"]]'''),
    ("md", """\
### Table 三: requests and how they were handled

Every table is *tidy*: one row per cell, with the row code (`row`), the column code (`applicant`), the number \
(`value`) and the cell text as printed (`raw`). Row codes are stable across layouts: `new_received` is \
一、本年新收政府信息公开申请数量, `granted` is (一)予以公开, `unavailable.not_held` is 1.本机关不掌握相关政府信息, and so on."""),
    ("code", "r.applications.head(12)"),
    ("md", """\
For reading, pivot it back into the printed shape (rows in the order of the form, one column per type of applicant):"""),
    ("code", '''\
apps = r.applications
table3 = apps.pivot(index="row", columns="applicant", values="value")
table3 = table3.reindex(index=apps["row"].unique(), columns=apps["applicant"].unique())
table3'''),
    ("md", """\
### Table 二 (proactive disclosure) and table 四 (review and litigation)"""),
    ("code", '''\
r.active_disclosure.pivot_table(index="category", columns="metric", values="value", aggfunc="sum", sort=False)'''),
    ("code", '''\
rl = r.review_litigation
rl.pivot(index="procedure", columns="outcome", values="value").reindex(
    index=rl["procedure"].unique(), columns=rl["outcome"].unique()
)'''),
    ("md", """\
### Findings: what the checks say

Each finding names the table, the cell (`location`), the check, its `severity` (`error` = the numbers cannot \
all be right, `warning` = a value may be wrong or incomplete, `info` = how a value was read) and keeps the printed \
value (`reported`) next to the recomputed one (`recomputed`). Read the warnings before using a number in a paper."""),
    ("code", '''\
r.findings[["table", "location", "check", "severity", "status", "reported", "recomputed", "message"]]'''),
    ("md", """\
`r.tables()` returns all tables of the report in a dict, ready for `pd.ExcelWriter` or `to_csv`:"""),
    ("code", "{name: table.shape for name, table in r.tables().items()}"),
    ("md", """\
## Back to the corpus

One row per file: what each report says about itself, and how many findings of each severity it carries."""),
    ("code", LABELS + '''

cols = ["report_id", "agency", "year", "layout", "level", "kind", "status", "n_error", "n_warning", "n_info"]
corpus.reports[[c for c in cols if c in corpus.reports.columns]]'''),
    ("md", """\
`corpus.summary()` counts reports, layouts and findings; `corpus.errors` lists the files that could not be read \
(one bad file never stops a run)."""),
    ("code", "corpus.summary()"),
    ("code", "corpus.errors"),
    ("md", """\
### Which reports need a closer look?

Findings by report and severity. Reports scraped from web pages with glued table cells or converted from PDF \
carry more warnings than clean ones: the chart tells where to check the numbers by hand."""),
    ("code", '''\
findings = corpus.findings.copy()
findings["report_id"] = findings["report_id"].astype(str)
severities = ["error", "warning", "info"]
by_report = (
    pd.crosstab(findings["report_id"], findings["severity"].astype(str))
    .reindex(index=reports["report_id"].astype(str), columns=severities, fill_value=0)
    .fillna(0)
    .astype(int)
)
by_report.index = [label_of[i] for i in by_report.index]
by_report = by_report.sort_values(severities, ascending=True)
by_report'''),
    ("code", '''\
import matplotlib
from matplotlib.figure import Figure

plot.use_cjk_font()  # Chinese labels: the font registered by govreport.plot
colours = {"error": "#d55e00", "warning": "#e69f00", "info": "#bbbbbb"}
names = {"error": "错误 error", "warning": "警告 warning", "info": "说明 info"}

with matplotlib.rc_context({"axes.spines.top": False, "axes.spines.right": False, "font.size": 9}):
    fig = Figure(figsize=(7.2, 0.8 + 0.32 * len(by_report)), layout="constrained")
    ax = fig.add_subplot()
    left = pd.Series(0, index=by_report.index)
    for severity in severities:
        ax.barh(by_report.index, by_report[severity], left=left, color=colours[severity], label=names[severity])
        left = left + by_report[severity]
    ax.set_xlabel("校验结果数量（条） · number of findings")
    ax.set_title("各报告的校验结果 · findings per report")
    ax.legend(frameon=False, loc="lower right")
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
save(fig, "01_quickstart_findings");'''),
    ("md", """\
## Next

* `02_disclosure_volumes.ipynb` — table 二 across agencies and years;
* `03_outcome_distributions.ipynb` — requests, outcomes, applicants, review and litigation, with the findings \
next to the numbers;
* `04_stated_problems.ipynb` — what agencies say is wrong, and how much of it is copied from year to year."""),
]


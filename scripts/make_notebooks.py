#!/usr/bin/env python
"""Write the tutorial notebooks in notebooks/ from the cell sources below.

    python scripts/make_notebooks.py          # (re)write notebooks/*.ipynb
    python scripts/make_notebooks.py --check  # exit 1 if a stored notebook differs

The notebooks are stored without outputs (``execution_count`` null, ``outputs``
empty) and validated with :func:`nbformat.validate`.  Edit the cells here, not
in JupyterLab, and regenerate, so that the stored notebooks stay clean and
reviewable.  Every notebook:

* takes its reports from ONE place: the folder named by the environment variable
  ``GOVREPORT_DATA`` (any folder on disk, reports in any format), else the bundled
  ``data/raw`` of the checkout it runs in (found by walking up from the working
  directory);
* parses that folder with :func:`govreport.corpus.read_corpus` (with the parse
  cache, so a second run is fast) and shows the corpus it loaded first;
* writes its figures with :func:`govreport.plot.save_figure` to ``$GOVREPORT_FIGURES``
  (default ``<root>/figures``) as ``<notebook>_<chart>.{pdf,svg,png}``, after checking
  with :func:`govreport.plot.clipped_text` that no text leaves the canvas.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"

# --------------------------------------------------------------------------- shared cells

SETUP = '''\
import io
import os
from pathlib import Path

import pandas as pd
from IPython.display import Image, display

import govreport
from govreport import plot
from govreport.corpus import read_corpus


def find_root(start=None):
    """The nearest folder at or above `start` (default: the working directory) holding data/raw, else None."""
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "data" / "raw").is_dir():
            return folder
    return None


ROOT = find_root()  # the govreport checkout this notebook runs in (None outside one)
# The one place the reports come from: $GOVREPORT_DATA (any folder, any formats), else the bundled data/raw.
if os.environ.get("GOVREPORT_DATA"):
    DATA = Path(os.environ["GOVREPORT_DATA"]).expanduser().resolve()
elif ROOT is not None:
    DATA = ROOT / "data" / "raw"
else:
    raise FileNotFoundError("set GOVREPORT_DATA to a folder of reports, or start Jupyter inside the govreport repository")
# Charts go to $GOVREPORT_FIGURES, else to figures/ of the checkout (or of the working directory).
FIGURES = Path(os.environ.get("GOVREPORT_FIGURES") or (ROOT or Path.cwd()) / "figures").expanduser().resolve()
FIGURES.mkdir(parents=True, exist_ok=True)

pd.set_option("display.max_columns", 40)
pd.set_option("display.width", 200)
pd.set_option("display.max_colwidth", 80)


def shown(path):
    """`path` relative to the checkout when inside it, else as it is (never raises)."""
    path = Path(path)
    return path.relative_to(ROOT) if ROOT is not None and path.is_relative_to(ROOT) else path


def save(fig, name):
    """Check that no text of `fig` is clipped, write it as <FIGURES>/<name>.pdf, .svg and .png, and show it."""
    clipped = plot.clipped_text(fig)
    if clipped:
        raise ValueError(f"{name}: text outside the figure: {clipped}")
    paths = plot.save_figure(fig, FIGURES / name)
    print("wrote", ", ".join(p.name for p in paths), "to", shown(FIGURES))
    png = io.BytesIO()
    fig.savefig(png, format="png", dpi=110, facecolor="white")  # a light copy to show inline
    display(Image(data=png.getvalue(), width=720))
    return paths


print("reports from", shown(DATA))'''

LOAD_CORPUS = '''\
corpus = read_corpus(DATA, progress=False)  # every report of the folder; unchanged files come from the cache
corpus'''

LABELS = '''\
# A readable label per report: agency and year. A report that does not name its agency gets 机构不详 ("agency unknown").
reports = corpus.reports.copy()
reports["agency"] = reports["agency"].astype("string").fillna("（机构不详）")
reports["label"] = reports["agency"] + " " + reports["year"].astype("string").fillna("?")
label_of = dict(zip(reports["report_id"].astype(str), reports["label"]))'''

SETUP_MD = """\
## Setup

The reports come from **one place**: the folder named by the environment variable `GOVREPORT_DATA` (any folder on \
disk; text, HTML, PDF, Word or scanned reports), else the bundled `data/raw` of this repository. To run this \
notebook on your own reports, start Jupyter with `GOVREPORT_DATA=/path/to/reports jupyter lab` — nothing in the \
notebook needs editing. `save()` checks that no text of a chart is clipped and writes it as PDF (fonts embedded), \
SVG and 300-dpi PNG into `figures/` (or `$GOVREPORT_FIGURES`)."""

LOAD_MD = """\
## The corpus

`read_corpus` parses every report of the folder (a few seconds for a dozen; a file parsed before comes from the \
cache). `corpus` holds the same tables as a single report, concatenated, each row carrying a `report_id`, plus \
`corpus.reports` (one row per file) and `corpus.errors` (files that could not be read)."""


def nb(cells: list[tuple[str, str]], title: str) -> nbformat.NotebookNode:
    notebook = new_notebook()
    notebook.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    out = []
    for i, (kind, source) in enumerate(cells):
        cell = new_markdown_cell(source) if kind == "md" else new_code_cell(source)
        cell["id"] = f"{title}-{i:02d}"
        out.append(cell)
    notebook.cells = out
    return notebook


# ------------------------------------------------------------------------ 01 quickstart

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

# -------------------------------------------------------------- 02 disclosure volumes

VOLUMES = [
    ("md", """\
# 02 · Proactive disclosure and administrative decisions (table 二)

Table **二 主动公开政府信息情况** counts what an agency published without being asked: regulations (规章) and \
normative documents (行政规范性文件) issued, repealed and in force; the number of licensing (行政许可), penalty \
(行政处罚) and coercion (行政强制) decisions; fees collected (行政事业性收费). Reports before 2019 instead give a \
统计表 whose first line is the number of items disclosed (主动公开政府信息数), and many reports also *state* a \
volume in the prose (\u201c主动公开政府信息18条\u201d).

Counts span several orders of magnitude (a housing office with five licences, a zone with ten thousand), so the \
trend chart draws lines and points on logarithmic axes (a bar needs a baseline, and on a log axis every baseline is \
arbitrary); a reported 0, which a log axis cannot show, is an open circle on the axis. Years lie on a numeric axis: \
a year without a report is a gap. A missing value (`<NA>`: not printed, or not part of that year's form) is left out, \
never drawn as zero."""),
    ("md", SETUP_MD),
    ("code", SETUP),
    ("md", LOAD_MD),
    ("code", LOAD_CORPUS),
    ("code", LABELS),
    ("md", """\
## The tidy table

One row per cell of table 二: `category` (licensing, penalty, normative_document, …), `metric` (decisions, \
issued, repealed, in_force, …), the number and the printed text. Pre-2019 reports contribute the mapped line \
`proactive / items` from their 统计表 (`mapped` is True)."""),
    ("code", '''\
active = corpus.active_disclosure.copy()
active["report"] = active["report_id"].astype(str).map(label_of)
active.head(10)'''),
    ("code", '''\
# Which categories and metrics does each layout report?
layouts = reports.set_index(reports["report_id"].astype(str))["layout"].astype("string")
active["layout"] = active["report_id"].astype(str).map(layouts)
pd.crosstab([active["category"].astype(str), active["metric"].astype(str)], active["layout"])'''),
    ("md", """\
## One row per report: `indicators`

`govreport.indicators.indicators(corpus)` computes comparable numbers per report from the definitions in \
`govreport/data/indicators.csv` (one formula per layout, so a 2017 value and a 2023 value measure the same thing). \
The volume columns:"""),
    ("code", '''\
from govreport.checks.indicators import indicator_definitions, indicators

ind = indicators(corpus)
volume_cols = [
    "licensing_decisions", "penalty_decisions", "coercion_decisions", "normative_in_force",
    "proactive_items_stated", "proactive_items_table",
]
volume_cols = [c for c in volume_cols if c in ind.columns]
definitions = indicator_definitions().set_index("code")
definitions.loc[volume_cols, ["description", "unit"]]'''),
    ("code", '''\
volumes = ind[["report_id", "agency", "year", "layout", *volume_cols]].copy()
volumes.insert(0, "report", volumes["report_id"].astype(str).map(label_of))
volumes.sort_values(["agency", "year"])'''),
    ("md", """\
## Volumes across years

`govreport.plot.disclosure_volumes` draws one panel per measure, years on the x axis and one line per agency. \
Trends need several reports of one agency, so the chart keeps the agencies with reports for at least two years \
(all agencies when none has). `fig.govreport_data` holds exactly the numbers drawn, for the appendix of a paper."""),
    ("code", '''\
years_per_agency = ind.groupby("agency")["year"].nunique()
series = years_per_agency[years_per_agency >= 2].index
trend = ind[ind["agency"].isin(series)] if len(series) else ind
print("agencies drawn:", ", ".join(trend["agency"].dropna().unique()))
fig = plot.disclosure_volumes(trend, by="agency", log=True)
save(fig, "02_disclosure_volumes")
fig.govreport_data.head()'''),
    ("md", """\
## Across agencies: report × measure

To compare agencies, a heat-map table reads better than bars: each cell is printed, colour follows the \
logarithm of the count, grey means *not reported* (as opposed to a printed 0, which is white)."""),
    ("code", '''\
import matplotlib
import numpy as np
from matplotlib.figure import Figure

plot.use_cjk_font()
measures = [c for c in volume_cols if ind[c].notna().any()]
grid = ind.set_index(ind["report_id"].astype(str))[measures].astype("float64")
grid = grid[grid.notna().any(axis=1)]
order = reports.assign(rid=reports["report_id"].astype(str)).set_index("rid").loc[grid.index]
grid = grid.loc[order.sort_values(["agency", "year"]).index]
grid.index = [label_of[i] for i in grid.index]
grid.columns = [plot.label("volume", c) for c in grid.columns]

values = grid.to_numpy()
shade = np.log10(np.where(np.isnan(values), np.nan, values + 1))
with matplotlib.rc_context({"font.size": 8}):
    fig = Figure(figsize=(7.2, 1.2 + 0.3 * len(grid)), layout="constrained")
    ax = fig.add_subplot()
    cmap = matplotlib.colormaps["Blues"].with_extremes(bad="#d9d9d9")  # grey = not reported, white = a printed 0
    ax.imshow(np.ma.masked_invalid(shade), cmap=cmap, aspect="auto", vmin=0, vmax=np.nanmax(shade) * 1.15)
    for (i, j), v in np.ndenumerate(values):
        if not np.isnan(v):
            dark = shade[i, j] > np.nanmax(shade) * 0.7
            ax.text(j, i, f"{v:,.0f}", ha="center", va="center", color="white" if dark else "black")
    ax.set_xticks(range(grid.shape[1]), grid.columns, rotation=20, ha="right")
    ax.set_yticks(range(grid.shape[0]), grid.index)
    ax.tick_params(length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    ax.set_title("主动公开与行政决定数量（灰色 = 未报告）")
save(fig, "02_volumes_table");'''),
    ("md", """\
## Stated in the prose versus printed in the table

Agencies often state the number of items disclosed in the text. `govreport.text.stated_volumes` finds such \
statements and maps them to subjects; the comparison with the table values is a cheap plausibility check \
(a report may count only its website, or add several channels)."""),
    ("code", '''\
from govreport import text

stated = text.stated_volumes(corpus)
stated = stated[stated["subject"].astype("string") == "proactive_items"]
stated.assign(report=stated["report_id"].astype(str).map(label_of))[
    ["report", "section", "quantity", "unit", "phrase", "sentence"]
].head(15)'''),
    ("md", """\
## Cross-year checks

The number of normative documents in force this year should equal last year's number plus those issued minus \
those repealed. `govreport.checks.validate_corpus` runs such checks for consecutive reports of the same agency; \
`not_assessable` means a cell needed for the check was not printed."""),
    ("code", '''\
from govreport.checks import validate_corpus

cross = validate_corpus(corpus)
cross.assign(report=cross["report_id"].astype(str).map(label_of))[
    ["report", "check", "severity", "status", "location", "reported", "recomputed", "message"]
]'''),
]

# ------------------------------------------------------------ 03 outcome distributions

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
    ("md", SETUP_MD),
    ("code", SETUP),
    ("md", LOAD_MD),
    ("code", LOAD_CORPUS),
    ("code", LABELS),
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
side.style.format(
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

# ------------------------------------------------------------------ 04 stated problems

PROBLEMS = [
    ("md", """\
# 04 · Stated problems: themes, keywords and copied text

Section **五 存在的主要问题及改进情况** (in older reports often the last section, 存在的主要问题和改进措施) is where an \
agency says what went wrong and what it will do about it. It is the only self-assessment in the report, and much of \
it is boilerplate. `govreport.text` splits the section into a *problems* part and an *improvements* part, cuts \
each into statements (一是…二是…, （一）…, 1.…, or sentences), and tags every statement with themes from \
`govreport/data/themes.csv` (a keyword list you can edit). It also extracts keywords with jieba and measures how \
much text is shared between reports."""),
    ("md", SETUP_MD),
    ("code", SETUP),
    ("md", LOAD_MD),
    ("code", LOAD_CORPUS),
    ("code", LABELS),
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
copied = pd.concat(found, ignore_index=True) if found else pd.DataFrame(columns=["report_id_a", "report_id_b"])
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
        ax.set_xlabel("与上一年报告几乎相同的文字所占比例 · share of the narrative copied from the previous report")
        ax.set_title("逐年沿用的文字")
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
    save(fig, "04_copied_text");'''),
]

# ------------------------------------------------------------------ 05 compare agencies

COMPARE = [
    ("md", """\
# 05 · Comparing agencies: requests, outcomes and stated problems, year by year

Pick two or more agencies (or every agency of a province) in the first cell and this notebook puts them side by \
side: how many requests they received, how they answered them, how often they were taken to review or to court, \
and what problems they admit, over the years. Nothing else needs editing; the defaults exist in the bundled \
`data/raw`, and on a folder without those agencies the notebook compares the agencies with the most reports."""),
    ("code", '''\
import os

# Parameters: the agencies to compare (as named in corpus.reports.agency), or a province (then AGENCIES is ignored).
# The environment variables GOVREPORT_AGENCIES ("A;B;C") and GOVREPORT_PROVINCE override them.
AGENCIES = ["平潭综合实验区", "上海市人民政府办公厅", "上海市科委"]
PROVINCE = None  # e.g. "上海市"

if os.environ.get("GOVREPORT_AGENCIES"):
    AGENCIES = [a.strip() for a in os.environ["GOVREPORT_AGENCIES"].split(";") if a.strip()]
PROVINCE = os.environ.get("GOVREPORT_PROVINCE") or PROVINCE'''),
    ("md", SETUP_MD),
    ("code", SETUP),
    ("md", LOAD_MD),
    ("code", LOAD_CORPUS),
    ("md", """\
## The agencies compared

The reports of the chosen agencies (or province). `only()` keeps the rows of any corpus table that belong to them, \
so every table below speaks for the same reports."""),
    ("code", '''\
reports = corpus.reports[corpus.reports["status"].astype(str) == "ok"].copy()
reports["report_id"] = reports["report_id"].astype(str)
reports["agency"] = reports["agency"].astype("string")
if PROVINCE:
    chosen = reports[reports["province"].astype("string") == PROVINCE]
else:
    chosen = reports[reports["agency"].isin(AGENCIES)]
if chosen["agency"].nunique() < 2:
    most = reports.dropna(subset=["agency"]).groupby("agency")["report_id"].nunique()
    top = list(most.sort_values(ascending=False, kind="stable").index[:3])
    print(f"{PROVINCE or AGENCIES}: fewer than two agencies in this corpus; comparing {top} instead")
    chosen = reports[reports["agency"].isin(top)]
ids = set(chosen["report_id"])


def only(table):
    """The rows of `table` that belong to the chosen reports."""
    return table[table["report_id"].astype(str).isin(ids)]


chosen[["report_id", "agency", "year", "layout", "province", "level", "n_warning", "n_error"]].sort_values(["agency", "year"])'''),
    ("md", """\
## Requests and outcomes, agency × year

From `govreport.checks.indicators`: requests received (本年新收), requests processed, the grant rate, the share \
answered 本机关不掌握 (not held), and review and litigation cases per 100 requests. `<NA>` means not printed (or a \
denominator of 0), never 0. A blank year is a year without a report."""),
    ("code", '''\
from govreport.checks.indicators import indicators

ind = only(indicators(corpus)).copy()
ind["agency"] = ind["agency"].astype("string")
columns = ["requests", "processed", "grant_rate", "not_held_share", "review_per_100_requests",
           "litigation_per_100_requests"]
columns = [c for c in columns if c in ind.columns]
side = ind.pivot_table(index="year", columns="agency", values=columns, aggfunc="first", dropna=False)
side = side.reindex(range(int(ind["year"].min()), int(ind["year"].max()) + 1))
side'''),
    ("md", """\
Requests over the years, one line per agency: lines and points on a log axis (the agencies differ by orders of \
magnitude), a year without a report is a gap in the line, a reported 0 an open circle on the axis."""),
    ("code", '''\
fig = plot.disclosure_volumes(ind, by="agency", metrics=["requests"], log=True)
save(fig, "05_requests_by_agency")
fig.govreport_data[["agency", "year", "value"]]'''),
    ("md", """\
How each report's requests were answered. Bars give their n; reports of fewer than 10 requests are left out \
(the note counts them); reports with a warning on table 三 are marked \\*."""),
    ("code", '''\
findings = only(corpus.findings)
warned = findings["severity"].astype(str).isin(["warning", "error"]) & (findings["table"].astype("string") == "applications")
fig = plot.outcome_shares(only(corpus.applications), chosen, by="report", flagged=set(findings.loc[warned, "report_id"].astype(str)))
save(fig, "05_outcomes_by_agency")
fig.govreport_data.pivot_table(index="group", columns="code", values="share").round(3)'''),
    ("md", """\
## Stated problems, side by side

Section 五 cut into statements and tagged with themes (see `04_stated_problems`): the share of each agency's \
problem statements per theme, then the statements themselves, agency by agency and year by year."""),
    ("code", '''\
from govreport import text

statements = only(text.stated_problems(corpus)).copy()
statements["report_id"] = statements["report_id"].astype(str)
meta = chosen.set_index("report_id")
statements["agency"] = statements["report_id"].map(meta["agency"])
statements["year"] = statements["report_id"].map(meta["year"])
problems = statements[statements["part"].astype(str) == "problem"]
print(len(problems), "problem statements in", problems["report_id"].nunique(), "reports")
if problems["agency"].nunique() >= 1:
    fig = plot.problem_themes(statements, chosen, by="agency")
    save(fig, "05_problem_themes_by_agency")'''),
    ("code", '''\
problems.sort_values(["agency", "year", "n"])[["agency", "year", "n", "statement", "themes"]]'''),
]

NOTEBOOKS_CELLS = {
    "01_quickstart.ipynb": QUICKSTART,
    "02_disclosure_volumes.ipynb": VOLUMES,
    "03_outcome_distributions.ipynb": OUTCOMES,
    "04_stated_problems.ipynb": PROBLEMS,
    "05_compare_agencies.ipynb": COMPARE,
}


def build() -> dict[str, str]:
    """File name -> notebook JSON text."""
    out = {}
    for name, cells in NOTEBOOKS_CELLS.items():
        notebook = nb(cells, name.split("_")[0])
        nbformat.validate(notebook)
        out[name] = nbformat.writes(notebook) + "\n"
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare with the stored notebooks")
    parser.add_argument("--out", type=Path, default=NOTEBOOKS, help="folder to write to (default notebooks/)")
    args = parser.parse_args(argv)
    stale = []
    for name, content in build().items():
        path = args.out / name
        if args.check:
            if not path.is_file() or path.read_text(encoding="utf-8") != content:
                stale.append(name)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
        print("wrote", path)
    if stale:
        print("out of date (run scripts/make_notebooks.py):", ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

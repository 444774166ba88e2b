"""Cells of 02_disclosure_volumes.ipynb: table 二 across agencies and years."""

from .shared import PREAMBLE

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
    *PREAMBLE,
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


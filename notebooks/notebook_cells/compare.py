"""Cells of 05_compare_agencies.ipynb: two or more agencies (or a province) side by side over the years."""

from .shared import LABELS, LOAD_CORPUS, LOAD_MD, SETUP, SETUP_MD  # noqa: F401 - not every notebook uses all

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
fig = plot.disclosure_volumes(ind, by="agency", measures=["requests"], log=True)
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


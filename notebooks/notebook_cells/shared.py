"""Cells shared by every tutorial notebook: setup (one folder from GOVREPORT_DATA), loading, labels."""

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



#: The opening of a notebook that needs the whole corpus and its labels: setup, loading, labels.
PREAMBLE = [("md", SETUP_MD), ("code", SETUP), ("md", LOAD_MD), ("code", LOAD_CORPUS), ("code", LABELS)]

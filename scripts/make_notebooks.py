#!/usr/bin/env python
"""Write the tutorial notebooks in notebooks/ from the cell sources in notebooks/notebook_cells/.

    python scripts/make_notebooks.py          # (re)write notebooks/*.ipynb
    python scripts/make_notebooks.py --check  # exit 1 if a stored notebook differs

The notebooks are stored without outputs (``execution_count`` null, ``outputs``
empty) and validated with :func:`nbformat.validate`.  Edit the cells there, not
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

# the cell sources live beside the notebooks, one module per notebook
sys.path.insert(0, str(NOTEBOOKS))
from notebook_cells.compare import COMPARE
from notebook_cells.outcomes import OUTCOMES
from notebook_cells.problems import PROBLEMS
from notebook_cells.quickstart import QUICKSTART
from notebook_cells.volumes import VOLUMES


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

"""The cell sources of the tutorial notebooks, one module per notebook (written to notebooks/*.ipynb by scripts/make_notebooks.py)."""

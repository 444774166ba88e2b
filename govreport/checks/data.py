"""The checks' data files (``govreport/data/*.csv``), read once as strings."""
from __future__ import annotations

from functools import lru_cache

import pandas as pd

from .. import datafiles

__all__ = ["read_data_csv", "checks_table", "check_rows", "severity_of", "split_list"]


def read_data_csv(name: str) -> pd.DataFrame:
    """``govreport/data/<name>`` as strings (an empty cell is ``''``)."""
    return datafiles.frame(name)


def split_list(value: str) -> tuple[str, ...]:
    """A ``|``-separated list cell as a tuple (empty cell: empty tuple)."""
    return tuple(v.strip() for v in (value or "").split("|") if v.strip())


@lru_cache(maxsize=None)
def checks_table() -> pd.DataFrame:
    """``checks.csv``: every check the package emits, with its formula and layouts."""
    return read_data_csv("checks.csv")


@lru_cache(maxsize=None)
def check_rows(kind: str) -> tuple[dict[str, str], ...]:
    """The rows of ``checks.csv`` of one ``kind`` (identity, complete, range …), in file order."""
    t = checks_table()
    return tuple(r for r in t.to_dict("records") if r["kind"] == kind)


@lru_cache(maxsize=None)
def severity_of() -> dict[str, str]:
    """check code → severity of a failure."""
    t = checks_table()
    return dict(zip(t["code"], t["severity"]))

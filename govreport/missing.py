"""The one test of "is this value missing", for single values (a Series keeps ``.isna()``).

Missing is ``None``, ``pd.NA``, a float NaN (Python or numpy) and ``NaT``; never ``0`` and never
``""`` (a blank cell's text is data: its value is what is missing). It is on the validation hot
path, so the plain Python values that records hold are decided before pandas is asked.
"""
from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["is_na", "number"]


def is_na(v: Any) -> bool:
    """True for None, NA, NaN and NaT; False for any other value, and for a list, array or
    Series (a collection is not one missing value)."""
    if v is None or v is pd.NA:
        return True
    t = type(v)
    if t is str or t is int or t is bool:
        return False
    if t is float:
        return v != v
    try:
        r = pd.isna(v)
    except (TypeError, ValueError):
        return False
    return r if type(r) is bool else False


def number(v: Any) -> float | None:
    """A cell value as a float, or None when it is missing or no number (``"12"`` → 12.0,
    NaN → None, ``"-"`` → None); as fast as :func:`is_na` on the floats records hold."""
    if type(v) is float:
        return None if v != v else v
    if is_na(v):
        return None
    try:
        return float(v)
    except (TypeError, ValueError):
        return None

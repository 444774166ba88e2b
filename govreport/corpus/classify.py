"""Glue to :mod:`govreport.agency`: the agency classification columns of ``reports``."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

from ..missing import is_na

#: The classification fields copied into ``reports``.
CLASS_FIELDS = ("level", "kind", "sector", "province", "prefecture", "county")


@lru_cache(maxsize=1)
def _classifier() -> Callable[..., Any] | None:
    try:
        from ..agency import classify_agency
    except ImportError:  # pragma: no cover - the agency stage is part of the package
        return None
    return classify_agency


def classify(name: str | None, text: str | None) -> dict:
    """The classification of an agency name (and its report's text); {} when nothing is known."""
    fn = _classifier()
    if fn is None:
        return {}
    try:
        out = fn(name, text=text)
        return dict(out) if out else {}
    except Exception:  # noqa: BLE001 - a classifier bug must not lose the report
        return {}


def region_from(cls: Mapping[str, Any]) -> str | None:
    """The most specific place of a classification: county, prefecture, then province."""
    for key in ("county", "prefecture", "province"):
        v = cls.get(key)
        if not is_na(v) and v:
            return str(v)
    return None

"""Checks across years: the same agency's reports of consecutive years, from ``checks.csv``.

A ``cross_year`` check is an identity whose lower-case references are the previous year's
cells (``A:carried_over:{c} = a:carried_forward:{c}``). It applies when both reports' layouts
are in its ``layouts`` column and both print the table; it is reported in the later report.
"""
from __future__ import annotations

from collections.abc import Iterable

from ..findings import Finding
from .arithmetic import applies, check_identity
from .cells import KIND_OF_TABLE, CellResolver
from .data import check_rows

__all__ = ["PairResolver", "pairs", "run"]


class PairResolver:
    """References of a cross-year formula: upper case on this year's report, lower case on the previous one."""

    def __init__(self, current: CellResolver, previous: CellResolver) -> None:
        self.current, self.previous = current, previous

    def value(self, kind: str, a: str, b: str | None) -> float | None:
        if kind.islower():
            return self.previous.value(kind.upper(), a, b)
        return self.current.value(kind, a, b)


def pairs(resolvers: Iterable[tuple[str | None, CellResolver]]) -> list[tuple[str, int, tuple, tuple]]:
    """``(agency, year, (previous id, resolver), (current id, resolver))`` for every agency
    that reports in two consecutive years (the first report of an agency and year wins)."""
    by_agency: dict[str, dict[int, tuple[str | None, CellResolver]]] = {}
    for rid, res in resolvers:
        agency, year = res.meta.get("agency"), res.meta.get("year")
        if not agency or year is None:
            continue
        try:
            year = int(year)
        except (TypeError, ValueError):
            continue
        by_agency.setdefault(str(agency), {}).setdefault(year, (rid, res))
    out = []
    for agency, years in by_agency.items():
        for year in sorted(years):
            if year - 1 in years:
                out.append((agency, year, years[year - 1], years[year]))
    return out


def run(previous: CellResolver, current: CellResolver, out: list[Finding], include_passes: bool,
        prefix: str = "") -> None:
    """Every cross-year check that applies to this pair of reports."""
    pair = PairResolver(current, previous)
    for rule in check_rows("cross_year"):
        if not (applies(rule, previous.layout) and applies(rule, current.layout)):
            continue
        kind = KIND_OF_TABLE[rule["table"]]
        if not previous.grids[kind] or not current.grids[kind]:
            continue
        found: list[Finding] = []
        check_identity(rule, current, found, include_passes, evaluator=pair)
        for f in found:
            f.message = prefix + f.message
        out.extend(found)

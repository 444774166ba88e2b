"""Range checks on single cells (PUDL-style bounds), from ``checks.csv``.

Kind ``cell``: a bound on every printed cell of a table (``value >= 0``, ``value = round(value)``,
``value <= 100``), on the cells that pass the ``where`` filter (``metric!=change``,
``unit_kind=count``, ``unit=%|％``; ``unit_kind`` is the kind of the cell's unit in units.csv).
Kind ``pair``: a bound between two columns of one row (``value_cumulative >= value_year``: a
cumulative count of the pre-2019 统计指标 is at least this year's).

A finding sits on the offending cell with the printed value in ``reported`` and the bound in
``recomputed``. A blank cell is no range finding (the completeness checks say it is blank).
Rows of tables 二/三/四 marked ``mapped`` are copies of a 统计指标 cell: the original is checked.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from ..findings import Finding
from . import emit
from .arithmetic import rules_for
from .cells import CellResolver, money_metrics, unit_kind
from .data import split_list
from .formula import evaluate, function, holds, split_relation, violations
from ..missing import is_na
from .view import Rows, key, num

__all__ = ["KEYS", "run"]

#: table → (row key, column key) that locate a cell
KEYS: dict[str, tuple[str, str]] = {
    "applications": ("row", "applicant"),
    "review_litigation": ("procedure", "outcome"),
    "active_disclosure": ("category", "metric"),
    "statistics": ("indicator", "column"),
}


_VARIABLE = re.compile(r"\bvalue_(\w+)")


class _NoRefs:
    """Range formulas use variables only: a cell reference in one is a data error."""

    def value(self, kind: str, a: str, b: str | None) -> float | None:
        raise ValueError(f"a range check cannot refer to cells ({kind}:{a}:{b})")


def _attributes(table: str, tab: Rows, rec: tuple, layout: str | None) -> dict[str, str]:
    """What a ``where`` filter may test: the record's text columns and ``unit_kind``."""
    attrs = {c: ("" if is_na(v) else str(v)) for c, v in zip(tab.columns, rec) if c not in ("value", "raw")}
    if table == "statistics":
        attrs["unit_kind"] = unit_kind(attrs.get("unit"))
    elif table == "active_disclosure":
        attrs["unit_kind"] = "money" if attrs.get("metric") in money_metrics(layout) else "count"
    else:
        attrs["unit_kind"] = "count"
    return attrs


@lru_cache(maxsize=None)
def _conditions(where: str) -> tuple[tuple[str, bool, frozenset[str]], ...]:
    """``key=a|b`` (one of), ``key!=a|b`` (none of); conditions joined by ``;``."""
    out = []
    for cond in filter(None, (c.strip() for c in where.split(";"))):
        negate = "!=" in cond
        k, v = cond.split("!=" if negate else "=", 1)
        out.append((k.strip(), negate, frozenset(split_list(v))))
    return tuple(out)


def _passes(where: str, attrs: Mapping[str, str]) -> bool:
    return all((attrs.get(k, "") in values) != negate for k, negate, values in _conditions(where))


def _message(label: str, v: float, raw: str, lhs: str, rel: str, bound: float) -> str:
    return f"{label} {emit.fmt(v)} (printed {raw!r}): expected {lhs} {rel} {emit.fmt(bound)}"


def _numbers(resolver: CellResolver, table: str) -> tuple[list[float], list[tuple]]:
    """The printed numbers of ``table`` the range checks look at and their records, read once
    per report (every range check of the table goes over the same cells)."""
    got = resolver.memo.get(("range cells", table))
    if got is None:
        tab = resolver.rows(table)
        vi = tab.index("value")
        mi = tab.index("mapped") if table != "statistics" else None
        values: list[float] = []
        records: list[tuple] = []
        if tab.rows and tab.index(KEYS[table][0]) is not None and vi is not None:
            for rec in tab.rows:
                v = rec[vi]
                v = num(v)
                if v is None:
                    continue
                if mi is not None:  # a copy of a 统计指标 cell (mapped): the original is checked
                    m = rec[mi]
                    if m is True or (not is_na(m) and bool(m)):
                        continue
                values.append(v)
                records.append(rec)
        got = resolver.memo[("range cells", table)] = (values, records)
    return got


def _cell(rule: Mapping[str, str], resolver: CellResolver, out: list[Finding]) -> None:
    table = rule["table"]
    values, records = _numbers(resolver, table)
    bad = violations(rule["formula"], emit.COUNT_TOLERANCE)(values) if values else ()
    if not bad:  # the common case: every cell holds
        return
    tab = resolver.rows(table)
    rk, ck = KEYS[table]
    ri, ci, wi = tab.index(rk), tab.index(ck), tab.index("raw")
    lhs, rel, rhs = split_relation(rule["formula"])
    bound_of = function(rhs, ("value",))
    where = rule["where"]
    for i in bad:
        v, rec = values[i], records[i]
        bound = bound_of(v)
        if where and not _passes(where, _attributes(table, tab, rec, resolver.layout)):
            continue
        raw = "" if wi is None or is_na(rec[wi]) else str(rec[wi])
        out.append(emit.make(rule["code"], "fail", table, key(rec[ri]), None if ci is None else key(rec[ci]),
                             v, bound, _message(rule["label"], v, raw, lhs, rel, bound)))


def _pair(rule: Mapping[str, str], resolver: CellResolver, out: list[Finding]) -> None:
    table = rule["table"]
    tab = resolver.rows(table)
    rk, ck = KEYS[table]
    ri, ci, vi, wi, pi = (tab.index(c) for c in (rk, ck, "value", "raw", "parent"))
    if not tab.rows or ri is None or ci is None or vi is None:
        return
    # the k-th printing of a row in one column pairs with its k-th printing in another
    groups: dict[tuple[Any, Any, int], dict[str, tuple[float | None, str]]] = {}
    seen: dict[tuple[Any, Any, str], int] = {}
    for rec in tab.rows:
        row, col = key(rec[ri]), key(rec[ci])
        if row is None or col is None:
            continue
        parent = None if pi is None else key(rec[pi])
        k = seen[(row, parent, col)] = seen.get((row, parent, col), -1) + 1
        raw = "" if wi is None or is_na(rec[wi]) else str(rec[wi])
        groups.setdefault((row, parent, k), {})[col] = (num(rec[vi]), raw)
    lhs, rel, rhs = split_relation(rule["formula"])
    column = lhs.removeprefix("value_")
    needed = set(_VARIABLE.findall(rule["formula"]))
    refs = _NoRefs()
    for (row, _, _), cells in groups.items():
        if not needed <= set(cells):
            continue  # this row is not printed in both columns
        env = {f"value_{c}": v for c, (v, _) in cells.items()}
        left, bound = evaluate(lhs, refs, env), evaluate(rhs, refs, env)
        if left is None or bound is None or holds(left, rel, bound, emit.COUNT_TOLERANCE):
            continue
        out.append(emit.make(rule["code"], "fail", table, row, column, left, bound,
                             _message(rule["label"], left, cells[column][1], lhs, rel, bound)))


def run(resolver: CellResolver, out: list[Finding], table: str) -> None:
    """Every range check of ``table`` that applies to the report."""
    checks = {"cell": _cell, "pair": _pair}
    for kind, rule in rules_for(resolver, ("cell", "pair"), table):
        checks[kind](rule, resolver, out)

"""The narrative against the tables: every number the text states about a cell is compared
with the cell (``收到依申请公开57件`` against table 三 new_received = 52).

The statements come from the one extractor (:mod:`govreport.checks.quantities`); each
names its target cells as formulas, alternatives separated by ``|`` (``收到…申请75件`` is the
new requests, or the new plus the carried-over ones): a statement agrees when any
alternative does. Money is compared with a tolerance of 0.01, counts exactly.
"""
from __future__ import annotations

from functools import lru_cache

from ..findings import Finding
from . import emit
from .cells import CellResolver, money_metrics
from .formula import evaluate, references

__all__ = ["target_cell", "run"]

_TABLE_OF_KIND = {"A": "applications", "D": "active_disclosure", "R": "review_litigation", "S": "statistics"}


@lru_cache(maxsize=1024)
def target_cell(formula: str) -> tuple[str, str | None, str | None]:
    """(table, row, column) a target formula points at, for the finding's location."""
    refs = references(formula)
    if not refs:
        return "text", None, None
    tables = {_TABLE_OF_KIND.get(k, "text") for k, _, _ in refs}
    table = tables.pop() if len(tables) == 1 else "text"
    cols = {b or "total" for _, _, b in refs}
    return table, " + ".join(a for _, a, _ in refs), (cols.pop() if len(cols) == 1 else None)


@lru_cache(maxsize=1024)
def _alternatives(targets: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in targets.split("|") if a.strip())


def run(resolver: CellResolver, out: list[Finding], include_passes: bool) -> None:
    """One finding per stated quantity that disagrees with its cell (or whose cell is blank)."""
    money = money_metrics(resolver.layout)
    for q in resolver.mentions():
        if not q.targets:
            continue
        alternatives = _alternatives(q.targets)
        values = [evaluate(a, resolver) for a in alternatives]
        table, row, column = target_cell(alternatives[0])
        tol = emit.MONEY_TOLERANCE if column in money else emit.COUNT_TOLERANCE
        present = [v for v in values if v is not None]
        if present and not include_passes and any(abs(v - q.quantity) <= tol for v in present):
            continue  # the common case: the text agrees, nothing to say
        where = emit.location(table, row, column, extra="text vs")
        stated = f"the text states {q.subject} = {emit.fmt(q.quantity)} in «{q.sentence}»"
        if not present:
            out.append(emit.make("narrative.mismatch", "not_assessable", table, row, column, None, q.quantity,
                                 f"{stated}, but the cell is blank or absent", where=where))
        elif any(abs(v - q.quantity) <= tol for v in present):
            if include_passes:
                out.append(emit.make("narrative.mismatch", "pass", table, row, column, present[0], q.quantity,
                                     f"{stated}: OK", where=where))
        else:
            alts = "; ".join(f"{a} = {emit.fmt(v)}" for a, v in zip(alternatives, values))
            out.append(emit.make("narrative.mismatch", "fail", table, row, column, present[0], q.quantity,
                                 f"{stated}, but the table has {alts}", where=where))

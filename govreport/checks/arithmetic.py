"""Identities, sums and completeness of the tables, evaluated from ``checks.csv``.

Each row of ``checks.csv`` of kind ``identity`` is a formula ``printed-cell rel expression``
(``A:carried_forward:{c} = A:new_received:{c} + A:carried_over:{c} - A:processed_total:{c}``)
checked for every binding of its placeholders (column ``over``: ``c=applications.applicant``
binds ``c`` to every applicant column the report's layout defines). Which layouts a check
applies to is the ``layouts`` column (codes separated by ``|``; empty: every report). Kind
``complete`` counts the cells the layout expects that the report printed.

``over`` binds a placeholder to the codes of a layout table: ``applications.row``,
``applications.applicant``, ``review_litigation.procedure``, ``review_litigation.outcome``,
``active_disclosure.category``, ``active_disclosure.metric``; ``+`` adds the other rows the
report prints, ``~a|b.*`` keeps the codes matching one of the patterns.
"""
from __future__ import annotations

import fnmatch
import itertools
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from ..findings import Finding
from . import batch, emit
from .cells import KIND_OF_TABLE, CellResolver, money_metrics
from .data import check_rows, split_list
from .formula import RELATIONS, Compiled, Ref, Resolver, bind, compiled, references, split_relation

__all__ = ["applies", "bindings", "check_identity", "check_complete", "run"]

def applies(rule: Mapping[str, str], layout: str | None) -> bool:
    """Does a check of ``checks.csv`` apply to a report of ``layout``?"""
    wanted = split_list(rule["layouts"])
    return not wanted or layout in wanted


def universe(spec: str, resolver: CellResolver) -> list[str]:
    """The codes one ``over`` spec stands for on this report."""
    spec, _, patterns = spec.partition("~")
    extra = spec.endswith("+")
    spec = spec.rstrip("+").strip()
    codes = resolver.codes(spec)
    if extra:
        table, _, part = spec.partition(".")
        grid = resolver.grids.get(KIND_OF_TABLE.get(table, ""))
        if grid is not None and part in ("row", "category", "procedure"):
            known = set(codes)
            codes = codes + [r for r in grid.rows if r not in known]
    if patterns:
        pats = split_list(patterns)
        codes = [c for c in codes if any(fnmatch.fnmatchcase(c, p) for p in pats)]
    return codes


def _pools(rule: Mapping[str, str], resolver: CellResolver) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """The placeholder names of a check and the codes each stands for on this report."""
    specs = [part.split("=", 1) for part in rule["over"].split(";") if part.strip()]
    return (tuple(n.strip() for n, _ in specs), tuple(tuple(universe(s.strip(), resolver)) for _, s in specs))


def bindings(rule: Mapping[str, str], resolver: CellResolver) -> list[dict[str, str]]:
    """Every binding of the placeholders of a check (one dict per combination, in order)."""
    names, pools = _pools(rule, resolver)
    if not names:
        return [{}]
    return [dict(zip(names, combo)) for combo in itertools.product(*pools)]


def cell_of(ref: tuple[str, str, str | None]) -> tuple[str | None, str | None]:
    """The (row, column) a single reference points at."""
    kind, a, b = ref
    return a, (b or ("total" if kind.upper() in "AR" else None))


def missing_inputs(side: Compiled, resolver: Resolver, members: Any,
                   values: Sequence[float | None] | None = None) -> list[str]:
    """The blank or absent cells of a compiled formula, a group expanded to its rows: ``row/column``
    (``values``: the values of its references, when already read)."""
    out: list[str] = []
    for i, (kind, a, b) in enumerate(side.refs):
        col = b or "total"
        group = "*" in a
        rows = members(kind, a) if group else [a]
        if not rows:
            out.append(f"{a}/{col} (no such row)")
        when = " (previous year)" if kind.islower() else ""
        for r in rows:
            if (resolver.value(kind, r, b) if group or values is None else values[i]) is None:
                out.append(f"{r}/{col}{when}")
    return out


@lru_cache(maxsize=4096)
def _spelling(formula: str, refs: tuple[Ref, ...]) -> tuple[tuple[str, ...], tuple[tuple[int, str], ...]]:
    """How :func:`terms` spells a formula: the text between the references and, in order, which
    reference goes in each gap under what name (worked out once per formula, by replacing each
    reference's first occurrence by a marker)."""
    same_col = len({b for _, _, b in refs}) == 1
    same_row = len({a for _, a, _ in refs}) == 1
    out = formula
    names = []
    for i, (kind, a, b) in enumerate(refs):
        name = b if same_row and not same_col else a if same_col or not b else f"{a}/{b}"
        if kind.islower():
            name = f"{name} (previous year)"
        names.append(name)
        body = f"{kind}:{a}" + (f":{b}" if b else "")
        out = out.replace(body, f"\x00{i}\x00", 1)
    pieces = out.split("\x00")  # text, ref, text, ref, …, text
    return tuple(pieces[0::2]), tuple((int(k), names[int(k)]) for k in pieces[1::2])


def terms(side: Compiled, resolver: Resolver, values: Sequence[float | None] | None = None) -> str:
    """A compiled formula spelled with the values of its references (for a message; ``values``:
    those values, when already read)."""
    if values is None:
        values = [resolver.value(*ref) for ref in side.refs]
    texts, slots = _spelling(side.formula, side.refs)
    out = [texts[0]]
    for (i, name), text in zip(slots, texts[1:]):
        out.append(f"{name} {emit.fmt(values[i])}")
        out.append(text)
    return "".join(out)


#: one binding of a check, compiled: (row, column, relation, tolerance, printed side, expected side, binding)
Bound = tuple[str | None, str | None, str, float, Compiled, Compiled, dict[str, str]]


def _bound(formula: str, bound: Mapping[str, str], money: frozenset[str]) -> Bound:
    """A check formula with its placeholders bound, both sides compiled."""
    lhs, rel, rhs = split_relation(bind(formula, bound))
    printed = references(lhs)
    if len(printed) != 1:
        raise ValueError(f"the left side of a check must be one printed cell: {lhs!r}")
    row, column = cell_of(printed[0])
    tol = emit.MONEY_TOLERANCE if column in money else emit.COUNT_TOLERANCE
    return row, column, rel, tol, compiled(lhs), compiled(rhs), dict(bound)


def plan(rule: Mapping[str, str], resolver: CellResolver) -> tuple[tuple[Bound, ...], Callable[..., Any]]:
    """Every binding of a check on this report, compiled, and their :func:`~.batch.screen`:
    once per layout (and per set of extra rows the report prints, for an ``over`` with ``+``)."""
    names, pools = _pools(rule, resolver)
    key = ("identity", rule["code"], rule["formula"], names, pools)
    got = resolver.cache.get(key)
    if got is None:
        money = money_metrics(resolver.layout)
        bounds = tuple(_bound(rule["formula"], b, money) for b in bindings(rule, resolver))
        sides = [(rel, tol, lhs, rhs) for _, _, rel, tol, lhs, rhs, _ in bounds]
        got = resolver.cache[key] = (bounds, batch.screen(sides))
    return got


def check_identity(rule: Mapping[str, str], resolver: CellResolver, out: list[Finding], include_passes: bool,
                   evaluator: Resolver | None = None, prefix: str = "") -> None:
    """One identity of ``checks.csv`` for every binding of its placeholders."""
    source: Resolver = evaluator or resolver
    table = rule["table"]

    def members(kind: str, pattern: str) -> list[str]:
        return resolver.members(kind.upper(), pattern)

    bounds, screen = plan(rule, resolver)
    # without passes to report, only the bindings the screen flags need a look
    todo = (range(len(bounds)) if include_passes or evaluator is not None
            else batch.flagged(screen, resolver, len(bounds)))
    for i in todo:
        row, column, rel, tol, lhs, rhs, bound = bounds[i]
        reported = lhs.evaluate(source)
        values = [source.value(*ref) for ref in rhs.refs]  # read once for the value and the message
        expected = rhs.apply(values)
        if not include_passes and reported is not None and expected is not None and RELATIONS[rel](
                reported, expected, tol):
            continue  # the common case: nothing to say, no message to build
        missing = missing_inputs(rhs, source, members, values)
        if reported is None:
            missing = [f"{row}/{column} (the printed value being checked)"] + missing
        emit.compare(out, check=rule["code"], table=table, row=row, column=column, reported=reported,
                     expected=expected, relation=rel, describe=prefix + bind(rule["label"], bound),
                     terms=terms(rhs, source, values), missing=missing, include_passes=include_passes, tol=tol)


def _summary(missing: Sequence[tuple[str, str]], ncols: int) -> str:
    by_row: dict[str, list[str]] = {}
    for r, c in missing:
        by_row.setdefault(r, []).append(c)
    return "; ".join(f"{r} (all {len(cols)} cells)" if len(cols) == ncols else f"{r}/{'+'.join(cols)}"
                     for r, cols in by_row.items())


def _expected_cells(rule: Mapping[str, str], resolver: CellResolver) -> tuple[tuple[str, str], ...]:
    """The (row, column) cells a ``complete`` check expects on this report (once per layout)."""
    names, pools = _pools(rule, resolver)
    key = ("complete", rule["code"], names, pools)
    got = resolver.cache.get(key)
    if got is None:
        got = resolver.cache[key] = tuple((b[names[0]], b[names[1]]) for b in bindings(rule, resolver))
    return got


def check_complete(rule: Mapping[str, str], resolver: CellResolver, out: list[Finding]) -> None:
    """The cells a layout expects in a table, against the cells printed."""
    grid = resolver.grids[KIND_OF_TABLE[rule["table"]]]
    expected = _expected_cells(rule, resolver)
    label = rule["label"]
    if not expected:
        return
    if not grid:
        out.append(emit.make(rule["code"], "fail", rule["table"], None, None, 0.0, float(len(expected)),
                             f"layout {resolver.layout} requires {label}, but no cell was read"))
        return
    get = grid.values.get
    missing = [cell for cell in expected if get(cell) is None]
    if missing:
        ncols = len({c for _, c in expected})
        have = len(expected) - len(missing)
        out.append(emit.make(rule["code"], "fail", rule["table"], None, None, float(have), float(len(expected)),
                             f"{label} has {have} of {len(expected)} cells (layout {resolver.layout}); "
                             f"blank or absent: {_summary(missing, ncols)}"))


def rules_for(resolver: CellResolver, kinds: tuple[str, ...], table: str) -> tuple[tuple[str, dict[str, str]], ...]:
    """``(kind, rule)`` of the checks of ``kinds`` on ``table`` that apply to the report's layout,
    in order (worked out once per layout, and again when the rows of ``check_rows`` change)."""
    rows = tuple(check_rows(kind) for kind in kinds)
    got = resolver.cache.get(("rules", kinds, table))
    if got is None or any(a is not b for a, b in zip(got[0], rows)):
        got = resolver.cache[("rules", kinds, table)] = (rows, tuple(
            (kind, rule) for kind, part in zip(kinds, rows) for rule in part
            if rule["table"] == table and applies(rule, resolver.layout)))
    return got[1]


def run(resolver: CellResolver, out: list[Finding], include_passes: bool, table: str) -> None:
    """Every ``complete`` and ``identity`` check of ``table`` that applies to the report."""
    for kind, rule in rules_for(resolver, ("complete", "identity"), table):
        if kind == "complete":
            check_complete(rule, resolver, out)
        else:
            check_identity(rule, resolver, out, include_passes)

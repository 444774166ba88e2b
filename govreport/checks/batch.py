"""The bindings of one check compiled into one Python function per layout.

A check of ``checks.csv`` holds for every binding of its placeholders; on most reports
every binding holds and nothing is said. :func:`screen` compiles all the bindings of a
check (its plan, :func:`govreport.checks.arithmetic.plan`) into one function that reads
each cell once and returns the bindings that need a finding (an input missing, or the
relation failing); only those are evaluated again, one by one, to build the finding. The
source is generated from formulas :func:`~govreport.checks.formula.compile_formula` has
checked (numbers, cell references, ``+ - * /``, ``round()``), so it is safe to compile.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from .cells import KINDS, CellResolver
from .formula import REF_RE, RELATION_SOURCE, Compiled, Ref

__all__ = ["screen", "flagged"]

_GLOBALS: dict[str, Any] = {"__builtins__": {}, "abs": abs, "float": float, "round": lambda x: float(round(x))}


def _grid_key(ref: Ref) -> tuple[str, str] | None:
    """The grid cell a reference reads directly (the column defaults of CellResolver.value),
    or None (a group, the 统计指标, the text: read through CellResolver.value)."""
    kind, a, b = ref
    if kind not in KINDS or "*" in a:
        return None
    return a, (b or ("" if kind == "D" else "total"))


def _side(side: Compiled, slot: dict[Ref, str]) -> str:
    """One side of a check as Python source over the slot variables of its references."""
    refs = iter(side.refs)
    return "float(" + REF_RE.sub(lambda _: slot[next(refs)], side.formula) + ")"


def screen(bounds: Sequence[tuple[str, float, Compiled, Compiled]]) -> Callable[[CellResolver], list[int] | None]:
    """One function for every ``(relation, tolerance, printed side, expected side)`` of a
    plan: on a report it returns the positions of the bindings that need a finding, or
    None when a denominator is zero (then every binding is looked at one by one)."""
    slot: dict[Ref, str] = {}
    lines = ["def _screen(_grid, _value):"]
    lines += [f"    _{k} = _grid({k!r})" for k in KINDS]
    for _, _, lhs, rhs in bounds:
        for ref in (*lhs.refs, *rhs.refs):
            if ref not in slot:
                slot[ref] = name = f"v{len(slot)}"
                key = _grid_key(ref)
                lines.append(f"    {name} = _{ref[0]}({key!r})" if key else f"    {name} = _value(*{ref!r})")
    lines.append("    out = []")
    for i, (rel, tol, lhs, rhs) in enumerate(bounds):
        used = list(dict.fromkeys(slot[r] for r in (*lhs.refs, *rhs.refs)))
        cond = " or ".join(f"{n} is None" for n in used) or "False"
        holds = RELATION_SOURCE[rel].format(a=_side(lhs, slot), b=_side(rhs, slot), tol=repr(float(tol)))
        lines.append(f"    if {cond} or not ({holds}): out.append({i})")
    lines.append("    return out")
    env = dict(_GLOBALS)
    exec("\n".join(lines), env)  # noqa: S102 - generated from checked formulas only
    fn = env["_screen"]

    def run(resolver: CellResolver) -> list[int] | None:
        try:
            return fn(resolver.getter, resolver.value)
        except ZeroDivisionError:
            return None

    return run


def flagged(run: Callable[[CellResolver], list[int] | None], resolver: CellResolver, n: int) -> Sequence[int]:
    """The bindings of a plan that need a finding on ``resolver`` (all ``n`` of them when
    the screen cannot tell)."""
    got = run(resolver)
    return range(n) if got is None else got

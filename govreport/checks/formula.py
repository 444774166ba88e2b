"""The formula language of the data files (checks.csv, indicators.csv, narrative_checks.csv).

A formula is arithmetic over cell references:

* ``A:row:column`` table 三 (``applications``), ``D:category:metric`` table 二,
  ``R:procedure:outcome`` table 四, ``S:code`` the pre-2019 统计指标 by its mapped code,
  ``T:subject`` the first number the text states for a subject;
* a lower-case kind (``a:carried_forward:total``) is the same cell in the same agency's
  report of the previous year (cross-year checks);
* a ``*`` in a row is a group sum over the rows the layout defines (``A:withheld.*:total``);
* numbers, ``+ - * /``, unary minus, parentheses, ``round(x)`` and named variables
  (``value``: the cell a range check is looking at);
* a check is two formulas joined by a relation: ``=``, ``>=`` or ``<=``;
* ``{c}``-style placeholders are bound per row or column before evaluation
  (``A:carried_forward:{c} = …`` for every applicant column ``c``).

An input that is missing, or a division by zero, makes the whole formula missing (None):
a missing cell is never 0.
"""
from __future__ import annotations

import ast
import operator
import re
from functools import lru_cache
from types import CodeType
from typing import Callable, Mapping, Protocol, Sequence

__all__ = ["RELATIONS", "RELATION_SOURCE", "Compiled", "Ref", "Resolver", "bind", "compiled", "evaluate", "function",
           "holds", "references", "split_relation", "violations"]

#: one cell reference: (kind, row or code, column or None)
Ref = tuple[str, str, "str | None"]

REF_RE = re.compile(r"\b([ADRSTadrst]):([A-Za-z_][A-Za-z0-9_.*]*(?::[A-Za-z_][A-Za-z0-9_.*]*)*)")
_RELATION = re.compile(r"\s*(>=|<=|=)\s*")
#: ``reported rel expected`` within ``tol``, as Python source: the one statement of the arithmetic,
#: used by RELATIONS, the compiled checks and the batch screens (checks/batch.py)
RELATION_SOURCE = {"=": "abs(({a}) - ({b})) <= {tol}", ">=": "({a}) + {tol} >= ({b})", "<=": "({a}) <= ({b}) + {tol}"}
#: relation → does ``reported rel expected`` hold (with a tolerance)
RELATIONS: dict[str, Callable[[float, float, float], bool]] = {
    rel: eval(f"lambda a, b, tol: {src.format(a='a', b='b', tol='tol')}", {"__builtins__": {}, "abs": abs})  # noqa: S307
    for rel, src in RELATION_SOURCE.items()
}
_BINOPS: dict[type, Callable[[float, float], float]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
}
_FUNCTIONS: dict[str, Callable[[float], float]] = {"round": lambda x: float(round(x))}
_GLOBALS = {"__builtins__": {}, **_FUNCTIONS}
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


class Resolver(Protocol):
    """What evaluation asks of a report: the value of one reference (None when missing)."""

    def value(self, kind: str, a: str, b: str | None) -> float | None: ...


def ref_parts(kind: str, body: str) -> Ref:
    """Split a reference body: ``row:column`` for A/D/R; S and T keep the whole body
    (a statistics code may contain colons: ``S:applications:new_received:total``)."""
    if kind in ("S", "T", "s", "t"):
        return kind, body, None
    a, _, b = body.partition(":")
    return kind, a, (b or None)


def references(formula: str) -> list[Ref]:
    """The references of a formula, in order."""
    return [ref_parts(m.group(1), m.group(2)) for m in REF_RE.finditer(formula or "")]


def bind(formula: str, bindings: Mapping[str, str]) -> str:
    """Replace ``{name}`` placeholders by their bound codes."""
    return _PLACEHOLDER.sub(lambda m: bindings[m.group(1)], formula)


def placeholders(formula: str) -> list[str]:
    """The placeholder names a formula uses, in order of first use."""
    return list(dict.fromkeys(_PLACEHOLDER.findall(formula)))


def split_relation(formula: str) -> tuple[str, str, str]:
    """``"lhs = rhs"`` → ``(lhs, "=", rhs)``; raises ValueError without exactly one relation."""
    parts = _RELATION.split(formula.strip())
    if len(parts) != 3:
        raise ValueError(f"a check formula needs one of = >= <= between two sides: {formula!r}")
    return parts[0].strip(), parts[1], parts[2].strip()


def holds(reported: float, relation: str, expected: float, tol: float) -> bool:
    """Does ``reported relation expected`` hold within ``tol``?"""
    return RELATIONS[relation](reported, expected, tol)


@lru_cache(maxsize=4096)
def compile_formula(formula: str) -> tuple[tuple[Ref, ...], tuple[str, ...], CodeType]:
    """A formula's references (in order, as ``_v0, _v1, …``), the other names it uses, and its
    checked expression compiled once; raises ValueError on anything outside the language."""
    refs: list[Ref] = []

    def _sub(m: re.Match[str]) -> str:
        refs.append(ref_parts(m.group(1), m.group(2)))
        return f"_v{len(refs) - 1}"

    try:
        tree = ast.parse(REF_RE.sub(_sub, formula), mode="eval")
    except SyntaxError as exc:
        raise ValueError(f"malformed formula {formula!r}: {exc.msg}") from None
    names: list[str] = []

    def _check(node: ast.AST) -> None:
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return
        if isinstance(node, ast.Name):
            if not (node.id.startswith("_v") and node.id[2:].isdigit()) and node.id not in names:
                names.append(node.id)
            return
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return _check(node.operand)
        if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
            _check(node.left)
            return _check(node.right)
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _FUNCTIONS
                and len(node.args) == 1 and not node.keywords):
            return _check(node.args[0])
        raise ValueError(f"unsupported expression in formula {formula!r}")

    _check(tree.body)
    # only numbers, names, + - * /, unary minus and round() are left: safe to compile
    return tuple(refs), tuple(names), compile(tree, "<formula>", "eval")


class Compiled:
    """A formula compiled once: its references (in order) and a Python function of their
    values (then of its named variables) that computes it. ``fn`` raises ZeroDivisionError
    on a zero denominator; :meth:`evaluate` turns that, and any missing input, into None."""

    __slots__ = ("formula", "refs", "names", "fn")

    def __init__(self, formula: str, refs: tuple[Ref, ...], names: tuple[str, ...], fn: Callable[..., float]) -> None:
        self.formula, self.refs, self.names, self.fn = formula, refs, names, fn

    def evaluate(self, resolver: Resolver, variables: Mapping[str, float | None] | None = None) -> float | None:
        """The formula's value on ``resolver`` (None when an input is missing or a denominator zero)."""
        return self.apply([resolver.value(*ref) for ref in self.refs], variables)

    def apply(self, values: list[float | None], variables: Mapping[str, float | None] | None = None) -> float | None:
        """The formula's value given the values of its references (in order)."""
        # every operation is strict: one missing input makes the whole formula missing
        if None in values:
            return None
        values = list(values) if self.names else values  # the caller's list stays as it is
        for name in self.names:
            if variables is None or name not in variables:
                raise ValueError(f"unknown name {name!r} in formula {self.formula!r}")
            values.append(variables[name])
        if self.names and None in values:
            return None
        try:
            return float(self.fn(*values))
        except ZeroDivisionError:
            return None


@lru_cache(maxsize=4096)
def compiled(formula: str) -> Compiled:
    """``formula`` as a :class:`Compiled` (once per formula; ValueError outside the language)."""
    refs, names, _ = compile_formula(formula)
    variables = [n for n in names if n not in _FUNCTIONS]
    body = REF_RE.sub(_Numbered().sub, formula)
    params = ", ".join([f"_v{i}" for i in range(len(refs))] + variables)
    # the expression was checked by compile_formula: numbers, references, names, + - * /, round()
    fn = eval(f"lambda {params}: ({body})", _GLOBALS)  # noqa: S307
    return Compiled(formula, refs, tuple(variables), fn)


class _Numbered:
    """Numbers the references of a formula ``_v0, _v1, …`` as :func:`compile_formula` does."""

    def __init__(self) -> None:
        self.n = 0

    def sub(self, m: re.Match[str]) -> str:
        self.n += 1
        return f"_v{self.n - 1}"


def evaluate(formula: str, resolver: Resolver, variables: Mapping[str, float | None] | None = None) -> float | None:
    """Evaluate ``formula`` on a report; None (missing) when an input is missing or a
    denominator is zero. An empty formula (or ``NA``) is missing."""
    formula = (formula or "").strip()
    if not formula or formula.upper() == "NA":
        return None
    return compiled(formula).evaluate(resolver, variables)


@lru_cache(maxsize=256)
def function(formula: str, params: tuple[str, ...]) -> Callable[..., float]:
    """A formula over named variables only (no cell reference) as a Python function of
    ``params``: ``function("value <= 100", …)`` for the range checks, which run per cell.
    The arguments must not be missing (the caller skips a missing cell)."""
    refs, names, _ = compile_formula(formula)
    unknown = [n for n in names if n not in params and n not in _FUNCTIONS]
    if refs or unknown:
        raise ValueError(f"formula {formula!r} may only use the variables {params}")
    # the expression was checked by compile_formula: numbers, the variables, + - * /, round()
    return eval(f"lambda {', '.join(params)}: ({formula})", _GLOBALS)  # noqa: S307


_CHECK_GLOBALS = {"__builtins__": {}, "abs": abs, "float": float, "_round": round, "enumerate": enumerate}


class _InlineRound(ast.NodeTransformer):
    """``round(x)`` → ``float(_round(x))``: the formula's round() without a Python call."""

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        inner = ast.Call(func=ast.Name("_round", ast.Load()), args=node.args, keywords=[])
        return ast.Call(func=ast.Name("float", ast.Load()), args=[inner], keywords=[])


def _inline(side: str) -> str:
    tree = _InlineRound().visit(ast.parse(side, mode="eval"))
    return ast.unparse(ast.fix_missing_locations(tree))


@lru_cache(maxsize=256)
def violations(formula: str, tol: float) -> Callable[[Sequence[float]], list[int]]:
    """A check over the variable ``value`` only (``value >= 0``) as one function of a list of
    values: the positions where it does not hold within ``tol``. The range checks run it on
    every cell of a table: one comprehension, no Python call per cell. The same arithmetic as
    :func:`function` of each side joined by :func:`holds`."""
    lhs, rel, rhs = split_relation(formula)
    function(lhs, ("value",)), function(rhs, ("value",))  # each side checked: value, numbers, + - * /, round()
    body = RELATION_SOURCE[rel].format(a=_inline(lhs), b=_inline(rhs), tol=repr(float(tol)))
    return eval(f"lambda values: [i for i, value in enumerate(values) if not ({body})]",  # noqa: S307
                _CHECK_GLOBALS)


def render(formula: str, resolver: Resolver, fmt: Callable[[float | None], str]) -> str:
    """The formula with each reference followed by its value (for messages):
    ``new_received 3 + carried_over 0 - processed_total 2``."""
    def _sub(m: re.Match[str]) -> str:
        kind, a, b = ref_parts(m.group(1), m.group(2))
        return f"{a} {fmt(resolver.value(kind, a, b))}"

    return REF_RE.sub(_sub, formula)

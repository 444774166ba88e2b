"""The house rules, checked on the package's own source: modules of about 400 lines at
most, data flowing one way between the pipeline stages (no import cycle), and no code
branching on a layout's name (layout knowledge is data), and only the reader looking for
``|`` tables in text."""
from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import govreport
from govreport import layouts

PKG = Path(govreport.__file__).resolve().parent
MAX_LINES = 425  # "at most about 400"

#: The pipeline, bottom to top: a module may import only from its own stage or a lower one.
STAGES = ("errors", "missing", "datafiles", "schema", "protocol", "findings", "layouts", "numbering", "normalize",
          "reader", "segment", "tables", "checks", "text", "agency", "report", "corpus", "plot", "cli", "__main__")


def _modules() -> dict[str, Path]:
    out = {}
    for path in PKG.rglob("*.py"):
        parts = path.relative_to(PKG.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The govreport modules ``name`` imports (at module level or inside functions)."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    out = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {id(n) for stmt in ast.walk(tree) if isinstance(stmt, ast.If)
                   and getattr(stmt.test, "id", getattr(stmt.test, "attr", "")) == "TYPE_CHECKING"
                   for n in ast.walk(stmt)}
    for node in ast.walk(tree):
        if id(node) in typing_only:  # annotations only: no import at run time
            continue
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("govreport"):
                continue
            subs = {f"{target}.{a.name}" for a in node.names} & set(modules)
            out |= subs or ({target} & set(modules))
        elif isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name in modules}
    return out - {name}


def _stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "govreport"


def test_every_module_is_at_most_about_400_lines():
    long = {str(p.relative_to(PKG)): n for p in PKG.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def test_every_module_belongs_to_a_stage():
    assert {_stage(m) for m in _modules()} - {"govreport"} <= set(STAGES)


def test_data_flows_one_way_between_stages():
    modules = _modules()
    upward = set()
    for name, path in modules.items():
        here = _stage(name)
        if here == "govreport":  # the package's front door re-exports the public API
            continue
        for target in _imports(name, path, modules):
            there = _stage(target)
            if there != "govreport" and there != here and STAGES.index(there) > STAGES.index(here):
                upward.add(f"{name} -> {target}")
    assert upward == set()


def test_no_import_cycle_between_modules():
    modules = _modules()
    graph = {name: _imports(name, path, modules) for name, path in modules.items()}
    # a package's __init__ re-exporting its own submodules is not a cycle of ideas
    graph = {n: {t for t in ts if not t.startswith(n + ".")} for n, ts in graph.items()}
    seen: dict[str, int] = defaultdict(int)  # 0 new, 1 on the stack, 2 done
    cycles = []

    def visit(node: str, stack: list[str]) -> None:
        seen[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if seen[nxt] == 1:
                cycles.append(" -> ".join(stack[stack.index(nxt):] + [node, nxt]) if nxt in stack
                              else f"{node} -> {nxt}")
            elif seen[nxt] == 0:
                visit(nxt, stack + [node])
        seen[node] = 2

    for name in sorted(graph):
        if seen[name] == 0:
            visit(name, [])
    assert cycles == []


def test_no_code_branches_on_a_layout_name():
    names = set(layouts.LAYOUTS)
    branches = []
    for path in PKG.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Compare):
                consts = [c for side in [node.left, *node.comparators] for c in ast.walk(side)
                          if isinstance(c, ast.Constant) and isinstance(c.value, str)]
                hits = {c.value for c in consts} & names
                if hits:
                    branches.append(f"{path.relative_to(PKG)}:{node.lineno} compares with {sorted(hits)}")
            elif isinstance(node, ast.match_case):
                hits = {c.value for c in ast.walk(node.pattern) if isinstance(c, ast.Constant)} & names
                if hits:
                    branches.append(f"{path.relative_to(PKG)}:{node.pattern.lineno} matches {sorted(hits)}")
    assert branches == []


def _sniffs_a_bar(node: ast.AST) -> str | None:
    """How ``node`` looks for a ``|`` table in text, if it does: ``"|" in line``,
    ``line.count("|")``, ``line.startswith("|")`` or a regex matching a literal bar (``\\|``)."""
    if isinstance(node, ast.Compare) and isinstance(node.left, ast.Constant) and node.left.value == "|" \
            and any(isinstance(op, (ast.In, ast.NotIn)) for op in node.ops):
        return '"|" in …'
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
            and node.func.attr in ("count", "startswith", "endswith", "find", "index") \
            and any(isinstance(a, ast.Constant) and a.value == "|" for a in node.args):
        return f'.{node.func.attr}("|")'
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and "\\|" in node.value:
        return "a regex for a literal |"
    return None


def test_only_the_reader_looks_for_bar_tables():
    """A report is read once into paragraphs and grids: the plain-text reader is the one
    module that finds ``|`` tables; no later stage looks for them in a line again."""
    found = []
    for path in PKG.rglob("*.py"):
        rel = path.relative_to(PKG)
        if rel.parts[0] == "reader":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            how = _sniffs_a_bar(node)
            if how:
                found.append(f"{rel}:{node.lineno} {how}")
    assert found == []


def test_the_bar_check_sees_each_way_of_sniffing():
    samples = ['"|" in line', '"|" not in line', 'line.count("|") >= 2', 'line.startswith("|")',
               r're.compile(r"\|.*\|")']
    assert all(any(_sniffs_a_bar(n) for n in ast.walk(ast.parse(s))) for s in samples)
    ok = ['"|".join(parts)', 'value.split("|")', 're.compile("a|b")']
    assert not any(_sniffs_a_bar(n) for s in ok for n in ast.walk(ast.parse(s)))

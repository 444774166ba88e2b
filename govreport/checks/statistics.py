"""Pre-2019 统计指标: a parent indicator equals the sum of its children.

Which parents and children is data (``govreport/data/statistics_sums.csv``: a regex for the
parent label, the children's regexes, the relation). The table's labels are matched after
NFKC, without spaces and without their numbering (``(一)``, ``1.``, ``其中：``). Children are
looked for among the rows whose ``parent`` is that parent, else in the 24 rows below it; one
group per value column (本年 / 历年累计).
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

from .. import numbering as nb
from ..findings import Finding
from . import emit
from .cells import CellResolver
from .data import read_data_csv
from ..missing import is_na
from .view import num

__all__ = ["rules", "norm_label", "run"]

_SUB = r"(?:其中\s*[:：]?\s*)?"
# (一) (1) （一1） · 一、 一. · 1、 1. — any length, spaces before the separator
_NUMBER = "|".join((nb.paren(nb.run(arabic=True), full_width=True), nb.dun(nb.run(), seps="、.．", space=r"\s*"),
                    nb.arabic(r"\d+", seps="、.．", space=r"\s*")))
_NUMBERING = re.compile(rf"^\s*{_SUB}(?:{_NUMBER})?\s*{_SUB}")
_WHITESPACE = re.compile(r"\s+")
_WINDOW = 25


@lru_cache(maxsize=None)
def rules() -> tuple[dict[str, Any], ...]:
    """The rules of ``statistics_sums.csv``, compiled."""
    return tuple({
        "rule": rec["rule"],
        "parent": re.compile(rec["parent"]),
        "children": [re.compile(c) for c in rec["children"].split(";") if c.strip()],
        "relation": {"eq": "=", "ge": ">="}.get(rec["relation"].strip() or "eq", "="),
        "description": rec["description"],
    } for rec in read_data_csv("statistics_sums.csv").to_dict("records"))


@lru_cache(maxsize=8192)
def _norm(s: str) -> str:
    return _NUMBERING.sub("", _WHITESPACE.sub("", unicodedata.normalize("NFKC", s)))


def norm_label(label: Any) -> str:
    """A label as the rules match it: NFKC, no spaces, no leading numbering."""
    return _norm("" if is_na(label) else str(label))


def run(resolver: CellResolver, out: list[Finding], include_passes: bool) -> None:
    """Every rule of ``statistics_sums.csv`` at every row whose label it names."""
    st = resolver.statistics_rows
    ii = st.index("indicator")
    if not st.rows or ii is None:
        return
    gi, vi, pi = st.index("column"), st.index("value"), st.index("parent")
    groups: dict[Any, list[tuple]] = {}
    for rec in st.rows:
        k = None if gi is None or is_na(rec[gi]) else rec[gi]
        groups.setdefault(k, []).append(rec)
    for gkey, g in groups.items():
        labels = [norm_label(rec[ii]) for rec in g]
        values = [None if vi is None else num(rec[vi]) for rec in g]
        parents = [None if pi is None or is_na(rec[pi]) else norm_label(rec[pi]) for rec in g]
        column = None if gkey is None else str(gkey)
        for rule in rules():
            for i, lab in enumerate(labels):
                if not rule["parent"].search(lab):
                    continue
                parent = str(g[i][ii]).strip()
                window = range(i + 1, min(len(g), i + _WINDOW))
                scoped = [j for j in window if parents[j] is not None and parents[j] == lab]
                parts: list[tuple[str, float | None]] = []
                for child in rule["children"]:
                    j = next((j for j in (scoped or window) if child.search(labels[j])), None)
                    parts.append((child.pattern + " (row absent)", None) if j is None
                                 else (str(g[j][ii]).strip(), values[j]))
                missing = [name for name, v in parts if v is None]
                if values[i] is None:
                    missing = [f"{parent} (the printed value being checked)"] + missing
                expected = None if any(v is None for _, v in parts) else float(sum(v for _, v in parts))  # type: ignore[misc]
                emit.compare(out, check="statistics.children_sum", table="statistics", row=parent, column=column,
                             reported=values[i], expected=expected, relation=rule["relation"],
                             describe=f"统计指标 {parent}: {rule['description']}",
                             terms=" + ".join(f"{name} {emit.fmt(v)}" for name, v in parts),
                             missing=missing, include_passes=include_passes)

"""China's administrative divisions: the shipped table, name matching and chains.

Division names found in an agency name are matched longest first (``_scan_name``) and
must form one chain province ⊃ prefecture ⊃ county (``_resolve``); the report text
can decide an ambiguous name (``_from_text``).
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

import pandas as pd

from .. import datafiles

_LEVEL_OF_DIVISION = {"province": "provincial", "prefecture": "prefecture", "county": "county"}


# --------------------------------------------------------------------------- data
@dataclass(frozen=True)
class _Division:
    key: str  # code, or "parent:name" for rows without a code
    code: str | None
    name: str
    level: str  # province | prefecture | county
    parent: str | None  # key of the parent


@dataclass(frozen=True)
class _Cand:
    key: str
    full: bool  # an official full name or an alias (may match anywhere)
    level_override: str | None = None


@dataclass(frozen=True)
class _Match:
    start: int
    end: int
    cands: tuple[_Cand, ...]


@cache
def _division_table() -> dict[str, _Division]:
    out: dict[str, _Division] = {}
    for r in datafiles.rows("divisions.csv"):
        code = r["code"] or None
        parent = r["parent"] or None
        key = code or f"{parent}:{r['name']}"
        out[key] = _Division(key, code, r["name"], r["level"], parent)
    return out


def divisions() -> pd.DataFrame:
    """Return the shipped administrative-division table as a DataFrame.

    Columns: ``code, name, level, parent, short`` (see ``scripts/build_divisions.py``).
    """
    return datafiles.frame("divisions.csv")



@cache
def _surface_index() -> tuple[dict[str, tuple[_Cand, ...]], int, frozenset[str]]:
    """Map every surface form to its candidate divisions.

    Returns (index, longest surface length, set of last characters of full forms).
    """
    table = _division_table()
    idx: dict[str, list[_Cand]] = {}

    def add(surface: str, cand: _Cand) -> None:
        surface = surface.strip()
        if surface:
            lst = idx.setdefault(surface, [])
            if all(c.key != cand.key for c in lst):
                lst.append(cand)

    for r in datafiles.rows("divisions.csv"):
        code = r["code"] or None
        parent = r["parent"] or None
        name = r["name"]
        key = code or f"{parent}:{name}"
        # the prefecture-level rows of the municipalities (110100 北京市 …) are only
        # reachable as parents of their districts
        if r["level"] == "prefecture" and parent in table and table[parent].name == name:
            continue
        add(name, _Cand(key, True))
        for s in r["short"].split("|"):
            if s.strip():
                add(s, _Cand(key, False))
    for r in datafiles.rows("division_aliases.csv"):
        code = r["code"]
        if code in table:
            add(r["alias"], _Cand(code, True, r["agency_level"] or None))
    frozen = {k: tuple(v) for k, v in idx.items()}
    longest = max(len(k) for k in frozen)
    enders = frozenset(k[-1] for k, v in frozen.items() if any(c.full for c in v))
    return frozen, longest, enders


@cache
def _t2s() -> Any:
    try:
        import opencc

        return opencc.OpenCC("t2s.json")
    except Exception:  # noqa: BLE001  # pragma: no cover - opencc is a declared dependency
        return None


# ---------------------------------------------------------------------- matching
def _scan_name(s: str) -> list[_Match]:
    """Greedy longest-first scan of a (short) agency name for division names."""
    idx, longest, _ = _surface_index()
    out: list[_Match] = []
    i, n, last_end = 0, len(s), 0
    while i < n:
        anchored = i == 0 or i == last_end
        hit: _Match | None = None
        for L in range(min(longest, n - i), 1, -1):
            cands = idx.get(s[i : i + L])
            if not cands:
                continue
            ok = tuple(c for c in cands if anchored or (c.full and L >= 3))
            if ok:
                hit = _Match(i, i + L, ok)
                break
        if hit is None:
            i += 1
            continue
        out.append(hit)
        i = last_end = hit.end
    return out


@cache
def _ancestors(key: str) -> tuple[str, ...]:
    """key, parent, grand-parent … (self first)."""
    table = _division_table()
    out: list[str] = []
    while key and key in table and key not in out:
        out.append(key)
        key = table[key].parent or ""
    return tuple(out)


def _is_ancestor_or_self(anc: str, key: str) -> bool:
    return anc in _ancestors(key)


def _resolve(matches: Iterable[_Match]) -> dict[str, str | None]:
    """Deepest consistent readings of a left-to-right chain of matches.

    Returns {deepest key: level override} for every consistent reading; matches
    that contradict the chain built so far end the chain.
    """
    chains: dict[str, str | None] | None = None
    for m in matches:
        if chains is None:
            chains = {c.key: c.level_override for c in m.cands}
            continue
        nxt: dict[str, str | None] = {}
        for deep, ov in chains.items():
            for c in m.cands:
                if c.key == deep:
                    nxt[deep] = c.level_override or ov
                elif _is_ancestor_or_self(deep, c.key):
                    nxt[c.key] = c.level_override
        if not nxt:
            break
        chains = nxt
    return chains or {}


def _region_fields(key: str) -> dict[str, str | None]:
    table = _division_table()
    out: dict[str, str | None] = {"province": None, "prefecture": None, "county": None}
    for k in _ancestors(key):
        d = table[k]
        field = {"province": "province", "prefecture": "prefecture", "county": "county"}[d.level]
        out[field] = d.name
    return out


def _common_region(keys: Iterable[str]) -> dict[str, str | None]:
    """Region fields on which all candidate divisions agree."""
    fields = [_region_fields(k) for k in keys]
    out: dict[str, str | None] = {"province": None, "prefecture": None, "county": None}
    if not fields:
        return out
    for f in out:
        vals = {x[f] for x in fields}
        if len(vals) == 1:
            out[f] = vals.pop()
    # never keep a lower field when a higher one is unknown
    if out["province"] is None:
        out["prefecture"] = out["county"] = None
    if out["prefecture"] is None and any(x["prefecture"] for x in fields):
        out["county"] = None
    return out


# ------------------------------------------------------------------ text evidence
@dataclass
class _TextIndex:
    by_end: dict[int, _Match]
    text: str


def _index_text(text: str) -> _TextIndex:
    """All full-name/alias division mentions in ``text`` keyed by end offset."""
    idx, longest, enders = _surface_index()
    by_end: dict[int, _Match] = {}
    for j, ch in enumerate(text):
        if ch not in enders:
            continue
        end = j + 1
        for L in range(min(longest, end), 1, -1):
            cands = idx.get(text[end - L : end])
            if cands:
                full = tuple(c for c in cands if c.full)
                if full:
                    by_end[end] = _Match(end - L, end, full)
                    break
    return _TextIndex(by_end, text)


def _chain_ending_at(ti: _TextIndex, end: int) -> list[_Match]:
    chain: list[_Match] = []
    while end in ti.by_end and len(chain) < 4:
        m = ti.by_end[end]
        chain.append(m)
        end = m.start
    chain.reverse()
    return chain


def _chains(ti: _TextIndex) -> list[list[_Match]]:
    """Maximal runs of adjacent division mentions (江西省上饶市弋阳县)."""
    starts = {m.start for m in ti.by_end.values()}
    out = []
    for end in sorted(ti.by_end):
        # only the maximal chain: skip if another mention starts right here
        if end in starts:
            continue
        ch = _chain_ending_at(ti, end)
        if len(ch) >= 2:
            out.append(ch)
    return out


def _suffix_ok(key: str, prefix: str | None) -> bool:
    """Does the division fit the bare prefix of the name (市/县/区/省 …)?"""
    if prefix is None:
        return True
    d = _division_table()[key]
    if prefix == "省":
        return d.level == "province" and d.name.endswith("省")
    if prefix == "自治区":
        return d.level == "province" and d.name.endswith("自治区")
    return d.name.endswith(prefix)


def _from_text(
    text: str, rest: str, prefix: str | None, candidates: dict[str, str | None]
) -> tuple[str, str | None] | None:
    """Pick one division using the report text, or None when the text does not decide.

    ``candidates`` are the ambiguous readings of the name (empty if the name
    carries no region); ``prefix`` the bare level prefix (市, 县 …) of the name.
    """
    ti = _index_text(text)
    if not ti.by_end:
        return None

    def admissible(keys: Iterable[tuple[str, str | None]]) -> dict[str, str | None]:
        out: dict[str, str | None] = {}
        for k, ov in keys:
            if candidates:
                if k in candidates:
                    out[k] = candidates[k] or ov
            elif _suffix_ok(k, prefix):
                out[k] = ov
        return out

    # A. self-mention: <division><rest of the agency name>
    if len(rest) >= 2:
        found: dict[str, str | None] = {}
        for mo in re.finditer(re.escape(rest), text):
            ch = _chain_ending_at(ti, mo.start())
            if ch:
                found.update(admissible(_resolve(ch).items()))
        if len(found) == 1:
            return next(iter(found.items()))
        if len(found) > 1:
            return None

    # B. address-like chains (江西省上饶市弋阳县建安路…)
    if candidates or prefix is not None:
        found = {}
        for ch in _chains(ti):
            readings = _resolve(ch)
            if len(readings) != 1:
                continue
            deep, ov = next(iter(readings.items()))
            if candidates:
                hit = [k for k in candidates if _is_ancestor_or_self(k, deep)]
                for k in hit:
                    found[k] = candidates[k]
            else:
                # the deepest division of the chain that fits the prefix (市 -> 上饶市)
                for k in _ancestors(deep):
                    if _suffix_ok(k, prefix):
                        found[k] = ov if k == deep else None
                        break
        if len(found) == 1:
            return next(iter(found.items()))
        if len(found) > 1:
            return None

    # C. ambiguous name: only one candidate has its ancestors mentioned in the text
    if len(candidates) > 1:
        mentioned = {c.key for m in ti.by_end.values() for c in m.cands}
        supported = [
            k for k in candidates if any(a in mentioned for a in _ancestors(k)[1:] if a)
        ]
        if len(supported) == 1:
            return supported[0], candidates[supported[0]]
    return None

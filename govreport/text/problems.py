"""Problems an agency admits and improvements it announces, one row per statement, with themes.

Themes come from ``govreport/data/themes.csv``: one row per theme; the ``keywords``
column lists jieba tokens separated by ``|``; ``A&B`` inside it means "both tokens". A
statement gets every theme one of whose keywords is among its tokens (jieba search-mode
tokens, so ``时效性`` also yields ``时效``); if none matches it gets ``other``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from .. import datafiles
from ..errors import renamed
from .engine import NUMERIC_TOKEN, engine, tokenize
from .prose import prose
from .select import ReportsOrText, problems_section, sections_of
from .statements import part_statements, split_problems

THEMES_PATH = datafiles.path("themes.csv")

_PROBLEM_COLUMNS = ["report_id", "section", "part", "n", "statement", "themes", "keywords"]


def load_themes(path: str | Path | None = None) -> pd.DataFrame:
    """The theme taxonomy: ``theme, label_zh, label_en, description, keywords``."""
    df = datafiles.frame(Path(path) if path else "themes.csv")
    missing = {"theme", "keywords"} - set(df.columns)
    if missing:
        raise ValueError(f"themes table lacks columns {sorted(missing)}")
    return df


def _theme_rules(themes: pd.DataFrame | str | Path | None) -> list[tuple[str, list[list[str]]]]:
    df = themes if isinstance(themes, pd.DataFrame) else load_themes(themes)
    rules = []
    for theme, kw in zip(df["theme"], df["keywords"].fillna("")):
        alts = [[t.strip() for t in alt.split("&") if t.strip()] for alt in str(kw).split("|") if alt.strip()]
        if alts:
            rules.append((str(theme), alts))
    return rules


def _tag(statement: str, rules: list[tuple[str, list[list[str]]]], tokens: set[str] | None = None) -> list[str]:
    if tokens is None:
        tokens = set(tokenize(statement, search=True))
    hits = [theme for theme, alts in rules if any(all(t in tokens for t in alt) for alt in alts)]
    return hits or ["other"]


@renamed(statement="text")
def tag_themes(text: str, themes: pd.DataFrame | str | Path | None = None, *,
               tokens: set[str] | None = None) -> list[str]:
    """Themes of one statement ``text``: every theme one of whose keyword rules matches its
    jieba (search-mode) tokens; ``["other"]`` if none does."""
    return _tag(text, _theme_rules(themes), tokens)


def stated_problems(
    report: ReportsOrText,
    *,
    themes: pd.DataFrame | str | Path | None = None,
    top_k: int = 5,
    parts: Sequence[str] = ("problem", "improvement"),
) -> pd.DataFrame:
    """Problems an agency admits and the improvements it announces, one row per statement.

    Takes each report's problems-and-improvements section (the section selector's
    ``"problems"``, see :func:`govreport.text.problems_section`; a string is taken as
    that section's text), splits it with :func:`split_problems`, then into statements
    (一是…二是…, （一）…, 1.…, ①…; otherwise sentences, and in the problems part the
    comma clauses of a sentence that lists several problems, or the items of
    "存在A、B、C等问题"). Outside a list, sentences that announce problems
    (``但也存在一些不足``) or state none (``2018年我局认真细致…``) are not statements.

    Returns ``report_id, section, part, n, statement, themes, keywords``:
    ``part`` is ``problem`` or ``improvement``; ``n`` counts statements from 1 within
    a report and part; ``themes`` and ``keywords`` are ``|``-separated strings
    (``df.themes.str.split("|")`` gives lists). Themes come from ``themes``
    (default ``govreport/data/themes.csv``).
    """
    secs = sections_of(report) if isinstance(report, str) else problems_section(report)
    rules = _theme_rules(themes)
    eng = engine()
    cols: dict[str, list[Any]] = {c: [] for c in _PROBLEM_COLUMNS}
    for rid, number, text in zip(secs["report_id"], secs["number"], secs["text"]):
        problems, improvements = split_problems(prose(text))
        for part, part_text in (("problem", problems), ("improvement", improvements)):
            if part not in parts:
                continue
            for n, st in enumerate(part_statements(part_text, part), start=1):
                toks = {w for w in eng.tokenizer.cut_for_search(st) if w.strip()}
                kws = [w for w in eng.tfidf.extract_tags(st, topK=top_k + 5) if not NUMERIC_TOKEN.match(w)][:top_k]
                cols["report_id"].append(rid)
                cols["section"].append(number)
                cols["part"].append(part)
                cols["n"].append(n)
                cols["statement"].append(st)
                cols["themes"].append("|".join(_tag(st, rules, toks)))
                cols["keywords"].append("|".join(kws))
    out = pd.DataFrame(cols)
    out["section"] = pd.array(out["section"], dtype="Int64")
    out["n"] = out["n"].astype(int)
    return out


@renamed(statements="problems")
def theme_coverage(problems: pd.DataFrame, part: str = "problem") -> float:
    """Share of ``part`` statements with a theme other than ``other`` (NaN if none), in
    ``problems``, the table :func:`stated_problems` returns (as :func:`govreport.plot.problem_themes`)."""
    s = problems[problems["part"] == part]
    if s.empty:
        return float("nan")
    return float((s["themes"] != "other").mean())

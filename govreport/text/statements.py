"""Section 五 cut into a problems part and an improvements part, and each part into statements.

Phrases that announce problems without stating one (preambles), sentences that close a
list, and the words that mark a shortcoming are data: ``govreport/data/problem_phrases.csv``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from .. import numbering as nb
from .phrases import phrase, phrase_re
from .prose import narrow, sentences
from .select import problems_subhead

_ENUM_BEFORE = r"(?:^|(?<=[。；;，,:：\s)）!！?？]))"
# The first item needs a boundary before it; later 二是/三是 may be glued to the previous item
# (but 十二是 is not 二是, and 第二是 is no ordinal item).
_ENUM_FAMILIES: list[tuple[str, Callable[[int], str]]] = [
    ("ordinal", lambda k: (_ENUM_BEFORE if k == 1 else r"(?<![十第])") + nb.ordinal(nb.chinese(k)) + r"(?=\S)"),
    ("ordinal_shi", lambda k: _ENUM_BEFORE + nb.counted(nb.chinese(k))),
    ("paren_cn", lambda k: nb.paren(nb.chinese(k), full_width=True)),
    ("cn_dun", lambda k: _ENUM_BEFORE + nb.dun(nb.chinese(k))),
    ("paren_ar", lambda k: nb.paren(str(k), full_width=True)),
    ("arabic", lambda k: _ENUM_BEFORE + r"(?<![\d.])" + nb.arabic(str(k), seps=".．、)）", space=r"\s*") + r"(?![\d])"),
    ("circled", lambda k: nb.circled_item(k, upto=10)),
]
_ENUM_MAKERS = dict(_ENUM_FAMILIES)
# the improvements sub-heading is numbered 一 to 三 or 2: (二), 三、, 2.
_SUBHEAD_NUM = f"(?:{nb.numeral(3)}|2)"
_SUBHEAD_NUMBER = (nb.paren(_SUBHEAD_NUM, full_width=True, space=r"\s*") + "|"
                   + nb.dun(_SUBHEAD_NUM, seps="、.．", space=r"\s*"))


@functools.lru_cache(maxsize=256)
def _enum_re(family: str, k: int) -> re.Pattern:
    return re.compile(_ENUM_MAKERS[family](k))


def enumerate_items(text: str) -> tuple[str, list[str]] | None:
    """Split ``text`` at an enumeration (一是…二是…, （一）…, 1.…, ①…).

    Returns (lead-in, items) for the family whose first item comes first and that
    has at least two items in sequence, or None.
    """
    best: tuple[int, list[tuple[int, int]]] | None = None
    for family, _ in _ENUM_FAMILIES:
        m1 = _enum_re(family, 1).search(text)
        if not m1 or (best is not None and m1.start() >= best[0]):
            continue
        spans = [(m1.start(), m1.end())]
        pos = m1.end()
        k = 2
        while True:
            mk = _enum_re(family, k).search(text, pos)
            if not mk:
                break
            spans.append((mk.start(), mk.end()))
            pos = mk.end()
            k += 1
        if len(spans) >= 2:
            best = (m1.start(), spans)
    if best is None:
        return None
    spans = best[1]
    items = []
    for i, (s, e) in enumerate(spans):
        end = spans[i + 1][0] if i + 1 < len(spans) else len(text)
        items.append(text[e:end])
    return text[: spans[0][0]], items


@functools.cache
def _improve_subhead() -> re.Pattern:
    return re.compile(
        r"(?:^|(?<=[。；;！!\n:：]))\s*(?P<marker>" + _SUBHEAD_NUMBER + r")?\s*"
        + phrase("improvement_heading") + r"\s*(?:[:：。\n]|$|(?(marker)(?=[\u4e00-\u9fff\d(（])|(?!)))"
    )


@functools.cache
def _improve_inline() -> re.Pattern:
    return re.compile(r"(?:^|(?<=[。；;！!\n:：]))\s*" + phrase("improvement_start"))


@functools.cache
def _plan_marker() -> re.Pattern:
    return re.compile(r"^\s*" + phrase("plan_marker") + r"\s*[，,:：]?\s*")


# Splitting: a clause with one of these words says something on its own.
_PREDICATE = re.compile(
    r"不|未|没有|无法|缺|欠|差距|有待|待|需|亟|尚|仍|较少|较弱|薄弱|单一|有限|滞后|难以|落后|短板|问题|偏|低|少|弱|"
    r"局限|困难|加强|提高|提升|完善|改进|制约|影响"
)
_LIST_OF_PROBLEMS = re.compile(
    r"^(?:但|但是|然而|同时)?[^、，,]{0,8}?(?:也|仍|还|仍然)*(?:存在|有)着?(?P<inner>.+?、.+?)(?:等)?(?:方面的)?(?:问题|不足|情况)$"
)


def is_preamble(clause: str) -> bool:
    """A clause that announces problems or praises the work without stating a problem."""
    return bool(phrase_re("preamble").search(clause.rstrip("。；;")))


def states_shortcoming(statement: str) -> bool:
    """True when ``statement`` has a word that marks a shortcoming (不够, 有待, 单一 …)."""
    return bool(phrase_re("deficiency").search(statement))


def _clean_statement(s: str) -> str:
    s = re.sub(r"\s+", "", s) if re.search(r"[\u4e00-\u9fff]\s+[\u4e00-\u9fff]", s) else s.strip()
    return s.strip().strip("，,；;:：、。 ")


def _clauses(sentence: str) -> list[str]:
    # a colon ends a lead-in (但在工作中仍在不足：…), so it cuts like a comma
    return [p.strip() for p in re.split(r"[，,:：]", sentence) if p.strip()]


def _split_problem_sentence(sentence: str) -> list[str]:
    """One sentence of the problems part -> its problems (clauses with a predicate)."""
    body = sentence.rstrip("。；;！!？? ")
    merged: list[str] = []
    carry = ""
    for c in _clauses(body):
        if is_preamble(c):
            carry = ""  # "2024年,…取得一定成绩", "主要是": the words carried belong to the preamble
            continue
        if not _PREDICATE.search(c) and len(c) <= 6:
            carry = (carry + "," if carry else "") + c  # "今年", "目前" go with the next clause
            continue
        merged.append((carry + "," + c) if carry else c)
        carry = ""
    if carry:
        if merged:
            merged[-1] += "," + carry
        else:
            merged.append(carry)
    kept = [c for c in merged if not is_preamble(c)]
    if not kept:
        return []
    out: list[str] = []
    if len(kept) >= 2 and all(_PREDICATE.search(c) for c in kept):
        for c in kept:  # clauses that explain the one before stay with it
            if out and re.match(r"^(?:导致|致使|造成|从而|进而|影响|以致|使得|使|并且|而且|且)", c):
                out[-1] += "," + c
            else:
                out.append(c)
    else:
        out = [",".join(kept)]
    final: list[str] = []
    for c in out:
        m = _LIST_OF_PROBLEMS.match(c)
        if m:
            pieces = [p.strip() for p in m.group("inner").split("、") if p.strip()]
            if len(pieces) >= 2 and all(_PREDICATE.search(p) for p in pieces):
                final.extend(pieces)
                continue
        final.append(c)
    # outside a list, a sentence that names no shortcoming is a preamble (2018年我局认真细致…)
    return [c for c in final if states_shortcoming(c)]


def part_statements(text: str, part: str) -> list[str]:
    """The statements of one part (``problem`` or ``improvement``) of section 五."""
    text = text.strip()
    if not text:
        return []
    enum = enumerate_items(text)
    closing = phrase_re("closing")
    statements: list[str] = []
    if enum is not None:
        lead, items = enum
        if part == "problem":
            for s in sentences(lead):  # preambles go clause by clause, problems stay
                statements.extend(_split_problem_sentence(s))
        for i, item in enumerate(items):
            if i == len(items) - 1:
                sents = sentences(item)
                while len(sents) > 1 and closing.match(sents[-1]):
                    sents.pop()
                item = "".join(sents)
            statements.append(item)
    else:
        for s in sentences(text):
            if part == "problem":
                statements.extend(_split_problem_sentence(s))
            else:
                s2 = _plan_marker().sub("", s)
                if re.search(r"以下|如下", s2) and re.search(r"[:：]\s*$", s2):
                    continue  # "将从以下方面改进：" is a lead-in, not a statement
                if closing.match(s2) and statements:
                    continue
                statements.append(s2)
    out = []
    for s in statements:
        s = _clean_statement(s)
        if len(re.sub(r"\W", "", s)) >= 2 and s not in ("无", "无。"):
            out.append(s)
    return out


def split_problems(text: str) -> tuple[str, str]:
    """Split the text of section 五 into (problems part, improvements part).

    Recognises sub-headings (``（一）存在的主要问题`` / ``（二）改进措施``,
    ``1.存在的主要问题。`` / ``2.下一步改进措施。``, ``存在的主要问题：`` /
    ``改进情况：``, also glued to the first sentence after a list marker) and, in
    single paragraphs, the sentence where the plans start (``下一步``, ``今后``,
    ``2018年将…``, ``我们将…``, ``将从以下方面…``).
    """
    t = narrow(text or "")
    start = 0
    mp = problems_subhead().search(t)
    if mp:
        start = mp.end()
    mi = _improve_subhead().search(t, start)
    if mi:
        return t[start:mi.start()].strip(), t[mi.end():].strip()
    mi = _improve_inline().search(t, start)
    if mi:
        return t[start:mi.start()].strip(), t[mi.start():].strip()
    return t[start:].strip(), ""

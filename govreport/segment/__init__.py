"""Find a report's top-level sections, its metadata and its layout.

Works on the normalised text (simplified script, half-width). Section headings are
``一、…`` numerals followed by a title; a heading counts when the numerals run in order
and the title ends like a section title (``情况``, ``事项``…, data in ``title_endings.csv``)
or stands alone on its line. Text copies that lost their line breaks keep their headings
inline, so both are searched.
"""
from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

from .. import layouts
from ..normalize import fix_labels, squash

_NUMERALS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四",
             "十五", "十六", "十七", "十八", "十九", "二十"]
_HEAD = re.compile(r"(十[一二三四五六七八九]?|二十|[一二三四五六七八九])、")
_TITLE_RUN = re.compile(r"[\u4e00-\u9fff、“”\"]{1,40}")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")


@dataclass
class Section:
    number: int
    title: str
    start: int  # offset of the heading in the text
    body_start: int
    end: int
    code: str | None


def _value(numeral: str) -> int:
    return _NUMERALS.index(numeral) + 1


def _title(text: str, pos: int, line_start: bool) -> str | None:
    m = _TITLE_RUN.match(text, pos)
    if not m:
        return None
    run = m.group(0).rstrip("、")
    strong, weak = layouts.title_endings()
    cut = max((run.rfind(e) + len(e) for e in strong if e in run), default=-1)
    if cut < 0:
        cut = max((run.rfind(e) + len(e) for e in weak if e in run), default=-1)
    if cut > 1:
        return run[:cut]
    if line_start:
        eol = text.find("\n", pos)
        line = text[pos: eol if eol >= 0 else len(text)].strip()
        if 1 < len(line) <= 30 and line == run:
            return run
    return None


def find_sections(text: str) -> list[Section]:
    """Top-level sections in order. Lines holding table cells (``|``) are never headings."""
    found: list[tuple[int, int, str, int]] = []  # (number, start, title, body_start)
    expected = 1
    for m in _HEAD.finditer(text):
        n = _value(m.group(1))
        if n not in (expected, expected + 1) or (n == expected + 1 and expected == 1):
            continue
        line_begin = text.rfind("\n", 0, m.start()) + 1
        eol = text.find("\n", m.end())
        line = text[line_begin: eol if eol >= 0 else len(text)]
        if "|" in line:
            continue
        line_start = not text[line_begin:m.start()].strip()
        if n == expected + 1 and not line_start:
            continue
        title = _title(text, m.end(), line_start)
        if not title:
            continue
        found.append((n, m.start(), title, m.end() + len(title)))
        expected = n + 1
    out = []
    for i, (n, start, title, body) in enumerate(found):
        end = found[i + 1][1] if i + 1 < len(found) else len(text)
        out.append(Section(n, title, start, body, end, section_code(title)))
    return out


def section_code(title: str) -> str | None:
    """Standard code of a section title (``problems`` for 存在的主要问题及改进情况 …)."""
    for code, keys in layouts.section_codes():
        if any(k in title for k in keys):
            return code
    return None


# ---------------------------------------------------------------- layout
def detect_layout(text: str) -> tuple[str | None, dict[str, int]]:
    """Layout voted by the table labels present (never by the year)."""
    flat = fix_labels(squash(text))
    scores = {layout: 0 for layout in layouts.LAYOUTS}
    for layout, marker, weight in layouts.markers():
        if marker in flat:
            scores[layout] += weight
    best = max(scores, key=scores.get)
    return (best if scores[best] >= 2 else None), scores


# ---------------------------------------------------------------- meta
_TITLE_YEAR_FIRST = re.compile(r"(20\d\d|19\d\d)年度?([\u4e00-\u9fff]{2,30}?)政府信息(?:与政务)?公开(?:工作)?年度?报告")
_TITLE_AGENCY_FIRST = re.compile(r"([\u4e00-\u9fff]{2,30}?)(20\d\d|19\d\d)年度?政府信息(?:与政务)?公开(?:工作)?年度?报告")
_YEAR_REPORT = re.compile(r"(20\d\d|19\d\d)年度?政府信息公开[\u4e00-\u9fff]{0,6}?报告")
_PERIOD = re.compile(r"统计(?:期限|周期|时限)[^0-9]{0,6}(20\d\d)年")
_YEAR = re.compile(r"(20\d\d)年")
_PUBLISHED = re.compile(r"发布(?:时间|日期)\s*[:：]?\s*(20\d\d)\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})")
_DATE_LINE = re.compile(r"^\s*(20\d\d)年(\d{1,2})月(\d{1,2})日\s*$", re.M)
_BOOK = re.compile(r"《[^》]{0,80}》")
_PLACE = re.compile(r"[省市县区州旗盟镇乡]|街道|国务院|实验区|新区")
_LEADING = ("现将", "请与", "根据", "按照", "经过", "以", "由", "将", "对", "在", "向", "经", "与", "和",
            "及", "为", "是", "从", "本", "我", "联系", "关于")
_AFTER_BONUS = ("政务公开", "信息公开", "政府信息", "在", "坚持", "紧紧", "深入", "认真")


def _clean_agency(name: str) -> str:
    changed = True
    while changed:
        changed = False
        for w in _LEADING:
            if name.startswith(w) and len(name) - len(w) >= 4:
                name, changed = name[len(w):], True
    return name


_NOT_IN_NAMES = ("我们", "按照", "今后", "的", "了", "通过", "关于", "根据", "进行", "对网站", "要求", "工作")


def _valid_agency(name: str) -> bool:
    return 4 <= len(name) <= 30 and bool(_PLACE.search(name)) and not any(w in name for w in _NOT_IN_NAMES)


_STRONG_AFTER = re.compile(r"(?:\d{4}年度?)?(?:政务公开|政府信息公开|信息公开)|(?:在|坚持|紧紧|深入|认真|积极|严格|高度|始终|全面|以)")
_YEAR_REPORT_AFTER = re.compile(r"\d{4}年度?政府信息公开")
_STRONG_BEFORE = re.compile(r"(?:年(?:以来)?[,，]?|^|[\n。;；])$")


@functools.cache
def _suffix_re(suffixes: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join(map(re.escape, suffixes)))


def find_agency(text: str) -> str | None:
    """The issuing agency's full name, from the text's own mentions of it (None if never named).

    A name counts strongly where the report speaks of itself (``现将X2024年政府信息公开…``,
    ``2023年,X信息公开工作…``, ``请与X联系``); otherwise it must recur.
    """
    flat = _BOOK.sub("。", re.sub(r"[ \t\u3000\xa0]+", "", text))
    suffixes = layouts.agency_suffixes()
    strong: Counter[str] = Counter()
    count: Counter[str] = Counter()
    suffix_re = _suffix_re(suffixes)
    for run in _CJK_RUN.finditer(flat):
        s = run.group(0)
        for sm in suffix_re.finditer(s):
            full = s[: sm.end()]
            cand = _clean_agency(full)
            if not _valid_agency(cand):
                continue
            begin, end = run.start() + len(full) - len(cand), run.start() + sm.end()
            before, after = flat[max(0, begin - 6):begin], flat[end:end + 12]
            count[cand] += 1
            if (before.endswith(("现将", "请与", "本报告由")) or _YEAR_REPORT_AFTER.match(after)
                    or (_STRONG_BEFORE.search(before) and _STRONG_AFTER.match(after))):
                strong[cand] += 1
    pool = strong or Counter({c: n for c, n in count.items() if n >= 2})
    if not pool:
        return None
    best = max(pool, key=lambda c: (pool[c], count[c], len(c)))
    if best[0] in "市县区省州" and len(best) > 4:
        # "市住房和城乡建设局" names itself in full elsewhere: "安顺市住房和城乡建设局"
        fuller = [_clean_agency(m.group(1) + best)
                  for m in re.finditer(r"([\u4e00-\u9fff]{2,4})" + re.escape(best), flat)]
        fuller = [f for f in fuller if f != best and len(f) <= len(best) + 4]
        if fuller:
            best = Counter(fuller).most_common(1)[0][0]
    return best


def extract_meta(text: str) -> dict:
    """``agency``, ``year``, ``published``, ``title`` from the normalised text."""
    head = squash(text[:1500])
    agency = year = title = None
    matches = []
    for pat, a_idx, y_idx in ((_TITLE_YEAR_FIRST, 2, 1), (_TITLE_AGENCY_FIRST, 1, 2)):
        for m in pat.finditer(head):
            cand = _clean_agency(m.group(a_idx))
            cand = re.sub(r"^(标题|正文|文章|题目)[:：]?", "", cand)
            if _valid_agency(cand):
                matches.append((m.start(), cand, int(m.group(y_idx)), m.group(0)))
                break
    if matches:
        _, agency, year, title = min(matches)
    if agency is None:
        agency = find_agency(text)
    if year is None:
        for pat in (_YEAR_REPORT, _PERIOD):
            m = pat.search(squash(text[:5000]))
            if m:
                year = int(m.group(1))
                break
    if year is None:
        years = Counter(int(y) for y in _YEAR.findall(text[:6000]))
        if years:
            year = years.most_common(1)[0][0]
    published = None
    m = _PUBLISHED.search(text) or None
    if m is None:
        dates = list(_DATE_LINE.finditer(text))
        m = dates[-1] if dates else None
    if m:
        try:
            published = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            published = None
    return {"agency": agency, "year": year, "published": published, "title": title}

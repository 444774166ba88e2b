"""What a report says about itself: title, year, agency (with the evidence that gave it).

Evidence is taken strongest first. Year: the title line, the statistical-period sentence
(``统计期限自2023年1月1日起至…``), the year cell of a table header, the report's own mention
of its year report, and only then the narrative — never a forward mention such as
``余8件转2023年度办理``. Agency: the title line, the opening sentence (``现将XX2023年…``),
the contact sentence (``请与XX联系``), the signature block, the page header, and only then
recurring self-mentions. Lead phrases glued to a name (``现公布``, ``信息公开年报`` …) are
data (``agency_prefixes.csv``). A report that names itself only ``我局`` has no agency.
"""
from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from datetime import date

from .. import datafiles
from .. import findings as fnd
from .. import layouts
from .. import numbering as nb
from ..normalize import squash
from ..reader.document import Grid
from ..reader.text import text_blocks
from .dates import find_published

_Y = r"((?:20|19)\d\d)年度?"
_REPORT = r"(?:政府信息|政务)(?:与政务)?公开(?:工作)?年度?报告"
_TITLE_YEAR_FIRST = re.compile(_Y + r"([\u4e00-\u9fff]{2,30}?)" + _REPORT)
_TITLE_AGENCY_FIRST = re.compile(r"([\u4e00-\u9fff]{2,30}?)" + _Y + _REPORT)
_TITLE_ANY = re.compile(_Y + r"[\u4e00-\u9fff]{0,30}?" + _REPORT)
_YEAR_REPORT = re.compile(_Y + r"政府信息公开[\u4e00-\u9fff]{0,6}?报告")
_PERIOD = re.compile(r"统计(?:期限|周期|时限|时间|区间)[^0-9]{0,6}((?:20|19)\d\d)年")
_YEAR_ANY = re.compile(r"((?:20|19)\d\d)\s*年")
_SENTENCE_YEAR = re.compile(r"(?:^|[。；;！\n])\s*((?:20|19)\d\d)\s*年度?\s*(?:以来|来)?\s*[,，]", re.MULTILINE)
_FORWARD_BEFORE = ("转", "至", "到", "向", "入")
_PLAN = re.compile(r"将|计划|力争|拟")  # 2023年，我局将… speaks of the next year
_FORWARD_AFTER = re.compile(r"\s*年度?\s*(?:将|计划|工作计划|继续办理)")
_BOOK = re.compile(r"《[^》]{0,80}》")
# a cited rule (《…年度报告有关事项的通知》), not the report's own title in book quotes
_CITED = re.compile(r"《[^》]{0,80}(?:通知|条例|规定|意见|办法|要点|决定|细则|纲要)》")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_PLACE = re.compile(r"[省市县区州旗盟镇乡]|街道|国务院|实验区|新区")
# 本局, 我乡, 该中心, 全市 … refer to the report's agency without naming it (本溪市 is a name)
_SELF_START = re.compile(r"^(?:我|[本该全各](?:局|委|办|厅|中心|机关|单位|乡|镇|街道|部门|院|县|区|市|省|署|所|站|公司|政府))")  # noqa: E501
_SELF_REF = re.compile(r"(?:我|本)(?:局|委|办|厅|中心|机关|单位|乡|镇|街道|部门|院|县|区|市|署|所|站|公司)")
_OPENING = re.compile(r"现将([\u4e00-\u9fff]{2,30}?)(?:(?:20|19)\d\d\s*年|(?:政府信息|政务|信息)公开)")
_COMPILED_BY = re.compile(r"本(?:年度)?(?:报告|年报)由([\u4e00-\u9fff]{2,30}?)(?:根据|依据|按照|编制|负责|发布|,|，)")
_CONTACT = re.compile(r"(?:请与|请联系|联系单位[:：]?|联系机关[:：]?)([\u4e00-\u9fff]{2,30}?)(?:联系|[,，(（:：。;；])")
_HEADER_FIELD = re.compile(r"^\s*发布机构\s*[:：]\s*([\u4e00-\u9fff]{2,30})\s*$", re.MULTILINE)
_SIGNATURE_DATE = re.compile(rf"^\s*(?:(?:20|19)\d\d|{nb.digit_run(4, zeros='〇○零')})\s*年[^\n]{{1,8}}日\s*$",
                             re.MULTILINE)
_NAME_LINE = re.compile(r"^[\u4e00-\u9fff（）()]{3,30}$")
_STRONG_AFTER = re.compile(r"(?:\d{4}年度?)?(?:政务公开|政府信息公开|信息公开)|(?:在|坚持|紧紧|深入|认真|积极|严格|高度|始终|全面|以)")  # noqa: E501
_YEAR_REPORT_AFTER = re.compile(r"\d{4}年度?政府信息公开")
_STRONG_BEFORE = re.compile(r"(?:年(?:以来)?[,，]?|^|[\n。;；])$")

#: values of ``meta["agency_source"]``, strongest evidence first
AGENCY_SOURCES = ("title", "opening", "contact", "signature", "header", "mention")


@functools.cache
def _prefixes() -> tuple[tuple[str, ...], ...]:
    """Phrases of ``agency_prefixes.csv``: leads stripped everywhere, single lead characters
    stripped only from mentions inside a sentence, units inside an agency that the
    contact sentence names after it, words glued after a name (``…办公室关于2023年…``), and
    narrative words that no name contains."""
    rows = datafiles.rows("agency_prefixes.csv")

    def scope(name: str) -> tuple[str, ...]:
        return tuple(sorted((r["phrase"] for r in rows if r["scope"] == name), key=len, reverse=True))

    return scope("any"), scope("mention"), scope("contact_tail"), scope("tail"), scope("not_in_name")


@functools.cache
def _place_starts() -> frozenset[str]:
    """First two characters of every division name and short form (和平区, 本溪市, 和县):
    a lead character is not stripped where it begins a place name."""
    out = set()
    for name, cols in (("divisions.csv", ("name", "short")), ("division_aliases.csv", ("alias",))):
        for r in datafiles.rows(name):
            for c in cols:
                out.update(v[:2] for v in r[c].split("|") if len(v) >= 2)
    return frozenset(out)


@functools.cache
def _year_headers() -> tuple[tuple[re.Pattern, re.Pattern | None], ...]:
    """Per header word: its pattern over a table's cells (kept apart by ``\\x00``, rows by
    ``\\x01``: a year cell beside the word, or both in one cell) and, for a year printed
    before its word, over text that lost its cell borders (``2017年度历年累计``)."""
    out = []
    for r in datafiles.rows("year_headers.csv"):
        w = re.escape(r["word"])
        if r["side"] == "before":
            out.append((re.compile(w + "\x00?" + _Y + r"(?=[\x00\x01]|\Z)"), None))
        else:
            out.append((re.compile(_Y + "\x00?" + w), re.compile(_Y + w)))
    return tuple(out)


def clean_agency(name: str, mention: bool = False) -> str:
    """Drop the lead phrases glued in front of a name (``现公布区政府国资局`` → ``区政府国资局``):
    everything up to the last lead phrase, then (for a mention) single lead characters."""
    anywhere, single, _, tails, _ = _prefixes()
    cut = max((name.rfind(p) + len(p) for p in anywhere if p in name), default=0)
    if cut and len(name) - cut >= 3:
        name = name[cut:]
    for t in tails:
        if name.endswith(t) and len(name) - len(t) >= 3:
            name = name[: -len(t)]
    if mention:
        changed = True
        while changed:
            changed = False
            for w in single:
                if name.startswith(w) and len(name) - len(w) >= 4 and name[:2] not in _place_starts():
                    name, changed = name[len(w):], True
    return name


def valid_agency(name: str | None) -> bool:
    """A full agency name: 3–30 characters, a place word, no narrative words, and not a
    self-reference (``本局``, ``我乡``)."""
    if not name or not 3 <= len(name) <= 30 or _SELF_START.match(name):
        return False
    return bool(_PLACE.search(name)) and not any(w in name for w in _prefixes()[4])


@functools.cache
def _suffix_re(suffixes: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join(map(re.escape, suffixes)))


def _flat(text: str) -> str:
    return _BOOK.sub("。", re.sub(r"[ \t\u3000\xa0]+", "", text))


def _fuller(name: str, flat: Callable[[], str]) -> str:
    """A bare ``市住房和城乡建设局`` printed in full elsewhere (``安顺市住房和城乡建设局``)."""
    if name[0] not in "市县区省州" or len(name) <= 4:
        return name
    fuller = [clean_agency(m.group(1) + name, mention=True)
              for m in re.finditer(r"([\u4e00-\u9fff]{2,4})" + re.escape(name), flat())]
    fuller = [f for f in fuller if f != name and len(f) <= len(name) + 4 and valid_agency(f)]
    return Counter(fuller).most_common(1)[0][0] if fuller else name


# ---------------------------------------------------------------- title and year
def _place_suffix(run: str) -> str | None:
    """The longest tail of ``run`` that is a valid name beginning with a place name: the
    title line glued to the line before it (``…要求定陶区房地产服务中心``)."""
    starts = _place_starts()
    for i in range(1, len(run) - 2):
        tail = run[i:]
        if tail[:2] in starts and valid_agency(tail):
            return tail
    return None


def find_title(text: str) -> tuple[str | None, str | None, int | None]:
    """``(title, agency, year)`` of the title line ``XX2023年政府信息公开工作年度报告`` (or
    ``2023年XX…``) in the first lines; agency None when the title does not name one."""
    head = _CITED.sub("。", squash(text[:1500]))
    matches = []
    for pat, a_idx, y_idx in ((_TITLE_YEAR_FIRST, 2, 1), (_TITLE_AGENCY_FIRST, 1, 2)):
        for m in pat.finditer(head):
            cand = clean_agency(m.group(a_idx))
            if not valid_agency(cand):
                cand = _place_suffix(cand)
            if cand:
                matches.append((m.start(), cand, int(m.group(y_idx)), m.group(0)))
                break
    if matches:
        _, agency, year, title = min(matches)
        return title, agency, year
    m = _TITLE_ANY.search(head)
    return (m.group(0), None, int(m.group(1))) if m else (None, None, None)


def _text_rows(text: str) -> list[list[str]]:
    """The rows of the tables a text prints with ``|``, split as the reader splits a
    plain-text report (:func:`~govreport.reader.text.text_blocks`)."""
    return [row for b in text_blocks(text.splitlines())[0] if isinstance(b, Grid) for row in b.logical_rows()]


def _header_year(text: str, rows: Iterable[Sequence[str]] | None = None) -> int | None:
    """The year of a table header: a year cell beside its header word (``计量单位`` |
    ``2017年度``, ``2017年`` | ``历年累计``) in the table ``rows`` (None: the tables of
    ``text``), or a glued copy of the two in the text (``2017年度历年累计``: text that lost
    its cell borders)."""
    # a match stays inside one row and holds 年: only such rows are joined and squashed
    joined = ("\x00".join(row) for row in (_text_rows(text) if rows is None else rows))
    cells = squash("\x01".join(j for j in joined if "年" in j))  # \x00, \x01 are no white space
    flat = squash(text)
    for in_cells, in_text in _year_headers():
        m = in_cells.search(cells) or (in_text.search(flat) if in_text else None)
        if m:
            return int(m.group(1))
    return None


def _narrative_year(text: str, published: date | None) -> int | None:
    """The year the narrative speaks of: sentence-initial ``2023年，`` first, else the most
    frequent mention that is not forward-looking; never the publication year or later."""
    def ok(y: int) -> bool:
        return published is None or y < published.year

    head = text[:6000]
    opening = Counter(int(m.group(1)) for m in _SENTENCE_YEAR.finditer(head)
                      if ok(int(m.group(1))) and not _PLAN.search(head, m.end(), m.end() + 8))
    if opening:
        return max(opening, key=lambda y: (opening[y], -y))
    years: Counter[int] = Counter()
    for m in _YEAR_ANY.finditer(head):
        if head[max(0, m.start() - 1):m.start()] in _FORWARD_BEFORE or _FORWARD_AFTER.match(head, m.end() - 1):
            continue
        if ok(int(m.group(1))):
            years[int(m.group(1))] += 1
    return max(years, key=lambda y: (years[y], -y)) if years else None


def find_year(text: str, title_year: int | None = None, published: date | None = None,
              rows: Iterable[Sequence[str]] | None = None) -> tuple[int | None, str | None, list[fnd.Finding]]:
    """``(year, source, findings)``; source ``title``, ``period``, ``table`` (a header cell
    of the table ``rows``; None: of the ``|`` tables the text prints), ``opening`` or
    ``narrative``. A period sentence that contradicts
    the title gives a ``year_conflict`` finding (the title's year is kept: the period
    sentence is the line reports copy from the year before)."""
    notes: list[fnd.Finding] = []
    head = squash(text[:5000])
    period = _PERIOD.search(head)
    period_year = int(period.group(1)) if period else None
    if title_year is not None:
        if period_year is not None and period_year != title_year:
            notes.append(fnd.finding(
                "year_conflict", f"the title says {title_year}, the statistical period {period_year}",
                severity="warning", reported=float(title_year), recomputed=float(period_year)))
        return title_year, "title", notes
    if period_year is not None:
        return period_year, "period", notes
    year = _header_year(text, rows)
    if year is not None:
        return year, "table", notes
    m = _YEAR_REPORT.search(_CITED.sub("。", head))
    if m:
        return int(m.group(1)), "opening", notes
    year = _narrative_year(text, published)
    if year is not None:
        notes.append(fnd.finding("year_inferred", f"no title or period sentence states the year; {year} is the "
                                 "year the narrative speaks of", severity="info", status="info"))
        return year, "narrative", notes
    return None, None, notes


# ---------------------------------------------------------------- agency
def _first_valid(cands: list[str], mention: bool = False) -> str | None:
    for c in cands:
        c = clean_agency(c, mention)
        if valid_agency(c):
            return c
    return None


def _contact_name(name: str) -> str:
    """``弋阳县住房建设保障中心办公室`` → the agency, not its office (a government's office stays)."""
    for tail in _prefixes()[2]:
        rest = name[: -len(tail)]
        if (name.endswith(tail) and valid_agency(rest) and not rest.endswith("政府")
                and _suffix_re(layouts.agency_suffixes()).search(rest[-4:])):
            return rest
    return name


def _signature(text: str) -> str | None:
    """The agency line of the signature block: a name alone on the line before (or after)
    the date line at the end of the narrative."""
    lines = text.split("\n")
    for i in range(len(lines) - 1, -1, -1):
        if "日" in lines[i] and _SIGNATURE_DATE.match(lines[i]):  # 日 first: the regex on few lines
            for j in (i - 1, i - 2, i + 1):
                if 0 <= j < len(lines):
                    line = lines[j].strip()
                    if (_NAME_LINE.match(line) and valid_agency(line)
                            and _suffix_re(layouts.agency_suffixes()).search(line[-4:])):
                        return line
            return None
    return None


def _header(text: str) -> str | None:
    """A page header: the ``发布机构`` field of a web page, or a name alone on a line that recurs."""
    m = _HEADER_FIELD.search(text)
    if m and valid_agency(clean_agency(m.group(1))):
        return clean_agency(m.group(1))
    lines = Counter(s for s in map(str.strip, text.split("\n")) if _NAME_LINE.match(s))
    suffix_re = _suffix_re(layouts.agency_suffixes())
    for line, n in lines.most_common():
        if n < 2:
            break
        if valid_agency(line) and suffix_re.search(line[-4:]):
            return line
    return None


def _mentions(flat: str) -> str | None:
    """Recurring self-mentions (``2023年以来，XX在…``, ``XX2024年政府信息公开…``); a name
    counts strongly where the report speaks of itself, otherwise it must recur."""
    suffix_re = _suffix_re(layouts.agency_suffixes())
    strong: Counter[str] = Counter()
    count: Counter[str] = Counter()
    for run in _CJK_RUN.finditer(flat):
        s = run.group(0)
        for sm in suffix_re.finditer(s):
            full = s[: sm.end()]
            cand = clean_agency(full, mention=True)
            if not (valid_agency(cand) and len(cand) >= 4):
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
    return max(pool, key=lambda c: (pool[c], count[c], len(c)))


def find_agency(text: str, title_agency: str | None = None) -> tuple[str | None, str | None]:
    """``(agency, source)``: the issuing agency's full name as the report prints it and the
    evidence that gave it (one of :data:`AGENCY_SOURCES`); ``(None, None)`` when the report
    never names itself (``我局`` only)."""
    flat = functools.cache(lambda: _flat(text))  # built only when a step needs it
    steps = (
        ("title", lambda: title_agency),
        ("opening", lambda: _first_valid([m.group(1) for pat in (_OPENING, _COMPILED_BY)
                                          for m in pat.finditer(flat())])),
        ("contact", lambda: _first_valid([_contact_name(m.group(1)) for m in _CONTACT.finditer(flat())])),
        ("signature", lambda: _signature(text)),
        ("header", lambda: _header(text)),
        ("mention", lambda: _mentions(flat())),
    )
    for source, step in steps:  # strongest evidence first, the weaker ones never computed
        name = step()
        if name:
            return _fuller(name, flat), source
    return None, None


def self_reference(text: str) -> str | None:
    """How the report refers to itself when it never prints its name (``我局``)."""
    counts = Counter(_SELF_REF.findall(text[:20000]))
    return counts.most_common(1)[0][0] if counts else None


# ---------------------------------------------------------------- all of it
def read_meta(text: str, rows: Iterable[Sequence[str]] | None = None) -> tuple[dict, list[fnd.Finding]]:
    """``agency, agency_source, year, year_source, published, published_source, title``
    of the normalised text, with the findings about them; ``rows`` are the rows of the
    report's tables (their header cells may hold the year), None to take them from the
    ``|`` tables of the text as the reader would."""
    title, title_agency, title_year = find_title(text)
    published, published_source = find_published(text)
    year, year_source, notes = find_year(text, title_year, published, rows)
    agency, agency_source = find_agency(text, title_agency)
    if agency is None:
        ref = self_reference(text)
        notes.append(fnd.finding("agency_unknown", f"the report names itself only as {ref}" if ref
                                 else "the report never states its agency", severity="info", status="info"))
    if year is not None and published is not None and published.year <= year:
        # a report covers a finished year: one of the two is wrong, the finding shows both
        notes.append(fnd.finding("published_before_year_end", f"a report on {year} dated {published.isoformat()} "
                                 f"({published_source})", severity="warning", reported=float(year),
                                 recomputed=float(published.year)))
    if year is None:
        notes.append(fnd.finding("year_unknown", "the report never states its year",
                                 severity="warning", status="info"))
    meta = {"agency": agency, "agency_source": agency_source, "year": year, "year_source": year_source,
            "published": published, "published_source": published_source, "title": title}
    return meta, notes


def extract_meta(text: str) -> dict:
    """``agency``, ``year``, ``published``, ``title`` (and their sources) from the normalised
    text alone (its ``|`` tables read as the reader reads a plain-text report)."""
    return read_meta(text)[0]

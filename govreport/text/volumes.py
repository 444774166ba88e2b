"""Quantities the prose states ("主动公开政府信息18条"), with what they count.

Numbers are read by ONE extractor, :func:`govreport.checks.stated_quantities` (the
narrative check's). Its subjects are mapped onto the volume subjects of
``govreport/data/volume_subjects.csv`` by the ``quantity_subjects`` column. Volume
subjects the extractor does not know (policy interpretations, trainings, new-media
items …) are read from the words before a number with the ``zh_patterns`` of that file;
those patterns never give a subject the extractor owns, so the narrative check and
:func:`stated_volumes` / :func:`stated_total` cannot disagree.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

import pandas as pd

from .. import datafiles
from ..checks import stated_quantities
from .prose import narrow, unwrap_newlines
from .select import ReportsOrText, Section, select_sections

VOLUME_SUBJECTS_PATH = datafiles.path("volume_subjects.csv")

_UNITS = "万元|亿元|元|人次|条|件|篇|次|个|份|项|场|期|户|套|家|批|起|宗|名|部|本|册|台|幅|则|人"
_NUMBER_UNIT = re.compile(
    r"(?<![\d.．第])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(?P<approx>余|多)?\s*(?P<unit>"
    + _UNITS
    + r")(?!\s*(?:工作日|月|小时|分钟|年|季度|百分点|以上|以内|左右|/))"
)
_UNIT_AFTER = re.compile(r"\s*(?:余|多)?\s*(" + _UNITS + ")")
_CLAUSE_DELIM = re.compile(r"[，,。；;:：!！?？（）()\n]|其中")
_SENT_DELIM = re.compile(r"[。；;!！?？\n]")
_PHRASE_TRIM_LEFT = re.compile(
    r"^(?:\d{4}\s*年度?|全年|今年|本年度?|截至(?:目前|今年|年底|\d{4}年(?:\d{1,2}月)?(?:\d{1,2}日)?(?:底|末)?)|目前|累计|共计|共|合计|总计)+"
)
_PHRASE_TRIM_RIGHT = re.compile(r"(?:共计|共|合计|累计|总计|达到|达|为|有|计|约|近|超过)+$")
_THOUSANDS_COMMA = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")

_VOLUME_COLUMNS = [
    "report_id", "section", "quantity", "unit", "subject", "label", "phrase", "approx",
    "breakdown", "sentence", "offset", "match",
]


def load_volume_subjects(path: str | Path | None = None) -> pd.DataFrame:
    """Subject codes for stated volumes: ``subject, zh_patterns, units, quantity_subjects, label_en, notes``."""
    return datafiles.frame(Path(path) if path else "volume_subjects.csv")


class _Subjects:
    """The volume subjects as rules: extractor subject -> volume subject, and the word patterns."""

    def __init__(self, df: pd.DataFrame) -> None:
        units = df["units"] if "units" in df.columns else [""] * len(df)
        owned = df["quantity_subjects"] if "quantity_subjects" in df.columns else [""] * len(df)
        self.rules = [
            (s, re.compile(p), frozenset(u for u in str(us).split("|") if u))
            for s, p, us in zip(df["subject"], df["zh_patterns"], units)
            if p
        ]
        self.of_quantity = {q: s for s, qs in zip(df["subject"], owned) for q in str(qs).split("|") if q}
        self.labels = dict(zip(df["subject"], df["label_en"]))

    def by_words(self, left: str, right: str, unit: str) -> tuple[str | None, bool]:
        """(subject, from_right) for the words before a number, or after it when those say nothing."""
        for code, pat, units in self.rules:
            if pat.search(left) and (not units or unit in units):
                return code, False
        if right and re.match(r"^(?:的|涉及|关于|)[\u4e00-\u9fff]", right):
            for code, pat, units in self.rules:
                if pat.search(right) and (not units or unit in units):
                    return code, True
        return None, False


def _squashed(text: str) -> tuple[str, list[int]]:
    """``text`` as the extractor reads it (NFKC, no white space, no thousands commas), with
    the offset in ``text`` of every character kept."""
    chars: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        for c in unicodedata.normalize("NFKC", ch):
            if not c.isspace():
                chars.append(c)
                origin.append(i)
    squashed = "".join(chars)
    if "," in squashed:
        keep = [True] * len(squashed)
        for m in _THOUSANDS_COMMA.finditer(squashed):
            keep[m.start()] = False
        squashed = "".join(c for c, k in zip(squashed, keep) if k)
        origin = [o for o, k in zip(origin, keep) if k]
    return squashed, origin


def _number_text(q: float) -> str:
    return str(int(q)) if float(q).is_integer() else repr(float(q))


def _extracted(text: str) -> list[dict[str, Any]]:
    """The extractor's mentions in ``text``, located: ``number_at`` (offset of the number in
    ``text``, None for a statement of absence), ``at``/``end`` of the match in ``text``."""
    found = stated_quantities(text)
    if found.empty:
        return []
    squashed, origin = _squashed(text)
    out = []
    cursor = 0
    for rec in found.to_dict("records"):
        needle = re.sub(r"\s+", "", str(rec["match"]))
        p = squashed.find(needle, cursor)
        if p < 0:
            p = squashed.find(needle)
        if p < 0 or not needle:
            continue  # cannot be located in this text (should not happen)
        cursor = p + 1
        number_at = None
        if rec["quantity"] or re.search(r"\d", needle):
            num = list(re.finditer(r"(?<![\d.])" + re.escape(_number_text(rec["quantity"])) + r"(?![\d])", needle))
            if num:
                number_at = origin[p + num[-1].start()]
        out.append({**rec, "number_at": number_at, "at": origin[p], "end": origin[p + len(needle) - 1] + 1})
    return out


def _sentence_span(narrow_text: str, s: int, e: int) -> tuple[int, int]:
    sent_start = 0
    for d in _SENT_DELIM.finditer(narrow_text, max(0, s - 400), s):
        sent_start = d.end()
    dn = _SENT_DELIM.search(narrow_text, e)
    return sent_start, (dn.end() if dn else len(narrow_text))


def _printed(text: str, a: int, b: int) -> str:
    piece = text[a:b]
    return re.sub(r"\s+", "", piece) if "\n" in piece else piece.strip()


def _volumes_in(text: str, subjects: _Subjects) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    flat = unwrap_newlines(narrow(text))
    extracted = _extracted(text)
    by_number = {r["number_at"]: r for r in extracted if r["number_at"] is not None}
    used: set[int] = set()
    prev_end = 0
    for m in _NUMBER_UNIT.finditer(flat):
        s = m.start()
        last_end, prev_end = prev_end, m.end()
        sent_start, sent_end = _sentence_span(flat, s, m.end())
        left_start = sent_start  # words before the number, back to the clause start
        for d in _CLAUSE_DELIM.finditer(flat, sent_start, s):
            left_start = d.end()
        left_start = max(left_start, last_end)
        left = re.sub(r"\s+", "", flat[left_start:s]).lstrip("、和及与以")
        dr = _CLAUSE_DELIM.search(flat, m.end())
        right = re.sub(r"\s+", "", flat[m.end(): dr.start() if dr else len(flat)])
        if re.search(r"[a-zA-Z]$", left):
            continue  # "H5", "5G" ...
        phrase = _PHRASE_TRIM_RIGHT.sub("", _PHRASE_TRIM_LEFT.sub("", left))
        rec = by_number.get(s)
        if rec is not None:
            used.add(id(rec))
            subject = subjects.of_quantity.get(rec["subject"], rec["subject"])
        else:
            subject, from_right = subjects.by_words(left, right, m.group("unit"))
            if from_right and not phrase:
                phrase = right
        rows.append({
            "quantity": float(m.group("num").replace(",", "")),
            "unit": m.group("unit"),
            "subject": subject,
            "phrase": phrase,
            "approx": bool(m.group("approx")),
            "breakdown": "其中" in flat[sent_start:s],
            "sentence": _printed(text, sent_start, sent_end),
            "offset": s,
            "match": text[m.start():m.end()],
        })
    # the extractor's mentions without a number and unit of their own (未收到…申请 = 0)
    for rec in extracted:
        if id(rec) in used:
            continue
        s = rec["number_at"] if rec["number_at"] is not None else rec["at"]
        sent_start, sent_end = _sentence_span(flat, s, rec["end"])
        unit = _UNIT_AFTER.match(flat, s + len(_number_text(rec["quantity"]))) if rec["number_at"] is not None else None
        end = unit.end() if unit else rec["end"]
        rows.append({
            "quantity": float(rec["quantity"]),
            "unit": unit.group(1) if unit else None,
            "subject": subjects.of_quantity.get(rec["subject"], rec["subject"]),
            "phrase": re.sub(r"\s+", "", text[rec["at"]:s]) if rec["number_at"] is not None else rec["match"],
            "approx": False,
            "breakdown": "其中" in flat[sent_start:s],
            "sentence": _printed(text, sent_start, sent_end),
            "offset": s,
            "match": text[s:end],
        })
    rows.sort(key=lambda r: r["offset"])
    return rows


def stated_volumes(
    report: ReportsOrText, *, section: Section = None, subjects: pd.DataFrame | str | Path | None = None
) -> pd.DataFrame:
    """Quantities the narrative states, with what they count.

    ``report`` may be a plain string (e.g. a whole report's text), a Report, a Corpus, a
    list or mapping of reports, or a sections table. Table rows (lines with ``|``
    cells) are skipped.

    Returns ``report_id, section, quantity, unit, subject, label, phrase, approx,
    breakdown, sentence, offset, match``:

    * ``subject`` -- a code from ``govreport/data/volume_subjects.csv``
      (``proactive_items``, ``policy_interpretations``, ``requests_received``,
      ``requests_processed``, ``carried_over``, ``carried_forward``, ``granted``,
      ``partially_granted``, ``review_cases``, ``litigation_cases``,
      ``penalty_cases``, ``licensing_cases`` …), None when the wording maps to
      none; ``label`` its English label. Subjects the narrative check knows come
      from :func:`govreport.checks.stated_quantities`, including its statements of
      absence (``未收到…申请``: quantity 0, no unit);
    * ``phrase`` -- the words before the number (what is counted);
    * ``approx`` -- ``80余件`` style; ``breakdown`` -- a ``其中`` part of a total
      stated earlier in the sentence;
    * ``offset`` -- character offset of the number (of the statement, for a statement
      of absence) in the string, or in the section's ``text`` for reports and
      corpora; ``match`` the text at that offset.
    """
    sub_df = subjects if isinstance(subjects, pd.DataFrame) else load_volume_subjects(subjects)
    rules = _Subjects(sub_df)
    secs = select_sections(report, section)
    records: list[dict[str, Any]] = []
    for rid, number, text in zip(secs["report_id"], secs["number"], secs["text"]):
        for row in _volumes_in(text, rules):
            row["report_id"] = rid
            row["section"] = number
            row["label"] = rules.labels.get(row["subject"]) if row["subject"] else None
            records.append(row)
    out = pd.DataFrame(records, columns=_VOLUME_COLUMNS)
    out["section"] = pd.array(out["section"], dtype="Int64")
    out["quantity"] = out["quantity"].astype(float)
    out["offset"] = out["offset"].astype(int)
    out["approx"] = out["approx"].astype(bool)
    out["breakdown"] = out["breakdown"].astype(bool)
    return out


_TOTAL_PREFERENCE = {
    # phrases that name the headline total, strongest tier first (a statement is in
    # the first tier all of whose patterns it matches)
    "proactive_items": (
        (r"主动.{0,8}公开", r"政府信息|政务信息"),                 # 全区主动公开政府信息2122条
        (r"主动.{0,8}公开(?:的)?(?:各类|各项|相关)?(?:信息)?$",),  # 我单位主动政府公开信息53条
        (r"政府信息|政务信息",),                                    # 共发布政务信息439条
        (r"主动.{0,8}公开",),                                       # 主动公开采购信息25条 (a topic)
    ),
}
# Whole-report scope: 全区/全年/本年度/共/合计 … (looked for in the clause before the number).
_TOTAL_SCOPE = re.compile(
    r"全(?:区|市|县|省|州|盟|旗|镇|乡|委|局|厅|办|系统|年)|本(?:年度?|单位|机关|部门)|今年|当年|\d{4}年度?|"
    r"共计?|合计|总计|总数|我(?:区|市|县|省|州|镇|乡|委|局|厅|办|单位|中心|部门)"
)
# Parts of the total: one sub-unit (各乡镇…, 区直各部门…) or the years since a start (历年累计).
_TOTAL_PART = re.compile(r"^(?:其中|分别)|^各|各(?:乡镇|街道|部门|单位|县区|区县)|历年|以来|累计至今|建站")
_CLAUSE_CUT = re.compile(r"[，,;；:：（）()、]")


def _total_rank(phrase: str, sentence: str, match: str, quantity: float, tiers) -> tuple:
    phrase = phrase or ""
    sentence = sentence or ""
    tier = len(tiers)
    for i, pats in enumerate(tiers):
        if all(re.search(p, phrase) for p in pats):
            tier = i
            break
    # the clause before the number as printed (the phrase has 全年/共 … trimmed)
    at = sentence.find(re.sub(r"\s+", "", match or "")) if match else -1
    clause = _CLAUSE_CUT.split(sentence[:at])[-1] if at >= 0 else phrase
    context = clause + phrase
    part = bool(_TOTAL_PART.search(phrase) or _TOTAL_PART.search(clause))
    scope = bool(_TOTAL_SCOPE.search(context))
    return (-tier, not part, scope, quantity)


def stated_total(
    report: ReportsOrText, subject: str = "proactive_items", *, volumes: pd.DataFrame | None = None
) -> pd.Series:
    """Per report, the report-wide quantity the prose states for ``subject``.

    Only statements that are not ``其中`` breakdowns count. For ``proactive_items``
    the wording decides first: ``主动…公开`` together with ``政府信息/政务信息``
    (``2017年全区主动公开政府信息2122条``) beats ``主动…公开`` of unnamed information
    (``我单位主动政府公开信息53条``), which beats ``政府信息/政务信息``
    (``共发布政务信息439条``), which beats ``主动…公开`` of a topic (``主动公开采购信息
    25条``), which beats any other wording (``全年共发布信息166条``).
    Within that, a statement about one part (``各乡镇主动公开…``, ``历年累计…``) loses
    to one about the whole, a statement with a whole-report scope (全区, 全年,
    本年度, 2017年, 共, 合计, 我局 … in the clause before the number) beats one
    without, and then the largest quantity wins. For other subjects the first
    statement wins. Returns a float Series indexed by ``report_id`` (reports that
    state none are absent); pass ``volumes=`` (a :func:`stated_volumes` result) to
    reuse it.
    """
    v = stated_volumes(report) if volumes is None else volumes
    v = v[(v["subject"].astype("string") == subject).fillna(False) & ~v["breakdown"].astype(bool)]
    tiers = _TOTAL_PREFERENCE.get(subject)
    out: dict[str, float] = {}
    for rid, grp in v.groupby("report_id", sort=False, observed=True):
        if not len(grp):
            continue
        if not tiers:
            out[rid] = float(grp["quantity"].iloc[0])
            continue
        best = max(
            zip(grp["phrase"], grp["sentence"], grp["match"], grp["quantity"]),
            key=lambda r: _total_rank(str(r[0] or ""), str(r[1] or ""), str(r[2] or ""), float(r[3]), tiers),
        )
        out[rid] = float(best[3])
    return pd.Series(out, dtype=float, name=subject).rename_axis("report_id")



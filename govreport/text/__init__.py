"""Narrative text of the reports: keywords, stated problems, stated volumes, copied text.

Every public function takes a ``Report``, a ``Corpus`` (anything with a ``.sections``
table that has a ``report_id`` column), a sections DataFrame (``text`` plus optional
``report_id``, ``number``, ``title``), a plain string, or a list/dict of those.

Four tools:

* :func:`keywords` -- jieba keyword extraction (TF-IDF or TextRank) per report and
  section, with a domain dictionary, domain stopwords and an optional corpus-fitted
  IDF (:func:`fit_idf`).
* :func:`stated_problems` -- section 五 (存在的主要问题及改进情况, or its pre-2019
  equivalent) split into a problems part and an improvements part, then into
  statements, each tagged with themes from ``govreport/data/themes.csv``.
* :func:`stated_volumes` -- quantities the prose states ("主动公开政府信息18条"),
  mapped to the subject codes of ``govreport/data/volume_subjects.csv``.
* :func:`section_similarity` and :func:`copied_passages` -- boilerplate and reuse
  across reports (character shingles, MinHash or TF-IDF cosine).

jieba
-----
jieba is set up once per process, lazily, behind a lock, in a *private*
``jieba.Tokenizer``: the domain dictionary is loaded into that tokenizer only, so a
user's global ``jieba`` (``jieba.cut``, ``jieba.analyse.extract_tags``) is never
changed by govreport. jieba's "Building prefix dict ..." log lines are hidden while
govreport initialises (the jieba logger level is restored afterwards); pass
``verbose=True`` to the first call, or call :func:`init` with ``verbose=True``, to
see them.

Extending the data files
------------------------
* ``govreport/data/domain_dict.txt`` -- jieba user dictionary (``word [freq] [pos]``
  per line). Add words there, or at run time with :func:`add_words` /
  :func:`load_user_dict`.
* ``govreport/data/stopwords.txt`` -- one word per line, ``#`` starts a comment.
  Add at run time with :func:`add_stopwords`. Tokens that are numbers or years
  (``2023``, ``2023年``, ``100%``) are always dropped from keywords.
* ``govreport/data/themes.csv`` -- one row per theme; the ``keywords`` column lists
  jieba tokens separated by ``|``; ``A&B`` inside it means "both tokens". A statement
  gets every theme one of whose keywords is among its tokens (jieba search-mode
  tokens, so ``时效性`` also yields ``时效``); if none matches it gets ``other``.
  Pass your own table or path as ``themes=``.
  The taxonomy (``theme`` codes): ``awareness`` (awareness and priority),
  ``staff`` (staff and training), ``timeliness``, ``completeness`` (completeness
  and depth), ``forms_channels`` (forms and channels, public participation),
  ``platforms_it`` (platforms, websites and IT), ``policy_interpretation``
  (interpretation and responses), ``requests`` (request handling), ``mechanisms``
  (rules and mechanisms), ``new_media``, ``other``.
* ``govreport/data/volume_subjects.csv`` -- ``subject`` code, ``zh_patterns`` (a
  regular expression searched in the words before the number, or after it when
  those say nothing), ``units`` (``|``-separated units the subject admits, empty =
  any), ``label_en``. The first row (in file order) that matches wins, so specific
  subjects come before general ones.
"""

from __future__ import annotations

import logging
import math
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from ..normalize import strip_pinyin

__all__ = [
    "DATA_DIR",
    "DOMAIN_DICT_PATH",
    "STOPWORDS_PATH",
    "THEMES_PATH",
    "VOLUME_SUBJECTS_PATH",
    "IDFTable",
    "init",
    "tokenize",
    "add_words",
    "load_user_dict",
    "add_stopwords",
    "stopwords",
    "load_themes",
    "load_volume_subjects",
    "as_sections",
    "problems_section",
    "keywords",
    "fit_idf",
    "fit",
    "split_problems",
    "stated_problems",
    "tag_themes",
    "stated_volumes",
    "stated_total",
    "section_similarity",
    "copied_passages",
    "theme_coverage",
]

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
DOMAIN_DICT_PATH = DATA_DIR / "domain_dict.txt"
STOPWORDS_PATH = DATA_DIR / "stopwords.txt"
THEMES_PATH = DATA_DIR / "themes.csv"
VOLUME_SUBJECTS_PATH = DATA_DIR / "volume_subjects.csv"

SectionsLike = Any  # Report | Corpus | pd.DataFrame | str | list/dict of those

# --------------------------------------------------------------------------- #
# jieba engine (one per process)
# --------------------------------------------------------------------------- #

_NUMERIC_TOKEN = re.compile(r"^[\d０-９.．,，%％\-~～/年月日号第万亿余多]+$|^\d|^[a-z]{1,3}$|^[^\w]+$")


def _read_word_list(path: str | Path) -> list[str]:
    words = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            words.append(line)
    return words


class _Engine:
    """The private jieba tokenizer, POS tokenizer and keyword extractors."""

    def __init__(self, verbose: bool = False) -> None:
        import jieba
        import jieba.analyse
        import jieba.posseg

        previous = jieba.default_logger.level
        jieba.setLogLevel(logging.DEBUG if verbose else logging.WARNING)
        try:
            tokenizer = jieba.Tokenizer()
            tokenizer.initialize()
            tokenizer.load_userdict(str(DOMAIN_DICT_PATH))
            tfidf = jieba.analyse.TFIDF()
            textrank = jieba.analyse.TextRank()
        finally:
            if not verbose:
                jieba.setLogLevel(previous)
        self.jieba = jieba
        self.tokenizer = tokenizer
        self._postokenizer = None  # built on first POS use (TextRank, allow_pos)
        self.stop_words: set[str] = set(tfidf.stop_words) | set(_read_word_list(STOPWORDS_PATH))
        for extractor in (tfidf, textrank):
            extractor.tokenizer = tokenizer
            extractor.postokenizer = None
            extractor.stop_words = self.stop_words  # shared set: add_stopwords updates all
        self.tfidf = tfidf
        self.textrank = textrank
        self.extractors = [tfidf, textrank]
        self.lock = threading.RLock()

    @property
    def postokenizer(self):
        """jieba.posseg tokenizer over the private tokenizer (lazy: reading POS tags
        costs about a second)."""
        if self._postokenizer is None:
            with self.lock:
                if self._postokenizer is None:
                    pos = self.jieba.posseg.POSTokenizer(self.tokenizer)
                    for extractor in self.extractors:
                        extractor.postokenizer = pos
                    self.textrank.tokenizer = pos  # TextRank cuts with POS tags
                    self._postokenizer = pos
        return self._postokenizer

    def tfidf_with(self, idf_freq: Mapping[str, float], default_idf: float):
        """A TF-IDF extractor sharing tokenizer and stopwords, with another IDF table."""
        cls = type(self.tfidf)
        extractor = cls.__new__(cls)
        extractor.tokenizer = self.tokenizer
        extractor.postokenizer = self._postokenizer
        extractor.stop_words = self.stop_words
        extractor.idf_loader = None
        extractor.idf_freq = dict(idf_freq)
        extractor.median_idf = float(default_idf)
        return extractor


_ENGINE: _Engine | None = None
_ENGINE_LOCK = threading.Lock()


def init(verbose: bool = False) -> None:
    """Initialise jieba for govreport now (otherwise done on first use).

    Loads jieba's dictionary into a private ``jieba.Tokenizer`` and adds the domain
    dictionary and stopwords. Runs once per process; later calls do nothing.
    ``verbose=True`` shows jieba's own log lines during that first load.
    """
    _engine(verbose)


def _engine(verbose: bool = False) -> _Engine:
    global _ENGINE
    if _ENGINE is None:
        with _ENGINE_LOCK:
            if _ENGINE is None:
                _ENGINE = _Engine(verbose)
    return _ENGINE


def tokenize(text: str, *, search: bool = False) -> list[str]:
    """Cut ``text`` with govreport's jieba tokenizer (domain dictionary loaded).

    ``search=True`` uses jieba's search mode, which also yields the shorter words
    inside long ones (the mode used to match theme keywords).
    """
    eng = _engine()
    if search:
        return [w for w in eng.tokenizer.cut_for_search(text) if w.strip()]
    return [w for w in eng.tokenizer.cut(text) if w.strip()]


def add_words(words: Iterable[str], freq: int | None = None, tag: str | None = None) -> None:
    """Add domain words to govreport's tokenizer so they stay whole."""
    eng = _engine()
    with eng.lock:
        for w in words:
            eng.tokenizer.add_word(w, freq, tag)


def load_user_dict(path: str | Path) -> None:
    """Load another jieba user dictionary (``word [freq] [pos]`` per line)."""
    eng = _engine()
    with eng.lock:
        eng.tokenizer.load_userdict(str(path))


def add_stopwords(words: Iterable[str] | str | Path) -> None:
    """Add stopwords: an iterable of words, or the path of a one-word-per-line file."""
    if isinstance(words, (str, Path)) and Path(words).is_file():
        words = _read_word_list(words)
    elif isinstance(words, str):
        words = [words]
    eng = _engine()
    with eng.lock:
        eng.stop_words.update(w.strip() for w in words if w.strip())


def stopwords() -> frozenset[str]:
    """The stopwords in force (jieba's English list, the data file, added words)."""
    return frozenset(_engine().stop_words)


def _is_keyword(word: str, stop: set[str]) -> bool:
    w = word.strip()
    return len(w) >= 2 and w.lower() not in stop and not _NUMERIC_TOKEN.match(w)


# --------------------------------------------------------------------------- #
# Inputs
# --------------------------------------------------------------------------- #


def _report_id(report: Any, default: str = "report") -> str:
    """Id of one report: its own ``report_id`` attribute (a corpus ``ReportView``,
    ``corpus["pingtan_2021"]``), else the stem of ``meta["source"]`` (a ``Report``
    read from a file), else ``agency_year``, else ``default``."""
    own = getattr(report, "report_id", None)
    if isinstance(own, str) and own.strip():
        return own
    meta = getattr(report, "meta", None) or {}
    src = meta.get("source") if isinstance(meta, Mapping) else None
    if src:
        return Path(str(src)).stem
    agency, year = (meta.get("agency"), meta.get("year")) if isinstance(meta, Mapping) else (None, None)
    if agency or year:
        return f"{agency or ''}_{year or ''}".strip("_")
    return default


def _frame(df: pd.DataFrame, report_id: str) -> pd.DataFrame:
    if "text" not in df.columns:
        raise ValueError("a sections table needs a 'text' column")
    out = pd.DataFrame(
        {
            "report_id": df["report_id"].astype(str) if "report_id" in df.columns else report_id,
            "number": df["number"] if "number" in df.columns else pd.NA,
            "title": df["title"].fillna("").astype(str) if "title" in df.columns else "",
            "text": df["text"].fillna("").astype(str),
        },
        index=df.index,
    )
    out["number"] = pd.array(out["number"], dtype="Int64")
    return out.reset_index(drop=True)


def as_sections(obj: SectionsLike, report_id: str | None = None) -> pd.DataFrame:
    """Normalise any accepted input to a table ``report_id, number, title, text``.

    ``obj`` may be a ``Report`` (its ``sections``; ``report_id`` from the source file
    name), one report of a corpus (``corpus["pingtan_2021"]``; its ``report_id``), a
    ``Corpus`` (its ``sections`` with ``report_id``), a DataFrame, a string
    (one untitled section), or a list or dict (keys = report ids) of those.
    """
    if isinstance(obj, pd.DataFrame):
        return _frame(obj, report_id or "report")
    if isinstance(obj, str):
        return _frame(pd.DataFrame({"text": [obj]}), report_id or "text")
    if isinstance(obj, Mapping):
        parts = [as_sections(v, str(k)) for k, v in obj.items()]
        return pd.concat(parts, ignore_index=True) if parts else _frame(pd.DataFrame({"text": []}), "")
    if isinstance(obj, (list, tuple)):
        # corpus report views keep their own ids (when those are distinct)
        own = [getattr(v, "report_id", None) for v in obj]
        if report_id is None and all(isinstance(x, str) and x.strip() for x in own) and len(set(own)) == len(own):
            ids = own
        else:
            ids = [report_id or f"report_{i}" for i in range(len(obj))]
        parts = [as_sections(v, rid) for v, rid in zip(obj, ids)]
        return pd.concat(parts, ignore_index=True) if parts else _frame(pd.DataFrame({"text": []}), "")
    sections = getattr(obj, "sections", None)
    if isinstance(sections, pd.DataFrame):
        rid = report_id or _report_id(obj)
        df = _frame(sections, rid)
        if df.empty and isinstance(getattr(obj, "text", None), str) and obj.text.strip():
            df = _frame(pd.DataFrame({"text": [obj.text]}), rid)
        return df
    raise TypeError(f"expected a Report, Corpus, sections DataFrame or str, got {type(obj).__name__}")


_PROBLEM_TITLE = re.compile(r"问题|不足|改进")
_PROBLEM_SUBHEAD = re.compile(
    r"(?:^|(?<=[。；;！!\n]))\s*(?:[（(][一1][)）]|[一1][、.．])?\s*(?:存在的主要问题|主要问题|存在的问题|存在问题)"
    r"(?:和不足|及不足)?\s*(?=[:：。\n]|$)"
)


def problems_section(obj: SectionsLike) -> pd.DataFrame:
    """The "problems and improvements" section of each report.

    Found by title (``存在的主要问题及改进情况`` = 五 in the 2019 and 2021 layouts,
    ``十一、政府信息公开工作存在的主要问题及改进情况`` in many pre-2019 reports,
    ``主要问题和改进措施`` ...). When no title mentions problems, the first section
    whose body has a sub-heading such as ``（一）主要问题`` is used from that
    sub-heading on. Returns one row per report (``report_id, number, title, text``);
    reports without such a section are left out.
    """
    secs = as_sections(obj)
    rows = []
    for rid, grp in secs.groupby("report_id", sort=False):
        hit = grp[grp["title"].str.contains(_PROBLEM_TITLE, na=False)]
        if len(hit):
            rows.append(hit.iloc[[-1]])
            continue
        for idx, row in grp.iterrows():
            m = _PROBLEM_SUBHEAD.search(row["text"])
            if m:
                r = grp.loc[[idx]].copy()
                body = row["text"][m.start():]
                nxt = _TOP_HEADING.search(body)
                r["text"] = (body[: nxt.start()] if nxt else body).strip()
                rows.append(r)
                break
    if not rows:
        return secs.iloc[0:0]
    return pd.concat(rows, ignore_index=True)


def _select(secs: pd.DataFrame, section: Any) -> pd.DataFrame:
    """Select sections: None (all), int or list of ints (section number),
    ``"problems"`` (see :func:`problems_section`), or another string (regex on title)."""
    if section is None:
        return secs
    if isinstance(section, str):
        if section in ("problems", "五", "problems_and_improvements"):
            return problems_section(secs)
        return secs[secs["title"].str.contains(section, na=False, regex=True)]
    if isinstance(section, (int, np.integer)):
        section = [int(section)]
    numbers = {int(s) for s in section}
    return secs[secs["number"].isin(numbers).fillna(False).astype(bool)]


# --------------------------------------------------------------------------- #
# Keywords and IDF
# --------------------------------------------------------------------------- #


@dataclass
class IDFTable:
    """Inverse document frequencies fitted on a corpus (see :func:`fit_idf`).

    ``table`` has columns ``word, df, idf``; ``n_docs`` is the number of documents;
    ``default_idf`` is used for words the corpus never saw (the largest IDF: a
    word unseen in the corpus is as distinctive as the rarest one).
    """

    table: pd.DataFrame
    n_docs: int
    default_idf: float
    _extractor: Any = field(default=None, repr=False, compare=False)

    def to_csv(self, path: str | Path) -> None:
        """Save as CSV (``word, df, idf``); ``n_docs`` goes in a comment line."""
        with open(path, "w", encoding="utf-8", newline="") as fh:
            fh.write(f"# n_docs={self.n_docs} default_idf={self.default_idf}\n")
            self.table.to_csv(fh, index=False)

    @classmethod
    def from_csv(cls, path: str | Path) -> "IDFTable":
        """Load a table saved with :meth:`to_csv`."""
        with open(path, encoding="utf-8") as fh:
            first = fh.readline()
            m = re.search(r"n_docs=(\d+) default_idf=([\d.eE+-]+)", first)
            table = pd.read_csv(fh, keep_default_na=False)
        n_docs, default = (int(m.group(1)), float(m.group(2))) if m else (0, float(table["idf"].max()))
        return cls(table=table, n_docs=n_docs, default_idf=default)

    def as_dict(self) -> dict[str, float]:
        """``{word: idf}``."""
        return dict(zip(self.table["word"], self.table["idf"].astype(float)))

    def extractor(self):
        if self._extractor is None:
            self._extractor = _engine().tfidf_with(self.as_dict(), self.default_idf)
        return self._extractor


def fit_idf(obj: SectionsLike, *, section: Any = None, by: str = "section") -> IDFTable:
    """Fit IDF on a corpus so that keywords say what distinguishes a text from the others.

    Documents are the sections (``by="section"``: one document per report and section)
    or whole reports (``by="report"``). ``idf = ln((1 + N) / (1 + df)) + 1``. Pass the
    result as ``keywords(..., idf=table)``.
    """
    secs = _select(as_sections(obj), section)
    if by == "report":
        docs = secs.groupby("report_id", sort=False)["text"].agg("\n".join).tolist()
    elif by == "section":
        docs = secs["text"].tolist()
    else:
        raise ValueError("by must be 'section' or 'report'")
    eng = _engine()
    stop = eng.stop_words
    df_count: dict[str, int] = {}
    for doc in docs:
        for w in {w for w in eng.tokenizer.cut(doc) if _is_keyword(w, stop)}:
            df_count[w] = df_count.get(w, 0) + 1
    n = len(docs)
    words = sorted(df_count)
    dfs = np.array([df_count[w] for w in words], dtype=float)
    idf = np.log((1.0 + n) / (1.0 + dfs)) + 1.0
    table = pd.DataFrame({"word": words, "df": dfs.astype(int), "idf": idf})
    table = table.sort_values(["idf", "word"], ascending=[False, True], ignore_index=True)
    return IDFTable(table=table, n_docs=n, default_idf=float(math.log(1.0 + n) + 1.0))


fit = fit_idf


def _idf_extractor(idf: Any, secs: pd.DataFrame):
    eng = _engine()
    if idf is None or (isinstance(idf, str) and idf == "default"):
        return eng.tfidf
    if isinstance(idf, str) and idf == "corpus":
        return fit_idf(secs).extractor()
    if isinstance(idf, IDFTable):
        return idf.extractor()
    if isinstance(idf, pd.DataFrame):
        d = dict(zip(idf["word"], idf["idf"].astype(float)))
        return eng.tfidf_with(d, max(d.values()) if d else 1.0)
    if isinstance(idf, Mapping):
        return eng.tfidf_with(idf, max(idf.values()) if idf else 1.0)
    if isinstance(idf, (str, Path)):
        return IDFTable.from_csv(idf).extractor()
    raise TypeError("idf must be None/'default', 'corpus', an IDFTable, a DataFrame(word, idf), a dict or a path")


_KEYWORD_COLUMNS = ["report_id", "section", "title", "keyword", "weight", "rank", "method"]


def keywords(
    obj: SectionsLike,
    section: Any = None,
    *,
    method: str = "tfidf",
    top_k: int = 10,
    idf: Any = None,
    allow_pos: Sequence[str] | None = None,
    verbose: bool = False,
) -> pd.DataFrame:
    """Keywords of each section of each report, with jieba.

    Parameters
    ----------
    obj : Report, Corpus, sections DataFrame or str.
    section : None for every section; an int (section number, 5 = 五) or list of
        ints; ``"problems"`` for the problems-and-improvements section in any layout
        (五 in 2019/2021, 十一 in many pre-2019 reports); or a regex on the title.
    method : ``"tfidf"`` (``jieba.analyse.TFIDF.extract_tags``), ``"textrank"``
        (``jieba.analyse.TextRank``) or ``"both"``.
    top_k : keywords per section and method.
    idf : TF-IDF only. None / ``"default"`` = jieba's IDF; an :class:`IDFTable` from
        :func:`fit_idf` (or a DataFrame ``word, idf``, a dict, a CSV path);
        ``"corpus"`` = fit on ``obj`` itself.
    allow_pos : POS filter (e.g. ``("n", "vn", "nz")``). TF-IDF default: none;
        TextRank default: jieba's ``("ns", "n", "vn", "v")``.
    verbose : show jieba's log lines when it first loads.

    Returns
    -------
    DataFrame ``report_id, section, title, keyword, weight, rank, method`` with
    ``section`` the section number, ``rank`` 1 = strongest.
    """
    eng = _engine(verbose)
    secs = _select(as_sections(obj), section)
    methods = ["tfidf", "textrank"] if method == "both" else [method]
    for m in methods:
        if m not in ("tfidf", "textrank"):
            raise ValueError("method must be 'tfidf', 'textrank' or 'both'")
    cols: dict[str, list] = {c: [] for c in _KEYWORD_COLUMNS}
    tfidf = _idf_extractor(idf, secs) if "tfidf" in methods else None
    if "textrank" in methods or allow_pos:
        pos_tokenizer = eng.postokenizer  # built once, on first POS use
        if tfidf is not None:
            tfidf.postokenizer = pos_tokenizer
    for rid, number, title, text in zip(secs["report_id"], secs["number"], secs["title"], secs["text"]):
        if not text:
            continue
        text = strip_pinyin(text)
        if "|" in text:
            text = "\n".join(line for line in text.splitlines() if not _TABLE_LINE.search(line))
        for m in methods:
            if m == "tfidf":
                tags = tfidf.extract_tags(text, topK=None, withWeight=True, allowPOS=tuple(allow_pos or ()))
            else:
                pos = tuple(allow_pos) if allow_pos else ("ns", "n", "vn", "v")
                tags = eng.textrank.textrank(text, topK=None, withWeight=True, allowPOS=pos)
            rank = 0
            for word, weight in tags:
                if _NUMERIC_TOKEN.match(word):
                    continue
                rank += 1
                cols["report_id"].append(rid)
                cols["section"].append(number)
                cols["title"].append(title)
                cols["keyword"].append(word)
                cols["weight"].append(weight)
                cols["rank"].append(rank)
                cols["method"].append(m)
                if rank >= top_k:
                    break
    out = pd.DataFrame(cols)
    out["section"] = pd.array(out["section"], dtype="Int64")
    out["weight"] = out["weight"].astype(float)
    out["rank"] = out["rank"].astype(int)
    return out


# --------------------------------------------------------------------------- #
# Stated problems and improvements
# --------------------------------------------------------------------------- #

# Full-width ASCII -> ASCII, ideographic space -> space: the same length, so offsets hold.
_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_WIDTH[0x3000] = 0x20


def _narrow(text: str) -> str:
    return text.translate(_WIDTH)


_CN_DIGITS = "一二三四五六七八九十"


def _cn(n: int) -> str:
    if n <= 10:
        return _CN_DIGITS[n - 1]
    if n < 20:
        return "十" + _CN_DIGITS[n - 11]
    return str(n)


_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"
_ENUM_BEFORE = r"(?:^|(?<=[。；;，,:：\s)）!！?？]))"
_ENUM_FAMILIES: list[tuple[str, Any]] = [
    ("ordinal", lambda k: _ENUM_BEFORE + _cn(k) + r"是(?=\S)"),
    ("ordinal_shi", lambda k: _ENUM_BEFORE + r"(?:第" + _cn(k) + r"[，,、]|其" + _cn(k) + r"[，,、])"),
    ("paren_cn", lambda k: r"[(（]" + _cn(k) + r"[)）]"),
    ("cn_dun", lambda k: _ENUM_BEFORE + _cn(k) + r"、"),
    ("paren_ar", lambda k: r"[(（]" + str(k) + r"[)）]"),
    ("arabic", lambda k: _ENUM_BEFORE + r"(?<![\d.])" + str(k) + r"\s*[.．、)）](?![\d])"),
    ("circled", lambda k: re.escape(_CIRCLED[k - 1]) if k <= len(_CIRCLED) else r"(?!x)x"),
]
_ENUM_CACHE: dict[tuple[str, int], re.Pattern] = {}


def _enum_re(family: str, k: int) -> re.Pattern:
    key = (family, k)
    if key not in _ENUM_CACHE:
        maker = dict(_ENUM_FAMILIES)[family]
        _ENUM_CACHE[key] = re.compile(maker(k))
    return _ENUM_CACHE[key]


def _enumerate_items(text: str) -> tuple[str, list[str]] | None:
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


_IMPROVE_SUBHEAD = re.compile(
    r"(?:^|(?<=[。；;！!\n:：]))\s*(?:[(（][一二三2][)）]|[一二三2][、.．])?\s*(?:下一步的?|今后的?)?"
    r"(?:改进情况|改进措施|整改措施|改进方向|改进举措|工作打算|工作计划|工作思路|努力方向|工作措施|主要措施)"
    r"\s*(?:[:：。\n]|$)"
)
_IMPROVE_INLINE = re.compile(
    r"(?:^|(?<=[。；;！!\n:：]))\s*(?:下一步|下步|今后|接下来|针对(?:上述|以上|这些|存在的)|根据上述问题|为此"
    r"|(?:20\d\d|明|新的一)年[度]?[，,]?\s*(?:[^，,。；;]{0,16}?)(?:将|拟|计划|要(?!求|点))"
    r"|(?:我们|我[局区县市委办中心单位镇乡街道所院厅]{1,3})(?:将|拟|计划|要(?!求|点))"
    r"|将(?:从|采取)以下)"
)
_LEADING_MARKER = re.compile(
    r"^\s*(?:下一步|下步|今后|接下来|为此)\s*[，,:：]?\s*"
)

_PREDICATE = re.compile(
    r"不|未|没有|无法|缺|欠|差距|有待|待|需|亟|尚|仍|较少|较弱|薄弱|单一|有限|滞后|难以|落后|短板|问题|偏|低|少|弱|"
    r"局限|困难|加强|提高|提升|完善|改进|制约|影响"
)
_PREAMBLE = re.compile(
    r"(?:取得|有了|有所)[^，,。；;]{0,20}(?:成效|成绩|进展|进步|效果|成果|提升|提高)|"
    r"^(?:但|但是|然而|不过|同时)?[^，,。；;]{0,12}?(?:也|仍|还|仍然|依然)*(?:存在|有)着?(?:一些|一定|某些|诸多|部分|不少)?的?"
    r"(?:不足|问题|差距|薄弱环节|短板|困难)(?:和|与|及|、)?(?:不足|问题|差距|薄弱环节|短板|困难)?(?:之处)?"
    r"(?:[，,]?(?:主要|具体)?(?:表现|体现)(?:在|为)|[，,]?主要(?:是|有))?\s*[:：]?$|"
    r"^(?:主要|具体)?(?:表现|体现)(?:在|为)\s*[:：]?$|^(?:具体)?如下\s*[:：]?$"
)
_LIST_OF_PROBLEMS = re.compile(
    r"^(?:但|但是|然而|同时)?[^、，,]{0,8}?(?:也|仍|还|仍然)*(?:存在|有)着?(?P<inner>.+?、.+?)(?:等)?(?:方面的)?(?:问题|不足|情况)$"
)
_CLOSING = re.compile(r"^(?:这些|以上|上述|通过以上|综上)")


_ENUM_START = re.compile(r"^\s*(?:[(（]?[一二三四五六七八九十\d]+[)）、.．]|[一二三四五六七八九十]+是|[①-⑩])")
_TABLE_LINE = re.compile(r"\|.*\||^\s*\|")
_DATE_LINE = re.compile(r"^\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$")
_SPACE_NEAR_CJK = re.compile(r"(?<=[\u4e00-\u9fff，。、；：“”《》])[ \t\u3000]+|[ \t\u3000]+(?=[\u4e00-\u9fff，。、；：“”《》])")
_TOP_HEADING = re.compile(r"\n\s*[一二三四五六七八九十]+、")


def _prose(text: str) -> str:
    """Prose of a section for statement splitting: pinyin notes such as ``(guān)``
    removed, table rows and date lines dropped (text after the first table row is
    cut: in pre-2019 reports the statistics table follows the last section), lines
    that a PDF wrapped mid-sentence joined, spaces next to Chinese removed."""
    text = strip_pinyin(_narrow(text or ""))
    lines: list[str] = []
    for line in text.splitlines():
        if _TABLE_LINE.search(line):
            if any(x.strip() for x in lines):
                break  # a table after the prose: the rest is not narrative
            continue
        if _DATE_LINE.match(line):
            continue
        lines.append(line.rstrip())
    out = ""
    for line in lines:
        if not out:
            out = line
            continue
        prev = out.rstrip()
        if (
            len(out) - (out.rfind("\n") + 1) >= 20
            and prev
            and prev[-1] not in "。；;:：!！?？"
            and line.strip()
            and not _ENUM_START.match(line)
        ):
            out = prev + line.strip()
        else:
            out += "\n" + line
    return _SPACE_NEAR_CJK.sub("", out).strip()


def _sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[。；;！!？?])|\n+", text)
    return [p.strip() for p in parts if p and p.strip()]


def _clean_statement(s: str) -> str:
    s = re.sub(r"\s+", "", s) if re.search(r"[\u4e00-\u9fff]\s+[\u4e00-\u9fff]", s) else s.strip()
    return s.strip().strip("，,；;:：、。 ")


def _clauses(sentence: str) -> list[str]:
    parts = [p.strip() for p in re.split(r"[，,]", sentence) if p.strip()]
    return parts


def _split_problem_sentence(sentence: str) -> list[str]:
    """One sentence of the problems part -> its problems (clauses with a predicate)."""
    body = sentence.rstrip("。；;！!？? ")
    clauses = _clauses(body)
    # Merge short clauses without a predicate ("今年", "目前") into the next one.
    merged: list[str] = []
    carry = ""
    for c in clauses:
        if not _PREDICATE.search(c) and len(c) <= 6:
            carry = (carry + "," if carry else "") + c
            continue
        merged.append((carry + "," + c) if carry else c)
        carry = ""
    if carry:
        if merged:
            merged[-1] += "," + carry
        else:
            merged.append(carry)
    kept = [c for c in merged if not _PREAMBLE.search(c)]
    if not kept:
        return []
    out: list[str] = []
    if len(kept) >= 2 and all(_PREDICATE.search(c) for c in kept):
        # Clauses that explain the one before stay with it.
        for c in kept:
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
    return final


def _part_statements(text: str, part: str) -> list[str]:
    text = text.strip()
    if not text:
        return []
    enum = _enumerate_items(text)
    statements: list[str] = []
    if enum is not None:
        lead, items = enum
        if part == "problem":
            lead_sents = [s for s in _sentences(lead) if not _PREAMBLE.search(s.rstrip("。；;:："))]
            for s in lead_sents:
                statements.extend(p for p in _split_problem_sentence(s))
        for i, item in enumerate(items):
            if i == len(items) - 1:
                sents = _sentences(item)
                while len(sents) > 1 and _CLOSING.match(sents[-1]):
                    sents.pop()
                item = "".join(sents)
            statements.append(item)
    else:
        for s in _sentences(text):
            if part == "problem":
                statements.extend(_split_problem_sentence(s))
            else:
                s2 = _LEADING_MARKER.sub("", s)
                if re.search(r"以下|如下", s2) and re.search(r"[:：]\s*$", s2):
                    continue  # "将从以下方面改进：" is a lead-in, not a statement
                if _CLOSING.match(s2) and statements:
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
    ``改进情况：``) and, in single paragraphs, the sentence where the plans start
    (``下一步``, ``今后``, ``2018年将…``, ``我们将…``, ``将从以下方面…``).
    """
    t = _narrow(text or "")
    start = 0
    mp = _PROBLEM_SUBHEAD.search(t)
    if mp:
        start = mp.end()
    mi = _IMPROVE_SUBHEAD.search(t, start)
    if mi:
        return t[start:mi.start()].strip(), t[mi.end():].strip()
    mi = _IMPROVE_INLINE.search(t, start)
    if mi:
        return t[start:mi.start()].strip(), t[mi.start():].strip()
    return t[start:].strip(), ""


def load_themes(path: str | Path | None = None) -> pd.DataFrame:
    """The theme taxonomy: ``theme, label_zh, label_en, description, keywords``."""
    df = pd.read_csv(path or THEMES_PATH, dtype=str, keep_default_na=False)
    missing = {"theme", "keywords"} - set(df.columns)
    if missing:
        raise ValueError(f"themes table lacks columns {sorted(missing)}")
    return df


def _theme_rules(themes: Any) -> list[tuple[str, list[list[str]]]]:
    df = themes if isinstance(themes, pd.DataFrame) else load_themes(themes)
    rules = []
    for theme, kw in zip(df["theme"], df["keywords"].fillna("")):
        alts = [[t.strip() for t in alt.split("&") if t.strip()] for alt in str(kw).split("|") if alt.strip()]
        if alts:
            rules.append((str(theme), alts))
    return rules


def tag_themes(statement: str, themes: Any = None, *, tokens: set[str] | None = None) -> list[str]:
    """Themes of one statement: every theme one of whose keyword rules matches its
    jieba (search-mode) tokens; ``["other"]`` if none does."""
    rules = _theme_rules(themes)
    return _tag(statement, rules, tokens)


def _tag(statement: str, rules, tokens: set[str] | None = None) -> list[str]:
    if tokens is None:
        tokens = set(tokenize(statement, search=True))
    hits = [theme for theme, alts in rules if any(all(t in tokens for t in alt) for alt in alts)]
    return hits or ["other"]


_PROBLEM_COLUMNS = ["report_id", "section", "part", "n", "statement", "themes", "keywords"]


def stated_problems(
    obj: SectionsLike,
    *,
    themes: Any = None,
    top_k: int = 5,
    parts: Sequence[str] = ("problem", "improvement"),
) -> pd.DataFrame:
    """Problems an agency admits and the improvements it announces, one row per statement.

    Takes each report's problems-and-improvements section (see
    :func:`problems_section`; a string is taken as that section's text), splits it
    with :func:`split_problems`, then into statements (一是…二是…, （一）…, 1.…,
    ①…; otherwise sentences, and in the problems part the comma clauses of a
    sentence that lists several problems, or the items of "存在A、B、C等问题").

    Returns ``report_id, section, part, n, statement, themes, keywords``:
    ``part`` is ``problem`` or ``improvement``; ``n`` counts statements from 1 within
    a report and part; ``themes`` and ``keywords`` are ``|``-separated strings
    (``df.themes.str.split("|")`` gives lists). Themes come from ``themes``
    (default ``govreport/data/themes.csv``).
    """
    if isinstance(obj, str):
        secs = as_sections(obj)
    else:
        secs = problems_section(obj)
    rules = _theme_rules(themes)
    eng = _engine()
    cols: dict[str, list] = {c: [] for c in _PROBLEM_COLUMNS}
    for rid, number, text in zip(secs["report_id"], secs["number"], secs["text"]):
        problems, improvements = split_problems(_prose(text))
        for part, part_text in (("problem", problems), ("improvement", improvements)):
            if part not in parts:
                continue
            for n, st in enumerate(_part_statements(part_text, part), start=1):
                toks = set(w for w in eng.tokenizer.cut_for_search(st) if w.strip())
                kws = [w for w in eng.tfidf.extract_tags(st, topK=top_k + 5) if not _NUMERIC_TOKEN.match(w)][:top_k]
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


def theme_coverage(statements: pd.DataFrame, part: str = "problem") -> float:
    """Share of ``part`` statements with a theme other than ``other`` (NaN if none)."""
    s = statements[statements["part"] == part]
    if s.empty:
        return float("nan")
    return float((s["themes"] != "other").mean())


# --------------------------------------------------------------------------- #
# Stated volumes
# --------------------------------------------------------------------------- #

_UNITS = "万元|亿元|元|人次|条|件|篇|次|个|份|项|场|期|户|套|家|批|起|宗|名|部|本|册|台|幅|则|人"
_NUMBER_UNIT = re.compile(
    r"(?<![\d.．第])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(?P<approx>余|多)?\s*(?P<unit>"
    + _UNITS
    + r")(?!\s*(?:工作日|月|小时|分钟|年|季度|百分点|以上|以内|左右|/))"
)
_CLAUSE_DELIM = re.compile(r"[，,。；;:：!！?？（）()\n]|其中")
_SENT_DELIM = re.compile(r"[。；;!！?？\n]")
_PHRASE_TRIM_LEFT = re.compile(
    r"^(?:\d{4}\s*年度?|全年|今年|本年度?|截至(?:目前|今年|年底|\d{4}年(?:\d{1,2}月)?(?:\d{1,2}日)?(?:底|末)?)|目前|累计|共计|共|合计|总计)+"
)
_PHRASE_TRIM_RIGHT = re.compile(r"(?:共计|共|合计|累计|总计|达到|达|为|有|计|约|近|超过)+$")


def load_volume_subjects(path: str | Path | None = None) -> pd.DataFrame:
    """Subject codes for stated volumes: ``subject, zh_patterns, label_en, notes``."""
    return pd.read_csv(path or VOLUME_SUBJECTS_PATH, dtype=str, keep_default_na=False)


def _subject_rules(subjects: Any) -> list[tuple[str, re.Pattern, frozenset[str]]]:
    df = subjects if isinstance(subjects, pd.DataFrame) else load_volume_subjects(subjects)
    units = df["units"] if "units" in df.columns else [""] * len(df)
    return [
        (s, re.compile(p), frozenset(u for u in str(us).split("|") if u))
        for s, p, us in zip(df["subject"], df["zh_patterns"], units)
        if p
    ]


def _unwrap_newlines(text: str) -> str:
    """Replace line breaks that a PDF put inside a sentence by spaces (same length)."""
    if "\n" not in text:
        return text
    chars = list(text)
    line_start = 0
    for i, ch in enumerate(text):
        if ch != "\n":
            continue
        line = text[line_start:i].rstrip()
        nxt = text[i + 1: i + 12]
        if (
            len(line) >= 20
            and line[-1] not in "。；;:：!！?？|"
            and nxt.strip()
            and not nxt.startswith((" ", "\t"))
            and not _ENUM_START.match(nxt)
        ):
            chars[i] = " "
        line_start = i + 1
    return "".join(chars)


def _table_line_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    pos = 0
    for line in text.splitlines(keepends=True):
        if line.count("|") >= 2 or re.match(r"^\s*\|", line):
            spans.append((pos, pos + len(line)))
        pos += len(line)
    return spans


def _volumes_in(text: str, rules) -> list[dict]:
    rows: list[dict] = []
    narrow = _unwrap_newlines(_narrow(text))
    tables = _table_line_spans(narrow)
    ti = 0
    prev_end = 0
    for m in _NUMBER_UNIT.finditer(narrow):
        s = m.start()
        last_end, prev_end = prev_end, m.end()
        while ti < len(tables) and tables[ti][1] <= s:
            ti += 1
        if ti < len(tables) and tables[ti][0] <= s < tables[ti][1]:
            continue
        # the enclosing sentence
        sent_start = 0
        for d in _SENT_DELIM.finditer(narrow, max(0, s - 400), s):
            sent_start = d.end()
        dn = _SENT_DELIM.search(narrow, m.end())
        sent_end = dn.end() if dn else len(narrow)
        sentence = re.sub(r"\s+", "", text[sent_start:sent_end]) if "\n" in text[sent_start:sent_end] else text[sent_start:sent_end].strip()
        # words before the number, back to the clause start
        left_start = sent_start
        for d in _CLAUSE_DELIM.finditer(narrow, sent_start, s):
            left_start = d.end()
        left_start = max(left_start, last_end)
        left = re.sub(r"\s+", "", narrow[left_start:s]).lstrip("、和及与以")
        dr = _CLAUSE_DELIM.search(narrow, m.end())
        right = re.sub(r"\s+", "", narrow[m.end(): dr.start() if dr else len(narrow)])
        if re.search(r"[a-zA-Z]$", left):
            continue  # "H5", "5G" ...
        phrase = _PHRASE_TRIM_RIGHT.sub("", _PHRASE_TRIM_LEFT.sub("", left))
        unit = m.group("unit")
        subject = None
        for code, pat, units in rules:
            if pat.search(left) and (not units or unit in units):
                subject = code
                break
        if subject is None and right and re.match(r"^(?:的|涉及|关于|)[\u4e00-\u9fff]", right):
            for code, pat, units in rules:
                if pat.search(right) and (not units or unit in units):
                    subject = code
                    if not phrase:
                        phrase = right
                    break
        breakdown = "其中" in narrow[sent_start:s]
        rows.append(
            {
                "quantity": float(m.group("num").replace(",", "")),
                "unit": m.group("unit"),
                "subject": subject,
                "phrase": phrase,
                "approx": bool(m.group("approx")),
                "breakdown": breakdown,
                "sentence": sentence,
                "offset": s,
                "match": text[m.start():m.end()],
            }
        )
    return rows


_VOLUME_COLUMNS = [
    "report_id", "section", "quantity", "unit", "subject", "label", "phrase", "approx",
    "breakdown", "sentence", "offset", "match",
]


def stated_volumes(obj: SectionsLike, *, section: Any = None, subjects: Any = None) -> pd.DataFrame:
    """Quantities the narrative states, with what they count.

    ``obj`` may be a plain string (e.g. a whole report's text), a Report, a Corpus or
    a sections table. Table rows (lines with ``|`` cells) are skipped.

    Returns ``report_id, section, quantity, unit, subject, label, phrase, approx,
    breakdown, sentence, offset, match``:

    * ``subject`` -- a code from ``govreport/data/volume_subjects.csv``
      (``proactive_items``, ``policy_interpretations``, ``requests_received``,
      ``requests_processed``, ``carried_over``, ``carried_forward``, ``granted``,
      ``partially_granted``, ``review_cases``, ``litigation_cases``,
      ``penalty_cases``, ``licensing_cases`` …), None when the wording maps to
      none; ``label`` its English label;
    * ``phrase`` -- the words before the number (what is counted);
    * ``approx`` -- ``80余件`` style; ``breakdown`` -- a ``其中`` part of a total
      stated earlier in the sentence;
    * ``offset`` -- character offset of the number in the string, or in the
      section's ``text`` for reports and corpora; ``match`` the text at that offset.
    """
    rules = _subject_rules(subjects)
    sub_df = subjects if isinstance(subjects, pd.DataFrame) else load_volume_subjects(subjects)
    labels = dict(zip(sub_df["subject"], sub_df["label_en"]))
    secs = _select(as_sections(obj), section)
    records: list[dict] = []
    for rid, number, text in zip(secs["report_id"], secs["number"], secs["text"]):
        for row in _volumes_in(text, rules):
            row["report_id"] = rid
            row["section"] = number
            row["label"] = labels.get(row["subject"]) if row["subject"] else None
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


def stated_total(obj: SectionsLike, subject: str = "proactive_items", *, volumes: pd.DataFrame | None = None) -> pd.Series:
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
    v = stated_volumes(obj) if volumes is None else volumes
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


# --------------------------------------------------------------------------- #
# Similarity and copied text
# --------------------------------------------------------------------------- #

_NON_TEXT = re.compile(r"[\W_\d]+")


def _shingles(text: str, k: int = 3) -> set[str]:
    t = _NON_TEXT.sub("", _narrow(text))
    if len(t) < k:
        return {t} if t else set()
    return {t[i:i + k] for i in range(len(t) - k + 1)}


def _documents(obj: SectionsLike, section: Any) -> pd.Series:
    secs = _select(as_sections(obj), section)
    return secs.groupby("report_id", sort=False)["text"].agg("\n".join)


def section_similarity(
    obj: SectionsLike,
    section: Any = "problems",
    *,
    method: str = "minhash",
    k: int = 3,
    num_perm: int = 128,
    threshold: float | None = None,
    seed: int = 1,
) -> pd.DataFrame:
    """Pairwise similarity of the same section across reports.

    Parameters
    ----------
    obj : Corpus, sections table, or a list/dict of Reports.
    section : ``"problems"`` (default, the 存在的主要问题 section in any layout), a
        section number, a title regex, or None for the whole narrative.
    method : ``"minhash"`` (datasketch MinHash estimate of the Jaccard similarity of
        character ``k``-shingles), ``"jaccard"`` (exact) or ``"cosine"`` (TF-IDF
        weighted character ``k``-grams).
    threshold : with ``minhash``, only pairs that MinHashLSH finds at this Jaccard
        threshold are compared (for large corpora); pairs below it are dropped for
        all methods.

    Returns ``report_id_a, report_id_b, similarity`` sorted by similarity, highest first.
    """
    docs = _documents(obj, section)
    ids = list(docs.index)
    shingles = [_shingles(t, k) for t in docs.values]
    pairs: list[tuple[str, str, float]] = []
    if method == "minhash":
        from datasketch import MinHash, MinHashLSH

        hashes = MinHash.bulk([[s.encode("utf-8") for s in sh] for sh in shingles], num_perm=num_perm, seed=seed)
        if threshold is not None:
            lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
            for i, mh in enumerate(hashes):
                lsh.insert(str(i), mh)
            cand = set()
            for i, mh in enumerate(hashes):
                for j in lsh.query(mh):
                    j = int(j)
                    if j > i:
                        cand.add((i, j))
            idx = sorted(cand)
        else:
            idx = [(i, j) for i in range(len(ids)) for j in range(i + 1, len(ids))]
        for i, j in idx:
            sim = hashes[i].jaccard(hashes[j]) if shingles[i] and shingles[j] else 0.0
            pairs.append((ids[i], ids[j], float(sim)))
    elif method == "jaccard":
        for i in range(len(ids)):
            for j in range(i + 1, len(ids)):
                a, b = shingles[i], shingles[j]
                sim = len(a & b) / len(a | b) if (a or b) else 0.0
                pairs.append((ids[i], ids[j], float(sim)))
    elif method == "cosine":
        sims = _tfidf_cosine([_NON_TEXT.sub("", _narrow(t)) for t in docs.values], k)
        for i in range(len(ids)):
            for j in range(i + 1, len(ids)):
                pairs.append((ids[i], ids[j], float(sims[i, j])))
    else:
        raise ValueError("method must be 'minhash', 'jaccard' or 'cosine'")
    out = pd.DataFrame(pairs, columns=["report_id_a", "report_id_b", "similarity"])
    if threshold is not None:
        out = out[out["similarity"] >= threshold]
    return out.sort_values("similarity", ascending=False, ignore_index=True)


def _tfidf_cosine(texts: list[str], k: int) -> np.ndarray:
    """Cosine similarity of TF-IDF weighted character k-gram vectors (scipy sparse)."""
    from scipy import sparse

    vocab: dict[str, int] = {}
    rows, cols, vals = [], [], []
    for r, t in enumerate(texts):
        counts: dict[int, int] = {}
        for i in range(max(0, len(t) - k + 1)):
            c = vocab.setdefault(t[i:i + k], len(vocab))
            counts[c] = counts.get(c, 0) + 1
        for c, v in counts.items():
            rows.append(r)
            cols.append(c)
            vals.append(v)
    n = len(texts)
    if not vocab:
        return np.zeros((n, n))
    mat = sparse.csr_matrix((np.array(vals, float), (rows, cols)), shape=(n, len(vocab)))
    dfreq = np.bincount(mat.indices, minlength=len(vocab))
    idf = np.log((1.0 + n) / (1.0 + dfreq)) + 1.0
    mat = mat.multiply(idf).tocsr()
    norms = np.sqrt(np.asarray(mat.multiply(mat).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    mat = sparse.diags(1.0 / norms) @ mat
    return (mat @ mat.T).toarray()


def _passages(obj: SectionsLike, section: Any, min_chars: int, default_id: str) -> list[dict]:
    if isinstance(obj, str):
        secs = as_sections(obj, default_id)
    else:
        secs = _select(as_sections(obj, None if not isinstance(obj, pd.DataFrame) else default_id), section)
    out = []
    for rid, number, text in zip(secs["report_id"], secs["number"], secs["text"]):
        narrow = _narrow(text)
        pos = 0
        for piece in re.split(r"(?<=[。；;!！?？])|\n", narrow):
            start = narrow.find(piece, pos) if piece else pos
            pos = start + len(piece)
            if not piece.strip() or piece.count("|") >= 2:
                continue
            core = _NON_TEXT.sub("", piece)
            if len(core) < min_chars:
                continue
            out.append({"report_id": rid, "section": number, "offset": start, "passage": text[start:start + len(piece)].strip()})
    return out


def copied_passages(
    a: SectionsLike,
    b: SectionsLike,
    *,
    min_chars: int = 20,
    threshold: float = 0.5,
    section: Any = None,
    k: int = 3,
) -> pd.DataFrame:
    """Near-copied sentences between two reports (or two sets of sections).

    Each side is cut into sentences (at 。；！？ and line breaks) of at least
    ``min_chars`` characters (punctuation and digits not counted); every pair is
    scored by the Jaccard similarity of character ``k``-shingles and pairs at or
    above ``threshold`` are listed. Works for the same agency across years or for
    two agencies; ``section`` restricts both sides (e.g. ``"problems"``).

    Returns ``report_id_a, section_a, offset_a, passage_a, report_id_b, section_b,
    offset_b, passage_b, similarity, containment`` (``containment`` = shared
    shingles / shingles of the shorter passage), highest similarity first.
    """
    pa = _passages(a, section, min_chars, "a")
    pb = _passages(b, section, min_chars, "b")
    sa = [_shingles(p["passage"], k) for p in pa]
    sb = [_shingles(p["passage"], k) for p in pb]
    index: dict[str, list[int]] = {}
    for j, sh in enumerate(sb):
        for s in sh:
            index.setdefault(s, []).append(j)
    rows = []
    for i, sh in enumerate(sa):
        counts: dict[int, int] = {}
        for s in sh:
            for j in index.get(s, ()):
                counts[j] = counts.get(j, 0) + 1
        for j, inter in counts.items():
            union = len(sh) + len(sb[j]) - inter
            sim = inter / union if union else 0.0
            if sim >= threshold:
                rows.append(
                    {
                        "report_id_a": pa[i]["report_id"], "section_a": pa[i]["section"],
                        "offset_a": pa[i]["offset"], "passage_a": pa[i]["passage"],
                        "report_id_b": pb[j]["report_id"], "section_b": pb[j]["section"],
                        "offset_b": pb[j]["offset"], "passage_b": pb[j]["passage"],
                        "similarity": sim, "containment": inter / max(1, min(len(sh), len(sb[j]))),
                    }
                )
    cols = ["report_id_a", "section_a", "offset_a", "passage_a", "report_id_b", "section_b",
            "offset_b", "passage_b", "similarity", "containment"]
    out = pd.DataFrame(rows, columns=cols)
    for c in ("section_a", "section_b"):
        out[c] = pd.array(out[c], dtype="Int64")
    return out.sort_values("similarity", ascending=False, ignore_index=True)

"""Keywords of each section with jieba (TF-IDF or TextRank), and an IDF fitted on a corpus."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .. import datafiles
from ..normalize import strip_pinyin
from .engine import NUMERIC_TOKEN, engine, is_keyword
from .select import ReportsOrText, Section, select_sections


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
    def from_csv(cls, path: str | Path) -> IDFTable:
        """Load a table saved with :meth:`to_csv` (the comment line is optional)."""
        text = Path(path).read_text(encoding="utf-8-sig")
        first, _, rest = text.partition("\n")
        m = re.search(r"n_docs=(\d+) default_idf=([\d.eE+-]+)", first) if first.startswith("#") else None
        table = datafiles.frame_of_text(rest if first.startswith("#") else text, str(path))
        table = table.astype({c: t for c, t in (("df", "int64"), ("idf", "float64")) if c in table.columns})
        n_docs, default = (int(m.group(1)), float(m.group(2))) if m else (0, float(table["idf"].max()))
        return cls(table=table, n_docs=n_docs, default_idf=default)

    def as_dict(self) -> dict[str, float]:
        """``{word: idf}``."""
        return dict(zip(self.table["word"], self.table["idf"].astype(float)))

    def extractor(self) -> Any:
        """A jieba TF-IDF extractor over govreport's tokenizer with this IDF."""
        if self._extractor is None:
            self._extractor = engine().tfidf_with(self.as_dict(), self.default_idf)
        return self._extractor


def fit_idf(report: ReportsOrText, *, section: Section = None, by: str = "section") -> IDFTable:
    """Fit IDF on a corpus so that keywords say what distinguishes a text from the others.

    Documents are the sections (``by="section"``: one document per report and section)
    or whole reports (``by="report"``). ``idf = ln((1 + N) / (1 + df)) + 1``. Pass the
    result as ``keywords(..., idf=table)``.
    """
    secs = select_sections(report, section)
    if by == "report":
        docs = secs.groupby("report_id", sort=False)["text"].agg("\n".join).tolist()
    elif by == "section":
        docs = secs["text"].tolist()
    else:
        raise ValueError("by must be 'section' or 'report'")
    eng = engine()
    stop = eng.stop_words
    df_count: dict[str, int] = {}
    for doc in docs:
        for w in {w for w in eng.tokenizer.cut(doc) if is_keyword(w, stop)}:
            df_count[w] = df_count.get(w, 0) + 1
    n = len(docs)
    words = sorted(df_count)
    dfs = np.array([df_count[w] for w in words], dtype=float)
    idf = np.log((1.0 + n) / (1.0 + dfs)) + 1.0
    table = pd.DataFrame({"word": words, "df": dfs.astype(int), "idf": idf})
    table = table.sort_values(["idf", "word"], ascending=[False, True], ignore_index=True)
    return IDFTable(table=table, n_docs=n, default_idf=float(math.log(1.0 + n) + 1.0))


fit = fit_idf


def _idf_extractor(idf: Any, secs: pd.DataFrame) -> Any:
    eng = engine()
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
    report: ReportsOrText,
    section: Section = None,
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
    report : Report, Corpus, list or mapping of reports, sections DataFrame or str.
    section : None for every section, a section number (5 = 五) or a section code
        (``"problems"`` = the problems-and-improvements section in any layout); see
        :data:`govreport.text.Section`.
    method : ``"tfidf"`` (``jieba.analyse.TFIDF.extract_tags``), ``"textrank"``
        (``jieba.analyse.TextRank``) or ``"both"``.
    top_k : keywords per section and method.
    idf : TF-IDF only. None / ``"default"`` = jieba's IDF; an :class:`IDFTable` from
        :func:`fit_idf` (or a DataFrame ``word, idf``, a dict, a CSV path);
        ``"corpus"`` = fit on ``report`` itself.
    allow_pos : POS filter (e.g. ``("n", "vn", "nz")``). TF-IDF default: none;
        TextRank default: jieba's ``("ns", "n", "vn", "v")``.
    verbose : show jieba's log lines when it first loads.

    Returns
    -------
    DataFrame ``report_id, section, title, keyword, weight, rank, method`` with
    ``section`` the section number, ``rank`` 1 = strongest.
    """
    eng = engine(verbose)
    secs = select_sections(report, section)
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
        for m in methods:
            if m == "tfidf":
                tags = tfidf.extract_tags(text, topK=None, withWeight=True, allowPOS=tuple(allow_pos or ()))
            else:
                pos = tuple(allow_pos) if allow_pos else ("ns", "n", "vn", "v")
                tags = eng.textrank.textrank(text, topK=None, withWeight=True, allowPOS=pos)
            rank = 0
            for word, weight in tags:
                if NUMERIC_TOKEN.match(word):
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

"""govreport's private jieba: one tokenizer per process with the domain dictionary and stopwords.

The domain dictionary is loaded into a private ``jieba.Tokenizer`` only, so a user's
global ``jieba`` (``jieba.cut``, ``jieba.analyse.extract_tags``) is never changed by
govreport. jieba's "Building prefix dict ..." log lines are hidden while govreport
initialises (the jieba logger level is restored afterwards); pass ``verbose=True`` to
:func:`init` to see them.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from .. import datafiles

DATA_DIR = datafiles.DATA_DIR
DOMAIN_DICT_PATH = datafiles.path("domain_dict.txt")
STOPWORDS_PATH = datafiles.path("stopwords.txt")

# Numbers, years, percentages, 1-3 latin letters and punctuation are never keywords.
NUMERIC_TOKEN = re.compile(r"^[\d０-９.．,，%％\-~～/年月日号第万亿余多]+$|^\d|^[a-z]{1,3}$|^[^\w]+$")


def read_word_list(path: str | Path) -> list[str]:
    """Words of a one-word-per-line file; blank lines and ``#`` comments skipped."""
    words = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            words.append(line)
    return words


class Engine:
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
        self.stop_words: set[str] = set(tfidf.stop_words) | set(read_word_list(STOPWORDS_PATH))
        for extractor in (tfidf, textrank):
            extractor.tokenizer = tokenizer
            extractor.postokenizer = None
            extractor.stop_words = self.stop_words  # shared set: add_stopwords updates all
        self.tfidf = tfidf
        self.textrank = textrank
        self.extractors = [tfidf, textrank]
        self.lock = threading.RLock()

    @property
    def postokenizer(self) -> Any:
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

    def tfidf_with(self, idf_freq: Mapping[str, float], default_idf: float) -> Any:
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


_ENGINE: Engine | None = None
_ENGINE_LOCK = threading.Lock()


def engine(verbose: bool = False) -> Engine:
    """The process's engine, built on first use."""
    global _ENGINE
    if _ENGINE is None:
        with _ENGINE_LOCK:
            if _ENGINE is None:
                _ENGINE = Engine(verbose)
    return _ENGINE


def init(verbose: bool = False) -> None:
    """Initialise jieba for govreport now (otherwise done on first use).

    Loads jieba's dictionary into a private ``jieba.Tokenizer`` and adds the domain
    dictionary and stopwords. Runs once per process; later calls do nothing.
    ``verbose=True`` shows jieba's own log lines during that first load.
    """
    engine(verbose)


def tokenize(text: str, *, search: bool = False) -> list[str]:
    """Cut ``text`` with govreport's jieba tokenizer (domain dictionary loaded).

    ``search=True`` uses jieba's search mode, which also yields the shorter words
    inside long ones (the mode used to match theme keywords).
    """
    eng = engine()
    if search:
        return [w for w in eng.tokenizer.cut_for_search(text) if w.strip()]
    return [w for w in eng.tokenizer.cut(text) if w.strip()]


def add_words(words: Iterable[str], freq: int | None = None, tag: str | None = None) -> None:
    """Add domain words to govreport's tokenizer so they stay whole."""
    eng = engine()
    with eng.lock:
        for w in words:
            eng.tokenizer.add_word(w, freq, tag)


def load_user_dict(path: str | Path) -> None:
    """Load another jieba user dictionary (``word [freq] [pos]`` per line)."""
    eng = engine()
    with eng.lock:
        eng.tokenizer.load_userdict(str(path))


def add_stopwords(words: Iterable[str] | str | Path) -> None:
    """Add stopwords: an iterable of words, or the path of a one-word-per-line file."""
    if isinstance(words, (str, Path)) and Path(words).is_file():
        words = read_word_list(words)
    elif isinstance(words, str):
        words = [words]
    eng = engine()
    with eng.lock:
        eng.stop_words.update(w.strip() for w in words if w.strip())


def stopwords() -> frozenset[str]:
    """The stopwords in force (jieba's English list, the data file, added words)."""
    return frozenset(engine().stop_words)


def is_keyword(word: str, stop: set[str]) -> bool:
    """A token that may be a keyword: two characters or more, not a stopword or a number."""
    w = word.strip()
    return len(w) >= 2 and w.lower() not in stop and not NUMERIC_TOKEN.match(w)

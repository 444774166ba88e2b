"""Boilerplate and reuse across reports: section similarity and near-copied passages.

MinHash (``method="minhash"``, the default of :func:`section_similarity`) needs
datasketch, the optional extra ``govreport[reuse]``; the other methods and
:func:`copied_passages` need only numpy and scipy.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from ..errors import renamed
from .prose import narrow
from .select import ReportsOrText, Section, sections_of, select

_NON_TEXT = re.compile(r"[\W_\d]+")


def _datasketch() -> Any:
    try:
        import datasketch
    except ImportError as exc:  # an optional extra
        raise ImportError(
            "method='minhash' needs datasketch: pip install 'govreport[reuse]' "
            "(or use method='jaccard' or 'cosine')"
        ) from exc
    return datasketch


def _shingles(text: str, k: int = 3) -> set[str]:
    t = _NON_TEXT.sub("", narrow(text))
    if len(t) < k:
        return {t} if t else set()
    return {t[i:i + k] for i in range(len(t) - k + 1)}


def _documents(report: ReportsOrText, section: Section) -> pd.Series:
    secs = select(sections_of(report), section)
    return secs.groupby("report_id", sort=False)["text"].agg("\n".join)


def section_similarity(
    report: ReportsOrText,
    section: Section = "problems",
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
    report : Corpus, list or mapping of reports, or a sections table.
    section : ``"problems"`` (default, the 存在的主要问题 section in any layout),
        another section code, a section number, or None for the whole narrative.
    method : ``"minhash"`` (datasketch MinHash estimate of the Jaccard similarity of
        character ``k``-shingles; needs ``govreport[reuse]``), ``"jaccard"`` (exact)
        or ``"cosine"`` (TF-IDF weighted character ``k``-grams).
    threshold : with ``minhash``, only pairs that MinHashLSH finds at this Jaccard
        threshold are compared (for large corpora); pairs below it are dropped for
        all methods.

    Returns ``report_id_a, report_id_b, similarity`` sorted by similarity, highest first.
    """
    if method not in ("minhash", "jaccard", "cosine"):
        raise ValueError("method must be 'minhash', 'jaccard' or 'cosine'")
    docs = _documents(report, section)
    ids = list(docs.index)
    shingles = [_shingles(t, k) for t in docs.values]
    pairs: list[tuple[str, str, float]] = []
    if method == "minhash":
        ds = _datasketch()
        hashes = ds.MinHash.bulk([[s.encode("utf-8") for s in sh] for sh in shingles], num_perm=num_perm, seed=seed)
        if threshold is not None:
            lsh = ds.MinHashLSH(threshold=threshold, num_perm=num_perm)
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
    else:
        sims = _tfidf_cosine([_NON_TEXT.sub("", narrow(t)) for t in docs.values], k)
        for i in range(len(ids)):
            for j in range(i + 1, len(ids)):
                pairs.append((ids[i], ids[j], float(sims[i, j])))
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


def _passages(report: ReportsOrText, section: Section, min_chars: int, default_id: str) -> list[dict]:
    if isinstance(report, str):
        secs = sections_of(report, default_id)  # a string is one passage source, whatever the section
    else:
        secs = select(sections_of(report, default_id if isinstance(report, pd.DataFrame) else None), section)
    out = []
    for rid, number, text in zip(secs["report_id"], secs["number"], secs["text"]):
        flat = narrow(text)
        pos = 0
        for piece in re.split(r"(?<=[。；;!！?？])|\n", flat):
            start = flat.find(piece, pos) if piece else pos
            pos = start + len(piece)
            if not piece.strip():
                continue
            if len(_NON_TEXT.sub("", piece)) < min_chars:
                continue
            out.append({"report_id": rid, "section": number, "offset": start,
                        "passage": text[start:start + len(piece)].strip()})
    return out


@renamed(a="report", b="other")
def copied_passages(
    report: ReportsOrText,
    other: ReportsOrText,
    *,
    min_chars: int = 20,
    threshold: float = 0.5,
    section: Section = None,
    k: int = 3,
) -> pd.DataFrame:
    """Near-copied sentences between ``report`` and ``other`` (two reports, or two sets of sections).

    Each side is cut into sentences (at 。；！？ and line breaks) of at least
    ``min_chars`` characters (punctuation and digits not counted); every pair is
    scored by the Jaccard similarity of character ``k``-shingles and pairs at or
    above ``threshold`` are listed. Works for the same agency across years or for
    two agencies; ``section`` restricts both sides (e.g. ``"problems"``).

    Returns (``_a`` for ``report``, ``_b`` for ``other``) ``report_id_a, section_a, offset_a,
    passage_a, report_id_b, section_b,
    offset_b, passage_b, similarity, containment`` (``containment`` = shared
    shingles / shingles of the shorter passage), highest similarity first.
    """
    pa = _passages(report, section, min_chars, "a")
    pb = _passages(other, section, min_chars, "b")
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

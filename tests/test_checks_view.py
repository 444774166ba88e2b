"""One report protocol for the checks (govreport.checks.view): a Report, a Corpus and a list
of reports give the same findings and indicators."""
from __future__ import annotations

import importlib
from pathlib import Path

import pandas as pd
import pytest

import govreport

V = importlib.import_module("govreport.checks")
I = importlib.import_module("govreport.checks.indicators")  # noqa: E741
view = importlib.import_module("govreport.checks.view")
RAW = Path(__file__).resolve().parent.parent / "data" / "raw"
FILES = ["pingtan_2017.txt", "pingtan_2021.txt", "004_1de402db7ad7867c.txt"]


@pytest.fixture(scope="module")
def corpus():
    corpus_mod = importlib.import_module("govreport.corpus")
    return corpus_mod.read_corpus([RAW / n for n in FILES], jobs=1, progress=False, cache=False,
                                  manifest=RAW / "manifest.csv")


def test_corpus_split_is_the_corpus_view(corpus):
    split = dict(view.reports(corpus))
    assert list(split) == corpus.report_ids
    for rid, rep in split.items():
        assert isinstance(rep, govreport.protocol.ReportLike)
        ref = corpus[rid]
        for name in ("applications", "review_litigation", "statistics"):
            pd.testing.assert_frame_equal(rep.table(name).reset_index(drop=True), ref.table(name),
                                          check_dtype=False, check_categorical=False)
        assert rep.text == ref.text
        # the checks give the same findings on the split view and on the corpus' own ReportView
        pd.testing.assert_frame_equal(V.validate(rep), V.validate(ref))


def test_indicators_same_for_report_list_and_corpus(corpus):
    reports = [govreport.read_report(RAW / n) for n in FILES]
    by_list = I.indicators(reports).drop(columns=["report_id", "agency"]).sort_values("year")
    by_corpus = I.indicators(corpus).drop(columns=["report_id", "agency"]).sort_values("year")
    pd.testing.assert_frame_equal(by_list.reset_index(drop=True), by_corpus.reset_index(drop=True))
    assert by_corpus.set_index("year").loc[2024, "requests"] == 52


def test_not_a_report_is_refused():
    with pytest.raises(TypeError):
        V.validate({"meta": {}})
    with pytest.raises(TypeError):
        I.indicators("data/raw/pingtan_2021.txt")

"""One name per concept across the public API (docs/api.md has the table).

The walk covers what a user reaches: ``govreport``'s exports, the methods of ``Report``,
``ReportView`` and ``Corpus``, and ``govreport.text``, ``checks``, ``plot`` and ``corpus``.
A new public function whose main argument is not named by the rule, or that brings back a
retired synonym, fails here; a renamed keyword keeps working for one release with a
``FutureWarning`` that names the new keyword.
"""
from __future__ import annotations

import inspect
import warnings
from pathlib import Path

import pandas as pd
import pytest

import govreport
from govreport import checks, corpus, plot, text
from govreport.errors import renamed

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"
SEED4 = RAW / "004_1de402db7ad7867c.txt"
PINGTAN = [RAW / "pingtan_2021.txt", RAW / "pingtan_2022.txt"]

#: The main (first) argument's name -> what it is. A new name needs a row in docs/api.md first.
FIRST = {
    "source": "what reports are read from: a path, bytes, a folder, a glob, a list, a corpus export",
    "report": "a Report, a ReportView, a Corpus or a collection of them (text: also sections or a str)",
    "text": "one string of prose",
    "table": "a table's name (applications, sections ...)",
    "path": "where output is written, or a side data file (themes, dictionaries)",
    "data": "a tidy table of more than one kind",
    "applications": "the applications table", "indicators": "the indicators table",
    "problems": "the stated_problems table",
    "fig": "a matplotlib Figure",
    "words": "words for the jieba dictionary or the stopwords",
    "kind": "a label kind", "formula": "a formula of the checks' engine",
    "meta": "a report's metadata", "page": "a page number", "verbose": "jieba's log on or off",
    "tables": "a Corpus's tables by name", "cache": "a cache folder (as read_corpus(cache=))",
}

#: The formula engine's resolver speaks the formulas' own terms (kind, a, b): plumbing, not API.
NOT_WALKED = ("CellResolver",)

#: Retired synonyms -> the one name the API uses for that concept.
SYNONYMS = {
    "corpus": "report", "reports_or_text": "report", "a": "report", "b": "other",
    "file": "source", "filename": "source", "files": "source", "input": "source", "src": "source",
    "folder": "path", "directory": "path", "out_path": "path",
    "df": "data", "frame": "data", "statement": "text", "statements": "problems",
    "metrics": "measures", "max_size": "max_bytes", "n_jobs": "jobs", "workers": "jobs",
    "processes": "jobs", "show_progress": "progress", "use_cache": "cache", "cache_dir": "cache",
    "language": "lang", "section_code": "section", "sections": "section", "layout_name": "layout",
    "table_name": "table",
}

#: Annotations that mean "a report or many": such a first argument is named ``report``.
REPORT_TYPES = ("Report", "Corpus", "Reports", "ReportsOrText")


def _public() -> dict[str, object]:
    """Every public callable the walk covers, by dotted name (methods included)."""
    found: dict[str, object] = {}
    for mod in (govreport, text, checks, plot, corpus):
        for name in mod.__all__:
            obj = getattr(mod, name)
            qual = f"{mod.__name__}.{name}"
            if inspect.isclass(obj):
                if (issubclass(obj, BaseException) or hasattr(obj, "__dataclass_fields__")
                        or name in NOT_WALKED):
                    continue
                for attr, member in vars(obj).items():
                    if not attr.startswith("_") and inspect.isfunction(member):
                        found[f"{qual}.{attr}"] = member
            elif inspect.isfunction(obj):
                found[qual] = obj
    for cls in (govreport.Report, govreport.ReportView, govreport.Corpus):
        for attr in dir(cls):
            member = getattr(cls, attr)
            if not attr.startswith("_") and inspect.isfunction(member):
                found[f"{cls.__name__}.{attr}"] = member
    return found


PUBLIC = _public()


def _params(func) -> list[inspect.Parameter]:
    ps = list(inspect.signature(func).parameters.values())
    if ps and ps[0].name in ("self", "cls"):
        ps = ps[1:]
    return [p for p in ps if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]


def test_the_walk_covers_the_api():
    for name in ("govreport.read_report", "govreport.read_corpus", "govreport.load", "govreport.indicators",
                 "Report.table", "Report.value", "Report.debug", "ReportView.table", "Corpus.to_stata",
                 "govreport.text.keywords", "govreport.text.copied_passages", "govreport.checks.validate_corpus",
                 "govreport.plot.disclosure_volumes", "govreport.corpus.discover"):
        assert name in PUBLIC, name
    assert len(PUBLIC) > 80


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_the_main_argument_has_the_name_of_its_concept(name):
    positional = [p for p in _params(PUBLIC[name]) if p.kind != p.KEYWORD_ONLY]
    if not positional:  # options only (Corpus.panel(long=...)): no main argument
        return
    first = positional[0]
    assert first.name in FIRST, f"{name}({first.name}=...): not a name of docs/api.md"
    annotation = str(first.annotation)
    if any(t in annotation.replace("'", "").split(" | ")[0] for t in REPORT_TYPES):
        assert first.name == "report", f"{name}: a Report or Corpus argument is named 'report'"
    short = name.rsplit(".", 1)[-1]
    if short.startswith("read_") or short in ("load", "discover"):
        assert first.name == "source", f"{name}: what is read is named 'source'"
    if short in ("table", "records", "value", "debug", "to_pandas"):
        assert first.name == "table", f"{name}: a table's name is 'table'"
    if short.startswith("to_") and short != "to_pandas":
        assert first.name == "path", f"{name}: where output goes is 'path'"


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_no_retired_synonym_is_a_parameter(name):
    used = {p.name for p in _params(PUBLIC[name])} & set(SYNONYMS)
    assert not used, {u: f"use {SYNONYMS[u]}=" for u in used}


@pytest.mark.parametrize("name", sorted(n for n, f in PUBLIC.items() if getattr(f, "__renamed__", None)))
def test_every_rename_points_to_a_parameter_of_the_signature(name):
    params = {p.name for p in _params(PUBLIC[name])}
    for old, new in PUBLIC[name].__renamed__.items():
        assert new in params and old not in params, (old, new)


def test_renamed_warns_naming_the_new_keyword_and_refuses_both():
    @renamed(old="new")
    def f(new: int = 0) -> int:
        return new + 1

    with pytest.warns(FutureWarning, match=r"f\(\): the keyword old= is renamed new="):
        assert f(old=2) == 3
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert f(new=2) == 3 and f(2) == 3
    with pytest.raises(TypeError, match="both old= and new="):
        f(old=1, new=2)


def _same(old_call, new_call, new: str):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        want = new_call()
    with pytest.warns(FutureWarning, match=f"renamed {new}="):
        got = old_call()
    return want, got


@pytest.fixture(scope="module")
def pingtan():
    return govreport.read_corpus(PINGTAN, jobs=1, progress=False, cache=False)


def test_old_keywords_of_the_report_and_corpus_still_work(pingtan, tmp_path):
    r = govreport.read_report(SEED4)
    want, got = _same(lambda: r.table(name="applications"), lambda: r.table(table="applications"), "table")
    assert got is want and got["value"].sum() == want["value"].sum()
    view = pingtan["pingtan_2022"]
    want, got = _same(lambda: view.table(name="applications"), lambda: view.table(table="applications"), "table")
    assert got is want
    out = pingtan.to_parquet(tmp_path / "pq")
    want, got = _same(lambda: corpus.load(path=out), lambda: corpus.load(source=out), "source")
    pd.testing.assert_frame_equal(got.applications, want.applications)
    assert len(got) == 2
    with pytest.warns(FutureWarning, match="renamed path="):
        written = pingtan.to_stata(folder=tmp_path / "dta")
    assert sorted(p.name for p in written) == sorted(p.name for p in pingtan.to_stata(path=tmp_path / "dta2"))
    small = govreport.read_corpus(PINGTAN[:1], jobs=1, progress=False, cache=False, max_bytes=10**6)
    with pytest.warns(FutureWarning, match="renamed max_bytes="):
        old = govreport.read_corpus(PINGTAN[:1], jobs=1, progress=False, cache=False, max_size=10**6)
    pd.testing.assert_frame_equal(old.applications, small.applications)


def test_old_keywords_of_checks_and_text_still_work(pingtan):
    want, got = _same(lambda: checks.validate_corpus(corpus=pingtan), lambda: checks.validate_corpus(report=pingtan),
                      "report")
    pd.testing.assert_frame_equal(got, want)
    assert set(want["check"]) == {"cross_year.in_force"}
    a, b = pingtan["pingtan_2021"], pingtan["pingtan_2022"]
    want, got = _same(lambda: text.copied_passages(a=a, b=b), lambda: text.copied_passages(report=a, other=b),
                      "(?:report|other)")
    pd.testing.assert_frame_equal(got, want)
    assert len(want) > 0 and set(want["report_id_a"]) == {"pingtan_2021"}
    problems = text.stated_problems(pingtan)
    want, got = _same(lambda: text.theme_coverage(statements=problems), lambda: text.theme_coverage(problems=problems),
                      "problems")
    assert got == want and 0 < want <= 1
    line = problems["statement"].iloc[0]
    want, got = _same(lambda: text.tag_themes(statement=line), lambda: text.tag_themes(text=line), "text")
    assert got == want == problems["themes"].iloc[0].split("|")


def test_old_keyword_of_the_plots_still_works(pingtan):
    ind = govreport.indicators(pingtan)
    want, got = _same(lambda: plot.disclosure_volumes(ind, metrics=["requests"]),
                      lambda: plot.disclosure_volumes(ind, measures=["requests"]), "measures")
    pd.testing.assert_frame_equal(got.govreport_data, want.govreport_data)
    assert set(want.govreport_data["metric"]) == {"requests"}

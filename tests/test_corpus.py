"""Tests for govreport.corpus: read_corpus, Corpus, load, the cache and the dask engine.

Real reports come from data/raw; broken files (empty, binary, truncated HTML, wrong
encoding, a directory named like a report, a dangling link) are made in tmp_path.
"""

from __future__ import annotations

import os
import random
import shutil
import time
from pathlib import Path

import pandas as pd
import pandas.testing as pdt
import pytest

import govreport
from govreport import corpus as C

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"
# every report of data/raw but the scan (OCR costs seconds a page: tests/test_ocr.py reads it)
REPORT_FILES = sorted(p for p in RAW.iterdir() if p.name not in ("manifest.csv", "hongze_district_gov_2024_scanned.pdf"))
#: reports whose tables print blank or missing cells: status "partial"
# (hongze prints the three 其他处理 rows as one; the Shanghai copies leave 总计 cells blank)
PARTIAL = {"003_36f0aac7f99c3c7f", "004_1de402db7ad7867c", "shanghai_govoffice_2019", "shanghai_govoffice_2019_docx",
           "shanghai_govoffice_2019_pdf", "shanghai_stcsm_2024", "hongze_district_gov_2024"}
REPORT_TABLES = ("sections", "active_disclosure", "applications", "review_litigation",
                 "statistics", "findings")


@pytest.fixture(autouse=True)
def _no_home_cache(tmp_path_factory, monkeypatch):
    """Never touch ~/.cache from the tests."""
    monkeypatch.setenv("GOVREPORT_CACHE", str(tmp_path_factory.getbasetemp() / "home-cache"))


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("corpus-cache")


@pytest.fixture(scope="module")
def raw_corpus(cache_dir) -> C.Corpus:
    return C.read_corpus(REPORT_FILES, jobs=1, progress=False, cache=cache_dir)


def _make_broken(folder: Path) -> dict[str, str]:
    """Good copies plus one broken file of each kind; returns bad file name -> kind."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(RAW / "pingtan_2021.txt", folder / "good_2021.txt")
    shutil.copy(RAW / "shanghai_stcsm_2024.txt", folder / "good_stcsm.txt")
    text = (RAW / "pingtan_2022.txt").read_text(encoding="utf-8")
    # a GBK-encoded copy is a good file too: the encoding is detected
    (folder / "good_gbk.txt").write_bytes(text.encode("gbk", errors="replace"))
    (folder / "empty.txt").write_bytes(b"")
    rnd = random.Random(7)
    (folder / "binary.txt").write_bytes(
        b"\x89PNG\r\n\x1a\n" + bytes(rnd.randrange(256) for _ in range(4000)))
    html = (RAW / "shanghai_govoffice_2019.html").read_bytes()
    (folder / "truncated.html").write_bytes(html[:300])
    # wrong encoding: UTF-8 bytes decoded as Latin-1 and saved again (mojibake)
    (folder / "mojibake.txt").write_bytes(text.encode("utf-8").decode("latin-1").encode("utf-8"))
    (folder / "folder_like_report.txt").mkdir()
    os.symlink(folder / "does_not_exist.txt", folder / "dangling.txt")
    return {"empty.txt": "EmptyFileError", "binary.txt": "ParseError",
            "truncated.html": "ParseError", "mojibake.txt": "ParseError",
            "folder_like_report.txt": "IsADirectoryError",
            "dangling.txt": "FileNotFoundError"}


# ------------------------------------------------------------------------------------
# the real reports
# ------------------------------------------------------------------------------------

def test_raw_reports_all_parse(raw_corpus):
    c = raw_corpus
    assert len(c.reports) == len(REPORT_FILES)
    assert len(c) == len(REPORT_FILES)
    assert c.errors.empty
    status = dict(zip(c.reports["report_id"].astype(str), c.reports["status"].astype(str)))
    # partial: a table printed with blank or missing cells (the reports' own quirks, see manifest.csv)
    assert {rid for rid, s in status.items() if s != "ok"} == PARTIAL
    assert {status[rid] for rid in PARTIAL} == {"partial"}
    assert list(c.reports["report_id"]) == [p.stem for p in REPORT_FILES]
    assert c.reports["sha256"].str.len().eq(64).all()
    assert (c.reports["size"] == [p.stat().st_size for p in REPORT_FILES]).all()
    for col in C.REPORTS_COLUMNS:
        assert col in c.reports.columns
    assert set(c.reports["layout"].dropna().astype(object)) <= {"2021", "2019", "pre2019"}


def test_tables_carry_report_id_first(raw_corpus):
    tables = raw_corpus.tables()
    assert list(tables)[:2] == ["reports", "errors"]
    for name in REPORT_TABLES:
        df = tables[name]
        assert df.columns[0] == "report_id", name
        assert set(df["report_id"].astype(object)) <= set(raw_corpus.reports["report_id"])
    assert len(raw_corpus.applications) > 0
    for col in ("row", "applicant"):
        assert isinstance(raw_corpus.applications[col].dtype, pd.CategoricalDtype)
    assert isinstance(raw_corpus.findings["severity"].dtype, pd.CategoricalDtype)
    assert str(raw_corpus.applications["value"].dtype) == "Float64"


def test_corpus_rows_match_read_report(raw_corpus):
    path = RAW / "pingtan_2021.txt"
    rep = govreport.read_report(path)
    view = raw_corpus["pingtan_2021"]
    assert view.meta["agency"] == raw_corpus.reports.set_index("report_id").loc[
        "pingtan_2021", "agency"]
    for name in REPORT_TABLES:
        mine = view.tables()[name]
        theirs = rep.tables()[name].reset_index(drop=True)
        assert list(mine.columns) == list(theirs.columns), name
        assert len(mine) == len(theirs), name
        if "value" in theirs.columns:
            pdt.assert_series_equal(mine["value"], theirs["value"], check_names=False)
    # findings count by severity
    row = raw_corpus.reports.set_index("report_id").loc["pingtan_2021"]
    sev = rep.findings["severity"].astype(object).value_counts()
    assert row["n_error"] == sev.get("error", 0)
    assert row["n_warning"] == sev.get("warning", 0)
    # lookup by file path works too
    assert raw_corpus[str(RAW / "pingtan_2021.txt")].report_id == "pingtan_2021"
    with pytest.raises(KeyError):
        raw_corpus["no-such-report"]


def test_repr_summary_and_html(raw_corpus):
    s = raw_corpus.summary()
    assert s["reports"] == len(REPORT_FILES) and s["failed"] == 0
    assert s["years"][0] <= s["years"][1]
    assert sum(s["layouts"].values()) == len(REPORT_FILES)
    assert set(s["findings"]) == {"error", "warning", "info"}
    html = raw_corpus._repr_html_()
    assert "reports parsed" in html and str(len(REPORT_FILES)) in html
    assert "Corpus" in repr(raw_corpus)


def test_classification_columns(raw_corpus):
    rep = raw_corpus.reports.set_index("report_id")
    assert rep.loc["pingtan_2021", "province"] == "福建省"
    assert rep.loc["shanghai_govoffice_2019", "province"] == "上海市"
    assert rep["level"].notna().sum() >= len(rep) // 2


# ------------------------------------------------------------------------------------
# broken files
# ------------------------------------------------------------------------------------

def test_broken_files_are_listed_with_reasons(tmp_path):
    bad = _make_broken(tmp_path / "mixed")
    c = C.read_corpus(tmp_path / "mixed", jobs=1, progress=False, cache=False)
    ok = c.reports[c.reports["report_id"].isin(c.report_ids)]
    assert sorted(Path(f).name for f in ok["file"]) == ["good_2021.txt", "good_gbk.txt",
                                                        "good_stcsm.txt"]
    errs = {Path(f).name: (t, m) for f, t, m in
            zip(c.errors["file"], c.errors["error_type"].astype(object), c.errors["message"])}
    assert set(errs) == set(bad)
    for name, kind in bad.items():
        etype, message = errs[name]
        assert etype == kind, (name, etype, message)
        assert message and name in message
    assert "PNG image is not a format govreport reads; convert it first" in errs["binary.txt"][1]
    assert "empty" in errs["empty.txt"][1]
    assert "directory" in errs["folder_like_report.txt"][1]
    # failed files are in `reports` too, with status 'failed' and no table rows
    failed = c.reports[c.reports["status"] == "failed"]
    assert len(failed) == len(bad)
    assert not set(failed["report_id"]) & set(c.applications["report_id"])
    assert len(c) == 3


def test_broken_files_parallel_equals_serial(tmp_path):
    _make_broken(tmp_path / "mixed")
    one = C.read_corpus(tmp_path / "mixed", jobs=1, progress=False, cache=False)
    two = C.read_corpus(tmp_path / "mixed", jobs=2, progress=False, cache=False, chunksize=2)
    for name, df in one.tables().items():
        pdt.assert_frame_equal(df, two.tables()[name], obj=name)


def test_errors_raise_and_ignore(tmp_path):
    _make_broken(tmp_path / "mixed")
    with pytest.raises(govreport.ParseError):
        C.read_corpus([tmp_path / "mixed" / "good_2021.txt", tmp_path / "mixed" / "mojibake.txt"],
                      jobs=1, progress=False, cache=False, errors="raise")
    with pytest.raises(govreport.ParseError):
        C.read_corpus([tmp_path / "mixed" / "good_2021.txt", tmp_path / "mixed" / "mojibake.txt"],
                      jobs=2, progress=False, cache=False, errors="raise", chunksize=1)
    c = C.read_corpus(tmp_path / "mixed", jobs=1, progress=False, cache=False, errors="ignore")
    assert c.errors.empty
    assert len(c.report_ids) == 3 and len(c.reports) == 3
    with pytest.raises(ValueError):
        C.read_corpus(tmp_path / "mixed", errors="bogus")


def test_missing_and_empty_sources(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such file or folder"):
        C.read_corpus(tmp_path / "nope", progress=False)
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / ".hidden.txt").write_text("x\n")
    (tmp_path / "empty" / "manifest.csv").write_text("file\n")
    with pytest.raises(ValueError, match="no report files"):
        C.read_corpus(tmp_path / "empty", progress=False)
    with pytest.raises(ValueError, match="no files match"):
        C.read_corpus(str(tmp_path / "empty" / "*.txt"), progress=False)
    # every other file is accounted for: a file that is no report is a row of errors
    (tmp_path / "empty" / "notes.csv").write_text("x\n")
    notes = C.read_corpus(tmp_path / "empty", progress=False, cache=False)
    assert list(notes.errors["file"]) == [str(tmp_path / "empty" / "notes.csv")]
    assert list(notes.reports["status"].astype(object)) == ["failed"] and len(notes) == 0
    with pytest.warns(UserWarning):
        empty = C.read_corpus([], progress=False, cache=False)
    assert len(empty) == 0 and empty.reports.empty
    assert empty.applications.columns[0] == "report_id"


# ------------------------------------------------------------------------------------
# sources, ids, manifest
# ------------------------------------------------------------------------------------

def test_glob_and_list_sources(cache_dir):
    g = C.read_corpus(str(RAW / "pingtan_*.txt"), jobs=1, progress=False, cache=cache_dir)
    assert list(g.reports["report_id"]) == [f"pingtan_{y}" for y in (2017, 2018, 2019, 2021, 2022)]
    lst = C.read_corpus([RAW / "pingtan_2019.txt", str(RAW / "pingtan_2017.txt")], jobs=1,
                        progress=False, cache=cache_dir)
    assert list(lst.reports["report_id"]) == ["pingtan_2019", "pingtan_2017"]


def test_report_ids_unique_and_stable(tmp_path):
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        shutil.copy(RAW / "pingtan_2021.txt", tmp_path / sub / "report.txt")
    shutil.copy(RAW / "pingtan_2022.txt", tmp_path / "a" / "other.txt")
    c1 = C.read_corpus(tmp_path, jobs=1, progress=False, cache=False)
    c2 = C.read_corpus(tmp_path, jobs=1, progress=False, cache=False)
    ids = list(c1.reports["report_id"])
    assert len(set(ids)) == 3
    assert "other" in ids
    dup = [i for i in ids if i.startswith("report-")]
    assert len(dup) == 2 and all(len(i) == len("report-") + 8 for i in dup)
    assert ids == list(c2.reports["report_id"])


def test_manifest_completes_and_corrects(tmp_path, cache_dir):
    d = tmp_path / "m"
    d.mkdir()
    shutil.copy(RAW / "pingtan_2021.txt", d / "pingtan_2021.txt")
    shutil.copy(RAW / "pingtan_2022.txt", d / "pingtan_2022.txt")
    (d / "manifest.csv").write_text(
        "file,agency,year,region,url,published,notes\n"
        "pingtan_2021.txt,某某实验区管委会,2020,福建省平潭,https://example.org/a,2022-03-01,x\n"
        "pingtan_2022.txt,,,,,,only notes\n", encoding="utf-8")
    c = C.read_corpus(d, jobs=1, progress=False, cache=cache_dir, manifest=d / "manifest.csv")
    rep = c.reports.set_index("report_id")
    a, b = rep.loc["pingtan_2021"], rep.loc["pingtan_2022"]
    assert a["agency"] == "某某实验区管委会" and a["agency_source"] == "manifest"
    assert a["year"] == 2020 and a["year_source"] == "manifest"
    assert a["region"] == "福建省平潭" and a["region_source"] == "manifest"
    assert a["url"] == "https://example.org/a"
    assert a["published"] == pd.Timestamp("2022-03-01") and a["published_source"] == "manifest"
    assert b["agency_source"] == "title" and b["year_source"] == "title"  # the evidence in the report
    assert b["year"] == 2022
    # the real manifest of data/raw (relative file names) works as is
    real = C.read_corpus(RAW, jobs=1, progress=False, cache=cache_dir,
                         manifest=RAW / "manifest.csv")
    r = real.reports.set_index("report_id")
    assert r.loc["shanghai_stcsm_2024", "agency"] == "上海市科委"
    assert r.loc["shanghai_stcsm_2024", "agency_source"] == "manifest"
    assert r.loc["004_1de402db7ad7867c", "agency_source"] == "opening"
    # a DataFrame works as a manifest; a manifest without 'file' is refused
    df = pd.DataFrame({"file": [str(d / "pingtan_2022.txt")], "year": [1999]})
    c2 = C.read_corpus(d, jobs=1, progress=False, cache=cache_dir, manifest=df)
    assert c2.reports.set_index("report_id").loc["pingtan_2022", "year"] == 1999
    with pytest.raises(ValueError, match="file"):
        C.read_corpus(d, jobs=1, progress=False, cache=cache_dir,
                      manifest=pd.DataFrame({"agency": ["x"]}))


# ------------------------------------------------------------------------------------
# cache
# ------------------------------------------------------------------------------------

def test_cache_hits_misses_and_clear(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    d = tmp_path / "c"
    d.mkdir()
    for name in ("pingtan_2021.txt", "shanghai_stcsm_2024.txt"):
        shutil.copy(RAW / name, d / name)
    first = C.read_corpus(d, jobs=1, progress=False, cache=cache)
    assert len(first) == 2
    entries = list((cache).rglob("*.json"))
    assert len(entries) == 2

    calls = []

    def boom(path, data):
        calls.append(path)
        raise govreport.ParseError(f"{path}: parser disabled in this test")

    monkeypatch.setattr(C.work, "parse_file", boom)
    again = C.read_corpus(d, jobs=1, progress=False, cache=cache)
    assert calls == [] and len(again) == 2
    for name, df in first.tables().items():
        pdt.assert_frame_equal(df, again.tables()[name], obj=name)

    # a changed file is parsed again (new content hash)
    with open(d / "pingtan_2021.txt", "a", encoding="utf-8") as fh:
        fh.write("\n")
    changed = C.read_corpus(d, jobs=1, progress=False, cache=cache)
    assert len(calls) == 1 and len(changed.errors) == 1
    # cache=False never reads it
    off = C.read_corpus(d, jobs=1, progress=False, cache=False)
    assert len(off.errors) == 2
    # clear_cache empties it
    assert C.clear_cache(cache) == 2
    assert not list(cache.rglob("*.json"))
    assert C.clear_cache(cache) == 0


def test_cache_writes_are_atomic_and_corrupt_entries_ignored(tmp_path):
    cache = tmp_path / "cache"
    d = tmp_path / "c"
    d.mkdir()
    shutil.copy(RAW / "pingtan_2021.txt", d / "a.txt")
    C.read_corpus(d, jobs=1, progress=False, cache=cache)
    (entry,) = list(cache.rglob("*.json"))
    assert not list(cache.rglob("*.tmp"))
    entry.write_bytes(b"garbage")
    c = C.read_corpus(d, jobs=1, progress=False, cache=cache)
    assert len(c) == 1 and c.errors.empty


def test_default_cache_dir_env(monkeypatch, tmp_path):
    monkeypatch.setenv("GOVREPORT_CACHE", str(tmp_path / "x"))
    assert C.default_cache_dir() == tmp_path / "x"
    monkeypatch.delenv("GOVREPORT_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert C.default_cache_dir() == tmp_path / "xdg" / "govreport"


def test_parallel_equals_serial_on_raw(raw_corpus, cache_dir):
    two = C.read_corpus(REPORT_FILES, jobs=2, progress=False, cache=cache_dir)
    for name, df in raw_corpus.tables().items():
        pdt.assert_frame_equal(df, two.tables()[name], obj=name)


# ------------------------------------------------------------------------------------
# export and reload
# ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def mixed_corpus(tmp_path_factory, cache_dir) -> C.Corpus:
    """Real reports plus broken files: NA everywhere, non-empty errors table."""
    d = tmp_path_factory.mktemp("mixed")
    _make_broken(d / "bad")
    for p in REPORT_FILES:
        shutil.copy(p, d / p.name)
    return C.read_corpus(d, jobs=1, progress=False, cache=cache_dir,
                         manifest=RAW / "manifest.csv")


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_round_trip_is_exact(mixed_corpus, tmp_path, fmt):
    c = mixed_corpus
    assert len(c.errors) > 0 and c.reports["year"].isna().any()
    out = getattr(c, f"to_{fmt}")(tmp_path / fmt)
    assert (out / "schema.json").is_file()
    back = govreport.corpus.load(out)
    assert list(back.tables()) == list(c.tables())
    for name, df in c.tables().items():
        pdt.assert_frame_equal(df, back.tables()[name], check_exact=True, obj=name)
        if len(df):
            assert df.dtypes.equals(back.tables()[name].dtypes), name


def test_excel_export(mixed_corpus, tmp_path):
    path = mixed_corpus.to_excel(tmp_path / "corpus.xlsx")
    assert path.is_file()
    sheets = pd.ExcelFile(path).sheet_names
    assert set(mixed_corpus.tables()) <= set(sheets)
    back = C.load(path)  # best effort: Excel cannot tell "" from missing
    for name, df in mixed_corpus.tables().items():
        assert back.tables()[name].shape == df.shape, name
        assert list(back.tables()[name].dtypes) == list(df.dtypes), name
    pdt.assert_frame_equal(back.reports, mixed_corpus.reports)


def test_load_errors(tmp_path):
    with pytest.raises(FileNotFoundError):
        C.load(tmp_path / "nope")
    (tmp_path / "d").mkdir()
    with pytest.raises(FileNotFoundError, match="schema.json"):
        C.load(tmp_path / "d")


def test_validate_and_indicators(mixed_corpus):
    v = mixed_corpus.validate()
    assert {"report_id", "file", "check", "severity", "message"} <= set(v.columns)
    parse_rows = v[v["check"].astype(object) == "parse"]
    assert len(parse_rows) == len(mixed_corpus.errors)
    assert (parse_rows["severity"] == "error").all()
    assert len(v) == len(mixed_corpus.findings) + len(mixed_corpus.errors)
    ind = mixed_corpus.indicators()
    assert "report_id" in ind.columns and len(ind) >= len(mixed_corpus)


# ------------------------------------------------------------------------------------
# dask engine
# ------------------------------------------------------------------------------------

def test_dask_engine_local_cluster(tmp_path):
    pytest.importorskip("dask.distributed")
    files = [RAW / "pingtan_2021.txt", RAW / "shanghai_stcsm_2024.txt",
             RAW / "pingtan_2017.txt"]
    d = tmp_path / "src"
    d.mkdir()
    for f in files:
        shutil.copy(f, d / f.name)
    (d / "empty.txt").write_bytes(b"")
    t0 = time.perf_counter()
    out = tmp_path / "parts"
    got = C.read_corpus(d, engine="dask", jobs=2, out=out, progress=False, cache=False,
                        chunksize=1)
    assert time.perf_counter() - t0 < 30
    ref = C.read_corpus(d, jobs=1, progress=False, cache=False)
    for name, df in ref.tables().items():
        pdt.assert_frame_equal(df, got.tables()[name], obj=name)
    assert sorted(p.name for p in (out / "applications").glob("part-*.parquet"))
    assert (out / "schema.json").is_file()
    again = C.load(out)
    pdt.assert_frame_equal(again.applications, ref.applications)


def test_iteration_and_views_after_resorting(raw_corpus):
    views = list(raw_corpus)
    assert [v.report_id for v in views] == raw_corpus.report_ids
    assert "pingtan_2021" in raw_corpus and "nope" not in raw_corpus
    v = views[0]
    assert set(v.tables()) == set(raw_corpus.table_names)
    assert "report_id" not in v.applications.columns
    with pytest.raises(AttributeError):
        v.no_such_table  # noqa: B018 - the attribute access is the test
    # a user may re-sort a table: views still return the right rows
    tables = raw_corpus.tables()
    tables["applications"] = tables["applications"].sort_values("value", kind="stable")
    resorted = C.Corpus(tables)
    rid = "pingtan_2021"
    want = raw_corpus.applications[raw_corpus.applications["report_id"] == rid]
    got = resorted[rid].applications
    assert len(got) == len(want)
    assert got["value"].sum() == want["value"].sum()

"""One schema (govreport/data/schema.csv) behind the records, the findings, the corpus and its exports."""
from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pandas as pd
import pytest

import govreport
from govreport import corpus as C
from govreport import findings, schema
from govreport.corpus import work

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"
REPORTS = sorted(p for p in RAW.iterdir() if p.suffix in (".txt", ".html"))


def test_findings_columns_are_the_declared_ones():
    assert findings.COLUMNS == [f.name for f in dataclasses.fields(findings.Finding)]
    assert findings.COLUMNS == schema.column_names("findings", corpus=False)
    assert findings.SEVERITIES == ("error", "warning", "info")


@pytest.mark.parametrize("path", REPORTS, ids=[p.stem for p in REPORTS])
def test_report_tables_use_the_declared_columns_and_dtypes(path):
    r = govreport.read_report(path)
    for name in schema.REPORT_TABLES:
        df = r.table(name)
        declared = schema.column_names(name, corpus=False)
        assert set(df.columns) <= set(declared), (name, set(df.columns) - set(declared))
        for col in df.columns:
            assert str(df[col].dtype) == schema.column_dtype(col, name), (name, col)


def test_corpus_codes_are_categories_and_reports_follow_the_schema(tmp_path):
    c = C.read_corpus([RAW / "pingtan_2021.txt", RAW / "pingtan_2017.txt"], jobs=1, progress=False, cache=False)
    assert list(c.reports.columns) == schema.column_names("reports")
    for name, df in c.tables().items():
        for col in df.columns:
            is_cat = isinstance(df[col].dtype, pd.CategoricalDtype)
            assert is_cat == (col in schema.coded_columns(name)), (name, col)
    assert str(c.reports["published"].dtype) == "datetime64[ns]"
    d = schema.describe()
    assert list(d.columns) == ["table", "column", "dtype", "categories", "stored_as", "description"]
    assert d["description"].str.len().gt(0).all()
    assert set(d["table"]) == set(schema.REPORT_TABLES) | {"reports", "errors"}


def test_reports_take_the_readers_status_and_new_meta(tmp_path, monkeypatch):
    d = tmp_path / "src"
    d.mkdir()
    for n in ("pingtan_2021.txt", "pingtan_2022.txt"):
        shutil.copy(RAW / n, d / n)
    orig = work.parse_file

    def parse(path, data):
        entry = orig(path, data)
        if "2022" in path:
            entry["meta"].update(status="partial")
        return entry

    monkeypatch.setattr(work, "parse_file", parse)
    c = C.read_corpus(d, jobs=1, progress=False, cache=False)
    rep = c.reports.set_index("report_id")
    assert rep.loc["pingtan_2022", "status"] == "partial" and rep.loc["pingtan_2021", "status"] == "ok"
    # the reader's own metadata: one agency id across years, its division, the release date
    assert rep.loc["pingtan_2022", "agency_id"] == rep.loc["pingtan_2021", "agency_id"]
    assert rep.loc["pingtan_2022", "division_code"] == "350128"
    assert rep.loc["pingtan_2021", "published"] == pd.Timestamp("2022-02-08")
    assert rep.loc["pingtan_2021", "days_late"] == -51  # 31 March 2022 deadline (2019 Regulations art. 49)
    assert rep.loc["pingtan_2022", "published_source"] == "release"
    assert rep.loc["pingtan_2021", "agency_source"] == "title"
    assert len(c) == 2 and c.report_ids == ["pingtan_2021", "pingtan_2022"]
    assert c.summary()["status"] == {"ok": 1, "partial": 1}


def test_clear_cache_removes_old_pickles_too(tmp_path):
    old = tmp_path / "corpus-cache-1" / "ab"
    old.mkdir(parents=True)
    (old / "ab12.pkl").write_bytes(b"x")
    C.read_corpus([RAW / "pingtan_2021.txt"], jobs=1, progress=False, cache=tmp_path)
    assert C.clear_cache(tmp_path) == 2
    assert not any(p.is_file() for p in tmp_path.rglob("*"))


def test_plain_text_codes_fill_and_ordered_codes_drop_unused(tmp_path):
    """Categories that don't bite: layout, table, check are plain text (fillna works);
    the closed code lists stay categorical with only the codes observed."""
    c = C.read_corpus([RAW / "pingtan_2021.txt", RAW / "pingtan_2017.txt"], jobs=1, progress=False, cache=False)
    assert c.reports["layout"].fillna("unknown").tolist() == ["2021", "pre2019"]
    assert c.findings["table"].fillna("none").isna().sum() == 0
    rows = c.applications["row"]
    assert isinstance(rows.dtype, pd.CategoricalDtype)
    assert set(rows.cat.categories) == set(rows.astype(str))

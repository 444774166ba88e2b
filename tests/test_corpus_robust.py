"""Corpus runs that survive their files and their workers (issue 12).

Real reports from data/raw are copied into tmp_path beside hostile files: a name that
is not UTF-8, a FIFO, files that kill or hang their worker (the parse function is
replaced in a fork-started pool), a tampered cache, an export that points outside
its folder, text cells that Excel would take for formulas.
"""
from __future__ import annotations

import json
import os
import pickle
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pandas.testing as pdt
import pytest

from govreport import corpus as C
from govreport.corpus import cache as K
from govreport.corpus import work

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"
GOOD = ("pingtan_2021.txt", "pingtan_2017.txt", "shanghai_stcsm_2024.txt", "004_1de402db7ad7867c.txt")
POSIX = pytest.mark.skipif(os.name != "posix", reason="FIFOs, signals and byte file names are POSIX")


@pytest.fixture(autouse=True)
def _no_home_cache(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("GOVREPORT_CACHE", str(tmp_path_factory.getbasetemp() / "robust-cache"))


def _folder(d: Path, names=GOOD) -> Path:
    d.mkdir(parents=True, exist_ok=True)
    for n in names:
        shutil.copy(RAW / n, d / n)
    return d


def _ok_ids(c: C.Corpus) -> list[str]:
    return c.report_ids  # every report read (its own status may be ok or partial)


def _same_reports(got: C.Corpus, ref: C.Corpus, ids: list[str]) -> None:
    for name in C.TABLE_NAMES:
        a = got.tables()[name].astype({"report_id": object})
        b = ref.tables()[name].astype({"report_id": object})
        a = a[a["report_id"].isin(ids)].reset_index(drop=True)
        b = b[b["report_id"].isin(ids)].reset_index(drop=True)
        pdt.assert_frame_equal(a.astype(object), b.astype(object), obj=name)


# ------------------------------------------------------------------ file names and kinds
@POSIX
def test_file_name_that_is_not_utf8(tmp_path):
    d = _folder(tmp_path / "src")
    bad = os.fsdecode(b"bad\xff\xfe_2022.txt")
    shutil.copy(RAW / "pingtan_2022.txt", d / bad)
    c = C.read_corpus(d, jobs=1, progress=False, cache=False)
    assert c.errors.empty and len(c) == 5
    row = c.reports.set_index("report_id").loc["bad\\xff\\xfe_2022"]
    assert row["file"] == str(d / "bad\\xff\\xfe_2022.txt") and row["year"] == 2022
    got = c["bad\\xff\\xfe_2022"].applications
    ref = C.read_corpus([RAW / "pingtan_2022.txt"], jobs=1, progress=False, cache=False)
    pdt.assert_series_equal(got["value"], ref["pingtan_2022"].applications["value"])
    back = C.load(c.to_parquet(tmp_path / "out"))  # Arrow takes the escaped name
    assert "bad\\xff\\xfe_2022" in back


@POSIX
def test_fifo_is_skipped_without_being_opened(tmp_path):
    d = _folder(tmp_path / "src", GOOD[:2])
    os.mkfifo(d / "pipe.txt")  # opening it for reading would block forever
    t0 = time.perf_counter()
    c = C.read_corpus(d, jobs=1, progress=False, cache=False)
    assert time.perf_counter() - t0 < 60
    err = c.errors.set_index("report_id").loc["pipe"]
    assert err["error_type"] == "NotARegularFile" and err["error_code"] == "not_regular_file"
    assert "FIFO" in err["message"] and "pipe.txt" in err["message"]
    assert c.reports.set_index("report_id").loc["pipe", "status"] == "skipped"
    s = c.summary()
    assert (s["files"], s["reports"], s["failed"], s["skipped"]) == (3, 2, 0, 1)
    assert s["status"] == {"ok": 2, "skipped": 1}
    assert "1 skipped" in repr(c)


def test_unsupported_formats_and_large_files_are_rows_of_errors(tmp_path):
    d = _folder(tmp_path / "src", GOOD[:1])
    (d / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 8)
    (d / "reports.zip").write_bytes(b"PK\x03\x04" + bytes(range(256)) * 8)
    shutil.copy(RAW / "pingtan_2022.txt", d / "big.txt")
    size = (d / "big.txt").stat().st_size
    c = C.read_corpus(d, jobs=1, progress=False, cache=False, max_bytes=size - 1)
    errs = c.errors.set_index("report_id")
    assert sorted(errs.index) == ["big", "old", "reports"]
    assert errs.loc["old", "error_type"] == "ParseError" and "old.doc" in errs.loc["old", "message"]
    assert errs.loc["reports", "error_type"] == "ParseError"
    assert errs.loc["big", "error_code"] == "too_large" and f"{size:,} bytes" in errs.loc["big", "message"]
    assert _ok_ids(c) == ["pingtan_2021"]


# ------------------------------------------------------------------ workers that die or hang
def _killer(orig):
    def parse(path, data):
        if "killer" in path:
            os._exit(3)  # as the kernel's OOM killer would leave it: no exception, no result
        return orig(path, data)
    return parse


@POSIX
def test_killed_worker_costs_only_its_own_file(tmp_path, monkeypatch):
    d = _folder(tmp_path / "src")
    shutil.copy(RAW / "pingtan_2022.txt", d / "killer.txt")
    ref = C.read_corpus(d, jobs=1, progress=False, cache=False)
    monkeypatch.setattr(work, "parse_file", _killer(work.parse_file))
    c = C.read_corpus(d, jobs=2, progress=False, cache=False, chunksize=2)
    assert list(c.reports["report_id"]) == list(ref.reports["report_id"])  # file order kept
    err = c.errors.set_index("report_id").loc["killer"]
    assert err["error_type"] == "WorkerCrashed" and err["error_code"] == "worker_crashed"
    assert "killer.txt" in err["message"]
    assert c.reports.set_index("report_id").loc["killer", "status"] == "failed"
    good = [p.removesuffix(".txt") for p in sorted(GOOD)]
    assert sorted(_ok_ids(c)) == good
    _same_reports(c, ref, good)


@POSIX
def test_per_file_time_limit(tmp_path, monkeypatch):
    d = _folder(tmp_path / "src", GOOD[:3])
    shutil.copy(RAW / "pingtan_2022.txt", d / "slow.txt")
    shutil.copy(RAW / "pingtan_2018.txt", d / "stuck.txt")
    orig = work.parse_file

    def parse(path, data):
        if "slow" in path:
            time.sleep(600)  # Python code: the worker's own alarm stops it
        if "stuck" in path:
            signal.signal(signal.SIGALRM, signal.SIG_IGN)  # like C code that never returns
            time.sleep(600)
        return orig(path, data)

    monkeypatch.setattr(work, "parse_file", parse)
    t0 = time.perf_counter()
    c = C.read_corpus(d, jobs=2, progress=False, cache=False, chunksize=1, timeout=3.0)
    assert time.perf_counter() - t0 < 120  # not the 600 s the files would take
    errs = c.errors.set_index("report_id")
    assert sorted(errs.index) == ["slow", "stuck"]
    assert set(errs["error_code"]) == {"timeout"} and set(errs["error_type"]) == {"FileTimeout"}
    assert "stopped" in errs.loc["stuck", "message"] and "3 s" in errs.loc["slow", "message"]
    assert sorted(_ok_ids(c)) == ["pingtan_2017", "pingtan_2021", "shanghai_stcsm_2024"]
    # in-process (jobs=1) the alarm stops Python code too
    one = C.read_corpus([d / "slow.txt", d / "pingtan_2021.txt"], jobs=1, progress=False, cache=False,
                        timeout=3.0)
    assert list(one.errors["error_code"]) == ["timeout"] and _ok_ids(one) == ["pingtan_2021"]
    with pytest.raises(ValueError, match="timeout"):
        C.read_corpus(d, timeout=0)


_SLOW_RUN = textwrap.dedent("""
    import os, sys, time
    from govreport.corpus import read_corpus, work
    orig = work.parse_file
    def parse(path, data):
        open(os.path.join(sys.argv[2], str(os.getpid())), "w").close()
        time.sleep(float(sys.argv[3]))
        return orig(path, data)
    work.parse_file = parse
    c = read_corpus(sys.argv[1], jobs=2, progress=False, cache=sys.argv[4], chunksize=1)
    c.to_parquet(sys.argv[5])
""")


def _start(script: Path, src: Path, pids: Path, delay: float, cache: str, out: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(script), str(src), str(pids), str(delay), cache, str(out)],
                            env=dict(os.environ), stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status") as fh:
            return "\nState:\tZ" not in fh.read()
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_exit_when_the_parent_dies_and_a_rerun_completes(tmp_path):
    src = _folder(tmp_path / "src")
    script = tmp_path / "run.py"
    script.write_text(_SLOW_RUN)
    pids, cache = tmp_path / "pids", tmp_path / "cache"
    pids.mkdir()
    proc = _start(script, src, pids, 3.0, str(cache), tmp_path / "o1")
    deadline = time.time() + 60
    while len(list(pids.iterdir())) < 2 and time.time() < deadline:
        time.sleep(0.1)
    workers = [int(p.name) for p in pids.iterdir()]
    assert len(workers) == 2 and all(_alive(p) for p in workers)
    proc.kill()
    proc.wait(timeout=30)
    deadline = time.time() + 20
    while any(_alive(p) for p in workers) and time.time() < deadline:
        time.sleep(0.1)
    assert not any(_alive(p) for p in workers)
    # the cache the killed run left holds only whole entries; a re-run completes
    for entry in cache.rglob("*.json"):
        assert K.get(entry, entry.stem) is not None
    again = C.read_corpus(src, jobs=2, progress=False, cache=cache)
    ref = C.read_corpus(src, jobs=1, progress=False, cache=False)
    for name, df in ref.tables().items():
        pdt.assert_frame_equal(df, again.tables()[name], obj=name)


def test_two_runs_sharing_one_cache(tmp_path):
    src = _folder(tmp_path / "src")
    script = tmp_path / "run.py"
    script.write_text(_SLOW_RUN)
    (tmp_path / "pids").mkdir()
    cache = tmp_path / "cache"
    runs = [_start(script, src, tmp_path / "pids", 0.2, str(cache), tmp_path / f"o{i}") for i in (1, 2)]
    for r in runs:
        _, err = r.communicate(timeout=300)
        assert r.returncode == 0, err.decode()[-2000:]
    ref = C.read_corpus(src, jobs=1, progress=False, cache=False)
    for i in (1, 2):
        got = C.load(tmp_path / f"o{i}")
        for name, df in ref.tables().items():
            pdt.assert_frame_equal(df, got.tables()[name], obj=name)
    entries = list(cache.rglob("*.json"))
    assert len(entries) == len(GOOD) and all(K.get(e, e.stem) is not None for e in entries)
    assert not [p for p in cache.rglob("*") if p.name.endswith(".tmp")]


# ------------------------------------------------------------------ the cache stores data, never code
class _Exploit:
    def __init__(self, target: Path) -> None:
        self.target = target

    def __reduce__(self):
        return (os.system, (f"touch {self.target}",))


def _key(path: Path) -> str:
    import hashlib

    return K.entry_key(hashlib.sha256(path.read_bytes()).hexdigest(), path.suffix, K.code_salt())


def test_planted_pickle_in_the_cache_is_ignored(tmp_path):
    src = _folder(tmp_path / "src", GOOD[:2])
    cache = tmp_path / "cache"
    sentinel = tmp_path / "pwned"
    evil = pickle.dumps(_Exploit(sentinel))
    for f in sorted(src.iterdir()):  # at the exact path of each entry, and where pickles used to live
        key = _key(f)
        for target in (K.entry_path(str(cache), key),
                       cache / "corpus-cache-1" / key[:2] / f"{key}.pkl"):
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(evil)
    c = C.read_corpus(src, jobs=1, progress=False, cache=cache)
    assert not sentinel.exists()
    assert c.errors.empty and _ok_ids(c) == ["pingtan_2017", "pingtan_2021"]
    ref = C.read_corpus(src, jobs=1, progress=False, cache=False)
    pdt.assert_frame_equal(c.applications, ref.applications)
    # the misses were parsed again and written as JSON entries
    assert all(K.get(K.entry_path(str(cache), _key(f)), _key(f)) is not None for f in src.iterdir())


def test_wrong_shape_or_misplaced_cache_entries_are_misses(tmp_path, monkeypatch):
    src = _folder(tmp_path / "src", GOOD[:2])
    cache = tmp_path / "cache"
    ref = C.read_corpus(src, jobs=1, progress=False, cache=cache)
    a, b = (K.entry_path(str(cache), _key(src / n)) for n in ("pingtan_2021.txt", "pingtan_2017.txt"))
    good = json.loads(a.read_text(encoding="utf-8"))
    calls = []
    orig = work.parse_file
    monkeypatch.setattr(work, "parse_file", lambda p, d: calls.append(Path(p).name) or orig(p, d))
    wrong = [
        {**good, "tables": {**good["tables"], "applications": {"columns": ["row"], "dtypes": ["string"],
                                                               "data": [[1, 2]], "n": 2}}},
        {**good, "tables": {k: v for k, v in good["tables"].items() if k != "findings"}},
        {**good, "meta": ["not", "a", "dict"]},
        [good],
        {**good, "format": "corpus-cache-1"},
    ]
    for bad in wrong:
        a.write_text(json.dumps(bad), encoding="utf-8")
        calls.clear()
        c = C.read_corpus(src, jobs=1, progress=False, cache=cache)
        assert calls == ["pingtan_2021.txt"], bad if isinstance(bad, list) else list(bad)
        pdt.assert_frame_equal(c.applications, ref.applications)
    # another file's valid entry copied under this file's key is a miss too
    a.write_bytes(b.read_bytes())
    calls.clear()
    c = C.read_corpus(src, jobs=1, progress=False, cache=cache)
    assert calls == ["pingtan_2021.txt"]
    pdt.assert_frame_equal(c.applications, ref.applications)


# ------------------------------------------------------------------ exports
def test_load_reads_only_files_inside_its_folder(tmp_path):
    c = C.read_corpus(_folder(tmp_path / "src", GOOD[:1]), jobs=1, progress=False, cache=False)
    out = c.to_parquet(tmp_path / "export")
    schema = json.loads((out / "schema.json").read_text(encoding="utf-8"))
    (tmp_path / "secret.parquet").write_bytes((out / "reports.parquet").read_bytes())
    for name in ("../secret", str(tmp_path / "secret"), "sub/../../secret"):
        bad = dict(schema, tables={name: schema["tables"]["reports"]})
        (out / "schema.json").write_text(json.dumps(bad), encoding="utf-8")
        with pytest.raises(ValueError, match="not a plain name"):
            C.load(out)
    # a table file that is a link to a file outside the folder is refused too
    (out / "schema.json").write_text(json.dumps(schema), encoding="utf-8")
    (out / "reports.parquet").unlink()
    (out / "reports.parquet").symlink_to(tmp_path / "secret.parquet")
    with pytest.raises(ValueError, match="outside the export folder"):
        C.load(out)


def test_excel_cells_are_text_never_formulas(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    c = C.read_corpus(_folder(tmp_path / "src", GOOD[:1]), jobs=1, progress=False, cache=False)
    tables = c.tables()
    sec = tables["sections"].copy()
    hostile = ['=HYPERLINK("http://evil.example","x")', "+1+2", "-3-4", "@SUM(A1)", "bell\x07 and\x1b escape"]
    sec.loc[: len(hostile) - 1, "text"] = hostile
    tables["sections"] = sec
    path = C.Corpus(tables).to_excel(tmp_path / "c.xlsx")
    ws = openpyxl.load_workbook(path)["sections"]
    col = [c.value for c in ws[1]].index("text") + 1
    cells = [ws.cell(row=r + 2, column=col) for r in range(len(hostile))]
    assert [cell.data_type for cell in cells] == ["s"] * len(hostile)
    assert [cell.value for cell in cells[:4]] == hostile[:4]
    assert cells[4].value == "bell\\x07 and\\x1b escape"
    assert all(cell.data_type != "f" for row in ws.iter_rows() for cell in row)


def test_empty_corpus_has_every_declared_column(tmp_path):
    d = tmp_path / "bad"
    d.mkdir()
    (d / "empty.txt").write_bytes(b"")
    c = C.read_corpus(d, jobs=1, progress=False, cache=False)
    assert len(c) == 0 and len(c.errors) == 1
    from govreport import schema

    for name, df in c.tables().items():
        assert list(df.columns) == schema.column_names(name), name
    assert {"code"} <= set(c.sections.columns)
    assert {"column", "label"} <= set(c.statistics.columns)
    assert str(c.active_disclosure["mapped"].dtype) == "boolean"
    assert str(c.applications["value"].dtype) == "Float64"
    assert isinstance(c.findings["severity"].dtype, pd.CategoricalDtype)
    assert list(c.errors.columns) == ["report_id", "file", "error_type", "error_code", "message"]
    assert c.errors["error_code"].tolist() == ["empty"]


def test_dask_is_an_extra_with_a_clear_message(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "dask.distributed", None)  # as if dask were not installed
    with pytest.raises(ImportError, match=r"govreport\[dask\]"):
        C.read_corpus([RAW / "pingtan_2021.txt"], engine="dask", progress=False, cache=False)


def test_public_names_from_the_package():
    import govreport

    for name in ("read_corpus", "Corpus", "ReportView", "load", "clear_cache"):
        assert getattr(govreport, name) is getattr(C, name)


def test_cli_tables_written_to_excel_hold_no_formula(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    from govreport.corpus.store import frame_to_excel

    df = pd.DataFrame({"agency": pd.array(["=1+1", "某局\x00"], dtype="string"), "n": [1.5, None]})
    ws = openpyxl.load_workbook(frame_to_excel(df, tmp_path / "t.xlsx")).active
    assert [(c.value, c.data_type) for c in ws["A"][1:]] == [("=1+1", "s"), ("某局\\x00", "s")]
    assert ws["B"][1].value == 1.5


@POSIX
def test_a_fifo_planted_in_the_cache_is_a_miss(tmp_path):
    src = _folder(tmp_path / "src", GOOD[:1])
    cache = tmp_path / "cache"
    entry = K.entry_path(str(cache), _key(src / GOOD[0]))
    entry.parent.mkdir(parents=True)
    os.mkfifo(entry)  # reading it would block the run forever
    c = C.read_corpus(src, jobs=1, progress=False, cache=cache)
    assert c.errors.empty and _ok_ids(c) == ["pingtan_2021"]
    assert entry.is_file()  # replaced by a real entry

"""Tests for the ``govreport`` command line (govreport.cli.main and python -m govreport)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from govreport import cli
from govreport.corpus import load, read_corpus

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"


@pytest.fixture(autouse=True)
def _no_home_cache(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("GOVREPORT_CACHE", str(tmp_path_factory.getbasetemp() / "cli-cache"))


@pytest.fixture
def small(tmp_path) -> Path:
    """Two good reports and one empty file."""
    d = tmp_path / "small"
    d.mkdir()
    shutil.copy(RAW / "pingtan_2021.txt", d)
    shutil.copy(RAW / "shanghai_stcsm_2024.txt", d)
    (d / "empty.txt").write_bytes(b"")
    return d


def run(capsys, *argv: str) -> tuple[int, str, str]:
    rc = cli.main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


OPTS = ("-j", "1", "--no-progress")


def test_help_for_every_command(capsys):
    rc, out, _ = run(capsys, "--help")
    assert rc == 0
    for cmd in ("parse", "validate", "info", "indicators"):
        assert cmd in out
        rc, out_cmd, _ = run(capsys, cmd, "--help")
        assert rc == 0 and "usage: govreport " + cmd in out_cmd
    rc, _, err = run(capsys)
    assert rc == 2 and "usage" in err
    rc, _, err = run(capsys, "bogus")
    assert rc == 2


def test_parse_writes_parquet_and_summary(capsys, small, tmp_path):
    out_dir = tmp_path / "out"
    rc, out, err = run(capsys, "parse", str(small), "-o", str(out_dir), *OPTS)
    assert rc == 0
    assert "2 report(s) read, 1 failed" in out
    assert "findings:" in out and "error" in out and "warning" in out
    assert "empty.txt" in err and "EmptyFileError" in err
    assert (out_dir / "schema.json").is_file() and (out_dir / "reports.parquet").is_file()
    c = load(out_dir)
    assert len(c) == 2 and len(c.errors) == 1


def test_parse_csv_and_excel(capsys, small, tmp_path):
    rc, out, _ = run(capsys, "parse", str(small), "-o", str(tmp_path / "csv"), "-f", "csv",
                     *OPTS, "--no-cache")
    assert rc == 0 and (tmp_path / "csv" / "applications.csv").is_file()
    assert len(load(tmp_path / "csv")) == 2
    rc, out, _ = run(capsys, "parse", str(small), "-o", str(tmp_path / "c.xlsx"), *OPTS)
    assert rc == 0 and (tmp_path / "c.xlsx").is_file()
    assert "excel" in out


def test_parse_path_errors(capsys, tmp_path):
    rc, _, err = run(capsys, "parse", str(tmp_path / "missing"), "-o", str(tmp_path / "o"))
    assert rc == 2 and "no such file or folder" in err
    (tmp_path / "empty").mkdir()
    rc, _, err = run(capsys, "parse", str(tmp_path / "empty"), "-o", str(tmp_path / "o"))
    assert rc == 2 and "no report files" in err
    rc, _, err = run(capsys, "parse", str(tmp_path / "empty"))  # -o is required
    assert rc == 2


def test_parse_only_bad_files_exits_1(capsys, tmp_path):
    d = tmp_path / "bad"
    d.mkdir()
    (d / "a.txt").write_bytes(b"\x00\x01\x02" * 100)
    rc, out, err = run(capsys, "parse", str(d), "-o", str(tmp_path / "o"), *OPTS)
    assert rc == 1
    assert "0 report(s) read, 1 failed" in out and "binary file, not a text or HTML report" in err


def test_validate_exit_status(capsys, small, tmp_path):
    # a file that cannot be parsed is an error finding: exit 1
    rc, out, _ = run(capsys, "validate", str(small), *OPTS, "-o", str(tmp_path / "f.csv"))
    assert rc == 1
    assert "parse" in out and "EmptyFileError" in out
    table = pd.read_csv(tmp_path / "f.csv")
    assert {"report_id", "severity", "check", "message"} <= set(table.columns)
    # a clean report (no error finding): exit 0
    c = read_corpus(RAW, jobs=1, progress=False)
    clean = c.reports[(c.reports["n_error"] == 0) & (c.reports["status"] == "ok")]
    dirty = c.reports[c.reports["n_error"] > 0]
    if len(clean):
        rc, out, _ = run(capsys, "validate", str(clean["file"].iloc[0]), *OPTS)
        assert rc == 0
    if len(dirty):
        rc, out, _ = run(capsys, "validate", str(dirty["file"].iloc[0]), *OPTS,
                         "--severity", "error")
        assert rc == 1 and "error" in out


def test_info(capsys):
    rc, out, _ = run(capsys, "info", str(RAW / "pingtan_2021.txt"))
    assert rc == 0
    assert "平潭综合实验区" in out and "2021" in out
    assert "applications:" in out and "findings" in out


def test_info_clear_messages(capsys, tmp_path):
    rc, _, err = run(capsys, "info", str(tmp_path / "nope.txt"))
    assert rc == 2 and "no such file" in err
    rc, _, err = run(capsys, "info", str(tmp_path))
    assert rc == 2 and "folder" in err
    (tmp_path / "e.txt").write_bytes(b"")
    rc, _, err = run(capsys, "info", str(tmp_path / "e.txt"))
    assert rc == 2 and "empty" in err
    (tmp_path / "b.txt").write_bytes(bytes(range(256)) * 20)
    rc, _, err = run(capsys, "info", str(tmp_path / "b.txt"))
    assert rc == 2 and "(binary): binary file, not a text or HTML report" in err
    (tmp_path / "junk.txt").write_text("nothing to see here\n", encoding="utf-8")
    rc, _, err = run(capsys, "info", str(tmp_path / "junk.txt"))
    assert rc == 1 and "cannot parse" in err
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    rc, _, err = run(capsys, "info", str(tmp_path / "dangling.txt"))
    assert rc == 2 and "cannot read" in err


def test_indicators(capsys, small, tmp_path):
    out_file = tmp_path / "ind.csv"
    rc, _, _ = run(capsys, "indicators", str(small), "-o", str(out_file), *OPTS)
    assert rc == 0 and out_file.is_file()
    df = pd.read_csv(out_file)
    assert "report_id" in df.columns
    assert set(df["report_id"]) >= {"pingtan_2021", "shanghai_stcsm_2024"}
    rc, _, err = run(capsys, "indicators", str(small), "-o", str(tmp_path / "x.doc"), *OPTS)
    assert rc == 2 and "format" in err


def test_python_dash_m(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "govreport", "--help"], cwd=ROOT, check=False,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and "parse" in proc.stdout
    proc = subprocess.run([sys.executable, "-m", "govreport", "info", str(tmp_path / "x")],
                          cwd=ROOT, check=False, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "no such file" in proc.stderr


# ------------------------------------------------------------------------------------
# exit codes, no traceback, severity filter (issue 12)
# ------------------------------------------------------------------------------------

NO_LAYOUT = ("某某县人民政府2020年政府信息公开工作年度报告\n一、总体情况\n2020年，本县认真贯彻落实。\n"
             "二、存在的主要问题及改进情况\n一是公开不够及时。\n")


def test_exit_codes_are_documented(capsys):
    rc, out, _ = run(capsys, "--help")
    assert rc == 0
    assert "0 success" in out and "1 error findings found" in out and "a crash" in out
    assert "0  success" in cli.__doc__ and "never a traceback" in cli.__doc__


def test_validate_a_report_without_a_recognised_layout(capsys, tmp_path):
    (tmp_path / "x.txt").write_text(NO_LAYOUT, encoding="utf-8")
    rc, out, err = run(capsys, "validate", str(tmp_path / "x.txt"), *OPTS, "--no-cache")
    assert rc == 0, err
    assert "layout_unknown" in out and "Traceback" not in out + err
    rc, out, err = run(capsys, "info", str(tmp_path / "x.txt"))
    assert rc == 0 and "layout_unknown" in out


def test_findings_filtered_by_severity(capsys):
    f = str(RAW / "pingtan_2021.txt")
    rc, default, _ = run(capsys, "validate", f, *OPTS)
    rc_info, everything, _ = run(capsys, "validate", f, *OPTS, "--severity", "info")
    assert rc == rc_info == 0
    assert " info " not in default and " warning " in default
    assert " info " in everything and " warning " in everything
    _, shown, _ = run(capsys, "info", f)
    _, shown_all, _ = run(capsys, "info", f, "-s", "info")
    findings = govreport_findings(f)
    assert sum(line.lstrip().startswith("info ") for line in shown_all.splitlines()) == \
        int((findings["severity"] == "info").sum())
    assert not any(line.lstrip().startswith("info ") for line in shown.splitlines())


def govreport_findings(path: str) -> pd.DataFrame:
    import govreport

    return govreport.read_report(path).findings


def test_unexpected_exception_is_a_message_and_exit_2(capsys, small, monkeypatch):
    from govreport import corpus

    def broken(*args, **kwargs):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(corpus, "read_corpus", broken)
    rc, _, err = run(capsys, "validate", str(small), *OPTS)
    assert rc == 2
    assert "internal error: RuntimeError: simulated bug" in err and "Traceback" not in err


def test_parse_survives_odd_file_names_and_fifos(capsys, tmp_path):
    d = tmp_path / "odd"
    d.mkdir()
    shutil.copy(RAW / "pingtan_2021.txt", d / "a.txt")
    shutil.copy(RAW / "pingtan_2022.txt", d / os.fsdecode(b"b\xff.txt"))
    os.mkfifo(d / "pipe.txt")
    rc, out, err = run(capsys, "parse", str(d), "-o", str(tmp_path / "o"), *OPTS, "--no-cache")
    assert rc == 0, err
    assert "2 report(s) read, 0 failed, 1 skipped" in out
    assert "pipe.txt" in err and "NotARegularFile" in err
    back = load(tmp_path / "o")
    assert sorted(back.report_ids) == ["a", "b\\xff"]

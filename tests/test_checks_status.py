"""Report status (govreport.checks.status) on real reports, and the ``validate`` command on a
report without a recognised layout (issue 12: it crashed on a categorical ``fillna``)."""
from __future__ import annotations

import importlib
from pathlib import Path

import pytest

import govreport
from govreport import cli

S = importlib.import_module("govreport.checks.status")
RAW = Path(__file__).resolve().parent.parent / "data" / "raw"


def narrative_of_seed_000() -> str:
    """Seed 000 with every table row removed: numbered sections but no table labels."""
    text = (RAW / "000_943bbbccc038582b.txt").read_text(encoding="utf-8")
    return "\n".join(line for line in text.splitlines() if "|" not in line)


@pytest.mark.parametrize("name,status", [
    ("pingtan_2021.txt", "ok"),
    ("pingtan_2017.txt", "ok"),  # pre-2019 统计指标
    ("004_1de402db7ad7867c.txt", "partial"),  # table 四 prints 10 of 15 cells
    ("shanghai_stcsm_2024.txt", "partial"),  # table 三 misses carried_forward/total
])
def test_status_of_real_reports(name, status):
    r = govreport.read_report(RAW / name)
    assert r.meta["status"] == status
    # the same without validation: status does not depend on the checks having run
    assert govreport.read_report(RAW / name, validate=False).meta["status"] == status


def test_no_tables_narrative_only():
    text = (RAW / "pingtan_2017.txt").read_text(encoding="utf-8")
    r = govreport.read_report(text=text[:text.index("六、政府信息公开情况统计表")])
    assert r.meta["layout"] is not None
    assert r.meta["status"] == "no_tables"


def test_unknown_layout():
    r = govreport.read_report(text=narrative_of_seed_000())
    assert r.meta["layout"] is None
    assert r.meta["status"] == "unknown_layout"
    assert S.report_status({"layout": "no-such-layout"}, {}, []) == "unknown_layout"


def test_not_assessable_notes_are_info_on_a_clean_report():
    f = govreport.read_report(RAW / "pingtan_2022.txt").findings
    na = f[f["status"] == "not_assessable"]
    assert set(na["severity"]) <= {"info"}
    assert not (f["table"].isna()).any()  # every finding names a table (report-level ones: "report")


def test_cli_validate_a_report_without_layout(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("GOVREPORT_CACHE", str(tmp_path / "cache"))
    path = tmp_path / "narrative.txt"
    path.write_text(narrative_of_seed_000(), encoding="utf-8")
    rc = cli.main(["validate", str(path)])
    out, err = capsys.readouterr()
    assert rc == 0, err
    assert "layout_unknown" in out and "Traceback" not in out + err

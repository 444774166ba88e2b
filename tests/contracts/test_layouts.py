"""Contract of the layout folders: complete, unique codes, and a new layout is data only."""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest

import govreport
from govreport import layouts
from govreport.normalize import fix_labels

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "data" / "raw"
FOLDER = ROOT / "govreport" / "data" / "layouts"
SEED = RAW / "004_1de402db7ad7867c.txt"  # a real 2021 report (one cell per line)
EXTRA = ("五、测试新增行", "测试新增行")
EXTRA_VALUES = [2.0, 1.0, 0.0, 0.0, 0.0, 0.0, 3.0]


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _write(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


@pytest.mark.parametrize("name", ["2021", "2019", "pre2019"])
def test_builtin_layout_folder_is_complete(name):
    folder = FOLDER / name
    for f in layouts.REQUIRED_FILES:
        assert (folder / f).is_file(), f
    assert list(_read(folder / "layout.csv")[0]) == ["name", "period", "regulation", "order", "infer_min_sections",
                                                      "infer_unless_section", "description"]
    assert list(_read(folder / "markers.csv")[0]) == ["marker", "weight"]
    assert list(_read(folder / "columns.csv")[0]) == ["table", "code", "label", "unit", "description"]
    lay = layouts.get(name)
    assert lay.name == name and lay.tables and lay.markers
    for spec in lay.tables:
        assert spec.kind in layouts.KINDS and spec.table in layouts.TABLES
        assert spec.anchors, spec.table
        if spec.kind in ("fixed_rows", "row_metrics"):
            codes = [r.code for r in spec.rows]
            assert codes and len(codes) == len(set(codes)), spec.table
            assert all(r.keys for r in spec.rows), spec.table
        if spec.kind == "fixed_rows":
            assert spec.part("") and spec.check
            assert len(spec.flow) == 4 and set(spec.flow) <= {r.code for r in spec.rows}
        if spec.kind == "row_metrics":
            metrics = {c.code for c in spec.part("metric")}
            assert all(set(r.metrics) <= metrics and r.metrics for r in spec.rows), spec.table
        if spec.kind == "block_row":
            assert spec.part("procedure") and spec.part("outcome") and spec.header_words
        if spec.kind == "indicator_tree":
            assert spec.columns and spec.header_words
        for part, cols in spec.parts.items():
            codes = [c.code for c in cols]
            assert len(codes) == len(set(codes)), (spec.table, part)
    for c in lay.crosswalk:
        assert c["table"] in layouts.TABLES and c["keys"]


def test_layouts_are_listed_from_their_folders():
    assert tuple(layouts.LAYOUTS) == ("2021", "2019", "pre2019")
    assert layouts.get("2021").table_names == ("applications", "active_disclosure", "review_litigation")
    assert layouts.get("pre2019").table_names == ("statistics",)
    assert set(layouts.get("pre2019").mapped_tables) == {"applications", "review_litigation", "active_disclosure"}
    with pytest.raises(KeyError, match="2021, 2019, pre2019"):
        layouts.get("1999")


def test_common_folder_answers_the_old_functions():
    assert "/" in layouts.placeholders() and layouts.units()["万元"] == ("money", 1.0)
    assert ("上年转结", "上年结转") in layouts.label_fixes()
    assert ("2021", "本年制发件数", 2) in layouts.markers()
    assert layouts.rows("2021", "applications")[0].code == "new_received"
    assert [c.code for c in layouts.columns("pre2019", "review_litigation.procedure")] == ["litigation"]
    assert layouts.settings()["ocr_min_confidence"] == 0.8


def _rename(text: str) -> str:
    """Every CJK character moved to its neighbour: the same structure, other labels."""
    return "".join(chr(ord(ch) + 1) if "\u4e00" <= ch < "\u9fa5" else ch for ch in text)


@pytest.fixture
def synthetic(tmp_path):
    """The 2021 folder copied as layout ``synthetic``: labels, keys, markers and the table-三
    anchors renamed, and one extra applications row before 结转下年度."""
    folder = tmp_path / "synthetic"
    shutil.copytree(FOLDER / "2021", folder)
    meta = _read(folder / "layout.csv")
    meta[0].update(name="synthetic", order="9", description="2021 renamed (contract test)")
    _write(folder / "layout.csv", meta)
    rows = _read(folder / "rows.csv")
    for r in rows:
        r["label"], r["keys"] = _rename(r["label"]), _rename(r["keys"])
    at = next(i for i, r in enumerate(rows) if r["code"] == "carried_forward")
    rows.insert(at, {**rows[at], "code": "extra_row", "label": EXTRA[0], "keys": EXTRA[1], "item": "五",
                     "description": "an extra row"})
    _write(folder / "rows.csv", rows)
    markers = _read(folder / "markers.csv")
    for m in markers:
        m["marker"] = _rename(m["marker"])
    _write(folder / "markers.csv", markers)
    tables = _read(folder / "tables.csv")
    for t in tables:
        if t["table"] == "applications":
            t["anchors"], t["fallback_anchors"] = _rename(t["anchors"]), _rename(t["fallback_anchors"])
    _write(folder / "tables.csv", tables)
    layouts.register_path(tmp_path)
    yield layouts.get("synthetic")
    layouts.unregister_path(tmp_path)


def _rewritten() -> str:
    """Seed 004 with the synthetic labels, and the extra row printed before 结转下年度."""
    text = fix_labels(SEED.read_text(encoding="utf-8"))
    lay = layouts.get("2021")
    words = {k for t in lay.tables for r in t.rows for k in r.keys} | {m for m, _ in lay.markers}
    words |= set(lay.table("applications").anchors + lay.table("applications").fallback_anchors)
    marked = [False] * len(text)  # rename every character any word covers (words overlap)
    for w in words:
        at = text.find(w)
        while at >= 0:
            marked[at:at + len(w)] = [True] * len(w)
            at = text.find(w, at + 1)
    text = "".join(_rename(ch) if m else ch for ch, m in zip(text, marked))
    at = text.index("四、" + _rename("结转下年"))
    extra = EXTRA[0] + " |\n" + "".join(f"{int(v)} |\n" for v in EXTRA_VALUES[:-1]) + f"{int(EXTRA_VALUES[-1])} | ||\n"
    return text[:at] + extra + text[at:]


def _values(rep, table, keys):
    df = rep.tables()[table]
    return df.set_index(keys)["value"]


def test_a_fourth_layout_made_of_data_reads_the_same_values(synthetic):
    assert "synthetic" in layouts.LAYOUTS and synthetic.table("applications").rows[-2].code == "extra_row"
    before = govreport.read_report(SEED, validate=False)
    after = govreport.read_report(text=_rewritten(), validate=False, name="synthetic.txt")
    assert before.meta["layout"] == "2021" and after.meta["layout"] == "synthetic"
    old = _values(before, "applications", ["row", "applicant"])
    new = _values(after, "applications", ["row", "applicant"])
    assert old.notna().sum() == 175  # 25 rows × 7 columns, all printed
    pd.testing.assert_series_equal(new.drop("extra_row", level="row"), old)
    assert new.loc["extra_row"].tolist() == EXTRA_VALUES
    assert old.loc[("new_received", "total")] == 52 and old.loc[("granted", "total")] == 13
    for table, keys in (("active_disclosure", ["category", "metric"]), ("review_litigation", ["procedure", "outcome"])):
        pd.testing.assert_series_equal(_values(after, table, keys), _values(before, table, keys))
    assert _values(after, "active_disclosure", ["category", "metric"]).loc[("licensing", "decisions")] == 9945
    assert not (after.findings["check"] == "table_empty").any()


def test_a_layout_path_from_the_environment(synthetic, monkeypatch, tmp_path):
    layouts.unregister_path(Path(synthetic.path).parent)
    assert "synthetic" not in layouts.LAYOUTS
    monkeypatch.setenv("GOVREPORT_LAYOUTS", str(Path(synthetic.path).parent))
    assert "synthetic" in layouts.LAYOUTS
    assert govreport.read_report(text=_rewritten(), validate=False).meta["layout"] == "synthetic"


def test_an_empty_table_of_a_recognised_layout_is_an_error_naming_it():
    text = SEED.read_text(encoding="utf-8")
    cut = text[: text.index("一、本年度新收")]  # table 三 loses every row, table 四 is gone
    rep = govreport.read_report(text=cut, validate=False)
    assert rep.meta["layout"] == "2021"
    empty = rep.findings[rep.findings["check"] == "table_empty"]
    assert set(empty["table"]) == {"applications", "review_litigation"}
    assert set(empty["severity"]) == {"error"}
    assert rep.applications["value"].isna().all() and len(rep.applications) == 175
    assert rep.value("active_disclosure", category="licensing", metric="decisions") == 9945


def _code_strings(path: Path) -> set[str]:
    """String constants of a module's code (docstrings excluded)."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = {id(n.body[0].value) for n in ast.walk(tree)
            if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)) and n.body
            and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    return {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
            and id(n) not in docs}


def test_no_code_branches_on_a_layout_name():
    names = {p.name for p in FOLDER.iterdir() if (p / "layout.csv").is_file()}
    assert names == {"2021", "2019", "pre2019"}
    modules = [*sorted((ROOT / "govreport" / "tables").glob("*.py")), ROOT / "govreport" / "report.py",
               ROOT / "govreport" / "layouts.py"]
    for path in modules:
        assert not (_code_strings(path) & names), path.name

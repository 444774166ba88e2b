"""The one data-file loader (govreport.datafiles): package files by name, a user's file by path,
one set of rules."""
from __future__ import annotations

import re
import shutil

import pandas as pd
import pytest

from govreport import datafiles, layouts
from govreport.text import load_themes, load_volume_subjects


# ---------------------------------------------------------------- package files
def test_a_package_file_is_read_by_its_name_under_the_data_folder():
    notes = {r["code"]: r for r in datafiles.rows("reader/notes.csv")}
    assert notes["encoding_replaced"]["severity"] == "warning"
    # a description holding a comma is one cell (quoted in the file)
    assert notes["table_spans_ignored"]["description"].startswith("An HTML or DOCX table declares spans "
                                                                  "(rowspan/colspan, gridSpan)")
    first = datafiles.rows("layouts/2021/rows.csv")[0]
    assert first == {"table": "applications", "code": "new_received", "label": "一、本年新收政府信息公开申请数量",
                     "keys": "新收", "item": "一", "metrics": "", "description": "New requests received this year"}


def test_cells_stay_strings_and_nothing_is_guessed_missing():
    values = [r["value"] for r in datafiles.rows("layouts/common/placeholders.csv")]
    assert {"NA", "N/A", "-", "无"} <= set(values)  # pandas would have read the first three as NaN
    df = datafiles.frame("layouts/common/placeholders.csv")
    assert df["value"].tolist() == values and not df["value"].isna().any()
    deadlines = datafiles.frame("deadlines.csv")
    row = deadlines[deadlines["rule"] == "regulations_2019"].iloc[0]
    assert row["first_year"] == "2019" and row["last_year"] == "" and row["month"] == "1"  # strings, "" kept
    assert all(pd.api.types.is_string_dtype(t) for t in deadlines.dtypes)


def test_every_package_csv_reads_as_pandas_reads_it_as_strings():
    for name in _package_csvs():
        expected = pd.read_csv(datafiles.DATA_DIR / name, dtype=str, keep_default_na=False)
        pd.testing.assert_frame_equal(datafiles.frame(name), expected, obj=name)
        assert datafiles.rows(name) == expected.to_dict("records"), name


def test_a_package_file_is_cached_but_each_caller_gets_its_own_copy():
    a = datafiles.rows("sectors.csv")
    a[0]["sector"] = "changed"
    a.append({})
    b = datafiles.rows("sectors.csv")
    assert b[0]["sector"] == "general_government" and len(b) == len(a) - 1
    f = datafiles.frame("sectors.csv")
    f.loc[0, "sector"] = "changed"
    assert datafiles.frame("sectors.csv").loc[0, "sector"] == "general_government"


def test_a_wrong_name_names_the_file_and_lists_what_its_folder_holds():
    with pytest.raises(FileNotFoundError) as e:
        datafiles.rows("reader/note.csv")
    assert str(e.value) == ("no data file 'reader/note.csv'; govreport/data/reader holds: formats.csv, "
                            "line_rules.csv, notes.csv")
    with pytest.raises(FileNotFoundError) as e:
        datafiles.frame("layouts/2020/rows.csv")  # no such layout folder: its parent is listed
    assert "govreport/data/layouts holds: 2019/, 2021/, README.md, common/, pre2019/" in str(e.value)
    with pytest.raises(FileNotFoundError, match="govreport/data holds: agency_prefixes.csv, checks.csv"):
        datafiles.rows("themes.cvs")


def test_a_name_may_not_leave_the_data_folder():
    with pytest.raises(ValueError, match="not a name of a file inside govreport/data"):
        datafiles.rows("../layouts.py")


def test_exists_path_and_available():
    assert datafiles.exists("layouts/pre2019/crosswalk.csv")
    assert not datafiles.exists("layouts/2021/crosswalk.csv")
    assert datafiles.path("stopwords.txt") == datafiles.DATA_DIR / "stopwords.txt"
    assert datafiles.available("reader") == ("formats.csv", "line_rules.csv", "notes.csv")
    with pytest.raises(FileNotFoundError, match="govreport/data/layouts/common holds: agency_suffixes.csv"):
        datafiles.path("layouts/common/suffixes.csv")


def test_a_user_layout_folder_saved_with_a_bom_is_read_by_the_same_rules(tmp_path):
    folder = tmp_path / "bom"
    shutil.copytree(datafiles.DATA_DIR / "layouts" / "2021", folder)
    meta = (folder / "layout.csv").read_text(encoding="utf-8").replace("\n2021,", "\nbom2021,", 1)
    assert "\nbom2021," in meta
    (folder / "layout.csv").write_bytes(b"\xef\xbb\xbf" + meta.encode())
    lay = layouts.load(folder)
    assert lay.name == "bom2021" and lay.path == str(folder)
    assert lay.rows("applications") == layouts.get("2021").rows("applications")


# ---------------------------------------------------------------- a user's file
def test_a_user_file_with_a_bom_crlf_and_blank_cells(tmp_path):
    p = tmp_path / "themes.csv"
    p.write_bytes("\ufefftheme, keywords ,label_en\r\n timeliness ,时效|超期,\r\nNA,,None\r\n\r\n,,\r\n"
                  "other,其他\r\n".encode())
    assert datafiles.rows(p) == [{"theme": "timeliness", "keywords": "时效|超期", "label_en": ""},
                                 {"theme": "NA", "keywords": "", "label_en": "None"},
                                 {"theme": "other", "keywords": "其他", "label_en": ""}]
    df = datafiles.frame(str(p))  # an absolute str is a user's path too
    assert df.columns.tolist() == ["theme", "keywords", "label_en"]
    assert df["label_en"].tolist() == ["", "None", ""] and not df.isna().any().any()
    themes = load_themes(p)
    assert themes["theme"].tolist() == ["timeliness", "NA", "other"]


def test_a_user_file_is_read_again_on_every_call(tmp_path):
    p = tmp_path / "subjects.csv"
    p.write_text("subject,zh_patterns\ntrainings,培训\n", encoding="utf-8")
    assert load_volume_subjects(p)["subject"].tolist() == ["trainings"]
    p.write_text("subject,zh_patterns\nmeetings,会议\n", encoding="utf-8")
    assert load_volume_subjects(str(p))["subject"].tolist() == ["meetings"]


def test_bad_user_files_get_errors_naming_the_file_and_line(tmp_path):
    p = tmp_path / "bad.csv"
    p.write_text("theme,keywords\nother,其他\ntimeliness,时效,超期\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad.csv, line 3: 3 cells under a header of 2 \(a comma inside a cell"):
        datafiles.rows(p)
    p.write_text("theme,keywords,theme\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad.csv: the header names theme more than once"):
        datafiles.frame(p)
    p.write_bytes("theme,keywords\n公开,".encode("gbk"))
    with pytest.raises(ValueError, match="bad.csv: not UTF-8 text"):
        datafiles.rows(p)
    p.write_text("", encoding="utf-8")
    with pytest.raises(ValueError, match="bad.csv: no header row"):
        datafiles.rows(p)
    with pytest.raises(FileNotFoundError, match="no such file: .*missing.csv"):
        datafiles.rows(tmp_path / "missing.csv")


def test_trailing_commas_of_a_spreadsheet_are_no_column(tmp_path):
    p = tmp_path / "excel.csv"
    p.write_text("theme,keywords,,\nother,其他,,\ntimeliness,时效\n", encoding="utf-8")
    assert datafiles.rows(p) == [{"theme": "other", "keywords": "其他"}, {"theme": "timeliness", "keywords": "时效"}]
    p.write_text("theme,keywords,\nother,其他,stray\n", encoding="utf-8")
    with pytest.raises(ValueError, match="excel.csv, line 2: text in a column the header does not name"):
        datafiles.rows(p)


def test_csv_text_is_read_by_the_same_rules():
    df = datafiles.frame_of_text("\ufeffword,idf\n 公开 ,1.5\nNA,\n", "idf.csv")
    assert df.to_dict("records") == [{"word": "公开", "idf": "1.5"}, {"word": "NA", "idf": ""}]


def _package_csvs() -> list[str]:
    return sorted(p.relative_to(datafiles.DATA_DIR).as_posix() for p in datafiles.DATA_DIR.rglob("*.csv"))


def test_no_module_but_the_loader_parses_csv_files():
    """One loader: no other module of the package opens a CSV its own way. The corpus's own
    export (corpus/store.py, with its NA marker) is a format of its own, not a data file."""
    pkg = datafiles.DATA_DIR.parent
    own_way = re.compile(r"csv\.(?:DictReader|reader)\(|resources\.files\(|read_csv\(")
    found = {str(p.relative_to(pkg)): own_way.findall(p.read_text(encoding="utf-8"))
             for p in sorted(pkg.rglob("*.py")) if p.name != "datafiles.py"}
    assert {k: v for k, v in found.items() if v} == {"corpus/store.py": ["read_csv("]}

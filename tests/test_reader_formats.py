"""Formats govreport does not read get a ParseError naming the format and the conversion;
the format is sniffed from the bytes first, the suffix second."""
from __future__ import annotations

import io
import pickle
import zipfile
from pathlib import Path

import pytest

import govreport
from govreport import reader
from govreport.errors import CODES, ParseError
from govreport.reader import binary_reason, sniff

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def zip_of(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def ole2(stream: str) -> bytes:
    """An OLE2 compound-file header followed by a directory entry naming ``stream``."""
    entry = stream.encode("utf-16-le") + b"\0\0"
    return OLE2 + b"\0" * 504 + entry.ljust(128, b"\0") + b"\0" * 1024


CASES = [
    ("report.doc", ole2("WordDocument"), "Word 97-2003 or WPS", "soffice --headless --convert-to docx"),
    ("report.wps", ole2("WordDocument"), "Word 97-2003 or WPS", "soffice --headless --convert-to docx"),
    ("report.xls", ole2("Workbook"), "Excel 97-2003", "soffice --headless --convert-to pdf"),
    ("report.ole", ole2("Unknown"), "OLE2", "soffice --headless --convert-to docx"),
    ("report.ofd", zip_of({"OFD.xml": b"<ofd:OFD/>", "Doc_0/Document.xml": b"<x/>"}), "OFD", "PDF"),
    ("report.xlsx", zip_of({"xl/workbook.xml": b"<workbook/>"}), "Excel workbook", "soffice --headless"),
    ("reports.zip", zip_of({"a.txt": "政府信息公开".encode()}), "ZIP archive", "unzip FILE"),
    ("reports.rar", b"Rar!\x1a\x07\x01\x00" + b"\x00" * 200, "RAR archive", "unrar x FILE"),
    ("reports.7z", b"7z\xbc\xaf\x27\x1c\x00\x04" + b"\x00" * 200, "7-Zip archive", "7z x FILE"),
    ("scan.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, "PNG image", "img2pdf"),
    ("scan.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 200, "JPEG image", "img2pdf"),
]


@pytest.mark.parametrize("name, data, label, how", CASES, ids=[c[0] for c in CASES])
def test_unsupported_formats_name_the_conversion(tmp_path, name, data, label, how):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ParseError, match="is not a format govreport reads") as ex:
        govreport.read_report(path)
    assert ex.value.code == "unsupported_format"
    assert label in ex.value.reason and how in ex.value.reason
    assert ex.value.file == str(path)
    # the corpus and the CLI ask the reader the same question
    assert label in binary_reason(data)


def test_the_bytes_decide_not_the_suffix(tmp_path):
    path = tmp_path / "looks_like_text.txt"
    path.write_bytes(ole2("WordDocument"))
    with pytest.raises(ParseError, match="Word 97-2003"):
        govreport.read_report(path)
    assert sniff((RAW / "hongze_district_gov_2024.pdf").read_bytes(), ".doc").name == "pdf"
    assert sniff((RAW / "shanghai_govoffice_2019_docx.docx").read_bytes(), ".txt").name == "docx"
    # junk before the PDF header (allowed by the spec) is still a PDF
    assert sniff(b"\r\n  " + (RAW / "hongze_district_gov_2024.pdf").read_bytes()[:2000]).name == "pdf"


def test_suffix_names_a_truncated_binary_file(tmp_path):
    path = tmp_path / "cut.doc"
    path.write_bytes(bytes(range(256)) * 4)  # no signature left, binary bytes
    with pytest.raises(ParseError, match="Word 97-2003") as ex:
        govreport.read_report(path)
    assert ex.value.code == "unsupported_format"


def test_text_and_readable_binaries_pass_the_gate():
    assert binary_reason((RAW / "pingtan_2021.txt").read_bytes()) is None
    assert binary_reason((RAW / "hongze_district_gov_2024.pdf").read_bytes()) is None
    assert binary_reason((RAW / "shanghai_govoffice_2019_docx.docx").read_bytes()) is None
    assert binary_reason(bytes(range(256)) * 20) == "binary content"


def test_corpus_error_row_names_the_conversion(tmp_path):
    d = tmp_path / "c"
    d.mkdir()
    (d / "good.txt").write_bytes((RAW / "pingtan_2021.txt").read_bytes())
    (d / "old.txt").write_bytes(ole2("WordDocument"))
    c = govreport.read_corpus(d, jobs=1, progress=False, cache=False)
    errs = c.errors.set_index("file")
    msg = errs.loc[str(d / "old.txt"), "message"]
    assert "is not a format govreport reads; convert it first: soffice --headless --convert-to docx" in msg
    assert errs.loc[str(d / "old.txt"), "error_code"] == "unsupported_format"
    assert len(c.reports) == 2


@pytest.mark.parametrize("code", ["unsupported_format", "too_large", "encoding"])
def test_parse_error_keeps_its_code_through_pickle(code):
    err = ParseError("a.pdf", "why", code)
    back = pickle.loads(pickle.dumps(err))
    assert (back.file, back.reason, back.code, str(back)) == ("a.pdf", "why", code, "a.pdf: why")
    assert code in CODES


def test_missing_file_and_folder_codes(tmp_path):
    with pytest.raises(ParseError) as ex:
        govreport.read_report(tmp_path / "nope.pdf")
    assert ex.value.code == "not_found"
    with pytest.raises(ParseError) as ex:
        govreport.read_report(tmp_path)
    assert ex.value.code == "is_directory"
    with pytest.raises(ParseError) as ex:
        reader.load(12345)
    assert ex.value.code == "bad_argument"


def test_report_text_passed_as_a_path_says_to_use_text():
    text = (RAW / "pingtan_2021.txt").read_text(encoding="utf-8")
    with pytest.raises(ParseError, match="pass it as text=") as ex:
        govreport.read_report(text)
    assert ex.value.code == "bad_argument"
    assert govreport.read_report(text=text).meta["year"] == 2021

"""Checks of the notebooks and the demo beyond executing them (``make test`` runs
``pytest --nbmake notebooks`` for that):

* the stored notebooks are valid, carry no outputs and match scripts/make_notebooks.py;
* they take their folder from ``GOVREPORT_DATA`` and run unchanged on a folder of reports
  outside the repository;
* the demo published executed copies (outputs kept) to docs/notebooks/;
* the demo's parse step writes a Parquet export that ``govreport.corpus.load`` reads back;
* Chinese chart text is drawn with the CJK font (font lookup through matplotlib, and
  no "missing glyph" warning), and the saved PDFs in figures/ embed that font;
* every figure in figures/ exists as PDF, SVG and PNG.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import sys
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import nbformat
import pytest
from matplotlib import font_manager
from matplotlib.text import Text

from govreport import plot
from govreport.corpus import load, read_corpus

_DEMO = Path(__file__).resolve().parent.parent / "scripts" / "demo.py"
_spec = importlib.util.spec_from_file_location("govreport_demo", _DEMO)
demo = importlib.util.module_from_spec(_spec)
sys.modules["govreport_demo"] = demo
_spec.loader.exec_module(demo)

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
NOTEBOOKS = ROOT / "notebooks"
FIGURES = ROOT / "figures"
NAMES = [
    "01_quickstart.ipynb",
    "02_disclosure_volumes.ipynb",
    "03_outcome_distributions.ipynb",
    "04_stated_problems.ipynb",
    "05_compare_agencies.ipynb",
]
PUBLISHED = ROOT / "docs" / "notebooks"
CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("GOVREPORT_CACHE", str(tmp_path_factory.getbasetemp() / "notebook-cache"))


# ------------------------------------------------------------------------------ notebooks


@pytest.mark.parametrize("name", NAMES)
def test_notebook_stored_clean(name):
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and nb.cells[0].cell_type == "markdown"
    for cell in code:
        assert cell.outputs == [], f"{name}: stored with outputs"
        assert cell.execution_count is None, f"{name}: stored with execution counts"
    source = "\n".join(c.source for c in code)
    assert "find_root" in source, f"{name}: does not locate the repository root"
    # one place for the folder, parsed with the cache; no shortcut that ignores it, nothing that raises outside
    assert 'os.environ["GOVREPORT_DATA"]' in source and "read_corpus(DATA" in source, name
    assert "data/processed" not in source and "PROCESSED" not in source, name
    # a path is shown relative to the checkout only when it lies inside it (relative_to raises otherwise)
    unguarded = [line for line in source.splitlines()
                 if re.search(r"(?<!is_)relative_to\(", line) and "is_relative_to(ROOT)" not in line]
    assert unguarded == [], name
    assert not re.search(r"[\w-]+\.(txt|html?|pdf|docx)\b", source), f"{name}: hard-codes a file name"
    # the corpus it loaded is shown (its repr) before anything else is computed from it
    load = next(i for i, c in enumerate(code) if "read_corpus(DATA" in c.source)
    assert code[load].source.rstrip().endswith("corpus"), name
    assert re.search(rf"save\(fig, \"{name[:2]}", source), f"{name}: no figure saved under its prefix"


def test_notebooks_match_generator():
    spec = importlib.util.spec_from_file_location("make_notebooks", ROOT / "scripts" / "make_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--check"]) == 0, "notebooks/ differ from scripts/make_notebooks.py: regenerate them"


def _outputs_text(cell) -> str:
    parts = []
    for out in cell.get("outputs", []):
        parts.append(out.get("text", ""))
        parts.append(out.get("data", {}).get("text/plain", ""))
    return "".join(parts)


@pytest.mark.parametrize("name", ["01_quickstart.ipynb", "05_compare_agencies.ipynb"])
def test_notebook_runs_unchanged_on_a_folder_outside_the_repository(name, tmp_path, monkeypatch):
    folder = tmp_path / "my reports"  # anywhere on disk, with a space in its name
    folder.mkdir()
    files = ["pingtan_2021.txt", "pingtan_2022.txt", "shanghai_stcsm_2024.txt", "shanghai_govoffice_2019.html"]
    for f in files:
        shutil.copy(RAW / f, folder)
    figures = tmp_path / "figures"
    monkeypatch.setenv("GOVREPORT_DATA", str(folder))
    monkeypatch.setenv("GOVREPORT_FIGURES", str(figures))
    if name.startswith("01"):  # the report looked at in detail is the one named, not a file the notebook knows
        monkeypatch.setenv("GOVREPORT_REPORT", str(folder / "shanghai_stcsm_2024.txt"))
    out = tmp_path / "executed" / name
    run = demo.run_notebook(NOTEBOOKS / name, timeout=300, watch=[figures], publish=out)
    assert run.ok, run.error
    nb = nbformat.read(out, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    shown = [_outputs_text(c) for c in code]
    corpus_out = next(t for t in shown if "<Corpus:" in t)
    assert "<Corpus: 4 reports" in corpus_out  # the folder given, not data/raw (12 reports)
    assert shown.index(corpus_out) == min(i for i, t in enumerate(shown) if "<Corpus:" in t)
    assert any("reports from " + str(folder) in t for t in shown)
    written = {p.name for p in run.written if p.parent == figures}
    prefix = name[:2]
    assert written and all(n.startswith(prefix + "_") for n in written)
    assert {n.rsplit(".", 1)[1] for n in written} == {"pdf", "svg", "png"}
    if name.startswith("01"):
        assert any("上海市科委" in t for t in shown)  # the report of GOVREPORT_REPORT was read
    else:
        assert "05_outcomes_by_agency.png" in written and "05_requests_by_agency.png" in written


@pytest.mark.parametrize("name", NAMES)
def test_demo_published_executed_notebooks(name):
    """docs/notebooks holds every notebook as `make demo` ran it: the same cells, with tables and figures."""
    stored = nbformat.read(NOTEBOOKS / name, as_version=4)
    published = nbformat.read(PUBLISHED / name, as_version=4)
    assert [c.source for c in published.cells] == [c.source for c in stored.cells], f"{name}: rerun `make demo`"
    code = [c for c in published.cells if c.cell_type == "code"]
    assert all(c.execution_count is not None for c in code)
    assert not any(o.get("output_type") == "error" for c in code for o in c.outputs)
    kinds = {k for c in code for o in c.outputs for k in o.get("data", {})}
    assert "image/png" in kinds and "text/html" in kinds, f"{name}: no figure or table shown"


# ----------------------------------------------------------------------------------- demo


def test_find_root(tmp_path):
    (tmp_path / "data" / "raw").mkdir(parents=True)
    nested = tmp_path / "notebooks" / "deeper"
    nested.mkdir(parents=True)
    assert demo.find_root(nested) == tmp_path.resolve()


def test_demo_parse_writes_parquet(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("pingtan_2021.txt", "pingtan_2022.txt", "shanghai_govoffice_2019.html"):
        shutil.copy(RAW / name, raw)
    out = tmp_path / "processed"
    out.mkdir()
    (out / "stale.parquet").write_bytes(b"old export")
    corpus, written = demo.parse(raw, out, jobs=1)
    names = {p.name for p in written}
    assert {"reports.parquet", "applications.parquet", "active_disclosure.parquet",
            "review_litigation.parquet", "findings.parquet", "sections.parquet", "schema.json"} <= names
    assert "stale.parquet" not in names and not (out / "stale.parquet").exists()
    back = load(out)
    assert len(back) == len(corpus) == 3
    assert set(back.reports["report_id"].astype(str)) == {"pingtan_2021", "pingtan_2022", "shanghai_govoffice_2019"}
    assert len(back.applications) == len(corpus.applications) > 0
    lines = demo._summary_lines(corpus)
    assert any("reports read:   3" in line for line in lines)


def test_demo_without_notebooks(tmp_path, capsys):
    (tmp_path / "data" / "raw").mkdir(parents=True)
    shutil.copy(RAW / "pingtan_2021.txt", tmp_path / "data" / "raw")
    assert demo.main(["--root", str(tmp_path), "--no-notebooks", "--jobs", "1"]) == 0
    out = capsys.readouterr().out
    assert "data/processed/reports.parquet" in out
    assert (tmp_path / "data" / "processed" / "schema.json").is_file()


# ---------------------------------------------------------------------------------- fonts


def _cjk_texts(fig) -> list[Text]:
    return [t for t in fig.findobj(Text) if t.get_visible() and CJK.search(t.get_text() or "")]


def _assert_cjk_font(fig):
    from fontTools.ttLib import TTFont

    font_path = Path(plot.cjk_font_path()).resolve()
    with TTFont(str(font_path), fontNumber=0, lazy=True) as font:
        cmap = font.getBestCmap()
    texts = _cjk_texts(fig)
    assert texts, "the chart has no Chinese text"
    for t in texts:
        found = Path(font_manager.findfont(t.get_fontproperties(), fallback_to_default=False)).resolve()
        assert found == font_path, f"{t.get_text()!r} drawn with {found}"
        missing = {ch for ch in t.get_text() if CJK.match(ch) and ord(ch) not in cmap}
        assert not missing, f"{t.get_text()!r}: no glyph for {''.join(sorted(missing))}"


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory):
    files = [RAW / n for n in ("pingtan_2019.txt", "pingtan_2021.txt", "pingtan_2022.txt", "shanghai_stcsm_2024.txt")]
    return read_corpus(files, jobs=1, progress=False, cache=False)


def test_chart_text_uses_cjk_font(small_corpus, tmp_path):
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*[Gg]lyph.*missing.*")
        fig = plot.outcome_shares(small_corpus.applications, small_corpus.reports, by="report")
        _assert_cjk_font(fig)
        paths = plot.save_figure(fig, tmp_path / "outcomes")
    assert sorted(p.suffix for p in paths) == [".pdf", ".png", ".svg"]
    assert b"WenQuanYi" in (tmp_path / "outcomes.pdf").read_bytes()


def test_plain_matplotlib_after_use_cjk_font():
    """The notebooks' own charts (01, 02 table, 03 不掌握) rely on use_cjk_font()."""
    from matplotlib.figure import Figure

    plot.use_cjk_font()
    fig = Figure(figsize=(3, 2))
    ax = fig.add_subplot()
    ax.barh(["平潭综合实验区 2021", "上海市科委 2024"], [1, 2])
    ax.set_title("各报告的校验结果（条）")
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*[Gg]lyph.*missing.*")
        fig.draw_without_rendering()
    _assert_cjk_font(fig)


def _saved_stems() -> dict[str, set[str]]:
    stems: dict[str, set[str]] = {}
    for p in FIGURES.glob("*.*"):
        if p.suffix in (".pdf", ".svg", ".png"):
            stems.setdefault(p.stem, set()).add(p.suffix)
    return stems


@pytest.mark.skipif(not any(FIGURES.glob("*.pdf")), reason="no figures yet: run `make demo`")
def test_saved_figures_complete_and_embed_cjk_font():
    stems = _saved_stems()
    for stem, suffixes in stems.items():
        assert suffixes == {".pdf", ".svg", ".png"}, f"figures/{stem}: only {sorted(suffixes)}"
    for prefix in ("01_", "02_", "03_", "04_", "05_"):
        assert any(s.startswith(prefix) for s in stems), f"no figure from notebook {prefix}"
    for stem in stems:
        pdf = (FIGURES / f"{stem}.pdf").read_bytes()
        assert b"WenQuanYi" in pdf, f"figures/{stem}.pdf does not embed the CJK font"
        assert b"FontFile2" in pdf, f"figures/{stem}.pdf: font not embedded as TrueType"


def test_run_notebook_in_memory_reports_files_and_errors(tmp_path):
    """The demo's executor: working directory = the notebook's folder, the stored file is
    left untouched, files written are listed, a failing cell is reported without ANSI codes."""
    nbdir, out = tmp_path / "notebooks", tmp_path / "figures"
    nbdir.mkdir()
    out.mkdir()
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("from pathlib import Path\nPath('../figures/x.txt').write_text(Path.cwd().name)"),
        nbformat.v4.new_code_cell("1 / 0"),
    ]
    path = nbdir / "t.ipynb"
    nbformat.write(nb, path)
    stored = path.read_bytes()
    run = demo.run_notebook(path, timeout=60, watch=[out])
    assert not run.ok and "ZeroDivisionError" in run.error and "\x1b[" not in run.error
    assert run.written == [out / "x.txt"] and (out / "x.txt").read_text() == "notebooks"
    assert path.read_bytes() == stored

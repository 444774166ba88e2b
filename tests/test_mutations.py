"""One damaged character or line never gives a different number without a finding (issue 12).

For each real report with known values (the values tests/test_read.py asserts for the seeds,
the hand-read values of data/raw/manifest.csv for the others), every mutation drawn below, in
the table region, either leaves each known value right, makes it missing, raises a new finding
of severity warning or error on that value's table, or is refused with a ParseError. Drawn
with a fixed seed from all single-line deletions, single adjacent-line swaps and single-digit
changes of the region, a bounded number per report. A digit changed inside a cell that is read
on its own (its ``raw`` differs from the original in that one digit) is a misprint read as
printed, not a choice of the reader; the choices (splits of glued digits, placements of cells
and rows) are what must never move silently.
"""
from __future__ import annotations

import csv
import os
import random
import re
from pathlib import Path

import pandas as pd
import pytest

import govreport
from govreport.errors import ParseError
from manifest_fields import FIELDS as MANIFEST_FIELDS

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"
PER_REPORT = int(os.environ.get("GOVREPORT_MUTATIONS", "60"))  # more before a release
START_WORDS = ("第二十条第", "申请人情况", "勾稽关系", "指标名称", "统计指标")
END_WORDS = ("存在的主要问题", "存在问题", "主要问题", "改进情况")


def _a(row, col="total"):
    return ("applications", {"row": row, "applicant": col})


def _d(cat, metric):
    return ("active_disclosure", {"category": cat, "metric": metric})


def _r(proc, out):
    return ("review_litigation", {"procedure": proc, "outcome": out})


def _s(indicator):
    return ("statistics", {"indicator": indicator, "column": "year"})


# seeds 000 and 001 print every table-三 and table-四 cell as 0 (tests/test_read.py)
ZEROS = [(_a(row, col), 0) for row in ("new_received", "carried_over", "granted", "partially_granted",
                                       "unavailable.not_held", "processed_total", "carried_forward")
         for col in ("natural_person", "commercial_enterprise", "other_org", "total")]
ZEROS += [(_r(proc, out), 0) for proc in ("review", "litigation_direct", "litigation_after_review")
          for out in ("upheld", "corrected", "other", "pending", "total")]
# values asserted by tests/test_read.py
SEEDS = {
    "000_943bbbccc038582b.txt": [(_d("licensing", "decisions"), 5), (_d("fees", "amount_10k_yuan"), 0), *ZEROS],
    "001_88d0cb4415071165.txt": [(_d("licensing", "decisions"), 0), *ZEROS],
    "002_8b3fd4c305a71f8f.txt": [(_s("主动公开规范性文件数"), 1), (_s("政府网站公开政府信息数"), 53),
                                 (_s("回应公众关注热点或重大舆情数"), 136), (_s("从事政府信息公开工作人员数"), 2)],
    "003_36f0aac7f99c3c7f.txt": [(_a("new_received"), 3), (_a("new_received", "natural_person"), 3),
                                 (_a("unavailable.not_held"), 3), (_a("processed_total"), 3),
                                 (_r("review", "total"), 0), (_r("litigation_after_review", "total"), 0)],
    "004_1de402db7ad7867c.txt": [(_a("new_received"), 52), (_a("granted"), 13), (_a("partially_granted"), 4),
                                 (_a("unavailable.not_held"), 35), (_a("processed_total"), 52),
                                 (_d("licensing", "decisions"), 9945), (_d("penalty", "decisions"), 5),
                                 (_d("normative_document", "in_force"), 6), (_r("review", "total"), 1)],
}
BLANK_AS_PRINTED = {("shanghai_stcsm_2024.txt", "carried_forward_total")}


def _known() -> dict[str, list]:
    out = dict(SEEDS)
    for row in csv.DictReader((RAW / "manifest.csv").open(encoding="utf-8")):
        if Path(row["file"]).suffix not in (".txt", ".html"):
            continue  # line mutations are for text copies; PDF, DOCX and scans have tests/fuzzing.py
        out[row["file"]] = [(spec, float(row[f])) for f, spec in MANIFEST_FIELDS.items()
                            if row[f] and (row["file"], f) not in BLANK_AS_PRINTED]
    return out


KNOWN = _known()


def _cells(rep, specs) -> dict[str, tuple[object, object]]:
    """``(value, raw)`` of each known cell, by ``str(spec)`` (one index per table)."""
    out, indexes = {}, {}
    for table, keys in (spec for spec, _ in specs):
        names = tuple(keys)
        if (table, names) not in indexes:
            df = rep.tables()[table]
            indexes[(table, names)] = {tuple(row[:-2]): (row[-2], row[-1]) for row in
                                       zip(*(df[n] for n in names), df["value"], df["raw"])}
        out[str((table, keys))] = indexes[(table, names)].get(tuple(keys.values()), (pd.NA, pd.NA))
    return out


def _as_printed(raw, base_raw) -> bool:
    """The cell itself carries the changed digit (same length, one character different): the
    reader read the misprint faithfully, as ``raw`` shows; no split or placement was chosen."""
    if not isinstance(raw, str) or not isinstance(base_raw, str) or len(raw) != len(base_raw):
        return False
    return sum(a != b for a, b in zip(raw, base_raw)) == 1


def _finding_keys(rep, table) -> set[tuple]:
    f = rep.findings
    f = f[(f["table"] == table) & f["severity"].isin(["warning", "error"])]
    return set(zip(f["check"].astype(str), f["row"].astype(str), f["column"].astype(str), f["message"].astype(str)))


def _mutations(text: str, rng: random.Random) -> list[tuple[str, str]]:
    # the words may be printed spaced out (统 计 指 标)
    spaced = [re.compile(r"\s*".join(w)) for w in START_WORDS]
    starts = [m.start() for p in spaced if (m := p.search(text))]
    lo = min(starts) if starts else 0
    ends = [m.start() for w in END_WORDS if (m := re.compile(r"\s*".join(w)).search(text, lo))]
    hi = min(ends) if ends else len(text)
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    region = [i for i in range(len(lines)) if offsets[i + 1] > lo and offsets[i] < hi]
    cands = [("delete", i) for i in region] + [("swap", i) for i in region if i + 1 < len(lines)]
    cands += [("digit", k) for k in range(lo, hi) if text[k].isascii() and text[k].isdigit()]
    out = []
    for kind, i in rng.sample(cands, min(PER_REPORT, len(cands))):
        if kind == "delete":
            out.append((f"delete line {i}", "\n".join(lines[:i] + lines[i + 1:])))
        elif kind == "swap":
            swapped = list(lines)
            swapped[i], swapped[i + 1] = swapped[i + 1], swapped[i]
            out.append((f"swap lines {i}/{i + 1}", "\n".join(swapped)))
        else:
            digit = str((int(text[i]) + rng.randint(1, 9)) % 10)
            out.append((f"digit {text[i]}->{digit} at {i} ({text[max(0, i - 12):i + 12]!r})",
                        text[:i] + digit + text[i + 1:]))
    return out


@pytest.mark.parametrize("name", sorted(KNOWN))
def test_no_silent_wrong_number_under_one_damaged_character(name):
    path = RAW / name
    text = path.read_text(encoding="utf-8")
    base = govreport.read_report(text=text, name=name)
    base_cells = _cells(base, KNOWN[name])
    for spec, want in KNOWN[name]:
        assert base_cells[str(spec)][0] == want, spec  # the known values are what the reader reads
    before = {t: _finding_keys(base, t) for t in {s[0] for s, _ in KNOWN[name]}}
    rng = random.Random(f"mutations:{name}")
    silent, touched = [], 0
    for what, mutated in _mutations(text, rng):
        try:
            rep = govreport.read_report(text=mutated, name=name)
        except ParseError:
            continue  # refused with a clear error: no number at all
        cells = _cells(rep, KNOWN[name])
        for spec, want in KNOWN[name]:
            got, raw = cells[str(spec)]
            touched += got is pd.NA or got != want
            if got is pd.NA or got == want:
                continue
            if what.startswith("digit") and _as_printed(raw, base_cells[str(spec)][1]):
                continue
            if not _finding_keys(rep, spec[0]) - before[spec[0]]:
                silent.append(f"{what}: {spec} read {got}, known {want}")
    assert not silent, "\n".join(silent)
    assert touched  # the mutations reached the known values

"""stated_volumes / stated_total read numbers with the narrative check's extractor (one extractor)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import govreport
from govreport import text as T
from govreport.checks import stated_quantities

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"
TEXTS = sorted(p for p in RAW.iterdir() if p.suffix in (".txt", ".html"))


def test_seed001_one_extractor_one_answer():
    raw = next(RAW.glob("001_*")).read_text(encoding="utf-8")
    assert "网站全年主动公开235条信息" in raw
    q = stated_quantities(raw)
    assert q.loc[q["subject"] == "proactive_items", "quantity"].tolist() == [235.0]
    assert list(T.stated_total(raw)) == [235.0]
    rep = govreport.read_report(next(RAW.glob("001_*")))
    assert T.stated_total(rep)["001_88d0cb4415071165"] == 235.0


def test_every_extractor_subject_maps_to_a_volume_subject():
    subjects = T.load_volume_subjects()
    mapped = {q for qs in subjects["quantity_subjects"] for q in qs.split("|") if q}
    seen = set()
    for path in TEXTS:
        seen |= set(stated_quantities(path.read_text(encoding="utf-8"))["subject"])
    assert len(seen) >= 15
    assert seen <= mapped, seen - mapped
    # a subject the extractor reads is never also read from words (knowledge stated once)
    owned = subjects[subjects["quantity_subjects"] != ""]
    assert (owned["zh_patterns"] == "").all()


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.stem)
def test_volumes_hold_every_extractor_mention(path):
    raw = path.read_text(encoding="utf-8")
    subjects = T.load_volume_subjects()
    to_volume = {q: s for s, qs in zip(subjects["subject"], subjects["quantity_subjects"]) for q in qs.split("|") if q}
    q = stated_quantities(raw)
    v = T.stated_volumes(raw)
    got = sorted(zip(v["subject"].dropna(), v["quantity"][v["subject"].notna()]))
    for subject, quantity in zip(q["subject"], q["quantity"]):
        assert (to_volume[subject], quantity) in got, (subject, quantity)
    # and volumes give those subjects only where the extractor does
    own = set(to_volume.values())
    mine = sorted((s, x) for s, x in got if s in own)
    theirs = sorted((to_volume[s], x) for s, x in zip(q["subject"], q["quantity"]))
    assert mine == theirs
    for r in v.itertuples():
        assert raw[r.offset: r.offset + len(r.match)] == r.match


def test_statement_of_absence_is_a_zero_with_its_words():
    raw = next(RAW.glob("000_*")).read_text(encoding="utf-8")
    v = T.stated_volumes(raw)
    zero = v[(v["subject"] == "requests_received")]
    assert zero["quantity"].tolist() == [0.0]
    assert zero["unit"].isna().all()
    assert zero["match"].iloc[0].startswith("未收到公民或组织")
    assert T.stated_total(raw, "requests_received").tolist() == [0.0]


def test_words_still_read_subjects_the_extractor_does_not_know():
    v = T.stated_volumes(govreport.read_report(next(RAW.glob("002_*"))))
    first = v[v["subject"] == "public_responses"]
    assert first["quantity"].iloc[0] == 136
    assert isinstance(v, pd.DataFrame) and v["label"].notna().sum() >= 3


def test_volumes_of_one_section_by_code():
    rep = govreport.read_report(next(RAW.glob("004_*")))
    general = T.stated_volumes(rep, section="general")
    assert set(general["section"]) == {1}
    got = dict(zip(general["subject"].dropna(), general["quantity"][general["subject"].notna()]))
    assert got["proactive_items"] == 439 and got["requests_received"] == 52 and got["consultations"] == 80
    other = T.stated_volumes(rep, section="other")
    assert other.loc[other["subject"] == "normative_documents", "quantity"].tolist() == [31.0, 35.0]
    assert T.stated_volumes(rep, section="applications").empty  # 三 is a table: no prose numbers

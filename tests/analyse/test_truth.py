"""The hand labels of real pages (tests/truth) measured against the analysers.

These read `../shared/corpus` and skip cleanly without it; the figures they
assert are the issue's targets, so a regression on real records fails here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from readingroom.analyse.evaluate import (
    default_corpus,
    evaluate_no_bates,
    evaluate_real_emails,
    evaluate_real_exemptions,
    evaluate_xray_masks,
    truth_folder,
)

CORPUS = default_corpus()
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus absent")


def _truth(name: str) -> dict:
    return json.loads((truth_folder() / name).read_text())


def test_truth_files_are_well_formed() -> None:
    emails = _truth("state_dept_emails.json")
    assert len(emails["files"]) >= 40
    assert sum(len(f["messages"]) for f in emails["files"]) >= 100
    for f in emails["files"]:
        for m in f["messages"]:
            assert m["page"] >= 1 and "from" in m
    marks = _truth("state_dept_exemptions.json")
    assert all(set(p["codes"]) <= {f"b{i}" for i in range(1, 10)} for p in marks["pages"])


@needs_corpus
def test_real_printed_email_meets_targets() -> None:
    r = evaluate_real_emails(CORPUS, _truth("state_dept_emails.json"))
    assert r is not None
    assert r["recall"] >= 0.98 and r["precision"] >= 0.99, r["misses"]
    assert r["exact_share"] >= 0.95, r["field_misses"]
    assert r["dates_share"] >= 0.98 and r["dates_wrong"] == 0


@needs_corpus
def test_real_exemption_codes_per_code() -> None:
    r = evaluate_real_exemptions(CORPUS, _truth("state_dept_exemptions.json"))
    assert r and {"b1", "b5", "b6"} <= set(r)
    for code, pr in r.items():
        assert pr.precision >= 0.98 and pr.recall >= 0.98, (code, pr.misses)


@needs_corpus
def test_no_false_stamps_on_real_unstamped_pages() -> None:
    r = evaluate_no_bates(CORPUS, _truth("no_bates_pages.json"))
    assert r is not None and r["pages"] > 50
    assert r["false_stamps"] == 0, r["misses"]


@needs_corpus
def test_no_visible_word_masked_on_xray_bad_files() -> None:
    r = evaluate_xray_masks(CORPUS / "redactions" / "x-ray")
    assert r is not None and r["covered_words"] > 0
    assert r["visible_words_masked"] == 0, r["misses"]


def test_evaluate_says_when_the_corpus_is_absent(tmp_path: Path) -> None:
    from readingroom.analyse.evaluate import run_real

    r = run_real(tmp_path / "nowhere")
    assert all(v is None for v in r.values())


def test_heldout_files_are_not_the_tuned_ones() -> None:
    tuned = {f["path"] for f in _truth("state_dept_emails.json")["files"]}
    held = {f["path"] for f in _truth("state_dept_emails_heldout.json")["files"]}
    assert len(held) == 15 and not held & tuned
    pages = {p["path"] for p in _truth("state_dept_exemptions_heldout.json")["pages"]}
    assert pages == held


@needs_corpus
def test_heldout_emails_and_codes() -> None:
    """Figures on files never tuned on: messages and codes must hold; dates are reported."""
    em = evaluate_real_emails(CORPUS, _truth("state_dept_emails_heldout.json"))
    assert em is not None
    assert em["recall"] >= 0.98 and em["precision"] >= 0.99
    assert em["exact_share"] >= 0.95
    ex = evaluate_real_exemptions(CORPUS, _truth("state_dept_exemptions_heldout.json"))
    assert ex is not None
    assert all(pr.precision >= 0.98 and pr.recall >= 0.98 for pr in ex.values())


@needs_corpus
def test_real_scans_no_false_boxes_or_codes() -> None:
    from readingroom.analyse.evaluate import evaluate_real_scans

    got = evaluate_real_scans(CORPUS, _truth("scanned_boxes.json"))
    assert got is not None and got["invisible layers flagged"] == 4
    assert got["boxes"]["precision"] >= 0.95
    assert got["codes"]["fp"] == 0

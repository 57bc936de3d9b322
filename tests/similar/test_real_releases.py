"""Restored passages and clustering on real records (tests/truth/similar), and the labels' shape.

The figures read `../shared/corpus` and skip cleanly without it; the floors
are what the held-out records measured when they were set, so a regression
fails here (docs/similar.md gives the figures).
"""

from __future__ import annotations

import json

import pytest

from readingroom.analyse.evaluate import default_corpus
from readingroom.similar.evaluate import (
    evaluate_real_clustering,
    evaluate_releases,
    truth_folder,
)

CORPUS = default_corpus()
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus absent")


def test_release_labels_are_well_formed() -> None:
    files = sorted(truth_folder().glob("jfk_*.json"))
    assert {tuple(json.loads(f.read_text())["pair"]) for f in files} == {
        ("2018", "2022"),
        ("2022", "2025"),
        ("2023", "2025"),
    }
    for f in files:
        t = json.loads(f.read_text())
        assert len(t["records"]) == 10 and set(t["splits"]) == set(t["records"])
        assert sorted(t["splits"].values()).count("held") == 5
        for p in t["passages"] + t["withheld_later"]:
            assert p["record"] in t["records"] and p["label"] in ("restored", "uncertain")
            assert p["quote"].strip()


@needs_corpus
def test_restored_passages_on_held_out_records() -> None:
    r = evaluate_releases(CORPUS)
    assert r is not None and r["all"]["unplaced"] == 0  # every label found in its release
    # issue 12's target, on the records not looked at while tuning, every pair
    for pair in ("2018→2022", "2022→2025", "2023→2025"):
        assert r[f"held {pair}"]["precision"] >= 0.9, r[f"held {pair}"]
    assert r["held"]["precision"] >= 0.9 and r["held"]["recall"] >= 0.4, r["held"]
    assert r["dev"]["precision"] >= 0.7, r["dev"]  # the tuned-on records are the harder ones
    # a name or word restored in several gaps, printed nowhere in the earlier release
    assert r["terms"]["held"]["precision"] >= 0.9 and r["terms"]["held"]["tp"] >= 40


@needs_corpus
def test_real_state_department_copies_cluster_and_nothing_else_does() -> None:
    r = evaluate_real_clustering(CORPUS)
    assert r is not None and r["documents"] >= 170
    assert r["precision"] == 1.0 and r["recall"] >= 0.5, r["misses"]

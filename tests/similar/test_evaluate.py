"""The accuracy figures `readingroom evaluate` prints for issue 12, on the generated demo."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from readingroom.demo.generate import generate
from readingroom.similar.evaluate import evaluate_clustering, evaluate_plans


@pytest.mark.slow
def test_demo_family_and_clustering_meet_their_targets(tmp_path: Path) -> None:
    generate(tmp_path, seed=7)
    truth = json.loads((tmp_path / "truth.json").read_text())
    plans = evaluate_plans(tmp_path / "production", truth)
    assert plans["noisy_members"] == 8
    assert plans["recall"] >= 0.95 and plans["precision"] >= 0.9, plans["misses"]
    pairs = evaluate_clustering(tmp_path / "production", truth)
    assert pairs["recall"] >= 0.95 and pairs["precision"] >= 0.95

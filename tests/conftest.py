"""Shared fixtures: a fresh investigation, the shared corpus, --runslow."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from readingroom.investigation import Investigation

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--runslow", action="store_true", help="run tests marked slow")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--runslow"):
        return
    skip = pytest.mark.skip(reason="slow: run with --runslow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def corpus() -> Path:
    """The real public documents beside the repository; skip when absent."""
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present")
    return CORPUS


@pytest.fixture
def inv(tmp_path: Path) -> Iterator[Investigation]:
    investigation = Investigation.create(tmp_path / "inv")
    yield investigation
    investigation.close()

"""docs/extending.md is a test: its example modules are installed as plugins and its tests run.

Each `<!-- module: readingroom/<package path>/<name>.py -->` block is written
to a temporary folder added to that plugin package's `__path__`, exactly as
a new built-in module would sit in it; each `<!-- test: … -->` block is
executed and its `test_*` functions are called. So the page cannot drift
from the code: if the protocol, the discovery or a store call changes, this
fails.
"""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from readingroom import plugins
from readingroom.ingest import registry as format_registry

DOC = Path(__file__).parents[1] / "docs" / "extending.md"
BLOCK = re.compile(r"<!-- (module|test): (\S+) -->\s*```python\n(.*?)```", re.S)


def blocks() -> list[tuple[str, str, str]]:
    found = BLOCK.findall(DOC.read_text("utf-8"))
    assert found, f"{DOC} has no example blocks"
    return found


def _reset() -> None:
    plugins.discover.cache_clear()
    format_registry.extractors.cache_clear()


@pytest.fixture
def examples(tmp_path: Path) -> Iterator[dict[str, str]]:
    """Install every example module as a plugin; yield the tests by name; uninstall."""
    installed: list[tuple[list[str], str, str]] = []
    tests: dict[str, str] = {}
    for kind, target, code in blocks():
        if kind == "test":
            tests[target] = code
            continue
        package_dir, module_file = target.rsplit("/", 1)
        package = package_dir.replace("/", ".")
        folder = tmp_path / "plugins" / package
        folder.mkdir(parents=True, exist_ok=True)
        (folder / module_file).write_text(code, "utf-8")
        path: list[str] = importlib.import_module(package).__path__  # type: ignore[assignment]
        path.append(str(folder))
        installed.append((path, str(folder), f"{package}.{module_file[:-3]}"))
    _reset()
    try:
        yield tests
    finally:
        for path, folder, module in installed:
            path.remove(folder)
            sys.modules.pop(module, None)
        _reset()


def _run(code: str, tmp_path: Path) -> int:
    namespace: dict[str, Any] = {}
    exec(compile(code, str(DOC), "exec"), namespace)
    tests = [fn for name, fn in namespace.items() if name.startswith("test_")]
    for fn in tests:
        fn(tmp_path)
    return len(tests)


def test_page_has_a_format_and_an_analyser_example() -> None:
    kinds = {(kind, target) for kind, target, _ in blocks()}
    assert ("module", "readingroom/ingest/formats/webvtt.py") in kinds
    assert ("module", "readingroom/analyse/analysers/markings.py") in kinds
    assert {t for k, t in kinds if k == "test"} == {"format", "analyser"}


def test_format_example(examples: dict[str, str], tmp_path: Path) -> None:
    assert "webvtt" in [ex.name for ex in format_registry.extractors()]
    assert _run(examples["format"], tmp_path) == 1


def test_analyser_example(examples: dict[str, str], tmp_path: Path) -> None:
    from readingroom.analyse.registry import analysers

    assert "markings" in [a.name for a in analysers()]
    assert _run(examples["analyser"], tmp_path) == 1


def test_examples_are_gone_afterwards() -> None:
    """The fixture leaves the real plugin packages as they were."""
    from readingroom.analyse.registry import analysers

    assert "webvtt" not in [ex.name for ex in format_registry.extractors()]
    assert "markings" not in [a.name for a in analysers()]

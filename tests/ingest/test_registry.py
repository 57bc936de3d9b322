"""Formats are found by discovery over `readingroom.ingest.formats`, and fail loudly."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from readingroom import plugins
from readingroom.errors import RegistrationError
from readingroom.ingest import formats, registry
from readingroom.ingest.pipeline import IngestOptions, ingest
from readingroom.investigation import Investigation


@pytest.fixture
def fresh_discovery() -> Iterator[None]:
    """Discovery and the extractor list are cached per process: start and end clean."""
    plugins.discover.cache_clear()
    registry.extractors.cache_clear()
    yield
    plugins.discover.cache_clear()
    registry.extractors.cache_clear()
    for name in [m for m in sys.modules if m.startswith("rr_formats_")]:
        del sys.modules[name]


def test_every_format_module_is_found(fresh_discovery: None) -> None:
    names = {m.__name__.rsplit(".", 1)[1] for m in plugins.discover(registry.FORMATS_PACKAGE)}
    assert names == {"archive", "email", "image", "office", "pdf", "text"}
    found = {ex.name for ex in registry.extractors()}
    assert {"pdf", "image", "eml", "zip", "docx", "text", "unknown"} <= found
    assert registry.extractors()[-1].name == "unknown"  # the catch-all comes last


def test_a_format_module_that_fails_to_import_stops_ingest_naming_it(
    inv: Investigation,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fresh_discovery: None,
) -> None:
    # A copy of the real plugin package, importable under another name, plus
    # one module with a typo in an import, as a broken install would have.
    package = tmp_path / "plugins" / "rr_formats_copy"
    shutil.copytree(Path(formats.__file__).parent, package, ignore=shutil.ignore_patterns("*.pyc"))
    (package / "spreadsheet_ods.py").write_text(
        "from readingroom.ingest.model import Extractionn\n\nEXTRACTORS = []\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path / "plugins"))
    monkeypatch.setattr(registry, "FORMATS_PACKAGE", "rr_formats_copy")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("hello")
    with pytest.raises(RegistrationError, match=r"rr_formats_copy\.spreadsheet_ods") as caught:
        ingest(inv, [tmp_path / "in"], IngestOptions(ocr="never", workers=1))
    assert "Extractionn" in str(caught.value)
    # Nothing was half-done: the run stopped before touching a file.
    assert inv.db.execute("SELECT count(*) FROM documents").fetchone()[0] == 0


def test_a_format_module_without_extractors_is_a_registration_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_discovery: None
) -> None:
    package = tmp_path / "plugins" / "rr_formats_empty"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "forgotten.py").write_text("NAME = 'forgot to export EXTRACTORS'\n")
    monkeypatch.syspath_prepend(str(tmp_path / "plugins"))
    monkeypatch.setattr(registry, "FORMATS_PACKAGE", "rr_formats_empty")
    with pytest.raises(RegistrationError, match=r"rr_formats_empty\.forgotten has no EXTRACTORS"):
        registry.extractors()

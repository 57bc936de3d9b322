"""Every analyser is found by discovery and keeps the contract; a broken one fails loudly."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from readingroom import doctypes, plugins
from readingroom.analyse import analysers as analysers_package
from readingroom.analyse import run_all
from readingroom.analyse.base import Analyser, DocIn, Findings, PageIn
from readingroom.analyse.registry import PACKAGE, analyser_modules, analysers, by_name
from readingroom.analyse.schema import BUILT_IN, migrations
from readingroom.errors import BadArguments, RegistrationError
from readingroom.investigation import Investigation
from readingroom.store import schema as store_schema

EVERY = analysers()


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


@pytest.fixture(scope="module")
def schema_tables() -> set[str]:
    conn = sqlite3.connect(":memory:")
    for _, script in [*store_schema.MIGRATIONS, *migrations()]:
        conn.executescript(script)
    return _tables(conn)


@pytest.mark.parametrize("a", EVERY, ids=lambda a: a.name)
def test_every_analyser_keeps_the_contract(a: Analyser, schema_tables: set[str]) -> None:
    assert isinstance(a, Analyser)
    assert re.fullmatch(r"[a-z][a-z_]*", a.name)
    assert isinstance(a.version, str) and a.version
    assert isinstance(a.tables, tuple) and a.tables
    assert set(a.tables) <= schema_tables  # it deletes and writes only tables that exist
    assert isinstance(a.doc_types, tuple) and a.doc_types
    assert set(a.doc_types) <= set(doctypes.DOC_TYPES)
    assert isinstance(a.after, tuple) and a.name not in a.after
    assert callable(a.run) and callable(a.store) and callable(a.finish_run)


@pytest.mark.parametrize("a", EVERY, ids=lambda a: a.name)
def test_every_analyser_runs_on_a_page_built_by_hand(a: Analyser) -> None:
    page = PageIn(1, 1, "From: Smith, John\nSent: Monday, August 14, 2017 4:05 PM\nTo: (b)(6)")
    found = a.run(DocIn(1, "x.txt", "text", [page]))
    assert isinstance(found, Findings)
    assert set(found.rows) <= set(a.tables)
    assert all(isinstance(f, tuple) and len(f) == 3 for f in found.facets)
    assert all(isinstance(k, int) and isinstance(v, list) for k, v in found.masks.items())


def test_each_module_exposes_one_analyser_with_optional_migrations() -> None:
    modules = analyser_modules()
    assert [m.__name__ for m in modules] == [
        f"{PACKAGE}.{n}"
        for n in (
            "bates",
            "dates",
            "exemptions",
            "figures",
            "identifiers",
            "mentions",
            "offices",
            "printed_email",
            "redactions",
            "shingles",
        )
    ]
    for module in modules:
        assert isinstance(module.ANALYSER, Analyser)
        for name, script in getattr(module, "MIGRATIONS", ()):
            assert isinstance(name, str) and isinstance(script, str)
    assert migrations()[: len(BUILT_IN)] == BUILT_IN


def test_the_running_order_follows_after() -> None:
    assert [a.name for a in EVERY] == [
        "bates", "exemptions", "figures", "mentions", "offices", "redactions", "dates",
        "identifiers", "emails", "shingles",
    ]  # fmt: skip
    seen: set[str] = set()
    for a in EVERY:
        assert set(a.after) <= seen, a.name
        seen.add(a.name)
    assert [a.name for a in by_name(["emails", "bates"])] == ["bates", "emails"]
    with pytest.raises(BadArguments, match="unknown analyser nosuch"):
        by_name("nosuch")


@pytest.fixture
def broken_analyser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A module in the analysers package that fails to import (a typo in a name)."""
    extra = tmp_path / "more"
    extra.mkdir()
    (extra / "typo.py").write_text("from readingroom.analyse.base import Findngs\n")
    monkeypatch.setattr(analysers_package, "__path__", [*analysers_package.__path__, str(extra)])
    plugins.discover.cache_clear()
    yield f"{PACKAGE}.typo"
    monkeypatch.undo()
    plugins.discover.cache_clear()


def test_an_analyser_that_fails_to_import_stops_run_all(
    inv: Investigation, broken_analyser: str
) -> None:
    with pytest.raises(RegistrationError, match=re.escape(broken_analyser)) as e:
        run_all(inv)
    assert "Findngs" in str(e.value)
    # Opening an investigation needs every analyser's tables: it fails the same way.
    with pytest.raises(RegistrationError, match=re.escape(broken_analyser)):
        Investigation.open(inv.root)

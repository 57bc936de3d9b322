from __future__ import annotations

import ast
from pathlib import Path

import pytest

from readingroom.investigation import Investigation, migrations
from readingroom.page import Word
from readingroom.store import connect, decode_words, encode_words
from readingroom.store.schema import MIGRATIONS, migrate


def test_migrations_apply_once_and_reopen(tmp_path: Path) -> None:
    inv = Investigation.create(tmp_path / "x")
    assert migrate(inv.db, migrations()) == []  # nothing left to apply
    assert inv.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    names = {r[0] for r in inv.db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"documents", "pages", "pages_fts", "locations", "errors", "stages"} <= names
    inv.close()
    assert Investigation.open(tmp_path / "x").db.execute("SELECT count(*) FROM pages").fetchone()


def test_fts_follows_page_updates_and_deletes(inv: Investigation) -> None:
    db = inv.db
    with db:
        db.execute("INSERT INTO documents(id, sha256, size, name) VALUES (1, 'x', 1, 'a')")
        db.execute("INSERT INTO pages(document_id, number, text) VALUES (1, 1, 'arrest quotas')")
    match = "SELECT count(*) FROM pages_fts WHERE pages_fts MATCH ?"
    assert db.execute(match, ("quota",)).fetchone()[0] == 1  # porter stemming
    with db:
        db.execute("UPDATE pages SET text = 'collateral' WHERE document_id = 1")
    assert db.execute(match, ("quota",)).fetchone()[0] == 0
    assert db.execute(match, ("collateral",)).fetchone()[0] == 1
    with db:
        db.execute("DELETE FROM pages")
    assert db.execute(match, ("collateral",)).fetchone()[0] == 0


def test_words_roundtrip() -> None:
    words = [Word(1.0, 2.0, 3.5, 4.2, "(b)(6)", None), Word(5, 6, 7, 8, "quo\x1fta", 91.5)]
    back = decode_words(encode_words(words))
    assert [w.text for w in back] == ["(b)(6)", "quo ta"]  # the separator never leaks
    assert back[0].conf is None and back[1].conf == 91.5
    assert back[0][:4] == pytest.approx((1.0, 2.0, 3.5, 4.2), abs=1e-4)
    assert decode_words(encode_words([])) == [] and decode_words(None) == []
    with pytest.raises(ValueError, match="not a readingroom word-box blob"):
        decode_words(b"junk")


def test_migrate_applies_exactly_the_list_it_is_given(tmp_path: Path) -> None:
    conn = connect(tmp_path / "db.sqlite")
    extra = [("test-0001", "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);")]
    assert migrate(conn, MIGRATIONS) == ["core-0001", "core-0002"]
    assert migrate(conn, [*MIGRATIONS, *extra]) == ["test-0001"]  # a part added later
    assert migrate(conn, [*MIGRATIONS, *extra]) == []
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"documents", "notes"} <= tables
    assert "bates_stamps" not in tables  # the store adds no part's tables on its own
    conn.close()


def test_every_part_contributes_its_migrations_in_order() -> None:
    names = [name for name, _ in migrations()]
    assert names[0] == "core-0001"
    assert any(n.startswith("analyse-") for n in names)
    assert any(n.startswith("search-") for n in names)
    assert len(names) == len(set(names))


def test_the_store_imports_nothing_above_it() -> None:
    """`store` never imports `ingest`, `analyse`, `search`...: the seam stays one-way."""
    import readingroom.store

    allowed = {"store", "page", "doctypes", "errors"}
    found: dict[str, set[str]] = {}
    for path in Path(readingroom.store.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            for name in names:
                if name.startswith("readingroom.") and name.split(".")[1] not in allowed:
                    found.setdefault(path.name, set()).add(name)
    assert found == {}


def test_core_0002_removes_duplicate_top_level_locations_and_keeps_them_unique(
    tmp_path: Path,
) -> None:
    """Before core-0002 a NULL parent let every re-run add a location row per file."""
    conn = connect(tmp_path / "db.sqlite")
    migrate(conn, MIGRATIONS[:1])
    conn.execute("INSERT INTO documents(sha256, size, name) VALUES ('a', 1, 'a.pdf')")
    for _ in range(3):
        conn.execute("INSERT INTO locations(document_id, path) VALUES (1, '/in/a.pdf')")
    conn.commit()
    assert migrate(conn, MIGRATIONS) == ["core-0002"]
    assert conn.execute("SELECT count(*) FROM locations").fetchone()[0] == 1
    conn.execute("INSERT OR IGNORE INTO locations(document_id, path) VALUES (1, '/in/a.pdf')")
    assert conn.execute("SELECT count(*) FROM locations").fetchone()[0] == 1
    conn.close()

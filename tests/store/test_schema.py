from __future__ import annotations

from pathlib import Path

import pytest

from readingroom.ingest.model import Word
from readingroom.investigation import Investigation
from readingroom.store import decode_words, encode_words
from readingroom.store.schema import migrate


def test_migrations_apply_once_and_reopen(tmp_path: Path) -> None:
    inv = Investigation.create(tmp_path / "x")
    assert migrate(inv.db) == []  # nothing left to apply
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

"""The investigation database schema, as named migrations.

Each part of readingroom that keeps tables (core ingest, analysers, search,
evidence, requests) contributes a list of `(name, sql)` migrations in its own
`schema.py`; `_migrations` records which have run, so an older investigation
is upgraded in place when opened and parts can grow independently. The store
does not know the parts above it: `readingroom.investigation` imports each
part's list explicitly and hands them all to `migrate`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

__all__ = ["MIGRATIONS", "Migration", "migrate"]

Migration = tuple[str, str]

MIGRATIONS: list[Migration] = [
    # productions, documents, where each was seen, pages, stages, errors.
    (
        "core-0001",
        """
    CREATE TABLE productions (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        received TEXT,              -- ISO date the production arrived
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
    );

    -- One row per distinct content (SHA-256): exact duplicates are one document.
    CREATE TABLE documents (
        id INTEGER PRIMARY KEY,
        sha256 TEXT NOT NULL UNIQUE,
        size INTEGER NOT NULL,
        name TEXT NOT NULL,          -- file name where first seen
        mime TEXT,
        doc_type TEXT NOT NULL DEFAULT 'unknown',
        parent_id INTEGER REFERENCES documents(id),
        root_id INTEGER REFERENCES documents(id),
        production_id INTEGER REFERENCES productions(id),
        depth INTEGER NOT NULL DEFAULT 0,
        title TEXT,
        date TEXT,
        page_count INTEGER,
        status TEXT NOT NULL DEFAULT 'pending',  -- pending | done | failed
        extractor TEXT,
        extractor_version TEXT,
        metadata TEXT NOT NULL DEFAULT '{}',     -- JSON
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
        updated_at TEXT
    );
    CREATE INDEX documents_parent ON documents(parent_id);
    CREATE INDEX documents_production ON documents(production_id);
    CREATE INDEX documents_status ON documents(status);

    -- Every place a document was seen: a path on disk, or a name inside a parent.
    CREATE TABLE locations (
        id INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents(id),
        production_id INTEGER REFERENCES productions(id),
        parent_id INTEGER REFERENCES documents(id),
        path TEXT NOT NULL,
        kind TEXT NOT NULL DEFAULT 'file',  -- file | member | attachment | embedded | message
        first_seen TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
        UNIQUE (document_id, parent_id, path)
    );
    CREATE INDEX locations_document ON locations(document_id);

    CREATE TABLE pages (
        id INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents(id),
        number INTEGER NOT NULL,         -- 1-based
        text TEXT NOT NULL DEFAULT '',
        source TEXT NOT NULL DEFAULT 'text',  -- text | ocr | none
        ocr_engine TEXT,
        ocr_confidence REAL,
        width REAL, height REAL,          -- points
        words BLOB,                       -- RRW1 word boxes (store/words.py)
        bates TEXT,                       -- filled by the bates analyser
        meta TEXT NOT NULL DEFAULT '{}',
        UNIQUE (document_id, number)
    );

    -- Stage bookkeeping: (document, stage) done at a version => skip on re-run.
    CREATE TABLE stages (
        document_id INTEGER NOT NULL REFERENCES documents(id),
        stage TEXT NOT NULL,
        version TEXT NOT NULL,
        status TEXT NOT NULL,            -- running | done | failed
        started_at TEXT, finished_at TEXT,
        PRIMARY KEY (document_id, stage)
    );

    -- Facet values per page (exemption codes, office, e-mail sender...), written
    -- by analysers, read by search: the one extension point between the two.
    CREATE TABLE page_facets (
        page_id INTEGER NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
        facet TEXT NOT NULL,
        value TEXT NOT NULL,
        source TEXT NOT NULL,            -- analyser name that wrote it
        PRIMARY KEY (page_id, facet, value)
    );
    CREATE INDEX page_facets_value ON page_facets(facet, value);

    CREATE TABLE errors (
        id INTEGER PRIMARY KEY,
        document_id INTEGER REFERENCES documents(id),
        path TEXT NOT NULL,
        stage TEXT NOT NULL,
        kind TEXT NOT NULL,
        message TEXT NOT NULL,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
    );
    CREATE INDEX errors_document ON errors(document_id);

    -- Skip re-hashing unchanged files on re-ingest (path, size, mtime).
    CREATE TABLE file_cache (
        path TEXT PRIMARY KEY,
        size INTEGER NOT NULL,
        mtime_ns INTEGER NOT NULL,
        sha256 TEXT NOT NULL
    );

    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        command TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        stats TEXT NOT NULL DEFAULT '{}'
    );

    -- Page-level full text, kept in step with `pages` by triggers.
    -- Double quotes: Datasette recognises an FTS table by content="pages".
    CREATE VIRTUAL TABLE pages_fts USING fts5(
        text, content="pages", content_rowid="id",
        tokenize="porter unicode61 remove_diacritics 2"
    );
    CREATE TRIGGER pages_ai AFTER INSERT ON pages BEGIN
        INSERT INTO pages_fts(rowid, text) VALUES (new.id, new.text);
    END;
    CREATE TRIGGER pages_ad AFTER DELETE ON pages BEGIN
        INSERT INTO pages_fts(pages_fts, rowid, text) VALUES ('delete', old.id, old.text);
    END;
    CREATE TRIGGER pages_au AFTER UPDATE OF text ON pages BEGIN
        INSERT INTO pages_fts(pages_fts, rowid, text) VALUES ('delete', old.id, old.text);
        INSERT INTO pages_fts(rowid, text) VALUES (new.id, new.text);
    END;
    """,
    ),
    # Locations unique for top-level files too (NULL parent broke the UNIQUE key,
    # so every re-run added a row), and the exact bytes of names that are not UTF-8.
    (
        "core-0002",
        """
    DELETE FROM locations WHERE id NOT IN (
        SELECT min(id) FROM locations GROUP BY document_id, ifnull(parent_id, 0), path
    );
    CREATE UNIQUE INDEX locations_unique ON locations(document_id, ifnull(parent_id, 0), path);
    ALTER TABLE locations ADD COLUMN raw_path BLOB;  -- the name's bytes when not UTF-8
    CREATE INDEX errors_path ON errors(path);
    """,
    ),
]


def migrate(conn: sqlite3.Connection, migrations: Iterable[Migration]) -> list[str]:
    """Apply those of `migrations` not yet applied, in order; return their names.

    A migration is known by its name, so its SQL may gain comments later
    without running again.
    """
    conn.execute(
        "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL"
        " DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')))"
    )
    done = {row[0] for row in conn.execute("SELECT name FROM _migrations")}
    applied = []
    for name, script in migrations:
        if name in done:
            continue
        conn.executescript(
            f"BEGIN;\n{script}\nINSERT INTO _migrations(name) VALUES ('{name}');\nCOMMIT;"
        )
        applied.append(name)
    return applied

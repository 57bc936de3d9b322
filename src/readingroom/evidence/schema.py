"""Tables of the evidence layer: tags and notes, findings and their citations.

Everything here is keyed by the document's SHA-256 (not its row id), so tags,
notes and citations survive a re-ingest into a new investigation: the same
file gets the same hash. Named migrations (see `store.schema`): never edit one
that has shipped, add the next.
"""

from __future__ import annotations

from readingroom.store.schema import Migration

__all__ = ["MIGRATIONS"]

MIGRATIONS: list[Migration] = [
    (
        "evidence-0001",
        """
    CREATE TABLE evidence_tags (
        id INTEGER PRIMARY KEY,
        sha256 TEXT NOT NULL,            -- the document's content hash
        page INTEGER,                    -- 1-based page, NULL for the whole document
        tag TEXT NOT NULL,
        created_by TEXT,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
    );
    CREATE UNIQUE INDEX evidence_tags_one ON evidence_tags(sha256, coalesce(page, 0), tag);
    CREATE INDEX evidence_tags_tag ON evidence_tags(tag);

    CREATE TABLE evidence_notes (
        id INTEGER PRIMARY KEY,
        sha256 TEXT NOT NULL,
        page INTEGER,
        body TEXT NOT NULL,
        created_by TEXT,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
    );
    CREATE INDEX evidence_notes_doc ON evidence_notes(sha256);

    CREATE TABLE evidence_findings (
        id INTEGER PRIMARY KEY,
        claim TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'draft',   -- draft | checked | published
        created_by TEXT,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
        updated_at TEXT
    );

    -- A quote anchored as Hypothesis anchors one: the exact text with some text
    -- before and after it (TextQuoteSelector), plus its position (character span
    -- in the page text and word boxes), the page and its Bates number.
    CREATE TABLE evidence_citations (
        id INTEGER PRIMARY KEY,
        finding_id INTEGER NOT NULL REFERENCES evidence_findings(id) ON DELETE CASCADE,
        sha256 TEXT NOT NULL,
        page INTEGER NOT NULL,
        bates TEXT,
        exact TEXT NOT NULL,
        prefix TEXT NOT NULL DEFAULT '',
        suffix TEXT NOT NULL DEFAULT '',
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        boxes TEXT NOT NULL DEFAULT '[]',     -- JSON [[x0,y0,x1,y1], ...] in PDF points
        state TEXT NOT NULL DEFAULT 'ok',     -- ok | moved | lost
        checked_at TEXT,
        created_by TEXT,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
    );
    CREATE INDEX evidence_citations_finding ON evidence_citations(finding_id);
    CREATE INDEX evidence_citations_doc ON evidence_citations(sha256);
    """,
    ),
    (
        "evidence-0002",
        """
    -- What a re-check found where the quote was: the page's text when it no longer
    -- matches the quote exactly (state 'changed'), and how close it is (0..100).
    ALTER TABLE evidence_citations ADD COLUMN found TEXT;
    ALTER TABLE evidence_citations ADD COLUMN score REAL;
    """,
    ),
]

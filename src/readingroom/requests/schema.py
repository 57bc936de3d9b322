"""Tables of requests, campaigns, events, production letters, coverage and FOIA logs.

Named migrations (see `store.schema`): never edit one that has shipped, add
the next. Only facts a person entered or confirmed are stored; status,
resolution, due dates and lateness are computed from them on every read.
"""

from __future__ import annotations

from readingroom.store.schema import Migration

__all__ = ["MIGRATIONS"]

MIGRATIONS: list[Migration] = [
    (
        "requests-0001",
        """
    CREATE TABLE campaigns (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        subject TEXT,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
    );

    CREATE TABLE requests (
        id INTEGER PRIMARY KEY,
        tracking TEXT NOT NULL UNIQUE,     -- the agency's tracking number, or the user's own
        agency TEXT NOT NULL,              -- agencies-pack code (DHS, ICE, DHS/ICE) or free text
        office TEXT,                       -- component or field office
        subject TEXT,
        text TEXT,                         -- the request as sent
        requester TEXT,                    -- the organisation filing (a newsroom, a clinic)
        filed TEXT NOT NULL,               -- ISO date sent
        received TEXT,                     -- ISO date the agency received it, when known
        campaign_id INTEGER REFERENCES campaigns(id),
        referred_from INTEGER REFERENCES requests(id),  -- a referral becomes its own request
        notes TEXT,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
    );
    CREATE INDEX requests_campaign ON requests(campaign_id);

    CREATE TABLE request_events (
        id INTEGER PRIMARY KEY,
        request_id INTEGER NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,                -- model.EVENT_KINDS
        date TEXT NOT NULL,
        resolution TEXT,                   -- determination, appeal-decided, court-order
        due TEXT,                          -- a court deadline entered by hand
        note TEXT,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
    );
    CREATE INDEX request_events_request ON request_events(request_id);

    CREATE TABLE request_productions (
        request_id INTEGER NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
        production_id INTEGER NOT NULL REFERENCES productions(id),
        PRIMARY KEY (request_id, production_id)
    );

    -- What the agency's letter says it released; parsed, then confirmed by a person.
    CREATE TABLE production_letters (
        id INTEGER PRIMARY KEY,
        request_id INTEGER NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
        production_id INTEGER REFERENCES productions(id),
        document_id INTEGER REFERENCES documents(id),  -- the letter, when ingested
        source TEXT NOT NULL,              -- document name or file path read
        parsed TEXT NOT NULL,              -- JSON: figures and exemptions as parsed
        confirmed TEXT,                    -- JSON: as the user confirmed (or corrected) them
        confirmed_at TEXT,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
    );
    CREATE INDEX production_letters_request ON production_letters(request_id);

    -- Records a campaign expects (one per office), and the documents that fill them.
    CREATE TABLE expected_records (
        id INTEGER PRIMARY KEY,
        campaign_id INTEGER REFERENCES campaigns(id),
        name TEXT NOT NULL UNIQUE,         -- "operations plan for Operation X"
        terms TEXT NOT NULL,               -- words a document's title or text must hold
        offices TEXT NOT NULL DEFAULT '',  -- ';'-joined office names expected ('' = the campaign's)
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
    );
    CREATE TABLE coverage (
        expected_id INTEGER NOT NULL REFERENCES expected_records(id) ON DELETE CASCADE,
        office TEXT NOT NULL,
        document_id INTEGER NOT NULL REFERENCES documents(id),
        state TEXT NOT NULL DEFAULT 'proposed',   -- proposed | confirmed | rejected
        reason TEXT NOT NULL DEFAULT '',          -- why it was proposed
        PRIMARY KEY (expected_id, office, document_id)
    );

    -- An agency's published FOIA log, to find similar earlier requests. Requester
    -- names are deliberately not kept: the log is read for what was asked, not who.
    CREATE TABLE foia_log_entries (
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL,              -- file name imported
        tracking TEXT NOT NULL,
        organization TEXT,
        received TEXT,
        target TEXT,
        closed TEXT,
        description TEXT NOT NULL DEFAULT '',
        UNIQUE (source, tracking)
    );
    CREATE VIRTUAL TABLE foia_log_fts USING fts5(
        description, content="foia_log_entries", content_rowid="id",
        tokenize="porter unicode61 remove_diacritics 2"
    );
    CREATE TRIGGER foia_log_ai AFTER INSERT ON foia_log_entries BEGIN
        INSERT INTO foia_log_fts(rowid, description) VALUES (new.id, new.description);
    END;
    CREATE TRIGGER foia_log_ad AFTER DELETE ON foia_log_entries BEGIN
        INSERT INTO foia_log_fts(foia_log_fts, rowid, description)
        VALUES ('delete', old.id, old.description);
    END;
    """,
    ),
]

"""Tables of the near-duplicate clustering step (signatures are the `shingles` analyser's)."""

from __future__ import annotations

MIGRATIONS = [
    (
        "similar-0001",
        """
    -- One clustering of page or document signatures; the newest per level is kept.
    CREATE TABLE similar_runs (
        id INTEGER PRIMARY KEY,
        level TEXT NOT NULL,            -- page | document
        version TEXT NOT NULL,          -- readingroom.similar.clusters.VERSION
        fingerprint TEXT NOT NULL,      -- the signatures it was computed from
        items INTEGER NOT NULL,
        clusters INTEGER NOT NULL,
        seconds REAL NOT NULL,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    CREATE TABLE similar_members (
        run_id INTEGER NOT NULL REFERENCES similar_runs(id) ON DELETE CASCADE,
        cluster INTEGER NOT NULL,       -- 1 = the largest cluster of the run
        document_id INTEGER NOT NULL REFERENCES documents(id),
        page_id INTEGER                 -- NULL at document level
    );
    CREATE INDEX similar_members_cluster ON similar_members(run_id, cluster);
    CREATE INDEX similar_members_document ON similar_members(document_id);
    CREATE INDEX similar_members_page ON similar_members(page_id);
    """,
    )
]

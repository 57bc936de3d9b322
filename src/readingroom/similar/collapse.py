"""Search collapses near-duplicates: one result per document family, with "N copies".

Runs inside the search backend, over its temporary hits table (`temp.rr_hits`,
one row per matching page), after the hits are gathered and before documents
are ranked: in each family only the member with the best-scoring page keeps
its hits. The PostgreSQL engine will do the same with its own hits table.
"""

from __future__ import annotations

import sqlite3


def collapse_copies(conn: sqlite3.Connection) -> dict[int, tuple[int, int]]:
    """Fold matching copies; returns kept document id -> (family number, matching copies folded)."""
    try:
        rows = conn.execute(
            """
            SELECT m.cluster, h.document_id, min(h.score) AS s
            FROM (SELECT DISTINCT document_id, score FROM temp.rr_hits) h
            JOIN similar_members m ON m.document_id = h.document_id AND m.page_id IS NULL
            JOIN similar_runs r ON r.id = m.run_id AND r.level = 'document'
            GROUP BY m.cluster, h.document_id
            ORDER BY m.cluster, s IS NULL, s, h.document_id
            """
        ).fetchall()
    except sqlite3.OperationalError as e:  # no clustering tables in this store yet
        if "no such table" in str(e):
            return {}
        raise
    kept: dict[int, tuple[int, int]] = {}
    drop: list[int] = []
    rep: dict[int, int] = {}
    for cluster, doc_id, _ in rows:
        if cluster not in rep:
            rep[cluster] = doc_id
            kept[doc_id] = (cluster, 0)
        else:
            drop.append(doc_id)
            fam, n = kept[rep[cluster]]
            kept[rep[cluster]] = (fam, n + 1)
    if drop:
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS rr_folded (document_id INTEGER PRIMARY KEY)")
        conn.execute("DELETE FROM temp.rr_folded")
        conn.executemany("INSERT INTO temp.rr_folded VALUES (?)", ((d,) for d in drop))
        conn.execute(
            "DELETE FROM temp.rr_hits WHERE document_id IN (SELECT document_id FROM temp.rr_folded)"
        )
    return {d: v for d, v in kept.items() if v[1]}

"""What near-duplicate clustering reads and writes, and what its views ask.

Under the store's contract: connection first, keywords after, plain values
back, write functions never commit. `level` is `page` or `document`, never
user text.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

from readingroom.store.reading import KEY_CHARS

__all__ = [
    "cluster_members",
    "clusters",
    "copies_of_document",
    "copies_of_page",
    "document_clusters",
    "family_documents",
    "latest_run",
    "replace_clusters",
    "signature_fingerprint",
    "signatures",
]

_TABLE = {"page": "page_signatures", "document": "document_signatures"}


def _table(level: str) -> str:
    if level not in _TABLE:
        raise ValueError(f"level must be page or document, not {level!r}")
    return _TABLE[level]


def signature_fingerprint(conn: sqlite3.Connection, *, level: str) -> str:
    """Changes whenever the signatures a clustering read change (rows added, re-run, removed)."""
    n, top, total = conn.execute(
        f"SELECT count(*), coalesce(max(id), 0), coalesce(sum(id), 0) FROM {_table(level)}"
    ).fetchone()
    return f"{n}:{top}:{total}"


def signatures(conn: sqlite3.Connection, *, level: str) -> Iterator[dict[str, Any]]:
    """Every stored signature of `level`, streamed (a million pages do not sit in a list)."""
    col = "page_id" if level == "page" else "NULL AS page_id"
    yield from (
        dict(r)
        for r in conn.execute(
            f"SELECT id, document_id, {col}, text_hash, signature FROM {_table(level)} ORDER BY id"
        )
    )


def replace_clusters(
    conn: sqlite3.Connection,
    *,
    level: str,
    version: str,
    fingerprint: str,
    groups: Sequence[Sequence[tuple[int, int | None]]],
    items: int,
    seconds: float,
) -> int:
    """Store one clustering (groups of (document_id, page_id)) in place of the previous one."""
    _table(level)
    conn.execute("DELETE FROM similar_runs WHERE level = ?", (level,))
    cur = conn.execute(
        "INSERT INTO similar_runs (level, version, fingerprint, items, clusters, seconds)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (level, version, fingerprint, items, len(groups), seconds),
    )
    run = int(cur.lastrowid or 0)
    conn.executemany(
        "INSERT INTO similar_members (run_id, cluster, document_id, page_id) VALUES (?, ?, ?, ?)",
        ((run, n, d, p) for n, g in enumerate(groups, 1) for d, p in g),
    )
    return run


def latest_run(conn: sqlite3.Connection, *, level: str) -> dict[str, Any] | None:
    row = conn.execute(
        "SELECT * FROM similar_runs WHERE level = ? ORDER BY id DESC LIMIT 1", (level,)
    ).fetchone()
    return dict(row) if row else None


_MEMBER = f"""
    SELECT m.cluster, m.document_id, m.page_id, d.name, d.title,
           substr(d.sha256, 1, {KEY_CHARS}) AS key, d.page_count,
           p.number AS page, p.bates
    FROM similar_members m
    JOIN similar_runs r ON r.id = m.run_id
    JOIN documents d ON d.id = m.document_id
    LEFT JOIN pages p ON p.id = m.page_id
"""


def clusters(conn: sqlite3.Connection, *, level: str, limit: int = 1000) -> list[dict[str, Any]]:
    """The newest run's clusters, largest first: `cluster`, `size`, `members`."""
    rows = conn.execute(
        _MEMBER + " WHERE r.level = ? AND m.cluster <= ? ORDER BY m.cluster, d.name, p.number",
        (level, limit),
    ).fetchall()
    out: dict[int, dict[str, Any]] = {}
    for r in rows:
        c = out.setdefault(r["cluster"], {"cluster": r["cluster"], "members": []})
        m = dict(r)
        m.pop("cluster")
        c["members"].append(m)
    for c in out.values():
        c["size"] = len(c["members"])
    return list(out.values())


def cluster_members(conn: sqlite3.Connection, *, level: str, cluster: int) -> list[dict[str, Any]]:
    rows = conn.execute(
        _MEMBER + " WHERE r.level = ? AND m.cluster = ? ORDER BY d.name, p.number",
        (level, cluster),
    ).fetchall()
    return [dict(r) for r in rows]


def copies_of_document(conn: sqlite3.Connection, *, document_id: int) -> dict[str, Any] | None:
    """The document-level cluster holding a document: `cluster` and its other `members`."""
    row = conn.execute(
        "SELECT m.cluster FROM similar_members m JOIN similar_runs r ON r.id = m.run_id"
        " WHERE r.level = 'document' AND m.document_id = ? LIMIT 1",
        (document_id,),
    ).fetchone()
    if row is None:
        return None
    members = cluster_members(conn, level="document", cluster=int(row[0]))
    return {
        "cluster": int(row[0]),
        "members": [m for m in members if m["document_id"] != document_id],
    }


def copies_of_page(conn: sqlite3.Connection, *, page_id: int) -> list[dict[str, Any]]:
    """Other pages (in any document) that are copies of this page."""
    row = conn.execute(
        "SELECT m.cluster FROM similar_members m JOIN similar_runs r ON r.id = m.run_id"
        " WHERE r.level = 'page' AND m.page_id = ? LIMIT 1",
        (page_id,),
    ).fetchone()
    if row is None:
        return []
    members = cluster_members(conn, level="page", cluster=int(row[0]))
    return [m for m in members if m["page_id"] != page_id]


def document_clusters(
    conn: sqlite3.Connection, *, document_ids: Sequence[int]
) -> dict[int, tuple[int, int]]:
    """Document id -> (document-level cluster, its size), for the documents asked about."""
    if not document_ids:
        return {}
    marks = ",".join("?" * len(document_ids))
    rows = conn.execute(
        "SELECT m.document_id, m.cluster, (SELECT count(*) FROM similar_members x"
        "  WHERE x.run_id = m.run_id AND x.cluster = m.cluster) AS size"
        " FROM similar_members m JOIN similar_runs r ON r.id = m.run_id"
        f" WHERE r.level = 'document' AND m.document_id IN ({marks})",
        list(document_ids),
    ).fetchall()
    return {int(r[0]): (int(r[1]), int(r[2])) for r in rows}


def release_dates(
    conn: sqlite3.Connection, *, document_ids: Sequence[int]
) -> dict[int, str | None]:
    """When each document was released: its production's `received` date, if recorded."""
    marks = ",".join("?" * len(document_ids))
    rows = conn.execute(
        "SELECT d.id, p.received FROM documents d LEFT JOIN productions p"
        f" ON p.id = d.production_id WHERE d.id IN ({marks})",
        list(document_ids),
    ).fetchall()
    return {int(r[0]): r[1] for r in rows}


def family_documents(
    conn: sqlite3.Connection, *, document_ids: Sequence[int]
) -> list[dict[str, Any]]:
    """Each document's key, name, title and pages (number, text, bates), in the order asked."""
    out = []
    for doc_id in document_ids:
        d = conn.execute(
            f"SELECT id, name, title, substr(sha256, 1, {KEY_CHARS}) AS key FROM documents"
            " WHERE id = ?",
            (doc_id,),
        ).fetchone()
        if d is None:
            continue
        pages = conn.execute(
            "SELECT number, text, bates FROM pages WHERE document_id = ? ORDER BY number",
            (doc_id,),
        ).fetchall()
        out.append({**dict(d), "pages": [dict(p) for p in pages]})
    return out

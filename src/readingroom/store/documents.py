"""Productions, documents, where each was seen, and the file cache.

A document is its content: one row per SHA-256, however often the bytes were
seen; every sighting (a path on disk, a member of a zip, an attachment) is a
location. Write functions never commit: see `transaction`.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from readingroom.store._sql import NOW, pairs

__all__ = [
    "add_document",
    "add_warnings",
    "assign_extractor",
    "cached_file",
    "describe_document",
    "document_totals",
    "ensure_production",
    "get_document",
    "page_count",
    "pending_documents",
    "production_summaries",
    "remember_file",
    "set_status",
]


def ensure_production(conn: sqlite3.Connection, *, name: str, received: str | None) -> int:
    """The id of the production called `name`, created if new; a given date is kept."""
    conn.execute(
        "INSERT INTO productions(name, received) VALUES (?, ?) "
        "ON CONFLICT(name) DO UPDATE SET received = coalesce(excluded.received, received)",
        (name, received),
    )
    row = conn.execute("SELECT id FROM productions WHERE name = ?", (name,)).fetchone()
    return int(row[0])


def cached_file(
    conn: sqlite3.Connection, *, path: str | bytes, size: int, mtime_ns: int
) -> str | None:
    """The SHA-256 of a file hashed before with this size and mtime, so it is not read again.

    `path` is the file's name as text, or its exact bytes when it is not UTF-8.
    """
    row = conn.execute(
        "SELECT sha256 FROM file_cache WHERE path = ? AND size = ? AND mtime_ns = ?",
        (path, size, mtime_ns),
    ).fetchone()
    return str(row[0]) if row else None


def remember_file(
    conn: sqlite3.Connection, *, path: str | bytes, size: int, mtime_ns: int, sha256: str
) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO file_cache(path, size, mtime_ns, sha256) VALUES (?, ?, ?, ?)",
        (path, size, mtime_ns, sha256),
    )


def add_document(
    conn: sqlite3.Connection,
    *,
    sha256: str,
    size: int,
    name: str,
    parent_id: int | None,
    production_id: int | None,
    depth: int,
    location: str,
    kind: str,
    raw_location: bytes | None = None,
) -> tuple[int, bool, dict[str, Any]]:
    """Record a sighting of some content: (document id, whether the content is new, row).

    The row holds the document's `id`, `status`, `extractor` and
    `extractor_version`, so the caller can tell whether it needs extracting.
    A sighting is recorded once per (document, parent, location), however
    often it is seen; `raw_location` keeps the exact bytes of a name that is
    not UTF-8 (`location` then shows each undecodable byte as `\\xNN`).
    """
    root_id = None
    if parent_id is not None:
        root_id = conn.execute(
            "SELECT coalesce(root_id, id) FROM documents WHERE id = ?", (parent_id,)
        ).fetchone()[0]
    cur = conn.execute(
        "INSERT INTO documents(sha256, size, name, parent_id, root_id, production_id, depth)"
        " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(sha256) DO NOTHING",
        (sha256, size, name, parent_id, root_id, production_id, depth),
    )
    is_new = cur.rowcount == 1
    row = conn.execute(
        "SELECT id, status, extractor, extractor_version FROM documents WHERE sha256 = ?",
        (sha256,),
    ).fetchone()
    conn.execute(
        "INSERT OR IGNORE INTO locations(document_id, production_id, parent_id, path, kind,"
        " raw_path) VALUES (?, ?, ?, ?, ?, ?)",
        (row["id"], production_id, parent_id, location, kind, raw_location),
    )
    return int(row["id"]), is_new, dict(row)


def get_document(conn: sqlite3.Connection, *, document_id: int) -> dict[str, Any] | None:
    """Every column of one document, or None when there is no such document."""
    row = conn.execute("SELECT * FROM documents WHERE id = ?", (document_id,)).fetchone()
    return dict(row) if row else None


def pending_documents(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Documents an interrupted run left unfinished, with the first place each was seen.

    Keys: id, sha256, name, depth, production_id, location (None if never seen).
    """
    return [
        dict(row)
        for row in conn.execute(
            "SELECT d.id, d.sha256, d.name, d.depth, d.production_id,"
            " (SELECT path FROM locations l WHERE l.document_id = d.id ORDER BY l.id LIMIT 1)"
            " AS location FROM documents d WHERE d.status = 'pending'"
        )
    ]


def assign_extractor(
    conn: sqlite3.Connection, *, document_id: int, extractor: str, version: str
) -> None:
    """Mark a document pending extraction by this extractor at this version."""
    conn.execute(
        "UPDATE documents SET status = 'pending', extractor = ?, extractor_version = ? "
        "WHERE id = ?",
        (extractor, version, document_id),
    )


def set_status(conn: sqlite3.Connection, *, document_id: int, status: str) -> None:
    """`pending`, `done` or `failed`."""
    conn.execute(
        f"UPDATE documents SET status = ?, updated_at = {NOW} WHERE id = ?",
        (status, document_id),
    )


def describe_document(
    conn: sqlite3.Connection,
    *,
    document_id: int,
    doc_type: str,
    mime: str,
    title: str | None,
    date: str | None,
    page_count: int,
    metadata: dict[str, Any],
) -> None:
    """What extraction learnt about a document as a whole."""
    conn.execute(
        "UPDATE documents SET doc_type = ?, mime = ?, title = ?, date = ?, page_count = ?,"
        f" metadata = ?, updated_at = {NOW} WHERE id = ?",
        (doc_type, mime, title, date, page_count, json.dumps(metadata, default=str), document_id),
    )


def add_warnings(conn: sqlite3.Connection, *, document_id: int, warnings: list[str]) -> None:
    """Append to the document's `metadata.warnings` (later chunks' warnings)."""
    row = conn.execute("SELECT metadata FROM documents WHERE id = ?", (document_id,)).fetchone()
    meta = json.loads(row[0] or "{}")
    meta.setdefault("warnings", []).extend(warnings)
    conn.execute(
        "UPDATE documents SET metadata = ? WHERE id = ?",
        (json.dumps(meta, default=str), document_id),
    )


def page_count(conn: sqlite3.Connection, *, document_id: int) -> int | None:
    """How many pages extraction said the document has; None before it said."""
    row = conn.execute("SELECT page_count FROM documents WHERE id = ?", (document_id,)).fetchone()
    return None if row is None or row[0] is None else int(row[0])


def document_totals(conn: sqlite3.Connection) -> dict[str, Any]:
    """Counts for `status`: documents (all, by status, by type), locations, bytes."""
    return {
        "documents": conn.execute("SELECT count(*) FROM documents").fetchone()[0],
        "documents_by_status": pairs(
            conn, "SELECT status, count(*) FROM documents GROUP BY status"
        ),
        "documents_by_type": pairs(
            conn, "SELECT doc_type, count(*) FROM documents GROUP BY doc_type"
        ),
        "locations": conn.execute("SELECT count(*) FROM locations").fetchone()[0],
        "bytes": conn.execute("SELECT coalesce(sum(size), 0) FROM documents").fetchone()[0],
    }


def production_summaries(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Each production by name: name, received, documents, pages."""
    return [
        dict(row)
        for row in conn.execute(
            "SELECT p.name, p.received, count(DISTINCT d.id) AS documents,"
            " coalesce(sum(d.page_count), 0) AS pages"
            " FROM productions p LEFT JOIN documents d ON d.production_id = p.id"
            " GROUP BY p.id ORDER BY p.name"
        )
    ]

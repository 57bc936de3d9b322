"""Error records: what could not be read or analysed, per file and stage.

Input problems are data, not crashes: each one becomes a row here, shown by
`readingroom errors`. Write functions never commit.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from readingroom.store._sql import pairs

__all__ = [
    "clear_errors",
    "clear_file_errors",
    "count_errors",
    "count_errors_by_kind",
    "list_errors",
    "record_error",
]


def record_error(
    conn: sqlite3.Connection,
    *,
    document_id: int | None,
    path: str,
    stage: str,
    kind: str,
    message: str,
) -> None:
    """One error; `document_id` is None when the file never became a document."""
    conn.execute(
        "INSERT INTO errors(document_id, path, stage, kind, message) VALUES (?, ?, ?, ?, ?)",
        (document_id, path, stage, kind, message),
    )


def clear_errors(conn: sqlite3.Connection, *, document_id: int, stage: str) -> None:
    """Forget a document's errors at a stage before that stage runs again."""
    conn.execute("DELETE FROM errors WHERE document_id = ? AND stage = ?", (document_id, stage))


def clear_file_errors(conn: sqlite3.Connection, *, path: str, stage: str) -> None:
    """Forget errors about a path that was not a document (unreadable, special file...).

    Called when the path is read again: it is either ingested now (its old
    error no longer holds) or fails again (and gets one fresh record, not a
    second one).
    """
    conn.execute(
        "DELETE FROM errors WHERE path = ? AND stage = ? AND document_id IS NULL", (path, stage)
    )


def list_errors(
    conn: sqlite3.Connection, *, kind: str | None = None, limit: int | None = None
) -> list[dict[str, Any]]:
    """Errors oldest first: id, document_id, path, stage, kind, message, created_at."""
    sql = "SELECT id, document_id, path, stage, kind, message, created_at FROM errors"
    args: list[Any] = []
    if kind:
        sql += " WHERE kind = ?"
        args.append(kind)
    sql += " ORDER BY id"
    if limit:
        sql += " LIMIT ?"
        args.append(limit)
    return [dict(row) for row in conn.execute(sql, args)]


def count_errors(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM errors").fetchone()[0])


def count_errors_by_kind(conn: sqlite3.Connection) -> dict[str, int]:
    return pairs(conn, "SELECT kind, count(*) FROM errors GROUP BY kind")

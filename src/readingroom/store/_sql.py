"""Small SQL pieces the store modules share (SQLite dialect)."""

from __future__ import annotations

import sqlite3

#: The current time as an ISO 8601 UTC string, in SQLite.
NOW = "strftime('%Y-%m-%dT%H:%M:%SZ','now')"


def pairs(conn: sqlite3.Connection, sql: str) -> dict[str, int]:
    """A `SELECT key, count(*) ... GROUP BY key` as a dict."""
    return {str(k): int(v) for k, v in conn.execute(sql).fetchall()}

"""Opening the investigation database and grouping writes into transactions."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["connect", "transaction"]


def connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    """Open the database with the settings every caller needs."""
    if readonly:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    else:
        conn = sqlite3.connect(path, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 30000")
    if not readonly:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
    return conn


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Commit the writes made inside the block together, or none of them.

    Store write functions never commit on their own: the caller decides what
    must land as one unit (a chunk's pages with its error records, a
    document's final status with its stage). Spelled as a function rather
    than `with conn:` because other engines scope transactions differently.
    """
    with conn:
        yield conn

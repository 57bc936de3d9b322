"""The investigation store: SQLite (WAL) with FTS5 in the embedded default."""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Iterable
from pathlib import Path

from readingroom.ingest.model import Word
from readingroom.store.schema import migrate

__all__ = ["connect", "decode_words", "encode_words", "migrate"]


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


def encode_words(words: Iterable[Word]) -> bytes:
    """Compact, still self-describing JSON; 0.1 pt (0.04 mm) is finer than any glyph."""
    rows = [
        [round(w.x0, 1), round(w.y0, 1), round(w.x1, 1), round(w.y1, 1), w.text, w.conf]
        for w in words
    ]
    return zlib.compress(json.dumps(rows, separators=(",", ":")).encode(), 1)


def decode_words(blob: bytes | None) -> list[Word]:
    if not blob:
        return []
    return [Word(*row) for row in json.loads(zlib.decompress(blob))]

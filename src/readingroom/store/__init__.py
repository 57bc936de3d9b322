"""The investigation store: SQLite (WAL) with FTS5, and the only code that speaks SQL.

Everything else reads and writes through the functions of this package's
modules — `documents` (productions, documents, locations, the file cache),
`pages`, `stages`, `errors` — and word boxes through `encode_words` /
`decode_words`. Each function takes the connection first and everything
else by keyword, returns plain values (ints, dicts, lists), and never commits:
callers group writes with `transaction(conn)`.

This is also the seam for a second storage engine: a PostgreSQL store will
implement these same functions with these same contracts, so keep them
narrow and engine-neutral (no `sqlite3.Row`, no SQLite-only semantics in a
function's signature or result).

`store` depends on nothing of readingroom above it (page geometry comes from
`readingroom.page`); the investigation assembles the migrations of every part.
"""

from __future__ import annotations

from readingroom.store.connection import connect, transaction
from readingroom.store.schema import migrate
from readingroom.store.words import decode_words, encode_boxes, encode_words

__all__ = [
    "connect",
    "decode_words",
    "encode_boxes",
    "encode_words",
    "migrate",
    "transaction",
]

"""Pages of documents: text, word boxes, and how each page was read.

Pages are upserted on (document, number), so storing a chunk again after an
interrupted run leaves each page exactly once; the full-text index follows
the table through triggers (see schema). Write functions never commit.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from readingroom.page import Word
from readingroom.store._sql import pairs
from readingroom.store.words import decode_words, encode_words

__all__ = ["PageRecord", "document_pages", "page_totals", "trim_pages", "upsert_pages"]


class PageRecord(Protocol):
    """What the store needs of a page; ingest's `PageContent` is one.

    `words_blob`, when set, is `words` already packed (ingest packs them in
    its workers); otherwise the store packs `words` itself.
    """

    @property
    def number(self) -> int: ...
    @property
    def text(self) -> str: ...
    @property
    def source(self) -> str: ...
    @property
    def ocr_engine(self) -> str | None: ...
    @property
    def ocr_confidence(self) -> float | None: ...
    @property
    def width(self) -> float: ...
    @property
    def height(self) -> float: ...
    @property
    def meta(self) -> dict[str, Any]: ...
    @property
    def words(self) -> Sequence[Word]: ...
    @property
    def words_blob(self) -> bytes | None: ...


def upsert_pages(conn: sqlite3.Connection, *, document_id: int, pages: Iterable[PageRecord]) -> int:
    """Store pages of a document, replacing any stored under the same numbers; return how many."""
    rows = [
        (
            document_id,
            p.number,
            p.text,
            p.source,
            p.ocr_engine,
            p.ocr_confidence,
            p.width,
            p.height,
            p.words_blob or (encode_words(p.words) if p.words else None),
            json.dumps(p.meta, default=str),
        )
        for p in pages
    ]
    conn.executemany(
        "INSERT INTO pages(document_id, number, text, source, ocr_engine, ocr_confidence,"
        " width, height, words, meta) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT(document_id, number) DO UPDATE SET text = excluded.text,"
        " source = excluded.source, ocr_engine = excluded.ocr_engine,"
        " ocr_confidence = excluded.ocr_confidence, width = excluded.width,"
        " height = excluded.height, words = excluded.words, meta = excluded.meta",
        rows,
    )
    return len(rows)


def trim_pages(conn: sqlite3.Connection, *, document_id: int, keep: int) -> None:
    """Drop pages numbered above `keep`: a newer extractor may find fewer pages."""
    conn.execute("DELETE FROM pages WHERE document_id = ? AND number > ?", (document_id, keep))


def document_pages(conn: sqlite3.Connection, *, document_id: int) -> list[dict[str, Any]]:
    """A document's pages in order, words decoded and `meta` parsed.

    Keys: id, number, text, source, ocr_engine, ocr_confidence, width, height,
    words (list of Word), bates, meta (dict).
    """
    out = []
    for row in conn.execute(
        "SELECT id, number, text, source, ocr_engine, ocr_confidence, width, height, words,"
        " bates, meta FROM pages WHERE document_id = ? ORDER BY number",
        (document_id,),
    ):
        page = dict(row)
        page["words"] = decode_words(row["words"])
        page["meta"] = json.loads(row["meta"] or "{}")
        out.append(page)
    return out


def page_totals(conn: sqlite3.Connection) -> dict[str, Any]:
    """Counts for `status`: pages, and pages by source (text, ocr, none)."""
    return {
        "pages": conn.execute("SELECT count(*) FROM pages").fetchone()[0],
        "pages_by_source": pairs(conn, "SELECT source, count(*) FROM pages GROUP BY source"),
    }

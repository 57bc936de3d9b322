"""What every analyser sees and returns.

Analysers are pure functions from one document's pages to findings, so they
run unchanged in the main process, in worker processes, or in tests on pages
built by hand. The blob path is given for PDFs: vector drawings and rendered
images come from the original, never from the database.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from readingroom.ingest.model import Word

if TYPE_CHECKING:
    import pymupdf

Box = tuple[float, float, float, float]


@dataclass
class PageIn:
    """One page as analysers see it (geometry in PDF points, top-left origin)."""

    id: int
    number: int
    text: str
    words: list[Word] = field(default_factory=list)
    width: float = 0.0
    height: float = 0.0
    source: str = "text"
    #: Results one analyser computes and another reuses (exemption labels are
    #: needed by both `exemptions` and `redactions`); per page, never stored.
    cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)


@dataclass
class DocIn:
    id: int
    name: str
    doc_type: str
    pages: list[PageIn]
    blob: Path | None = None
    production: str | None = None
    pack: dict[str, Any] = field(default_factory=dict)
    _pdf: Any = field(default=None, repr=False)

    def pdf(self) -> pymupdf.Document | None:
        """The original PDF, opened once and shared by the analysers."""
        if self.doc_type != "pdf" or self.blob is None:
            return None
        if self._pdf is None:
            import pymupdf

            self._pdf = pymupdf.open(self.blob, filetype="pdf")
        return self._pdf

    def close(self) -> None:
        if self._pdf is not None:
            self._pdf.close()
            self._pdf = None


@dataclass
class Findings:
    """Rows for the analyser's own tables plus page facets.

    `rows` maps table name to row dicts (without `id`); `facets` holds
    (page_id, facet, value). Analysers whose rows refer to each other
    implement their own `store`.
    """

    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    facets: list[tuple[int, str, str]] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def add(self, table: str, **row: Any) -> None:
        self.rows.setdefault(table, []).append(row)


class Analyser(Protocol):
    name: str
    version: str
    tables: tuple[str, ...]  # tables whose rows for a document this analyser owns

    def run(self, doc: DocIn) -> Findings: ...

    def store(self, conn: sqlite3.Connection, doc_id: int, found: Findings) -> None: ...


def insert_rows(conn: sqlite3.Connection, table: str, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    cols = list(rows[0])
    sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
    conn.executemany(sql, [tuple(r[c] for c in cols) for r in rows])


def default_store(conn: sqlite3.Connection, doc_id: int, found: Findings) -> None:
    """Insert every row list as-is; for analysers without cross-references."""
    for table, rows in found.rows.items():
        insert_rows(conn, table, rows)


def box_of(words: list[Word]) -> Box:
    return (
        min(w.x0 for w in words),
        min(w.y0 for w in words),
        max(w.x1 for w in words),
        max(w.y1 for w in words),
    )


ProgressFn = Callable[[int, int], None]

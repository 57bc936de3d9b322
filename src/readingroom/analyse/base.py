"""What every analyser sees and returns, and the contract it satisfies.

Analysers are pure functions from one document's pages to findings, so they
run unchanged in the main process, in worker processes, or in tests on pages
built by hand. The blob path is given for PDFs: vector drawings and rendered
images come from the original, never from the database.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from readingroom.doctypes import ANALYSABLE_TYPES
from readingroom.packs import load_pack
from readingroom.page import Word
from readingroom.store import findings as findings_store

if TYPE_CHECKING:
    import pymupdf


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
    #: The page's stored meta (ingest notes, e.g. `layer: invisible-over-image`).
    meta: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
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
    #: The investigation's domain pack (the runner passes `Investigation.pack`);
    #: the built-in default pack for documents built by hand.
    pack: dict[str, Any] = field(default_factory=load_pack)
    _pdf: Any = field(default=None, repr=False)
    _images: Any = field(default=None, repr=False)

    def pdf(self) -> pymupdf.Document | None:
        """The original PDF, opened once and shared by the analysers."""
        if self._pdf is not None:
            return self._pdf
        if self.doc_type != "pdf" or self.blob is None:
            return None
        if self._pdf is None:
            # As the extractor opened it: a PDF whose only encrypted part is an
            # attachment has readable pages, which a plain open refuses.
            from readingroom.ingest.formats.pdf import open_pages

            self._pdf = open_pages(self.blob)
        return self._pdf

    def pdf_page(self, number: int) -> Any:
        """Page `number` (1-based) of the original PDF, or None when it cannot be loaded.

        A page ingest could not read (a page-tree cycle, a stack overflow in
        MuPDF) is already recorded against the file as `corrupt`; analysers
        read what the other pages hold instead of failing the document.
        """
        pdf = self.pdf()
        if pdf is None:
            return None
        try:
            return pdf[number - 1] if number <= pdf.page_count else None
        except Exception:  # MuPDF raises its own FzError* types for broken page trees
            return None

    def page_image(self, number: int, dpi: float) -> Any:
        """Page `number` rendered as a PIL image, the original held open across pages.

        Analysers visit pages in order; one open original makes a long TIFF
        linear instead of quadratic (see render.PageImages).
        """
        if self.blob is None:
            raise ValueError(f"{self.name}: no original to render")
        if self._images is None:
            from readingroom.render import PageImages

            self._images = PageImages(self.blob, self.doc_type, name=self.name)
        return self._images.render(number, dpi)

    def close(self) -> None:
        if self._images is not None:
            self._images.close()
            self._images = None
        if self._pdf is not None:
            self._pdf.close()
            self._pdf = None


@dataclass
class Findings:
    """Rows for the analyser's own tables, page facets, and words to mask.

    `rows` maps table name to row dicts (without `id`); `facets` holds
    (page_id, facet, value). Analysers whose rows refer to each other
    implement their own `store`.
    """

    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    facets: list[tuple[int, str, str]] = field(default_factory=list)
    #: Page id -> the words (with their boxes) readable on the page that were
    #: meant to be hidden (text under a bad redaction). The runner masks
    #: exactly those with `readingroom.mask.mask_page` in the pages later
    #: analysers see and in the stored text and index, whichever analyser
    #: found them; the same word printed visibly elsewhere stays.
    masks: dict[int, list[Word]] = field(default_factory=dict)

    def add(self, table: str, **row: Any) -> None:
        self.rows.setdefault(table, []).append(row)


@runtime_checkable
class Analyser(Protocol):
    """One analyser: `readingroom.analyse.analysers.<module>.ANALYSER`."""

    #: Stage `analyse:<name>`, `--only <name>`, and `page_facets.source`.
    name: str
    #: A new version re-runs this analyser, and only it, on every document.
    version: str
    #: Tables whose rows for a document it owns: deleted before each re-run.
    tables: tuple[str, ...]
    #: Document types it reads (`readingroom.doctypes` names).
    doc_types: tuple[str, ...]
    #: Analysers whose results it needs (their masks, their page cache): on a
    #: document they run first.
    after: tuple[str, ...]

    def run(self, doc: DocIn) -> Findings: ...

    def store(self, conn: sqlite3.Connection, doc_id: int, found: Findings) -> None: ...

    def finish_run(self, conn: sqlite3.Connection) -> None:
        """Work across documents, once a run has analysed at least one with it.

        Most analysers have none; near-duplicate clustering compares the
        signatures of every document, so it runs here, not per document.
        """


class BaseAnalyser:
    """The usual answers to the protocol, for analysers to inherit.

    Reads every document type with analysable text, needs no other analyser,
    and stores its rows as they are (no row refers to another).
    """

    doc_types: tuple[str, ...] = ANALYSABLE_TYPES
    after: tuple[str, ...] = ()

    def store(self, conn: sqlite3.Connection, doc_id: int, found: Findings) -> None:
        default_store(conn, doc_id, found)

    def finish_run(self, conn: sqlite3.Connection) -> None:
        """No work across documents."""


def default_store(conn: sqlite3.Connection, doc_id: int, found: Findings) -> None:
    """Insert every row list as-is; for analysers without cross-references."""
    for table, rows in found.rows.items():
        findings_store.insert_rows(conn, table=table, rows=rows)

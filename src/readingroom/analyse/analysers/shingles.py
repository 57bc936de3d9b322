"""MinHash signatures of every page and document: the input of near-duplicate clustering.

Per document, because signatures are what a page says (pure, cheap, done
once per text); the clustering over all of them is a step across documents
(`readingroom.similar.clusters`), versioned and stored on its own.
"""

from __future__ import annotations

import sqlite3

from readingroom.analyse.base import BaseAnalyser, DocIn, Findings
from readingroom.similar.minhash import signature, text_hash, to_blob

MIGRATIONS = [
    (
        "shingles-0001",
        """
    CREATE TABLE page_signatures (
        id INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents(id),
        page_id INTEGER NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
        shingles INTEGER NOT NULL,     -- word 5-grams on the page
        text_hash TEXT,                -- normalised words: equal for exact text copies
        signature BLOB                 -- MinHash, 128 x uint32 little-endian; NULL: too short
    );
    CREATE INDEX page_signatures_document ON page_signatures(document_id);
    CREATE TABLE document_signatures (
        id INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents(id),
        shingles INTEGER NOT NULL,
        text_hash TEXT,
        signature BLOB
    );
    CREATE INDEX document_signatures_document ON document_signatures(document_id);
    """,
    )
]


class Shingles(BaseAnalyser):
    name = "shingles"
    version = "1"
    tables = ("page_signatures", "document_signatures")
    after = ("redactions",)  # text under a bad redaction is masked before it is hashed

    def run(self, doc: DocIn) -> Findings:
        found = Findings()
        for page in doc.pages:
            sig = signature(page.text)
            found.add(
                "page_signatures",
                document_id=doc.id,
                page_id=page.id,
                shingles=sig[1] if sig else 0,
                text_hash=text_hash(page.text) if page.text.strip() else None,
                signature=to_blob(sig[0]) if sig else None,
            )
        whole = "\n".join(p.text for p in doc.pages)
        sig = signature(whole)
        found.add(
            "document_signatures",
            document_id=doc.id,
            shingles=sig[1] if sig else 0,
            text_hash=text_hash(whole) if whole.strip() else None,
            signature=to_blob(sig[0]) if sig else None,
        )
        return found

    def finish_run(self, conn: sqlite3.Connection) -> None:
        """New signatures: cluster the near-duplicates of the whole investigation again."""
        from readingroom.similar.clusters import refresh

        refresh(conn)


ANALYSER = Shingles()

"""Tables the analysers write, as named migrations (see store.schema).

Every row carries `document_id`, so re-running one analyser on one document is
"delete that analyser's rows for the document, insert the new ones" in one
transaction. Recovered text under bad redactions is deliberately NOT stored:
only the number of words and the box; the text can be recomputed on explicit
request from the page's word boxes.

The tables below predate analysers as plugins and keep their migration
names, which existing investigations have recorded. An analyser with tables
of its own declares them in its module's `MIGRATIONS`; `MIGRATIONS` here is
these followed by those of every discovered analyser, in module-name order.
"""

from __future__ import annotations

from typing import Any

Migration = tuple[str, str]

__all__ = ["BUILT_IN", "migrations"]  # and MIGRATIONS, computed on use (below)

BUILT_IN: list[Migration] = [
    (
        "analyse-0001",
        """
    CREATE TABLE bates_stamps (
        page_id INTEGER PRIMARY KEY REFERENCES pages(id) ON DELETE CASCADE,
        document_id INTEGER NOT NULL REFERENCES documents(id),
        prefix TEXT NOT NULL,          -- as printed most often in the document
        number INTEGER NOT NULL,       -- the counter
        digits INTEGER NOT NULL,       -- zero-padded width of the counter
        raw TEXT NOT NULL,             -- the stamp as read (may carry OCR noise)
        inferred INTEGER NOT NULL DEFAULT 0,  -- 1: filled in from neighbours
        x0 REAL, y0 REAL, x1 REAL, y1 REAL
    );
    CREATE INDEX bates_stamps_document ON bates_stamps(document_id);
    CREATE INDEX bates_stamps_number ON bates_stamps(prefix, number);

    CREATE TABLE exemption_marks (
        id INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents(id),
        page_id INTEGER NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
        code TEXT NOT NULL,            -- canonical: b5, b6, b7C ...
        raw TEXT NOT NULL,             -- as printed / OCR'd
        kind TEXT NOT NULL,            -- mark | withheld | cited
        label INTEGER NOT NULL,        -- marks printed together share a label number
        x0 REAL, y0 REAL, x1 REAL, y1 REAL
    );
    CREATE INDEX exemption_marks_document ON exemption_marks(document_id);
    CREATE INDEX exemption_marks_code ON exemption_marks(code);

    CREATE TABLE withheld_pages (
        page_id INTEGER PRIMARY KEY REFERENCES pages(id) ON DELETE CASCADE,
        document_id INTEGER NOT NULL REFERENCES documents(id),
        reason TEXT NOT NULL,          -- withheld | duplicate | non-responsive | referred
        codes TEXT NOT NULL DEFAULT '' -- ';'-joined canonical codes
    );
    CREATE INDEX withheld_pages_document ON withheld_pages(document_id);

    CREATE TABLE document_offices (
        document_id INTEGER PRIMARY KEY REFERENCES documents(id),
        office TEXT NOT NULL,          -- pack code, e.g. NYC; HQ for headquarters
        score REAL NOT NULL,
        evidence TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX document_offices_office ON document_offices(office);

    CREATE TABLE redaction_boxes (
        id INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents(id),
        page_id INTEGER NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
        x0 REAL NOT NULL, y0 REAL NOT NULL, x1 REAL NOT NULL, y1 REAL NOT NULL,
        area REAL NOT NULL,            -- square points
        kind TEXT NOT NULL,            -- vector | annotation | image | scan
        region INTEGER NOT NULL,       -- boxes of one multi-line redaction share it
        label TEXT,                    -- ';'-joined codes of the stamp tied to it
        covered_words INTEGER NOT NULL DEFAULT 0,  -- text-layer words still under it
        bad INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX redaction_boxes_document ON redaction_boxes(document_id);
    CREATE INDEX redaction_boxes_page ON redaction_boxes(page_id);

    -- Exemption stamps as placed on the page, and the box each labels (NULL:
    -- a stamp with no box, itself a ground for appeal).
    CREATE TABLE redaction_labels (
        id INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents(id),
        page_id INTEGER NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
        codes TEXT NOT NULL,
        x0 REAL, y0 REAL, x1 REAL, y1 REAL,
        box_id INTEGER REFERENCES redaction_boxes(id) ON DELETE SET NULL
    );
    CREATE INDEX redaction_labels_document ON redaction_labels(document_id);

    CREATE TABLE email_messages (
        id INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents(id),
        page_id INTEGER NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
        page_end INTEGER NOT NULL,     -- page number where the message ends
        seq INTEGER NOT NULL,          -- order within the document (0 = top)
        sender TEXT,                   -- name/address, or the redaction label
        sent TEXT,                     -- ISO 8601 (minutes), NULL if unreadable
        sent_raw TEXT,
        recipients TEXT,               -- To:, as printed
        cc TEXT,
        subject TEXT,
        thread_key TEXT NOT NULL,      -- normalised subject: messages of a thread share it
        quoted INTEGER NOT NULL DEFAULT 0,  -- 1: an earlier message quoted in a reply
        office TEXT,
        body TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX email_messages_document ON email_messages(document_id);
    CREATE INDEX email_messages_thread ON email_messages(thread_key);
    CREATE INDEX email_messages_sent ON email_messages(sent);
    """,
    ),
    (
        "analyse-0002",
        """
    -- printed: parsed from a printout (PDF, scan); native: an .eml/.mbox/.msg document.
    ALTER TABLE email_messages ADD COLUMN origin TEXT NOT NULL DEFAULT 'printed';
    """,
    ),
    (
        "analyse-0003",
        """
    -- text: read from the page's text; raster: found only in the page image (a
    -- label the agency's invisible OCR layer missed, read by our own OCR).
    ALTER TABLE exemption_marks ADD COLUMN source TEXT NOT NULL DEFAULT 'text';
    """,
    ),
]


def migrations() -> list[Migration]:
    """The analysers' migrations: the built-in ones, then each analyser module's own."""
    from readingroom.analyse.registry import analyser_modules

    own = [m for module in analyser_modules() for m in getattr(module, "MIGRATIONS", ())]
    return [*BUILT_IN, *own]


def __getattr__(name: str) -> Any:
    # Computed when the store's migration loader asks, not at import: reading
    # this module must not import every analyser.
    if name == "MIGRATIONS":
        return migrations()
    raise AttributeError(name)

"""Watchlist mentions: field offices, units, operations and systems, with page and span.

OCR'd pages are read like any other: their stored text is searched the same
way. Operations and systems become the `operation:` and `system:` facets.
"""

from __future__ import annotations

from readingroom.analyse.base import BaseAnalyser, DocIn, Findings
from readingroom.evidence.watchlists import find_mentions, operation_names, watchlist

MIGRATIONS = [
    (
        "mentions-0001",
        """
    CREATE TABLE mentions (
        id INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents(id),
        page_id INTEGER NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,            -- office | unit | operation | system
        entry TEXT NOT NULL,           -- the watchlist entry's name
        start INTEGER NOT NULL,        -- character span in the page text
        end INTEGER NOT NULL,
        text TEXT NOT NULL             -- as written on the page
    );
    CREATE INDEX mentions_document ON mentions(document_id);
    CREATE INDEX mentions_entry ON mentions(kind, entry);
    """,
    )
]

FACETS = {"operation": "operation", "system": "system"}


class Mentions(BaseAnalyser):
    name = "mentions"
    version = "2"
    tables = ("mentions",)

    def run(self, doc: DocIn) -> Findings:
        wl = watchlist(doc.pack)
        found = Findings()
        known = operation_names([p.text for p in doc.pages], wl)
        for page in doc.pages:
            seen: set[tuple[str, str]] = set()
            for m in find_mentions(page.text, wl, known):
                found.add(
                    "mentions", document_id=doc.id, page_id=page.id, kind=m.kind,
                    entry=m.entry, start=m.start, end=m.end, text=m.text,
                )  # fmt: skip
                if m.kind in FACETS and (m.kind, m.entry) not in seen:
                    seen.add((m.kind, m.entry))
                    found.facets.append((page.id, FACETS[m.kind], m.entry))
        return found


ANALYSER = Mentions()

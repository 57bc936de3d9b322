"""Private people's identifiers on each page: where they are, never what they are.

Runs the detectors of `readingroom.publish.detect` over the page's words
(text layer or OCR) joined with known offsets, so every hit has a box as
well as a span. Rows hold kind, page, span, box, confidence and the rule
that fired; the identifier itself stays only where it already was, in the
page text, and the `pii` facet holds the kind alone, so neither the index
nor a facet list can repeat a person's number.
"""

from __future__ import annotations

from readingroom.analyse.base import BaseAnalyser, DocIn, Findings
from readingroom.analyse.textmap import join_words
from readingroom.page import box_of
from readingroom.publish.detect import detect

MIGRATIONS = [
    (
        "identifiers-0001",
        """
    CREATE TABLE identifier_hits (
        id INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents(id),
        page_id INTEGER NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,            -- a_number | ssn | dob | phone | email | address | ...
        span_source TEXT NOT NULL,     -- words (the page's words joined) | text (pages.text)
        start INTEGER NOT NULL,        -- character span in that text
        end INTEGER NOT NULL,
        x0 REAL, y0 REAL, x1 REAL, y1 REAL,   -- points; NULL when the page has no word boxes
        confidence REAL NOT NULL,
        rule TEXT NOT NULL
    );
    CREATE INDEX identifier_hits_document ON identifier_hits(document_id);
    """,
    )
]


class Identifiers(BaseAnalyser):
    name = "identifiers"
    version = "1"
    tables = ("identifier_hits",)
    #: Words under a bad redaction are masked first: they are the redactions analyser's.
    after = ("redactions",)

    def run(self, doc: DocIn) -> Findings:
        out = Findings()
        for page in doc.pages:
            wt = join_words(page.words) if page.words else None
            text = wt.text if wt is not None else page.text
            kinds: set[str] = set()
            for hit in detect(text):
                box = None
                if wt is not None:
                    words = wt.words_between(hit.start, hit.end)
                    box = box_of(words) if words else None
                x0, y0, x1, y1 = (round(v, 2) for v in box) if box else (None,) * 4
                out.add(
                    "identifier_hits",
                    document_id=doc.id,
                    page_id=page.id,
                    kind=hit.kind,
                    span_source="words" if wt is not None else "text",
                    start=hit.start,
                    end=hit.end,
                    x0=x0,
                    y0=y0,
                    x1=x1,
                    y1=y1,
                    confidence=hit.confidence,
                    rule=hit.rule,
                )
                kinds.add(hit.kind)
            out.facets.extend((page.id, "pii", k) for k in sorted(kinds))
        return out


ANALYSER = Identifiers()

"""Record dates: the date the record itself prints, beside the file's own dates.

A PDF's creation date is usually the agency's processing day, not the
record's; chronology, the date facet and sort need the memo's `DATE:`, the
letter's date line, the e-mail's sent date or the spreadsheet's report date.
Each is stored with where it came from, in ISO 8601 (time and zone where
printed), in `document_dates` beside the file's creation and modification
dates (`kind` = record | file-created | file-modified). No date is guessed:
a date line that does not parse cleanly gives no record date.
"""

from __future__ import annotations

import re

from readingroom.analyse.analysers.printed_email import normalise_date, parse
from readingroom.analyse.base import BaseAnalyser, DocIn, Findings

MIGRATIONS = [
    (
        "analyse-dates-0001",
        """
    CREATE TABLE document_dates (
        id INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents(id),
        page_id INTEGER REFERENCES pages(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,      -- record | file-created | file-modified
        value TEXT NOT NULL,     -- ISO 8601
        source TEXT NOT NULL,    -- memo-date, letter-date, email-sent, report-date, pdf-metadata
        raw TEXT
    );
    CREATE INDEX document_dates_document ON document_dates(document_id, kind);
    """,
    )
]

#: Lines of a document's first page searched for its date.
HEAD_LINES = 25
_MEMO_DATE = re.compile(r"^\s*DATE\s*[:;]\s*(?P<v>.+?)\s*$", re.IGNORECASE)
_REPORT_DATE = re.compile(
    r"(?:report(?:ing)?\s+date|as\s+of|data\s+(?:as\s+of|through)|run\s+date)\s*[:;]?\s*(?P<v>"
    r"[A-Za-z]{3,9}\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2})",
    re.IGNORECASE,
)
_LETTER_DATE = re.compile(
    r"^\s*(?P<v>(?:January|February|March|April|May|June|July|August|September|October"
    r"|November|December)\s+\d{1,2},\s*\d{4})\s*$"
)
_PDF_DATE = re.compile(r"D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?")


def pdf_date(raw: str | None) -> str | None:
    """`D:20190614093000-04'00'` → `2019-06-14T09:30`; None when unreadable."""
    m = _PDF_DATE.match(raw or "")
    if not m or not m[2] or not m[3]:
        return None
    iso = f"{m[1]}-{m[2]}-{m[3]}"
    return iso + (f"T{m[4]}:{m[5]}" if m[4] and m[5] else "")


def record_date(doc: DocIn) -> tuple[str, str, str, int] | None:
    """(iso, source, raw, page number) of the record's own date, or None."""
    if not doc.pages:
        return None
    # A printout may open with the printing account's name above "From:" (Outlook).
    first = [ln.strip().lower() for ln in doc.pages[0].text.lstrip().splitlines()[:3]]
    if doc.doc_type == "email" or any(ln.startswith("from") for ln in first):
        msgs = parse(doc)
        if msgs and (iso := normalise_date(msgs[0].fields.get("sent"))):
            return iso, "email-sent", msgs[0].fields["sent"], msgs[0].page
    head = doc.pages[0].text.splitlines()[:HEAD_LINES]
    for line in head:
        if (m := _MEMO_DATE.match(line)) and (iso := normalise_date(m["v"])):
            return iso, "memo-date", m["v"], doc.pages[0].number
    if doc.doc_type in ("spreadsheet", "csv"):
        for line in head[:8]:
            if (m := _REPORT_DATE.search(line)) and (iso := normalise_date(m["v"])):
                return iso, "report-date", m["v"], doc.pages[0].number
        return None
    for line in head:
        if (m := _LETTER_DATE.match(line)) and (iso := normalise_date(m["v"])):
            return iso, "letter-date", m["v"], doc.pages[0].number
    return None


class Dates(BaseAnalyser):
    name = "dates"
    version = "2"
    tables = ("document_dates",)
    #: Reads pages after bad redactions are masked, like every text reader.
    after = ("redactions",)

    def run(self, doc: DocIn) -> Findings:
        out = Findings()
        page_ids = {p.number: p.id for p in doc.pages}
        found = record_date(doc)
        if found:
            iso, source, raw, page = found
            out.add(
                "document_dates",
                document_id=doc.id,
                page_id=page_ids.get(page),
                kind="record",
                value=iso,
                source=source,
                raw=raw,
            )
            for p in doc.pages:
                out.facets.append((p.id, "record_date", iso[:10]))
        pdf = doc.pdf()
        if pdf is not None:
            meta = pdf.metadata or {}
            for kind, key in (("file-created", "creationDate"), ("file-modified", "modDate")):
                if file_iso := pdf_date(meta.get(key)):
                    out.add(
                        "document_dates",
                        document_id=doc.id,
                        page_id=None,
                        kind=kind,
                        value=file_iso,
                        source="pdf-metadata",
                        raw=meta.get(key),
                    )
        return out


ANALYSER = Dates()

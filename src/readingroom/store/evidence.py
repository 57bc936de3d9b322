"""Tags, notes, findings and citations: the store side of `readingroom.evidence`.

Same contract as the rest of the store: the connection first, everything else
by keyword, plain dicts out, and writes never commit (callers use
`store.transaction`). Rows are keyed by the document's SHA-256, so they
survive a re-ingest; functions take and return `document_id` too, resolved
through the hash, for callers that think in the investigation's rows.
"""

from __future__ import annotations

import json
import sqlite3
import unicodedata
from typing import Any

from readingroom.errors import BadArguments, NotFound
from readingroom.store._sql import NOW
from readingroom.store.reading import KEY_CHARS, document_key

__all__ = [
    "FINDING_STATUSES",
    "add_citation",
    "add_finding",
    "add_note",
    "add_tag",
    "citations_of",
    "clean_tag",
    "delete_finding",
    "documents_with_tag",
    "finding",
    "findings",
    "notes_of",
    "remove_tag",
    "set_citation_state",
    "set_finding_status",
    "tag_counts",
    "tagged_documents",
    "tags_of",
]

FINDING_STATUSES = ("draft", "checked", "published")


def _sha(conn: sqlite3.Connection, document_id: int) -> str:
    row = conn.execute("SELECT sha256 FROM documents WHERE id = ?", (document_id,)).fetchone()
    if row is None:
        raise NotFound(f"No document {document_id}")
    return str(row[0])


# -- tags -----------------------------------------------------------------------


def clean_tag(tag: str) -> str:
    """A tag as stored: whitespace runs folded to one space, ends trimmed.

    Control characters and lone surrogates are refused (BadArguments): no one
    types them, and a lone surrogate cannot even be written to SQLite.
    """
    text = " ".join(tag.split())
    for ch in text:
        if unicodedata.category(ch) in ("Cc", "Cs"):
            raise BadArguments(f"a tag cannot hold the control character U+{ord(ch):04X}")
    return text


#: The longest tag, in characters once whitespace is folded.
TAG_MAX = 80


def valid_tag(tag: str) -> str:
    """A tag as stored, or BadArguments saying what is wrong with it (empty, too long)."""
    text = clean_tag(tag)
    if not text:
        raise BadArguments("type a tag: it is empty")
    if len(text) > TAG_MAX:
        raise BadArguments(f"a tag is 1 to {TAG_MAX} characters; this one has {len(text)}")
    return text


def add_tag(
    conn: sqlite3.Connection,
    *,
    document_id: int,
    page: int | None = None,
    tag: str,
    by: str | None = None,
) -> bool:
    """Tag a document (or one of its pages); False when it already had the tag."""
    tag = valid_tag(tag)
    cur = conn.execute(
        "INSERT OR IGNORE INTO evidence_tags (sha256, page, tag, created_by) VALUES (?, ?, ?, ?)",
        (_sha(conn, document_id), page, tag, by),
    )
    return cur.rowcount > 0


def remove_tag(
    conn: sqlite3.Connection, *, document_id: int, page: int | None = None, tag: str
) -> bool:
    """Remove a tag from a document (or page); False when it was not there."""
    cur = conn.execute(
        "DELETE FROM evidence_tags WHERE sha256 = ? AND coalesce(page, 0) = ? AND tag = ?",
        (_sha(conn, document_id), page or 0, clean_tag(tag)),
    )
    return cur.rowcount > 0


def tags_of(conn: sqlite3.Connection, *, document_id: int) -> list[dict[str, Any]]:
    """A document's tags (page None: the whole document), oldest first."""
    return [
        {"document_id": document_id, **dict(r)}
        for r in conn.execute(
            "SELECT tag, page, created_by AS by, created_at FROM evidence_tags"
            " WHERE sha256 = ? ORDER BY id",
            (_sha(conn, document_id),),
        )
    ]


def documents_with_tag(conn: sqlite3.Connection, *, tag: str) -> list[dict[str, Any]]:
    """Documents in this investigation carrying `tag` (on the document or any page)."""
    return [
        dict(r)
        for r in conn.execute(
            f"SELECT d.id AS document_id, d.sha256, substr(d.sha256, 1, {KEY_CHARS}) AS key,"
            " d.name, d.title, group_concat(t.page) AS pages FROM evidence_tags t"
            " JOIN documents d ON d.sha256 = t.sha256 WHERE t.tag = ?"
            " GROUP BY d.id ORDER BY d.name, d.id",
            (clean_tag(tag),),
        )
    ]


def tagged_documents(conn: sqlite3.Connection, *, tag: str) -> list[dict[str, Any]]:
    """Documents carrying `tag`, each saying where: `whole` (the document) and `pages`.

    For the browser's tag page; `documents_with_tag` keeps the CLI's shape.
    """
    rows = conn.execute(
        f"SELECT d.id AS document_id, substr(d.sha256, 1, {KEY_CHARS}) AS key, d.name, d.title,"
        " d.doc_type, d.date, d.page_count, max(t.page IS NULL) AS whole,"
        " group_concat(t.page) AS pages FROM evidence_tags t"
        " JOIN documents d ON d.sha256 = t.sha256 WHERE t.tag = ?"
        " GROUP BY d.id ORDER BY coalesce(d.title, d.name) COLLATE NOCASE, d.id",
        (clean_tag(tag),),
    )
    return [
        {
            **dict(r),
            "whole": bool(r["whole"]),
            "pages": sorted(int(p) for p in r["pages"].split(",")) if r["pages"] else [],
        }
        for r in rows
    ]


def tag_counts(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every tag with how many documents carry it."""
    return [
        dict(r)
        for r in conn.execute(
            "SELECT tag, count(DISTINCT sha256) AS documents, count(*) AS uses"
            " FROM evidence_tags GROUP BY tag ORDER BY tag COLLATE NOCASE"
        )
    ]


# -- notes ----------------------------------------------------------------------


def add_note(
    conn: sqlite3.Connection,
    *,
    document_id: int,
    page: int | None = None,
    body: str,
    by: str | None = None,
) -> int:
    body = body.strip()
    if not body:
        raise BadArguments("a note needs some text")
    cur = conn.execute(
        "INSERT INTO evidence_notes (sha256, page, body, created_by) VALUES (?, ?, ?, ?)",
        (_sha(conn, document_id), page, body[:20000], by),
    )
    return int(cur.lastrowid or 0)


def notes_of(conn: sqlite3.Connection, *, document_id: int) -> list[dict[str, Any]]:
    return [
        {"document_id": document_id, **dict(r)}
        for r in conn.execute(
            "SELECT id, page, body, created_by AS by, created_at FROM evidence_notes"
            " WHERE sha256 = ? ORDER BY coalesce(page, 0), id",
            (_sha(conn, document_id),),
        )
    ]


# -- findings and citations -----------------------------------------------------


def add_finding(
    conn: sqlite3.Connection, *, claim: str, status: str = "draft", by: str | None = None
) -> int:
    claim = " ".join(claim.split())
    if not claim:
        raise BadArguments("a finding needs a claim")
    if status not in FINDING_STATUSES:
        raise BadArguments(f"status {status!r}: one of {', '.join(FINDING_STATUSES)}")
    cur = conn.execute(
        "INSERT INTO evidence_findings (claim, status, created_by) VALUES (?, ?, ?)",
        (claim[:2000], status, by),
    )
    return int(cur.lastrowid or 0)


def set_finding_status(conn: sqlite3.Connection, *, finding_id: int, status: str) -> None:
    if status not in FINDING_STATUSES:
        raise BadArguments(f"status {status!r}: one of {', '.join(FINDING_STATUSES)}")
    cur = conn.execute(
        f"UPDATE evidence_findings SET status = ?, updated_at = {NOW} WHERE id = ?",
        (status, finding_id),
    )
    if cur.rowcount == 0:
        raise NotFound(f"No finding {finding_id}")


def delete_finding(conn: sqlite3.Connection, *, finding_id: int) -> None:
    conn.execute("DELETE FROM evidence_citations WHERE finding_id = ?", (finding_id,))
    if conn.execute("DELETE FROM evidence_findings WHERE id = ?", (finding_id,)).rowcount == 0:
        raise NotFound(f"No finding {finding_id}")


def add_citation(
    conn: sqlite3.Connection,
    *,
    finding_id: int,
    document_id: int,
    page: int,
    bates: str | None,
    exact: str,
    prefix: str,
    suffix: str,
    start: int,
    end: int,
    boxes: list[list[float]],
    by: str | None = None,
) -> int:
    if (
        conn.execute("SELECT 1 FROM evidence_findings WHERE id = ?", (finding_id,)).fetchone()
        is None
    ):
        raise NotFound(f"No finding {finding_id}")
    cur = conn.execute(
        "INSERT INTO evidence_citations (finding_id, sha256, page, bates, exact, prefix, suffix,"
        f" start, end, boxes, created_by, checked_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,{NOW})",
        (
            finding_id,
            _sha(conn, document_id),
            page,
            bates,
            exact,
            prefix,
            suffix,
            start,
            end,
            json.dumps(boxes),
            by,
        ),
    )
    return int(cur.lastrowid or 0)


def set_citation_state(
    conn: sqlite3.Connection,
    *,
    citation_id: int,
    state: str,
    start: int | None = None,
    end: int | None = None,
    exact: str | None = None,
    boxes: list[list[float]] | None = None,
    found: str | None = None,
    score: float | None = None,
) -> None:
    """Record a re-check: `ok`, `moved` (same words, new span), `changed` or `lost`."""
    sets = [f"state = ?, checked_at = {NOW}, found = ?, score = ?"]
    params: list[object] = [state, found, score]
    for col, val in (("start", start), ("end", end), ("exact", exact)):
        if val is not None:
            sets.append(f"{col} = ?")
            params.append(val)
    if boxes is not None:
        sets.append("boxes = ?")
        params.append(json.dumps(boxes))
    conn.execute(
        f"UPDATE evidence_citations SET {', '.join(sets)} WHERE id = ?", [*params, citation_id]
    )


def _citation(row: sqlite3.Row) -> dict[str, Any]:
    out = dict(row)
    out["boxes"] = json.loads(out.get("boxes") or "[]")
    out["key"] = document_key(str(out["sha256"]))
    return out


def citations_of(conn: sqlite3.Connection, *, finding_id: int) -> list[dict[str, Any]]:
    """A finding's citations with the document they cite (None when it is not here)."""
    return [
        _citation(r)
        for r in conn.execute(
            "SELECT c.*, d.id AS document_id, d.name AS document, d.title AS title"
            " FROM evidence_citations c LEFT JOIN documents d ON d.sha256 = c.sha256"
            " WHERE c.finding_id = ? ORDER BY c.id",
            (finding_id,),
        )
    ]


def finding(conn: sqlite3.Connection, *, finding_id: int) -> dict[str, Any] | None:
    row = conn.execute("SELECT * FROM evidence_findings WHERE id = ?", (finding_id,)).fetchone()
    if row is None:
        return None
    return {**dict(row), "citations": citations_of(conn, finding_id=finding_id)}


def findings(conn: sqlite3.Connection, *, status: str | None = None) -> list[dict[str, Any]]:
    """Every finding (or those with `status`), oldest first, each with its citations."""
    rows = conn.execute(
        "SELECT * FROM evidence_findings WHERE ? IS NULL OR status = ? ORDER BY id",
        (status, status),
    ).fetchall()
    return [{**dict(r), "citations": citations_of(conn, finding_id=int(r["id"]))} for r in rows]


# -- what the analysers found, for reports, exports and evaluation ----------------


def mention_sets(conn: sqlite3.Connection) -> dict[str, set[tuple[str, str]]]:
    """Document file name → the (kind, entry) pairs mentioned in it."""
    out: dict[str, set[tuple[str, str]]] = {}
    for r in conn.execute(
        "SELECT DISTINCT d.name, m.kind, m.entry FROM mentions m"
        " JOIN documents d ON d.id = m.document_id"
    ):
        out.setdefault(str(r[0]), set()).add((str(r[1]), str(r[2])))
    return out


def mention_counts(conn: sqlite3.Connection, *, kind: str | None = None) -> list[dict[str, Any]]:
    """Per watchlist entry: mentions, pages and documents."""
    return [
        dict(r)
        for r in conn.execute(
            "SELECT kind, entry, count(*) AS mentions, count(DISTINCT page_id) AS pages,"
            " count(DISTINCT document_id) AS documents FROM mentions"
            " WHERE ? IS NULL OR kind = ? GROUP BY kind, entry ORDER BY kind, mentions DESC, entry",
            (kind, kind),
        )
    ]


_RECORD_DATE = (
    "coalesce((SELECT min(dd.value) FROM document_dates dd WHERE dd.document_id = d.id"
    " AND dd.kind = 'record'), d.date)"
)


def mentions_of(conn: sqlite3.Connection, *, kind: str, entry: str) -> list[dict[str, Any]]:
    """Where an entry is mentioned: each page, with the document's record date, oldest first."""
    return [
        dict(r)
        for r in conn.execute(
            f"SELECT d.id AS document_id, substr(d.sha256, 1, {KEY_CHARS}) AS key, d.name,"
            f" d.title, p.number AS page, p.bates, p.source, count(*) AS mentions,"
            f" {_RECORD_DATE} AS date, min(m.start) AS start, max(m.end) AS end,"
            " substr(p.text, max(1, min(m.start) - 80), 260) AS context"
            " FROM mentions m JOIN pages p ON p.id = m.page_id"
            " JOIN documents d ON d.id = m.document_id"
            " WHERE m.kind = ? AND m.entry = ? GROUP BY m.page_id"
            " ORDER BY date IS NULL, date, d.name, p.number LIMIT 2000",
            (kind, entry),
        )
    ]


def mentions_by_month(conn: sqlite3.Connection, *, kind: str) -> list[dict[str, Any]]:
    """Documents mentioning each entry of `kind`, per month of their record date."""
    return [
        dict(r)
        for r in conn.execute(
            f"SELECT m.entry, substr({_RECORD_DATE}, 1, 7) AS month,"
            " count(DISTINCT m.document_id) AS documents FROM mentions m"
            " JOIN documents d ON d.id = m.document_id WHERE m.kind = ?"
            " GROUP BY 1, 2 HAVING month IS NOT NULL ORDER BY 2, 1",
            (kind,),
        )
    ]


def figure_rows(conn: sqlite3.Connection, *, limit: int = 5000) -> list[dict[str, Any]]:
    """Figures found in the text, with where each was printed."""
    return [
        dict(r)
        for r in conn.execute(
            f"SELECT f.id, f.value, f.high, f.unit, f.per, f.goal, f.office, f.operation,"
            f" f.sentence, f.start, f.end, d.id AS document_id, d.name AS document,"
            f" substr(d.sha256, 1, {KEY_CHARS}) AS key, p.number AS page, p.bates"
            " FROM figures f JOIN documents d ON d.id = f.document_id"
            " JOIN pages p ON p.id = f.page_id ORDER BY d.name, p.number, f.start LIMIT ?",
            (limit,),
        )
    ]


def table_total_rows(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Per-office sums of tables' numeric columns, per document."""
    return [
        dict(r)
        for r in conn.execute(
            f"SELECT t.office, t.measure, t.total, t.rows, d.id AS document_id,"
            f" d.name AS document, substr(d.sha256, 1, {KEY_CHARS}) AS key, p.number AS page"
            " FROM table_totals t JOIN documents d ON d.id = t.document_id"
            " JOIN pages p ON p.id = t.page_id ORDER BY d.name, t.office, t.measure"
        )
    ]


def messages_by_week(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Printed and native e-mail messages per ISO week of their sent date."""
    return [
        dict(r)
        for r in conn.execute(
            "SELECT strftime('%Y-W%W', substr(sent, 1, 10)) AS week, count(*) AS messages"
            " FROM email_messages WHERE sent IS NOT NULL AND quoted = 0 GROUP BY 1"
            " HAVING week IS NOT NULL ORDER BY 1"
        )
    ]


def timeline(conn: sqlite3.Connection, *, limit: int = 2000) -> list[dict[str, Any]]:
    """Record dates (document dates, e-mail sent dates) with the page behind each."""
    return [
        dict(r)
        for r in conn.execute(
            f"SELECT dd.value AS date, dd.kind, dd.source, d.id AS document_id, d.name, d.title,"
            f" substr(d.sha256, 1, {KEY_CHARS}) AS key, d.doc_type,"
            " coalesce((SELECT p.number FROM pages p WHERE p.id = dd.page_id),"
            " (SELECT min(p.number) FROM pages p WHERE p.document_id = d.id)) AS page"
            " FROM document_dates dd JOIN documents d ON d.id = dd.document_id"
            " WHERE dd.kind = 'record' ORDER BY dd.value, d.name LIMIT ?",
            (limit,),
        )
    ]


def ocr_pages(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Pages whose text came from OCR, with their words (for re-anchoring checks)."""
    from readingroom.store.words import decode_words

    return [
        {**dict(r), "words": decode_words(r["words"])}
        for r in conn.execute(
            "SELECT p.document_id, d.name, p.number, p.text, p.words, p.width, p.height"
            " FROM pages p JOIN documents d ON d.id = p.document_id WHERE p.source = 'ocr'"
            " ORDER BY d.name, p.number"
        )
    ]


def masked_page_boxes(
    conn: sqlite3.Connection, *, document_id: int, page: int
) -> list[tuple[float, float, float, float]]:
    """Boxes to paint over in a page image: bad redactions (text still under them)."""
    return [
        (float(r[0]), float(r[1]), float(r[2]), float(r[3]))
        for r in conn.execute(
            "SELECT b.x0, b.y0, b.x1, b.y1 FROM redaction_boxes b JOIN pages p ON p.id = b.page_id"
            " WHERE b.document_id = ? AND p.number = ? AND b.bad = 1",
            (document_id, page),
        )
    ]

"""Requests, campaigns, events, linked productions, letters, coverage and FOIA logs.

Keyword-argument functions, connection first, plain dicts out, no commits
(callers group writes with `transaction`). Computed facts (status, due dates,
lateness) live in `readingroom.requests`, not here.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = [
    "add_coverage",
    "add_event",
    "add_expected",
    "add_letter",
    "add_log_entries",
    "add_request",
    "confirm_letter",
    "coverage_rows",
    "delete_event",
    "ensure_campaign",
    "events_for",
    "expected_records",
    "find_request",
    "letters_for",
    "link_production",
    "linked_productions",
    "list_campaigns",
    "list_requests",
    "log_count",
    "production_by_name",
    "production_exemption_pages",
    "production_pages",
    "production_withheld",
    "requests_for_production",
    "set_coverage_state",
    "similar_log_entries",
    "update_request",
]

_REQUEST_COLS = (
    "r.id, r.tracking, r.agency, r.office, r.subject, r.text, r.requester, r.filed, r.received,"
    " r.referred_from, r.notes, c.name AS campaign"
)
_REQUEST_FROM = " FROM requests r LEFT JOIN campaigns c ON c.id = r.campaign_id"


def ensure_campaign(conn: sqlite3.Connection, *, name: str, subject: str | None = None) -> int:
    """The id of campaign `name`, created if new."""
    conn.execute(
        "INSERT INTO campaigns(name, subject) VALUES (?, ?) ON CONFLICT(name) DO UPDATE"
        " SET subject = coalesce(campaigns.subject, excluded.subject)",
        (name, subject),
    )
    return int(conn.execute("SELECT id FROM campaigns WHERE name = ?", (name,)).fetchone()[0])


def list_campaigns(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    return [
        dict(r)
        for r in conn.execute(
            "SELECT c.id, c.name, c.subject, count(r.id) AS requests FROM campaigns c"
            " LEFT JOIN requests r ON r.campaign_id = c.id GROUP BY c.id ORDER BY c.name"
        )
    ]


def add_request(conn: sqlite3.Connection, *, request: Mapping[str, Any]) -> int:
    """Insert a request (keys: tracking, agency, filed, and optionally office, subject,
    text, requester, received, campaign_id, referred_from, notes); return its id."""
    cols = [
        k
        for k in (
            "tracking",
            "agency",
            "office",
            "subject",
            "text",
            "requester",
            "filed",
            "received",
            "campaign_id",
            "referred_from",
            "notes",
        )
        if request.get(k) is not None
    ]
    cur = conn.execute(
        f"INSERT INTO requests ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
        [request[k] for k in cols],
    )
    return int(cur.lastrowid or 0)


def update_request(conn: sqlite3.Connection, *, request_id: int, fields: Mapping[str, Any]) -> None:
    """Set the given columns (from the same set `add_request` takes) of one request."""
    allowed = {
        "agency",
        "office",
        "subject",
        "text",
        "requester",
        "filed",
        "received",
        "campaign_id",
        "notes",
    }
    bad = set(fields) - allowed
    if bad:
        raise ValueError(f"not request fields: {sorted(bad)}")
    if fields:
        conn.execute(
            f"UPDATE requests SET {', '.join(f'{k} = ?' for k in fields)} WHERE id = ?",
            [*fields.values(), request_id],
        )


def find_request(conn: sqlite3.Connection, *, tracking: str) -> dict[str, Any] | None:
    """The request with this tracking number (exact, then case-insensitive), or None."""
    for where in ("r.tracking = ?", "lower(r.tracking) = lower(?)"):
        row = conn.execute(f"SELECT {_REQUEST_COLS}{_REQUEST_FROM} WHERE {where}", (tracking,))
        found = row.fetchone()
        if found:
            return dict(found)
    return None


def list_requests(
    conn: sqlite3.Connection, *, campaign: str | None = None, agency: str | None = None
) -> list[dict[str, Any]]:
    """Every request (of one campaign or agency), oldest filed first."""
    return [
        dict(r)
        for r in conn.execute(
            f"SELECT {_REQUEST_COLS}{_REQUEST_FROM}"
            " WHERE (? IS NULL OR c.name = ?) AND (? IS NULL OR upper(r.agency) = upper(?))"
            " ORDER BY r.filed, r.tracking",
            (campaign, campaign, agency, agency),
        )
    ]


def add_event(conn: sqlite3.Connection, *, request_id: int, event: Mapping[str, Any]) -> int:
    """Record one event (kind, date, and optionally resolution, due, note)."""
    cur = conn.execute(
        "INSERT INTO request_events(request_id, kind, date, resolution, due, note)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (
            request_id,
            event["kind"],
            event["date"],
            event.get("resolution"),
            event.get("due"),
            event.get("note"),
        ),
    )
    return int(cur.lastrowid or 0)


def delete_event(conn: sqlite3.Connection, *, event_id: int) -> None:
    conn.execute("DELETE FROM request_events WHERE id = ?", (event_id,))


def events_for(
    conn: sqlite3.Connection, *, request_ids: Iterable[int] | None = None
) -> dict[int, list[dict[str, Any]]]:
    """Request id → its events in date order (every request's when `request_ids` is None)."""
    ids = None if request_ids is None else list(request_ids)
    rows = conn.execute(
        "SELECT id, request_id, kind, date, resolution, due, note FROM request_events"
        " ORDER BY date, id"
    )
    out: dict[int, list[dict[str, Any]]] = {i: [] for i in ids or ()}
    wanted = None if ids is None else set(ids)
    for r in rows:
        if wanted is None or r["request_id"] in wanted:
            out.setdefault(int(r["request_id"]), []).append(dict(r))
    return out


def production_by_name(conn: sqlite3.Connection, *, name: str) -> dict[str, Any] | None:
    row = conn.execute(
        "SELECT p.id, p.name, p.received, count(DISTINCT d.id) AS documents,"
        " count(pg.id) AS pages FROM productions p"
        " LEFT JOIN documents d ON d.production_id = p.id"
        " LEFT JOIN pages pg ON pg.document_id = d.id WHERE p.name = ? GROUP BY p.id",
        (name,),
    ).fetchone()
    return dict(row) if row else None


def link_production(conn: sqlite3.Connection, *, request_id: int, production_id: int) -> None:
    conn.execute(
        "INSERT OR IGNORE INTO request_productions(request_id, production_id) VALUES (?, ?)",
        (request_id, production_id),
    )


def linked_productions(conn: sqlite3.Connection, *, request_id: int) -> list[dict[str, Any]]:
    """Productions linked to a request: name, received, documents, pages."""
    return [
        dict(r)
        for r in conn.execute(
            "SELECT p.id, p.name, p.received, count(DISTINCT d.id) AS documents,"
            " count(pg.id) AS pages FROM request_productions rp"
            " JOIN productions p ON p.id = rp.production_id"
            " LEFT JOIN documents d ON d.production_id = p.id"
            " LEFT JOIN pages pg ON pg.document_id = d.id"
            " WHERE rp.request_id = ? GROUP BY p.id ORDER BY p.received, p.name",
            (request_id,),
        )
    ]


def requests_for_production(conn: sqlite3.Connection, *, production_id: int) -> list[str]:
    return [
        str(r[0])
        for r in conn.execute(
            "SELECT r.tracking FROM request_productions rp JOIN requests r ON r.id = rp.request_id"
            " WHERE rp.production_id = ? ORDER BY 1",
            (production_id,),
        )
    ]


def production_pages(conn: sqlite3.Connection, *, production_id: int) -> list[dict[str, Any]]:
    """Every page of a production: document, page number, Bates, and whether it was OCR'd."""
    return [
        dict(r)
        for r in conn.execute(
            "SELECT d.id AS document_id, d.name AS document, d.doc_type, p.id AS page_id,"
            " p.number AS page, p.bates FROM pages p JOIN documents d ON d.id = p.document_id"
            " WHERE d.production_id = ? ORDER BY d.name, p.number",
            (production_id,),
        )
    ]


def production_withheld(conn: sqlite3.Connection, *, production_id: int) -> list[dict[str, Any]]:
    """Pages of a production withheld in full (slip sheets): reason, codes, page, Bates."""
    return [
        dict(r)
        for r in conn.execute(
            "SELECT w.reason, w.codes, p.number AS page, p.bates, d.name AS document,"
            " d.id AS document_id FROM withheld_pages w JOIN pages p ON p.id = w.page_id"
            " JOIN documents d ON d.id = w.document_id WHERE d.production_id = ?"
            " ORDER BY d.name, p.number",
            (production_id,),
        )
    ]


def production_exemption_pages(
    conn: sqlite3.Connection, *, production_id: int
) -> list[dict[str, Any]]:
    """Exemption codes marked on a production's pages (cited ones left out), with where."""
    return [
        dict(r)
        for r in conn.execute(
            "SELECT e.code, count(*) AS marks, count(DISTINCT e.page_id) AS pages,"
            " min(p.bates) AS first_bates, min(d.id) AS document_id, min(p.number) AS page"
            " FROM exemption_marks e JOIN pages p ON p.id = e.page_id"
            " JOIN documents d ON d.id = e.document_id"
            " WHERE d.production_id = ? AND e.kind != 'cited' GROUP BY e.code ORDER BY e.code",
            (production_id,),
        )
    ]


def pages_with_marks(conn: sqlite3.Connection, *, production_id: int) -> int:
    """Pages of a production carrying at least one exemption mark (released in part)."""
    row = conn.execute(
        "SELECT count(DISTINCT e.page_id) FROM exemption_marks e"
        " JOIN documents d ON d.id = e.document_id"
        " LEFT JOIN withheld_pages w ON w.page_id = e.page_id"
        " WHERE d.production_id = ? AND e.kind = 'mark' AND w.page_id IS NULL",
        (production_id,),
    ).fetchone()
    return int(row[0])


def add_letter(
    conn: sqlite3.Connection,
    *,
    request_id: int,
    production_id: int | None,
    document_id: int | None,
    source: str,
    parsed: Mapping[str, Any],
) -> int:
    cur = conn.execute(
        "INSERT INTO production_letters(request_id, production_id, document_id, source, parsed)"
        " VALUES (?, ?, ?, ?, ?)",
        (request_id, production_id, document_id, source, json.dumps(parsed, sort_keys=True)),
    )
    return int(cur.lastrowid or 0)


def confirm_letter(
    conn: sqlite3.Connection, *, letter_id: int, confirmed: Mapping[str, Any]
) -> None:
    conn.execute(
        "UPDATE production_letters SET confirmed = ?,"
        " confirmed_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id = ?",
        (json.dumps(confirmed, sort_keys=True), letter_id),
    )


def letters_for(conn: sqlite3.Connection, *, request_id: int) -> list[dict[str, Any]]:
    """A request's letters, newest first, with `parsed` and `confirmed` decoded."""
    out = []
    for r in conn.execute(
        "SELECT l.*, p.name AS production FROM production_letters l"
        " LEFT JOIN productions p ON p.id = l.production_id"
        " WHERE l.request_id = ? ORDER BY l.id DESC",
        (request_id,),
    ):
        d = dict(r)
        d["parsed"] = json.loads(d["parsed"])
        d["confirmed"] = json.loads(d["confirmed"]) if d["confirmed"] else None
        out.append(d)
    return out


def document_text(conn: sqlite3.Connection, *, document_id: int) -> dict[str, Any] | None:
    """A document's name, production id and its pages' text joined by form feeds."""
    doc = conn.execute(
        "SELECT id, name, production_id FROM documents WHERE id = ?", (document_id,)
    ).fetchone()
    if doc is None:
        return None
    text = "\f".join(
        r[0]
        for r in conn.execute(
            "SELECT text FROM pages WHERE document_id = ? ORDER BY number", (document_id,)
        )
    )
    return {**dict(doc), "text": text}


def find_documents(conn: sqlite3.Connection, *, name: str) -> list[dict[str, Any]]:
    """Documents whose file name is, or ends with, `name`."""
    return [
        dict(r)
        for r in conn.execute(
            "SELECT id, name, production_id FROM documents WHERE name = ? OR name LIKE ?"
            " ORDER BY id",
            (name, f"%{name}"),
        )
    ]


def add_expected(
    conn: sqlite3.Connection,
    *,
    name: str,
    terms: str,
    campaign_id: int | None,
    offices: Iterable[str] = (),
) -> int:
    conn.execute(
        "INSERT INTO expected_records(name, terms, campaign_id, offices) VALUES (?, ?, ?, ?)"
        " ON CONFLICT(name) DO UPDATE SET terms = excluded.terms,"
        " campaign_id = excluded.campaign_id, offices = excluded.offices",
        (name, terms, campaign_id, ";".join(offices)),
    )
    return int(
        conn.execute("SELECT id FROM expected_records WHERE name = ?", (name,)).fetchone()[0]
    )


def expected_records(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    out = []
    for r in conn.execute(
        "SELECT e.id, e.name, e.terms, e.offices, c.name AS campaign FROM expected_records e"
        " LEFT JOIN campaigns c ON c.id = e.campaign_id ORDER BY e.id"
    ):
        d = dict(r)
        d["offices"] = [o for o in d["offices"].split(";") if o]
        out.append(d)
    return out


def candidate_documents(conn: sqlite3.Connection, *, terms: str) -> list[dict[str, Any]]:
    """Documents whose title or name holds every term, or whose text matches them all (FTS5).

    Each with its office (from the office analyser, when it ran) and first Bates.
    """
    words = [w for w in terms.split() if w]
    if not words:
        return []
    fts = " AND ".join('"' + w.replace('"', '""') + '"' for w in words)
    like = " AND ".join("(lower(coalesce(d.title, '') || ' ' || d.name) LIKE ?)" for _ in words)
    params: list[Any] = [f"%{w.lower()}%" for w in words]
    rows = conn.execute(
        "SELECT d.id AS document_id, d.name, d.title, o.office, min(p.bates) AS bates,"
        f" max(CASE WHEN {like} THEN 1 ELSE 0 END) AS by_title"
        " FROM documents d LEFT JOIN document_offices o ON o.document_id = d.id"
        " LEFT JOIN pages p ON p.document_id = d.id"
        " WHERE d.id IN (SELECT document_id FROM pages WHERE id IN"
        "   (SELECT rowid FROM pages_fts WHERE pages_fts MATCH ?))"
        f" OR ({like})"
        " GROUP BY d.id, o.office ORDER BY d.name",
        [*params, fts, *params],
    )
    return [dict(r) for r in rows]


def add_coverage(
    conn: sqlite3.Connection,
    *,
    expected_id: int,
    office: str,
    document_id: int,
    reason: str,
    state: str = "proposed",
) -> None:
    """Propose (or record) that a document fills an expected record for an office; a
    proposal never overrides what a person already confirmed or rejected."""
    conn.execute(
        "INSERT INTO coverage(expected_id, office, document_id, state, reason)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET reason = excluded.reason,"
        " state = CASE WHEN coverage.state = 'proposed' THEN excluded.state"
        " ELSE coverage.state END",
        (expected_id, office, document_id, state, reason),
    )


def set_coverage_state(
    conn: sqlite3.Connection,
    *,
    expected_id: int,
    office: str,
    state: str,
    document_id: int | None = None,
    by_title: bool = False,
) -> int:
    """Confirm or reject an office's proposals (one document's, those found by title, or
    all); return rows changed."""
    cur = conn.execute(
        "UPDATE coverage SET state = ? WHERE expected_id = ? AND office = ?"
        " AND (? IS NULL OR document_id = ?) AND (? = 0 OR reason LIKE 'title holds%')",
        (state, expected_id, office, document_id, document_id, int(by_title)),
    )
    return int(cur.rowcount)


def coverage_rows(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every coverage row with the document's name, production and first Bates number."""
    return [
        dict(r)
        for r in conn.execute(
            "SELECT c.expected_id, c.office, c.document_id, c.state, c.reason, d.name AS document,"
            " pr.name AS production, pr.received,"
            " (SELECT min(bates) FROM pages WHERE document_id = d.id) AS bates"
            " FROM coverage c JOIN documents d ON d.id = c.document_id"
            " LEFT JOIN productions pr ON pr.id = d.production_id"
            " ORDER BY c.expected_id, c.office, d.name"
        )
    ]


def add_log_entries(
    conn: sqlite3.Connection, *, source: str, entries: Iterable[Mapping[str, Any]]
) -> int:
    """Insert FOIA-log entries of one file, replacing that file's earlier import; return count."""
    conn.execute("DELETE FROM foia_log_entries WHERE source = ?", (source,))
    n = 0
    for e in entries:
        conn.execute(
            "INSERT OR REPLACE INTO foia_log_entries(source, tracking, organization, received,"
            " target, closed, description) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                source,
                e["tracking"],
                e.get("organization"),
                e.get("received"),
                e.get("target"),
                e.get("closed"),
                e.get("description") or "",
            ),
        )
        n += 1
    return n


def log_count(conn: sqlite3.Connection) -> dict[str, int]:
    return {
        str(r[0]): int(r[1])
        for r in conn.execute("SELECT source, count(*) FROM foia_log_entries GROUP BY 1 ORDER BY 1")
    }


def similar_log_entries(
    conn: sqlite3.Connection, *, words: Iterable[str], limit: int = 10
) -> list[dict[str, Any]]:
    """Log entries whose description shares the most of `words`, best first (BM25)."""
    terms = [w for w in words if w]
    if not terms:
        return []
    q = " OR ".join('"' + w.replace('"', '""') + '"' for w in terms)
    return [
        dict(r)
        for r in conn.execute(
            "SELECT e.source, e.tracking, e.organization, e.received, e.closed, e.description,"
            " bm25(foia_log_fts) AS score FROM foia_log_fts JOIN foia_log_entries e"
            " ON e.id = foia_log_fts.rowid WHERE foia_log_fts MATCH ? ORDER BY score LIMIT ?",
            (q, limit),
        )
    ]


def list_productions(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every production by name, with its document count (for choosing one to link)."""
    return [
        dict(r)
        for r in conn.execute(
            "SELECT p.id, p.name, p.received, count(d.id) AS documents FROM productions p"
            " LEFT JOIN documents d ON d.production_id = p.id GROUP BY p.id ORDER BY p.name"
        )
    ]

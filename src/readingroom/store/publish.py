"""The publish audit's storage: reviewers' decisions per hit, and the key hits are hashed with.

Hits themselves are the `identifiers` analyser's rows; they are re-made
whenever it re-runs, so a decision is keyed by a stable hit key (an HMAC of
the document, page, kind, value and occurrence under this investigation's
own secret, computed in `readingroom.publish.audit`) and survives re-runs.
The secret never leaves the investigation: a hash printed in `audit --json`
cannot be brute-forced back into an SSN without it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

from readingroom.store.reading import KEY_CHARS
from readingroom.store.schema import Migration
from readingroom.store.words import decode_words

__all__ = [
    "MIGRATIONS",
    "bad_boxes",
    "decisions",
    "failure_kinds",
    "failure_rows",
    "hash_key",
    "hit_rows",
    "page_bates",
    "record_decision",
]

MIGRATIONS: list[Migration] = [
    (
        "publish-0001",
        """
    CREATE TABLE publish_secret (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        hmac_key TEXT NOT NULL
    );
    INSERT INTO publish_secret (id, hmac_key) VALUES (1, lower(hex(randomblob(32))));
    CREATE TABLE publish_decisions (
        hit_key TEXT PRIMARY KEY,       -- stable across analyser re-runs (see module doc)
        sha256 TEXT NOT NULL,           -- the document's content hash
        kind TEXT NOT NULL,
        decision TEXT NOT NULL CHECK (decision IN ('confirmed', 'dismissed')),
        reviewer TEXT,
        decided_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
    );
    CREATE INDEX publish_decisions_sha ON publish_decisions(sha256);
    """,
    )
]


def hash_key(conn: sqlite3.Connection) -> bytes:
    """This investigation's secret for hashing identifiers."""
    row = conn.execute("SELECT hmac_key FROM publish_secret WHERE id = 1").fetchone()
    return bytes.fromhex(row[0])


def _documents_filter(
    alias: str, document_ids: Iterable[int] | None
) -> tuple[str, list[int]] | None:
    """(` WHERE <alias>.document_id IN (?,…)`, ids) for the given documents, ("", []) for
    all of them, None for an empty selection: nothing to read."""
    if document_ids is None:
        return "", []
    ids = sorted(set(document_ids))
    if not ids:
        return None
    return f" WHERE {alias}.document_id IN ({','.join('?' * len(ids))})", ids


def hit_rows(
    conn: sqlite3.Connection, *, document_ids: Iterable[int] | None
) -> list[dict[str, Any]]:
    """Every identifier hit (of the documents given, or all), with its page's text and words."""
    selected = _documents_filter("h", document_ids)
    if selected is None:
        return []
    where, args = selected
    rows = conn.execute(
        "SELECT h.id, h.document_id, h.page_id, h.kind, h.span_source, h.start, h.end,"
        " h.x0, h.y0, h.x1, h.y1, h.confidence, h.rule, p.number AS page, p.text AS page_text,"
        " p.words AS page_words, p.bates, d.name, d.sha256,"
        f" substr(d.sha256, 1, {KEY_CHARS}) AS key,"
        " (SELECT path FROM locations l WHERE l.document_id = d.id ORDER BY l.id LIMIT 1) AS path"
        " FROM identifier_hits h JOIN pages p ON p.id = h.page_id"
        f" JOIN documents d ON d.id = h.document_id{where}"
        " ORDER BY d.name, d.id, p.number, h.start",
        args,
    ).fetchall()
    out = []
    for r in rows:
        row = dict(r)
        row["page_words"] = decode_words(r["page_words"])
        out.append(row)
    return out


def decisions(
    conn: sqlite3.Connection, *, hit_keys: Iterable[str] | None = None
) -> dict[str, dict[str, Any]]:
    """Hit key → {decision, reviewer, decided_at}."""
    rows = conn.execute("SELECT hit_key, decision, reviewer, decided_at FROM publish_decisions")
    wanted = set(hit_keys) if hit_keys is not None else None
    return {r["hit_key"]: dict(r) for r in rows if wanted is None or r["hit_key"] in wanted}


def record_decision(
    conn: sqlite3.Connection,
    *,
    hit_key: str,
    sha256: str,
    kind: str,
    decision: str,
    reviewer: str | None,
) -> None:
    """Confirm or dismiss one hit; a later decision replaces an earlier one."""
    if decision not in ("confirmed", "dismissed"):
        raise ValueError(f"decision must be confirmed or dismissed, not {decision!r}")
    with conn:
        conn.execute(
            "INSERT INTO publish_decisions (hit_key, sha256, kind, decision, reviewer)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT(hit_key) DO UPDATE SET"
            " decision = excluded.decision, reviewer = excluded.reviewer,"
            " decided_at = strftime('%Y-%m-%dT%H:%M:%SZ','now')",
            (hit_key, sha256, kind, decision, reviewer),
        )


def bad_boxes(conn: sqlite3.Connection, *, document_id: int) -> list[dict[str, Any]]:
    """Every redaction box of a document (page number, box, label, bad), for export."""
    return [
        dict(r)
        for r in conn.execute(
            "SELECT p.number AS page, b.x0, b.y0, b.x1, b.y1, b.kind, b.label, b.bad"
            " FROM redaction_boxes b JOIN pages p ON p.id = b.page_id"
            " WHERE b.document_id = ? ORDER BY p.number, b.id",
            (document_id,),
        )
    ]


def page_bates(conn: sqlite3.Connection, *, document_id: int) -> dict[int, str]:
    """Page number → Bates number, for the pages that have one."""
    return {
        int(r[0]): str(r[1])
        for r in conn.execute(
            "SELECT number, bates FROM pages WHERE document_id = ? AND bates IS NOT NULL",
            (document_id,),
        )
    }


def failure_kinds(conn: sqlite3.Connection) -> dict[str, set[str]]:
    """Document name → the redaction failure kinds recorded for it."""
    out: dict[str, set[str]] = {}
    for name, kind in conn.execute(
        "SELECT d.name, f.kind FROM redaction_failures f JOIN documents d ON d.id = f.document_id"
    ):
        out.setdefault(str(name), set()).add(str(kind))
    return out


def failure_rows(
    conn: sqlite3.Connection, *, document_ids: Iterable[int] | None
) -> list[dict[str, Any]]:
    """Bad-redaction failures (kind, page, place, count) of the documents given, or all."""
    selected = _documents_filter("f", document_ids)
    if selected is None:
        return []
    where, args = selected
    return [
        dict(r)
        for r in conn.execute(
            f"SELECT f.kind, d.name, substr(d.sha256, 1, {KEY_CHARS}) AS document,"
            " p.number AS page,"
            " f.x0, f.y0, f.x1, f.y1, f.count FROM redaction_failures f"
            " JOIN documents d ON d.id = f.document_id LEFT JOIN pages p ON p.id = f.page_id"
            f"{where} ORDER BY d.name, p.number, f.kind",
            args,
        )
    ]

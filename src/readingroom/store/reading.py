"""Read-side queries behind the web views and CLI commands.

Views and commands ask here instead of writing SQL, so a second storage
engine has one narrow contract to meet: keyword arguments in, plain dicts
(or None for "not there") out. Search has its own engine in
`readingroom.search`; the analysers' reports are in `readingroom.analyse.report`.
Single rows by id come from the store's own modules (`store.documents.get_document`).
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from readingroom.errors import BadArguments, NotFound
from readingroom.store.findings import analyser_stage
from readingroom.store.words import decode_words

__all__ = [
    "KEY_CHARS",
    "analyser_has_run",
    "bad_redaction_page_sizes",
    "bad_redaction_pages",
    "bates_page_span",
    "document",
    "document_key",
    "document_keys",
    "document_names",
    "documents_for_key",
    "email_bodies",
    "list_documents",
    "page",
    "production_names",
    "redactions_by_page",
    "resolve_document",
    "totals",
]


#: Hex digits of the SHA-256 in a document's permanent key (/doc/<key>): 48 bits,
#: unambiguous in any investigation a laptop holds; a longer prefix works too.
KEY_CHARS = 12


def document_key(sha256: str) -> str:
    """A document's permanent id: its content hash's prefix, the same in every investigation."""
    return sha256[:KEY_CHARS]


def document_keys(conn: sqlite3.Connection) -> dict[int, str]:
    """Document id → permanent key, for pages that link to many documents."""
    return {
        int(i): str(k)
        for i, k in conn.execute(f"SELECT id, substr(sha256, 1, {KEY_CHARS}) FROM documents")
    }


def documents_for_key(conn: sqlite3.Connection, *, key: str) -> list[int]:
    """Ids of the documents whose SHA-256 starts with `key` (two at most: one is a match)."""
    key = key.lower()
    if len(key) < 8 or any(c not in "0123456789abcdef" for c in key):
        return []
    rows = conn.execute(
        "SELECT id FROM documents WHERE sha256 >= ? AND sha256 < ? ORDER BY id LIMIT 2",
        (key, key + "g"),
    ).fetchall()
    return [int(r[0]) for r in rows]


def resolve_document(conn: sqlite3.Connection, *, ref: str) -> dict[str, Any]:
    """The document `ref` names: its permanent id (a SHA-256 prefix) or its file name.

    A name must be unambiguous; the error says which documents share it.
    Returns `document_id`, `sha256`, `key`, `name`, `page_count`.
    """
    ref = ref.strip()
    if not ref:
        raise BadArguments("no document named: give its permanent id or its file name")
    ids = documents_for_key(conn, key=ref)
    if len(ids) > 1:
        raise BadArguments(f"{ref} starts more than one document's hash; use more of it")
    if not ids:
        rows = conn.execute(
            "SELECT DISTINCT d.id FROM documents d LEFT JOIN locations l ON l.document_id = d.id"
            " WHERE d.name = ? OR l.path = ? ORDER BY d.id LIMIT 6",
            (ref, ref),
        ).fetchall()
        ids = [int(r[0]) for r in rows]
        if len(ids) > 1:
            keys = ", ".join(
                str(r[0])
                for r in conn.execute(
                    f"SELECT substr(sha256, 1, {KEY_CHARS}) FROM documents WHERE id IN"
                    f" ({','.join('?' * len(ids))})",
                    ids,
                )
            )
            raise BadArguments(f"{ref}: {len(ids)} documents have this name; use an id ({keys})")
    if not ids:
        raise NotFound(f"No document has the id or file name {ref[:120]!r}")
    row = conn.execute(
        "SELECT id, sha256, name, page_count FROM documents WHERE id = ?", (ids[0],)
    ).fetchone()
    return {
        "document_id": int(row["id"]),
        "sha256": str(row["sha256"]),
        "key": document_key(str(row["sha256"])),
        "name": str(row["name"]),
        "page_count": row["page_count"],
    }


def bad_redaction_pages(conn: sqlite3.Connection, *, document_id: int) -> list[int]:
    """Numbers of a document's pages with a box over text that is still there."""
    return [
        int(r[0])
        for r in conn.execute(
            "SELECT DISTINCT p.number FROM redaction_boxes b JOIN pages p ON p.id = b.page_id"
            " WHERE b.document_id = ? AND b.bad = 1 ORDER BY 1",
            (document_id,),
        )
    ]


def document(conn: sqlite3.Connection, *, document_id: int) -> dict[str, Any] | None:
    """A document with its production, parent, children and where it was found."""
    row = conn.execute(
        "SELECT d.*, pr.name AS production, pr.received AS production_received,"
        " (SELECT count(*) FROM pages WHERE document_id = d.id) AS pages_stored"
        " FROM documents d LEFT JOIN productions pr ON pr.id = d.production_id WHERE d.id = ?",
        (document_id,),
    ).fetchone()
    if row is None:
        return None
    out = dict(row)
    out["key"] = document_key(row["sha256"])
    try:
        out["metadata"] = json.loads(row["metadata"] or "{}")
    except json.JSONDecodeError:
        out["metadata"] = {}
    out["parent"] = None
    if row["parent_id"] is not None:
        parent = conn.execute(
            "SELECT id, name, title, doc_type, substr(sha256, 1, ?) AS key FROM documents"
            " WHERE id = ?",
            (KEY_CHARS, row["parent_id"]),
        ).fetchone()
        out["parent"] = dict(parent) if parent else None
    out["children"] = [
        dict(r)
        for r in conn.execute(
            "SELECT id, name, title, doc_type, page_count, substr(sha256, 1, ?) AS key"
            " FROM documents WHERE parent_id = ? ORDER BY id",
            (KEY_CHARS, document_id),
        )
    ]
    out["locations"] = [
        dict(r)
        for r in conn.execute(
            "SELECT path, kind FROM locations WHERE document_id = ? ORDER BY id LIMIT 20",
            (document_id,),
        )
    ]
    return out


def document_names(conn: sqlite3.Connection) -> dict[int, str]:
    """Document id → file name, for reports that cite many documents."""
    return {int(i): str(n) for i, n in conn.execute("SELECT id, name FROM documents")}


def page(
    conn: sqlite3.Connection, *, document_id: int, number: int, words: bool = False
) -> dict[str, Any] | None:
    """Page `number` (1-based) of a document; `words` adds its decoded word boxes.

    The stored word blob never leaves the store: callers get `Word`s or nothing.
    """
    row = conn.execute(
        "SELECT * FROM pages WHERE document_id = ? AND number = ?", (document_id, number)
    ).fetchone()
    if row is None:
        return None
    out = dict(row)
    blob = out.pop("words")
    if words:
        out["words"] = decode_words(blob)
    return out


def totals(conn: sqlite3.Connection) -> dict[str, int]:
    """How many productions, documents and pages the investigation holds."""
    row = conn.execute(
        "SELECT (SELECT count(*) FROM productions), (SELECT count(*) FROM documents),"
        " (SELECT count(*) FROM pages)"
    ).fetchone()
    return {"productions": row[0], "documents": row[1], "pages": row[2]}


def analyser_has_run(conn: sqlite3.Connection, *, analyser: str) -> bool:
    """Whether `analyser` has finished on at least one document."""
    row = conn.execute(
        "SELECT 1 FROM stages WHERE stage = ? AND status = 'done' LIMIT 1",
        (analyser_stage(analyser),),
    ).fetchone()
    return row is not None


def bates_page_span(conn: sqlite3.Connection) -> dict[int, dict[str, int]]:
    """Document id → the first and last page numbers that carry a Bates stamp."""
    return {
        r["document_id"]: {"first": r["first_page"], "last": r["last_page"]}
        for r in conn.execute(
            "SELECT b.document_id, min(p.number) AS first_page, max(p.number) AS last_page"
            " FROM bates_stamps b JOIN pages p ON p.id = b.page_id GROUP BY 1"
        )
    }


def bad_redaction_page_sizes(
    conn: sqlite3.Connection, *, default: tuple[float, float] = (612.0, 792.0)
) -> dict[tuple[int, int], tuple[float, float]]:
    """(document id, page number) → page size in points, for pages with a bad redaction.

    Only geometry: a page map can be drawn without a single word of the page.
    """
    return {
        (r["document_id"], r["number"]): (r["width"] or default[0], r["height"] or default[1])
        for r in conn.execute(
            "SELECT p.document_id, p.number, p.width, p.height FROM pages p"
            " WHERE p.id IN (SELECT page_id FROM redaction_boxes WHERE bad = 1)"
        )
    }


def redactions_by_page(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Per page with redaction boxes: how many, their area, how many bad or unlabelled."""
    return [
        dict(r)
        for r in conn.execute(
            "SELECT b.document_id, d.name AS document, p.number AS page, p.bates,"
            " count(*) AS boxes, round(sum(b.area), 1) AS area, sum(b.bad) AS bad,"
            " sum(b.label IS NULL) AS unlabelled FROM redaction_boxes b"
            " JOIN pages p ON p.id = b.page_id JOIN documents d ON d.id = b.document_id"
            " GROUP BY b.page_id ORDER BY d.name, p.number"
        )
    ]


#: Sort keys of the documents list → SQL; unknown keys are refused by the caller.
DOCUMENT_SORTS = {
    "name": "d.name COLLATE NOCASE",
    "title": "coalesce(d.title, d.name) COLLATE NOCASE",
    "date": "d.date IS NULL, d.date",
    "pages": "d.page_count",
    "production": "pr.name COLLATE NOCASE",
    "type": "d.doc_type",
}


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def list_documents(
    conn: sqlite3.Connection,
    *,
    words: str = "",
    production: str = "",
    doc_type: str = "",
    date_from: str = "",
    date_to: str = "",
    sort: str = "name",
    descending: bool = False,
    limit: int = 50,
    offset: int = 0,
) -> tuple[int, list[dict[str, Any]]]:
    """(how many match, one page of them): documents filtered by name/title words and fields.

    Each word must appear in the file name or the title; dates compare as
    ISO text, so `2017` and `2017-08` work as bounds.
    """
    where: list[str] = []
    params: list[object] = []
    for w in words.split()[:20]:
        where.append("(d.name LIKE ? ESCAPE '\\' OR d.title LIKE ? ESCAPE '\\')")
        params += [_like(w), _like(w)]
    if production:
        where.append("pr.name = ?")
        params.append(production)
    if doc_type:
        where.append("d.doc_type = ?")
        params.append(doc_type)
    if date_from:
        where.append("d.date >= ?")
        params.append(date_from)
    if date_to:
        where.append("d.date < ?")
        params.append(date_to + "\uffff")  # 2017-08 includes every day of August
    cond = " AND ".join(where) or "1"
    frm = "documents d LEFT JOIN productions pr ON pr.id = d.production_id"
    total = int(conn.execute(f"SELECT count(*) FROM {frm} WHERE {cond}", params).fetchone()[0])
    order = DOCUMENT_SORTS[sort] + (" DESC" if descending else "")
    rows = conn.execute(
        f"SELECT d.id, substr(d.sha256, 1, {KEY_CHARS}) AS key, d.name, d.title, d.doc_type,"
        f" d.date, d.page_count, d.parent_id, pr.name AS production FROM {frm}"
        f" WHERE {cond} ORDER BY {order}, d.id LIMIT ? OFFSET ?",
        [*params, limit, offset],
    ).fetchall()
    return total, [dict(r) for r in rows]


def production_names(conn: sqlite3.Connection) -> list[str]:
    return [str(r[0]) for r in conn.execute("SELECT name FROM productions ORDER BY name")]


def email_bodies(conn: sqlite3.Connection, *, message_ids: list[int]) -> dict[int, str]:
    """Message id → body, for printed messages on pages without a bad redaction.

    A body on a page with a box over live text may hold the hidden words, so
    it is left out here; the viewer shows that page with those words masked.
    """
    out: dict[int, str] = {}
    for start in range(0, len(message_ids), 500):
        chunk = message_ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for r in conn.execute(
            f"SELECT m.id, m.body FROM email_messages m WHERE m.id IN ({marks})"
            " AND NOT EXISTS (SELECT 1 FROM redaction_boxes b"
            " WHERE b.document_id = m.document_id AND b.bad = 1)",
            chunk,
        ):
            out[int(r[0])] = str(r[1] or "")
    return out

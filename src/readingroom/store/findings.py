"""What the analysers write and what their reports read.

The analysers' runner and reports ask here instead of writing SQL, under the
store's contract: the connection first, everything else by keyword, plain
values back (ints, dicts, lists), and write functions never commit (callers
group them with `readingroom.store.transaction`). Table names passed in are
an analyser's declared `tables`, never user text.

The production-level facts (Bates gaps, duplicates, e-mail threads) are
computed from these rows in `readingroom.analyse.report`, not here: they are
the same whatever engine stores the rows.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from readingroom.doctypes import sql_list
from readingroom.page import Box, Word
from readingroom.store import decode_words, encode_words

__all__ = [
    "FACET_MAX",
    "add_page_facets",
    "analysable_documents",
    "analyser_stage",
    "bad_redaction_boxes",
    "bates_stamp_rows",
    "clear_analyser_output",
    "document_file_order",
    "document_for_analysis",
    "email_message_rows",
    "exemption_counts",
    "insert_row",
    "insert_rows",
    "labels_without_box_rows",
    "pages_to_mask",
    "redaction_box_rows",
    "redaction_counts",
    "rewrite_masked_page",
    "set_page_bates",
    "unstamped_pages",
    "withheld_page_rows",
]

#: Longest facet value kept: facets are for filtering and counting, not text.
FACET_MAX = 200


def analyser_stage(name: str) -> str:
    """The stage row of analyser `name`: `analyse:<name>`."""
    return f"analyse:{name}"


# -- the runner ---------------------------------------------------------------


def analysable_documents(
    conn: sqlite3.Connection,
    *,
    analyser: str,
    version: str,
    doc_types: Sequence[str],
    force: bool,
) -> list[int]:
    """Ids of finished documents of `doc_types`, with pages, that `analyser` must (re)run on.

    Without `force`: those where its stage is missing, at another version,
    or neither done nor failed. A failure at this version is not retried on
    every run (it would fail the same way); `force` or a new version retries.
    """
    kinds = sql_list(tuple(doc_types))
    if force:
        rows = conn.execute(
            f"SELECT id FROM documents WHERE status = 'done' AND doc_type IN ({kinds})"
            " AND page_count > 0"
        )
    else:
        rows = conn.execute(
            "SELECT d.id FROM documents d LEFT JOIN stages s ON s.document_id = d.id"
            f" AND s.stage = ? WHERE d.status = 'done' AND d.doc_type IN ({kinds})"
            " AND d.page_count > 0"
            " AND (s.version IS NULL OR s.version != ? OR s.status NOT IN ('done', 'failed'))",
            (analyser_stage(analyser), version),
        )
    return [int(r[0]) for r in rows]


def document_for_analysis(conn: sqlite3.Connection, *, document_id: int) -> dict[str, Any]:
    """id, name, doc_type, sha256 and production (name or None) of one document."""
    row = conn.execute(
        "SELECT d.id, d.name, d.doc_type, d.sha256, p.name AS production FROM documents d"
        " LEFT JOIN productions p ON p.id = d.production_id WHERE d.id = ?",
        (document_id,),
    ).fetchone()
    return dict(row)


def clear_analyser_output(
    conn: sqlite3.Connection, *, document_id: int, analyser: str, tables: Iterable[str]
) -> None:
    """Forget what `analyser` wrote for a document: its rows, its facets, its error."""
    for table in tables:
        conn.execute(f"DELETE FROM {table} WHERE document_id = ?", (document_id,))
    conn.execute(
        "DELETE FROM errors WHERE document_id = ? AND stage = ?",
        (document_id, analyser_stage(analyser)),
    )
    conn.execute(
        "DELETE FROM page_facets WHERE source = ? AND page_id IN"
        " (SELECT id FROM pages WHERE document_id = ?)",
        (analyser, document_id),
    )


def insert_rows(conn: sqlite3.Connection, *, table: str, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert rows that share their keys (the columns) into `table`."""
    if not rows:
        return
    cols = list(rows[0])
    conn.executemany(_insert_sql(table, cols), [tuple(r[c] for c in cols) for r in rows])


def insert_row(conn: sqlite3.Connection, *, table: str, row: Mapping[str, Any]) -> int:
    """Insert one row into `table`; its new id, for rows that refer to it."""
    cur = conn.execute(_insert_sql(table, list(row)), tuple(row.values()))
    return int(cur.lastrowid or 0)


def add_page_facets(
    conn: sqlite3.Connection, *, source: str, facets: Iterable[tuple[int, str, str]]
) -> None:
    """(page id, facet, value) rows written by analyser `source`; repeats are kept once."""
    conn.executemany(
        "INSERT OR IGNORE INTO page_facets (page_id, facet, value, source) VALUES (?, ?, ?, ?)",
        [(page, facet, value[:FACET_MAX], source) for page, facet, value in facets],
    )


def set_page_bates(
    conn: sqlite3.Connection, *, document_id: int, labels: Mapping[int, str]
) -> None:
    """Page id -> Bates label for a document's pages; its other pages get none."""
    conn.execute("UPDATE pages SET bates = NULL WHERE document_id = ?", (document_id,))
    conn.executemany("UPDATE pages SET bates = ? WHERE id = ?", [(b, p) for p, b in labels.items()])


def pages_to_mask(conn: sqlite3.Connection, *, page_ids: Iterable[int]) -> list[dict[str, Any]]:
    """id, text and words (decoded) of the pages given that exist."""
    out = []
    for page_id in page_ids:
        row = conn.execute("SELECT id, text, words FROM pages WHERE id = ?", (page_id,)).fetchone()
        if row is not None:
            out.append(
                {"id": row["id"], "text": row["text"] or "", "words": decode_words(row["words"])}
            )
    return out


def rewrite_masked_page(
    conn: sqlite3.Connection, *, page_id: int, text: str, words: list[Word], masked_words: int
) -> None:
    """Store a page's masked text and words, noting in its meta how many words were masked.

    The full-text index follows the text (triggers); a page without word
    boxes keeps its empty word blob as it was.
    """
    row = conn.execute("SELECT meta FROM pages WHERE id = ?", (page_id,)).fetchone()
    meta = json.loads(row["meta"] or "{}") if row else {}
    meta["masked_words"] = masked_words
    conn.execute(
        "UPDATE pages SET text = ?, words = COALESCE(?, words), meta = ? WHERE id = ?",
        (text, encode_words(words) if words else None, json.dumps(meta), page_id),
    )


def _insert_sql(table: str, cols: list[str]) -> str:
    return f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"


# -- the reports --------------------------------------------------------------


def bates_stamp_rows(conn: sqlite3.Connection, *, production: str | None) -> list[dict[str, Any]]:
    """Every stamp with its page number, document name and production name ('' if none).

    Ordered by production, prefix and number, the order a series is read in.
    """
    return [
        dict(r)
        for r in conn.execute(
            "SELECT b.*, p.number AS page, d.name AS document," + _PATH + ","
            " COALESCE(pr.name, '') AS production FROM bates_stamps b"
            " JOIN pages p ON p.id = b.page_id JOIN documents d ON d.id = b.document_id"
            " LEFT JOIN productions pr ON pr.id = d.production_id"
            " WHERE (? IS NULL OR pr.name = ?) ORDER BY pr.name, b.prefix, b.number",
            (production, production),
        )
    ]


def unstamped_pages(
    conn: sqlite3.Connection, *, production: str | None, doc_types: Sequence[str]
) -> list[tuple[int, int]]:
    """(document id, page number) of pages of `doc_types` with no Bates stamp, in order."""
    return [
        (int(doc_id), int(number))
        for doc_id, number in conn.execute(
            "SELECT p.document_id, p.number FROM pages p JOIN documents d ON d.id = p.document_id"
            " LEFT JOIN productions pr ON pr.id = d.production_id"
            f" WHERE p.bates IS NULL AND d.doc_type IN ({sql_list(tuple(doc_types))})"
            " AND (? IS NULL OR pr.name = ?) ORDER BY 1, 2",
            (production, production),
        )
    ]


def document_file_order(
    conn: sqlite3.Connection, *, production: str | None, doc_types: Sequence[str]
) -> list[int]:
    """Ids of documents of `doc_types` in the order of their first path in the production."""
    return [
        int(doc_id)
        for doc_id, _ in conn.execute(
            "SELECT l.document_id, min(l.path) FROM locations l"
            " JOIN documents d ON d.id = l.document_id"
            " LEFT JOIN productions pr ON pr.id = d.production_id"
            f" WHERE d.doc_type IN ({sql_list(tuple(doc_types))}) AND (? IS NULL OR pr.name = ?)"
            " GROUP BY 1 ORDER BY 2",
            (production, production),
        )
    ]


#: The document's path as ingested (its first location), for scripts.
_PATH = " (SELECT l.path FROM locations l WHERE l.document_id = d.id ORDER BY l.id LIMIT 1) AS path"

_MARKS_COUNTED = (
    " FROM exemption_marks e JOIN documents d ON d.id = e.document_id"
    " LEFT JOIN productions pr ON pr.id = d.production_id"
    " LEFT JOIN document_offices o ON o.document_id = e.document_id"
    " WHERE e.kind != 'cited'"
)
_EXEMPTION_COUNTS = {
    "production": "SELECT COALESCE(pr.name, '') AS production, e.code, count(*) AS marks,"
    " count(DISTINCT e.page_id) AS pages, count(DISTINCT e.document_id) AS documents"
    + _MARKS_COUNTED
    + " GROUP BY 1, 2 ORDER BY 1, 3 DESC",
    "office": "SELECT COALESCE(o.office, '(unknown)') AS office, e.code, count(*) AS marks"
    + _MARKS_COUNTED
    + " GROUP BY 1, 2 ORDER BY 1, 3 DESC",
    "document": "SELECT e.document_id, d.name AS document, e.code, count(*) AS marks"
    + _MARKS_COUNTED
    + " GROUP BY 1, 3 ORDER BY 2, 4 DESC",
    # Per page (a spreadsheet's page is a sheet, or part of one): sheet from the page's meta.
    "page": "SELECT e.document_id, d.name AS document," + _PATH + ", d.doc_type,"
    " p.number AS page, p.bates, json_extract(p.meta, '$.sheet') AS sheet,"
    " COALESCE(pr.name, '') AS production, e.code, count(*) AS marks,"
    " sum(e.source = 'raster') AS raster_only"
    + _MARKS_COUNTED.replace(" WHERE", " JOIN pages p ON p.id = e.page_id WHERE")
    + " GROUP BY e.document_id, p.number, e.code ORDER BY 3, 5, 10 DESC",
    "sheet": "SELECT e.document_id, d.name AS document, json_extract(p.meta, '$.sheet') AS sheet,"
    " e.code, count(*) AS marks, count(DISTINCT e.page_id) AS pages"
    + _MARKS_COUNTED.replace(" WHERE", " JOIN pages p ON p.id = e.page_id WHERE")
    + " AND d.doc_type IN ('spreadsheet', 'csv') GROUP BY 1, 3, 4 ORDER BY 2, 3, 5 DESC",
}


def exemption_counts(conn: sqlite3.Connection, *, by: str) -> list[dict[str, Any]]:
    """Exemption marks (cited ones left out) counted per code and `by`.

    `by` is `production` (rows: production, code, marks, pages, documents),
    `office` (office or '(unknown)', code, marks), `document` (document_id,
    document, code, marks), `page` (document, path as ingested, page, bates,
    sheet, production, code, marks, raster_only: marks found only in the page
    image) or `sheet` (spreadsheets and CSV: document,
    sheet, code, marks, pages); most marked first within each.
    """
    return [dict(r) for r in conn.execute(_EXEMPTION_COUNTS[by])]


def withheld_page_rows(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Pages withheld in full: reason, codes, page, bates, document, document_id."""
    return [
        dict(r)
        for r in conn.execute(
            "SELECT w.reason, w.codes, p.number AS page, p.bates, d.name AS document,"
            " d.id AS document_id FROM withheld_pages w JOIN pages p ON p.id = w.page_id"
            " JOIN documents d ON d.id = w.document_id ORDER BY d.name, p.number"
        )
    ]


def redaction_counts(conn: sqlite3.Connection, *, document_id: int | None) -> list[dict[str, Any]]:
    """Per document (or the one given): boxes, their area, how many bad and unlabelled."""
    return [
        dict(r)
        for r in conn.execute(
            "SELECT b.document_id, d.name AS document, count(*) AS boxes,"
            " round(sum(b.area), 1) AS area, sum(b.bad) AS bad,"
            " sum(b.label IS NULL) AS unlabelled FROM redaction_boxes b"
            " JOIN documents d ON d.id = b.document_id"
            " WHERE (? IS NULL OR b.document_id = ?) GROUP BY 1 ORDER BY 2",
            (document_id, document_id),
        )
    ]


_BOX_KINDS = {"bad": "b.bad = 1", "unlabelled": "b.label IS NULL"}


def redaction_box_rows(
    conn: sqlite3.Connection, *, which: str, document_id: int | None
) -> list[dict[str, Any]]:
    """Boxes that are `bad` or `unlabelled`, with page and document; never the words under them."""
    return [
        dict(r)
        for r in conn.execute(
            "SELECT b.id, b.document_id, d.name AS document, p.number AS page, p.bates,"
            " b.x0, b.y0, b.x1, b.y1, b.kind, b.label, b.covered_words FROM redaction_boxes b"
            " JOIN pages p ON p.id = b.page_id JOIN documents d ON d.id = b.document_id"
            f" WHERE (? IS NULL OR b.document_id = ?) AND {_BOX_KINDS[which]}"
            " ORDER BY d.name, p.number",
            (document_id, document_id),
        )
    ]


def labels_without_box_rows(
    conn: sqlite3.Connection, *, document_id: int | None
) -> list[dict[str, Any]]:
    """Exemption stamps tied to no box, on pages that have boxes."""
    return [
        dict(r)
        for r in conn.execute(
            "SELECT l.id, l.document_id, d.name AS document, p.number AS page, p.bates, l.codes,"
            " l.x0, l.y0, l.x1, l.y1 FROM redaction_labels l JOIN pages p ON p.id = l.page_id"
            " JOIN documents d ON d.id = l.document_id WHERE l.box_id IS NULL"
            " AND (? IS NULL OR l.document_id = ?) AND EXISTS (SELECT 1 FROM redaction_boxes b"
            " WHERE b.page_id = l.page_id) ORDER BY d.name, p.number",
            (document_id, document_id),
        )
    ]


def bad_redaction_boxes(
    conn: sqlite3.Connection, *, page_ids: Iterable[int]
) -> list[tuple[int, Box, list[Word]]]:
    """(page id, box, the page's words) for every bad redaction on the pages given."""
    ids = sorted(set(page_ids))
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    return [
        (r["page_id"], (r["x0"], r["y0"], r["x1"], r["y1"]), decode_words(r["words"]))
        for r in conn.execute(
            "SELECT b.page_id, b.x0, b.y0, b.x1, b.y1, p.words FROM redaction_boxes b"
            f" JOIN pages p ON p.id = b.page_id WHERE b.bad = 1 AND b.page_id IN ({marks})",
            ids,
        )
    ]


def email_message_rows(
    conn: sqlite3.Connection, *, thread: str | None, origin: str | None
) -> list[dict[str, Any]]:
    """Messages (optionally of one thread key and origin), oldest first, undated last.

    Each row: the message's columns plus document, page, bates and
    `office_any` (the message's office, else its document's).
    """
    return [
        dict(r)
        for r in conn.execute(
            "SELECT m.*, d.name AS document, p.number AS page, p.bates,"
            " (SELECT l.path FROM locations l WHERE l.document_id = m.document_id"
            "  ORDER BY l.id LIMIT 1) AS path,"
            " COALESCE(m.office, o.office) AS office_any FROM email_messages m"
            " JOIN documents d ON d.id = m.document_id JOIN pages p ON p.id = m.page_id"
            " LEFT JOIN document_offices o ON o.document_id = m.document_id"
            " WHERE (? IS NULL OR m.thread_key = ?) AND (? IS NULL OR m.origin = ?)"
            " ORDER BY m.sent IS NULL, m.sent, m.seq",
            (thread, thread, origin, origin),
        )
    ]

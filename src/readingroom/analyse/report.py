"""What the analysers found, as plain data for the CLI, the web views and the API.

Production-level facts (Bates gaps, duplicates, pages out of order; counts by
office and code) are computed here from the per-page rows rather than stored,
so they are always consistent with the pages currently in the investigation.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from itertools import pairwise
from typing import Any

from readingroom.analyse.exemptions import display


def _bates(prefix: str, number: int, digits: int) -> str:
    return f"{prefix} {number:0{digits}d}"


def bates_report(conn: sqlite3.Connection, production: str | None = None) -> dict[str, Any]:
    """Ranges per document and production; gaps, duplicates and out-of-order pages."""
    rows = conn.execute(
        "SELECT b.*, p.number AS page, d.name AS document, COALESCE(pr.name, '') AS production"
        " FROM bates_stamps b JOIN pages p ON p.id = b.page_id JOIN documents d"
        " ON d.id = b.document_id LEFT JOIN productions pr ON pr.id = d.production_id"
        " WHERE (? IS NULL OR pr.name = ?) ORDER BY pr.name, b.prefix, b.number",
        (production, production),
    ).fetchall()
    docs: dict[int, dict[str, Any]] = {}
    series: dict[tuple[str, str], list[sqlite3.Row]] = defaultdict(list)
    for r in rows:
        series[(r["production"], r["prefix"])].append(r)
        d = docs.setdefault(
            r["document_id"],
            {
                "document_id": r["document_id"],
                "document": r["document"],
                "production": r["production"],
                "pages": [],
            },
        )
        d["pages"].append(r)
    documents = []
    for d in docs.values():
        pages = sorted(d.pop("pages"), key=lambda r: r["page"])
        out_of_order = [
            {
                "page": b["page"],
                "bates": _bates(b["prefix"], b["number"], b["digits"]),
                "after": _bates(a["prefix"], a["number"], a["digits"]),
            }
            for a, b in pairwise(pages)
            if b["prefix"] == a["prefix"] and b["number"] <= a["number"]
        ]
        lo, hi = min(pages, key=lambda r: r["number"]), max(pages, key=lambda r: r["number"])
        documents.append(
            {
                **d,
                "first": _bates(lo["prefix"], lo["number"], lo["digits"]),
                "last": _bates(hi["prefix"], hi["number"], hi["digits"]),
                "stamped": len(pages),
                "out_of_order": out_of_order,
            }
        )
    unread = _unstamped_by_document(conn, production)
    neighbours = _stampless_neighbours(conn, production, set(docs), unread)
    productions = []
    for (prod, prefix), rs in series.items():
        digits = rs[0]["digits"]
        gaps, unverified, dups = [], [], []
        for a, b in pairwise(rs):
            if b["number"] > a["number"] + 1:
                size = b["number"] - a["number"] - 1
                here = _unstamped_between(unread, neighbours, a, b)
                entry = {
                    "from": _bates(prefix, a["number"] + 1, digits),
                    "to": _bates(prefix, b["number"] - 1, digits),
                    "pages": size,
                    "unstamped_here": len(here),
                    "unstamped_pages": here,
                    "after": {"document_id": a["document_id"], "page": a["page"]},
                    "before": {"document_id": b["document_id"], "page": b["page"]},
                }
                # Stamp-less pages sitting exactly where the numbers are missing
                # explain the gap as well as a missing page would: unverified.
                (unverified if len(here) >= size else gaps).append(entry)
            elif b["number"] == a["number"]:
                dups.append(
                    {
                        "bates": _bates(prefix, b["number"], digits),
                        "documents": sorted({a["document"], b["document"]}),
                    }
                )
        productions.append(
            {
                "production": prod,
                "prefix": prefix,
                "first": _bates(prefix, rs[0]["number"], digits),
                "last": _bates(prefix, rs[-1]["number"], digits),
                "stamped": len(rs),
                "gaps": gaps,
                "missing": sum(g["pages"] - g["unstamped_here"] for g in gaps),
                "unverified": unverified,
                "duplicates": dups,
            }
        )
    unstamped = conn.execute(
        "SELECT count(*) FROM pages p JOIN documents d ON d.id = p.document_id"
        " LEFT JOIN productions pr ON pr.id = d.production_id"
        " WHERE p.bates IS NULL AND d.doc_type IN ('pdf', 'image')"
        " AND (? IS NULL OR pr.name = ?)",
        (production, production),
    ).fetchone()[0]
    documents.sort(key=lambda d: (d["production"], d["first"]))
    return {"productions": productions, "documents": documents, "unstamped_pages": unstamped}


MASK = "███"


def _words_under_bad_boxes(conn: sqlite3.Connection, page_ids: set[int]) -> dict[int, set[str]]:
    """Page id -> words still in the text layer under that page's bad redactions.

    A header field printed under a failed redaction (a To: name that was
    meant to be hidden) must not be shown just because it was parsed as text.
    """
    from readingroom.analyse.redactions import covered_words, secret_words
    from readingroom.store import decode_words

    out: dict[int, set[str]] = {}
    if not page_ids:
        return out
    marks = ",".join("?" * len(page_ids))
    for r in conn.execute(
        "SELECT b.page_id, b.x0, b.y0, b.x1, b.y1, p.words FROM redaction_boxes b"
        f" JOIN pages p ON p.id = b.page_id WHERE b.bad = 1 AND b.page_id IN ({marks})",
        sorted(page_ids),
    ):
        words = decode_words(r["words"])
        box = (r["x0"], r["y0"], r["x1"], r["y1"])
        found = {w.text.strip(".,;:()<>\"'") for w in secret_words(covered_words(box, words))}
        out.setdefault(r["page_id"], set()).update(w for w in found if len(w) > 1)
    return out


def _mask(msg: dict[str, Any], secrets: set[str]) -> dict[str, Any]:
    """The message with words from under bad redactions blacked out of its fields."""
    import re

    pattern = re.compile(
        r"(?<!\w)(?:"
        + "|".join(map(re.escape, sorted(secrets, key=len, reverse=True)))
        + r")(?!\w)"
    )
    out = dict(msg)
    for k in ("sender", "recipients", "cc", "subject"):
        if out.get(k):
            out[k] = pattern.sub(MASK, out[k])
    out["masked"] = any(out.get(k) != msg.get(k) for k in ("sender", "recipients", "cc", "subject"))
    return out


def _unstamped_by_document(
    conn: sqlite3.Connection, production: str | None
) -> dict[int, list[int]]:
    """Document id -> numbers of its PDF/image pages that carry no readable stamp."""
    out: dict[int, list[int]] = defaultdict(list)
    for doc_id, number in conn.execute(
        "SELECT p.document_id, p.number FROM pages p JOIN documents d ON d.id = p.document_id"
        " LEFT JOIN productions pr ON pr.id = d.production_id"
        " WHERE p.bates IS NULL AND d.doc_type IN ('pdf', 'image')"
        " AND (? IS NULL OR pr.name = ?) ORDER BY 1, 2",
        (production, production),
    ):
        out[doc_id].append(number)
    return out


def _stampless_neighbours(
    conn: sqlite3.Connection,
    production: str | None,
    stamped: set[int],
    unread: dict[int, list[int]],
) -> dict[tuple[int, str], list[int]]:
    """(stamped document, "after"/"before") -> stamp-less documents next to it.

    Documents without any readable stamp (a scan not OCR'd, a misread
    stamp on a one-page scan) have no number of their own; the order of the
    files in the production (their paths) says where they sit.
    """
    order = [
        doc_id
        for doc_id, _ in conn.execute(
            "SELECT l.document_id, min(l.path) FROM locations l"
            " JOIN documents d ON d.id = l.document_id"
            " LEFT JOIN productions pr ON pr.id = d.production_id"
            " WHERE d.doc_type IN ('pdf', 'image') AND (? IS NULL OR pr.name = ?)"
            " GROUP BY 1 ORDER BY 2",
            (production, production),
        )
        if doc_id in stamped or doc_id in unread
    ]
    out: dict[tuple[int, str], list[int]] = {}
    for i, doc_id in enumerate(order):
        if doc_id not in stamped:
            continue
        for step, side in ((1, "after"), (-1, "before")):
            run, k = [], i + step
            while 0 <= k < len(order) and order[k] not in stamped:
                run.append(order[k])
                k += step
            out[(doc_id, side)] = run
    return out


def _unstamped_between(
    unread: dict[int, list[int]],
    neighbours: dict[tuple[int, str], list[int]],
    a: sqlite3.Row,
    b: sqlite3.Row,
) -> list[dict[str, int]]:
    """Stamp-less pages between two consecutive stamps, in document order.

    Within one document, the pages between the two; across documents, the
    pages after `a` in its document and before `b` in its own, and whole
    stamp-less documents filed right after `a`'s or right before `b`'s.
    """
    if a["document_id"] == b["document_id"]:
        spans = [(a["document_id"], a["page"], b["page"])]
    else:
        spans = [(a["document_id"], a["page"], 1 << 30), (b["document_id"], 0, b["page"])]
        between = dict.fromkeys(
            neighbours.get((a["document_id"], "after"), [])
            + neighbours.get((b["document_id"], "before"), [])
        )
        spans += [(d, 0, 1 << 30) for d in between]
    return [
        {"document_id": doc, "page": n}
        for doc, lo, hi in spans
        for n in unread.get(doc, ())
        if lo < n < hi
    ]


def exemption_report(conn: sqlite3.Connection) -> dict[str, Any]:
    """Counts of exemption marks by production and code, by office and code; withheld pages."""
    base = (
        " FROM exemption_marks e JOIN documents d ON d.id = e.document_id"
        " LEFT JOIN productions pr ON pr.id = d.production_id"
        " LEFT JOIN document_offices o ON o.document_id = e.document_id"
        " WHERE e.kind != 'cited'"
    )
    by_prod = [
        dict(r)
        for r in conn.execute(
            "SELECT COALESCE(pr.name, '') AS production, e.code, count(*) AS marks,"
            " count(DISTINCT e.page_id) AS pages, count(DISTINCT e.document_id) AS documents"
            + base
            + " GROUP BY 1, 2 ORDER BY 1, 3 DESC"
        )
    ]
    by_office = [
        dict(r)
        for r in conn.execute(
            "SELECT COALESCE(o.office, '(unknown)') AS office, e.code, count(*) AS marks"
            + base
            + " GROUP BY 1, 2 ORDER BY 1, 3 DESC"
        )
    ]
    by_doc = [
        dict(r)
        for r in conn.execute(
            "SELECT e.document_id, d.name AS document, e.code, count(*) AS marks"
            + base
            + " GROUP BY 1, 3 ORDER BY 2, 4 DESC"
        )
    ]
    withheld = [
        dict(r)
        for r in conn.execute(
            "SELECT w.reason, w.codes, p.number AS page, p.bates, d.name AS document,"
            " d.id AS document_id FROM withheld_pages w JOIN pages p ON p.id = w.page_id"
            " JOIN documents d ON d.id = w.document_id ORDER BY d.name, p.number"
        )
    ]
    for rows in (by_prod, by_office, by_doc):
        for r in rows:
            r["display"] = display(r["code"])
    return {
        "by_production": by_prod,
        "by_office": by_office,
        "by_document": by_doc,
        "withheld": withheld,
    }


def redaction_report(conn: sqlite3.Connection, *, document_id: int | None = None) -> dict[str, Any]:
    """Boxes per document; bad boxes, unlabelled boxes and labels with no box.

    Bad boxes carry only the number of words under them, never the words.
    """
    where = "WHERE (? IS NULL OR b.document_id = ?)"
    per_doc = [
        dict(r)
        for r in conn.execute(
            "SELECT b.document_id, d.name AS document, count(*) AS boxes,"
            " round(sum(b.area), 1) AS area, sum(b.bad) AS bad,"
            " sum(b.label IS NULL) AS unlabelled FROM redaction_boxes b"
            " JOIN documents d ON d.id = b.document_id " + where + " GROUP BY 1 ORDER BY 2",
            (document_id, document_id),
        )
    ]

    def boxes(cond: str) -> list[dict[str, Any]]:
        return [
            dict(r)
            for r in conn.execute(
                "SELECT b.id, b.document_id, d.name AS document, p.number AS page, p.bates,"
                " b.x0, b.y0, b.x1, b.y1, b.kind, b.label, b.covered_words FROM redaction_boxes b"
                " JOIN pages p ON p.id = b.page_id JOIN documents d ON d.id = b.document_id "
                + where
                + f" AND {cond} ORDER BY d.name, p.number",
                (document_id, document_id),
            )
        ]

    orphans = [
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
    return {
        "documents": per_doc,
        "bad": boxes("b.bad = 1"),
        "unlabelled": boxes("b.label IS NULL"),
        "labels_without_box": orphans,
    }


def email_report(
    conn: sqlite3.Connection, *, thread: str | None = None, origin: str | None = None
) -> dict[str, Any]:
    """Threads of e-mail (deduplicated by sender, time and subject), counts by office.

    Each message says whether it was printed (parsed from a PDF or scan) or
    native (an .eml/.mbox/.msg document); `origin` keeps only one kind.
    Office counts are of printed messages, the ones no other tool reads.
    """
    rows = conn.execute(
        "SELECT m.*, d.name AS document, p.number AS page, p.bates,"
        " COALESCE(m.office, o.office) AS office_any FROM email_messages m"
        " JOIN documents d ON d.id = m.document_id JOIN pages p ON p.id = m.page_id"
        " LEFT JOIN document_offices o ON o.document_id = m.document_id"
        " WHERE (? IS NULL OR m.thread_key = ?) AND (? IS NULL OR m.origin = ?)"
        " ORDER BY m.sent IS NULL, m.sent, m.seq",
        (thread, thread, origin, origin),
    ).fetchall()
    secrets = _words_under_bad_boxes(conn, {r["page_id"] for r in rows})
    threads: dict[str, dict[str, Any]] = {}
    seen: set[tuple[Any, ...]] = set()
    by_office: dict[str, int] = defaultdict(int)
    kinds: dict[str, int] = {"printed": 0, "native": 0}
    for r in rows:
        key = (r["sender"], r["sent"], r["thread_key"])
        t = threads.setdefault(
            r["thread_key"],
            {"thread": r["thread_key"], "subject": r["subject"], "messages": [], "copies": 0},
        )
        if t["subject"] is None and r["subject"]:
            t["subject"] = r["subject"]
        if key in seen:
            t["copies"] += 1
            continue
        seen.add(key)
        kinds[r["origin"]] = kinds.get(r["origin"], 0) + 1
        if r["origin"] == "printed":
            by_office[r["office_any"] or "(unknown)"] += 1
        msg = {
            k: r[k]
            for k in (
                "id",
                "document_id",
                "document",
                "page",
                "bates",
                "sender",
                "sent",
                "recipients",
                "cc",
                "subject",
                "quoted",
                "office_any",
                "origin",
            )
        }
        if r["page_id"] in secrets:
            msg = _mask(msg, secrets[r["page_id"]])
        t["messages"].append(msg)
    ordered = sorted(
        threads.values(),
        key=lambda t: (
            min((m["sent"] or "9999") for m in t["messages"]) if t["messages"] else "9999"
        ),
    )
    return {
        "threads": ordered,
        "by_office": dict(sorted(by_office.items())),
        "messages": sum(len(t["messages"]) for t in ordered),
        "printed": kinds["printed"],
        "native": kinds["native"],
    }

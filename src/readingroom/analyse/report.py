"""What the analysers found, as plain data for the CLI, the web views and the API.

Production-level facts (Bates gaps, duplicates, pages out of order; counts by
office and code) are computed here from the per-page rows rather than stored,
so they are always consistent with the pages currently in the investigation.
The rows come from `readingroom.store.findings`; Bates numbers and exemption
codes are written as `readingroom.citation` writes them, and words from under
bad redactions are masked with `readingroom.mask`.
"""

from __future__ import annotations

import re
import sqlite3
from collections import defaultdict
from itertools import pairwise
from typing import Any

from readingroom.citation import bates_label, exemption_label
from readingroom.doctypes import PAGE_IMAGE_TYPES
from readingroom.mask import MASK, mask_text
from readingroom.store import findings as findings_store


def bates_report(conn: sqlite3.Connection, production: str | None = None) -> dict[str, Any]:
    """Ranges per document and production; gaps, duplicates and out-of-order pages."""
    rows = findings_store.bates_stamp_rows(conn, production=production)
    docs: dict[int, dict[str, Any]] = {}
    series: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
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
                "bates": bates_label(b["prefix"], b["number"], b["digits"]),
                "after": bates_label(a["prefix"], a["number"], a["digits"]),
            }
            for a, b in pairwise(pages)
            if b["prefix"] == a["prefix"] and b["number"] <= a["number"]
        ]
        lo, hi = min(pages, key=lambda r: r["number"]), max(pages, key=lambda r: r["number"])
        documents.append(
            {
                **d,
                "first": bates_label(lo["prefix"], lo["number"], lo["digits"]),
                "last": bates_label(hi["prefix"], hi["number"], hi["digits"]),
                "stamped": len(pages),
                "out_of_order": out_of_order,
            }
        )
    unstamped = findings_store.unstamped_pages(
        conn, production=production, doc_types=PAGE_IMAGE_TYPES
    )
    unread: dict[int, list[int]] = defaultdict(list)
    for doc_id, number in unstamped:
        unread[doc_id].append(number)
    neighbours = _stampless_neighbours(conn, production, set(docs), unread)
    productions = []
    for (prod, prefix), rs in series.items():
        digits = rs[0]["digits"]
        gaps: list[dict[str, Any]] = []
        unverified: list[dict[str, Any]] = []
        dups: list[dict[str, Any]] = []
        for a, b in pairwise(rs):
            if b["number"] > a["number"] + 1:
                size = b["number"] - a["number"] - 1
                here = _unstamped_between(unread, neighbours, a, b)
                entry = {
                    "from": bates_label(prefix, a["number"] + 1, digits),
                    "to": bates_label(prefix, b["number"] - 1, digits),
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
                        "bates": bates_label(prefix, b["number"], digits),
                        "documents": sorted({a["document"], b["document"]}),
                    }
                )
        productions.append(
            {
                "production": prod,
                "prefix": prefix,
                "first": bates_label(prefix, rs[0]["number"], digits),
                "last": bates_label(prefix, rs[-1]["number"], digits),
                "stamped": len(rs),
                "gaps": gaps,
                "missing": sum(g["pages"] - g["unstamped_here"] for g in gaps),
                "unverified": unverified,
                "duplicates": dups,
            }
        )
    documents.sort(key=lambda d: (d["production"], d["first"]))
    pages = [
        {
            "document_id": r["document_id"],
            "document": r["document"],
            "path": r["path"],
            "production": r["production"],
            "page": r["page"],
            "bates": bates_label(r["prefix"], r["number"], r["digits"]),
            "raw": r["raw"],
            "inferred": bool(r["inferred"]),
        }
        for r in sorted(rows, key=lambda r: (r["path"] or r["document"], r["page"]))
    ]
    return {
        "productions": productions,
        "documents": documents,
        "pages": pages,
        "unstamped_pages": len(unstamped),
    }


#: The message fields a name under a failed redaction may have been parsed into.
_MASKED_FIELDS = ("sender", "recipients", "cc", "subject")


def _words_under_bad_boxes(conn: sqlite3.Connection, page_ids: set[int]) -> dict[int, set[str]]:
    """Page id -> words still in the text layer under that page's bad redactions.

    A header field printed under a failed redaction (a To: name that was
    meant to be hidden) must not be shown just because it was parsed as text.
    """
    from readingroom.analyse.analysers.redactions import covered_words, secret_words

    out: dict[int, set[str]] = {}
    for page_id, box, words in findings_store.bad_redaction_boxes(conn, page_ids=page_ids):
        out.setdefault(page_id, set()).update(
            w.text for w in secret_words(covered_words(box, words))
        )
    return out


def _mask(msg: dict[str, Any], secrets: set[str]) -> dict[str, Any]:
    """The message with words from under bad redactions blacked out of its fields.

    `masked` also says so of a field the analysers already stored masked.
    """
    out = dict(msg)
    for k in _MASKED_FIELDS:
        if out.get(k):
            out[k] = mask_text(out[k], secrets)
    out["masked"] = any(
        out.get(k) != msg.get(k) or MASK in (out.get(k) or "") for k in _MASKED_FIELDS
    )
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
        for doc_id in findings_store.document_file_order(
            conn, production=production, doc_types=PAGE_IMAGE_TYPES
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
    a: dict[str, Any],
    b: dict[str, Any],
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
    by_prod = findings_store.exemption_counts(conn, by="production")
    by_office = findings_store.exemption_counts(conn, by="office")
    by_doc = findings_store.exemption_counts(conn, by="document")
    by_sheet = findings_store.exemption_counts(conn, by="sheet")
    by_page = findings_store.exemption_counts(conn, by="page")
    withheld = findings_store.withheld_page_rows(conn)
    for rows in (by_prod, by_office, by_doc, by_sheet, by_page):
        for r in rows:
            r["display"] = exemption_label(r["code"])
    return {
        "by_production": by_prod,
        "by_office": by_office,
        "by_document": by_doc,
        "by_sheet": by_sheet,
        "by_page": by_page,
        "withheld": withheld,
    }


def redaction_report(conn: sqlite3.Connection, *, document_id: int | None = None) -> dict[str, Any]:
    """Boxes per document; bad boxes, unlabelled boxes and labels with no box.

    Bad boxes carry only the number of words under them, never the words.
    """
    per_doc = findings_store.redaction_counts(conn, document_id=document_id)
    bad = findings_store.redaction_box_rows(conn, which="bad", document_id=document_id)
    unlabelled = findings_store.redaction_box_rows(
        conn, which="unlabelled", document_id=document_id
    )
    orphans = findings_store.labels_without_box_rows(conn, document_id=document_id)
    return {
        "documents": per_doc,
        "bad": bad,
        "unlabelled": unlabelled,
        "labels_without_box": orphans,
    }


def _body_key(body: str | None) -> str:
    return re.sub(r"\W+", " ", body or "").strip().lower()


def _same_body(a: str, b: str) -> bool:
    """Bodies agree: equal, or one printout cut the other short (a prefix of 40+ chars)."""
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    return len(short) >= 40 and long.startswith(short)


def email_report(
    conn: sqlite3.Connection, *, thread: str | None = None, origin: str | None = None
) -> dict[str, Any]:
    """Every message in document order, and threads of distinct messages, counts by office.

    Two messages are copies only when sender, date to the minute, body (and
    subject) agree (the same message printed again in a later chain); a copy is
    listed, flagged with the message it copies, and never dropped from
    `in_order`. Messages whose subject is empty or a bare `Re:` form no
    thread with each other: each stands alone. Each message says whether it
    was printed (parsed from a PDF or scan) or native (.eml/.mbox/.msg);
    `origin` keeps only one kind. Office counts are of printed messages.
    """
    rows = findings_store.email_message_rows(conn, thread=thread, origin=origin)
    secrets = _words_under_bad_boxes(conn, {r["page_id"] for r in rows})
    threads: dict[str, dict[str, Any]] = {}
    firsts: dict[tuple[Any, ...], list[tuple[str, int]]] = defaultdict(list)
    by_office: dict[str, int] = defaultdict(int)
    kinds: dict[str, int] = {"printed": 0, "native": 0}
    copy_of: dict[int, int] = {}
    for r in rows:
        key = (
            (r["sender"] or "").strip().lower(),
            r["sent"] or r["sent_raw"],
            r["thread_key"],
        )
        body = _body_key(r["body"])
        original = None
        if key[1]:
            original = next((mid for b, mid in firsts[key] if _same_body(b, body)), None)
        if original is not None:
            copy_of[r["id"]] = original
        else:
            firsts[key].append((body, r["id"]))
    for r in rows:
        tkey = r["thread_key"] or f"(no subject) #{r['id']}"
        t = threads.setdefault(
            tkey,
            {"thread": r["thread_key"], "subject": r["subject"], "messages": [], "copies": 0},
        )
        if t["subject"] is None and r["subject"]:
            t["subject"] = r["subject"]
        if r["id"] in copy_of:
            t["copies"] += 1
            continue
        kinds[r["origin"]] = kinds.get(r["origin"], 0) + 1
        if r["origin"] == "printed":
            by_office[r["office_any"] or "(unknown)"] += 1
        t["messages"].append(_public(r, secrets))
    ordered = sorted(
        (t for t in threads.values() if t["messages"]),
        key=lambda t: min((m["sent"] or "9999") for m in t["messages"]),
    )
    in_order = []
    for r in sorted(rows, key=lambda r: (r["path"] or r["document"], r["document_id"], r["seq"])):
        m = _public(r, secrets)
        m["copy"] = r["id"] in copy_of
        m["copy_of"] = copy_of.get(r["id"])
        in_order.append(m)
    return {
        "threads": ordered,
        "in_order": in_order,
        "by_office": dict(sorted(by_office.items())),
        "messages": sum(len(t["messages"]) for t in ordered),
        "copies": len(copy_of),
        "printed": kinds["printed"],
        "native": kinds["native"],
    }


def _public(r: dict[str, Any], secrets: dict[int, set[str]]) -> dict[str, Any]:
    """A message as reports show it: header fields as printed, the ISO date."""
    msg = {
        k: r[k]
        for k in (
            "id",
            "document_id",
            "document",
            "path",
            "page",
            "bates",
            "sender",
            "sent",
            "sent_raw",
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
    return msg

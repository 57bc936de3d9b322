"""What the analysers found, as pages: Bates ranges, exemptions, redactions, e-mails.

The views only arrange `readingroom.analyse.report` data, the same data the
CLI prints, so the browser and the terminal never disagree. Every count links
to a search with the matching facet filters and every Bates number to its
page in the viewer. Text recovered from under bad redactions is never sent.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from collections import defaultdict
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from readingroom.analyse.analysers.printed_email import subject_facet
from readingroom.analyse.report import (
    bates_report,
    email_report,
    exemption_report,
    redaction_report,
)
from readingroom.citation import exemption_label
from readingroom.investigation import Investigation
from readingroom.packs import office_names
from readingroom.search import filter_term
from readingroom.store import reading
from readingroom.web.deps import Conn, Inv, templates

log = logging.getLogger(__name__)
router = APIRouter()


def page_url(document_id: int | str, page: int) -> str:
    """The viewer's URL for one page (`document_id` may already be the permanent key)."""
    return f"/doc/{document_id}?{urlencode({'page': page})}#page"


def search_url(**filters: str) -> str:
    """A search for every page matching all the given facet values."""
    q = " ".join(filter_term(k, v) for k, v in filters.items() if v)
    return "/?" + urlencode({"q": q})


def _code_order(code: str) -> tuple[int, str]:
    m = re.match(r"b(\d+)(.*)", code)
    return (int(m[1]), m[2]) if m else (99, code)


def _labels(codes: str | None) -> str:
    """`b6;b7C` → `(b)(6), (b)(7)(C)`."""
    return ", ".join(exemption_label(c) for c in (codes or "").split(";") if c)


def pivot(rows: list[dict[str, Any]], key: str) -> dict[str, Any]:
    """Rows of (key, code, marks) as a table: one row per key, one column per code."""
    codes = sorted({r["code"] for r in rows}, key=_code_order)
    table: dict[str, dict[str, int]] = defaultdict(dict)
    for r in rows:
        table[r[key]][r["code"]] = r["marks"]
    return {
        "codes": [(c, exemption_label(c)) for c in codes],
        "rows": [(k, table[k], sum(table[k].values())) for k in sorted(table)],
        "totals": {c: sum(t.get(c, 0) for t in table.values()) for c in codes},
        "total": sum(sum(t.values()) for t in table.values()),
    }


def _offices(inv: Investigation) -> dict[str, str]:
    """Office code -> name from the investigation's pack, for people who don't know codes."""
    try:
        return office_names(inv.pack)
    except (OSError, ValueError) as e:  # a broken user pack must not take the page down
        log.warning("office names unavailable: %s", e)
        return {}


def _render(
    request: Request, conn: sqlite3.Connection, name: str, analyser: str, context: dict[str, Any]
) -> HTMLResponse:
    """The analyser's page; `ran` says whether the analyser has run at all."""
    keys = reading.document_keys(conn)  # links by permanent id, so they can be cited

    def key_page_url(document_id: int, page: int) -> str:
        return page_url(keys.get(document_id, document_id), page)

    def doc_url(document_id: int) -> str:
        return f"/doc/{keys.get(document_id, document_id)}"

    return templates.TemplateResponse(
        request,
        f"analysis_{name}.html",
        {
            "page_url": key_page_url,
            "doc_url": doc_url,
            "search_url": search_url,
            "ran": reading.analyser_has_run(conn, analyser=analyser),
            **context,
        },
    )


@router.get("/bates", response_class=HTMLResponse, include_in_schema=False)
def bates_page(request: Request, conn: Conn, production: str | None = None) -> HTMLResponse:
    context = {
        "data": bates_report(conn, production or None),
        # Where each document's first and last stamps are, to link them.
        "ends": reading.bates_page_span(conn),
        "names": reading.document_names(conn),
        "production": production,
    }
    return _render(request, conn, "bates", "bates", context)


@router.get("/exemptions", response_class=HTMLResponse, include_in_schema=False)
def exemptions_page(request: Request, conn: Conn, inv: Inv) -> HTMLResponse:
    data = exemption_report(conn)
    for w in data["withheld"]:
        w["codes_shown"] = _labels(w["codes"])
    by_prod = pivot(data["by_production"], "production")
    context = {
        "data": data,
        "by_prod": by_prod,
        "by_office": pivot(data["by_office"], "office"),
        "office_names": _offices(inv),
        "top": max(by_prod["totals"].values(), default=0),
    }
    return _render(request, conn, "exemptions", "exemptions", context)


@router.get("/redactions", response_class=HTMLResponse, include_in_schema=False)
def redactions_page(request: Request, conn: Conn) -> HTMLResponse:
    data = redaction_report(conn)
    pages_by_doc: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for r in reading.redactions_by_page(conn):
        pages_by_doc[r["document_id"]].append(r)
    for rows in (data["bad"], data["unlabelled"], data["labels_without_box"]):
        for r in rows:
            r["shown"] = _labels(r.get("label") if "label" in r else r.get("codes"))
    for b in data["bad"]:  # belt and braces: nothing recovered ever reaches a template
        b.pop("text_under", None)
    context = {
        "data": data,
        "pages_by_doc": pages_by_doc,
        # Page sizes for the little page maps; only geometry, never the words.
        "sizes": reading.bad_redaction_page_sizes(conn),
    }
    return _render(request, conn, "redactions", "redactions", context)


@router.get("/emails", response_class=HTMLResponse, include_in_schema=False)
def emails_page(request: Request, conn: Conn, inv: Inv, native: bool = True) -> HTMLResponse:
    data = email_report(conn, origin=None if native else "printed")
    for t in data["threads"]:
        # The value the e-mails analyser stored as the page facet `subject:`.
        t["facet_subject"] = subject_facet(t["subject"]) or None
    messages = [m for t in data["threads"] for m in t["messages"]]
    bodies = reading.email_bodies(conn, message_ids=[int(m["id"]) for m in messages])
    for m in messages:
        m["body"] = bodies.get(int(m["id"]))
    printed = [m for m in messages if m["origin"] == "printed"]
    days: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for m in sorted(printed, key=lambda m: (m["sent"] or "9999", m["id"])):
        days[(m["sent"] or "")[:10] or "undated"].append(m)
    context = {
        "data": data,
        "days": dict(days),
        "busiest": max((len(v) for v in days.values()), default=0),
        "office_names": _offices(inv),
        "native": native,
    }
    return _render(request, conn, "emails", "emails", context)

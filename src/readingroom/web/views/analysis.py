"""What the analysers found, as pages: Bates ranges, exemptions, redactions, e-mails.

The views only arrange `readingroom.analyse.report` data, the same data the
CLI prints, so the browser and the terminal never disagree. Every count links
to a search with the matching facet filters and every Bates number to its
page in the viewer. Text recovered from under bad redactions is never sent.
"""

from __future__ import annotations

import re
import sqlite3
from collections import defaultdict
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from readingroom.analyse.emails import subject_facet
from readingroom.analyse.exemptions import display
from readingroom.analyse.report import (
    bates_report,
    email_report,
    exemption_report,
    redaction_report,
)
from readingroom.search import filter_term
from readingroom.web.deps import get_conn, templates

router = APIRouter()
Conn = Annotated[sqlite3.Connection, Depends(get_conn)]


def page_url(document_id: int, page: int) -> str:
    """The viewer's URL for one page."""
    return f"/doc/{document_id}?{urlencode({'page': page})}#page"


def search_url(**filters: str) -> str:
    """A search for every page matching all the given facet values."""
    q = " ".join(filter_term(k, v) for k, v in filters.items() if v)
    return "/?" + urlencode({"q": q})


def _code_order(code: str) -> tuple[int, str]:
    m = re.match(r"b(\d+)(.*)", code)
    return (int(m[1]), m[2]) if m else (99, code)


def pivot(rows: list[dict[str, Any]], key: str) -> dict[str, Any]:
    """Rows of (key, code, marks) as a table: one row per key, one column per code."""
    codes = sorted({r["code"] for r in rows}, key=_code_order)
    table: dict[str, dict[str, int]] = defaultdict(dict)
    for r in rows:
        table[r[key]][r["code"]] = r["marks"]
    return {
        "codes": [(c, display(c)) for c in codes],
        "rows": [(k, table[k], sum(table[k].values())) for k in sorted(table)],
        "totals": {c: sum(t.get(c, 0) for t in table.values()) for c in codes},
        "total": sum(sum(t.values()) for t in table.values()),
    }


def _render(request: Request, name: str, context: dict[str, Any]) -> HTMLResponse:
    return templates.TemplateResponse(
        request, name, {"page_url": page_url, "search_url": search_url, **context}
    )


def office_names(request: Request) -> dict[str, str]:
    """Office code -> name from the investigation's pack, for people who don't know codes."""
    try:
        from readingroom.packs import load_pack

        pack = load_pack("ice", request.app.state.inv.root / "packs")
    except Exception:  # a broken user pack must not take the page down
        return {}
    return {"HQ": "Headquarters", **{o["code"]: o["name"] for o in pack.get("offices", [])}}


def _has_run(conn: sqlite3.Connection, analyser: str) -> bool:
    return (
        conn.execute(
            "SELECT 1 FROM stages WHERE stage = ? AND status = 'done' LIMIT 1",
            (f"analyse:{analyser}",),
        ).fetchone()
        is not None
    )


@router.get("/bates", response_class=HTMLResponse, include_in_schema=False)
def bates_page(request: Request, conn: Conn, production: str | None = None) -> HTMLResponse:
    data = bates_report(conn, production or None)
    # Where each document's first and last stamps are, to link them.
    ends: dict[int, dict[str, int]] = {}
    for r in conn.execute(
        "SELECT b.document_id, min(p.number) AS first_page, max(p.number) AS last_page"
        " FROM bates_stamps b JOIN pages p ON p.id = b.page_id GROUP BY 1"
    ):
        ends[r["document_id"]] = {"first": r["first_page"], "last": r["last_page"]}
    names = dict(conn.execute("SELECT id, name FROM documents").fetchall())
    return _render(
        request,
        "analysis_bates.html",
        {
            "data": data,
            "ends": ends,
            "names": names,
            "production": production,
            "ran": _has_run(conn, "bates"),
        },
    )


@router.get("/exemptions", response_class=HTMLResponse, include_in_schema=False)
def exemptions_page(request: Request, conn: Conn) -> HTMLResponse:
    data = exemption_report(conn)
    for w in data["withheld"]:
        w["codes_shown"] = ", ".join(display(c) for c in w["codes"].split(";") if c)
    by_prod = pivot(data["by_production"], "production")
    by_office = pivot(data["by_office"], "office")
    offices = office_names(request)
    top = max(by_prod["totals"].values(), default=0)
    return _render(
        request,
        "analysis_exemptions.html",
        {
            "data": data,
            "by_prod": by_prod,
            "by_office": by_office,
            "office_names": offices,
            "top": top,
            "ran": _has_run(conn, "exemptions"),
        },
    )


@router.get("/redactions", response_class=HTMLResponse, include_in_schema=False)
def redactions_page(request: Request, conn: Conn) -> HTMLResponse:
    data = redaction_report(conn)
    # Page sizes for the little page maps; only geometry, never the words.
    sizes = {
        (r["document_id"], r["number"]): (r["width"] or 612.0, r["height"] or 792.0)
        for r in conn.execute(
            "SELECT p.document_id, p.number, p.width, p.height FROM pages p"
            " WHERE p.id IN (SELECT page_id FROM redaction_boxes WHERE bad = 1)"
        )
    }
    per_page = [
        dict(r)
        for r in conn.execute(
            "SELECT b.document_id, d.name AS document, p.number AS page, p.bates,"
            " count(*) AS boxes, round(sum(b.area), 1) AS area, sum(b.bad) AS bad,"
            " sum(b.label IS NULL) AS unlabelled FROM redaction_boxes b"
            " JOIN pages p ON p.id = b.page_id JOIN documents d ON d.id = b.document_id"
            " GROUP BY b.page_id ORDER BY d.name, p.number"
        )
    ]
    pages_by_doc: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for r in per_page:
        pages_by_doc[r["document_id"]].append(r)
    for rows in (data["bad"], data["unlabelled"], data["labels_without_box"]):
        for r in rows:
            codes = r.get("label") if "label" in r else r.get("codes")
            r["shown"] = ", ".join(display(c) for c in (codes or "").split(";") if c)
    for b in data["bad"]:  # belt and braces: nothing recovered ever reaches a template
        b.pop("text_under", None)
    return _render(
        request,
        "analysis_redactions.html",
        {
            "data": data,
            "pages_by_doc": pages_by_doc,
            "sizes": sizes,
            "ran": _has_run(conn, "redactions"),
        },
    )


@router.get("/emails", response_class=HTMLResponse, include_in_schema=False)
def emails_page(request: Request, conn: Conn, native: bool = True) -> HTMLResponse:
    data = email_report(conn, origin=None if native else "printed")
    for t in data["threads"]:
        # The value the e-mails analyser stored as the page facet `subject:`.
        t["facet_subject"] = subject_facet(t["subject"]) or None
    printed = [m for t in data["threads"] for m in t["messages"] if m["origin"] == "printed"]
    days: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for m in sorted(printed, key=lambda m: (m["sent"] or "9999", m["id"])):
        days[(m["sent"] or "")[:10] or "undated"].append(m)
    busiest = max((len(v) for v in days.values()), default=0)
    return _render(
        request,
        "analysis_emails.html",
        {
            "data": data,
            "days": dict(days),
            "busiest": busiest,
            "office_names": office_names(request),
            "native": native,
            "ran": _has_run(conn, "emails"),
        },
    )

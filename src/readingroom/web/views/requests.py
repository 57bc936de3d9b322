"""Requests pages: the campaign overview (overdue, due this week), a request's timeline
with its letter reconciled against the pages, and the coverage matrix.

The same library calls as `readingroom requests` and `readingroom coverage`,
on the request's read-only connection: these pages show, the CLI records.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from readingroom.errors import NotFound
from readingroom.investigation import Investigation
from readingroom.requests import coverage as cov
from readingroom.requests import tracker
from readingroom.requests.agencies import load_agencies
from readingroom.requests.model import parse_date
from readingroom.requests.reconcile import reconcile
from readingroom.web.deps import get_conn, get_inv, templates

router = APIRouter()
Conn = Annotated[sqlite3.Connection, Depends(get_conn)]
Inv = Annotated[Investigation, Depends(get_inv)]


def _day(value: str | None) -> dt.date:
    return parse_date(value, "today") or dt.date.today()


@router.get("/requests", response_class=HTMLResponse)
def requests_page(
    request: Request,
    conn: Conn,
    inv: Inv,
    campaign: Annotated[str | None, Query(max_length=200)] = None,
    today: Annotated[str | None, Query(max_length=10)] = None,
) -> HTMLResponse:
    day = _day(today)
    agencies = load_agencies(inv.root)
    overview = tracker.campaign_overview(conn, agencies, campaign=campaign or None, today=day)
    week = (day + dt.timedelta(days=6)).isoformat()
    due_week = [
        r
        for r in overview["rows"]
        if r["next_deadline"] and day.isoformat() <= r["next_deadline"]["date"] <= week
    ]
    return templates.TemplateResponse(
        request,
        "requests.html",
        {
            "o": overview,
            "overdue": [r for r in overview["rows"] if r["overdue"]],
            "due_week": due_week,
            "campaign": campaign or "",
            "day": day.isoformat(),
        },
    )


@router.get("/requests/{tracking}", response_class=HTMLResponse)
def request_page(
    request: Request,
    conn: Conn,
    inv: Inv,
    tracking: str,
    today: Annotated[str | None, Query(max_length=10)] = None,
) -> HTMLResponse:
    r = tracker.show_request(conn, load_agencies(inv.root), tracking, today=_day(today))
    rec: dict[str, Any] | None = None
    if r["letters"]:
        try:
            rec = reconcile(conn, tracking=tracking)
        except NotFound:
            rec = None
    return templates.TemplateResponse(request, "requests_detail.html", {"r": r, "rec": rec})


@router.get("/coverage", response_class=HTMLResponse)
def coverage_page(request: Request, conn: Conn, inv: Inv) -> HTMLResponse:
    m = cov.matrix(conn, cov.OfficeNames(inv.pack))
    return templates.TemplateResponse(request, "coverage.html", {"m": m})


@router.get("/api/requests")
def requests_api(
    conn: Conn,
    inv: Inv,
    campaign: Annotated[str | None, Query(max_length=200)] = None,
    today: Annotated[str | None, Query(max_length=10)] = None,
) -> dict[str, Any]:
    """Campaign statistics and every request with status, due dates and lateness."""
    return tracker.campaign_overview(
        conn, load_agencies(inv.root), campaign=campaign, today=_day(today)
    )


@router.get("/api/coverage")
def coverage_api(conn: Conn, inv: Inv) -> dict[str, Any]:
    """The coverage matrix, as `readingroom coverage --json`."""
    return cov.matrix(conn, cov.OfficeNames(inv.pack))

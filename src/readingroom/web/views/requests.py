"""Requests pages: the campaign overview (overdue, due this week), a request's timeline
with its letter reconciled against the pages, and the coverage matrix; and the forms
that record on them (add a request, an event, link a production, confirm a letter,
confirm or reject coverage proposals).

The same library calls as `readingroom requests` and `readingroom coverage`. Pages
read through the request's read-only connection; a form's POST gets a writable
connection of its own for that one request (`deps.get_writer`) and answers with a redirect
to the page it changed (303, so a reload does not post again). Forms carry the CSRF
token (`csrf(request)`) that the app's guard checks on every POST; bad input is a 400
with words, from the library's own errors.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from readingroom.errors import BadArguments, NotFound
from readingroom.requests import coverage as cov
from readingroom.requests import tracker
from readingroom.requests.agencies import load_agencies
from readingroom.requests.letters import FIGURES
from readingroom.requests.model import EVENT_KINDS, RESOLUTIONS, parse_date
from readingroom.requests.reconcile import reconcile
from readingroom.store import requests as store
from readingroom.web.deps import Conn, Inv, Writer, templates

router = APIRouter()


#: A form field: short text, bounded so a hostile post cannot make us parse megabytes.
Field = Annotated[str, Form(max_length=200)]
OptField = Annotated[str, Form(max_length=2000)]


def _back(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


def _request_url(tracking: str) -> str:
    return f"/requests/{quote(tracking, safe='')}"


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
            "agencies": agencies.listing(),
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
    return templates.TemplateResponse(
        request,
        "requests_detail.html",
        {
            "r": r,
            "rec": rec,
            "kinds": EVENT_KINDS,
            "resolutions": [x.replace(" ", "-") for x in RESOLUTIONS],
            "figures": FIGURES,
            "productions": [
                p
                for p in store.list_productions(conn)
                if p["name"] not in {x["name"] for x in r["productions"]}
            ],
        },
    )


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


@router.post("/requests", include_in_schema=False)
def add_request_form(
    writer: Writer,
    tracking: Field,
    agency: Field,
    filed: Annotated[str, Form(max_length=10)],
    office: Field = "",
    received: Annotated[str, Form(max_length=10)] = "",
    subject: OptField = "",
    campaign: Field = "",
) -> RedirectResponse:
    req = tracker.add_request(
        writer,
        tracking=tracking,
        agency=agency,
        filed=filed,
        office=office or None,
        received=received or None,
        subject=subject or None,
        campaign=campaign or None,
    )
    return _back(_request_url(req["tracking"]))


@router.post("/requests/{tracking}/events", include_in_schema=False)
def add_event_form(
    writer: Writer,
    tracking: str,
    kind: Field,
    date: Annotated[str, Form(max_length=10)],
    resolution: Field = "",
    due: Annotated[str, Form(max_length=10)] = "",
    note: OptField = "",
) -> RedirectResponse:
    tracker.add_event(
        writer,
        tracking=tracking,
        kind=kind,
        date=date,
        resolution=resolution or None,
        due=due or None,
        note=note or None,
    )
    return _back(_request_url(tracking))


@router.post("/requests/{tracking}/productions", include_in_schema=False)
def link_production_form(writer: Writer, tracking: str, production: Field) -> RedirectResponse:
    tracker.link_production(writer, tracking=tracking, production=production)
    return _back(_request_url(tracking))


def _figure(name: str, value: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not value.isdigit() or len(value) > 7:
        raise BadArguments(f"{name.replace('_', ' ')}: {value!r} is not a page count")
    return int(value)


@router.post("/requests/{tracking}/letters/{letter_id}/confirm", include_in_schema=False)
async def confirm_letter_form(
    request: Request, writer: Writer, tracking: str, letter_id: int
) -> RedirectResponse:
    """The user's word on each figure: the form is prefilled with the parsed values."""
    from readingroom.citation import exemption_code

    form = await request.form()
    figures = {k: _figure(k, str(form.get(k) or "")[:20]) for k in FIGURES}
    codes = []
    for c in str(form.get("exemptions") or "")[:500].split(","):
        if c.strip():
            code = exemption_code(c.strip())
            if code is None:
                raise BadArguments(f"exemptions: {c.strip()!r} is not a code such as b7C")
            codes.append(code)
    referred_to = str(form.get("referred_to") or "")[:200].strip()
    tracker.confirm_letter(
        writer,
        tracking=tracking,
        letter_id=letter_id,
        figures=figures,
        exemptions=codes,
        referred_to=referred_to,
    )
    return _back(_request_url(tracking) + "#h-rec")


@router.post("/coverage", include_in_schema=False)
def coverage_form(
    writer: Writer,
    inv: Inv,
    expected: Field,
    action: Annotated[str, Form(pattern="^(confirm|reject)$")],
    office: Field = "",
    titles: Annotated[str, Form(max_length=3)] = "",
) -> RedirectResponse:
    cov.confirm(
        writer,
        cov.OfficeNames(inv.pack),
        expected=expected,
        office=office or None,
        reject=action == "reject",
        by_title=bool(titles),
    )
    return _back("/coverage")

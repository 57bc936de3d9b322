"""The library calls behind `readingroom requests …` and the request pages.

Each function takes a connection (the investigation's writable one for
writes, any for reads), the agencies (`load_agencies`) where rules matter,
and `today` where lateness matters, so the CLI, the web views and tests give
the same answers for the same day.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

from readingroom.errors import BadArguments, NotFound
from readingroom.requests.agencies import Agencies
from readingroom.requests.deadlines import timeline
from readingroom.requests.letters import FIGURES, parse_letter
from readingroom.requests.model import EVENT_KINDS, parse_date, replay, resolution_of
from readingroom.store import requests as store
from readingroom.store import transaction

__all__ = [
    "add_event",
    "add_request",
    "campaign_overview",
    "confirm_letter",
    "get_request",
    "link_production",
    "list_requests",
    "record_letter",
    "refer",
    "show_request",
]


def _today(today: dt.date | None) -> dt.date:
    return today or dt.date.today()


def get_request(conn: sqlite3.Connection, tracking: str) -> dict[str, Any]:
    req = store.find_request(conn, tracking=tracking)
    if req is None:
        raise NotFound(
            f"no request with tracking number {tracking!r}; `readingroom requests list` shows them"
        )
    return req


def add_request(
    conn: sqlite3.Connection,
    *,
    tracking: str,
    agency: str,
    filed: str,
    office: str | None = None,
    received: str | None = None,
    subject: str | None = None,
    campaign: str | None = None,
    text: str | None = None,
    requester: str | None = None,
    referred_from: int | None = None,
    notes: str | None = None,
) -> dict[str, Any]:
    """Record a request; its tracking number must be new and its dates real."""
    tracking = tracking.strip()
    if not tracking:
        raise BadArguments("a request needs a tracking number")
    if not agency or not agency.strip():
        raise BadArguments(f"request {tracking}: name the agency (--agency)")
    filed_d = parse_date(filed, f"request {tracking}: filed")
    received_d = parse_date(received, f"request {tracking}: received")
    if filed_d is None:
        raise BadArguments(f"request {tracking}: the filed date is required (--filed YYYY-MM-DD)")
    if received_d and received_d < filed_d:
        raise BadArguments(f"request {tracking}: received {received_d} is before filed {filed_d}")
    if store.find_request(conn, tracking=tracking):
        raise BadArguments(f"a request {tracking!r} already exists")
    with transaction(conn):
        campaign_id = (
            store.ensure_campaign(conn, name=campaign, subject=subject) if campaign else None
        )
        store.add_request(
            conn,
            request={
                "tracking": tracking,
                "agency": agency.strip(),
                "office": office.strip() if office else None,
                "subject": subject,
                "text": text,
                "requester": requester,
                "filed": filed_d.isoformat(),
                "received": received_d.isoformat() if received_d else None,
                "campaign_id": campaign_id,
                "referred_from": referred_from,
                "notes": notes,
            },
        )
    return get_request(conn, tracking)


def add_event(
    conn: sqlite3.Connection,
    *,
    tracking: str,
    kind: str,
    date: str,
    resolution: str | None = None,
    due: str | None = None,
    note: str | None = None,
) -> dict[str, Any]:
    """Record an event after checking the request's history allows it (model.replay)."""
    req = get_request(conn, tracking)
    if kind not in EVENT_KINDS:
        raise BadArguments(f"unknown event kind {kind!r}; use one of: {', '.join(EVENT_KINDS)}")
    day = parse_date(date, f"{kind} date")
    if day is None:
        raise BadArguments(f"{kind}: the date is required (--date YYYY-MM-DD)")
    due_d = parse_date(due, "court deadline (--due)")
    event = {
        "kind": kind,
        "date": day.isoformat(),
        "resolution": resolution_of(resolution),
        "due": due_d.isoformat() if due_d else None,
        "note": note,
    }
    history = store.events_for(conn, request_ids=[req["id"]])[req["id"]]
    replay(dt.date.fromisoformat(req["filed"]), [*history, {**event, "id": 10**12}])
    with transaction(conn):
        store.add_event(conn, request_id=req["id"], event=event)
    return event


def _row(
    req: dict[str, Any], events: list[dict[str, Any]], agencies: Agencies, today: dt.date
) -> dict[str, Any]:
    t = timeline(req, events, agencies.rules(req["agency"]), today=today)
    return {
        **{
            k: req[k]
            for k in ("tracking", "agency", "office", "subject", "campaign", "filed", "received")
        },
        "office_name": agencies.office_name(req["agency"], req["office"]),
        **t,
    }


def list_requests(
    conn: sqlite3.Connection,
    agencies: Agencies,
    *,
    today: dt.date | None = None,
    campaign: str | None = None,
    overdue: bool = False,
    due_within: int | None = None,
) -> list[dict[str, Any]]:
    """Requests with status and deadlines; `overdue` keeps late ones, `due_within` those
    with a deadline in the next N days (today included)."""
    day = _today(today)
    reqs = store.list_requests(conn, campaign=campaign)
    events = store.events_for(conn, request_ids=[r["id"] for r in reqs])
    rows = [_row(r, events.get(r["id"], []), agencies, day) for r in reqs]
    if overdue:
        rows = [r for r in rows if r["overdue"]]
    if due_within is not None:
        horizon = (day + dt.timedelta(days=due_within)).isoformat()
        rows = [
            r
            for r in rows
            if r["next_deadline"] and day.isoformat() <= r["next_deadline"]["date"] <= horizon
        ]
    return rows


def show_request(
    conn: sqlite3.Connection, agencies: Agencies, tracking: str, *, today: dt.date | None = None
) -> dict[str, Any]:
    """One request: its fields, computed timeline, events, productions, letters, referrals."""
    day = _today(today)
    req = get_request(conn, tracking)
    events = store.events_for(conn, request_ids=[req["id"]])[req["id"]]
    out = _row(req, events, agencies, day)
    out.update(
        {
            "text": req["text"],
            "requester": req["requester"],
            "notes": req["notes"],
            "today": day.isoformat(),
            "events": [
                {k: e[k] for k in ("id", "kind", "date", "resolution", "due", "note")}
                for e in events
            ],
            "productions": store.linked_productions(conn, request_id=req["id"]),
            "letters": store.letters_for(conn, request_id=req["id"]),
            "referred_from": None,
            "referrals": [
                r["tracking"] for r in store.list_requests(conn) if r["referred_from"] == req["id"]
            ],
        }
    )
    if req["referred_from"]:
        parent = [r for r in store.list_requests(conn) if r["id"] == req["referred_from"]]
        out["referred_from"] = parent[0]["tracking"] if parent else None
    return out


def link_production(conn: sqlite3.Connection, *, tracking: str, production: str) -> dict[str, Any]:
    req = get_request(conn, tracking)
    prod = store.production_by_name(conn, name=production)
    if prod is None:
        raise NotFound(
            f"no production {production!r}; ingest it with --production {production!r} first"
        )
    with transaction(conn):
        store.link_production(conn, request_id=req["id"], production_id=prod["id"])
    return prod


def record_letter(
    conn: sqlite3.Connection,
    *,
    tracking: str,
    document: str | None = None,
    path: Path | None = None,
    production: str | None = None,
) -> dict[str, Any]:
    """Parse a production letter (an ingested document, by id or name, or a text file) and
    keep what it says, unconfirmed, against the request (and the production it covers)."""
    req = get_request(conn, tracking)
    doc_id = None
    if document is not None:
        found = (
            [store.document_text(conn, document_id=int(document))]
            if document.isdigit()
            else [
                store.document_text(conn, document_id=d["id"])
                for d in store.find_documents(conn, name=document)
            ]
        )
        docs = [f for f in found if f is not None]
        found = docs  # type: ignore[assignment]
        if not found:
            raise NotFound(f"no ingested document {document!r} to read the letter from")
        if len(found) > 1:
            raise BadArguments(
                f"{len(found)} documents are named like {document!r}; give the document id"
            )
        text, source, doc_id = docs[0]["text"], docs[0]["name"], docs[0]["id"]
    elif path is not None:
        try:
            text = Path(path).read_text("utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise BadArguments(
                f"{path}: cannot read the letter as UTF-8 text ({e}); ingest it and give --document"
            ) from None
        source = str(path)
    else:
        raise BadArguments("give the letter: --document ID|NAME (ingested) or --file PATH (text)")
    prod_id = None
    if production:
        prod = store.production_by_name(conn, name=production)
        if prod is None:
            raise NotFound(f"no production {production!r}")
        prod_id = prod["id"]
    else:
        linked = store.linked_productions(conn, request_id=req["id"])
        prod_id = linked[-1]["id"] if linked else None
    parsed = parse_letter(text)
    with transaction(conn):
        letter_id = store.add_letter(
            conn,
            request_id=req["id"],
            production_id=prod_id,
            document_id=doc_id,
            source=source,
            parsed=parsed,
        )
    return {"id": letter_id, "source": source, **parsed}


def confirm_letter(
    conn: sqlite3.Connection,
    *,
    tracking: str,
    letter_id: int | None = None,
    figures: dict[str, int | None] | None = None,
    exemptions: list[str] | None = None,
    referred_to: str | None = None,
) -> dict[str, Any]:
    """The user's word on a letter: parsed values, with any given figure, exemption list or
    referral agency replacing the parsed one (None keeps it, a figure of None removes it)."""
    req = get_request(conn, tracking)
    letters = store.letters_for(conn, request_id=req["id"])
    letter = next((x for x in letters if letter_id in (None, x["id"])), None)
    if letter is None:
        raise NotFound(f"request {tracking} has no letter {letter_id or ''}".strip())
    base = letter["confirmed"] or letter["parsed"]
    new_figures = dict(base["figures"])
    for k, v in (figures or {}).items():
        if k not in FIGURES:
            raise BadArguments(f"unknown figure {k!r}; use {', '.join(FIGURES)}")
        if v is None:
            new_figures.pop(k, None)
        elif v < 0:
            raise BadArguments(f"{k}: a page count cannot be negative")
        else:
            new_figures[k] = v
    confirmed = {
        "figures": new_figures,
        "exemptions": exemptions if exemptions is not None else base["exemptions"],
        "referred_to": referred_to if referred_to is not None else base.get("referred_to"),
    }
    with transaction(conn):
        store.confirm_letter(conn, letter_id=letter["id"], confirmed=confirmed)
    return {"id": letter["id"], **confirmed}


def refer(
    conn: sqlite3.Connection,
    *,
    tracking: str,
    agency: str,
    new_tracking: str | None = None,
    date: str | None = None,
) -> dict[str, Any]:
    """A referral becomes a request of its own to follow, filed on the referral date."""
    parent = get_request(conn, tracking)
    letters = store.letters_for(conn, request_id=parent["id"])
    filed = date or (letters[0]["created_at"][:10] if letters else dt.date.today().isoformat())
    child = new_tracking or f"{parent['tracking']}-REF-{agency.upper().replace(' ', '')}"
    return add_request(
        conn,
        tracking=child,
        agency=agency,
        filed=filed,
        subject=f"Referral from {parent['tracking']}: {parent['subject'] or ''}".strip(": "),
        campaign=parent["campaign"],
        referred_from=parent["id"],
        notes=f"referred by {parent['agency']} in request {parent['tracking']}",
    )


def campaign_overview(
    conn: sqlite3.Connection,
    agencies: Agencies,
    *,
    campaign: str | None = None,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """Campaign statistics: answered within the statutory time, overdue, appealed, in
    litigation, by status and resolution, and per office."""
    rows = list_requests(conn, agencies, today=today, campaign=campaign)
    answered = [r for r in rows if r["answered"]]
    on_time = [r for r in answered if r["days_late"] == 0]
    return {
        "campaign": campaign,
        "today": _today(today).isoformat(),
        "requests": len(rows),
        "answered": len(answered),
        "answered_on_time": len(on_time),
        "answered_late": len(answered) - len(on_time),
        "overdue": sum(1 for r in rows if r["overdue"]),
        "appealed": sum(1 for r in rows if r["appeal_filed"]),
        "in_litigation": sum(1 for r in rows if r["status"] == "in litigation"),
        "by_status": dict(Counter(r["status"] for r in rows)),
        "by_resolution": dict(Counter(r["resolution"] or "pending" for r in rows)),
        "rows": rows,
    }

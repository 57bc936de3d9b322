"""The publish review queue: each identifier hit, masked, to confirm or dismiss.

Same library calls as `readingroom audit`. Values are masked for everyone;
an editor may reveal one hit at a time (a POST, so the value is never in a
URL or a log line), and each reveal goes to the audit log. Decisions are
recorded per hit with the signed-in reviewer, and remembered across analyser
re-runs (see `store.publish`).
"""

from __future__ import annotations

import sqlite3
from typing import Annotated, Any
from urllib.parse import parse_qs, urlencode, urlparse

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from readingroom.errors import BadArguments
from readingroom.publish import audit as pa
from readingroom.publish.detect import KINDS
from readingroom.store import evidence, reading
from readingroom.web.deps import Conn, Writer, caller_name, templates
from readingroom.web.deps import audit as audit_log
from readingroom.web.security import role

router = APIRouter()

KIND_NAMES = {
    "a_number": "A-number",
    "ssn": "SSN",
    "dob": "Date of birth",
    "phone": "Phone",
    "email": "Personal e-mail",
    "address": "Home address",
    "passport": "Passport",
    "fins": "FINS",
    "name": "Name in a field",
}


Short = Annotated[str, Form(max_length=200)]
Q = Annotated[str | None, Query(max_length=200)]


def _reviewer(request: Request) -> str:
    return caller_name(request) or "anonymous"


def _queue(
    request: Request,
    conn: sqlite3.Connection,
    *,
    tag: str | None,
    kind: str | None,
    state: str | None,
    revealed: dict[str, Any] | None = None,
) -> HTMLResponse:
    if kind and kind not in KINDS:
        raise BadArguments(f"unknown identifier kind {kind[:40]!r}")
    if state and state not in ("pending", "confirmed", "dismissed"):
        raise BadArguments(f"unknown review state {state[:40]!r}")
    ran = reading.analyser_has_run(conn, analyser="identifiers")
    tags = evidence.tag_counts(conn)
    docs = pa.resolve_documents(conn, tag=tag) if tag else None
    hits = pa.audit(conn, document_ids=docs) if ran else []
    broken = pa.failures(conn, document_ids=docs) if ran else []
    counts = pa.summary(hits)
    shown = [
        h for h in hits if (not kind or h["kind"] == kind) and (not state or h["decision"] == state)
    ]
    groups: dict[int, dict[str, Any]] = {}
    for h in shown:
        g = groups.setdefault(
            h["document_id"], {"name": h["name"], "key": h["document"], "hits": []}
        )
        g["hits"].append(h)
    here = {k: v for k, v in (("tag", tag), ("kind", kind), ("state", state)) if v}
    return templates.TemplateResponse(
        request,
        "publish.html",
        {
            "ran": ran,
            "tags": tags,
            "tag": tag or "",
            "kind": kind or "",
            "state": state or "",
            "kinds": KINDS,
            "kind_names": KIND_NAMES,
            "counts": counts,
            "total": len(hits),
            "pending": sum(c["pending"] for c in counts.values()),
            "groups": list(groups.values()),
            "back": "/publish" + ("?" + urlencode(here) if here else ""),
            "revealed": revealed,
            "broken": broken,
        },
    )


@router.get("/publish", response_class=HTMLResponse)
def publish_page(
    request: Request, conn: Conn, tag: Q = None, kind: Q = None, state: Q = None
) -> HTMLResponse:
    return _queue(request, conn, tag=tag or None, kind=kind or None, state=state or None)


@router.get("/api/publish/hits")
def publish_hits_api(conn: Conn, tag: Q = None) -> dict[str, Any]:
    """Every hit (masked) with kind, document, page, span, box and decision: as `audit --json`."""
    docs = pa.resolve_documents(conn, tag=tag) if tag else None
    hits = pa.audit(conn, document_ids=docs)
    return {"hits": hits, "summary": pa.summary(hits)}


def _safe_back(back: str) -> str:
    return back if back.startswith("/publish") and "//" not in back else "/publish"


@router.post("/publish/decide", include_in_schema=False, openapi_extra=role("editor"))
def decide_form(
    request: Request, writer: Writer, hit: Short, decision: Short, back: Short = "/publish"
) -> RedirectResponse:
    if decision not in ("confirm", "dismiss"):
        raise BadArguments("decision must be confirm or dismiss")
    done = pa.decide(
        writer,
        hit_keys=[hit],
        decision="confirmed" if decision == "confirm" else "dismissed",
        reviewer=_reviewer(request),
    )
    audit_log(request, f"publish-{decision}", hit[:40], str(done))
    return RedirectResponse(_safe_back(back) + f"#h-{hit[:16]}", status_code=303)


@router.post("/publish/confirm-all", include_in_schema=False, openapi_extra=role("editor"))
def confirm_all_form(
    request: Request, writer: Writer, kind: Short, tag: Short = "", back: Short = "/publish"
) -> RedirectResponse:
    docs = pa.resolve_documents(writer, tag=tag) if tag else None
    n = pa.decide(
        writer, kind=kind, decision="confirmed", reviewer=_reviewer(request), document_ids=docs
    )
    audit_log(request, "publish-confirm-all", kind[:40], str(n))
    return RedirectResponse(_safe_back(back), status_code=303)


@router.post(
    "/publish/reveal",
    response_class=HTMLResponse,
    include_in_schema=False,
    openapi_extra=role("editor"),
)
def reveal_form(request: Request, conn: Conn, hit: Short, back: Short = "/publish") -> HTMLResponse:
    shown = pa.reveal(conn, hit_key=hit)
    audit_log(request, "publish-reveal", hit[:40], shown["kind"])
    # The queue is re-rendered (not redirected to) with the filters `back` carried,
    # so the value exists only in this one response.
    params = {k: v[0] for k, v in parse_qs(urlparse(_safe_back(back)).query).items()}
    return _queue(
        request,
        conn,
        tag=params.get("tag"),
        kind=params.get("kind"),
        state=params.get("state"),
        revealed=shown,
    )

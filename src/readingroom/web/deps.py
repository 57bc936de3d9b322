"""Shared pieces for view modules: the investigation, per-request connections, templates.

SQLite connections are not shared between requests: each request gets its own
read-only connection (FastAPI runs sync views in a thread pool), closed when
the response is done, so a slow search never blocks another reader and no
request can write to the evidence.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import threading
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, Request
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from readingroom.errors import NotFound
from readingroom.investigation import Investigation
from readingroom.search import marked_to_html
from readingroom.search.limits import time_budget
from readingroom.store import connect, reading

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"

templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
templates.env.filters["marked"] = lambda text: Markup(marked_to_html(text or ""))
templates.env.globals["urlencode"] = lambda **kw: urlencode(
    {k: v for k, v in kw.items() if v not in (None, "")}
)
#: Forms put `<input type="hidden" name="csrf" value="{{ csrf(request) }}">` in every POST.
templates.env.globals["csrf"] = lambda request: getattr(request.state, "csrf", "") or ""
templates.env.globals["caller"] = lambda request: getattr(request.state, "caller", None)

#: Page rendering goes through the investigation's one writable connection and
#: PyMuPDF; one render at a time keeps both safe and memory bounded.
render_lock = threading.Lock()


def get_inv(request: Request) -> Investigation:
    inv: Investigation = request.app.state.inv
    return inv


async def get_conn(request: Request) -> AsyncIterator[sqlite3.Connection]:
    """A read-only connection for this request only, under the request's time budget.

    SQLite's progress handler stops its work after `app.state.query_seconds`,
    or as soon as the client disconnects (watched here, on the event loop,
    while the view runs in a worker thread).
    """
    conn = get_inv(request).reader()
    cancelled = threading.Event()
    watcher = asyncio.create_task(_watch_disconnect(request, cancelled))
    try:
        with time_budget(conn, request.app.state.query_seconds, cancelled=cancelled):
            yield conn
    finally:
        watcher.cancel()
        conn.close()


async def _watch_disconnect(request: Request, cancelled: threading.Event) -> None:
    with contextlib.suppress(asyncio.CancelledError):
        while not await request.is_disconnected():
            await asyncio.sleep(0.25)
        cancelled.set()


def get_writer(request: Request) -> Iterator[sqlite3.Connection]:
    """A writable connection for one state-changing request, closed when it is done.

    Reads go through `get_conn` (read-only, time-budgeted); only a view that
    records something (a finding, a request event, a review decision) asks
    for this one, and the security layer has already required the editor role.
    """
    conn = connect(get_inv(request).db_path)
    try:
        yield conn
    finally:
        conn.close()


def caller_name(request: Request) -> str | None:
    """The signed-in person's name; None on a login-free local room."""
    caller = getattr(request.state, "caller", None)
    return getattr(caller, "name", None)


#: Dependencies as view parameters: `conn: Conn`, `writer: Writer`, `inv: Inv`.
Conn = Annotated[sqlite3.Connection, Depends(get_conn)]
Writer = Annotated[sqlite3.Connection, Depends(get_writer)]
Inv = Annotated[Investigation, Depends(get_inv)]


def audit(
    request: Request, action: str, target: str | None = None, detail: str | None = None
) -> None:
    """Record who did what (search, view, download-original, reveal) in the audit log."""
    request.app.state.accounts.audit(request, action, target, detail)


def document_or_404(conn: sqlite3.Connection, doc_id: int) -> dict[str, Any]:
    """The document with its relations (`store.reading.document`), or NotFound."""
    doc = reading.document(conn, document_id=doc_id)
    if doc is None:
        raise NotFound(f"No document {doc_id}")
    return doc


def document_by_key(conn: sqlite3.Connection, key: str) -> dict[str, Any]:
    """The document a permanent key (a SHA-256 prefix) names, or NotFound saying why."""
    ids = reading.documents_for_key(conn, key=key)
    if not ids:
        raise NotFound(f"No document has the id {key[:80]}")
    if len(ids) > 1:
        raise NotFound(f"{key} starts more than one document's hash; use more of it")
    return document_or_404(conn, ids[0])

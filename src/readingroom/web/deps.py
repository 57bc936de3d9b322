"""Shared pieces for view modules: the investigation, per-request connections, templates.

SQLite connections are not shared between requests: each request gets its own
read-only connection (FastAPI runs sync views in a thread pool), closed when
the response is done, so a slow search never blocks another reader and no
request can write to the evidence.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from readingroom.errors import NotFound
from readingroom.investigation import Investigation
from readingroom.search import marked_to_html
from readingroom.store import reading

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"

templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
templates.env.filters["marked"] = lambda text: Markup(marked_to_html(text or ""))
templates.env.globals["urlencode"] = lambda **kw: urlencode(
    {k: v for k, v in kw.items() if v not in (None, "")}
)

#: Page rendering goes through the investigation's one writable connection and
#: PyMuPDF; one render at a time keeps both safe and memory bounded.
render_lock = threading.Lock()


def get_inv(request: Request) -> Investigation:
    inv: Investigation = request.app.state.inv
    return inv


def get_conn(request: Request) -> Iterator[sqlite3.Connection]:
    """A read-only connection for this request only."""
    conn = get_inv(request).reader()
    try:
        yield conn
    finally:
        conn.close()


def document_or_404(conn: sqlite3.Connection, doc_id: int) -> dict[str, Any]:
    """The document with its relations (`store.reading.document`), or NotFound."""
    doc = reading.document(conn, document_id=doc_id)
    if doc is None:
        raise NotFound(f"No document {doc_id}")
    return doc

"""The document viewer: page image beside its text, hits marked in both.

A document's URL is its permanent key, `/doc/<first 12 hex digits of its
SHA-256>`: the same in every investigation that holds the file, so a link
is a citation that survives re-ingest. Old numeric URLs (`/doc/42`) redirect.

Word boxes are stored in PDF points from the page's top-left; the overlay
places them as percentages of the page size, so they line up with the image
at whatever size the browser draws it.
"""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from readingroom.doctypes import has_page_images
from readingroom.errors import NotFound, QueryError
from readingroom.investigation import Investigation
from readingroom.page import Word
from readingroom.render import render_page_png
from readingroom.search import find_bates, highlight_page, matching_pages
from readingroom.store import reading
from readingroom.web.deps import (
    audit,
    document_by_key,
    document_or_404,
    get_conn,
    get_inv,
    render_lock,
    templates,
)
from readingroom.web.security import Forbidden, role
from readingroom.web.views.tags import viewer_tags

router = APIRouter()

#: A permanent key (hex, 8–64 digits) or an old numeric id (shorter than a key).
Key = Annotated[str, Path(pattern=r"^(?:[0-9a-fA-F]{12,64}|[0-9]{1,11})$")]
PageNo = Annotated[int, Path(ge=1, le=1_000_000)]


@dataclass(frozen=True)
class HighlightBox:
    """A highlighted word as percentages of the page (left, top, width, height)."""

    left: float
    top: float
    width: float
    height: float
    text: str


def word_boxes(page: dict[str, Any], words: list[Word], lit: frozenset[int]) -> list[HighlightBox]:
    """Lit word boxes as percentages of the page, so they scale with the image."""
    width, height = page["width"] or 0, page["height"] or 0
    if not lit or width <= 0 or height <= 0:
        return []
    return [
        HighlightBox(
            round(100 * w.x0 / width, 3),
            round(100 * w.y0 / height, 3),
            round(100 * (w.x1 - w.x0) / width, 3),
            round(100 * (w.y1 - w.y0) / height, 3),
            w.text,
        )
        for i, w in enumerate(words)
        if i in lit
    ]


def _old_id(
    conn: sqlite3.Connection, key: str, request: Request, suffix: str = ""
) -> Response | None:
    """A redirect from an old numeric URL to the permanent one, or None for a key."""
    if len(key) >= 12:
        return None
    doc = document_or_404(conn, int(key))
    query = f"?{request.url.query}" if request.url.query else ""
    return RedirectResponse(f"/doc/{doc['key']}{suffix}{query}", status_code=301)


@router.get("/doc/{key}", response_class=HTMLResponse, include_in_schema=False)
def document_page(
    request: Request,
    key: Key,
    conn: Annotated[sqlite3.Connection, Depends(get_conn)],
    inv: Annotated[Investigation, Depends(get_inv)],
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    q: Annotated[str, Query(max_length=2000)] = "",
) -> Response:
    if (moved := _old_id(conn, key, request)) is not None:
        return moved
    doc = document_by_key(conn, key)
    doc_id = doc["id"]
    total = doc["pages_stored"]
    number = min(page, total) if total else 0
    row = reading.page(conn, document_id=doc_id, number=number, words=True)
    marked_text, boxes = "", []
    if row is not None:
        words = row["words"]
        hl = highlight_page(conn, q, row["id"], [w.text for w in words])
        marked_text = hl.text
        boxes = word_boxes(row, words, hl.boxes)
    hits: list[int] = []
    query_error = None
    if q:
        try:
            hits = matching_pages(conn, q, doc_id)
        except QueryError as e:
            query_error = str(e)
    has_original = inv.blobs.has(doc["sha256"])
    audit(request, "view", f"{doc['key']} p.{number}", doc["name"])
    return templates.TemplateResponse(
        request,
        "document.html",
        {
            "doc": doc,
            "page": row,
            "number": number,
            "total": total,
            "text": marked_text,
            "boxes": boxes,
            "has_image": row is not None and has_page_images(doc["doc_type"]) and has_original,
            "q": q,
            "hits": hits,
            "prev_hit": max((h for h in hits if h < number), default=None),
            "next_hit": min((h for h in hits if h > number), default=None),
            "query_error": query_error,
            "has_original": has_original,
            "bad_pages": reading.bad_redaction_pages(conn, document_id=doc_id),
            "tags": viewer_tags(request, conn, document_id=doc_id, number=number),
        },
    )


@router.get("/doc/{key}/page/{number}.png", include_in_schema=False)
def page_image(
    request: Request,
    key: Key,
    number: PageNo,
    conn: Annotated[sqlite3.Connection, Depends(get_conn)],
    inv: Annotated[Investigation, Depends(get_inv)],
    dpi: Annotated[int, Query(ge=36, le=300)] = 110,
) -> Response:
    if (moved := _old_id(conn, key, request, f"/page/{number}.png")) is not None:
        return moved
    doc = document_by_key(conn, key)
    # The URL holds the content hash; the ETag adds the investigation, so one
    # investigation's cached image never stands in for another's.
    tag = hashlib.sha256(f"{inv.root}|{doc['sha256']}|{number}|{dpi}".encode()).hexdigest()[:32]
    headers = {"Cache-Control": "private, max-age=86400", "ETag": f'"{tag}"'}
    if request.headers.get("if-none-match") == f'"{tag}"':
        return Response(status_code=304, headers=headers)
    # A missing page is an InputError, answered 404 by the app's handler.
    try:
        with render_lock:
            png = render_page_png(inv, doc["id"], number, dpi)
    except FileNotFoundError as e:  # the blob store lost the original
        raise NotFound(str(e)) from e
    return Response(png, media_type="image/png", headers=headers)


def _original(doc: dict[str, Any], inv: Investigation) -> FileResponse:
    if not inv.blobs.has(doc["sha256"]):
        raise NotFound(f"No original stored for document {doc['key']}")
    return FileResponse(
        inv.blobs.path(doc["sha256"]),
        media_type=doc["mime"] or "application/octet-stream",
        filename=doc["name"],
        headers={"Cache-Control": "private, no-store"},
    )


@router.get("/doc/{key}/original", include_in_schema=False)
def original(
    request: Request,
    key: Key,
    conn: Annotated[sqlite3.Connection, Depends(get_conn)],
    inv: Annotated[Investigation, Depends(get_inv)],
) -> Response:
    """The original file; one with bad redactions asks first, and only editors may go on."""
    if (moved := _old_id(conn, key, request, "/original")) is not None:
        return moved
    doc = document_by_key(conn, key)
    bad = reading.bad_redaction_pages(conn, document_id=doc["id"])
    if bad:
        return templates.TemplateResponse(
            request, "download_risk.html", {"doc": doc, "bad_pages": bad}
        )
    audit(request, "download-original", doc["key"], doc["name"])
    return _original(doc, inv)


@router.post("/doc/{key}/original", include_in_schema=False, openapi_extra=role("editor"))
def original_confirmed(
    request: Request,
    key: Key,
    understood: Annotated[str, Form(max_length=10)],
    conn: Annotated[sqlite3.Connection, Depends(get_conn)],
    inv: Annotated[Investigation, Depends(get_inv)],
) -> Response:
    doc = document_by_key(conn, key)
    if understood != "yes":
        raise Forbidden("confirm that you understand the risk to download this original")
    bad = reading.bad_redaction_pages(conn, document_id=doc["id"])
    audit(
        request, "download-original", doc["key"],
        f"{doc['name']}; confirmed readable text under redactions on pages "
        + ", ".join(map(str, bad)),
    )  # fmt: skip
    return _original(doc, inv)


@router.get("/goto", include_in_schema=False)
def goto_bates(
    conn: Annotated[sqlite3.Connection, Depends(get_conn)],
    bates: Annotated[str, Query(max_length=200)] = "",
    q: Annotated[str, Query(max_length=2000)] = "",
) -> Response:
    """Jump to the page stamped with a Bates number."""
    bates = bates.strip()
    if not bates:
        raise QueryError("type a Bates number, like DFE 000123")
    found = find_bates(conn, bates)
    if found is None:
        raise NotFound(f"No page is stamped with Bates number {bates}.")
    doc_id, number = found
    doc = document_or_404(conn, doc_id)
    params = urlencode({"page": number, **({"q": q} if q else {})})
    return RedirectResponse(f"/doc/{doc['key']}?{params}#page", status_code=303)

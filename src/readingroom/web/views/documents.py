"""The document viewer: page image beside its text, hits marked in both.

Word boxes are stored in PDF points from the page's top-left; the overlay
places them as percentages of the page size, so they line up with the image
at whatever size the browser draws it.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from readingroom.doctypes import has_page_images
from readingroom.errors import NotFound, QueryError
from readingroom.investigation import Investigation
from readingroom.page import Word
from readingroom.render import render_page_png
from readingroom.search import find_bates, highlight_page, matching_pages
from readingroom.store import reading
from readingroom.store.documents import get_document
from readingroom.web.deps import document_or_404, get_conn, get_inv, render_lock, templates

router = APIRouter()


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


@router.get("/doc/{doc_id}", response_class=HTMLResponse, include_in_schema=False)
def document_page(
    request: Request,
    doc_id: int,
    conn: Annotated[sqlite3.Connection, Depends(get_conn)],
    inv: Annotated[Investigation, Depends(get_inv)],
    page: Annotated[int, Query(ge=1)] = 1,
    q: str = "",
) -> HTMLResponse:
    doc = document_or_404(conn, doc_id)
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
        },
    )


@router.get("/doc/{doc_id}/page/{number}.png", include_in_schema=False)
def page_image(
    doc_id: int,
    number: int,
    inv: Annotated[Investigation, Depends(get_inv)],
    dpi: Annotated[int, Query(ge=36, le=300)] = 110,
) -> Response:
    # A missing document or page is an InputError, answered 404 by the app's handler.
    try:
        with render_lock:
            png = render_page_png(inv, doc_id, number, dpi)
    except FileNotFoundError as e:  # the blob store lost the original
        raise NotFound(str(e)) from e
    return Response(png, media_type="image/png", headers={"Cache-Control": "max-age=86400"})


@router.get("/doc/{doc_id}/original", include_in_schema=False)
def original(
    doc_id: int,
    conn: Annotated[sqlite3.Connection, Depends(get_conn)],
    inv: Annotated[Investigation, Depends(get_inv)],
) -> FileResponse:
    found = get_document(conn, document_id=doc_id)
    if found is None or not inv.blobs.has(found["sha256"]):
        raise NotFound(f"No original stored for document {doc_id}")
    return FileResponse(
        inv.blobs.path(found["sha256"]),
        media_type=found["mime"] or "application/octet-stream",
        filename=found["name"],
    )


@router.get("/goto", include_in_schema=False)
def goto_bates(
    conn: Annotated[sqlite3.Connection, Depends(get_conn)],
    bates: str = "",
    q: str = "",
) -> Response:
    """Jump to the page stamped with a Bates number."""
    bates = bates.strip()
    if not bates:
        raise QueryError("type a Bates number, like DFE 000123")
    found = find_bates(conn, bates)
    if found is None:
        raise NotFound(f"No page is stamped with Bates number {bates}.")
    doc_id, number = found
    params = urlencode({"page": number, **({"q": q} if q else {})})
    return RedirectResponse(f"/doc/{doc_id}?{params}#page", status_code=303)

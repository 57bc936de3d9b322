"""The document viewer: page image beside its text, hits marked in both.

Word boxes are stored in PDF points from the page's top-left; the overlay
places them as percentages of the page size, so they line up with the image
at whatever size the browser draws it.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from readingroom.errors import InputError, QueryError
from readingroom.ingest.model import Word
from readingroom.investigation import Investigation
from readingroom.render import render_page_png
from readingroom.search import find_bates, highlight_page, matching_pages
from readingroom.store import decode_words
from readingroom.web.deps import get_conn, get_inv, render_lock, templates

router = APIRouter()
IMAGE_TYPES = ("pdf", "image")


@dataclass(frozen=True)
class Box:
    """A highlighted word as percentages of the page (left, top, width, height)."""

    left: float
    top: float
    width: float
    height: float
    text: str


def load_document(conn: sqlite3.Connection, doc_id: int) -> dict[str, Any]:
    """A document with its production, parent, children and where it was found."""
    doc = conn.execute(
        "SELECT d.*, pr.name AS production, pr.received AS production_received,"
        " (SELECT count(*) FROM pages WHERE document_id = d.id) AS pages_stored"
        " FROM documents d LEFT JOIN productions pr ON pr.id = d.production_id WHERE d.id = ?",
        (doc_id,),
    ).fetchone()
    if doc is None:
        raise HTTPException(404, f"No document {doc_id}")
    out = dict(doc)
    try:
        out["metadata"] = json.loads(doc["metadata"] or "{}")
    except json.JSONDecodeError:
        out["metadata"] = {}
    out["parent"] = None
    if doc["parent_id"] is not None:
        parent = conn.execute(
            "SELECT id, name, title, doc_type FROM documents WHERE id = ?", (doc["parent_id"],)
        ).fetchone()
        out["parent"] = dict(parent) if parent else None
    out["children"] = [
        dict(r)
        for r in conn.execute(
            "SELECT id, name, title, doc_type, page_count FROM documents WHERE parent_id = ?"
            " ORDER BY id",
            (doc_id,),
        )
    ]
    out["locations"] = [
        dict(r)
        for r in conn.execute(
            "SELECT path, kind FROM locations WHERE document_id = ? ORDER BY id LIMIT 20", (doc_id,)
        )
    ]
    return out


def word_boxes(page: sqlite3.Row, words: list[Word], lit: frozenset[int]) -> list[Box]:
    """Lit word boxes as percentages of the page, so they scale with the image."""
    width, height = page["width"] or 0, page["height"] or 0
    if not lit or width <= 0 or height <= 0:
        return []
    return [
        Box(
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
    doc = load_document(conn, doc_id)
    total = doc["pages_stored"]
    number = min(page, total) if total else 0
    row = conn.execute(
        "SELECT * FROM pages WHERE document_id = ? AND number = ?", (doc_id, number)
    ).fetchone()
    marked_text, boxes = "", []
    if row is not None:
        words = decode_words(row["words"])
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
    has_image = row is not None and doc["doc_type"] in IMAGE_TYPES and inv.blobs.has(doc["sha256"])
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
            "has_image": has_image,
            "q": q,
            "hits": hits,
            "prev_hit": max((h for h in hits if h < number), default=None),
            "next_hit": min((h for h in hits if h > number), default=None),
            "query_error": query_error,
            "has_original": inv.blobs.has(doc["sha256"]),
        },
    )


@router.get("/doc/{doc_id}/page/{number}.png", include_in_schema=False)
def page_image(
    doc_id: int,
    number: int,
    inv: Annotated[Investigation, Depends(get_inv)],
    dpi: Annotated[int, Query(ge=36, le=300)] = 110,
) -> Response:
    try:
        with render_lock:
            png = render_page_png(inv, doc_id, number, dpi)
    except (InputError, FileNotFoundError) as e:
        raise HTTPException(404, str(e)) from e
    return Response(png, media_type="image/png", headers={"Cache-Control": "max-age=86400"})


@router.get("/doc/{doc_id}/original", include_in_schema=False)
def original(
    doc_id: int,
    conn: Annotated[sqlite3.Connection, Depends(get_conn)],
    inv: Annotated[Investigation, Depends(get_inv)],
) -> FileResponse:
    row = conn.execute(
        "SELECT sha256, name, mime FROM documents WHERE id = ?", (doc_id,)
    ).fetchone()
    if row is None or not inv.blobs.has(row["sha256"]):
        raise HTTPException(404, f"No original stored for document {doc_id}")
    return FileResponse(
        inv.blobs.path(row["sha256"]),
        media_type=row["mime"] or "application/octet-stream",
        filename=row["name"],
    )


@router.get("/goto", include_in_schema=False)
def goto_bates(
    request: Request,
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
        return templates.TemplateResponse(
            request,
            "error.html",
            {"message": f"No page is stamped with Bates number {bates}."},
            status_code=404,
        )
    doc_id, number = found
    params = urlencode({"page": number, **({"q": q} if q else {})})
    return RedirectResponse(f"/doc/{doc_id}?{params}#page", status_code=303)

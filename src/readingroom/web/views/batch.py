"""Batch search: a watchlist of terms in, hit counts per term out."""

from __future__ import annotations

import sqlite3
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from readingroom.evidence import exports
from readingroom.search import TermCount, count_terms
from readingroom.web.deps import get_conn, templates
from readingroom.web.security import role

router = APIRouter()
#: A watchlist is a few hundred terms; this bounds the work one request can ask for.
MAX_TERMS = 1000
MAX_UPLOAD = 1024 * 1024


@router.get("/batch", response_class=HTMLResponse, include_in_schema=False)
def batch_form(request: Request) -> HTMLResponse:
    return templates.TemplateResponse(request, "batch.html", {"terms": "", "counts": None})


@router.post(
    "/batch", response_class=HTMLResponse, include_in_schema=False, openapi_extra=role("viewer")
)
async def batch_run(
    request: Request,
    conn: Annotated[sqlite3.Connection, Depends(get_conn)],
    terms: Annotated[str, Form()] = "",
    upload: Annotated[UploadFile | None, File()] = None,
    export: Annotated[str, Form(pattern=r"^(csv|json)?$")] = "",
) -> Response:
    text = terms
    error = None
    if upload is not None and upload.filename:
        data = await upload.read(MAX_UPLOAD + 1)
        if len(data) > MAX_UPLOAD:
            error = "The uploaded list is larger than 1 MB."
        else:
            text = (text + "\n" + data.decode("utf-8", errors="replace")).strip()
    lines = text.splitlines()
    if len(lines) > MAX_TERMS:
        error = f"Only the first {MAX_TERMS} terms were counted."
        lines = lines[:MAX_TERMS]
    counts: list[TermCount] = count_terms(conn, lines)
    if export:  # the counts as CSV/JSON (issue 11)
        return exports.as_download(exports.term_rows(counts), exports.TERM_COLUMNS, "batch", export)
    return templates.TemplateResponse(
        request, "batch.html", {"terms": text, "counts": counts, "error": error}
    )

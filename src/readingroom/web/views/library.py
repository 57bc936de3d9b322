"""The documents page: every document, sortable, filtered by production, type, date and name."""

from __future__ import annotations

import sqlite3
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from readingroom.doctypes import DOC_TYPES
from readingroom.errors import QueryError
from readingroom.store import reading
from readingroom.web.deps import get_conn, templates

router = APIRouter()
PER_PAGE = 50
Text = Annotated[str, Query(max_length=200)]


@router.get("/documents", response_class=HTMLResponse, include_in_schema=False)
def documents_page(
    request: Request,
    conn: Annotated[sqlite3.Connection, Depends(get_conn)],
    words: Text = "",
    production: Text = "",
    type: Text = "",
    date_from: Annotated[str, Query(max_length=10, alias="from")] = "",
    date_to: Annotated[str, Query(max_length=10, alias="to")] = "",
    sort: Annotated[str, Query(max_length=20)] = "title",
    desc: bool = False,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    if sort not in reading.DOCUMENT_SORTS:
        raise QueryError(f"unknown sort '{sort}'; use one of: {', '.join(reading.DOCUMENT_SORTS)}")
    if type and type not in DOC_TYPES:
        raise QueryError(f"unknown document type '{type}'; use one of: {', '.join(DOC_TYPES)}")
    total, rows = reading.list_documents(
        conn, words=words, production=production, doc_type=type, date_from=date_from,
        date_to=date_to, sort=sort, descending=desc, limit=PER_PAGE, offset=(page - 1) * PER_PAGE,
    )  # fmt: skip
    filters = {
        "words": words,
        "production": production,
        "type": type,
        "from": date_from,
        "to": date_to,
    }
    return templates.TemplateResponse(
        request,
        "documents.html",
        {
            "rows": rows,
            "total": total,
            "page": page,
            "pages": (total + PER_PAGE - 1) // PER_PAGE,
            "sort": sort,
            "desc": desc,
            "filters": filters,
            "productions": reading.production_names(conn),
            "types": DOC_TYPES,
            "columns": [
                ("title", "Title / file"),
                ("date", "Date"),
                ("type", "Type"),
                ("pages", "Pages"),
                ("production", "Production"),
            ],
        },
    )

"""The search page: ranked documents with highlighted hits, facets, pagination."""

from __future__ import annotations

import sqlite3
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from readingroom.errors import QueryError
from readingroom.evidence import exports
from readingroom.search import (
    BUILTIN_FIELDS,
    SORTS,
    SearchResult,
    facet_names,
    search,
    toggle_filter,
)
from readingroom.store import reading
from readingroom.web.deps import audit, get_conn, templates

router = APIRouter()
PER_PAGE = 20


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def search_page(
    request: Request,
    conn: Annotated[sqlite3.Connection, Depends(get_conn)],
    q: str = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    sort: Annotated[str, Query(max_length=20)] = "relevance",
    more: Annotated[str, Query(max_length=40)] = "",
    copies: Annotated[str, Query(max_length=10)] = "",
    export: Annotated[str, Query(pattern=r"^(csv|json)?$")] = "",
) -> Response:
    q = q.strip()
    if q and export:  # every matching page as CSV/JSON (issue 11)
        rows = exports.search_rows(conn, q, sort=sort, base_url=str(request.base_url).rstrip("/"))
        return exports.as_download(rows, exports.SEARCH_COLUMNS, "search", export)
    result: SearchResult | None = None
    error: str | None = None
    if sort not in SORTS:
        sort = "relevance"
    if q:
        audit(request, "search", q[:500], f"page {page}" if page > 1 else None)
        try:
            result = search(
                conn,
                q,
                limit=PER_PAGE,
                offset=(page - 1) * PER_PAGE,
                sort=sort,
                more=more or None,
                collapse=copies != "all",  # near-duplicates fold into one result (issue 12)
            )
        except QueryError as e:
            error = str(e)
    pages = 0
    if result is not None:
        pages = (result.total_documents + PER_PAGE - 1) // PER_PAGE
    # (label as people write it, the query's own text to remove)
    active = [
        (v.filter, v.selected)
        for f in (result.facets if result else [])
        for v in f.values
        if v.selected is not None
    ]
    return templates.TemplateResponse(
        request,
        "search.html",
        {
            "q": q,
            "sort": sort,
            "more": more,
            "sorts": SORTS,
            "page": page,
            "pages": pages,
            "result": result,
            "error": error,
            "active": active,
            "toggle": toggle_filter,
            "stats": reading.totals(conn) if not q else None,
            "fields": {**BUILTIN_FIELDS, **{f: "facet from analysers" for f in facet_names(conn)}},
        },
        status_code=400 if error else 200,
    )

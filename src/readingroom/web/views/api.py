"""The JSON API: the same library calls as the pages, documented by OpenAPI."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query
from pydantic import BaseModel, Field

from readingroom.search import (
    SearchResult,
    TermCount,
    count_terms,
    find_bates,
    highlight_page,
    marked_to_html,
    search,
    strip_marks,
)
from readingroom.web.deps import get_conn
from readingroom.web.views.documents import load_document

router = APIRouter(prefix="/api", tags=["api"])


@dataclass
class ApiHit:
    page_id: int
    number: int
    bates: str | None
    snippet: str
    snippet_html: str
    score: float | None
    source: str
    ocr_confidence: float | None
    url: str


@dataclass
class ApiDocument:
    document_id: int
    name: str
    title: str | None
    doc_type: str
    date: str | None
    production: str | None
    page_count: int | None
    parent_id: int | None
    matching_pages: int
    hits: list[ApiHit]
    url: str


@dataclass
class ApiFacetValue:
    value: str  # as stored: b7C, ELP
    count: int
    filter: str  # query text selecting it, as people write it
    label: str  # as people write it: (b)(7)(C), El Paso


@dataclass
class ApiFacet:
    name: str
    values: list[ApiFacetValue]


@dataclass
class ApiSearchResult:
    query: str
    sort: str
    limit: int
    offset: int
    total_pages: int
    total_documents: int
    documents: list[ApiDocument]
    facets: list[ApiFacet]
    facets_approximate: bool
    elapsed_ms: float
    ranked_pages: int | None = Field(
        None,
        description="pages with a relevance score when fewer than total_pages "
        "(scoring stopped at rank_limit, pages matching by a filter alone, or no words)",
    )
    rank_limit: int | None = Field(None, description="set when only the first N pages were scored")


def to_api(result: SearchResult) -> ApiSearchResult:
    docs = [
        ApiDocument(
            document_id=d.document_id,
            name=d.name,
            title=d.title,
            doc_type=d.doc_type,
            date=d.date,
            production=d.production,
            page_count=d.page_count,
            parent_id=d.parent_id,
            matching_pages=d.matching_pages,
            url=f"/doc/{d.document_id}",
            hits=[
                ApiHit(
                    page_id=h.page_id,
                    number=h.number,
                    bates=h.bates,
                    snippet=strip_marks(h.snippet),
                    snippet_html=marked_to_html(h.snippet),
                    score=h.score,
                    source=h.source,
                    ocr_confidence=h.ocr_confidence,
                    url=f"/doc/{d.document_id}?page={h.number}",
                )
                for h in d.hits
            ],
        )
        for d in result.documents
    ]
    facets = [
        ApiFacet(f.name, [ApiFacetValue(v.value, v.count, v.filter, v.label) for v in f.values])
        for f in result.facets
    ]
    return ApiSearchResult(
        query=result.query,
        sort=result.sort,
        limit=result.limit,
        offset=result.offset,
        total_pages=result.total_pages,
        total_documents=result.total_documents,
        documents=docs,
        facets=facets,
        facets_approximate=result.facets_approximate,
        elapsed_ms=result.elapsed_ms,
        ranked_pages=result.ranked_pages,
        rank_limit=result.rank_limit,
    )


class ApiError(BaseModel):
    error: str = Field(description="What is wrong with the request, and where")


ERRORS: dict[int | str, dict[str, Any]] = {400: {"model": ApiError}, 404: {"model": ApiError}}


@router.get("/search", response_model=ApiSearchResult, responses=ERRORS)
def api_search(
    conn: Annotated[sqlite3.Connection, Depends(get_conn)],
    q: Annotated[str, Query(description='Query, e.g. quota office:"El Paso" -training')],
    limit: Annotated[int, Query(ge=1, le=200, description="documents per page")] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
    sort: Annotated[str, Query(description="relevance, date, newest or bates")] = "relevance",
) -> ApiSearchResult:
    """Search pages; hits are grouped by document, `limit` and `offset` count documents."""
    return to_api(search(conn, q, limit=limit, offset=offset, sort=sort))


class BatchRequest(BaseModel):
    terms: list[str] = Field(max_length=1000, description="one query per item")


@router.post("/batch", response_model=list[TermCount], responses=ERRORS)
def api_batch(
    body: BatchRequest, conn: Annotated[sqlite3.Connection, Depends(get_conn)]
) -> list[TermCount]:
    """Pages and documents matching each term; invalid terms carry `error`."""
    return count_terms(conn, body.terms)


@dataclass
class ApiPage:
    document_id: int
    number: int
    bates: str | None
    source: str
    ocr_confidence: float | None
    text: str
    text_html: str | None
    width: float | None
    height: float | None


@router.get("/documents/{doc_id}", responses=ERRORS)
def api_document(
    doc_id: int, conn: Annotated[sqlite3.Connection, Depends(get_conn)]
) -> dict[str, Any]:
    """A document's metadata, parent, children (attachments) and locations."""
    return load_document(conn, doc_id)


@router.get("/documents/{doc_id}/pages/{number}", response_model=ApiPage, responses=ERRORS)
def api_page(
    doc_id: int,
    number: int,
    conn: Annotated[sqlite3.Connection, Depends(get_conn)],
    q: Annotated[str, Query(description="mark this query's terms in text_html")] = "",
) -> ApiPage:
    """One page's text (and, with `q`, the text with matches marked)."""
    row = conn.execute(
        "SELECT * FROM pages WHERE document_id = ? AND number = ?", (doc_id, number)
    ).fetchone()
    if row is None:
        raise HTTPException(404, f"No page {number} in document {doc_id}")
    html = marked_to_html(highlight_page(conn, q, row["id"]).text) if q else None
    return ApiPage(
        document_id=doc_id,
        number=number,
        bates=row["bates"],
        source=row["source"],
        ocr_confidence=row["ocr_confidence"],
        text=row["text"],
        text_html=html,
        width=row["width"],
        height=row["height"],
    )


@dataclass
class ApiBates:
    bates: str
    document_id: int
    number: int
    url: str


@router.get("/bates/{bates}", response_model=ApiBates, responses=ERRORS)
def api_bates(bates: str, conn: Annotated[sqlite3.Connection, Depends(get_conn)]) -> ApiBates:
    """Which page carries a Bates number."""
    found = find_bates(conn, bates)
    if found is None:
        raise HTTPException(404, f"No page is stamped with Bates number {bates}")
    return ApiBates(bates, found[0], found[1], f"/doc/{found[0]}?page={found[1]}")

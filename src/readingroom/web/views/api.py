"""The JSON API: the same library calls as the pages, documented by OpenAPI.

The API's models extend the search engine's own result types, so a field
added to a search result reaches the API without being declared twice; they
add what only the web knows (URLs, HTML with `<mark>`).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, fields
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, Field

from readingroom.errors import NotFound
from readingroom.search import (
    DocumentHits,
    SearchResult,
    TermCount,
    count_terms,
    find_bates,
    highlight_page,
    marked_to_html,
    search,
    strip_marks,
)
from readingroom.store import reading
from readingroom.web.deps import audit, document_by_key, document_or_404, get_conn
from readingroom.web.security import role

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


# The overrides below keep each field in its place and narrow its element type;
# lists are invariant, so mypy calls that an incompatible override.
@dataclass(frozen=True)
class ApiDocument(DocumentHits):
    hits: list[ApiHit]  # type: ignore[assignment]
    url: str = ""  # after DocumentHits.key, which has a default


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
    more: bool = False  # more values exist than listed


@dataclass
class ApiSearchResult(SearchResult):
    documents: list[ApiDocument]  # type: ignore[assignment]
    facets: list[ApiFacet]  # type: ignore[assignment]
    ranked_pages: int | None = Field(
        None,
        description="pages with a relevance score when fewer than total_pages "
        "(scoring stopped at rank_limit, pages matching by a filter alone, or no words)",
    )
    rank_limit: int | None = Field(None, description="set when only the first N pages were scored")
    match: str | None = Field(None, exclude=True)  # the FTS5 expression stays on the server


def _copy(source: DocumentHits | SearchResult, skip: tuple[str, ...]) -> dict[str, Any]:
    """`source`'s fields by name, except those the API model replaces."""
    return {f.name: getattr(source, f.name) for f in fields(source) if f.name not in skip}


def _api_document(d: DocumentHits) -> ApiDocument:
    hits = [
        ApiHit(
            page_id=h.page_id,
            number=h.number,
            bates=h.bates,
            snippet=strip_marks(h.snippet),
            snippet_html=marked_to_html(h.snippet),
            score=h.score,
            source=h.source,
            ocr_confidence=h.ocr_confidence,
            url=f"/doc/{d.key}?page={h.number}",
        )
        for h in d.hits
    ]
    return ApiDocument(**_copy(d, ("hits",)), hits=hits, url=f"/doc/{d.key}")


def to_api(result: SearchResult) -> ApiSearchResult:
    facets = [
        ApiFacet(
            f.name,
            [ApiFacetValue(v.value, v.count, v.filter, v.label) for v in f.values],
            f.more,
        )
        for f in result.facets
    ]
    return ApiSearchResult(
        **_copy(result, ("documents", "facets", "match")),
        documents=[_api_document(d) for d in result.documents],
        facets=facets,
        match=None,
    )


class ApiError(BaseModel):
    error: str = Field(description="What is wrong with the request, and where")


ERRORS: dict[int | str, dict[str, Any]] = {400: {"model": ApiError}, 404: {"model": ApiError}}


@router.get("/search", response_model=ApiSearchResult, responses=ERRORS)
def api_search(
    request: Request,
    conn: Annotated[sqlite3.Connection, Depends(get_conn)],
    q: Annotated[
        str, Query(max_length=2000, description='Query, e.g. quota office:"El Paso" -training')
    ],
    limit: Annotated[int, Query(ge=1, le=200, description="documents per page")] = 20,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    sort: Annotated[
        str, Query(max_length=20, description="relevance, date, newest or bates")
    ] = "relevance",
) -> ApiSearchResult:
    """Search pages; hits are grouped by document, `limit` and `offset` count documents."""
    audit(request, "search", q[:500], "api")
    return to_api(search(conn, q, limit=limit, offset=offset, sort=sort))


class BatchRequest(BaseModel):
    terms: list[str] = Field(max_length=1000, description="one query per item")


@router.post(
    "/batch", response_model=list[TermCount], responses=ERRORS, openapi_extra=role("viewer")
)
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


DocKey = Annotated[
    str,
    Path(
        pattern=r"^(?:[0-9a-fA-F]{12,64}|[0-9]{1,11})$",
        description="the permanent id (12+ hex digits of the SHA-256) or the row id",
    ),
]


def _doc(conn: sqlite3.Connection, doc: str) -> dict[str, Any]:
    return document_by_key(conn, doc) if len(doc) >= 12 else document_or_404(conn, int(doc))


@router.get("/documents/{doc}", responses=ERRORS)
def api_document(
    request: Request, doc: DocKey, conn: Annotated[sqlite3.Connection, Depends(get_conn)]
) -> dict[str, Any]:
    """A document's metadata, permanent `key`, parent, children (attachments) and locations."""
    found = _doc(conn, doc)
    audit(request, "view", found["key"], "api")
    return found


@router.get("/documents/{doc}/pages/{number}", response_model=ApiPage, responses=ERRORS)
def api_page(
    request: Request,
    doc: DocKey,
    number: Annotated[int, Path(ge=1, le=1_000_000)],
    conn: Annotated[sqlite3.Connection, Depends(get_conn)],
    q: Annotated[
        str, Query(max_length=2000, description="mark this query's terms in text_html")
    ] = "",
) -> ApiPage:
    """One page's text (and, with `q`, the text with matches marked)."""
    found = _doc(conn, doc)
    page = reading.page(conn, document_id=found["id"], number=number)
    if page is None:
        raise NotFound(f"No page {number} in document {doc}")
    audit(request, "view", f"{found['key']} p.{number}", "api")
    html = marked_to_html(highlight_page(conn, q, page["id"]).text) if q else None
    return ApiPage(
        **{f.name: page[f.name] for f in fields(ApiPage) if f.name in page},
        text_html=html,
    )


@dataclass
class ApiBates:
    bates: str
    document_id: int
    number: int
    url: str
    key: str  # the document's permanent id


@router.get("/bates/{bates}", response_model=ApiBates, responses=ERRORS)
def api_bates(
    bates: Annotated[str, Path(max_length=200)],
    conn: Annotated[sqlite3.Connection, Depends(get_conn)],
) -> ApiBates:
    """Which page carries a Bates number."""
    found = find_bates(conn, bates)
    if found is None:
        raise NotFound(f"No page is stamped with Bates number {bates}")
    key = document_or_404(conn, found[0])["key"]
    return ApiBates(bates, found[0], found[1], f"/doc/{key}?page={found[1]}", key)

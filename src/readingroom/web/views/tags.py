"""Tags in the browser: chips in the viewer, add and remove forms, a page per tag.

The same store calls as `readingroom tag` and `readingroom tags`. Adding or
removing needs the editor role (as citing does); each change goes to the
audit log with who, the document (and page) and the tag. Tags may hold any
printable character, so links to a tag's page always go through `tag_url`.
"""

from __future__ import annotations

import sqlite3
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from readingroom.accounts import has_role
from readingroom.errors import BadArguments, NotFound
from readingroom.store import evidence as ev
from readingroom.store import transaction
from readingroom.web.deps import Conn, Writer, audit, caller_name, document_by_key, templates
from readingroom.web.security import role

router = APIRouter()

#: The role that may add and remove tags: the one every evidence-writing view needs.
WRITE_ROLE = "editor"

HexKey = Annotated[str, Path(pattern=r"^[0-9a-fA-F]{12,64}$")]
#: The store allows 80 characters; the form cap only bounds what is read.
TagField = Annotated[str, Form(max_length=1000)]
PageField = Annotated[str, Form(max_length=20)]
QField = Annotated[str, Form(max_length=2000)]


def tag_url(tag: str) -> str:
    """The tag's page. A tag of dots only would be eaten as `.`/`..` by URL
    normalisation in the path, so it goes in the query instead."""
    if tag.strip(".") == "":
        return "/tags?" + urlencode({"tag": tag})
    return "/tags/" + quote(tag, safe="")


templates.env.filters["tag_url"] = tag_url


def may_tag(request: Request) -> bool:
    """Whether the person asking may add and remove tags (the form is shown only then)."""
    caller = getattr(request.state, "caller", None)
    return caller is not None and has_role(caller.role, WRITE_ROLE)


def viewer_tags(
    request: Request, conn: sqlite3.Connection, *, document_id: int, number: int
) -> dict[str, Any]:
    """What the viewer shows: the document's tags, this page's, and other tagged pages."""
    rows = ev.tags_of(conn, document_id=document_id)
    return {
        "document": [t["tag"] for t in rows if t["page"] is None],
        "page": [t["tag"] for t in rows if t["page"] == number],
        "other_pages": sorted({t["page"] for t in rows if t["page"] not in (None, number)}),
        "editable": may_tag(request),
        "known": [t["tag"] for t in ev.tag_counts(conn)][:500] if may_tag(request) else [],
    }


def _page_number(doc: dict[str, Any], page: str) -> int | None:
    """The page a tag goes on (None: the whole document), or a 400 saying what is wrong."""
    page = page.strip()
    if not page:
        return None
    total = doc["pages_stored"]
    if not page.isdigit() or not 1 <= int(page) <= total:
        raise BadArguments(
            f"page {page[:20]!r}: {doc['name']} has pages 1 to {total}"
            if total
            else f"{doc['name']} has no pages to tag; tag the whole document"
        )
    return int(page)


def _target(doc: dict[str, Any], page: int | None) -> str:
    return doc["key"] if page is None else f"{doc['key']} p.{page}"


def _back(doc: dict[str, Any], at: str, page: int | None, q: str) -> RedirectResponse:
    """Back to the page being read, at the tags."""
    total = doc["pages_stored"]
    here = int(at) if at.isdigit() and 1 <= int(at) <= max(total, 1) else page or 1
    params = urlencode({"page": here, **({"q": q} if q else {})})
    return RedirectResponse(f"/doc/{doc['key']}?{params}#tags", status_code=303)


def _change(
    request: Request, writer: sqlite3.Connection, key: str, tag: str, page: str, at: str, q: str,
    *, add: bool,
) -> RedirectResponse:  # fmt: skip
    """Add or remove one tag, log the change if there was one, go back to the page read."""
    doc = document_by_key(writer, key)
    number = _page_number(doc, page)
    text = ev.valid_tag(tag)
    with transaction(writer):
        if add:
            changed = ev.add_tag(
                writer, document_id=doc["id"], page=number, tag=text, by=caller_name(request)
            )
        else:
            changed = ev.remove_tag(writer, document_id=doc["id"], page=number, tag=text)
    if changed:
        audit(request, "tag-add" if add else "tag-remove", _target(doc, number), text)
    return _back(doc, at, number, q)


@router.post("/doc/{key}/tags", include_in_schema=False, openapi_extra=role(WRITE_ROLE))
def add_tag_form(
    request: Request,
    writer: Writer,
    key: HexKey,
    tag: TagField = "",
    page: PageField = "",
    at: PageField = "",
    q: QField = "",
) -> RedirectResponse:
    """Tag the document (`page` empty) or one of its pages; a tag it has already is kept."""
    return _change(request, writer, key, tag, page, at, q, add=True)


@router.post("/doc/{key}/tags/remove", include_in_schema=False, openapi_extra=role(WRITE_ROLE))
def remove_tag_form(
    request: Request,
    writer: Writer,
    key: HexKey,
    tag: TagField = "",
    page: PageField = "",
    at: PageField = "",
    q: QField = "",
) -> RedirectResponse:
    """Remove a tag from the document or a page; one already gone changes nothing."""
    return _change(request, writer, key, tag, page, at, q, add=False)


def _listing(request: Request, conn: sqlite3.Connection, tag: str) -> Response:
    text = ev.valid_tag(tag)
    docs = ev.tagged_documents(conn, tag=text)
    if not docs:
        raise NotFound(f"No document carries the tag {text!r}; see /tags for the tags in use")
    return templates.TemplateResponse(request, "tag.html", {"tag": text, "docs": docs})


@router.get("/tags", response_class=HTMLResponse, include_in_schema=False)
def tags_page(
    request: Request, conn: Conn, tag: Annotated[str, Query(max_length=1000)] = ""
) -> Response:
    """Every tag with its counts; `?tag=T` is the tag's page (for tags a path cannot carry)."""
    if tag:
        return _listing(request, conn, tag)
    return templates.TemplateResponse(request, "tags.html", {"tags": ev.tag_counts(conn)})


@router.get("/tags/{tag:path}", response_class=HTMLResponse, include_in_schema=False)
def tag_page(request: Request, conn: Conn, tag: str) -> Response:
    """The documents carrying one tag, with the pages that carry it."""
    if len(tag) > 1000:  # bounds the work before the tag is even cleaned
        raise BadArguments(f"a tag is 1 to {ev.TAG_MAX} characters")
    return _listing(request, conn, tag)

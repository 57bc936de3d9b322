"""Near-duplicates, families and releases in the browser.

`/duplicates` lists families and copied pages; `/family/<n>` is the matrix
(members × template sections) with every local passage cited; `?member=KEY`
shows one member beside the template; `/family/<n>/passages.csv|json`
exports the passages; `/compare?a=KEY&b=KEY` sets two releases side by side.
The views arrange what `readingroom.similar` returns, as the CLI does.
"""

from __future__ import annotations

import csv
import io
import sqlite3
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from readingroom.errors import NotFound
from readingroom.similar.clusters import WEB_COMPARE_WORDS, compare_documents, duplicates, family
from readingroom.store import similar as store
from readingroom.web.deps import Conn, document_by_key, templates

router = APIRouter()
Key = Annotated[str, Query(min_length=8, max_length=64, pattern=r"^[0-9a-fA-F]+$")]

KINDS = {
    "added": "added",
    "changed": "changed",
    "filled": "filled in",
    "removed": "dropped",
    "same": "as template",
}


def page_url(key: str, page: int | None) -> str:
    return f"/doc/{key}?{urlencode({'page': page or 1})}#page"


def copies(request: Request, document_id: int, page_id: int | None) -> dict[str, Any]:
    """Other copies of a document and of one page, for the viewer's partial."""
    conn = request.app.state.inv.reader()
    try:
        doc = store.copies_of_document(conn, document_id=document_id)
        pages = store.copies_of_page(conn, page_id=page_id) if page_id else []
        if doc is not None:  # each version's release date, when its production has one
            ids = [m["document_id"] for m in doc["members"]]
            dates = store.release_dates(conn, document_ids=[document_id, *ids])
            doc["members"] = [
                {**m, "released": dates.get(m["document_id"])} for m in doc["members"]
            ]
            doc["released"] = dates.get(document_id)
    except sqlite3.OperationalError:  # an investigation made before this feature
        return {"document": None, "pages": []}
    finally:
        conn.close()
    return {"document": doc, "pages": pages[:20], "more_pages": max(0, len(pages) - 20)}


templates.env.globals["similar_copies"] = copies


@router.get("/duplicates", response_class=HTMLResponse, include_in_schema=False)
def duplicates_page(request: Request, conn: Conn) -> HTMLResponse:
    data = duplicates(conn, limit=200)
    return templates.TemplateResponse(request, "similar.html", {"data": data, "page_url": page_url})


def _family(conn: sqlite3.Connection, cluster: int) -> dict[str, Any]:
    return family(conn, cluster_no=cluster)


@router.get("/family/{cluster}", response_class=HTMLResponse, include_in_schema=False)
def family_page(
    request: Request,
    conn: Conn,
    cluster: int,
    member: Annotated[str | None, Query(max_length=64, pattern=r"^[0-9a-fA-F]+$")] = None,
) -> HTMLResponse:
    if cluster < 1 or cluster > 10_000_000:
        raise NotFound(f"no family {cluster}")
    data = _family(conn, cluster)
    by_member: dict[str, list[dict[str, Any]]] = {}
    for lp in data["passages"]:
        by_member.setdefault(lp["member"], []).append(lp)
    if member:
        m = next((x for x in data["members"] if x["key"].startswith(member.lower())), None)
        if m is None:
            raise NotFound(f"{member} is not a member of family {cluster}")
        return templates.TemplateResponse(
            request,
            "family_member.html",
            {
                "cluster": cluster,
                "fam": data,
                "member": m,
                "rows": _side_by_side(data, m["key"], by_member.get(m["key"], [])),
                "page_url": page_url,
            },
        )
    shown = [
        t
        for t in data["template"]
        if any(r["cells"].get(t["section"], "same") != "same" for r in data["matrix"])
    ]
    return templates.TemplateResponse(
        request,
        "family.html",
        {
            "cluster": cluster,
            "fam": data,
            "columns": shown,
            "by_member": by_member,
            "kinds": KINDS,
            "page_url": page_url,
        },
    )


def _side_by_side(
    data: dict[str, Any], key: str, local: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Template sections in order, each with what this member printed there, added text after."""
    row = next(r for r in data["matrix"] if r["member"] == key)
    at = {lp["section"]: lp for lp in local if lp["kind"] != "added"}
    added: dict[int | None, list[dict[str, Any]]] = {}
    for lp in local:
        if lp["kind"] == "added":
            added.setdefault(lp["section"], []).append(lp)
    out: list[dict[str, Any]] = [
        {"kind": "added", "template": None, "local": lp} for lp in added.get(None, [])
    ]
    for t in data["template"]:
        kind = row["cells"].get(t["section"], "same")
        out.append({"kind": kind, "template": t, "local": at.get(t["section"])})
        out += [
            {"kind": "added", "template": None, "local": lp} for lp in added.get(t["section"], [])
        ]
    folded: list[dict[str, Any]] = []
    for r in out:  # runs of passages as the template reads become one foldable row
        if r["kind"] == "same" and folded and folded[-1]["kind"] == "same":
            folded[-1]["rows"].append(r)
        elif r["kind"] == "same":
            folded.append({"kind": "same", "rows": [r]})
        else:
            folded.append(r)
    return folded


_CSV_FIELDS = (
    "member",
    "member_name",
    "label",
    "kind",
    "section",
    "page",
    "bates",
    "text",
    "template_text",
    "held_by",
)


@router.get("/family/{cluster}/passages.{fmt}", include_in_schema=False)
def family_export(conn: Conn, cluster: int, fmt: str) -> Response:
    """Every local passage of the family with its citation, as CSV or JSON."""
    if fmt not in ("csv", "json"):
        raise NotFound(f"no export as {fmt[:20]}: use .csv or .json")
    data = _family(conn, cluster)
    if fmt == "json":
        return JSONResponse(
            {"cluster": cluster, "members": data["members"], "passages": data["passages"]},
            headers={"Content-Disposition": f'attachment; filename="family-{cluster}.json"'},
        )
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=_CSV_FIELDS, extrasaction="ignore")
    w.writeheader()
    for lp in data["passages"]:
        w.writerow(lp)
    return Response(
        buf.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="family-{cluster}-passages.csv"'},
    )


@router.get("/compare", response_class=HTMLResponse, include_in_schema=False)
def compare_page(request: Request, conn: Conn, a: Key, b: Key) -> HTMLResponse:
    da, db = document_by_key(conn, a), document_by_key(conn, b)
    data = compare_documents(conn, da["id"], db["id"], max_words=WEB_COMPARE_WORDS)
    groups = [
        ("withheld_in_a", "Withheld in A, released in B"),
        ("withheld_in_b", "Withheld in B, released in A"),
        ("only_in_b", "Only in B"),
        ("only_in_a", "Only in A"),
        ("restored_in_b", "Readable in B where A has nothing readable"),
        ("restored_in_a", "Readable in A where B has nothing readable"),
        ("changed", "Worded differently"),
    ]
    return templates.TemplateResponse(
        request,
        "compare.html",
        {"data": data, "groups": groups, "da": da, "db": db, "page_url": page_url},
    )

"""Evidence pages: findings (cite from the viewer, status, export), the report,
watchlist mentions with a page per entry, figures, per-office totals and the timeline.

The same library calls as `readingroom findings`, `readingroom report` and the
analysers' tables. Reads use the request's read-only connection; a POST gets a
writable connection of its own and answers 303 (a reload does not post again).
Citing needs the editor role (every POST does by default); reading, a viewer.
"""

from __future__ import annotations

import sqlite3
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from readingroom.errors import BadArguments, NotFound
from readingroom.evidence import exports
from readingroom.evidence import report as rep
from readingroom.evidence.findings import cite, record_finding
from readingroom.store import evidence as ev
from readingroom.store import reading, transaction
from readingroom.web.deps import (
    Conn,
    Inv,
    Writer,
    audit,
    caller_name,
    render_lock,
    templates,
)

router = APIRouter()


Text = Annotated[str, Form(max_length=4000)]
Short = Annotated[str, Form(max_length=200)]
Fmt = Annotated[str, Path(pattern=r"^(csv|json)$")]


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _download(text: str, name: str, fmt: str) -> Response:
    media = "text/csv; charset=utf-8" if fmt == "csv" else "application/json"
    return Response(
        text,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'},
    )


# -- findings -----------------------------------------------------------------------


@router.get("/findings", response_class=HTMLResponse, include_in_schema=False)
def findings_page(
    request: Request,
    conn: Conn,
    status: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    if status and status not in ev.FINDING_STATUSES:
        raise BadArguments(f"status {status!r}: one of {', '.join(ev.FINDING_STATUSES)}")
    found = ev.findings(conn, status=status or None)
    return templates.TemplateResponse(
        request,
        "findings.html",
        {"findings": found, "status": status, "statuses": ev.FINDING_STATUSES},
    )


@router.get("/findings.{fmt}", include_in_schema=False)
def findings_export(request: Request, conn: Conn, fmt: Fmt) -> Response:
    found = ev.findings(conn)
    if fmt == "csv":
        text = exports.to_csv(exports.finding_rows(found, _base(request)), exports.FINDING_COLUMNS)
    else:
        text = exports.to_json({"findings": found})
    return _download(text, "findings", fmt)


@router.post("/findings/cite", include_in_schema=False)
def cite_form(
    request: Request,
    writer: Writer,
    key: Annotated[str, Form(pattern=r"^[0-9a-fA-F]{12,64}$")],
    page: Annotated[int, Form(ge=1, le=1_000_000)],
    exact: Text,
    prefix: Text = "",
    suffix: Text = "",
    claim: Text = "",
    finding: Annotated[str, Form(max_length=12)] = "",
) -> RedirectResponse:
    """A quote selected in the viewer: to a new finding (claim) or an existing one."""
    doc = reading.resolve_document(writer, ref=key)
    if finding:
        if not finding.isdigit():
            raise BadArguments("choose a finding or write a new claim")
        fid = int(finding)
        if ev.finding(writer, finding_id=fid) is None:
            raise NotFound(f"No finding {fid}")
        with transaction(writer):
            cite(
                writer, finding_id=fid, document_id=doc["document_id"], page=page, quote=exact,
                prefix=prefix, suffix=suffix, by=caller_name(request),
            )  # fmt: skip
    else:
        if not claim.strip():
            raise BadArguments("write the claim this quote supports, or choose a finding")
        fid = record_finding(
            writer, claim=claim, document_id=doc["document_id"], page=page, quote=exact,
            prefix=prefix, suffix=suffix, by=caller_name(request),
        )  # fmt: skip
    audit(request, "cite", f"{doc['key']} p.{page}", f"finding {fid}")
    return RedirectResponse(f"/doc/{doc['key']}?page={page}&cited={fid}#page", status_code=303)


@router.post("/findings/{finding_id}/status", include_in_schema=False)
def status_form(
    writer: Writer,
    finding_id: Annotated[int, Path(ge=1)],
    status: Annotated[str, Form(max_length=20)],
) -> RedirectResponse:
    with transaction(writer):
        ev.set_finding_status(writer, finding_id=finding_id, status=status)
    return RedirectResponse(f"/findings#finding-{finding_id}", status_code=303)


@router.post("/findings/{finding_id}/delete", include_in_schema=False)
def delete_form(writer: Writer, finding_id: Annotated[int, Path(ge=1)]) -> RedirectResponse:
    with transaction(writer):
        ev.delete_finding(writer, finding_id=finding_id)
    return RedirectResponse("/findings", status_code=303)


@router.get("/report", response_class=HTMLResponse, include_in_schema=False)
def report_page(
    request: Request,
    inv: Inv,
    status: Annotated[str, Query(max_length=20)] = "",
    fmt: Annotated[str, Query(alias="format", pattern=r"^(html|md)$")] = "html",
) -> Response:
    """The report as `readingroom report` writes it, quotes re-verified first."""
    with render_lock:  # builds through the investigation's connection and renders pages
        data = rep.build(inv, status=status or None, base_url=_base(request), crops=fmt == "html")
    if fmt == "md":
        return Response(rep.markdown(data), media_type="text/markdown; charset=utf-8")
    return HTMLResponse(rep.html(data))


# -- watchlist, figures, timeline ----------------------------------------------------


@router.get("/evidence", response_class=HTMLResponse, include_in_schema=False)
def evidence_page(
    request: Request, conn: Conn, k: Annotated[int, Query(ge=1, le=1000)] = rep.DEFAULT_K
) -> Response:
    counts = _safe(lambda: ev.mention_counts(conn), [])
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for r in counts:
        by_kind.setdefault(r["kind"], []).append(r)
    return templates.TemplateResponse(
        request,
        "evidence.html",
        {
            "by_kind": by_kind,
            "figures": _safe(lambda: ev.figure_rows(conn, limit=500), []),
            "offices": _office_totals(conn, k),
            "k": k,
            "quote": quote,
        },
    )


def _safe(fn: Any, default: Any) -> Any:
    """An analyser's table is missing until it has run once: show nothing, not a 500."""
    try:
        return fn()
    except sqlite3.OperationalError as e:
        if "no such table" in str(e):
            return default
        raise


def _office_totals(conn: sqlite3.Connection, k: int) -> list[dict[str, Any]]:
    rows = _safe(lambda: ev.table_total_rows(conn), [])
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for r in rows:
        key = (r["document"], r["office"])
        row = out.setdefault(
            key, {"document": r["document"], "key": r["key"], "office": r["office"]}
        )
        row[r["measure"]] = rep.suppress(r["total"], k)
    return list(out.values())


@router.get("/evidence/mentions.{fmt}", include_in_schema=False)
def mentions_export(conn: Conn, fmt: Fmt) -> Response:
    rows = _safe(lambda: ev.mention_counts(conn), [])
    if fmt == "csv":
        return _download(exports.to_csv(rows, ("kind", "entry", "mentions", "pages", "documents")),
                         "mentions", fmt)  # fmt: skip
    return _download(exports.to_json({"mentions": rows}), "mentions", fmt)


@router.get("/evidence/figures.{fmt}", include_in_schema=False)
def figures_export(conn: Conn, fmt: Fmt) -> Response:
    rows = _safe(lambda: ev.figure_rows(conn), [])
    cols = ("value", "high", "unit", "per", "goal", "office", "operation", "document", "key",
            "page", "bates", "sentence")  # fmt: skip
    if fmt == "csv":
        return _download(exports.to_csv(rows, cols), "figures", fmt)
    return _download(exports.to_json({"figures": rows}), "figures", fmt)


@router.get("/evidence/{kind}/{entry}", response_class=HTMLResponse, include_in_schema=False)
def entry_page(
    request: Request,
    conn: Conn,
    kind: Annotated[str, Path(pattern=r"^(office|unit|operation|system)$")],
    entry: Annotated[str, Path(max_length=200)],
) -> Response:
    rows = _safe(lambda: ev.mentions_of(conn, kind=kind, entry=entry), [])
    if not rows:
        raise NotFound(f"No {kind} called {entry!r} is mentioned in this investigation")
    return templates.TemplateResponse(
        request, "evidence_entry.html", {"kind": kind, "entry": entry, "rows": rows}
    )


@router.get("/timeline", response_class=HTMLResponse, include_in_schema=False)
def timeline_page(request: Request, conn: Conn) -> Response:
    rows = _safe(lambda: ev.timeline(conn), [])
    months: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        months.setdefault(str(r["date"])[:7], []).append(r)
    return templates.TemplateResponse(request, "timeline.html", {"months": months})

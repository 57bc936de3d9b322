"""Signing in and out, and the audit log an admin reads and exports."""

from __future__ import annotations

import csv
import io
from typing import Annotated
from urllib.parse import urlparse

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from readingroom.accounts import SESSION_HOURS, authenticate, hash_secret, start_session
from readingroom.store import accounts as store
from readingroom.web.deps import templates
from readingroom.web.security import SESSION_COOKIE, Accounts, role

router = APIRouter()


def _accounts(request: Request) -> Accounts:
    accounts: Accounts = request.app.state.accounts
    return accounts


def _safe_next(target: str) -> str:
    """Only a path on this site: `next=//evil.example` must not send people away."""
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


@router.get(
    "/login", response_class=HTMLResponse, include_in_schema=False, openapi_extra=role("public")
)
def login_page(request: Request, next: str = "/") -> HTMLResponse:
    return templates.TemplateResponse(
        request, "login.html", {"next": _safe_next(next), "error": None, "name": ""}
    )


@router.post("/login", include_in_schema=False, openapi_extra=role("public"))
def login(
    request: Request,
    name: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=1024)],
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    accounts = _accounts(request)
    ip = request.client.host if request.client else "?"
    keys = (f"name:{name.casefold()}", f"ip:{ip}")
    throttle = accounts.throttle
    wait = throttle.wait(*keys)
    error: str | None = None
    if wait:
        error = f"Too many failed sign-ins. Try again in {int(wait) + 1} seconds."
    else:
        with accounts.lock:
            user = authenticate(accounts.conn, name, password)
        if user is None:
            throttle.failed(*keys)
            error = "That name and password do not match an account."
            accounts.audit(request, "login-failed", name)
        else:
            throttle.succeeded(*keys)
            with accounts.lock:
                sid, _ = start_session(accounts.conn, user["id"])
                accounts.conn.commit()
            request.state.caller = None
            response = RedirectResponse(_safe_next(next), status_code=303)
            response.set_cookie(
                SESSION_COOKIE, sid, max_age=SESSION_HOURS * 3600, httponly=True,
                samesite="strict", secure=request.url.scheme == "https", path="/",
            )  # fmt: skip
            with accounts.lock:
                store.audit(
                    accounts.conn, user=user["name"], role=user["role"], ip=ip, action="login"
                )
                accounts.conn.commit()
            return response
    return templates.TemplateResponse(
        request,
        "login.html",
        {"next": _safe_next(next), "error": error, "name": name},
        status_code=429 if wait else 401,
    )


@router.post("/logout", include_in_schema=False, openapi_extra=role("viewer"))
def logout(request: Request) -> Response:
    accounts = _accounts(request)
    sid = request.cookies.get(SESSION_COOKIE)
    accounts.audit(request, "logout")
    if sid:
        with accounts.lock:
            store.delete_session(accounts.conn, id_hash=hash_secret(sid))
            accounts.conn.commit()
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get(
    "/admin/audit",
    response_class=HTMLResponse,
    include_in_schema=False,
    openapi_extra=role("admin"),
)
def audit_page(
    request: Request,
    action: str = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    accounts = _accounts(request)
    with accounts.lock:
        rows = store.audit_log(
            accounts.conn, limit=200, offset=(page - 1) * 200, action=action or None
        )
    return templates.TemplateResponse(
        request, "audit.html", {"rows": rows, "action": action, "page": page}
    )


@router.get("/admin/audit.csv", include_in_schema=False, openapi_extra=role("admin"))
def audit_export(request: Request) -> Response:
    accounts = _accounts(request)
    with accounts.lock:
        rows = store.audit_log(accounts.conn, limit=1_000_000)
    buf = io.StringIO()
    writer = csv.DictWriter(
        buf, fieldnames=["id", "at", "user", "role", "ip", "action", "target", "detail"]
    )
    writer.writeheader()
    writer.writerows(rows)
    accounts.audit(request, "export-audit")
    return Response(
        buf.getvalue(), media_type="text/csv; charset=utf-8",
        headers={"content-disposition": 'attachment; filename="audit-log.csv"'},
    )  # fmt: skip

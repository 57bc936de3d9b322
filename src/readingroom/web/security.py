"""What every request passes through, whichever view module serves it.

`Guard` (ASGI middleware) refuses foreign Host headers (DNS rebinding), adds
security headers, sets the CSRF cookie and finds who is asking: a session
cookie, an `Authorization: Bearer` token, or — on loopback, where the room is
login-free — the local user. `authorize` (an app-wide FastAPI dependency)
then checks the route's role and, for state-changing requests, the CSRF
token. A view declares the role it needs with `openapi_extra=role("admin")`;
without one, GET needs viewer and anything else editor.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import secrets
import socket
import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from fastapi import Request
from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from readingroom.accounts import Throttle, has_role, hash_secret
from readingroom.errors import ReadingRoomError
from readingroom.store import accounts as store

log = logging.getLogger(__name__)

SESSION_COOKIE = "rr_session"
CSRF_COOKIE = "rr_csrf"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"
#: Reachable without an account: the login page and the assets it uses.
PUBLIC_PATHS = ("/login", "/static/")
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1", "[::1]")

#: No inline script and nothing from another origin; inline style attributes
#: (bar widths, highlight boxes) stay allowed, since they cannot run code.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
}


class Forbidden(ReadingRoomError):
    """Signed in, but the role does not allow this."""

    http_status = 403


class Unauthorized(ReadingRoomError):
    http_status = 401


def role(name: str) -> dict[str, Any]:
    """`@router.post(..., openapi_extra=role("viewer"))`: the role a route needs."""
    return {"x-role": name}


def is_loopback(host: str) -> bool:
    if host.strip("[]") in ("localhost", "::1"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def machine_hosts(bound: str | None = None, extra: Iterable[str] = ()) -> frozenset[str]:
    """Loopback names, the bound address, this machine's names and addresses, and `extra`."""
    names = {*LOOPBACK_NAMES, *(e.lower() for e in extra)}
    if bound and bound not in ("0.0.0.0", "::"):
        names.add(bound.lower())
    if bound and not is_loopback(bound):
        for name in {socket.gethostname(), socket.getfqdn()}:
            names.add(name.lower())
            try:
                for info in socket.getaddrinfo(name, None):
                    names.add(str(info[4][0]).lower())
            except OSError:
                pass
        names.update(_interface_addresses())
    return frozenset(names)


def _interface_addresses() -> set[str]:
    """The addresses this machine is reached at: the source address of its routes.

    Connecting a UDP socket sends nothing; it only asks the kernel which local
    address it would use, which `gethostname()` often does not resolve to.
    """
    found: set[str] = set()
    for family, probe in ((socket.AF_INET, "192.0.2.1"), (socket.AF_INET6, "2001:db8::1")):
        try:
            with socket.socket(family, socket.SOCK_DGRAM) as s:
                s.connect((probe, 9))
                found.add(str(s.getsockname()[0]).lower())
        except OSError:
            continue
    return found


def host_name(host_header: str) -> str:
    """`example.org:8023` → example.org; `[::1]:8023` → ::1."""
    host = host_header.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


@dataclass(frozen=True)
class Caller:
    name: str
    role: str
    via: str  # session | token | local
    csrf: str | None = None  # the session's token; None for bearer tokens


LOCAL = Caller("local", "admin", "local")


class Accounts:
    """The writable connection for sessions and audit rows, one writer at a time."""

    def __init__(self, conn: sqlite3.Connection, *, required: bool) -> None:
        self.conn = conn
        self.required = required
        self.lock = threading.Lock()
        self.throttle = Throttle()  # per app: failed sign-ins per name and per address

    def caller(self, headers: Headers, cookies: dict[str, str]) -> Caller | None:
        auth = headers.get("authorization", "")
        with self.lock:
            if auth.lower().startswith("bearer "):
                user = store.token_user(self.conn, token_hash=hash_secret(auth[7:].strip()))
                return Caller(user["name"], user["role"], "token") if user else None
            sid = cookies.get(SESSION_COOKIE)
            if sid:
                user = store.session_user(self.conn, id_hash=hash_secret(sid))
                if user:
                    return Caller(user["name"], user["role"], "session", user["csrf"])
        return None

    def audit(
        self, request: Request, action: str, target: str | None = None, detail: str | None = None
    ) -> None:
        who: Caller = getattr(request.state, "caller", None) or Caller("anonymous", "", "none")
        ip = request.client.host if request.client else None
        with self.lock:
            store.audit(
                self.conn, user=who.name, role=who.role or None, ip=ip,
                action=action, target=target, detail=detail,
            )  # fmt: skip
            self.conn.commit()


class Guard:
    def __init__(self, app: ASGIApp, *, hosts: frozenset[str], accounts: Accounts) -> None:
        self.app = app
        self.hosts = hosts
        self.accounts = accounts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        host = host_name(headers.get("host", ""))
        if host not in self.hosts:
            await PlainTextResponse(
                f"Host '{host}' is not one this reading room answers to; "
                "the person running it can add it with `readingroom serve --allow-host`.",
                status_code=400,
            )(scope, receive, send)
            return
        request = Request(scope)
        cookies = request.cookies
        csrf_cookie = cookies.get(CSRF_COOKIE)
        new_csrf = None if csrf_cookie else secrets.token_urlsafe(32)
        caller = self.accounts.caller(headers, cookies)
        if caller is None and not self.accounts.required:
            caller = LOCAL
        state = scope.setdefault("state", {})
        state["caller"] = caller
        state["csrf"] = (caller.csrf if caller and caller.csrf else None) or csrf_cookie or new_csrf
        path = scope["path"]
        if caller is None and not path.startswith(PUBLIC_PATHS):
            response: Response
            if path.startswith("/api/") or scope["method"] not in ("GET", "HEAD"):
                response = JSONResponse(
                    {"error": "sign in first: send Authorization: Bearer <token> "
                     "(readingroom users token NAME) or log in at /login"},
                    status_code=401, headers={"www-authenticate": "Bearer"},
                )  # fmt: skip
            else:
                target = path + (
                    f"?{scope['query_string'].decode()}" if scope["query_string"] else ""
                )
                response = RedirectResponse(f"/login?next={quote(target)}", status_code=303)
            await self._send_with_headers(response, scope, receive, send, new_csrf)
            return
        await self.app(scope, receive, self._wrap(send, scope, new_csrf))

    async def _send_with_headers(
        self, response: Response, scope: Scope, receive: Receive, send: Send, new_csrf: str | None
    ) -> None:
        await response(scope, receive, self._wrap(send, scope, new_csrf))

    def _wrap(self, send: Send, scope: Scope, new_csrf: str | None) -> Send:
        secure = scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                h = MutableHeaders(scope=message)
                for k, v in HEADERS.items():
                    if k not in h:
                        h[k] = v
                if "cache-control" not in h:  # pages hold others' secrets; assets do not
                    static = scope["path"].startswith("/static/")
                    h["cache-control"] = "private, max-age=3600" if static else "no-store"
                if new_csrf:
                    h.append(
                        "set-cookie",
                        f"{CSRF_COOKIE}={new_csrf}; Path=/; HttpOnly; SameSite=Strict"
                        + ("; Secure" if secure else ""),
                    )
            await send(message)

        return send_with_headers


async def authorize(request: Request) -> None:
    """App-wide dependency: the route's role, and CSRF on state-changing requests."""
    caller: Caller | None = getattr(request.state, "caller", None)
    route = request.scope.get("route")
    extra = getattr(route, "openapi_extra", None) or {}
    safe = request.method in ("GET", "HEAD", "OPTIONS")
    needed = extra.get("x-role", "viewer" if safe else "editor")
    if needed == "public":
        pass
    elif caller is None:
        raise Unauthorized("sign in first")
    elif not has_role(caller.role, needed):
        raise Forbidden(f"this needs the {needed} role; {caller.name} is a {caller.role}")
    if safe or (caller is not None and caller.via == "token"):
        return
    # A cross-site page cannot send JSON without a CORS preflight we never grant.
    if request.headers.get("content-type", "").split(";")[0].strip() == "application/json":
        return
    expected = request.state.csrf
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        sent = str((await request.form()).get(CSRF_FIELD) or "")
    if not expected or not sent or not hmac.compare_digest(str(expected), sent):
        raise Forbidden("the form's CSRF token is missing or stale: reload the page and try again")


def secure_cookie(request: Request) -> bool:
    return request.url.scheme == "https"

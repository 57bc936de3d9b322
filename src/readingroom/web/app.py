"""Build the FastAPI application for one investigation folder."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from types import ModuleType

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from readingroom import __version__, plugins
from readingroom.errors import ReadingRoomError, RegistrationError
from readingroom.investigation import Investigation
from readingroom.search.limits import QUERY_SECONDS, translate_sqlite_error
from readingroom.store import connect
from readingroom.web.deps import STATIC_DIR, templates
from readingroom.web.security import Accounts, Guard, authorize, machine_hosts

log = logging.getLogger(__name__)

#: The plugin package whose every module contributes a `router`.
VIEWS_PACKAGE = "readingroom.web.views"

#: Navigation: (path, label). Shown only when some view serves the path.
NAV = (
    ("/", "Search"),
    ("/documents", "Documents"),
    ("/batch", "Batch search"),
    ("/bates", "Bates ranges"),
    ("/exemptions", "Exemptions"),
    ("/redactions", "Redactions"),
    ("/emails", "E-mails"),
    ("/duplicates", "Near-duplicates"),
    ("/requests", "Requests"),
    ("/coverage", "Coverage"),
    ("/evidence", "Evidence"),
    ("/findings", "Findings"),
    ("/publish", "Publish"),
)


def _router_of(module: ModuleType) -> APIRouter:
    router = getattr(module, "router", None)
    if not isinstance(router, APIRouter):
        raise RegistrationError(f"view module {module.__name__} has no APIRouter named `router`")
    return router


def _error(request: Request, message: object, status: int) -> Response:
    """JSON under /api/, the error page everywhere else."""
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": message}, status_code=status)
    return templates.TemplateResponse(
        request, "error.html", {"message": message}, status_code=status
    )


#: Starlette's TestClient sends `Host: testserver`; `serve` always passes its own list.
TEST_HOSTS = ("testserver",)


def create_app(
    root: Path | None = None,
    *,
    views: Sequence[ModuleType] | None = None,
    require_login: bool = False,
    host: str | None = None,
    allowed_hosts: Iterable[str] = TEST_HOSTS,
    query_seconds: float | None = QUERY_SECONDS,
) -> FastAPI:
    """The web app for the investigation at `root` (or READINGROOM_DIR / the cwd).

    `views` defaults to every module of `readingroom.web.views`; a view module
    that fails to import raises RegistrationError naming it. `require_login`
    (what `serve` sets off loopback) makes every page and API call need an
    account; `host` is the bound address and, with `allowed_hosts`, decides
    which Host headers are answered.
    """
    view_modules = plugins.discover(VIEWS_PACKAGE) if views is None else tuple(views)
    routers = [_router_of(m) for m in view_modules]
    inv = Investigation.open(root)
    accounts = Accounts(connect(inv.db_path), required=require_login)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        accounts.conn.close()
        inv.close()

    app = FastAPI(
        lifespan=lifespan,
        title="readingroom",
        version=__version__,
        description="Search and read FOIA productions; every answer cites a page.",
        openapi_url="/api/openapi.json",
        # Swagger UI and ReDoc load their scripts from a CDN: no docs page, the schema only.
        docs_url=None,
        redoc_url=None,
        dependencies=[Depends(authorize)],
    )
    app.state.inv = inv
    app.state.accounts = accounts
    app.state.query_seconds = query_seconds
    app.add_middleware(Guard, hosts=machine_hosts(host, allowed_hosts), accounts=accounts)
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
    paths: set[str] = set()
    for router in routers:
        app.include_router(router)
        paths.update(router.prefix + getattr(r, "path", "") for r in router.routes)
    # Per app, not Jinja globals: two apps in one process (tests) must not share a nav.
    app.state.nav = [(p, label) for p, label in NAV if p in paths]

    @app.exception_handler(ReadingRoomError)
    async def _readingroom_error(request: Request, exc: ReadingRoomError) -> Response:
        if exc.http_status >= 500:
            log.error("%s %s: %s", request.method, request.url.path, exc, exc_info=exc)
        return _error(request, str(exc), exc.http_status)

    @app.exception_handler(sqlite3.OperationalError)
    async def _sqlite_error(request: Request, exc: sqlite3.OperationalError) -> Response:
        mapped = translate_sqlite_error(exc, query_seconds)
        if mapped is None:
            log.error("%s %s: %s", request.method, request.url.path, exc, exc_info=exc)
            return _error(request, "the database failed; the server log has details", 500)
        return _error(request, str(mapped), mapped.http_status)

    @app.exception_handler(OverflowError)
    async def _overflow(request: Request, exc: OverflowError) -> Response:
        return _error(request, "a number in the request is out of range", 400)

    @app.exception_handler(HTTPException)
    async def _http_error(request: Request, exc: HTTPException) -> Response:
        return _error(request, exc.detail, exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def _bad_request(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in exc.errors()
        )
        if request.url.path.startswith("/api/"):
            return _error(request, problems, 422)
        return _error(request, f"Bad request: {problems}", 400)

    return app

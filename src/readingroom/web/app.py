"""Build the FastAPI application for one investigation folder."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from types import ModuleType

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from readingroom import __version__, plugins
from readingroom.errors import ReadingRoomError, RegistrationError
from readingroom.investigation import Investigation
from readingroom.web.deps import STATIC_DIR, templates

log = logging.getLogger(__name__)

#: The plugin package whose every module contributes a `router`.
VIEWS_PACKAGE = "readingroom.web.views"

#: Navigation: (path, label). Shown only when some view serves the path.
NAV = (
    ("/", "Search"),
    ("/batch", "Batch search"),
    ("/bates", "Bates ranges"),
    ("/exemptions", "Exemptions"),
    ("/redactions", "Redactions"),
    ("/emails", "E-mails"),
    ("/requests", "Requests"),
    ("/coverage", "Coverage"),
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


def create_app(root: Path | None = None, *, views: Sequence[ModuleType] | None = None) -> FastAPI:
    """The web app for the investigation at `root` (or READINGROOM_DIR / the cwd).

    `views` defaults to every module of `readingroom.web.views`; a view module
    that fails to import raises RegistrationError naming it.
    """
    view_modules = plugins.discover(VIEWS_PACKAGE) if views is None else tuple(views)
    routers = [_router_of(m) for m in view_modules]
    inv = Investigation.open(root)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        inv.close()

    app = FastAPI(
        lifespan=lifespan,
        title="readingroom",
        version=__version__,
        description="Search and read FOIA productions; every answer cites a page.",
        openapi_url="/api/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
    )
    app.state.inv = inv
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

"""Build the FastAPI application for one investigation folder."""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from readingroom import __version__
from readingroom.errors import NotAnInvestigation, QueryError, ReadingRoomError
from readingroom.investigation import Investigation
from readingroom.web.deps import STATIC_DIR, templates

#: Modules contributing routes, in order; a missing module is skipped, so an
#: area that is not built yet (e.g. analysis) simply has no pages.
VIEW_MODULES = (
    "readingroom.web.views.search",
    "readingroom.web.views.documents",
    "readingroom.web.views.batch",
    "readingroom.web.views.api",
    "readingroom.web.views.analysis",
)

#: Navigation: (path, label). Shown only when some view serves the path.
NAV = (
    ("/", "Search"),
    ("/batch", "Batch search"),
    ("/bates", "Bates ranges"),
    ("/exemptions", "Exemptions"),
    ("/redactions", "Redactions"),
    ("/emails", "E-mails"),
)


def _router_of(module: object) -> APIRouter:
    router = getattr(module, "router", None)
    if isinstance(router, APIRouter):
        return router
    if callable(router):  # a factory: def router() -> APIRouter
        made = router()
        if isinstance(made, APIRouter):
            return made
    raise TypeError(f"{module!r} has no APIRouter named `router`")


def create_app(
    root: Path | None = None, *, view_modules: tuple[str, ...] = VIEW_MODULES
) -> FastAPI:
    """The web app for the investigation at `root` (or READINGROOM_DIR / the cwd)."""
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
    for name in view_modules:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as e:
            if e.name == name:
                continue
            raise
        router = _router_of(module)
        app.include_router(router)
        paths.update(router.prefix + getattr(r, "path", "") for r in router.routes)
    # Per app, not Jinja globals: two apps in one process (tests) must not share a nav.
    app.state.nav = [(p, label) for p, label in NAV if p in paths]

    @app.exception_handler(ReadingRoomError)
    async def _readingroom_error(request: Request, exc: ReadingRoomError) -> Response:
        status = 400 if isinstance(exc, QueryError) else 404
        if isinstance(exc, NotAnInvestigation):
            status = 500
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": str(exc)}, status_code=status)
        return templates.TemplateResponse(
            request, "error.html", {"message": str(exc)}, status_code=status
        )

    @app.exception_handler(HTTPException)
    async def _http_error(request: Request, exc: HTTPException) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": exc.detail}, status_code=exc.status_code)
        return templates.TemplateResponse(
            request, "error.html", {"message": exc.detail}, status_code=exc.status_code
        )

    @app.exception_handler(RequestValidationError)
    async def _bad_request(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in exc.errors()
        )
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": problems}, status_code=422)
        return templates.TemplateResponse(
            request, "error.html", {"message": f"Bad request: {problems}"}, status_code=400
        )

    return app

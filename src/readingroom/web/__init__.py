"""The reading room in the browser: server-rendered pages and a JSON API.

The web layer has no logic of its own: every page calls the same library
functions as the CLI (`readingroom.search`, `readingroom.render`,
`readingroom.store.reading`, `readingroom.analyse.report`). Views live in the
plugin package `readingroom.web.views`, one module per area, each exposing
`router` (an APIRouter); every module there is found by
`readingroom.plugins.discover`, and one that fails to import stops the app
with an error naming it. To add an area, add a module there, extend
`base.html` and use `get_conn` / `get_inv` and `templates` from
`readingroom.web.deps`.
"""

from __future__ import annotations

from readingroom.web.app import create_app

__all__ = ["create_app"]

"""The reading room in the browser: server-rendered pages and a JSON API.

The web layer has no logic of its own: every page calls the same library
functions as the CLI (`readingroom.search`, `readingroom.render`). Views live
in `readingroom.web.views.*`, one module per area, each exposing `router`
(an APIRouter). Other areas plug in the same way: add a module to
`VIEW_MODULES` (modules not written yet are skipped), extend `base.html`
and use the `get_conn` / `get_inv` dependencies and `templates` from
`readingroom.web.deps`.
"""

from __future__ import annotations

from readingroom.web.app import VIEW_MODULES, create_app

__all__ = ["VIEW_MODULES", "create_app"]

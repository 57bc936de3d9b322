"""A shared room in Chromium: two people in two browser profiles, roles, banner, 400 px.

The server runs with accounts required, as `serve --host 0.0.0.0` does, on
loopback so the test needs no network. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from readingroom import accounts
from readingroom.investigation import Investigation
from readingroom.store import accounts as store
from readingroom.web import create_app
from tests.web.conftest import key
from tests.web.test_browser import ARGS, ARTIFACTS, CHROMIUM, free_port

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed"),
]
PASSWORD = "correct horse battery"


@pytest.fixture
def shared(
    served: tuple[Investigation, dict[str, int]],
) -> Iterator[tuple[str, Investigation, str]]:
    inv, ids = served
    memo = ids["elpaso-quota-memo.pdf"]
    page_id = inv.db.execute(
        "SELECT id FROM pages WHERE document_id = ? AND number = 2", (memo,)
    ).fetchone()[0]
    inv.db.execute(
        "INSERT INTO redaction_boxes (document_id, page_id, x0, y0, x1, y1, area, kind,"
        " region, covered_words, bad) VALUES (?, ?, 72, 72, 200, 90, 2304, 'vector', 1, 2, 1)",
        (memo, page_id),
    )
    for name, role in (("vic", "viewer"), ("eddie", "editor"), ("ada", "admin")):
        accounts.add_user(inv.db, name, role, PASSWORD)
    inv.db.commit()
    port = free_port()
    app = create_app(inv.root, require_login=True, host="127.0.0.1")
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", inv, key(inv, memo)
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


def profile(browser: Any, width: int = 1280) -> tuple[Any, Any, list[str]]:
    """A fresh browser profile (its own cookies) and a list of CSP complaints it logs."""
    context = browser.new_context(viewport={"width": width, "height": 900}, accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    problems: list[str] = []
    pg.on("console", lambda m: problems.append(m.text) if "Content Security" in m.text else None)
    return context, pg, problems


def shot(pg: Any, name: str) -> None:
    pg.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def sign_in(pg: Any, base: str, name: str, password: str = PASSWORD) -> None:
    pg.goto(base + "/")
    assert "/login" in pg.url
    pg.fill("#name", name)
    pg.fill("#password", password)
    pg.click("button[type=submit]")


def no_sideways_scroll(pg: Any) -> None:
    width = pg.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"{pg.url} is {width}px wide at a 400px viewport"


def test_two_people_two_roles_and_the_audit_log(
    shared: tuple[str, Investigation, str], browser: Any
) -> None:
    base, inv, memo = shared
    ctx, viewer, csp = profile(browser)
    viewer.goto(base + "/")
    shot(viewer, "20-login")
    sign_in(viewer, base, "vic", "not the password")
    assert "do not match" in viewer.inner_text("p.error")
    sign_in(viewer, base, "vic")
    viewer.fill("#q", "Subject: RE: quota")  # pasted from an e-mail: words, not an error
    viewer.press("#q", "Enter")
    assert viewer.locator(".notice.error").count() == 0
    viewer.goto(base + "/?q=Sent:Monday+quota")
    assert "not a field here" in viewer.inner_text("#query-hints")
    shot(viewer, "21-viewer-hint")
    viewer.goto(base + f"/doc/{memo}?page=1")
    assert "still readable" in viewer.inner_text("#bad-redaction")
    viewer.click("#zoom-in")
    assert viewer.inner_text("#zoom-level") == "125%"
    shot(viewer, "22-viewer-banner")
    viewer.click("text=Download original")
    assert "needs the editor role" in viewer.inner_text("main")
    shot(viewer, "23-viewer-download-refused")
    assert viewer.goto(base + "/admin/audit").status == 403
    assert not csp, csp
    ctx.close()

    ctx, editor, csp = profile(browser)
    sign_in(editor, base, "eddie")
    editor.goto(base + f"/doc/{memo}/original")
    shot(editor, "24-editor-confirm")
    editor.check("input[name=understood]")
    with editor.expect_download() as dl:
        editor.click("text=Download the original")
    assert Path(dl.value.path()).read_bytes().startswith(b"%PDF")
    ctx.close()

    ctx, admin, csp = profile(browser)
    sign_in(admin, base, "ada")
    admin.goto(base + "/admin/audit")
    text = admin.inner_text("table.audit")
    assert "vic" in text and "eddie" in text and "download-original" in text
    shot(admin, "25-admin-audit")
    ctx.close()
    actions = {(r["user"], r["action"]) for r in store.audit_log(inv.db)}
    assert {("vic", "search"), ("vic", "view"), ("eddie", "download-original")} <= actions
    assert ("vic", "download-original") not in actions


def test_documents_page_and_400px_layout(
    shared: tuple[str, Investigation, str], browser: Any
) -> None:
    base, _, memo = shared
    ctx, pg, csp = profile(browser)
    sign_in(pg, base, "vic")
    pg.goto(base + "/documents")
    pg.click("th a:has-text('Date')")
    assert "sort=date" in pg.url
    shot(pg, "26-documents")
    ctx.close()
    ctx, narrow, csp = profile(browser, width=400)
    sign_in(narrow, base, "vic")
    for path, name in (
        ("/?q=quota", "27-400px-search"),
        (f"/doc/{memo}?q=quota", "28-400px-viewer"),
        ("/documents", "29-400px-documents"),
        ("/batch", "30-400px-batch"),
    ):
        narrow.goto(base + path)
        no_sideways_scroll(narrow)
        shot(narrow, name)
    assert not csp, csp
    ctx.close()

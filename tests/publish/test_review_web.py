"""The review queue: masked values, one decision per hit with its reviewer, reveal for editors."""

from __future__ import annotations

import re
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi.testclient import TestClient

from readingroom import accounts
from readingroom.investigation import Investigation
from readingroom.publish import audit as pa
from readingroom.publish.fixtures import PlantedPage
from readingroom.store import evidence, reading
from readingroom.web import create_app

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PASSWORD = "correct horse battery"


def _token(html: str) -> str:
    m = re.search(r'name="csrf" value="([^"]*)"', html)
    assert m, "the form carries no CSRF field"
    return m[1]


def _values(files: dict[str, list[PlantedPage]]) -> list[str]:
    return [v for pages in files.values() for p in pages for _, v in p.truth]


def test_queue_masks_decides_and_reveals(
    planted: tuple[Investigation, dict[str, list[PlantedPage]]],
) -> None:
    inv, files = planted
    for doc in ("i213-born.pdf", "i213-scan.pdf"):
        evidence.add_tag(
            inv.db,
            document_id=reading.resolve_document(inv.db, ref=doc)["document_id"],
            tag="publish",
        )
    inv.db.commit()
    with TestClient(create_app(inv.root)) as web:
        page = web.get("/publish", params={"tag": "publish"})
        assert page.status_code == 200
        assert "Before publishing" in page.text and "•••-••-" in page.text
        for v in _values(files):
            assert v not in page.text, "a value is never in the queue unless revealed"
        assert web.get("/publish", params={"kind": "nonsense"}).status_code == 400
        assert web.get("/publish", params={"tag": "no-such-tag"}).status_code == 404
        api = web.get("/api/publish/hits", params={"tag": "publish"}).json()
        hit = next(h for h in api["hits"] if h["kind"] == "ssn")
        token = _token(page.text)
        forged = web.post(
            "/publish/decide", data={"hit": hit["hit"], "decision": "confirm", "csrf": "x"}
        )
        assert forged.status_code == 403
        r = web.post(
            "/publish/decide",
            data={
                "hit": hit["hit"],
                "decision": "confirm",
                "csrf": token,
                "back": "/publish?tag=publish",
            },
            follow_redirects=False,
        )
        assert r.status_code == 303 and r.headers["location"].startswith("/publish?tag=publish#h-")
        after = {h["hit"]: h for h in pa.audit(inv.db)}[hit["hit"]]
        assert (after["decision"], after["reviewer"]) == ("confirmed", "local")
        bad = web.post(
            "/publish/decide", data={"hit": hit["hit"], "decision": "maybe", "csrf": token}
        )
        assert bad.status_code == 400
        unknown = web.post(
            "/publish/decide", data={"hit": "ffffffffffff", "decision": "confirm", "csrf": token}
        )
        assert unknown.status_code == 400 and "no hit" in unknown.text
        shown = web.post("/publish/reveal", data={"hit": hit["hit"], "csrf": token})
        ssn = next(v for k, v in files[hit["name"]][hit["page"] - 1].truth if k == "ssn")
        assert shown.status_code == 200 and ssn in shown.text
        assert "recorded in the audit log" in shown.text
    with sqlite3.connect(inv.db_path) as c:
        actions = [r[0] for r in c.execute("SELECT action FROM audit_log")]
    assert "publish-reveal" in actions and "publish-confirm" in actions


@pytest.fixture
def shared(
    planted: tuple[Investigation, dict[str, list[PlantedPage]]],
) -> Iterator[tuple[str, Investigation]]:
    inv, _ = planted
    for name, role in (("vic", "viewer"), ("eddie", "editor")):
        if not inv.db.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone():
            accounts.add_user(inv.db, name, role, PASSWORD)
    for doc in ("i213-born.pdf", "i213-scan.pdf", "memo-clean.pdf"):
        evidence.add_tag(
            inv.db,
            document_id=reading.resolve_document(inv.db, ref=doc)["document_id"],
            tag="publish",
        )
    inv.db.commit()
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    app = create_app(inv.root, require_login=True, host="127.0.0.1")
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", inv
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed")
def test_editor_reviews_in_chromium_viewer_cannot(shared: tuple[str, Investigation]) -> None:
    from playwright.sync_api import sync_playwright

    base, inv = shared
    ARTIFACTS.mkdir(exist_ok=True)
    args = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
    ]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=args)
        problems: list[str] = []

        def signed_in(name: str, width: int) -> Any:
            ctx = browser.new_context(viewport={"width": width, "height": 900})
            pg = ctx.new_page()
            pg.set_default_timeout(15_000)
            pg.on(
                "console",
                lambda m: problems.append(m.text) if "Content Security" in m.text else None,
            )
            pg.goto(base + "/login")
            pg.fill("#name", name)
            pg.fill("#password", PASSWORD)
            pg.click("button[type=submit]")
            pg.wait_for_load_state()
            return ctx, pg

        ctx, pg = signed_in("eddie", 1280)
        pg.goto(base + "/publish?tag=publish")
        assert pg.locator("li.hit").count() >= 18
        pg.screenshot(path=str(ARTIFACTS / "publish-queue.png"), full_page=True)
        # By keyboard: j to the first hit, c to redact it; the page comes back on the next one.
        pg.keyboard.press("j")
        first = pg.evaluate("document.activeElement.id")
        with pg.expect_navigation():
            pg.keyboard.press("c")
        assert pg.locator(f"#{first}.s-confirmed").count() == 1
        assert "confirmed by eddie" in pg.locator(f"#{first} .state").inner_text()
        # With the mouse: dismiss the second one.
        second = pg.locator("li.hit.s-pending").first
        sid = second.get_attribute("id")
        with pg.expect_navigation():
            second.locator("button[value=dismiss]").click()
        assert pg.locator(f"#{sid}.s-dismissed").count() == 1
        pg.once("dialog", lambda d: d.accept())
        with pg.expect_navigation():
            pg.locator("form.confirm-all button").first.click()
        pg.screenshot(path=str(ARTIFACTS / "publish-queue-reviewed.png"), full_page=True)
        ctx.close()

        ctx, pg = signed_in("eddie", 400)
        pg.goto(base + "/publish?tag=publish")
        width = pg.evaluate("document.documentElement.scrollWidth")
        assert width <= 400, f"the queue is {width}px wide at 400px"
        pg.screenshot(path=str(ARTIFACTS / "publish-queue-400.png"), full_page=False)
        ctx.close()

        ctx, pg = signed_in("vic", 1280)
        pg.goto(base + "/publish?tag=publish")
        with pg.expect_navigation():
            pg.locator("li.hit button[value=confirm]").first.click()
        assert "editor role" in pg.content()
        ctx.close()
        browser.close()
    assert problems == []
    decided = [h for h in pa.audit(inv.db) if h["decision"] != "pending"]
    assert sum(h["reviewer"] == "eddie" for h in decided) >= 3
    assert not any(h["reviewer"] == "vic" for h in decided), "a viewer decides nothing"

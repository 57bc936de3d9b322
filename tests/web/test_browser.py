"""The reading room in Debian's Chromium, driven by Playwright, against a real uvicorn.

Screenshots land in test-artifacts/ (gitignored) so a person can look at them.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from readingroom.investigation import Investigation
from readingroom.web import create_app

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(served: tuple[Investigation, dict[str, int]]) -> Iterator[str]:
    """The real ASGI server in a thread, on a free local port."""
    port = free_port()
    config = uvicorn.Config(
        create_app(served[0].root), host="127.0.0.1", port=port, log_level="warning"
    )
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def page(server: str):  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(viewport={"width": 1360, "height": 900})
        pg = context.new_page()
        pg.set_default_timeout(15_000)
        pg.base_url = server  # type: ignore[attr-defined]
        yield pg
        context.close()
        browser.close()


def shot(pg, name: str) -> None:  # type: ignore[no-untyped-def]
    pg.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_search_filter_open_page_and_jump(page) -> None:  # type: ignore[no-untyped-def]
    pg = page
    pg.goto(pg.base_url + "/")
    shot(pg, "01-landing")
    pg.fill("#q", "quota OR collateral")
    pg.press("#q", "Enter")
    pg.wait_for_selector("#result-count")
    count = pg.inner_text("#result-count")
    assert re.search(r"7 pages in 5 documents", count), count
    assert pg.locator(".snippet mark").count() >= 3
    shot(pg, "02-search")

    # one click on a facet narrows the results and shows the filter as a chip
    pg.click(".facet a[title='office:\"El Paso\"']")
    pg.wait_for_selector(".chip")
    assert "3 pages in 1 document" in pg.inner_text("#result-count")
    assert 'office:"El Paso"' in pg.input_value("#q")
    shot(pg, "03-facet")

    # open the document at its best page; the image loads and a word box marks the hit
    pg.click(".doc h3 a")
    pg.wait_for_selector(".page-image img")
    # Polled from here: wait_for_function evaluates a string in the page, which
    # the reading room's CSP (no unsafe-eval) rightly refuses.
    image = pg.locator(".page-image img")
    for _ in range(150):
        if image.evaluate("img => img.complete && img.naturalWidth > 0"):
            break
        pg.wait_for_timeout(100)
    else:
        pytest.fail("the page image never loaded")
    assert pg.locator(".box").count() >= 1
    assert pg.locator(".page-text mark").count() >= 1
    first = pg.inner_text(".page-text h2")
    shot(pg, "04-viewer")

    # keyboard: k goes to the previous page, j to the next (from wherever we landed)
    number = int(re.search(r"Page (\d+)", first).group(1))  # type: ignore[union-attr]
    back, forth = ("k", "j") if number > 1 else ("j", "k")
    other = number - 1 if number > 1 else number + 1
    pg.keyboard.press(back)
    pg.wait_for_url(re.compile(rf"page={other}\b"))
    assert f"Page {other}" in pg.inner_text(".page-text h2")
    pg.keyboard.press(forth)
    pg.wait_for_url(re.compile(rf"page={number}\b"))
    assert f"Page {number}" in pg.inner_text(".page-text h2")

    # the Next button and the Bates jump
    pg.goto(pg.url.replace(f"page={number}", "page=1"))
    pg.click("#next-page")
    pg.wait_for_url(re.compile(r"page=2"))
    pg.fill("#bates", "DFE 000102")
    pg.press("#bates", "Enter")
    pg.wait_for_url(re.compile(r"page=3"))
    heading = pg.inner_text(".page-text h2")
    assert "Page 3" in heading and "DFE 000102" in heading
    assert "mean confidence" in pg.inner_text(".ocrinfo")
    shot(pg, "05-bates-jump")


def test_bad_query_and_batch(page) -> None:  # type: ignore[no-untyped-def]
    pg = page
    pg.goto(pg.base_url + "/?q=" + "quota%20(arrest")
    assert "never closed" in pg.inner_text("#query-error")
    shot(pg, "06-bad-query")
    pg.goto(pg.base_url + "/batch")
    pg.fill("#terms", 'quota\n"arrest targets"\nFALCON\nzebra\nnosuch:field')
    pg.click("form.batch button")
    pg.wait_for_selector("table.counts")
    rows = pg.locator("table.counts tbody tr")
    assert rows.count() == 5
    assert rows.nth(0).locator("td").first.inner_text() == "5"
    shot(pg, "07-batch")


def test_keyboard_only_reader(page) -> None:  # type: ignore[no-untyped-def]
    """Skip link first, a visible focus ring, headings, and the viewer's keys spelled out."""
    pg = page
    pg.goto(pg.base_url + "/?q=quota")
    assert pg.inner_text("h1") == "Search results for quota"
    pg.keyboard.press("Tab")
    focused = pg.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to content"
    assert pg.locator(".skip").bounding_box()["x"] >= 0  # shown on screen while focused
    pg.keyboard.press("Enter")
    assert pg.evaluate("document.activeElement.id") == "main"
    # tab to the search box: the ring is drawn in the dark orange, not a pale one
    pg.focus("#q")
    pg.keyboard.press("Tab")
    ring = pg.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, s.outlineColor]; })()"
    )
    assert ring == ["solid", "rgb(180, 83, 9)"]
    shot(pg, "08-focus")
    pg.click(".doc h3 a")
    pg.wait_for_selector("#keys")
    keys = pg.inner_text("#keys")
    assert "Keys:" in keys and "matching page" in keys and "Go to Bates" in keys
    assert pg.get_attribute("#bates", "aria-keyshortcuts") == "g"
    pg.keyboard.press("g")
    assert pg.evaluate("document.activeElement.id") == "bates"
    shot(pg, "09-viewer-keys")

"""Done-when: on the demo production, three findings recorded by selecting text in
Chromium, `readingroom report` written, and the report opened in Chromium: every
quote matches its cited page exactly, the per-office chart and table match the
released daily reports, and the findings export as CSV a spreadsheet reads.

Screenshots land in test-artifacts/ (gitignored) so a person can look at them.
"""

from __future__ import annotations

import csv
import io
import json
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from typer.testing import CliRunner

from readingroom.evidence.anchor import fold
from readingroom.investigation import Investigation
from readingroom.store import reading
from readingroom.web import create_app

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update",
        "--disable-sync"]  # fmt: skip

pytestmark = [
    pytest.mark.slow,
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed"),
]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Investigation, dict[str, Any]]:
    from readingroom.analyse import run_all
    from readingroom.demo import generate
    from readingroom.ingest.pipeline import IngestOptions, ingest

    root = tmp_path_factory.mktemp("evdemo")
    generate(root / "demo", seed=7)
    inv = Investigation.create(root / "inv")
    with ThreadPoolExecutor(2) as pool:  # OCR on: a scanned page is cited too
        ingest(inv, [root / "demo" / "production"], IngestOptions(workers=2), executor=pool)
    run_all(inv)
    return inv, json.loads((root / "demo" / "truth.json").read_text())


@pytest.fixture(scope="module")
def server(demo: tuple[Investigation, dict[str, Any]]) -> Iterator[str]:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    srv = uvicorn.Server(uvicorn.Config(create_app(demo[0].root), host="127.0.0.1", port=port,
                                        log_level="warning"))  # fmt: skip
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not srv.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


def _doc(inv: Investigation, name: str) -> dict[str, Any]:
    return reading.resolve_document(inv.db, ref=name)


def _select(page: Any, quote: str) -> None:
    """Select `quote` in the page text as a mouse would, then let the viewer see it."""
    found = page.evaluate(
        """(quote) => {
          const root = document.getElementById('page-text');
          const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
          const nodes = []; let all = '';
          while (walker.nextNode()) { nodes.push([walker.currentNode, all.length]); all += walker.currentNode.data; }
          const at = all.indexOf(quote);
          if (at < 0) return false;
          const locate = (pos) => { for (let i = nodes.length - 1; i >= 0; i--) if (nodes[i][1] <= pos) return [nodes[i][0], pos - nodes[i][1]]; };
          const [sn, so] = locate(at); const [en, eo] = locate(at + quote.length);
          const range = document.createRange(); range.setStart(sn, so); range.setEnd(en, eo);
          const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
          return true;
        }""",  # noqa: E501
        quote,
    )
    assert found, f"{quote!r} is not in the viewer's text"
    page.locator("#page-text").dispatch_event("mouseup")
    page.wait_for_selector("#cite-panel:not([hidden])")


def test_three_findings_by_selection_then_a_verified_report(
    demo: tuple[Investigation, dict[str, Any]], server: str, tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    inv, truth = demo
    ARTIFACTS.mkdir(exist_ok=True)
    plan = _doc(inv, "ops-plan-atlanta.pdf")
    mail = _doc(inv, "DFE-email-0003.pdf")
    scan = _doc(inv, "DFE-scan-0001.pdf")
    scan_text = reading.page(inv.db, document_id=scan["document_id"], number=2)["text"]  # type: ignore[index]
    assert "percent" in scan_text  # an OCR'd page: quote what Tesseract read
    start = scan_text.index("Numbers from the first week")
    scan_quote = " ".join(scan_text[start : scan_text.index("percent", start) + 7].split("\n")[0:1])
    plan_page = next(
        n for n in range(1, 6)
        if "target of 78"
        in (reading.page(inv.db, document_id=plan["document_id"], number=n) or {}).get("text", "")
    )  # fmt: skip
    cases = [
        (plan, plan_page, "with a target of 78 arrests of priority targets per week",
         "Headquarters set weekly arrest targets per field office"),
        (mail, 1, "The AD asked why El Paso is behind on the quota",
         "El Paso was pressed about a quota"),
        (scan, 2, scan_quote, "First-week numbers were reported per operation"),
    ]  # fmt: skip
    errors: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        ctx = browser.new_context(viewport={"width": 1360, "height": 900})
        page = ctx.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        for i, (doc, number, quote, claim) in enumerate(cases):
            page.goto(f"{server}/doc/{doc['key']}?page={number}")
            _select(page, quote)
            assert fold(page.locator("#cite-quote").inner_text()) == fold(quote)
            if i == 0:
                page.screenshot(
                    path=str(ARTIFACTS / "evidence-viewer-selection.png"), full_page=False
                )
            page.fill("#cite-claim", claim)
            page.click("#cite-submit")
            page.wait_for_selector("p.cited")
        # A second quote for the first finding, chosen from the list of findings.
        elp = _doc(inv, "ops-plan-el-paso.pdf")
        for n in range(1, 6):
            page.goto(f"{server}/doc/{elp['key']}?page={n}")
            if "with a target of 84 arrests" in page.locator("#page-text").inner_text():
                break
        _select(page, "with a target of 84 arrests")
        page.wait_for_function("document.querySelectorAll('#cite-finding option').length > 3")
        page.select_option("#cite-finding", "1")
        assert page.locator("#cite-claim-row").is_hidden()
        page.click("#cite-submit")
        page.wait_for_selector("p.cited")
        page.wait_for_selector("#cited-here li")  # the page lists the finding that cites it
        assert "Finding 1" in page.locator("#cited-here").inner_text()
        # A quote that is not on the page is refused with words, not recorded.
        page.goto(f"{server}/doc/{elp['key']}?page={n}")
        token = page.locator("#cite-panel input[name=csrf]").get_attribute("value")
        refused = page.request.post(f"{server}/findings/cite", form={
            "csrf": token or "", "key": elp["key"], "page": str(n),
            "exact": "a target of 999 arrests", "claim": "invented"})  # fmt: skip
        assert refused.status == 400 and "not on page" in refused.text()

        page.goto(f"{server}/findings")
        page.screenshot(path=str(ARTIFACTS / "evidence-findings.png"), full_page=True)
        assert page.locator("article.finding").count() == 3
        export = page.request.get(f"{server}/findings.csv")
        assert export.ok and export.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(export.text().lstrip("\ufeff"))))
        assert [r["finding_id"] for r in rows] == ["1", "1", "2", "3"]
        assert rows[2]["quote"] == cases[1][2] and rows[0]["bates"].startswith(
            "DFE-2019-FOIA-00052"
        )

        from readingroom.cli import build_app

        out = tmp_path / "report.html"
        r = CliRunner().invoke(build_app(), ["report", "-o", str(out), "--dir", str(inv.root),
                                             "--base-url", server])  # fmt: skip
        assert r.exit_code == 0, r.output
        page.goto(out.as_uri())
        page.screenshot(path=str(ARTIFACTS / "evidence-report.png"), full_page=True)
        quotes = page.locator("blockquote.exact")
        assert quotes.count() == 4
        for j in range(quotes.count()):
            q = quotes.nth(j)
            shown = q.inner_text()
            cited = reading.resolve_document(inv.db, ref=q.get_attribute("data-key") or "")
            text = reading.page(
                inv.db,
                document_id=cited["document_id"],
                number=int(q.get_attribute("data-page") or 0),
            )["text"]  # type: ignore[index]
            assert shown.strip() and fold(shown) in fold(text), shown
        assert page.locator("img.crop").count() == 4  # every cited page has an image
        # Chart bars and table cells hold the released daily report's totals.
        want = next(f for f in truth["files"] if f["path"].endswith("daily-arrests.xlsx"))["totals"]
        cells = page.locator("#office-table tbody tr")
        assert cells.count() == len(want)
        for j in range(cells.count()):
            office, t, c = (cells.nth(j).locator("td").nth(x).inner_text() for x in range(3))
            assert int(t.replace(",", "")) == want[office]["targets"]
            assert int(c.replace(",", "")) == want[office]["collateral"]
            bar = page.locator(f'rect[data-label="{office}"][data-series="targets"]')
            assert float(bar.get_attribute("data-value") or 0) == want[office]["targets"]
        assert page.evaluate("document.documentElement.scrollWidth") <= 1360

        narrow = browser.new_context(viewport={"width": 400, "height": 800})
        p400 = narrow.new_page()
        p400.goto(out.as_uri())
        p400.screenshot(path=str(ARTIFACTS / "evidence-report-400.png"), full_page=True)
        assert p400.evaluate("document.documentElement.scrollWidth") <= 400
        p400.goto(f"{server}/doc/{plan['key']}?page={plan_page}")
        _select(p400, "with a target of 78 arrests")
        p400.screenshot(path=str(ARTIFACTS / "evidence-viewer-400.png"), full_page=False)
        p400.goto(f"{server}/findings")
        p400.screenshot(path=str(ARTIFACTS / "evidence-findings-400.png"), full_page=True)
        assert p400.evaluate("document.documentElement.scrollWidth") <= 400
        narrow.close()
        ctx.close()
        browser.close()
    assert not [e for e in errors if "Content Security Policy" in e], errors

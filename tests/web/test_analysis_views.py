"""The analysis pages on the demo production: real content, links, nothing leaked."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from readingroom.analyse import run_all
from readingroom.demo.generate import generate
from readingroom.ingest.pipeline import IngestOptions, ingest
from readingroom.investigation import Investigation
from readingroom.web import create_app


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, Any]]]:
    root = tmp_path_factory.mktemp("demo")
    generate(root / "demo", seed=7)
    inv = Investigation.create(root / "inv")
    opts = IngestOptions(production="DFE-2019-FOIA-00052", workers=1, ocr="never")
    ingest(inv, [root / "demo" / "production"], opts)
    run_all(inv)
    inv.close()
    yield root / "inv", json.loads((root / "demo" / "truth.json").read_text())


@pytest.fixture(scope="module")
def web(demo: tuple[Path, dict[str, Any]]) -> Iterator[TestClient]:
    with TestClient(create_app(demo[0])) as c:
        yield c


def _hidden_names(truth: dict[str, Any]) -> list[str]:
    return [
        r["hidden_text"]
        for f in truth["files"]
        for p in f.get("pages", [])
        for r in p.get("redactions", [])
        if r["bad"]
    ]


def test_nav_links_to_every_analysis_page(web: TestClient) -> None:
    home = web.get("/").text
    for path in ("/bates", "/exemptions", "/redactions", "/emails"):
        assert f'href="{path}"' in home
        assert web.get(path).status_code == 200


def test_bates_page_shows_the_real_gap_with_links(web: TestClient) -> None:
    html = web.get("/bates").text
    gap = re.search(r'<li class="issue gap">(.*?)</li>', html, re.S)
    assert gap, "the demo's missing pages are shown as a gap"
    assert "DFE-2019-FOIA-00052 000016" in gap[1] and "DFE-2019-FOIA-00052 000018" in gap[1]
    assert "3 pages not in the production" in gap[1]
    assert re.search(r'href="/doc/[0-9a-f]{12}\?page=2#page">DFE-memo-0008.pdf', gap[1])
    # Without OCR the scans carry no stamp: 000129-000134 is unverified, not a gap.
    assert html.count('class="issue gap"') == 1
    unverified = re.search(r'<li class="issue unverified">(.*?)</li>', html, re.S)
    assert unverified and "6 pages without a readable stamp here" in unverified[1]
    assert "DFE-scan-fax.tiff p.&nbsp;2" in unverified[1]
    # Every document's first stamp links to its page in the viewer.
    assert re.search(
        r'<a class="bates" href="/doc/[0-9a-f]{12}\?page=1#page">DFE-2019-FOIA-00052 000001', html
    )


def test_redactions_flag_the_bad_one_and_never_show_its_text(
    web: TestClient, demo: tuple[Path, dict[str, Any]]
) -> None:
    html = web.get("/redactions").text
    assert html.count('class="issue bad-redaction"') == 1
    bad = re.search(r'<li class="issue bad-redaction">(.*?)</li>', html, re.S)
    assert bad and "DFE-email-0001.pdf p.&nbsp;1" in bad[1] and "2 words" in bad[1]
    assert "labelled (b)(6)" in bad[1]
    hidden = _hidden_names(demo[1])
    assert hidden == ["Gwendolyn Nobodyshire"]
    for path in ("/redactions", "/emails", "/emails?native=false", "/bates", "/exemptions"):
        text = web.get(path).text
        for name in hidden:
            for part in name.split():
                assert part not in text, f"{part!r} leaked on {path}"


def test_exemption_counts_match_the_cli(web: TestClient, demo: tuple[Path, dict[str, Any]]) -> None:
    from readingroom.cli import app

    result = CliRunner().invoke(app, ["exemptions", "--json", "--dir", str(demo[0])])
    assert result.exit_code == 0, result.output
    cli = json.loads(result.output)
    html = web.get("/exemptions").text
    assert cli["by_production"]
    for r in cli["by_production"]:
        cell = re.search(
            rf'data-production="{re.escape(r["production"])}" data-code="{r["code"]}">'
            rf'<a href="([^"]+)">{r["marks"]}</a>',
            html,
        )
        assert cell, f"{r['production']} {r['code']} shows {r['marks']}"
        assert "exemption%3A" + r["code"] in cell[1] and "production%3A" in cell[1]
    for r in cli["by_office"]:
        assert f'data-office="{r["office"]}" data-code="{r["code"]}">' in html
    # The facet link finds pages: the search behind the b6 count is not empty.
    b6 = next(r for r in cli["by_production"] if r["code"] == "b6")
    link = re.search(rf'data-code="b6"><a href="([^"]+)">{b6["marks"]}</a>', html)
    assert link
    found = web.get(link[1].replace("&amp;", "&")).text
    assert re.search(r"<strong>\d+</strong> pages? in", found)


def test_emails_are_threaded_printed_and_marked(
    web: TestClient, demo: tuple[Path, dict[str, Any]]
) -> None:
    truth = demo[1]
    printed = sum(len(f["messages"]) for f in truth["files"] if f.get("kind") == "email_chain")
    html = web.get("/emails").text
    assert f"{printed} printed messages" in html
    assert html.count('<span class="kind printed">') == printed
    assert '<span class="kind native">' in html
    only = web.get("/emails", params={"native": "false"}).text
    assert '<span class="kind native">' not in only
    # No memo is read as an e-mail: memo authors' titles never appear as senders.
    assert "Deputy Assistant Director" not in html
    # Each message links to its page; the thread links to its pages in search.
    where = r'class="where" href="/doc/[0-9a-f]{12}\?page=\d#page">DFE-email-0004.pdf'
    assert re.search(where, html)
    assert "subject%3A%22Weekly+arrest+numbers%22" in html
    # Message bodies open under each message, except where a bad redaction may
    # have left hidden words in them: those point to the masked viewer instead.
    assert html.count('<details class="body">') >= printed // 2
    assert "on a page with a bad redaction" in html

"""A newcomer's path: demo → ingest → analyse → search in library, pages and API."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from readingroom.investigation import Investigation
from readingroom.search import search
from readingroom.web import create_app

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_inv(tmp_path_factory: pytest.TempPathFactory) -> Investigation:
    from readingroom.analyse import run_all
    from readingroom.demo import generate
    from readingroom.ingest.pipeline import IngestOptions, ingest

    root = tmp_path_factory.mktemp("demo")
    generate(root / "demo", seed=7)
    inv = Investigation.create(root / "inv")
    # OCR off keeps this quick; scanned pages are simply empty here.
    ingest(inv, [root / "demo" / "production"], IngestOptions(ocr="never", workers=2))
    run_all(inv)
    return inv


def test_demo_is_searchable_everywhere(demo_inv: Investigation) -> None:
    conn = demo_inv.reader()
    lib = search(conn, "collateral")
    assert lib.total_pages >= 3
    assert any(h.bates for d in lib.documents for h in d.hits)  # Bates analyser filled pages
    email_targets = search(conn, "target* type:email")
    assert email_targets.total_documents >= 1
    offices = {v.value for f in lib.facets if f.name == "office" for v in f.values}
    assert offices, "the office analyser's facet is offered as a filter"

    with TestClient(create_app(demo_inv.root)) as client:
        page = client.get("/", params={"q": "collateral"})
        assert page.status_code == 200 and "<mark>" in page.text
        api = client.get("/api/search", params={"q": "collateral", "limit": 50}).json()
        assert api["total_pages"] == lib.total_pages
        assert [d["document_id"] for d in api["documents"]] == [
            d.document_id for d in search(conn, "collateral", limit=50).documents
        ]
        first = lib.documents[0]
        viewer = client.get(
            f"/doc/{first.document_id}", params={"page": first.hits[0].number, "q": "collateral"}
        )
        assert viewer.status_code == 200 and "<mark>" in viewer.text.lower()
        if first.doc_type == "pdf":
            assert re.search(r'class="box"', viewer.text)
            png = client.get(f"/doc/{first.document_id}/page/{first.hits[0].number}.png")
            assert png.content.startswith(b"\x89PNG")
        bates = first.hits[0].bates
        if bates:
            jump = client.get("/goto", params={"bates": bates}, follow_redirects=False)
            assert jump.headers["location"].startswith(f"/doc/{first.key}?page=")
    conn.close()

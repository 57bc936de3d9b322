"""The HTML pages in process: search, viewer, batch, errors, escaping."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote_plus

import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient

from readingroom import plugins
from readingroom.errors import RegistrationError
from readingroom.investigation import Investigation
from readingroom.web import create_app
from tests.web.conftest import key

Served = tuple[Investigation, dict[str, int]]


def test_landing_page_counts_and_explains(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200
    assert "9 pages in 6 documents from 2 productions" in r.text
    assert "office:" in r.text and "exemption:" in r.text  # facets from analysers listed


def test_search_results_grouped_with_bates_and_marks(client: TestClient, served: Served) -> None:
    r = client.get("/", params={"q": "quota"})
    assert r.status_code == 200
    assert re.search(r"<strong>5</strong> pages in\s+<strong>4</strong> documents", r.text)
    assert "<mark>quota</mark>" in r.text
    assert "DFE 000100" in r.text
    memo = key(served[0], served[1]["elpaso-quota-memo.pdf"])
    assert f'href="/doc/{memo}?page=' in r.text


def test_page_text_is_escaped(client: TestClient) -> None:
    r = client.get("/", params={"q": "owned"})
    assert "<script>alert" not in r.text
    assert "&lt;script&gt;alert(&#x27;<mark>owned</mark>&#x27;)" in r.text


def test_facet_link_adds_and_removes_filter(client: TestClient) -> None:
    r = client.get("/", params={"q": "quota"})
    link = 'href="/?q=quota+office%3A%22El+Paso%22&amp;sort=relevance"'
    assert link in r.text
    filtered = client.get("/", params={"q": 'quota office:"El Paso"'})
    assert re.search(r"<strong>2</strong> pages in\s+<strong>1</strong> document\b", filtered.text)
    assert 'href="/?q=quota&amp;sort=relevance"' in filtered.text  # the chip removes it


def test_bad_query_is_a_helpful_400(client: TestClient) -> None:
    r = client.get("/", params={"q": 'quota "arrest'})
    assert r.status_code == 400
    assert "unclosed quote" in r.text and "column 7" in r.text
    assert 'value="quota &#34;arrest"' in r.text  # the query stays in the box to fix


def test_pagination_and_sort(client: TestClient) -> None:
    import readingroom.web.views.search as view

    old = view.PER_PAGE
    view.PER_PAGE = 2
    try:
        r = client.get("/", params={"q": "quota OR falcon OR targets", "sort": "date"})
        assert 'rel="next"' in r.text and "Oldest first" in r.text
        r3 = client.get("/", params={"q": "quota OR falcon OR targets", "sort": "date", "page": 3})
        assert 'rel="prev"' in r3.text and 'rel="next"' not in r3.text
    finally:
        view.PER_PAGE = old


def test_viewer_shows_image_text_boxes_and_navigation(client: TestClient, served: Served) -> None:
    memo = key(served[0], served[1]["elpaso-quota-memo.pdf"])
    r = client.get(f"/doc/{memo}", params={"page": 1, "q": "quota"})
    assert r.status_code == 200
    assert f'src="/doc/{memo}/page/1.png"' in r.text
    assert "<mark>quota</mark>" in r.text
    boxes = re.findall(r'class="box" style="left:([\d.]+)%;top:([\d.]+)%', r.text)
    assert len(boxes) == 1 and 0 < float(boxes[0][0]) < 100  # one "quota" word box
    assert 'id="next-page"' in r.text and 'id="prev-page"' not in r.text
    assert "2 matching pages" in r.text and 'id="next-hit"' in r.text
    assert "Download original" in r.text


def test_viewer_marks_a_phrase_only_where_it_occurs(client: TestClient, served: Served) -> None:
    # page 1: "... office arrest quota for August. Targets and collateral arrests ..."
    memo = served[1]["elpaso-quota-memo.pdf"]
    r = client.get(f"/doc/{memo}", params={"page": 1, "q": '"arrest quota"'})
    assert r.text.count("<mark>") == 1 and "<mark>arrest quota</mark>" in r.text
    titles = re.findall(r'class="box" style="[^"]*" title="([^"]*)"', r.text)
    assert titles == ["arrest", "quota"]  # the PDF's boxes; "arrests" later stays unlit
    stems = client.get(f"/doc/{memo}", params={"page": 1, "q": "arrest"})
    assert re.findall(r'class="box" style="[^"]*" title="([^"]*)"', stems.text) == [
        "arrest",
        "arrests",
    ]


def test_viewer_ocr_confidence_and_family(client: TestClient, served: Served) -> None:
    ids = served[1]
    r = client.get(f"/doc/{ids['elpaso-quota-memo.pdf']}", params={"page": 3})
    assert "Text from OCR" in r.text and "78%" in r.text
    email = client.get(f"/doc/{ids['targets-email.eml']}")
    assert "attachment-table.xlsx" in email.text
    att = client.get(f"/doc/{ids['attachment-table.xlsx']}")
    assert (
        f'href="/doc/{key(served[0], ids["targets-email.eml"])}"' in att.text
        and "Attached to" in att.text
    )


def test_page_image_and_original(client: TestClient, served: Served) -> None:
    inv, ids = served
    memo = ids["elpaso-quota-memo.pdf"]
    png = client.get(f"/doc/{memo}/page/2.png")
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    assert client.get(f"/doc/{memo}/page/9.png").status_code == 404
    original = client.get(f"/doc/{memo}/original")
    sha = inv.db.execute("SELECT sha256 FROM documents WHERE id = ?", (memo,)).fetchone()[0]
    assert original.content == inv.blobs.path(sha).read_bytes()
    assert "elpaso-quota-memo.pdf" in original.headers["content-disposition"]


def test_goto_bates(client: TestClient, served: Served) -> None:
    memo = key(served[0], served[1]["elpaso-quota-memo.pdf"])
    r = client.get("/goto", params={"bates": "dfe 102", "q": "quota"}, follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == f"/doc/{memo}?page=3&q=quota#page"
    missing = client.get("/goto", params={"bates": "DFE 009999"})
    assert missing.status_code == 404 and "No page is stamped" in missing.text
    bad = client.get("/goto", params={"bates": "DFE"})
    assert bad.status_code == 400 and "not a Bates number" in bad.text


def test_missing_document_is_a_page_not_json(client: TestClient) -> None:
    r = client.get("/doc/999")
    assert r.status_code == 404 and "No document 999" in r.text and "<html" in r.text


def test_batch_counts_pasted_and_uploaded_terms(client: TestClient) -> None:
    form = client.get("/batch").text
    token = re.search(r'name="csrf" value="([^"]+)"', form)
    assert token, "the batch form carries a CSRF token"
    r = client.post(
        "/batch",
        data={"terms": "quota\nfalcon\n(nosuch", "csrf": token[1]},
        files={"upload": ("watch.txt", b'"arrest targets"\nzebra\n', "text/plain")},
    )
    assert r.status_code == 200
    rows = re.findall(r'<td class="num">([\d,]+)</td>\s*<td class="num">([\d,]+)</td>', r.text)
    assert rows == [("5", "4"), ("1", "1"), ("0", "0"), ("1", "1"), ("0", "0")]
    assert f'href="/?q={quote_plus(chr(34) + "arrest targets" + chr(34))}"' in r.text
    assert "never closed" in r.text


def test_nav_links_follow_installed_views(served: Served) -> None:
    """Analysis pages appear in the nav only when a view module serves them."""
    import types

    from readingroom.web.views import search as search_views

    fake = types.ModuleType("fake_analysis_views")
    fake.router = APIRouter()  # type: ignore[attr-defined]
    fake.router.add_api_route("/exemptions", lambda: {"ok": True})  # type: ignore[attr-defined]
    with TestClient(create_app(served[0].root, views=(search_views,))) as c:
        assert 'href="/exemptions"' not in c.get("/").text
    with TestClient(create_app(served[0].root, views=(search_views, fake))) as c:
        assert 'href="/exemptions"' in c.get("/").text
        assert c.get("/exemptions").json() == {"ok": True}


def test_every_view_module_is_registered(client: TestClient) -> None:
    """Discovery finds each view package module; the nav lists every area they serve."""
    home = client.get("/").text
    for path in ("/batch", "/bates", "/exemptions", "/redactions", "/emails"):
        assert f'href="{path}"' in home


def test_a_view_module_that_fails_to_import_stops_the_app(
    served: Served, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A typo in a view module is an error naming it, not a page that quietly disappears."""
    import readingroom.web.views as views

    extra = tmp_path / "more_views"
    extra.mkdir()
    (extra / "zz_broken.py").write_text("import readingroom.no_such_module\n")
    monkeypatch.setattr(views, "__path__", [*views.__path__, str(extra)])
    plugins.discover.cache_clear()
    try:
        with pytest.raises(RegistrationError, match=r"readingroom\.web\.views\.zz_broken"):
            create_app(served[0].root)
    finally:
        plugins.discover.cache_clear()


def test_errors_answer_with_their_own_status(client: TestClient) -> None:
    """One handler: each error's http_status, JSON under /api/, the error page elsewhere."""
    assert client.get("/api/documents/999").json() == {"error": "No document 999"}
    assert client.get("/api/documents/999").status_code == 404
    r = client.get("/goto", params={"bates": "ZZZ 999999"})
    assert r.status_code == 404 and "<html" in r.text and "ZZZ 999999" in r.text
    r = client.get("/goto", params={"bates": " "})
    assert r.status_code == 400 and "type a Bates number" in r.text
    assert client.get("/doc/999/original").status_code == 404

"""The JSON API answers like the library, and documents itself."""

from __future__ import annotations

from fastapi.testclient import TestClient

from readingroom.investigation import Investigation
from readingroom.search import search

Served = tuple[Investigation, dict[str, int]]


def test_api_search_matches_library(client: TestClient, served: Served) -> None:
    q = 'quota office:"El Paso" OR falcon'
    lib = search(served[0].reader(), q, limit=5)
    r = client.get("/api/search", params={"q": q, "limit": 5})
    assert r.status_code == 200
    data = r.json()
    assert data["total_pages"] == lib.total_pages
    assert [d["document_id"] for d in data["documents"]] == [d.document_id for d in lib.documents]
    hit = data["documents"][0]["hits"][0]
    assert "\x02" not in hit["snippet"] and "<mark>" in hit["snippet_html"]
    assert hit["url"].startswith("/doc/")
    assert {f["name"] for f in data["facets"]} >= {"production", "type", "office"}


def test_api_errors_are_json_400(client: TestClient) -> None:
    r = client.get("/api/search", params={"q": "(quota"})
    assert r.status_code == 400
    assert "never closed" in r.json()["error"]
    assert client.get("/api/search", params={"q": "x", "sort": "size"}).status_code == 400
    assert client.get("/api/search", params={"q": "x", "limit": 0}).status_code == 422


def test_api_batch_page_bates_document(client: TestClient, served: Served) -> None:
    ids = served[1]
    batch = client.post("/api/batch", json={"terms": ["quota", "(b"]}).json()
    assert batch[0] == {"term": "quota", "pages": 5, "documents": 4, "error": None}
    assert "never closed" in batch[1]["error"]
    memo = ids["elpaso-quota-memo.pdf"]
    page = client.get(f"/api/documents/{memo}/pages/1", params={"q": "quota"}).json()
    assert page["bates"] == "DFE 000100" and "<mark>quota</mark>" in page["text_html"]
    assert client.get(f"/api/documents/{memo}/pages/7").status_code == 404
    assert client.get("/api/bates/DFE 000102").json()["number"] == 3
    assert client.get("/api/bates/DFE 000999").status_code == 404
    doc = client.get(f"/api/documents/{ids['targets-email.eml']}").json()
    assert [c["name"] for c in doc["children"]] == ["attachment-table.xlsx"]


def test_openapi_documents_the_api(client: TestClient) -> None:
    spec = client.get("/api/openapi.json").json()
    assert {"/api/search", "/api/batch", "/api/bates/{bates}"} <= set(spec["paths"])
    assert "/doc/{doc_id}" not in spec["paths"]  # HTML pages are not API
    # Swagger UI would load its scripts from a CDN: no docs page, the schema only.
    assert client.get("/api/docs").status_code == 404


def test_api_and_page_explain_an_or_with_a_filter(client: TestClient) -> None:
    data = client.get("/api/search", params={"q": "type:email OR falcon"}).json()
    assert data["ranked_pages"] == 1 and data["total_pages"] == 2 and data["rank_limit"] is None
    assert data["documents"][0]["name"] == "falcon-contract.pdf"
    schema = client.get("/api/openapi.json").json()["components"]["schemas"]
    assert "ranked_pages" in schema["ApiSearchResult"]["properties"]
    page = client.get("/", params={"q": "type:email OR falcon"}).text
    assert "1 page matching by a filter alone follows in document order" in page
    assert 'id="rank-note"' not in client.get("/", params={"q": "quota"}).text

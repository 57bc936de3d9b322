"""Evidence pages through the app: cite, refuse, export, hostile input answered 4xx."""

from __future__ import annotations

import csv
import io
import json
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from readingroom.analyse import run_all
from readingroom.ingest.pipeline import IngestOptions, ingest
from readingroom.investigation import Investigation
from readingroom.store import reading
from readingroom.web import create_app

MEMO = (
    "MEMORANDUM FOR: Field Office Directors\n"
    "Each field office shall make a minimum of 45 arrests per week during Operation Quiet Harbor.\n"
    "Targets will be drawn from FALCON and LeadTrac.\n"
)


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    src = tmp_path / "in"
    src.mkdir()
    (src / "memo.txt").write_text(MEMO, encoding="utf-8")
    inv = Investigation.create(tmp_path / "inv")
    with ThreadPoolExecutor(1) as pool:
        ingest(inv, [src], IngestOptions(ocr="never"), executor=pool)
    run_all(inv)
    inv.close()
    return TestClient(create_app(tmp_path / "inv"))


def _token(client: TestClient, url: str) -> str:
    m = re.search(r'name="csrf" value="([^"]*)"', client.get(url).text)
    assert m
    return m.group(1)


def test_cite_refuse_and_export(client: TestClient) -> None:
    with client:
        key = reading.resolve_document(client.app.state.inv.db, ref="memo.txt")["key"]  # type: ignore[attr-defined]
        viewer = client.get(f"/doc/{key}?page=1")
        assert 'id="cite-panel"' in viewer.text
        token = _token(client, f"/doc/{key}?page=1")
        form = {"csrf": token, "key": key, "page": "1", "claim": "A weekly minimum"}
        bad = client.post("/findings/cite", data={**form, "exact": "a minimum of 99 arrests"})
        assert bad.status_code == 400 and "not on page 1" in bad.text
        ok = client.post(
            "/findings/cite",
            data={**form, "exact": "a minimum of 45 arrests", "prefix": "shall make "},
            follow_redirects=False,
        )
        assert ok.status_code == 303 and "cited=1" in ok.headers["location"]
        page = client.get("/findings").text
        assert "A weekly minimum" in page and "a minimum of 45 arrests" in page
        rows = list(csv.DictReader(io.StringIO(client.get("/findings.csv").text.lstrip("\ufeff"))))
        assert [(r["finding_id"], r["quote"], r["page"]) for r in rows] == [
            ("1", "a minimum of 45 arrests", "1")
        ]
        assert json.loads(client.get("/findings.json").text)["findings"][0]["claim"] == (
            "A weekly minimum"
        )
        found = client.get("/", params={"q": "FALCON", "export": "csv"})
        assert found.headers["content-type"].startswith("text/csv")
        hits = list(csv.DictReader(io.StringIO(found.text.lstrip("\ufeff"))))
        assert len(hits) == 1 and "[FALCON]" in hits[0]["snippet"]
        counts = client.post(
            "/batch", data={"csrf": token, "terms": "FALCON\nquota", "export": "json"}
        )
        assert json.loads(counts.text)["batch"][0] == {
            "term": "FALCON", "pages": 1, "documents": 1, "error": None,
        }  # fmt: skip
        assert client.get("/evidence").status_code == 200
        assert "FALCON" in client.get("/evidence/system/FALCON").text
        assert client.get("/report").status_code == 200
        assert "a minimum of 45 arrests" in client.get("/report?format=md").text


@pytest.mark.parametrize(
    ("method", "url", "data"),
    [
        ("get", "/evidence/system/Nothing%20Such", None),
        ("get", "/evidence/person/x", None),
        ("get", "/findings?status=secret", None),
        ("get", "/findings.xml", None),
        ("get", "/?q=FALCON&export=xlsx", None),
        ("post", "/findings/cite", {"key": "zz", "page": "1", "exact": "x", "claim": "c"}),
        ("post", "/findings/cite", {"key": "0" * 12, "page": "1", "exact": "x", "claim": "c"}),
        ("post", "/findings/cite", {"key": "KEY", "page": "0", "exact": "x", "claim": "c"}),
        (
            "post",
            "/findings/cite",
            {"key": "KEY", "page": "1", "exact": "a minimum", "finding": "x"},
        ),
        ("post", "/findings/cite", {"key": "KEY", "page": "1", "exact": "a minimum", "claim": ""}),
        ("post", "/findings/99/status", {"status": "draft"}),
        ("post", "/findings/1/status", {"status": "bogus"}),
    ],
)
def test_hostile_input_is_a_4xx_with_words(
    client: TestClient, method: str, url: str, data: dict[str, str] | None
) -> None:
    with client:
        key = reading.resolve_document(client.app.state.inv.db, ref="memo.txt")["key"]  # type: ignore[attr-defined]
        if data is not None:
            data = {k: v.replace("KEY", key) for k, v in data.items()}
            data["csrf"] = _token(client, f"/doc/{key}?page=1")
            r = client.post(url, data=data)
        else:
            r = client.get(url)
        assert 400 <= r.status_code < 500, (url, r.status_code)
        assert r.text.strip()

"""The documents page: sortable, filtered by production, type, date and file name or title."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient


def names(html: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="/doc/[0-9a-f]{12}">([^<]+)</a>', html)


def test_lists_every_document_sorted_by_title(client: TestClient) -> None:
    r = client.get("/documents")
    assert r.status_code == 200
    listed = names(r.text)
    assert len(listed) >= 5 and listed == sorted(listed, key=str.casefold)
    assert re.search(r"<strong>\d+</strong> documents", r.text)
    assert '<a href="/documents" aria-current="page">Documents</a>' in r.text


def test_filters_and_sorts(client: TestClient) -> None:
    memo = client.get("/documents", params={"words": "elpaso memo"})
    assert names(memo.text) == ["elpaso-quota-memo.pdf"] or "elpaso-quota-memo.pdf" in memo.text
    email = client.get("/documents", params={"type": "email"})
    assert all("email" in row for row in re.findall(r'<span class="badge t-(\w+)">', email.text))
    dated = client.get("/documents", params={"from": "2017-08", "to": "2017-08", "sort": "date"})
    dates = re.findall(r"<td>(\d{4}-\d\d-\d\d)</td>", dated.text)
    assert dates and all(d.startswith("2017-08") for d in dates) and dates == sorted(dates)
    newest = client.get("/documents", params={"sort": "date", "desc": "true"})
    got = re.findall(r"<td>(\d{4}-\d\d-\d\d)</td>", newest.text)
    assert got == sorted(got, reverse=True)


def test_bad_sort_or_type_is_400_in_words(client: TestClient) -> None:
    r = client.get("/documents", params={"sort": "size; DROP TABLE"})
    assert r.status_code == 400 and "unknown sort" in r.text
    assert client.get("/documents", params={"type": "fax"}).status_code == 400


def test_spreadsheet_pages_show_as_tables(served: tuple, client: TestClient) -> None:  # type: ignore[type-arg]
    inv, ids = served
    sheet = ids["attachment-table.xlsx"]
    inv.db.execute(
        "UPDATE pages SET text = ? WHERE document_id = ?",
        ("Week\tTargets\tCollateral\n1\t60\t15\n2\t58\t21", sheet),
    )
    inv.db.commit()
    r = client.get(f"/doc/{sheet}", params={"q": "collateral"})
    assert '<table class="sheet">' in r.text
    assert "<td><mark>Collateral</mark></td>" in r.text
    assert r.text.count("<tr><td>") == 3

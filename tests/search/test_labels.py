"""Facet values stored short (b7C, ELP) show and filter as people write them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from readingroom.investigation import Investigation
from readingroom.search import facet_label, search, stored_values
from readingroom.search.labels import office_names
from readingroom.web import create_app
from tests.search.conftest import DocSpec, PageSpec, insert_docs

OFFICES = {"ELP": "El Paso", "HQ": "Headquarters"}


def test_facet_label() -> None:
    assert facet_label("exemption", "b7C") == "(b)(7)(C)"
    assert facet_label("exemption", "b6") == "(b)(6)"
    assert facet_label("exemption", "(b)(6)") == "(b)(6)"  # already written out
    assert facet_label("office", "ELP", OFFICES) == "El Paso"
    assert facet_label("office", "XYZ", OFFICES) == "XYZ"  # unknown codes stay
    assert facet_label("from", "b6", OFFICES) == "b6"  # only exemption values are codes


def test_stored_values_accept_either_form() -> None:
    assert stored_values("exemption", "(b)(7)(C)") == ["(b)(7)(C)", "b7C"]
    assert stored_values("exemption", "b7c") == ["b7c", "b7C", "(b)(7)(C)"]
    assert stored_values("exemption", "(b)(7)*") == ["(b)(7)*", "b7*"]
    assert stored_values("office", "el paso", OFFICES) == ["el paso", "ELP", "El Paso"]
    assert stored_values("office", "Nowhere", OFFICES) == ["Nowhere"]


def test_office_names_come_from_the_pack(tmp_path: Path) -> None:
    inv = Investigation.create(tmp_path / "inv")
    names = office_names(inv.reader())
    assert names["ELP"] == "El Paso" and names["HQ"] == "Headquarters"
    inv.close()


@pytest.fixture
def short_facets(tmp_path: Path) -> Iterator[Investigation]:
    inv = Investigation.create(tmp_path / "inv")
    page = PageSpec(
        "Arrest quota for the office.",
        "DFE 000001",
        facets=(("exemption", "b7C"), ("exemption", "b6"), ("office", "ELP")),
    )
    other = PageSpec("Quota memo from Houston.", "DFE 000002", facets=(("office", "HOU"),))
    insert_docs(inv, (DocSpec("memo.pdf", "pdf", "P-1", "2017-01-01", (page, other)),))
    yield inv
    inv.close()


def test_filters_and_facets_use_written_forms(short_facets: Investigation) -> None:
    conn = short_facets.reader()
    for q in ("exemption:b7C", "exemption:b7c", "exemption:(b)(7)(C)", 'exemption:"(b)(7)(C)"'):
        assert search(conn, q).total_pages == 1, q
    for q in ("office:ELP", 'office:"El Paso"', "office:elp"):
        assert search(conn, q).total_pages == 1, q
    assert search(conn, "quota exemption:(b)(7)*").total_pages == 1
    assert search(conn, 'quota -office:"El Paso"').total_pages == 1
    r = search(conn, "quota exemption:b7c")
    facets = {f.name: {v.label: v for v in f.values} for f in r.facets}
    b7c = facets["exemption"]["(b)(7)(C)"]
    assert (b7c.value, b7c.filter, b7c.selected) == ("b7C", "exemption:(b)(7)(C)", "exemption:b7c")
    assert facets["exemption"]["(b)(6)"].selected is None
    assert facets["office"]["El Paso"].filter == 'office:"El Paso"'


def test_pages_and_api_show_labels(short_facets: Investigation) -> None:
    with TestClient(create_app(short_facets.root)) as client:
        page = client.get("/", params={"q": "quota exemption:b7c"}).text
        assert (
            '<span class="v">(b)(7)(C)</span>' in page and '<span class="v">El Paso</span>' in page
        )
        assert ">b7C<" not in page and ">ELP<" not in page
        # the chip says (b)(7)(C) and removes what was typed
        assert "Remove filter exemption:(b)(7)(C)" in page and 'href="/?q=quota&amp;sort' in page
        data = client.get("/api/search", params={"q": "quota"}).json()
        office = next(f for f in data["facets"] if f["name"] == "office")
        assert {"value": "ELP", "label": "El Paso", "count": 1, "filter": 'office:"El Paso"'} in [
            {k: v[k] for k in ("value", "label", "count", "filter")} for v in office["values"]
        ]


def test_only_narrowing_filters_are_selected(short_facets: Investigation) -> None:
    from readingroom.search.compile import query_filters

    assert query_filters('quota office:"El Paso" -exemption:b6') == [
        ("office", "El Paso", 'office:"El Paso"')
    ]
    assert query_filters("type:pdf OR falcon") == []  # under OR: not a filter on the results
    assert query_filters("(type:pdf OR falcon) exemption:(b)(6)") == [
        ("exemption", "(b)(6)", "exemption:(b)(6)")
    ]

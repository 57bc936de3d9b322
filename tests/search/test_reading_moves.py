"""The daily moves of reading: pasted text, words within field values, people, more facet values."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from readingroom.investigation import Investigation
from readingroom.search import search
from readingroom.search.engine import FACET_VALUES, person_key

from .conftest import DocSpec, PageSpec, insert_docs

MAIL = (
    DocSpec(
        "chain-1.pdf",
        "pdf",
        "ICE-2019",
        "2019-02-01",
        (
            PageSpec(
                "From: Quillfeather, Dana Subject: RE: Collateral arrests quota",
                facets=(("from", "Quillfeather, Dana"), ("subject", "Collateral arrests quota")),
            ),
            PageSpec(
                "From: Dana Quillfeather <dq@ice.example> Subject: collateral arrests",
                facets=(
                    ("from", "Dana Quillfeather <dq@ice.example>"),
                    ("subject", "Collateral arrests"),
                ),
            ),
            PageSpec(
                "From: (b)(6);(b)(7)(C) Subject: overtime",
                facets=(("from", "(b)(6);(b)(7)(C)"), ("subject", "Overtime")),
            ),
            PageSpec(
                "From: (b)(6) Subject: staffing",
                facets=(("from", "(b)(6)"), ("subject", "Staffing")),
            ),
            *(
                PageSpec(f"Office note {i}", facets=(("office", f"OFF{i:02d}"),))
                for i in range(FACET_VALUES + 6)
            ),
        ),
        title="Arrest quota thread",
    ),
)


@pytest.fixture(scope="module")
def inv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Investigation]:
    investigation = Investigation.create(tmp_path_factory.mktemp("moves") / "inv")
    insert_docs(investigation, MAIL)
    yield investigation
    investigation.close()


def test_pasted_email_header_is_searched_as_words(inv: Investigation) -> None:
    result = search(inv.db, "Subject: RE: Collateral arrests")
    assert result.total_pages == 1  # the reply; the other page has no "RE"
    assert not result.hints  # labels with nothing after the colon are plain words


def test_pasted_url_and_unknown_field_are_words_with_a_hint(inv: Investigation) -> None:
    result = search(inv.db, "Sent:Monday quota")
    assert result.total_pages == 0
    assert "'sent:' is not a field here" in result.hints[0]
    url = search(inv.db, "https://www.ice.gov/foia/library")
    assert any("'https:'" in h for h in url.hints)


def test_from_and_subject_match_words_within_values(inv: Investigation) -> None:
    assert search(inv.db, "from:Quillfeather").total_pages == 2
    assert search(inv.db, "from:dana").total_pages == 2
    assert search(inv.db, "subject:quota").total_pages == 1
    assert search(inv.db, 'subject:"collateral arrests"').total_pages == 2


def test_unknown_value_says_so_and_suggests_near_values(inv: Investigation) -> None:
    result = search(inv.db, "from:Quilfeather")
    assert result.total_pages == 0
    assert "no from: value contains 'Quilfeather'" in result.hints[0]
    assert "Quillfeather" in result.hints[0]


def test_from_facet_drops_redaction_labels_and_merges_spellings(inv: Investigation) -> None:
    result = search(inv.db, "From")
    senders = next(f for f in result.facets if f.name == "from")
    assert [(v.label, v.count) for v in senders.values] == [("Dana Quillfeather", 2)]
    assert senders.values[0].filter == 'from:"Dana Quillfeather"'
    assert search(inv.db, senders.values[0].filter).total_pages == 2


def test_person_key_joins_last_first_and_name_with_address() -> None:
    assert person_key("Quillfeather, Dana") == person_key("Dana Quillfeather <dq@ice.example>")
    assert person_key("Dana Quillfeather") != person_key("Dana Quill")


def test_facets_have_more(inv: Investigation) -> None:
    result = search(inv.db, "office")
    offices = next(f for f in result.facets if f.name == "office")
    assert len(offices.values) == FACET_VALUES and offices.more
    every = next(f for f in search(inv.db, "office", more="office").facets if f.name == "office")
    assert len(every.values) == FACET_VALUES + 6 and not every.more


def test_name_and_title_fields(inv: Investigation, tmp_path: Path) -> None:
    assert search(inv.db, "name:chain").total_documents == 1
    assert search(inv.db, "title:quota title:thread").total_documents == 1
    assert search(inv.db, "name:nosuchfile").total_documents == 0

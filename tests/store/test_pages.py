"""Pages of a document, their word boxes, and the full-text index that follows them."""

from __future__ import annotations

from readingroom.ingest.model import PageContent
from readingroom.investigation import Investigation
from readingroom.page import Word
from readingroom.store import documents, encode_words, pages, transaction


def _doc(inv: Investigation) -> int:
    with transaction(inv.db):
        doc_id, _, _ = documents.add_document(
            inv.db,
            sha256="aa",
            size=1,
            name="a.pdf",
            parent_id=None,
            production_id=None,
            depth=0,
            location="/in/a.pdf",
            kind="file",
        )
    return doc_id


def _fts(inv: Investigation, term: str) -> int:
    row = inv.db.execute("SELECT count(*) FROM pages_fts WHERE pages_fts MATCH ?", (term,))
    return int(row.fetchone()[0])


def test_upsert_stores_each_page_once_and_packs_words(inv: Investigation) -> None:
    doc_id = _doc(inv)
    quota = Word(72.0, 90.0, 110.0, 101.0, "quota", 91.0)
    first = [
        PageContent(number=1, text="arrest quota", words=[quota], width=612, height=792),
        PageContent(number=2, text="collateral", source="ocr", ocr_engine="tesseract 5"),
    ]
    with transaction(inv.db):
        assert pages.upsert_pages(inv.db, document_id=doc_id, pages=first) == 2
    # The same chunk stored again (a resumed run) replaces, never duplicates.
    packed = PageContent(number=2, text="training", meta={"sheet": "S"})
    packed.words_blob = encode_words([Word(1, 2, 3, 4, "training")])
    with transaction(inv.db):
        pages.upsert_pages(inv.db, document_id=doc_id, pages=[packed])
    stored = pages.document_pages(inv.db, document_id=doc_id)
    assert [p["number"] for p in stored] == [1, 2]
    assert stored[0]["words"][0].text == "quota" and stored[0]["words"][0].conf == 91.0
    assert stored[0]["width"] == 612 and stored[0]["meta"] == {}
    assert stored[1]["text"] == "training" and stored[1]["meta"] == {"sheet": "S"}
    assert [w.text for w in stored[1]["words"]] == ["training"]
    assert _fts(inv, "collateral") == 0 and _fts(inv, "training") == 1
    assert pages.page_totals(inv.db) == {"pages": 2, "pages_by_source": {"text": 2}}


def test_trim_drops_pages_a_newer_extraction_no_longer_has(inv: Investigation) -> None:
    doc_id = _doc(inv)
    with transaction(inv.db):
        pages.upsert_pages(
            inv.db,
            document_id=doc_id,
            pages=[PageContent(number=n, text=f"page {n} quota") for n in (1, 2, 3)],
        )
        pages.trim_pages(inv.db, document_id=doc_id, keep=2)
    assert [p["number"] for p in pages.document_pages(inv.db, document_id=doc_id)] == [1, 2]
    assert _fts(inv, "quota") == 2
    assert pages.document_pages(inv.db, document_id=doc_id + 1) == []

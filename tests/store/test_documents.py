"""Productions, documents, locations and the file cache, on a real SQLite store."""

from __future__ import annotations

import json

from readingroom.investigation import Investigation
from readingroom.store import documents, pages, transaction


def _add(inv: Investigation, sha: str, **kw: object) -> tuple[int, bool, dict[str, object]]:
    args: dict[str, object] = {
        "size": 10,
        "name": f"{sha}.pdf",
        "parent_id": None,
        "production_id": None,
        "depth": 0,
        "location": f"/in/{sha}.pdf",
        "kind": "file",
    }
    args.update(kw)
    with transaction(inv.db):
        return documents.add_document(inv.db, sha256=sha, **args)  # type: ignore[arg-type]


def test_production_is_created_once_and_keeps_a_known_date(inv: Investigation) -> None:
    db = inv.db
    with transaction(db):
        first = documents.ensure_production(db, name="P1", received="2019-06-14")
        again = documents.ensure_production(db, name="P1", received=None)
        other = documents.ensure_production(db, name="P2", received=None)
    assert first == again != other
    summaries = documents.production_summaries(db)
    assert summaries == [
        {"name": "P1", "received": "2019-06-14", "documents": 0, "pages": 0},
        {"name": "P2", "received": None, "documents": 0, "pages": 0},
    ]


def test_same_content_is_one_document_seen_in_two_places(inv: Investigation) -> None:
    doc_id, is_new, row = _add(inv, "aa")
    assert is_new and row == {
        "id": doc_id,
        "status": "pending",
        "extractor": None,
        "extractor_version": None,
    }
    again_id, again_new, _ = _add(inv, "aa", name="copy.pdf", location="/in/copy/aa.pdf")
    assert (again_id, again_new) == (doc_id, False)
    totals = documents.document_totals(inv.db)
    assert totals["documents"] == 1 and totals["locations"] == 2 and totals["bytes"] == 10
    assert documents.get_document(inv.db, document_id=doc_id)["name"] == "aa.pdf"  # type: ignore[index]
    assert documents.get_document(inv.db, document_id=999) is None


def test_children_know_their_root(inv: Investigation) -> None:
    zip_id, _, _ = _add(inv, "z1", name="prod.zip")
    inner_id, _, _ = _add(inv, "z2", name="inner.zip", parent_id=zip_id, depth=1, kind="member")
    leaf_id, _, _ = _add(inv, "p1", name="m.pdf", parent_id=inner_id, depth=2, kind="member")
    leaf = documents.get_document(inv.db, document_id=leaf_id)
    assert leaf is not None and leaf["parent_id"] == inner_id and leaf["root_id"] == zip_id


def test_pending_documents_name_where_they_were_first_seen(inv: Investigation) -> None:
    done_id, _, _ = _add(inv, "d1")
    pending_id, _, _ = _add(inv, "p1", location="/first/p1.pdf")
    _add(inv, "p1", location="/second/p1.pdf")
    with transaction(inv.db):
        documents.set_status(inv.db, document_id=done_id, status="done")
    pending = documents.pending_documents(inv.db)
    assert [(d["id"], d["location"]) for d in pending] == [(pending_id, "/first/p1.pdf")]
    assert documents.document_totals(inv.db)["documents_by_status"] == {"done": 1, "pending": 1}


def test_extraction_results_and_later_warnings(inv: Investigation) -> None:
    doc_id, _, _ = _add(inv, "x1")
    db = inv.db
    with transaction(db):
        documents.assign_extractor(db, document_id=doc_id, extractor="pdf", version="2")
        documents.describe_document(
            db,
            document_id=doc_id,
            doc_type="pdf",
            mime="application/pdf",
            title="Memo",
            date="2019-05-12",
            page_count=3,
            metadata={"producer": "x", "warnings": ["page 1: odd"]},
        )
        documents.add_warnings(db, document_id=doc_id, warnings=["page 3: odder"])
    doc = documents.get_document(db, document_id=doc_id)
    assert doc is not None
    assert (doc["extractor"], doc["extractor_version"], doc["status"]) == ("pdf", "2", "pending")
    assert (doc["doc_type"], doc["title"], doc["page_count"]) == ("pdf", "Memo", 3)
    assert json.loads(doc["metadata"])["warnings"] == ["page 1: odd", "page 3: odder"]
    assert documents.page_count(db, document_id=doc_id) == 3
    assert documents.document_totals(db)["documents_by_type"] == {"pdf": 1}


def test_file_cache_answers_only_for_the_same_size_and_mtime(inv: Investigation) -> None:
    db = inv.db
    with transaction(db):
        documents.remember_file(db, path="/in/a.pdf", size=5, mtime_ns=100, sha256="aa")
    assert documents.cached_file(db, path="/in/a.pdf", size=5, mtime_ns=100) == "aa"
    assert documents.cached_file(db, path="/in/a.pdf", size=5, mtime_ns=101) is None
    assert documents.cached_file(db, path="/in/b.pdf", size=5, mtime_ns=100) is None


def test_nothing_is_kept_without_a_transaction_commit(inv: Investigation) -> None:
    try:
        with transaction(inv.db):
            documents.add_document(
                inv.db,
                sha256="r1",
                size=1,
                name="r1",
                parent_id=None,
                production_id=None,
                depth=0,
                location="/in/r1",
                kind="file",
            )
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    assert documents.document_totals(inv.db)["documents"] == 0
    assert pages.page_totals(inv.db)["pages"] == 0

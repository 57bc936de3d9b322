"""Stage bookkeeping and error records on a real SQLite store."""

from __future__ import annotations

from readingroom.investigation import Investigation
from readingroom.store import documents, errors, stages, transaction


def _doc(inv: Investigation, sha: str = "aa") -> int:
    doc_id, _, _ = documents.add_document(
        inv.db,
        sha256=sha,
        size=1,
        name=f"{sha}.pdf",
        parent_id=None,
        production_id=None,
        depth=0,
        location=f"/in/{sha}.pdf",
        kind="file",
    )
    return doc_id


def _stages(inv: Investigation, doc_id: int) -> dict[str, tuple[str, str, bool]]:
    return {
        r["stage"]: (r["version"], r["status"], r["finished_at"] is not None)
        for r in inv.db.execute("SELECT * FROM stages WHERE document_id = ?", (doc_id,))
    }


def test_a_stage_runs_then_finishes_or_fails(inv: Investigation) -> None:
    with transaction(inv.db):
        a, b = _doc(inv, "a"), _doc(inv, "b")
        stages.start_stage(inv.db, document_id=a, stage="extract", version="pdf/2")
        stages.start_stage(inv.db, document_id=b, stage="extract", version="pdf/2")
    assert _stages(inv, a) == {"extract": ("pdf/2", "running", False)}
    with transaction(inv.db):
        stages.finish_stage(inv.db, document_id=a, stage="extract")
        stages.fail_stage(inv.db, document_id=b, stage="extract")
    assert _stages(inv, a) == {"extract": ("pdf/2", "done", True)}
    assert _stages(inv, b) == {"extract": ("pdf/2", "failed", True)}
    with transaction(inv.db):  # started again: running at the new version
        stages.start_stage(inv.db, document_id=a, stage="extract", version="pdf/3")
    assert _stages(inv, a) == {"extract": ("pdf/3", "running", False)}


def test_new_text_clears_analyser_stages_only(inv: Investigation) -> None:
    with transaction(inv.db):
        doc_id = _doc(inv)
        stages.start_stage(inv.db, document_id=doc_id, stage="extract", version="pdf/2")
        stages.record_stage(
            inv.db, document_id=doc_id, stage="analyse:bates", version="1", status="done"
        )
        stages.record_stage(
            inv.db, document_id=doc_id, stage="analyse:emails", version="2", status="failed"
        )
    assert _stages(inv, doc_id)["analyse:emails"] == ("2", "failed", True)
    with transaction(inv.db):
        stages.record_stage(
            inv.db, document_id=doc_id, stage="analyse:emails", version="3", status="done"
        )
    assert _stages(inv, doc_id)["analyse:emails"] == ("3", "done", True)
    with transaction(inv.db):
        stages.clear_analyser_stages(inv.db, document_id=doc_id)
    assert set(_stages(inv, doc_id)) == {"extract"}


def test_errors_are_recorded_listed_counted_and_cleared(inv: Investigation) -> None:
    db = inv.db
    with transaction(db):
        doc_id = _doc(inv)
        errors.record_error(
            db, document_id=doc_id, path="/in/aa.pdf", stage="extract", kind="corrupt", message="m1"
        )
        errors.record_error(
            db,
            document_id=doc_id,
            path="/in/aa.pdf",
            stage="analyse:bates",
            kind="analyser",
            message="m2",
        )
        errors.record_error(
            db, document_id=None, path="/in/huge.bin", stage="extract", kind="limit", message="m3"
        )
    listed = errors.list_errors(db)
    assert [e["message"] for e in listed] == ["m1", "m2", "m3"]
    assert set(listed[0]) == {
        "id",
        "document_id",
        "path",
        "stage",
        "kind",
        "message",
        "created_at",
    }
    assert [e["message"] for e in errors.list_errors(db, kind="limit")] == ["m3"]
    assert [e["message"] for e in errors.list_errors(db, limit=1)] == ["m1"]
    assert errors.count_errors(db) == 3
    assert errors.count_errors_by_kind(db) == {"analyser": 1, "corrupt": 1, "limit": 1}
    with transaction(db):
        errors.clear_errors(db, document_id=doc_id, stage="extract")
    assert [e["message"] for e in errors.list_errors(db)] == ["m2", "m3"]

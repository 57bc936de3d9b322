"""Tags on documents and pages: store API and the `tag`/`tags` commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from readingroom.cli import build_app
from readingroom.errors import BadArguments, NotFound
from readingroom.investigation import Investigation
from readingroom.store import evidence as ev
from readingroom.store import reading, transaction


def _doc(inv: Investigation, name: str, sha: str) -> int:
    with transaction(inv.db):
        cur = inv.db.execute(
            "INSERT INTO documents (sha256, size, name, doc_type, status)"
            " VALUES (?, 1, ?, 'text', 'done')",
            (sha, name),
        )
    return int(cur.lastrowid or 0)


def test_tags_store_round_trip(inv: Investigation) -> None:
    a = _doc(inv, "plan.pdf", "ab" * 32)
    b = _doc(inv, "memo.pdf", "cd" * 32)
    with transaction(inv.db):
        assert ev.add_tag(inv.db, document_id=a, tag="quota", by="sam")
        assert not ev.add_tag(inv.db, document_id=a, tag="quota")  # once only
        assert ev.add_tag(inv.db, document_id=a, page=3, tag="quota")
        assert ev.add_tag(inv.db, document_id=b, tag="key document")
    assert [(t["tag"], t["page"], t["by"]) for t in ev.tags_of(inv.db, document_id=a)] == [
        ("quota", None, "sam"),
        ("quota", 3, None),
    ]
    docs = ev.documents_with_tag(inv.db, tag="quota")
    assert [(d["document_id"], d["sha256"], d["name"]) for d in docs] == [
        (a, "ab" * 32, "plan.pdf")
    ]
    with transaction(inv.db):
        assert ev.remove_tag(inv.db, document_id=a, tag="quota")
        assert not ev.remove_tag(inv.db, document_id=a, tag="quota")
    assert [t["page"] for t in ev.tags_of(inv.db, document_id=a)] == [3]
    with pytest.raises(NotFound):
        ev.tags_of(inv.db, document_id=999)


def test_resolve_document_by_key_or_unambiguous_name(inv: Investigation) -> None:
    a = _doc(inv, "plan.pdf", "ab" * 32)
    _doc(inv, "same.pdf", "cd" * 32)
    _doc(inv, "same.pdf", "ef" * 32)
    assert reading.resolve_document(inv.db, ref="abababababab")["document_id"] == a
    assert reading.resolve_document(inv.db, ref="plan.pdf")["document_id"] == a
    with pytest.raises(BadArguments, match="2 documents have this name"):
        reading.resolve_document(inv.db, ref="same.pdf")
    with pytest.raises(NotFound):
        reading.resolve_document(inv.db, ref="nothing.pdf")


def test_tag_commands(inv: Investigation, tmp_path: Path) -> None:
    _doc(inv, "plan.pdf", "ab" * 32)
    b = _doc(inv, "memo.pdf", "cd" * 32)
    runner = CliRunner()
    app = build_app()
    d = ["--dir", str(inv.root)]
    r = runner.invoke(app, ["tag", "abababababab", "memo.pdf", "--add", "quota", *d])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["tags", "--json", *d])
    assert json.loads(r.stdout) == {"tags": [{"tag": "quota", "documents": 2, "uses": 2}]}
    r = runner.invoke(app, ["tag", "memo.pdf", "--remove", "quota", *d])
    assert r.exit_code == 0
    assert [t["tag"] for t in ev.tags_of(inv.db, document_id=b)] == []
    r = runner.invoke(app, ["tag", "memo.pdf", *d])
    assert r.exit_code != 0  # neither --add nor --remove
    r = runner.invoke(app, ["tags", "quota", "--json", *d])
    assert [x["name"] for x in json.loads(r.stdout)["documents"]] == ["plan.pdf"]


def test_notes_on_documents_and_pages(inv: Investigation) -> None:
    _doc(inv, "plan.pdf", "ab" * 32)
    runner, app, d = CliRunner(), build_app(), ["--dir", str(inv.root)]
    assert runner.invoke(app, ["note", "plan.pdf", "Compare with El Paso", *d]).exit_code == 0
    assert runner.invoke(app, ["note", "plan.pdf", "Quota here", "--page", "3", *d]).exit_code == 0
    assert runner.invoke(app, ["tag", "plan.pdf", "--add", "key", *d]).exit_code == 0
    r = runner.invoke(app, ["notes", "plan.pdf", "--json", *d])
    data = json.loads(r.stdout)
    assert [(n["page"], n["body"]) for n in data["notes"]] == [
        (None, "Compare with El Paso"),
        (3, "Quota here"),
    ]
    assert [t["tag"] for t in data["tags"]] == ["key"]

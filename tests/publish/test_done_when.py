"""Issue 14's "done when": a new user tags five demo documents (and two forms with planted
identifiers) for publication, reviews the hits in the review queue, exports them, and no
extraction method reads a confirmed identifier or a word under a redaction box, while the
pages stay readable and keep their Bates numbers."""

from __future__ import annotations

import json
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pymupdf
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from readingroom.cli import app
from readingroom.investigation import Investigation
from readingroom.publish import audit as pa
from readingroom.publish.fixtures import planted_page, write_pdf
from readingroom.web import create_app

from .test_export import assert_gone, readable_everywhere

pytestmark = pytest.mark.slow
runner = CliRunner()


def test_new_user_tags_reviews_exports_and_nothing_is_readable(tmp_path: Path) -> None:
    from readingroom.analyse import run_all
    from readingroom.analyse.analysers.redactions import reveal_from_original
    from readingroom.demo import generate
    from readingroom.ingest.pipeline import IngestOptions, ingest

    generate(tmp_path / "demo", seed=7)
    forms = tmp_path / "demo" / "production" / "forms"
    forms.mkdir()
    planted = {"i213-a.pdf": [planted_page(91, 1)], "i213-b.pdf": [planted_page(92, 1)]}
    write_pdf(forms / "i213-a.pdf", planted["i213-a.pdf"])
    write_pdf(forms / "i213-b.pdf", planted["i213-b.pdf"], scanned=True)
    inv = Investigation.create(tmp_path / "inv")
    with ThreadPoolExecutor(2) as pool:
        ingest(inv, [tmp_path / "demo" / "production"], IngestOptions(ocr="auto"), executor=pool)
    run_all(inv)
    d = ["-d", str(inv.root)]
    # Five demo PDFs, those with bad redactions first (their hidden words must not survive).
    rows = inv.db.execute(
        "SELECT d.name, max(coalesce(b.bad, 0)) AS bad FROM documents d"
        " LEFT JOIN redaction_boxes b ON b.document_id = d.id WHERE d.doc_type = 'pdf'"
        " AND d.name LIKE 'DFE-%' GROUP BY d.id ORDER BY bad DESC, d.name LIMIT 5"
    ).fetchall()
    demo_docs = [r[0] for r in rows]
    assert len(demo_docs) == 5 and rows[0][1] == 1
    res = runner.invoke(app, ["tag", *demo_docs, *planted, "--add", "publish", *d])
    assert res.exit_code == 0, res.output

    with TestClient(create_app(inv.root)) as web:
        queue = web.get("/publish", params={"tag": "publish"})
        assert queue.status_code == 200
        token = re.search(r'name="csrf" value="([^"]*)"', queue.text)[1]  # type: ignore[index]
        kinds = {
            h["kind"]
            for h in web.get("/api/publish/hits", params={"tag": "publish"}).json()["hits"]
        }
        assert kinds >= {"ssn", "a_number", "dob", "phone", "address", "name", "email"}
        for kind in sorted(kinds):
            r = web.post(
                "/publish/confirm-all", data={"kind": kind, "tag": "publish", "csrf": token}
            )
            assert r.status_code == 200  # followed back to the queue
    hits = pa.audit(inv.db, document_ids=pa.resolve_documents(inv.db, tag="publish"))
    assert hits and all(h["decision"] == "confirmed" and h["reviewer"] == "local" for h in hits)

    out = tmp_path / "out"
    res = runner.invoke(app, ["export", "--redact", "--out", str(out), "--tag", "publish", *d])
    assert res.exit_code == 0, res.output
    manifest = json.loads((out / "manifest.json").read_text())
    assert len(manifest["documents"]) == 7
    by_name = {m["name"]: m for m in manifest["documents"]}
    for name, pages in planted.items():
        texts = readable_everywhere(out / by_name[name]["output"])
        assert_gone(texts, [t for p in pages for t in p.truth])
    for name in demo_docs:
        m = by_name[name]
        path = out / m["output"]
        doc_id = inv.db.execute(
            "SELECT id, sha256 FROM documents WHERE name = ?", (name,)
        ).fetchone()
        original = inv.blobs.path(doc_id[1])
        texts = readable_everywhere(path)
        assert all(len(t.split()) > 30 for t in texts), "the exported pages stay readable"
        for _number, stamp in inv.db.execute(
            "SELECT number, bates FROM pages WHERE document_id = ? AND bates IS NOT NULL",
            (doc_id[0],),
        ):
            assert stamp.split()[-1] in texts[0] and stamp.split()[-1] in texts[2], "Bates kept"
        # Words the agency's box failed to hide: present in the original, gone from the copy.
        with pymupdf.open(path) as out_pdf:
            for r in inv.db.execute(
                "SELECT p.number, b.x0, b.y0, b.x1, b.y1 FROM redaction_boxes b JOIN pages p"
                " ON p.id = b.page_id WHERE b.document_id = ? AND b.bad = 1",
                (doc_id[0],),
            ):
                box = tuple(r[1:])
                hidden = reveal_from_original(original, r[0], box)
                assert hidden, "the original still leaks here"
                under = out_pdf[r[0] - 1].get_text("text", clip=pymupdf.Rect(box)).split()
                assert not set(hidden.split()) & set(under)
        assert shutil.which("pdftotext")

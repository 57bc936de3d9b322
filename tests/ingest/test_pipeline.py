"""The pipeline end to end with real worker processes and a real SQLite store."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import ClassVar

import pytest
from PIL import Image

from readingroom.errors import BadArguments
from readingroom.ingest import registry
from readingroom.ingest.model import ExtractContext, Extraction, PageContent
from readingroom.ingest.pipeline import IngestOptions, ingest
from readingroom.investigation import Investigation
from readingroom.store import decode_words

from .pdfs import make_pdf, numbered_pdf

NEVER = IngestOptions(ocr="never", workers=2, timeout=60)


def pages_of(inv: Investigation) -> list[tuple[str, int, str]]:
    return [
        (r[0], r[1], r[2])
        for r in inv.db.execute(
            "SELECT d.name, p.number, p.text FROM pages p JOIN documents d ON d.id = p.document_id"
            " ORDER BY d.name, p.number"
        )
    ]


def test_born_digital_pdf_pages_words_and_original(inv: Investigation, tmp_path: Path) -> None:
    src = make_pdf(tmp_path / "in" / "memo.pdf", ["Operation Cross Check quota", "collateral"])
    before = src.read_bytes()
    report = ingest(inv, [tmp_path / "in"], NEVER)
    assert (report.documents, report.pages, report.errors) == (1, 2, [])
    doc = inv.db.execute("SELECT * FROM documents").fetchone()
    assert doc["doc_type"] == "pdf" and doc["status"] == "done" and doc["page_count"] == 2
    # The original is stored content-addressed, read-only, byte-identical; the input is untouched.
    blob = inv.blobs.path(doc["sha256"])
    assert blob.read_bytes() == before == src.read_bytes()
    assert not blob.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    page = inv.db.execute("SELECT * FROM pages WHERE number = 1").fetchone()
    assert "Cross Check" in page["text"] and page["source"] == "text"
    words = decode_words(page["words"])
    quota = next(w for w in words if w.text == "quota")
    # inserted at x=72, baseline y=100 (points from the top-left)
    assert 72 < quota.x0 < 300 and 85 < quota.y0 < 100 < quota.y1 < 105
    # full-text index follows the pages table
    hits = inv.db.execute(
        "SELECT rowid FROM pages_fts WHERE pages_fts MATCH 'collateral'"
    ).fetchall()
    assert len(hits) == 1


def test_reingest_does_nothing_and_duplicates_become_one_document(
    inv: Investigation, tmp_path: Path
) -> None:
    numbered_pdf(tmp_path / "in" / "a.pdf", 3, "alpha")
    (tmp_path / "in" / "copy").mkdir()
    (tmp_path / "in" / "copy" / "a-again.pdf").write_bytes((tmp_path / "in" / "a.pdf").read_bytes())
    first = ingest(inv, [tmp_path / "in"], NEVER)
    assert first.files == 2 and first.documents == 1 and first.duplicates == 1
    paths = {r[0] for r in inv.db.execute("SELECT path FROM locations")}
    assert {Path(p).name for p in paths} == {"a.pdf", "a-again.pdf"}
    second = ingest(inv, [tmp_path / "in"], NEVER)
    assert second.documents == 0 and second.pages == 0 and second.skipped == 2
    assert inv.db.execute("SELECT count(*) FROM pages").fetchone()[0] == 3


def test_large_pdf_is_split_into_chunks_and_each_page_stored_once(
    inv: Investigation, tmp_path: Path
) -> None:
    numbered_pdf(tmp_path / "big.pdf", 45, "big")
    opts = IngestOptions(ocr="never", workers=2, chunk_pages=10)
    report = ingest(inv, [tmp_path / "big.pdf"], opts)
    assert report.pages == 45
    numbers = [r[1] for r in pages_of(inv)]
    assert numbers == list(range(1, 46))
    assert "big page 45 " in pages_of(inv)[-1][2]


def test_bad_files_are_recorded_and_the_batch_goes_on(inv: Investigation, tmp_path: Path) -> None:
    d = tmp_path / "in"
    make_pdf(d / "good.pdf", ["fine"])
    make_pdf(d / "locked.pdf", ["secret"], password="hunter2")
    (d / "empty.pdf").write_bytes(b"")
    (d / "truncated.pdf").write_bytes((d / "good.pdf").read_bytes()[:200])
    (d / "notes.pdf").write_bytes(b"this is not a pdf at all, just text\n")  # wrong extension
    (d / "blob.bin").write_bytes(os.urandom(64))
    report = ingest(inv, [d], NEVER)
    kinds = {Path(e["path"]).name: e["kind"] for e in report.errors}
    assert kinds["locked.pdf"] == "encrypted"
    assert kinds["empty.pdf"] == "corrupt"
    assert kinds["truncated.pdf"] == "corrupt"
    assert "notes.pdf" not in kinds  # readable text named .pdf is text: content wins
    messages = {Path(e["path"]).name: e["message"] for e in report.errors}
    assert "password" in messages["locked.pdf"] and str(d / "locked.pdf") in messages["locked.pdf"]
    assert "blobs" not in messages["truncated.pdf"]  # names the user's file, not our copy
    status = dict(inv.db.execute("SELECT name, status FROM documents").fetchall())
    assert status["good.pdf"] == "done" and status["locked.pdf"] == "failed"
    assert status["blob.bin"] == "done"  # unknown types are stored, not dropped
    types = dict(inv.db.execute("SELECT name, doc_type FROM documents").fetchall())
    assert types["blob.bin"] == "unknown" and types["notes.pdf"] == "text"
    assert inv.db.execute("SELECT count(*) FROM errors").fetchone()[0] == len(report.errors)
    # A failed file is not retried on a plain re-run, but is with retry_failed.
    again = ingest(inv, [d], NEVER)
    assert again.errors == [] and again.skipped == 6
    retry = ingest(inv, [d], IngestOptions(ocr="never", retry_failed=True))
    assert {Path(e["path"]).name for e in retry.errors} == set(kinds)
    assert inv.db.execute("SELECT count(*) FROM errors").fetchone()[0] == len(kinds)


class _Hang:
    name: ClassVar[str] = "test-hang"
    version: ClassVar[str] = "1"

    def match(self, name: str, head: bytes) -> int:
        return 1000 if name.endswith((".hang", ".die")) else 0

    def extract(self, ctx: ExtractContext) -> Extraction:
        if ctx.name.endswith(".die"):
            os._exit(3)  # a parser that takes its process down
        while True:  # a parser stuck forever
            time.sleep(0.05)


def test_hanging_and_crashing_parsers_cost_one_file(
    inv: Investigation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    builtin = registry.extractors()
    monkeypatch.setattr(registry, "extractors", lambda: (_Hang(), *builtin))
    d = tmp_path / "in"
    make_pdf(d / "a.pdf", ["before"])
    (d / "b.hang").write_text("x")
    (d / "c.die").write_text("y")
    make_pdf(d / "d.pdf", ["after"])
    report = ingest(inv, [d], IngestOptions(ocr="never", workers=2, timeout=2))
    kinds = {Path(e["path"]).name: e["kind"] for e in report.errors}
    assert kinds == {"b.hang": "timeout", "c.die": "crash"}
    assert {r[0] for r in pages_of(inv)} == {"a.pdf", "d.pdf"}


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract absent")
def test_a_missing_ocr_language_is_recorded_as_a_missing_dependency(
    inv: Investigation, tmp_path: Path
) -> None:
    scan = tmp_path / "in" / "scan.png"
    scan.parent.mkdir()
    Image.new("L", (850, 1100), 255).save(scan, dpi=(100, 100))
    report = ingest(inv, [scan.parent], IngestOptions(ocr_languages="xyz", workers=1))
    [error] = report.errors
    assert error["kind"] == "missing-dependency"
    assert error["message"].startswith(str(scan)) and "xyz" in error["message"]
    assert inv.db.execute("SELECT status FROM documents").fetchone()[0] == "failed"


def test_zip_members_become_children(inv: Investigation, tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "m.pdf", ["inside the zip"])
    with zipfile.ZipFile(tmp_path / "prod.zip", "w") as z:
        z.write(pdf, "folder/m.pdf")
    ingest(inv, [tmp_path / "prod.zip"], NEVER)
    rows = inv.db.execute(
        "SELECT d.name, d.depth, p.name AS parent FROM documents d"
        " LEFT JOIN documents p ON p.id = d.parent_id ORDER BY d.depth"
    ).fetchall()
    assert [(r["name"], r["depth"], r["parent"]) for r in rows] == [
        ("prod.zip", 0, None),
        ("m.pdf", 1, "prod.zip"),
    ]
    loc = inv.db.execute("SELECT path, kind FROM locations WHERE parent_id IS NOT NULL").fetchone()
    assert tuple(loc) == ("folder/m.pdf", "member")


def test_missing_input_is_a_clear_error(inv: Investigation, tmp_path: Path) -> None:
    with pytest.raises(BadArguments, match="no-such-dir: no such file"):
        ingest(inv, [tmp_path / "no-such-dir"], NEVER)


def test_killed_run_resumes_and_stores_every_page_once(tmp_path: Path) -> None:
    """SIGKILL the real CLI mid-run, run it again: every page exactly once."""
    d = tmp_path / "in"
    for i in range(12):
        numbered_pdf(d / f"doc{i:02d}.pdf", 60, f"doc{i}")
    inv_dir = tmp_path / "inv"
    Investigation.create(inv_dir).close()
    cmd = [
        sys.executable,
        "-m",
        "readingroom",
        "ingest",
        str(d),
        "--ocr",
        "never",
        "--workers",
        "2",
        "--dir",
        str(inv_dir),
    ]
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    db = inv_dir / "readingroom.db"
    deadline = time.monotonic() + 60
    stored = 0
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with sqlite3.connect(db, timeout=5) as conn:
                stored = conn.execute("SELECT count(*) FROM pages").fetchone()[0]
        except sqlite3.OperationalError:
            stored = 0
        if stored >= 100:
            break
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert 0 < stored < 720, "the kill must land mid-run for this test to mean anything"
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    inv = Investigation.open(inv_dir)
    total, distinct = inv.db.execute(
        "SELECT count(*), count(DISTINCT document_id || ':' || number) FROM pages"
    ).fetchone()
    assert total == distinct == 720
    unfinished = inv.db.execute("SELECT count(*) FROM documents WHERE status != 'done'")
    assert unfinished.fetchone()[0] == 0
    fts = inv.db.execute("SELECT count(*) FROM pages_fts WHERE pages_fts MATCH 'memorandum'")
    assert fts.fetchone()[0] == 720
    inv.close()


def test_progress_reports_files_and_pages(inv: Investigation, tmp_path: Path) -> None:
    numbered_pdf(tmp_path / "in" / "a.pdf", 3, "a")
    numbered_pdf(tmp_path / "in" / "b.pdf", 2, "b")

    class Recorder:
        files = 0
        done = 0
        pages = 0

        def add_files(self, n: int) -> None:
            self.files += n

        def file_done(self, pages: int) -> None:
            self.done += 1

        def pages_done(self, n: int) -> None:
            self.pages += n

    rec = Recorder()
    ingest(inv, [tmp_path / "in"], NEVER, progress=rec)
    assert (rec.files, rec.done, rec.pages) == (2, 2, 5)


def test_text_page_model_roundtrip() -> None:
    page = PageContent(number=1, text="x")
    assert page.source == "text" and page.words == []

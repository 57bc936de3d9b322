"""Every real file in ../shared/corpus is ingested or has a specific error record."""

from __future__ import annotations

from pathlib import Path

import pytest

from readingroom.ingest.pipeline import IngestOptions, ingest, walk
from readingroom.investigation import Investigation


def _accounted(inv: Investigation, corpus: Path, report_errors: list[dict[str, str]]) -> None:
    files = list(walk([corpus]))
    located = {
        r[0]: r[1]
        for r in inv.db.execute(
            "SELECT l.path, d.status FROM locations l JOIN documents d ON d.id = l.document_id"
            " WHERE l.parent_id IS NULL"
        )
    }
    errored = {Path(e["path"].split("!")[0]).resolve() for e in report_errors}
    for f in files:
        status = located.get(str(f.resolve()))
        assert status is not None, f"{f} was not recorded"
        assert status == "done" or f.resolve() in errored, f"{f}: {status} without an error record"
    for e in report_errors:
        assert e["message"] and e["kind"] in {
            "encrypted",
            "corrupt",
            "limit",
            "unsupported",
            "unreadable",
            "timeout",
            "skipped",
            "program",
            "missing-dependency",
        }  # never "crash": every problem in the real corpus has a diagnosis
        # The message names the file the user knows, never our blob copy.
        assert "/blobs/" not in e["message"], e


@pytest.mark.corpus
def test_whole_corpus_without_ocr(corpus: Path, inv: Investigation) -> None:
    report = ingest(inv, [corpus], IngestOptions(ocr="never", workers=2, timeout=120))
    _accounted(inv, corpus, report.errors)
    assert not [e for e in report.errors if e["kind"] == "timeout"], "nothing should hang"
    kinds = {e["kind"] for e in report.errors}
    assert "encrypted" in kinds  # the corpus has password-protected PDFs
    assert report.pages > 1000
    again = ingest(inv, [corpus], IngestOptions(ocr="never", workers=2))
    assert again.pages == 0 and again.documents == 0 and again.errors == []


@pytest.mark.corpus
@pytest.mark.slow
def test_whole_corpus_with_ocr(corpus: Path, inv: Investigation) -> None:
    report = ingest(inv, [corpus], IngestOptions(ocr="auto", workers=2, timeout=600))
    _accounted(inv, corpus, report.errors)
    ocr_pages = inv.db.execute("SELECT count(*) FROM pages WHERE source = 'ocr'").fetchone()[0]
    assert ocr_pages > 50

"""Search's date filter, facet and sort read the record's own date, not the file's."""

from __future__ import annotations

from pathlib import Path

from readingroom.analyse import run_all
from readingroom.ingest.pipeline import IngestOptions, ingest
from readingroom.investigation import Investigation
from readingroom.search.engine import search

MEMO = "MEMORANDUM\nDATE: March 4, 2010\nSUBJECT: Falcon staffing\n\nFalcon numbers follow.\n"
LETTER = "June 9, 2016\n\nDear Requester,\n\nThe falcon records are enclosed.\n"


def test_date_filter_and_sort_use_the_record_date(tmp_path: Path, inv: Investigation) -> None:
    src = tmp_path / "prod"
    src.mkdir()
    (src / "memo.txt").write_text(MEMO)
    (src / "letter.txt").write_text(LETTER)
    ingest(inv, [src], IngestOptions(production="p1", workers=1, ocr="never"))
    run_all(inv)
    # The files were written today; only the record dates say 2010 and 2016.
    names = [d.name for d in search(inv.db, "falcon date:2010").documents]
    assert names == ["memo.txt"]
    names = [d.name for d in search(inv.db, "falcon date:2016-06..2016-12").documents]
    assert names == ["letter.txt"]
    assert search(inv.db, "falcon date:2025..").documents == []
    ordered = [d.name for d in search(inv.db, "falcon", sort="date").documents]
    assert ordered == ["memo.txt", "letter.txt"]


def test_results_show_the_record_date(tmp_path: Path, inv: Investigation) -> None:
    src = tmp_path / "prod"
    src.mkdir()
    (src / "memo.txt").write_text(MEMO)
    ingest(inv, [src], IngestOptions(production="p1", workers=1, ocr="never"))
    run_all(inv)
    (doc,) = search(inv.db, "falcon").documents
    assert doc.date == "2010-03-04"

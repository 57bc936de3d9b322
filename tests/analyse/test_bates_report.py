"""Bates gaps versus pages whose stamp could not be read."""

from __future__ import annotations

from pathlib import Path

import pymupdf

from readingroom.analyse import run_all
from readingroom.analyse.report import bates_report
from readingroom.ingest.pipeline import IngestOptions, ingest
from readingroom.investigation import Investigation


def _pdf(path: Path, stamps: list[int | None]) -> None:
    doc = pymupdf.open()
    for n in stamps:
        page = doc.new_page()
        page.insert_text((72, 72), "Weekly arrest numbers for the field office.", fontsize=11)
        if n is not None:
            page.insert_text((420, 780), f"DFE {n:06d}", fontsize=9)
    doc.save(path)


def test_unreadable_stamps_explain_gaps_but_real_gaps_stay(
    tmp_path: Path, inv: Investigation
) -> None:
    prod = tmp_path / "prod"
    prod.mkdir()
    # a.pdf: 000003-4 sit on two pages with no readable stamp (one such page between
    # neighbours is inferred instead); 000006-000008 are missing.
    _pdf(prod / "a.pdf", [1, 2, None, None, 5, 9])
    # b.pdf starts with a stamp-less page right after a.pdf's last page: 000010.
    _pdf(prod / "b.pdf", [None, 11, 12])
    ingest(inv, [prod], IngestOptions(production="p1", workers=1, ocr="never"))
    run_all(inv)
    (series,) = bates_report(inv.db)["productions"]
    assert [(g["from"], g["to"], g["pages"]) for g in series["gaps"]] == [
        ("DFE 000006", "DFE 000008", 3)
    ]
    assert series["missing"] == 3
    unverified = [(g["from"], g["unstamped_here"]) for g in series["unverified"]]
    assert unverified == [("DFE 000003", 2), ("DFE 000010", 1)]
    names = dict(inv.db.execute("SELECT id, name FROM documents").fetchall())
    where = [
        (names[p["document_id"]], p["page"])
        for g in series["unverified"]
        for p in g["unstamped_pages"]
    ]
    assert where == [("a.pdf", 3), ("a.pdf", 4), ("b.pdf", 1)]


def test_stampless_page_elsewhere_does_not_hide_a_gap(tmp_path: Path, inv: Investigation) -> None:
    prod = tmp_path / "prod"
    prod.mkdir()
    _pdf(prod / "a.pdf", [None, 1, 2, 4])  # the stamp-less page is not where 000003 is
    ingest(inv, [prod], IngestOptions(production="p1", workers=1, ocr="never"))
    run_all(inv)
    (series,) = bates_report(inv.db)["productions"]
    assert [g["from"] for g in series["gaps"]] == ["DFE 000003"]
    assert series["unverified"] == []

"""Analysers against a real investigation: stages, idempotent re-runs, facets, reports."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from readingroom.analyse import run_all
from readingroom.analyse.report import bates_report, email_report, redaction_report
from readingroom.ingest.pipeline import IngestOptions, ingest
from readingroom.investigation import Investigation


def _production(folder: Path) -> None:
    folder.mkdir()
    doc = pymupdf.open()
    for n in (1, 2, 4):  # Bates 000003 is missing from the production
        page = doc.new_page()
        page.insert_text((72, 72), "Chicago Field Office", fontsize=11)
        page.insert_text((72, 100), "From: Smith, John", fontsize=11)
        page.insert_text((72, 114), "Sent: Monday, August 14, 2017 4:05 PM", fontsize=11)
        page.insert_text((72, 128), "To: (b)(6)", fontsize=11)
        page.insert_text((72, 142), f"Subject: RE: numbers {n}", fontsize=11)
        page.insert_text((72, 170), "The arrest target is Jonathan Secretname", fontsize=11)
        page.draw_rect(pymupdf.Rect(180, 160, 300, 174), color=(0, 0, 0), fill=(0, 0, 0))
        page.insert_text((420, 780), f"ICE 00000{n}", fontsize=9)
    doc.save(folder / "chain.pdf")


def test_run_all_writes_findings_once(tmp_path: Path, inv: Investigation) -> None:
    _production(tmp_path / "prod")
    ingest(inv, [tmp_path / "prod"], IngestOptions(production="p1", workers=1, ocr="never"))
    report = run_all(inv)
    assert report.documents == 1 and not report.failed
    db = inv.db
    assert [r[0] for r in db.execute("SELECT bates FROM pages ORDER BY number")] == [
        "ICE 000001",
        "ICE 000002",
        "ICE 000004",
    ]
    prod = bates_report(db)["productions"][0]
    assert prod["missing"] == 1 and prod["gaps"][0]["from"] == "ICE 000003"
    bad = redaction_report(db)["bad"]
    assert len(bad) == 3 and all(b["covered_words"] == 2 for b in bad)
    assert "Secretname" not in repr(redaction_report(db))  # never shown by default
    facets = set(db.execute("SELECT facet, value FROM page_facets").fetchall())
    assert {("office", "CHI"), ("type", "email"), ("redaction", "bad")} <= {
        tuple(f) for f in facets
    }
    assert email_report(db)["messages"] == 3
    # Re-running does nothing; a forced re-run replaces rows instead of adding to them.
    assert run_all(inv).documents == 0
    n = db.execute("SELECT count(*) FROM redaction_boxes").fetchone()[0]
    run_all(inv, only="redactions", force=True)
    assert db.execute("SELECT count(*) FROM redaction_boxes").fetchone()[0] == n
    # A newer analyser version re-runs only that analyser.
    db.execute("UPDATE stages SET version = '0' WHERE stage = 'analyse:bates'")
    db.commit()
    assert run_all(inv).runs == {"bates": 1}


def test_a_failing_analyser_is_recorded_once_and_not_retried(
    tmp_path: Path, inv: Investigation, monkeypatch: pytest.MonkeyPatch
) -> None:
    from readingroom.analyse.analysers import bates

    _production(tmp_path / "prod")
    ingest(inv, [tmp_path / "prod"], IngestOptions(workers=1, ocr="never"))

    def broken(doc: object) -> None:
        raise RuntimeError("parser exploded")

    monkeypatch.setattr(bates.ANALYSER, "run", broken)
    first = run_all(inv)
    assert [f["analyser"] for f in first.failed] == ["bates"]
    assert first.runs.get("exemptions") == 1  # the others still ran
    again = run_all(inv)  # same version, same failure: not retried on every run
    assert again.documents == 0
    forced = run_all(inv, only="bates", force=True)
    assert [f["analyser"] for f in forced.failed] == ["bates"]
    errors = inv.db.execute("SELECT message FROM errors WHERE stage = 'analyse:bates'").fetchall()
    assert len(errors) == 1 and "parser exploded" in errors[0][0]  # replaced, not piled up

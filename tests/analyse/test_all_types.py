"""Analysers on every text type: exemption marks in CSV cells, e-mail copies across files."""

from __future__ import annotations

from pathlib import Path

from readingroom.analyse import run_all
from readingroom.analyse.report import email_report, exemption_report
from readingroom.ingest.pipeline import IngestOptions, ingest
from readingroom.investigation import Investigation

MAIL = """UNCLASSIFIED U.S. Department of State Case No. F-2099-00001 Doc No. C0001 Date: 01/02/2099

From: Smith, John <js@example.gov>
Sent: Tuesday, August 15, 2017 10:32 AM
To: Doe, Jane
Subject: Re:

Numbers for the week are below.

From: Doe, Jane
Sent: Mon Aug 14 16:05:09 2017
To: Smith, John
Subject: Re:

Send me the numbers.
"""


def test_cells_are_counted_and_copies_flagged(tmp_path: Path, inv: Investigation) -> None:
    src = tmp_path / "prod"
    src.mkdir()
    rows = ["name,office,reason"] + ["(b)(6),NYC,(b)(6);(b)(7)(C)" for _ in range(5)]
    (src / "arrests.csv").write_text("\n".join(rows) + "\n")
    (src / "chain-a.txt").write_text(MAIL)
    # The first message printed again, alone, in another release.
    (src / "chain-b.txt").write_text(MAIL.split("\nFrom: Doe")[0].replace("C0001", "C0002"))
    ingest(inv, [src], IngestOptions(production="p1", workers=1, ocr="never"))
    run_all(inv)
    ex = exemption_report(inv.db)
    sheet = {(r["document"], r["code"]): r["marks"] for r in ex["by_sheet"]}
    assert sheet[("arrests.csv", "b6")] == 10 and sheet[("arrests.csv", "b7C")] == 5
    pages = [r for r in ex["by_page"] if r["document"] == "arrests.csv"]
    assert pages and all(r["path"].endswith("arrests.csv") for r in pages)
    em = email_report(inv.db)
    listed = [(m["path"].rsplit("/", 1)[-1], m["sender"], m["copy"]) for m in em["in_order"]]
    assert listed == [
        ("chain-a.txt", "Smith, John <js@example.gov>", False),
        ("chain-a.txt", "Doe, Jane", False),
        ("chain-b.txt", "Smith, John <js@example.gov>", True),
    ]
    assert em["in_order"][1]["sent"] == "2017-08-14T16:05"
    # Bare "Re:" subjects form no thread: two messages, two threads.
    assert em["messages"] == 2 and len(em["threads"]) == 2


def test_record_dates_from_the_record_not_the_file() -> None:
    from readingroom.analyse.analysers.dates import pdf_date, record_date
    from readingroom.analyse.base import DocIn, PageIn

    memo = "MEMORANDUM FOR: Field Office Directors\nDATE: August 3, 2017\nSUBJECT: Targets"
    assert record_date(DocIn(1, "m.pdf", "pdf", [PageIn(1, 1, memo)]))[:2] == (
        "2017-08-03",
        "memo-date",
    )
    letter = "U.S. Department of Homeland Security\n\nMarch 4, 2010\n\nDear Requester:"
    assert record_date(DocIn(1, "l.pdf", "pdf", [PageIn(1, 1, letter)]))[:2] == (
        "2010-03-04",
        "letter-date",
    )
    sheet = "Detention statistics\tReport Date: 04/14/2021\nfacility\tADP"
    assert record_date(DocIn(1, "s.xlsx", "spreadsheet", [PageIn(1, 1, sheet)]))[:2] == (
        "2021-04-14",
        "report-date",
    )
    assert record_date(DocIn(1, "x.pdf", "pdf", [PageIn(1, 1, "DATE: sometime soon")])) is None
    assert pdf_date("D:20190614093000-04'00'") == "2019-06-14T09:30"


def test_record_date_of_a_printout_under_the_account_name() -> None:
    from readingroom.analyse.analysers.dates import record_date
    from readingroom.analyse.base import DocIn, PageIn

    text = (
        "Fakenham, Thaddeus\nFrom: Doe, Jane\nSent: Friday, March 8, 2019 6:48 AM\n"
        "To: Smith, John\nSubject: RE: numbers\n\nPer our call.\n"
    )
    got = record_date(DocIn(1, "e.pdf", "pdf", [PageIn(1, 1, text)]))
    assert got is not None and got[:2] == ("2019-03-08T06:48", "email-sent")
    # A memo's own name line is not a sender.
    memo = "Fakenham, Thaddeus\nMEMORANDUM\nDATE: March 4, 2010\nSUBJECT: x\n"
    assert record_date(DocIn(2, "m.pdf", "pdf", [PageIn(1, 1, memo)]))[:2] == (  # type: ignore[index]
        "2010-03-04",
        "memo-date",
    )

"""Detectors as pure functions: exemption codes, Bates stamps, e-mail headers, boxes."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from readingroom.analyse.analysers.bates import detect, parse_stamp
from readingroom.analyse.analysers.exemptions import find_marks, group_labels, withheld_reason
from readingroom.analyse.analysers.printed_email import normalise_date, parse
from readingroom.analyse.analysers.redactions import analyse_page
from readingroom.analyse.base import DocIn, PageIn
from readingroom.analyse.evaluate import evaluate_noise, pdf_pages


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("(b)(6)", ["b6"]),
        ("(b)(7)(C)", ["b7C"]),
        ("(b) (6)", ["b6"]),
        ("b7C", ["b7C"]),
        ("(b)(6);(b)(7)(C)", ["b6", "b7C"]),
        ("(b)(7)(c)", ["b7C"]),
        ("(b)(7}(C)", ["b7C"]),
        ("(b)(6 )", ["b6"]),
        ("B1/B2 visa", []),
        ("Form I-213, Room B12", []),
    ],
)
def test_exemption_forms(text: str, codes: list[str]) -> None:
    assert [m.code for m in find_marks(text)] == codes


def test_label_grouping_and_cited() -> None:
    text = "From: (b)(6), (b)(7)(C)\nwithheld pursuant to exemptions (b)(5) of the FOIA"
    labels = group_labels(text, find_marks(text))
    assert [(lab.codes, lab.kind) for lab in labels] == [(["b6", "b7C"], "mark"), (["b5"], "cited")]


def test_withheld_sheet_only_when_short() -> None:
    assert withheld_reason("Page withheld pursuant to exemption (b)(5)") == "withheld"
    assert withheld_reason("DUPLICATE") == "duplicate"
    assert withheld_reason("withheld pursuant to " + "word " * 200) is None


def test_bates_stamps_and_noise() -> None:
    s = parse_stamp("Page 2 of 5    ICE-2019-ICLI-00052 000123")
    assert s is not None and (s.prefix, s.number, s.digits) == ("ICE-2019-ICLI-00052", 123, 6)
    assert parse_stamp("lCE-2O19-ICLI-00052 OOO124").number == 124  # type: ignore[union-attr]
    for not_a_stamp in ("A123456789", "Case No. 2019-12345", "PAGE 0001", "DFE-2019-FOIA-00052"):
        assert parse_stamp(not_a_stamp) is None


def test_bates_document_consolidation_and_inference() -> None:
    pages = [PageIn(i, i, f"body\nICE {100 + i:06d}") for i in range(1, 6)]
    pages[2].text = "body\nsmudged"  # unreadable stamp between two readable ones
    pages[3].text = "body\nlCE 0001O4"
    stamps = detect(pages)
    assert [stamps[n].number for n in range(1, 6)] == [101, 102, 103, 104, 105]
    assert stamps[3].inferred and stamps[4].prefix == "ICE"


def test_noise_accuracy_meets_target() -> None:
    res = evaluate_noise(300, seed=3)
    for pr in res.values():
        assert pr.precision >= 0.95 and pr.recall >= 0.95


CHAIN = """From: (b)(6), (b)(7)(C)
Sent: Tuesday, August 15, 2017 10:32 AM
To: Smith, John; (b)(6) ;
Doe, Jane
Subject: RE: Targets for NYC ERO
Numbers below.
-----Original Message-----
From: Smith, John
Sent: Monday, August 14, 2017 4:05 PM
ICE 000123"""


def test_email_chain_across_pages() -> None:
    doc = DocIn(
        1,
        "chain.pdf",
        "pdf",
        [
            PageIn(1, 1, CHAIN),
            PageIn(
                2,
                2,
                "To: (b)(6)\nSubject: Targets for NYC ERO\nWe need 30 a day.\n"
                "On Mon, Aug 14, 2017 at 3:20 PM, Jane Doe wrote:\n> ok\nICE 000124",
            ),
        ],
    )
    msgs = parse(doc)
    # "On ..., Jane Doe wrote:" introduces quoted text; it is not a message.
    assert [m.sender for m in msgs] == ["(b)(6), (b)(7)(C)", "Smith, John"]
    assert msgs[0].fields["to"] == "Smith, John; (b)(6) ; Doe, Jane"  # as printed
    assert msgs[1].fields["to"] == "(b)(6)" and msgs[1].page_end == 2
    assert any("wrote:" in line for line in msgs[1].body)
    assert normalise_date(msgs[0].fields["sent"]) == "2017-08-15T10:32"
    assert normalise_date("8/15/17 4:05:09 PM") == "2017-08-15T16:05"


def _redaction_pdf(path: Path) -> None:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 100), "Officer Jonathan Secretname arrested", fontsize=11)
    page.draw_rect(pymupdf.Rect(120, 88, 230, 104), color=(0, 0, 0), fill=(0, 0, 0))  # bad
    page.insert_text((72, 200), "Agent", fontsize=11)
    page.draw_rect(pymupdf.Rect(110, 188, 200, 204), color=(0, 0, 0), fill=(0, 0, 0))  # clean
    page.insert_text((130, 200), "(b)(6)", fontsize=9, color=(1, 1, 1))  # label over it
    page.draw_rect(pymupdf.Rect(72, 300, 180, 316), color=(0, 0, 0), fill=(0, 0, 0))  # no label
    page.insert_text((72, 400), "(b)(7)(E)", fontsize=9)  # label with no box
    doc.save(path)


def test_redaction_boxes_labels_and_bad(tmp_path: Path) -> None:
    path = tmp_path / "r.pdf"
    _redaction_pdf(path)
    page = pdf_pages(path)[0]
    with pymupdf.open(path) as pdf:
        res = analyse_page(page, pdf[0])
    assert len(res.boxes) == 3
    bad = [b for b in res.boxes if b.covered]
    assert len(bad) == 1 and abs(bad[0].box[0] - 120) < 1
    labelled = [b for b in res.boxes if b.labels]
    assert len(labelled) == 1 and abs(labelled[0].box[1] - 188) < 1
    assert [(codes, idx is None) for codes, _, idx in res.labels] == [
        (["b6"], False),
        (["b7E"], True),
    ]


def test_scanned_box_found_in_image(tmp_path: Path) -> None:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 100), "Scanned text line with a name", fontsize=11)
    page.draw_rect(pymupdf.Rect(200, 300, 320, 318), color=(0, 0, 0), fill=(0, 0, 0))
    pix = page.get_pixmap(dpi=72)
    from PIL import Image

    img = Image.frombytes("RGB", (pix.width, pix.height), pix.samples)
    res = analyse_page(PageIn(1, 1, "", [], page.rect.width, page.rect.height, "ocr"), None, img)
    assert len(res.boxes) == 1
    x0, _, _, y1 = res.boxes[0].box
    assert abs(x0 - 200) < 3 and abs(y1 - 318) < 3 and res.boxes[0].kind == "scan"

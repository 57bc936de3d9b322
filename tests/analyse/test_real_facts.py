"""Facts that must hold on real records: split Bates stamps, labels never joined, masks."""

from __future__ import annotations

import pymupdf

from readingroom.analyse.analysers.bates import detect, marked_content_stamp, parse_stamp
from readingroom.analyse.analysers.exemptions import find_marks, group_labels, page_labels
from readingroom.analyse.base import DocIn, PageIn
from readingroom.page import Word


def test_split_and_hyphenated_stamps() -> None:
    for line, prefix, number in [
        ("2019-ICLI-00052 -001234", "2019-ICLI-00052", 1234),
        ("2019-ICLI-00052-001234", "2019-ICLI-00052", 1234),
        ("Page 3 of 5   2019-ICLI-00052-001234", "2019-ICLI-00052", 1234),
        ("DHS_ 000123", "DHS", 123),
        ("ICE-2019-ICLI-00052 000123", "ICE-2019-ICLI-00052", 123),
    ]:
        s = parse_stamp(line)
        assert s is not None and (s.prefix, s.number) == (prefix, number), line
    # Request and case numbers are not stamps.
    assert parse_stamp("FOIA-2019-00052") is None
    assert parse_stamp("Case No. 2019-ICLI-00052") is None


def test_stamp_in_two_word_boxes_on_a_skewed_scan() -> None:
    words = [
        Word(81, 759, 205, 768, "FICTIONAL"),
        Word(445, 749, 548, 759, "DFE-2019-FOIA-00052"),
        Word(551, 748, 584, 757, "000129"),
    ]
    page = PageIn(1, 1, "body\nFICTIONAL DFE-2019-FOIA-00052 000129", words, 612, 792, "ocr")
    s = detect([page])[1]
    assert (s.prefix, s.number, s.digits) == ("DFE-2019-FOIA-00052", 129, 6)


def _with_marked_bates(stamp: bytes, shown_in_text: bool = True) -> pymupdf.Document:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 100), "Memo body 2019-ICLI-00052", fontsize=11)
    xref = doc.get_new_xref()
    doc.update_object(xref, "<<>>")
    ops = b"/Artifact <</Subtype /BatesN /Type /Pagination>> BDC q BT /Helv 9 Tf 450 20 Td ("
    doc.update_stream(xref, ops + stamp + b") Tj ET Q EMC")
    kind, value = doc.xref_get_key(page.xref, "Contents")
    inner = value[1:-1] if kind == "array" else value
    doc.xref_set_key(page.xref, "Contents", f"[{inner} {xref} 0 R]")
    return pymupdf.open("pdf", doc.tobytes())


def test_acrobat_marked_content_bates_comes_first() -> None:
    pdf = _with_marked_bates(b"ICE-2019-ICLI-00052 000123")
    s = marked_content_stamp(pdf, pdf[0])
    assert s is not None and (s.prefix, s.number) == ("ICE-2019-ICLI-00052", 123)
    # Even when the page's text would say nothing at its edges.
    page = PageIn(1, 1, "Memo body", [], 612, 792, "text")
    assert detect([page], DocIn(1, "memo.pdf", "pdf", [page], _pdf=pdf))[1].number == 123
    assert marked_content_stamp(pdf, pymupdf.open().new_page()) is None


def test_truncated_label_is_not_joined_with_the_next_one() -> None:
    # "(b) (6), (b) (7)" cut short by its box; the next label starts a new line.
    text = "(b) (6), (b) (7)\n(B) text"
    labels = group_labels(text, find_marks(text))
    codes = [c for lab in labels for c in lab.codes]
    assert "b7B" not in codes and codes[:2] == ["b6", "b7"]
    # Far apart on one line (a wide gap in the word boxes): two labels, no b7C.
    words = [Word(72, 100, 110, 110, "(b)(7)"), Word(400, 100, 420, 110, "(C)")]
    page = PageIn(1, 1, "(b)(7) (C)", words, 612, 792, "text")
    found = [lab.codes for lab in page_labels(page)]
    assert found == [["b7"]]


def test_cells_are_separate_labels() -> None:
    text = "name\t(b)(6)\t(b)(7)(C)\n(b)(6);(b)(7)(C)\tx"
    labels = group_labels(text, find_marks(text))
    assert [lab.codes for lab in labels] == [["b6"], ["b7C"], ["b6", "b7C"]]

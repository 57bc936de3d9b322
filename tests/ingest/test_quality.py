"""When a PDF page's text layer is trusted and when the page is OCR'd."""

from __future__ import annotations

import pytest

from readingroom.ingest.quality import needs_ocr, text_quality

EMAIL = (
    "From: (b)(6);(b)(7)(C)\n"
    "Sent: Monday, March 4, 2019 10:12 AM\n"
    "To: ERO Atlanta Field Office Director\n"
    "Subject: RE: Weekly arrest targets for FY2019\n"
    "Please see the attached plan. Each officer is expected to make eight arrests per week; "
    "collateral arrests are counted separately and reported to headquarters on Friday."
)
TABLE = "FY2019 Arrests Removals\nAtlanta 1,234 1,001\nBaltimore 456 399\nTotal 1,690 1,400 12.5%"
CID = "(cid:3)(cid:12)(cid:44)(cid:45)(cid:3)(cid:17) (cid:3)(cid:12)(cid:44)(cid:9)(cid:71)"
PRIVATE_USE = "\ue001\ue002\ue003 \ue010\ue011\ue012 \ue020\ue021\ue022\ue023 \ue030"
REPLACEMENT = "\ufffd\ufffd\ufffd \ufffd\ufffd s\ufffd\ufffd \ufffd\ufffd\ufffd\ufffd"
# What a font without a Unicode map often yields: the alphabet shifted by three.
SHIFTED = "Sohdvh vhh wkh dwwdfkhg sodq. Hdfk riilfhu lv hasHfwhg wr pdnh hljkw duuhvwv shu zhhn"
SYMBOLS = "%%^^ ~~|| ^^^ }{}{ |||| ~~~ \\\\ ``` ^^ ||"
BATES = "ICE-2019-ICLI-00052 000123"


@pytest.mark.parametrize("text", [EMAIL, TABLE])
def test_real_text_scores_high(text: str) -> None:
    assert text_quality(text) > 0.8


@pytest.mark.parametrize("text", [CID, PRIVATE_USE, REPLACEMENT, SYMBOLS, SHIFTED, "", "   \n"])
def test_garbage_scores_low(text: str) -> None:
    assert text_quality(text) < 0.5


def test_cid_junk_mixed_into_text_lowers_quality() -> None:
    mixed = EMAIL[:80] + " " + CID * 4
    assert text_quality(mixed) < text_quality(EMAIL)


@pytest.mark.parametrize("text", [CID, PRIVATE_USE, REPLACEMENT, SHIFTED])
def test_junk_layer_needs_ocr_on_scans_and_vector_pages(text: str) -> None:
    assert needs_ocr(text, image_coverage=0.95, char_count=len(text))
    assert needs_ocr(text, image_coverage=0.0, char_count=len(text))


def test_real_text_layer_is_kept() -> None:
    assert not needs_ocr(EMAIL, image_coverage=0.0, char_count=len(EMAIL))
    # An OCR'd-before PDF: full-page image under a good invisible text layer.
    assert not needs_ocr(EMAIL, image_coverage=1.0, char_count=len(EMAIL))
    assert not needs_ocr(TABLE, image_coverage=0.0, char_count=len(TABLE))


def test_bates_stamp_on_a_scan_needs_ocr() -> None:
    assert needs_ocr(BATES, image_coverage=0.98, char_count=len(BATES))
    stamped = f"{BATES}\nPage 3 of 12"
    assert needs_ocr(stamped, image_coverage=0.98, char_count=len(stamped))
    # The same stamp alone on a page without images is that page's whole text.
    assert not needs_ocr(BATES, image_coverage=0.0, char_count=len(BATES))


def test_short_cover_page_without_images_is_kept() -> None:
    assert not needs_ocr("Withheld in full", image_coverage=0.0, char_count=16)


def test_empty_layer_needs_ocr() -> None:
    assert needs_ocr("", image_coverage=0.9, char_count=0)
    assert needs_ocr("  \n", image_coverage=0.0, char_count=3)


def test_long_page_is_scored() -> None:
    """A dense page (one long line, as some extractors give it) is scored, not choked on.

    How fast belongs to a benchmark, not here; a backtracking pattern would
    still show as this test hanging.
    """
    line = ("ABCDEFGHIJ KLMNOPQRST-" * 3000) + " no digits here"
    assert needs_ocr(line, image_coverage=0.9, char_count=len(line))  # no real words
    assert text_quality(EMAIL * 200) > 0.9


def test_plainly_fine_is_a_cheap_yes_only_for_ordinary_prose() -> None:
    from readingroom.ingest.quality import plainly_fine

    prose = (
        "Each Fugitive Operations team in the Dallas area of responsibility is expected to "
        "achieve a minimum of 40 arrests per week during the operation. Collateral arrests "
        "count toward the weekly totals and must be entered in the system by the end of shift. "
    ) * 2
    assert plainly_fine(prose)
    assert not plainly_fine("DFE-2019-FOIA-00052 000123")  # too short to judge cheaply
    assert not plainly_fine(prose.replace("e", "\ufffd"))  # junk characters
    assert not plainly_fine(prose + "(cid:12)(cid:13)")
    shifted = "".join(chr(ord(c) + 1) if c.isalpha() else c for c in prose)  # wrong glyph map
    assert not plainly_fine(shifted)
    assert not plainly_fine("4711 0815 " * 40)  # numbers only: let the full check decide

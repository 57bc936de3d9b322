"""Quote anchoring: exact, moved, changed by OCR (flagged), lost; no false match."""

from __future__ import annotations

from readingroom.evidence.anchor import Selector, anchor, boxes_for, fold, selector_at
from readingroom.page import Word

PAGE = (
    "The Atlanta Field Office will conduct Operation Umber Spindle as its local component.\n"
    "With a target of 78 arrests of priority targets per week across 3 teams.\n"
    "Each team brings 10 collaterals. Supervisors review each collateral arrest.\n"
)


def test_exact_span_is_ok() -> None:
    a = PAGE.index("a target of 78")
    sel = selector_at(PAGE, a, a + len("a target of 78 arrests"))
    got = anchor(PAGE, sel)
    assert (got.state, got.found) == ("ok", "a target of 78 arrests")


def test_shifted_text_is_moved_and_whitespace_is_not_evidence() -> None:
    a = PAGE.index("a target of 78")
    sel = selector_at(PAGE, a, a + len("a target of 78 arrests"))
    shifted = "HEADER LINE ADDED\n" + PAGE.replace("78 arrests", "78\n  arrests")
    got = anchor(shifted, sel)
    assert got.state == "moved"
    assert fold(got.found) == "a target of 78 arrests"
    assert shifted[got.start : got.end] == got.found


def test_repeated_phrase_resolved_by_context() -> None:
    text = "Team A: 10 collaterals on Monday. Team B: 10 collaterals on Friday."
    b = text.rindex("10 collaterals")
    sel = selector_at(text, b, b + len("10 collaterals"))
    moved = anchor("X " + text, sel)
    assert moved.state == "moved" and moved.start == b + 2


def test_ocr_change_is_found_but_flagged_not_ok() -> None:
    a = PAGE.index("With a target")
    sel = selector_at(PAGE, a, PAGE.index(" across"))
    reocr = PAGE.replace("target of 78 arrests", "targct of 78 arrcsts")
    got = anchor(reocr, sel)
    assert got.state == "changed" and not got.holds_quote
    assert got.found == "With a targct of 78 arrcsts of priority targets per week"


def test_quote_gone_is_lost_never_a_false_match() -> None:
    a = PAGE.index("Each team")
    sel = selector_at(PAGE, a, a + len("Each team brings 10 collaterals."))
    other = PAGE.replace("Each team brings 10 collaterals.", "No teams were assigned.")
    assert anchor(other, sel).state == "lost"
    assert anchor("", sel).state == "lost"
    assert anchor(PAGE, Selector("   ")).state == "lost"


def test_boxes_merge_per_line_and_pick_the_nearest_run() -> None:
    words = [
        Word(72, 100, 100, 110, "ten"), Word(104, 100, 150, 110, "arrests"),
        Word(72, 300, 100, 310, "ten"), Word(104, 300, 150, 310, "arrests"),
        Word(154, 300, 180, 310, "per"), Word(72, 312, 110, 322, "week."),
    ]  # fmt: skip
    assert boxes_for(words, "ten arrests", near=0.0) == [(72, 100, 150, 110)]
    assert boxes_for(words, "ten arrests per week", near=0.9) == [
        (72, 300, 180, 310),
        (72, 312, 110, 322),
    ]
    assert boxes_for(words, "nothing like it") == []

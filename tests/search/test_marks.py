"""The viewer marks exactly what FTS5 matched: phrases, NEAR groups, stems, prefixes."""

from __future__ import annotations

from readingroom.investigation import Investigation
from readingroom.search import MARK_END, MARK_START, highlight_page, marked_boxes
from readingroom.search.marks import marked_tokens
from tests.search.conftest import PHRASE_PAGE

WORDS = PHRASE_PAGE.split()


def marked_spans(text: str) -> list[str]:
    return [chunk.split(MARK_END, 1)[0] for chunk in text.split(MARK_START)[1:]]


def lit_words(inv: Investigation, page_id: int, query: str) -> list[str]:
    hl = highlight_page(inv.reader(), query, page_id, WORDS)
    return [WORDS[i] for i in sorted(hl.boxes)]


def test_phrase_marks_only_the_sequence(phrase_page: tuple[Investigation, int]) -> None:
    inv, page_id = phrase_page
    hl = highlight_page(inv.reader(), '"arrest targets"', page_id, WORDS)
    # "Arrest numbers", "The targets" and the final "arrest." stay unmarked.
    assert marked_spans(hl.text) == ["arrest targets"]
    assert [WORDS[i] for i in sorted(hl.boxes)] == ["arrest", "targets"]
    assert sorted(hl.boxes) == [WORDS.index("meet") + 1, WORDS.index("meet") + 2]


def test_word_marks_every_form_porter_matches(phrase_page: tuple[Investigation, int]) -> None:
    inv, page_id = phrase_page
    assert lit_words(inv, page_id, "quota") == ["Quotas,"]
    # a prefix matches by prefix, so quotation is marked too
    assert lit_words(inv, page_id, "quot*") == ["Quotas,", "quotation"]


def test_near_marks_only_the_group_within_distance(phrase_page: tuple[Investigation, int]) -> None:
    inv, page_id = phrase_page
    # collateral is 20+ words from the last "arrest" but within 5 of none
    assert lit_words(inv, page_id, "NEAR(collateral arrest, 5)") == []
    hl = highlight_page(inv.reader(), "NEAR(meet targets, 2)", page_id, WORDS)
    meet = WORDS.index("meet")
    assert sorted(hl.boxes) == [meet, meet + 2]  # not "The targets were set", 5 words before


def test_mixed_query_keeps_each_unit_whole(phrase_page: tuple[Investigation, int]) -> None:
    inv, page_id = phrase_page
    lit = lit_words(inv, page_id, '"arrest targets" OR quota type:pdf')
    assert lit == ["arrest", "targets", "Quotas,"]


def test_boxes_follow_the_text_when_words_differ() -> None:
    marked = f"one two {MARK_START}quota{MARK_END} three"
    # OCR split "two" into "t wo" and added noise: the mark still lands on "quota"
    assert marked_boxes(marked, ["one", "t", "wo", "~", "quota", "three"]) == {4}
    assert marked_boxes("no marks here", ["no", "marks", "here"]) == set()


def test_marked_tokens_fold_case_and_diacritics() -> None:
    tokens, flags = marked_tokens(f"Café {MARK_START}Ñandú{MARK_END}-report")
    assert tokens == ["cafe", "nandu", "report"]
    assert flags == [False, True, False]

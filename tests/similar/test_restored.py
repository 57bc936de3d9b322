"""Restored passages: what a later release prints where the earlier one has nothing."""

from __future__ import annotations

from readingroom.similar.restored import restored_runs

BEFORE = (
    "The station reported on 12 March that the source met the officer at the hotel. "
    "The meeting lasted two hours and covered the travel plans of the delegation. "
    "Further reporting will follow when the source returns from the capital."
)
PASSAGE = "the head of the Australian service asked that his name be protected"


def _insert(text: str, words: str, after: str) -> str:
    return text.replace(after, f"{after} {words}", 1)


def test_a_passage_printed_only_in_the_later_release_is_restored() -> None:
    after = _insert(BEFORE, PASSAGE, "two hours")
    runs = restored_runs(BEFORE, after)
    assert [r["text"] for r in runs] == [PASSAGE]
    assert after.split()[runs[0]["b_start"]] == "the"


def test_ocr_garble_is_not_a_passage() -> None:
    after = _insert(BEFORE, "rime Minister PY pekween wi ace B\\his Seprember ey", "two hours")
    assert restored_runs(BEFORE, after) == []


def test_text_read_in_another_order_is_not_restored() -> None:
    """Same words, other place: the later OCR read the page in another order."""
    first = BEFORE + " " + PASSAGE + "."
    later = _insert(BEFORE, PASSAGE, "The station reported")
    assert restored_runs(first, later) == []


def test_a_misread_copy_in_the_earlier_release_is_not_restored() -> None:
    garbled = "tbe head of tbe Austra1ian servlce asked tbat hls name be protectcd"
    first = _insert(BEFORE, garbled, "Further reporting")
    later = _insert(BEFORE, PASSAGE, "two hours")
    assert restored_runs(first, later) == []


def test_the_release_stamp_is_not_a_restoration() -> None:
    stamp = "2022 RELEASE UNDER THE PRESIDENT JOHN F. KENNEDY ASSASSINATION RECORDS ACT OF 1992"
    assert restored_runs(BEFORE, stamp + " " + BEFORE) == []


def test_words_the_earlier_release_prints_opposite_are_a_misreading() -> None:
    """A prints pieces of the same words where B prints them: a cut line, not a gap."""
    first = _insert(BEFORE, "presen at tbe mee offi", "two hours")
    later = _insert(BEFORE, "present at the meeting were four officers", "two hours")
    assert restored_runs(first, later) == []


def test_witnesses_make_a_records_names_count_as_words() -> None:
    """A cryptonym no lexicon holds counts when another release prints it too."""
    run = "AMCLOCK reported that KUBARK JMWAVE officers met ZRRIFLE"
    after = _insert(BEFORE, run, "two hours")
    assert restored_runs(BEFORE, after) == []
    witness = "cable from JMWAVE: AMCLOCK and KUBARK on ZRRIFLE"
    assert [r["text"] for r in restored_runs(BEFORE, after, witnesses=[witness])] == [run]


def test_an_earlier_release_that_printed_the_passage_shows_ocr_lost_it() -> None:
    """Withholding only shrinks: if a release before A printed it, A disclosed it too."""
    after = _insert(BEFORE, PASSAGE, "two hours")
    assert restored_runs(BEFORE, after, earlier=[after.replace("12 March", "12 Marcb")]) == []
    assert restored_runs(BEFORE, after, earlier=[BEFORE]) != []


def test_compare_with_dates_seeks_restorations_in_the_later_release_only() -> None:
    from readingroom.similar.compare import Release, Witness, compare

    full = _insert(BEFORE, PASSAGE, "two hours")
    lacking = _insert(
        BEFORE, "and on the next day the delegation flew home by way of Paris", "capital."
    )

    def kinds(a_date: str | None, b_date: str | None, witnesses: list[Witness]) -> list[str]:
        a = Release("a", "a.pdf", [(1, lacking)], {}, a_date)
        b = Release("b", "b.pdf", [(1, full)], {}, b_date)
        out = compare(a, b, witnesses=witnesses)
        return sorted(d["kind"] for d in out["differences"] if d["kind"].startswith("restored"))

    # undated: each side's readable runs the other lacks, both ways
    assert kinds(None, None, []) == ["restored_in_a", "restored_in_b"]
    # dated, B later: only what B restored; what B lacks is its OCR's loss
    assert kinds("2018-01-01", "2022-01-01", []) == ["restored_in_b"]
    # a release dated no later than A printed the passage: A disclosed it
    assert kinds("2018-01-01", "2022-01-01", [Witness(full, "2017-06-01")]) == []
    # a later witness proves nothing about A
    assert kinds("2018-01-01", "2022-01-01", [Witness(full, "2023-01-01")]) == ["restored_in_b"]
    # a release between them printed it first: its restoration, not B's
    assert kinds("2018-01-01", "2022-01-01", [Witness(full, "2020-01-01")]) == []
    # … but one between them that still lacks it leaves it to B
    assert kinds("2018-01-01", "2022-01-01", [Witness(lacking, "2020-01-01")]) == ["restored_in_b"]


def test_a_release_between_that_prints_the_run_elsewhere_does_not_count() -> None:
    """Only the same place counts: a common phrase printed elsewhere is no evidence."""
    after = _insert(BEFORE, PASSAGE, "two hours")
    elsewhere = BEFORE + " " + PASSAGE
    assert restored_runs(BEFORE, after, between=[after]) == []
    assert [r["text"] for r in restored_runs(BEFORE, after, between=[elsewhere])] == [PASSAGE]


TERMS_A = (
    "The officer met the source of the service in the capital on Monday. "
    "The source said the service had moved its station to the port. "
    "Later the officer cabled that the service wanted the meeting kept quiet."
)


def test_a_name_withheld_in_several_places_is_a_restored_term() -> None:
    from readingroom.similar.restored import restored_terms

    b = TERMS_A.replace("of the service", "of the Tamayo service").replace(
        "that the service", "that the Tamayo service"
    )
    assert [(t["term"], len(t["places"])) for t in restored_terms(TERMS_A, b)] == [("Tamayo", 2)]
    # printed once only: one gap is what an OCR drops, not a withholding
    once = TERMS_A.replace("of the service", "of the Tamayo service")
    assert restored_terms(TERMS_A, once) == []
    # A prints the name elsewhere, even misread: A did not withhold it
    assert restored_terms(TERMS_A + " Signed Tamayo.", b) == []
    assert restored_terms(TERMS_A + " Signed Tarnayo.", b) == []
    # an earlier release printed it, or one between printed it in the same places
    assert restored_terms(TERMS_A, b, earlier=[b]) == []
    assert restored_terms(TERMS_A, b, between=[b]) == []

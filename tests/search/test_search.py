"""search(), batch counts and viewer helpers over a hand-built investigation."""

from __future__ import annotations

import time

import pytest

from readingroom.errors import QueryError
from readingroom.investigation import Investigation
from readingroom.search import (
    MARK_END,
    MARK_START,
    count_terms,
    engine,
    find_bates,
    highlight_page,
    marked_to_html,
    search,
)

Filled = tuple[Investigation, dict[str, int]]


def names(result) -> list[str]:  # type: ignore[no-untyped-def]
    return [d.name for d in result.documents]


def test_words_are_grouped_by_document_with_counts(filled: Filled) -> None:
    inv, ids = filled
    conn = inv.reader()
    before = time.perf_counter()
    r = search(conn, "quota")
    outside_ms = (time.perf_counter() - before) * 1000
    assert r.total_pages == 4 and r.total_documents == 3
    memo = next(d for d in r.documents if d.document_id == ids["elpaso-quota-memo.pdf"])
    assert memo.matching_pages == 2
    assert {h.number for h in memo.hits} == {1, 2}
    assert {h.bates for h in memo.hits} == {"DFE 000100", "DFE 000101"}
    hit = memo.hits[0]
    assert MARK_START + "quota" + MARK_END in hit.snippet
    # elapsed_ms is in milliseconds and times this call: never more than the
    # wall time around it (+ rounding to 0.01). How fast is bench/bench_search.py's.
    assert 0 <= r.elapsed_ms <= outside_ms + 0.01


def test_stemming_phrase_prefix_near(filled: Filled) -> None:
    conn = filled[0].reader()
    assert search(conn, "quotas").total_pages == 4  # porter: quotas ~ quota
    assert names(search(conn, '"arrest targets"')) == ["targets-email.eml"]
    assert search(conn, "palant*").total_pages == 1
    assert search(conn, "NEAR(collateral arrests, 2)").total_pages == 2
    assert search(conn, "collateral NEAR/1 counted").total_pages == 0  # two words between
    assert search(conn, "collateral NEAR/2 counted").total_pages == 1


def test_boolean_operators(filled: Filled) -> None:
    conn = filled[0].reader()
    assert search(conn, "quota -training").total_pages == 2
    assert search(conn, "quota NOT training").total_pages == 2
    assert search(conn, "falcon OR houston").total_pages == 3
    assert search(conn, "quota AND houston").total_pages == 1


@pytest.mark.parametrize(
    ("query", "pages"),
    [
        ('office:"El Paso"', 3),
        ('office:"el paso" quota', 2),
        ("exemption:(b)(6)", 1),
        ("exemption:(b)(7)*", 2),
        ("from:fod@ice.dhs.gov", 1),
        ("type:email", 1),
        ("production:CBP-2020-0001", 3),
        ("production:ICE*", 5),
        ("ocr:yes", 2),
        ("ocr:no quota", 4),
        ("date:2017", 5),
        ("date:2017-09", 2),
        ("date:2017-08-14", 3),
        ("date:..2017-08", 3),
        ("date:2019..", 2),
        ('bates:"DFE 000100..000102"', 3),
        ("bates:DFE-000101", 1),
        ("bates:dfe000200..201", 2),
        ("bates:1", 1),
        ("(type:email OR type:spreadsheet) targets", 2),
        ("targets -type:email", 2),
        ("type:pdf -falcon", 4),
        ("quota OR office:Houston", 4),
    ],
)
def test_filters(filled: Filled, query: str, pages: int) -> None:
    assert search(filled[0].reader(), query).total_pages == pages


def test_facet_counts_and_one_click_filters(filled: Filled) -> None:
    conn = filled[0].reader()
    r = search(conn, "arrests OR quota OR falcon")
    facets = {f.name: {v.value: v for v in f.values} for f in r.facets}
    assert facets["office"]["El Paso"].count == 3
    assert facets["office"]["El Paso"].filter == 'office:"El Paso"'
    assert facets["type"]["pdf"].count == 4
    assert facets["ocr"]["yes"].count == 2
    # the filter text of a facet value selects exactly the counted pages
    for facet in r.facets:
        for value in facet.values:
            narrowed = search(conn, f"(arrests OR quota OR falcon) {value.filter}")
            assert narrowed.total_pages == value.count, value.filter


def test_sorts_and_pagination(filled: Filled) -> None:
    conn = filled[0].reader()
    q = 'office:"El Paso" OR targets OR falcon OR quotas'
    by_date = names(search(conn, q, sort="date"))
    assert by_date[0] == "elpaso-quota-memo.pdf" and by_date[-1] == "undated-notes.txt"
    newest = names(search(conn, q, sort="newest"))
    assert newest[0] == "falcon-contract.pdf"
    by_bates = names(search(conn, q, sort="bates"))
    assert by_bates[:3] == ["falcon-contract.pdf", "elpaso-quota-memo.pdf", "targets-email.eml"]
    everything = names(search(conn, q, limit=50))
    paged = (
        names(search(conn, q, limit=2))
        + names(search(conn, q, limit=2, offset=2))
        + names(search(conn, q, limit=2, offset=4))
    )
    assert paged == everything and len(everything) == 5
    with pytest.raises(QueryError, match="unknown sort"):
        search(conn, q, sort="size")


def test_filter_only_query_has_plain_snippets(filled: Filled) -> None:
    r = search(filled[0].reader(), "type:pdf")
    hit = r.documents[0].hits[0]
    assert hit.score is None and MARK_START not in hit.snippet and hit.snippet


def test_marked_to_html_escapes_page_text() -> None:
    text = f"<script>alert(1)</script> {MARK_START}quota{MARK_END} & more"
    assert marked_to_html(text) == (
        "&lt;script&gt;alert(1)&lt;/script&gt; <mark>quota</mark> &amp; more"
    )


def test_count_terms_reports_each_line(filled: Filled) -> None:
    counts = count_terms(
        filled[0].reader(), ["quota", "  ", "# a comment", '"arrest targets"', "nosuch:x", "zebra"]
    )
    assert [(c.term, c.pages, c.documents) for c in counts] == [
        ("quota", 4, 3),
        ('"arrest targets"', 1, 1),
        ("nosuch:x", 0, 0),
        ("zebra", 0, 0),
    ]
    assert counts[2].error is None  # an unknown field is searched as words


def test_highlight_page_marks_any_term(filled: Filled) -> None:
    inv, ids = filled
    conn = inv.reader()
    page_id = conn.execute(
        "SELECT id FROM pages WHERE document_id = ? AND number = 3", (ids["elpaso-quota-memo.pdf"],)
    ).fetchone()[0]
    # the page lacks "quota" but still shows where "collateral" is
    marked = highlight_page(conn, "quota collateral", page_id)
    assert f"{MARK_START}collateral{MARK_END}" in marked.text
    words = conn.execute("SELECT text FROM pages WHERE id = ?", (page_id,)).fetchone()[0].split()
    lit = highlight_page(conn, "quota collateral", page_id, words).boxes
    assert [words[i] for i in sorted(lit)] == ["collateral"]
    assert highlight_page(conn, '"unclosed', page_id, words).boxes == frozenset()


def test_find_bates_tolerates_spacing_and_padding(filled: Filled) -> None:
    inv, ids = filled
    conn = inv.reader()
    memo = ids["elpaso-quota-memo.pdf"]
    assert find_bates(conn, "DFE 000102") == (memo, 3)
    assert find_bates(conn, "dfe-102") == (memo, 3)
    assert find_bates(conn, "DFE 000999") is None
    with pytest.raises(QueryError):
        find_bates(conn, "DFE")


def test_toggle_filter_keeps_or_queries_together(filled: Filled) -> None:
    from readingroom.search import toggle_filter

    conn = filled[0].reader()
    narrowed = toggle_filter("quota OR collateral", 'office:"El Paso"')
    assert narrowed == '(quota OR collateral) office:"El Paso"'
    assert search(conn, narrowed).total_pages == 3  # every page counted by the facet
    assert toggle_filter(narrowed, 'office:"El Paso"') == "(quota OR collateral)"
    assert toggle_filter("quota", "type:pdf") == "quota type:pdf"
    assert toggle_filter('"unclosed', "type:pdf") == '"unclosed type:pdf'


def test_type_matches_pages_tagged_by_analysers(filled: Filled) -> None:
    """A printed e-mail inside a PDF is tagged type=email by the e-mail analyser."""
    inv, ids = filled
    page = inv.db.execute(
        "SELECT id FROM pages WHERE document_id = ? AND number = 1", (ids["elpaso-quota-memo.pdf"],)
    ).fetchone()[0]
    inv.db.execute(
        "INSERT INTO page_facets(page_id, facet, value, source) VALUES (?, 'type', 'email', 't')",
        (page,),
    )
    inv.db.commit()
    conn = inv.reader()
    assert search(conn, "type:email").total_pages == 2
    r = search(conn, "quota")
    types = [f for f in r.facets if f.name == "type"]
    assert len(types) == 1  # one "type" facet, not the builtin and the tag side by side
    counts = {v.value: v.count for v in types[0].values}
    assert counts["email"] == 2 and counts["pdf"] == 2


def test_rank_limit_scores_the_first_pages_and_says_so(
    filled: Filled, monkeypatch: pytest.MonkeyPatch
) -> None:
    inv, _ = filled
    conn = inv.reader()
    full = search(conn, "quota")
    assert full.ranked_pages is None and full.rank_limit is None
    monkeypatch.setattr(engine, "RANK_LIMIT", 2)
    for query in ("quota", "quota date:2017..2019"):
        r = search(conn, query)
        assert r.rank_limit == 2 and r.ranked_pages == 2
        scored = [h.score is not None for d in r.documents for h in d.hits]
        assert scored.count(True) == 2 and scored[:2] == [True, True]  # scored pages first
    # the notes page is past the first two "quota" pages, but the filter keeps
    # only it, so it is scored after all
    notes = search(conn, "quota type:text")
    assert notes.ranked_pages is None and notes.documents[0].hits[0].score is not None
    r = search(conn, "quota")
    assert r.total_pages == full.total_pages == 4  # totals stay exact
    assert names(r)[0] == "elpaso-quota-memo.pdf"  # its two pages are the first two


def test_words_under_or_with_a_filter_are_ranked(filled: Filled) -> None:
    inv, _ = filled
    r = search(inv.reader(), "type:email OR falcon")
    # the FALCON page has a score; the e-mail matches by its type alone and follows
    assert names(r) == ["falcon-contract.pdf", "targets-email.eml"]
    assert r.ranked_pages == 1 and r.total_pages == 2 and r.rank_limit is None
    assert r.documents[0].hits[0].score is not None
    assert r.documents[1].hits[0].score is None
    assert search(inv.reader(), "type:email").ranked_pages == 0  # no words, nothing to rank

"""Watchlist mentions and figures bound to their office and operation."""

from __future__ import annotations

from readingroom.evidence.figures import find_figures, table_totals
from readingroom.evidence.watchlists import find_mentions, operation_names, watchlist
from readingroom.packs import load_pack

WL = watchlist(load_pack())


def test_mentions_kinds_spans_and_longest_name() -> None:
    text = (
        "The Atlanta Field Office will conduct Operation Umber Spindle with FALCON Mobile,\n"
        "LexisNexis Accurint and license plate readers. Operation Plan follows. ERO Atlanta.\n"
        "Office of ERO, Washington, DC."
    )
    got = [(m.kind, m.entry, text[m.start : m.end]) for m in find_mentions(text, WL)]
    assert ("office", "Atlanta", "Atlanta Field Office") in got
    assert ("operation", "Operation Umber Spindle", "Operation Umber Spindle") in got
    assert ("system", "FALCON Mobile", "FALCON Mobile") in got
    assert ("system", "FALCON", "FALCON") not in got  # inside FALCON Mobile
    assert ("system", "LexisNexis Accurint", "LexisNexis Accurint") in got
    assert ("system", "licence-plate readers", "license plate readers") in got
    assert not any(e == "Operation Plan" for _, e, _ in got)
    assert ("office", "Washington", "Washington") not in got  # headquarters' address


def test_operation_name_wrapped_onto_next_line_is_read_whole() -> None:
    pages = [
        "Leads for Operation Silver Ledger arrive.",
        "arrests during Operation Silver\nLedger count",
    ]
    known = operation_names(pages, WL)
    ops = [m.entry for m in find_mentions(pages[1], WL, known) if m.kind == "operation"]
    assert ops == ["Operation Silver Ledger"]
    alone = [m.entry for m in find_mentions(pages[1], WL) if m.kind == "operation"]
    assert alone == ["Operation Silver"]  # without the document's other pages: the first line


def test_figures_bound_to_sentence_office_and_operation() -> None:
    text = (
        "11. LOCAL ANNEX\nThe Atlanta Field Office will conduct Operation Umber Spindle as its"
        " local\ncomponent of Operation Paper Lantern, with a target of 78 arrests of priority"
        " targets per week.\nHeadquarters expects a minimum of 3,000 arrests a day."
        " Last year 8,400 to 10,000 removals.\n"
        "The first week showed 49 arrests, with 17 collateral arrests. In 2019 it grew."
    )
    figs = find_figures(text, find_mentions(text, WL))
    by_value = {f.value: f for f in figs}
    t = by_value[78]
    assert (t.unit, t.per, t.goal, t.office, t.operation) == (
        "arrests", "week", True, "Atlanta", "Operation Umber Spindle",
    )  # fmt: skip
    assert text[t.start : t.end] == "78 arrests of priority targets per week"
    assert (by_value[3000].per, by_value[3000].goal) == ("day", True)
    assert by_value[8400].high == 10000 and by_value[8400].unit == "removals"
    assert by_value[49].goal is False and by_value[17].unit == "collateral"
    assert by_value[17].office == "Atlanta"  # carried from the earlier sentence
    assert 2019 not in by_value


def test_table_totals_aggregate_known_offices_only() -> None:
    page = (
        "date\toffice\ttargets\tcollateral\n2019-01-01\tAtlanta\t5\t2\n"
        "2019-01-02\tatlanta\t7\t1\n2019-01-02\tJohn Doe\t1\t1\n"
    )
    totals = table_totals([(1, page)], {"atlanta": "Atlanta"})
    assert [(t.office, t.measure, t.total, t.rows) for t in totals] == [
        ("Atlanta", "collateral", 3.0, 2),
        ("Atlanta", "targets", 12.0, 2),
    ]

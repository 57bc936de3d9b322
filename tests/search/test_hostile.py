"""Hostile queries: every input is answered with results or a QueryError, never a crash.

The pathological inputs from issue 10 first (each once made a 500 or pinned a
core), then Hypothesis over the query language's own alphabet, so operators,
quotes, parentheses and field syntax collide in ways nobody would type.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readingroom.errors import QueryError
from readingroom.investigation import Investigation
from readingroom.search import count_terms, find_bates, search
from readingroom.search.limits import QueryInterrupted, QueryTooLarge, time_budget

from .conftest import DocSpec, PageSpec, insert_docs


@pytest.fixture(scope="module")
def inv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Investigation]:
    investigation = Investigation.create(tmp_path_factory.mktemp("hostile") / "inv")
    insert_docs(investigation)
    yield investigation
    investigation.close()


PATHOLOGICAL = {
    "nested parentheses": "(" * 500 + "quota" + ")" * 500,
    "NOT chain": "NOT " * 400 + "quota",
    "1,500-term -word chain": "quota " + " ".join(f"-w{i}" for i in range(1500)),
    "word repeated 3,600 times": " ".join(["quota"] * 3600),
    "1,000 prefix ORs": " OR ".join(f"q{i}*" for i in range(1000)),
    "NUL byte": "quota\x00arrest",
    "lone surrogate": "quota \ud800",
    "number past 2^63 in doc:": "doc:99999999999999999999999",
    "number past 2^63 in bates:": 'bates:"DFE 99999999999999999999999"',
    "bates range past 2^63": 'bates:"DFE 1..99999999999999999999999"',
}


@pytest.mark.parametrize("query", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_pathological_queries_are_refused_in_words(inv: Investigation, query: str) -> None:
    conn = inv.reader()
    try:
        search(conn, query)
    except QueryError as e:
        assert str(e)  # refused with a reason
    finally:
        conn.close()


def test_caps_name_the_limit(inv: Investigation) -> None:
    with pytest.raises(QueryTooLarge, match="the limit is 100"):
        search(inv.db, " OR ".join(f"q{i}*" for i in range(150)))
    with pytest.raises(QueryTooLarge, match="20 deep"):
        search(inv.db, "(" * 25 + "quota" + ")" * 25)


def test_many_exclusions_compile_flat(inv: Investigation) -> None:
    """90 exclusions once nested 90 deep in FTS5's parser; now one NOT (… OR …)."""
    result = search(inv.db, "quota " + " ".join(f"-w{i}" for i in range(90)))
    assert result.total_documents == search(inv.db, "quota").total_documents


def test_batch_terms_with_nul_or_surrogate_carry_an_error(inv: Investigation) -> None:
    counts = count_terms(inv.db, ["quota", "a\x00b", "x\udc80", "y" * 5000])
    assert counts[0].error is None and counts[0].pages > 0
    assert "NUL" in (counts[1].error or "")
    assert "surrogate" in (counts[2].error or "")
    assert "limit is 2,000" in (counts[3].error or "")


def test_find_bates_past_2_63_is_a_query_error(inv: Investigation) -> None:
    with pytest.raises(QueryError, match="out of range"):
        find_bates(inv.db, "DFE 99999999999999999999999")


def test_time_budget_interrupts_and_says_so(tmp_path: Path) -> None:
    big = Investigation.create(tmp_path / "big")
    pages = tuple(PageSpec(f"quota arrest page {i}") for i in range(400))
    insert_docs(big, (DocSpec("many.pdf", "pdf", "P-1", None, pages),))
    conn = big.reader()
    try:
        with time_budget(conn, 0.0), pytest.raises(QueryInterrupted, match="stopped"):
            search(conn, "quota")
        cancelled = threading.Event()
        cancelled.set()
        with time_budget(conn, None, cancelled=cancelled), pytest.raises(QueryInterrupted):
            search(conn, "arrest")
        assert search(conn, "quota").total_documents > 0  # the handler is gone afterwards
    finally:
        conn.close()


ALPHABET = st.sampled_from(
    [
        "quota", "arrest", "a", "q*", "*", '"', "(", ")", ",", " ", "-", "--", "AND", "OR",
        "NOT", "NEAR", "NEAR/", "NEAR/3", "NEAR(", ":", "type:", "office:", "from:", "bates:",
        "date:", "doc:", "name:", "title:", "exemption:", "production:", "..", "2017-08",
        "(b)(6)", "DFE 000100", "99999999999999999999", "\x00", "\ud800", "é", "Subject:",
        "https://x.org/a?b=c", "email", "El Paso", "\t", "&&", "||",
    ]
)  # fmt: skip
QUERIES = st.one_of(st.lists(ALPHABET, max_size=14).map("".join), st.text(max_size=60))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(query=QUERIES)
def test_any_query_answers_or_refuses_in_words(tmp_path_factory: object, query: str) -> None:
    conn = _shared().reader()
    try:
        with time_budget(conn, 2.0):
            result = search(conn, query, limit=5)
        assert result.total_pages >= 0
    except QueryError as e:
        assert str(e)
    finally:
        conn.close()


_INV: dict[str, Investigation] = {}


def _shared() -> Investigation:
    """One investigation for every Hypothesis example (fixtures are per test, not per example)."""
    if "inv" not in _INV:
        import tempfile

        inv = Investigation.create(Path(tempfile.mkdtemp(prefix="rr-hyp-")) / "inv")
        insert_docs(inv)
        _INV["inv"] = inv
    return _INV["inv"]

"""The query language: what parses, what FTS5 sees, and what errors say."""

from __future__ import annotations

import re
import sqlite3

import pytest

from readingroom.errors import QueryError
from readingroom.investigation import Investigation
from readingroom.search import compile_query, parse
from readingroom.search.query import And, Field, Near, Not, Or, Phrase, Term


def test_parse_tree_shapes() -> None:
    assert parse("quota") == Term("quota", pos=1)
    assert parse('"arrest targets"*') == Phrase("arrest targets", True, 1)
    tree = parse("a OR b c")
    assert isinstance(tree, Or) and isinstance(tree.children[1], And)
    assert parse("-training") == Not(Term("training", pos=2), 1)
    assert parse("exemption:(b)(7)(C)") == Field("exemption", "(b)(7)(C)", 1)
    grouped = parse("(exemption:(b)(6) OR x)")
    assert isinstance(grouped, Or) and grouped.children[0] == Field("exemption", "(b)(6)", 2)
    assert parse('office:"El Paso"') == Field("office", "El Paso", 1)
    assert parse('bates:"DFE 000100".."DFE 000200"') == Field("bates", "DFE 000100..DFE 000200", 1)
    near = parse('NEAR(collateral "arrest targets", 5)')
    assert isinstance(near, Near) and near.distance == 5 and len(near.items) == 2
    infix = parse("a NEAR/3 b NEAR c")
    assert isinstance(infix, Near) and infix.distance == 10 and len(infix.items) == 3
    # lower-case operators are words, as in the text
    assert parse("and or") == And((Term("and", pos=1), Term("or", pos=5)))
    # a time of day is not a field
    assert parse("12:30") == Term("12:30", pos=1)


@pytest.mark.parametrize(
    ("query", "match"),
    [
        ("quota", '"quota"'),
        ("quot*", '"quot"*'),
        ('"arrest targets"', '"arrest targets"'),
        ("a b", '"a" AND "b"'),
        ("a OR b", '("a" OR "b")'),
        ("a -b NOT c", '("a") NOT ("b" OR "c")'),
        ("(a -b) OR c", '((("a") NOT ("b")) OR "c")'),
        ("a NEAR/5 b", 'NEAR("a" "b", 5)'),
        ("I-213", '"I-213"'),
        ("NEAR AND", None),  # operators alone are errors, checked below
    ],
)
def test_fts_expression_is_quoted(inv: Investigation, query: str, match: str | None) -> None:
    if match is None:
        with pytest.raises(QueryError):
            compile_query(inv.db, query)
        return
    plan = compile_query(inv.db, query)
    assert plan.match == match
    # FTS5 accepts every expression the compiler emits
    inv.db.execute("SELECT count(*) FROM pages_fts WHERE pages_fts MATCH ?", (plan.match,))


@pytest.mark.parametrize(
    ("hostile", "match"),
    [
        ('a" OR "b', '"a" AND " OR " AND "b"'),  # the quoted OR stays a phrase
        ("^a", '"^a"'),
        ("{a}", '"{a}"'),
        ("a + b", '"a" AND "b"'),
    ],
)
def test_user_syntax_reaches_fts5_only_quoted(inv: Investigation, hostile: str, match: str) -> None:
    """FTS5 operators in user text arrive inside quotes, and FTS5 runs the result."""
    plan = compile_query(inv.db, hostile)
    assert plan.match == match
    inv.db.execute("SELECT count(*) FROM pages_fts WHERE pages_fts MATCH ?", (plan.match,))


@pytest.mark.parametrize(
    ("hostile", "message"),
    [
        ("(" * 30 + "a" + ")" * 30, "nests parentheses or NOTs more than 20 deep"),
        ("a " * 1200, "characters long; the limit is 2,000"),
        ("NEAR(a b, x)", "needs a number after the comma"),
        ("a AND", "AND needs a term after it"),
        ("*", "'*' needs letters before it"),
        ("NOT", "NOT needs a term after it"),
    ],
)
def test_malformed_user_syntax_is_a_query_error(
    inv: Investigation, hostile: str, message: str
) -> None:
    """What the parser refuses is our QueryError with a reason, never sqlite3's error."""
    with pytest.raises(QueryError, match=re.escape(message)):
        compile_query(inv.db, hostile)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ('"unclosed', "unclosed quote"),
        ("(a b", "never closed"),
        ("a b)", "without a matching '('"),
        ("a\x00b", "NUL character"),
        ("date:2017-13", "bad date '2017-13'"),
        ("date:2017-09..2017-08", "ends before it starts"),
        ('bates:"DFE 000100.."', "both ends"),
        ("bates:abc", "not a Bates number"),
        ('bates:"DFE 000200..000100"', "ends before it starts"),
        ("-quota", "only excludes"),
        ("NOT a NOT b", "only excludes"),
        ("a OR -b", "each side of OR"),
        ("OR a", "OR needs a term before it"),
        ("a OR", "OR needs a term after it"),
        ("type:fax", "unknown document type 'fax'"),
        ("ocr:maybe", "ocr: takes yes or no"),
        ('type:""', "needs a value"),
        ("", "empty query"),
        ("q*x", "'*' can only end a word"),
    ],
)
def test_errors_say_what_and_where(inv: Investigation, query: str, message: str) -> None:
    with pytest.raises(QueryError, match=None) as info:
        compile_query(inv.db, query)
    assert message in str(info.value)


def test_errors_give_the_column(inv: Investigation) -> None:
    with pytest.raises(QueryError, match=r"at column 7"):
        compile_query(inv.db, 'quota "arrest')


def test_filters_are_bound_parameters(inv: Investigation) -> None:
    plan = compile_query(inv.db, 'quota production:"x\'); DROP TABLE pages; --"')
    assert "DROP" not in " ".join(plan.where)
    assert "x'); DROP TABLE pages; --" in plan.params
    inv.db.execute("SELECT 1 FROM pages")  # still there


def test_bates_filter_uses_expression_index(inv: Investigation) -> None:
    plan = compile_query(inv.db, 'bates:"DFE 000100..000200"')
    frm = "pages p JOIN documents d ON d.id = p.document_id"
    sql = f"SELECT p.id FROM {frm} WHERE {plan.where_sql()}"
    detail = " ".join(r[3] for r in inv.db.execute(f"EXPLAIN QUERY PLAN {sql}", plan.params))
    assert "pages_bates_key" in detail


def test_reader_connection_can_search(inv: Investigation) -> None:
    conn = inv.reader()
    try:
        with pytest.raises(sqlite3.OperationalError):
            conn.execute("INSERT INTO productions(name) VALUES ('x')")
        assert compile_query(conn, "quota").match == '"quota"'
    finally:
        conn.close()

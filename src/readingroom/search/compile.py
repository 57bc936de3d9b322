"""Turn a parsed query into one FTS5 MATCH expression plus SQL filters.

Text parts of the top-level AND become the single ranked MATCH expression;
filters (`production:`, `exemption:`…) become WHERE clauses with bound
parameters over `p` (pages) and `d` (documents). Text nested under OR with a
filter falls back to `p.id IN (SELECT rowid FROM pages_fts WHERE … MATCH ?)`.
User text only ever reaches FTS5 inside double quotes, so no query can make
FTS5 raise a syntax error.
"""

from __future__ import annotations

import difflib
import re
import sqlite3
from dataclasses import dataclass, field
from datetime import date, timedelta

from readingroom.doctypes import DOC_TYPES
from readingroom.errors import QueryError
from readingroom.search.labels import office_names, stored_values
from readingroom.search.limits import MAX_FTS_CHARS, QueryTooLarge
from readingroom.search.query import (
    And,
    Field,
    Near,
    Node,
    Not,
    Or,
    Phrase,
    Term,
    parse,
    tokenize,
)
from readingroom.search.schema import BATES_NUMBER_SQL, BATES_PREFIX_SQL

__all__ = [
    "BUILTIN_FIELDS",
    "Plan",
    "compile_query",
    "filter_term",
    "parse_bates",
    "query_filters",
    "toggle_filter",
]

#: Filters every investigation has; any other `name:` is a facet in page_facets.
BUILTIN_FIELDS = {
    "production": "production name (productions.name)",
    "type": "document type: " + ", ".join(DOC_TYPES),
    "bates": 'a Bates number or range: bates:"DFE 000100" or bates:"DFE 000100..000200"',
    "date": "document date, partial dates and ranges: date:2017-08..2017-09",
    "ocr": "ocr:yes for OCR'd pages, ocr:no for text-layer pages",
    "doc": "one document by id: doc:42",
    "name": 'words in the file name: name:memo or name:"quota plan"',
    "title": "words in the document title: title:quota",
}
#: Facets whose values are free text (a sender, a subject): `from:Quillfeather`
#: matches every value holding that word, not only the whole stored value.
WORD_FACETS = frozenset({"from", "to", "cc", "subject", "office"})
_TRUE = {"yes", "y", "true", "1"}
_FALSE = {"no", "n", "false", "0"}
_BATES = re.compile(r"^(.*?)(\d+)$")
_FACET_IN = "p.id IN (SELECT page_id FROM page_facets WHERE facet = ? AND "
_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


@dataclass
class Plan:
    """What the search engine runs: `match` is None for filter-only queries."""

    match: str | None
    where: list[str] = field(default_factory=list)
    params: list[object] = field(default_factory=list)
    # OR of every positive term, phrase and NEAR group, to mark them on any page
    # (phrases and NEAR groups stay whole, so FTS5 marks only real occurrences).
    highlight: str | None = None
    #: What the reader should know about how the query was read (unknown fields
    #: searched as words, filter values that match nothing and near values).
    hints: list[str] = field(default_factory=list)

    def where_sql(self) -> str:
        return " AND ".join(self.where) if self.where else "1"


def compile_query(conn: sqlite3.Connection, query: str) -> Plan:
    """Parse and compile `query`; raise QueryError for anything malformed."""
    hints: list[str] = []
    known = set(BUILTIN_FIELDS) | set(facet_names(conn))
    tree = _prune(_unknown_fields_as_words(parse(query), known, hints))
    if tree is None:
        raise QueryError("the query has no searchable words (only punctuation)")
    _check_positive(tree, top=True)
    compiler = _Compiler(conn, hints)
    children = list(tree.children) if isinstance(tree, And) else [tree]
    main: list[str] = []
    excluded: list[str] = []
    plan = Plan(match=None, hints=hints)
    for child in children:
        if _is_text(child) and _positive(child):
            main.append(_fts(child))
        elif isinstance(child, Not) and _is_text(child.child):
            excluded.append(_fts(child.child))
        else:
            sql, params = compiler.sql(child)
            plan.where.append(sql)
            plan.params.extend(params)
    if main:
        expr = " AND ".join(main)
        if excluded:  # one flat NOT (a OR b …): a chain of NOTs nests FTS5's parser stack
            expr = f"({expr}) NOT ({' OR '.join(excluded)})"
        plan.match = expr
    elif excluded:
        plan.where.append("p.id NOT IN (SELECT rowid FROM pages_fts WHERE pages_fts MATCH ?)")
        plan.params.append(" OR ".join(excluded))
    units = _highlight_units(tree)
    plan.highlight = " OR ".join(_fts(u) for u in units) if units else None
    size = sum(len(x) for x in (plan.match or "", plan.highlight or "")) + sum(
        len(x) for x in plan.params if isinstance(x, str)
    )
    if size > MAX_FTS_CHARS:
        raise QueryTooLarge(
            f"the query compiles to {size:,} characters of search expression; "
            f"the limit is {MAX_FTS_CHARS:,}: use fewer or shorter terms"
        )
    return plan


def _unknown_fields_as_words(node: Node, known: set[str], hints: list[str]) -> Node:
    """`Sent: Monday` or `https://…` pasted into search: unknown fields become words."""
    if isinstance(node, Field):
        if node.name in known:
            return node
        hint = (
            f"'{node.name}:' is not a field here, so it was searched as words; "
            f"fields: {', '.join(sorted(known))}"
        )
        if hint not in hints:
            hints.append(hint)
        return And((Term(node.name, pos=node.pos), Phrase(node.value, pos=node.pos)))
    if isinstance(node, Not):
        return Not(_unknown_fields_as_words(node.child, known, hints), node.pos)
    if isinstance(node, And):
        return And(tuple(_unknown_fields_as_words(c, known, hints) for c in node.children))
    if isinstance(node, Or):
        return Or(tuple(_unknown_fields_as_words(c, known, hints) for c in node.children), node.pos)
    return node


def filter_term(name: str, value: str) -> str:
    """The query text that filters on one facet value (for one-click filters)."""
    value = value.replace('"', "")
    if re.fullmatch(r"[\w.@/+-]+(?:\([\w.@/+-]+\))*|(?:\([\w.@/+-]+\))+", value):
        return f"{name}:{value}"
    return f'{name}:"{value}"'


def toggle_filter(query: str, term: str) -> str:
    """`query` narrowed by `term`, or with `term` removed when already there.

    `a OR b` is wrapped in parentheses first: appending to it would otherwise
    bind the filter to `b` alone.
    """
    if term in query:
        return " ".join(query.replace(term, " ").split())
    query = query.strip()
    try:
        top_is_or = isinstance(parse(query), Or)
    except QueryError:
        top_is_or = False
    if top_is_or:
        query = f"({query})"
    return f"{query} {term}".strip()


def query_filters(query: str) -> list[tuple[str, str, str]]:
    """(field, value, text as typed) of each filter that narrows the whole query.

    The typed text lets a facet list mark `exemption:b6` as the (b)(6) filter
    already on, and remove exactly what the user typed.
    """
    try:
        toks = tokenize(query)
        tree = parse(query)
    except QueryError:
        return []
    # Only filters that narrow the whole query: one under OR (`type:email OR
    # falcon`) is not "on", and removing its text alone would break the query.
    top = tree.children if isinstance(tree, And) else (tree,)
    narrowing = {c.pos for c in top if isinstance(c, Field)}
    found = []
    for i, tok in enumerate(toks):
        if tok.kind != "field" or tok.pos not in narrowing:
            continue
        end = toks[i + 1].pos - 1 if i + 1 < len(toks) else len(query)
        found.append((tok.text.lower(), tok.value, query[tok.pos - 1 : end].strip()))
    return found


# -- tree helpers ------------------------------------------------------------------
def _searchable(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def _prune(node: Node) -> Node | None:
    """Drop terms with no letters or digits (`&`, `--`): FTS5 finds nothing for them."""
    if isinstance(node, Term | Phrase):
        return node if _searchable(node.text) else None
    if isinstance(node, Near):
        items = tuple(i for i in node.items if _searchable(i.text))
        if len(items) < 2:
            return items[0] if items else None
        return Near(items, node.distance, node.pos)
    if isinstance(node, Not):
        child = _prune(node.child)
        return Not(child, node.pos) if child is not None else None
    if isinstance(node, And | Or):
        kept = tuple(c for c in (_prune(c) for c in node.children) if c is not None)
        if not kept:
            return None
        if len(kept) == 1:
            return kept[0]
        return And(kept) if isinstance(node, And) else Or(kept, node.pos)
    return node


def _is_text(node: Node) -> bool:
    if isinstance(node, Term | Phrase | Near):
        return True
    if isinstance(node, Not):
        return _is_text(node.child)
    if isinstance(node, And | Or):
        return all(_is_text(c) for c in node.children)
    return False


def _positive(node: Node) -> bool:
    if isinstance(node, Not):
        return False
    if isinstance(node, And):
        return any(_positive(c) for c in node.children)
    if isinstance(node, Or):
        return all(_positive(c) for c in node.children)
    return True


def _check_positive(node: Node, *, top: bool = False) -> None:
    """Reject queries that only exclude: FTS5 and users alike need something to find."""
    if isinstance(node, Or):
        for child in node.children:
            if not _positive(child):
                raise QueryError(
                    f"each side of OR must search for something, not only exclude "
                    f"(at column {node.pos}); move the NOT/- outside the OR"
                )
            _check_positive(child)
    elif isinstance(node, And):
        for child in node.children:
            _check_positive(child)
    elif isinstance(node, Not):
        _check_positive(node.child)
    if top and not _positive(node):
        raise QueryError(
            "the query only excludes (NOT/-) and would match nothing; "
            "add a word or a filter to search for, e.g. quota -training"
        )


def _highlight_units(node: Node) -> list[Term | Phrase | Near]:
    """The positive terms, phrases and NEAR groups, each kept whole."""
    if isinstance(node, Term | Phrase | Near):
        return [node]
    if isinstance(node, And | Or):
        return [u for c in node.children for u in _highlight_units(c)]
    return []


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _fts(node: Node) -> str:
    """FTS5 syntax for a text-only subtree; user text is always quoted."""
    if isinstance(node, Term | Phrase):
        return _quote(node.text) + ("*" if node.prefix else "")
    if isinstance(node, Near):
        inner = " ".join(_fts(i) for i in node.items)
        return f"NEAR({inner}, {node.distance})"
    if isinstance(node, Or):
        return "(" + " OR ".join(_fts(c) for c in node.children) + ")"
    if isinstance(node, And):
        pos = [_fts(c) for c in node.children if not isinstance(c, Not)]
        neg = [_fts(c.child) for c in node.children if isinstance(c, Not)]
        expr = "(" + " AND ".join(pos) + ")"
        return f"({expr} NOT ({' OR '.join(neg)}))" if neg else expr
    raise AssertionError(f"not a text node: {node!r}")  # pragma: no cover


# -- filters -----------------------------------------------------------------------
class _Compiler:
    def __init__(self, conn: sqlite3.Connection, hints: list[str] | None = None) -> None:
        self.conn = conn
        self.hints = hints if hints is not None else []

    def sql(self, node: Node) -> tuple[str, list[object]]:
        if _is_text(node) and _positive(node):
            return "p.id IN (SELECT rowid FROM pages_fts WHERE pages_fts MATCH ?)", [_fts(node)]
        if isinstance(node, Not):
            sql, params = self.sql(node.child)
            return f"NOT ({sql})", params
        if isinstance(node, And | Or):
            parts, params = [], []
            for child in node.children:
                sql, p = self.sql(child)
                parts.append(sql)
                params.extend(p)
            joiner = " AND " if isinstance(node, And) else " OR "
            return "(" + joiner.join(parts) + ")", params
        if isinstance(node, Field):
            return self.field(node)
        raise AssertionError(f"unexpected node {node!r}")  # pragma: no cover

    def field(self, f: Field) -> tuple[str, list[object]]:
        value = f.value.strip()
        where = f"(in {f.name}:{f.value} at column {f.pos})"
        if not value:
            raise QueryError(f"'{f.name}:' needs a value, like {f.name}:something {where}")
        if f.name == "production":
            if value.endswith("*"):
                return (
                    "d.production_id IN (SELECT id FROM productions WHERE name LIKE ? ESCAPE '\\')",
                    [_like_prefix(value[:-1])],
                )
            return (
                "d.production_id IN (SELECT id FROM productions WHERE name = ? COLLATE NOCASE)",
                [value],
            )
        if f.name == "type":
            # Analysers may tag pages with a type too (a printed e-mail inside a
            # PDF is type=email), so `type:` matches either.
            kind = value.lower()
            tagged = self.conn.execute(
                "SELECT 1 FROM page_facets WHERE facet = 'type' AND value = ? LIMIT 1", (kind,)
            ).fetchone()
            if kind not in DOC_TYPES and tagged is None:
                raise QueryError(
                    f"unknown document type '{value}' {where}; use one of: {', '.join(DOC_TYPES)}"
                )
            if tagged is None:
                return "d.doc_type = ?", [kind]
            return "(d.doc_type = ? OR " + _FACET_IN + "value = ?))", [kind, "type", kind]
        if f.name == "ocr":
            flag = value.lower()
            if flag in _TRUE:
                return "p.source = 'ocr'", []
            if flag in _FALSE:
                return "p.source != 'ocr'", []
            raise QueryError(f"ocr: takes yes or no, not '{value}' {where}")
        if f.name == "doc":
            if not value.isdigit():
                raise QueryError(f"doc: takes a document id number, not '{value}' {where}")
            return "d.id = ?", [int(value)]
        if f.name == "date":
            lo, hi = parse_date_range(value, where)
            # The record's own date (issue 9's dates analyser), as engine.py's facet and sort.
            col = (
                "COALESCE((SELECT dd.value FROM document_dates dd"
                " WHERE dd.document_id = d.id AND dd.kind = 'record'), d.date)"
            )
            parts: list[str] = [f"{col} IS NOT NULL"]
            params: list[object] = []
            if lo:
                parts.append(f"{col} >= ?")
                params.append(lo)
            if hi:
                parts.append(f"{col} < ?")
                params.append(hi)
            return "(" + " AND ".join(parts) + ")", params
        if f.name == "bates":
            return bates_sql(value, where)
        if f.name in ("name", "title"):
            words = _words(value)
            if not words:
                raise QueryError(f"{f.name}: needs a word {where}")
            sql = " AND ".join(f"d.{f.name} LIKE ? ESCAPE '\\'" for _ in words)
            return "(" + sql + ")", [_like_within(w) for w in words]
        return self.facet(f, value, where)

    def facet(self, f: Field, value: str, where: str) -> tuple[str, list[object]]:
        exists = self.conn.execute(
            "SELECT 1 FROM page_facets WHERE facet = ? LIMIT 1", (f.name,)
        ).fetchone()
        if exists is None:
            known = sorted(set(BUILTIN_FIELDS) | set(facet_names(self.conn)))
            raise QueryError(
                f"unknown field '{f.name}:' (at column {f.pos}); fields in this "
                f"investigation: {', '.join(known)}"
            )
        # Stored short (b6, ELP) or as written ((b)(6), El Paso): accept both.
        offices = office_names(self.conn) if f.name == "office" else None
        forms = stored_values(f.name, value, offices)
        prefixes = [_like_prefix(v[:-1]) for v in forms if v.endswith("*")]
        exact = [v for v in forms if not v.endswith("*")]
        if offices and not prefixes:  # office:Paso → ELP, by the words of the office's name
            wanted = [w.casefold() for w in _words(value)]
            exact += [c for c, n in offices.items() if all(w in n.casefold() for w in wanted)]
        if prefixes:
            likes = " OR ".join("value LIKE ? ESCAPE '\\'" for _ in prefixes)
            return _FACET_IN + f"({likes}))", [f.name, *prefixes]
        marks = ",".join("?" * len(exact))
        sql = f"value COLLATE NOCASE IN ({marks})"
        params: list[object] = [f.name, *exact]
        words = _words(value) if f.name in WORD_FACETS else []
        if words:  # from:Quillfeather finds "Quillfeather, Dana" and "Dana Quillfeather <…>"
            within = " AND ".join("value LIKE ? ESCAPE '\\'" for _ in words)
            sql = f"({sql} OR ({within}))"
            params += [_like_within(w) for w in words]
        self._suggest(f, sql, params)
        return _FACET_IN + sql + ")", params

    def _suggest(self, f: Field, sql: str, params: list[object]) -> None:
        """Say so when a filter value matches nothing, naming the nearest stored values."""
        hit = self.conn.execute(
            f"SELECT 1 FROM page_facets WHERE facet = ? AND {sql} LIMIT 1", params
        ).fetchone()
        if hit is not None:
            return
        values = [
            r[0]
            for r in self.conn.execute(
                "SELECT DISTINCT value FROM page_facets WHERE facet = ? LIMIT 5000", (f.name,)
            )
        ]
        by_fold = {v.casefold(): v for v in values}
        near = difflib.get_close_matches(f.value.casefold(), list(by_fold), n=3, cutoff=0.5)
        if not near:  # a word of a long value: compare with each word of each value
            words = {w.casefold(): v for v in values for w in _words(v)}
            near = [
                words[w].casefold()
                for w in difflib.get_close_matches(f.value.casefold(), list(words), n=3)
            ]
        msg = f"no {f.name}: value contains '{f.value}'"
        if near:
            msg += (
                "; did you mean "
                + " or ".join(filter_term(f.name, by_fold[n]) for n in dict.fromkeys(near))
                + "?"
            )
        self.hints.append(msg)


def facet_names(conn: sqlite3.Connection) -> list[str]:
    """Distinct facet names, by skipping through the (facet, value) index."""
    rows = conn.execute(
        """
        WITH RECURSIVE f(name) AS (
            SELECT min(facet) FROM page_facets
            UNION ALL
            SELECT (SELECT min(facet) FROM page_facets WHERE facet > f.name)
            FROM f WHERE f.name IS NOT NULL
        )
        SELECT name FROM f WHERE name IS NOT NULL
        """
    ).fetchall()
    return [r[0] for r in rows]


def _words(value: str) -> list[str]:
    """The words of a filter value, without the punctuation around names and addresses."""
    return [w for w in re.split(r"[\s,;<>()\"]+", value) if w][:20]


def _like_within(text: str) -> str:
    return "%" + _like_prefix(text)


def _like_prefix(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _date_bounds(text: str, where: str) -> tuple[str, str]:
    """`2017` → ("2017", "2018"); `2017-08` → ("2017-08", "2017-09"); days likewise."""
    m = _DATE.match(text)
    bad = QueryError(f"bad date '{text}' {where}; use 2017, 2017-08 or 2017-08-03")
    if not m:
        raise bad
    year, month, day = int(m[1]), m[2], m[3]
    try:
        if month is None:
            return f"{year:04d}", f"{year + 1:04d}"
        mon = int(month)
        if day is None:
            date(year, mon, 1)
            nxt = f"{year + 1:04d}-01" if mon == 12 else f"{year:04d}-{mon + 1:02d}"
            return f"{year:04d}-{mon:02d}", nxt
        d = date(year, mon, int(day))
    except ValueError:
        raise bad from None
    return d.isoformat(), (d + timedelta(days=1)).isoformat()


def parse_date_range(value: str, where: str = "") -> tuple[str | None, str | None]:
    """Inclusive partial-date range as [lo, hi) ISO strings; either end may be open."""
    if ".." in value:
        left, _, right = value.partition("..")
        lo = _date_bounds(left, where)[0] if left else None
        hi = _date_bounds(right, where)[1] if right else None
        if lo is None and hi is None:
            raise QueryError(f"date range needs at least one end {where}")
        if lo and hi and lo >= hi:
            raise QueryError(f"date range ends before it starts {where}")
        return lo, hi
    return _date_bounds(value, where)


def _norm_prefix(prefix: str) -> str:
    return re.sub(r"[\s_-]", "", prefix).upper()


def parse_bates(text: str, where: str = "") -> tuple[str, int]:
    """Split a Bates number into (normalised prefix, counter): `DFE 000123` → ("DFE", 123)."""
    m = _BATES.match(text.strip())
    if not m:
        raise QueryError(
            f"'{text}' is not a Bates number {where}; it should end in digits, like DFE 000123"
        )
    return _norm_prefix(m[1]), int(m[2])


def bates_sql(value: str, where: str = "") -> tuple[str, list[object]]:
    """SQL matching one Bates number or an inclusive range `A..B` (B may omit the prefix)."""
    prefix_sql = BATES_PREFIX_SQL.format(col="p.bates")
    number_sql = BATES_NUMBER_SQL.format(col="p.bates")
    if ".." in value:
        left, _, right = value.partition("..")
        if not left.strip() or not right.strip():
            raise QueryError(f"a Bates range needs both ends, like DFE 000100..000200 {where}")
        prefix, lo = parse_bates(left, where)
        right_prefix, hi = parse_bates(right, where)
        if right_prefix and right_prefix != prefix:
            raise QueryError(
                f"a Bates range stays within one prefix; '{left.strip()}' and "
                f"'{right.strip()}' differ {where}"
            )
        if hi < lo:
            raise QueryError(f"Bates range ends before it starts {where}")
    else:
        prefix, lo = parse_bates(value, where)
        hi = lo
    parts = ["p.bates IS NOT NULL"]
    params: list[object] = []
    if prefix:
        parts.append(f"{prefix_sql} = ?")
        params.append(prefix)
    parts.append(f"{number_sql} BETWEEN ? AND ?")
    params.extend([lo, hi])
    return "(" + " AND ".join(parts) + ")", params

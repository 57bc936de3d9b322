"""Run a query: ranked pages grouped by document, snippets, facets, timing.

Matching pages are gathered once per search into a TEMP table (per
connection, so concurrent web requests never share it); totals, document
groups, facet counts and snippets are then cheap queries over that table
instead of re-running the MATCH four times.
"""

from __future__ import annotations

import html
import re
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from readingroom.citation import exemption_code
from readingroom.errors import QueryError
from readingroom.mask import is_masked
from readingroom.search.compile import (
    BUILTIN_FIELDS,
    Plan,
    bates_sql,
    compile_query,
    filter_term,
    parse_bates,
    query_filters,
)
from readingroom.search.labels import facet_label, office_names, stored_values
from readingroom.search.limits import check_text, guarded
from readingroom.search.marks import MARK_END, MARK_START, marked_boxes
from readingroom.similar.collapse import collapse_copies
from readingroom.store.reading import document_key

Sort = Literal["relevance", "date", "newest", "bates"]
SORTS: tuple[Sort, ...] = ("relevance", "date", "newest", "bates")
#: Above this many matching pages, facets are counted on an evenly spaced sample
#: of this size and scaled up (marked approximate), so a query matching most of
#: a million-page investigation still answers in tens of milliseconds.
FACET_SAMPLE = 10_000
FACET_VALUES = 12
#: Values listed for the one facet a reader asked to see "more" of.
FACET_MORE = 500
#: bm25 needs each matching page's positions, which is most of the cost of a
#: word on every page (FTS5's own `ORDER BY rank LIMIT 20` pays it too). Above
#: this many matching pages only the first this-many (in the order pages were
#: added) are scored; the rest follow unscored, and the page says so.
RANK_LIMIT = 10_000


@dataclass(frozen=True)
class Hit:
    """One matching page."""

    page_id: int
    number: int
    bates: str | None
    snippet: str  # text with MARK_START/MARK_END around matches
    score: float | None  # bm25, lower is better; None for filter-only queries
    source: str  # text | ocr | none
    ocr_confidence: float | None


@dataclass(frozen=True)
class DocumentHits:
    """A document and its best-matching pages."""

    document_id: int
    name: str
    title: str | None
    doc_type: str
    date: str | None
    production: str | None
    page_count: int | None
    parent_id: int | None
    matching_pages: int
    hits: list[Hit]
    key: str = ""  # the permanent id: the content hash's prefix (store.reading.document_key)
    copies: int = 0  # matching near-duplicates folded into this result (readingroom.similar)
    family: int | None = None  # their document family, /family/<n>


@dataclass(frozen=True)
class FacetValue:
    value: str  # as stored by the analyser: b7C, ELP
    count: int
    filter: str  # query text that selects this value, as people write it: office:"El Paso"
    label: str  # the value as people write it: (b)(7)(C), El Paso
    selected: str | None = None  # the query's own text selecting this value, if any


@dataclass(frozen=True)
class Facet:
    name: str  # the field name used in queries
    values: list[FacetValue]
    more: bool = False  # cut at the listed number: ask with `more=<name>` for the rest


@dataclass
class SearchResult:
    query: str
    sort: str
    limit: int
    offset: int
    total_pages: int
    total_documents: int
    documents: list[DocumentHits]
    facets: list[Facet]
    facets_approximate: bool
    elapsed_ms: float
    #: Pages with a relevance score, when fewer than `total_pages`: scoring stopped
    #: at `rank_limit`, some pages match by a filter alone (`type:email OR
    #: falcon`), or the query has no words (0). None when every page is ranked.
    ranked_pages: int | None = None
    rank_limit: int | None = None  # RANK_LIMIT, when it cut scoring short
    #: How the query was read, for the reader: unknown fields searched as words,
    #: filter values matching nothing with near values to try instead.
    hints: list[str] = field(default_factory=list)
    match: str | None = field(default=None, repr=False)  # the FTS5 expression, for debugging
    collapsed: int = 0  # matching documents folded as near-duplicates of a shown one


def marked_to_html(text: str) -> str:
    """Escape page text for HTML, then turn highlight markers into <mark>."""
    return html.escape(text).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")


def strip_marks(text: str) -> str:
    """Snippet text without highlight markers (plain-text output)."""
    return text.replace(MARK_START, "").replace(MARK_END, "")


@guarded
def search(
    conn: sqlite3.Connection,
    query: str,
    *,
    limit: int = 20,
    offset: int = 0,
    sort: str = "relevance",
    hits_per_document: int = 3,
    facets: bool = True,
    more: str | None = None,
    collapse: bool = True,
) -> SearchResult:
    """Search pages; `limit`/`offset` count documents, since hits are grouped by them."""
    started = time.perf_counter()
    if sort not in SORTS:
        raise QueryError(f"unknown sort '{sort}'; use one of: {', '.join(SORTS)}")
    if limit < 1 or offset < 0:
        raise QueryError("limit must be at least 1 and offset not negative")
    plan = compile_query(conn, query)
    limited = _gather(conn, plan)
    folded = collapse_copies(conn) if collapse else {}  # one result per family, "N copies"
    total_pages, total_docs, scored = conn.execute(
        "SELECT count(*), count(DISTINCT document_id), count(score) FROM temp.rr_hits"
    ).fetchone()
    ranked = scored if scored < total_pages else None
    # Rank documents on the hits table alone, then fetch only the shown ones.
    order = {  # unscored pages (beyond RANK_LIMIT, or filters only) sort last
        "relevance": "min(score) IS NULL, min(score), document_id",
        "date": "max(date) IS NULL, max(date), min(score) IS NULL, min(score), document_id",
        "newest": "max(date) IS NULL, max(date) DESC, min(score) IS NULL, min(score), document_id",
        "bates": "min(bates) IS NULL, min(bates), document_id",
    }[sort]
    groups = conn.execute(
        f"""
        WITH g AS (
            SELECT document_id, count(*) AS n, row_number() OVER (ORDER BY {order}) AS pos
            FROM temp.rr_hits
            GROUP BY document_id ORDER BY {order} LIMIT ? OFFSET ?
        )
        SELECT g.document_id, g.n, d.name, d.title, d.doc_type, d.sha256,
               COALESCE((SELECT dd.value FROM document_dates dd WHERE dd.document_id = d.id
                         AND dd.kind = 'record'), d.date) AS date,
               d.page_count, d.parent_id, pr.name AS production
        FROM g CROSS JOIN documents d ON d.id = g.document_id
        LEFT JOIN productions pr ON pr.id = d.production_id
        ORDER BY g.pos
        """,
        (limit, offset),
    ).fetchall()
    doc_ids = [g["document_id"] for g in groups]
    hits = _top_hits(conn, plan, doc_ids, hits_per_document, by_score=sort == "relevance")
    documents = [
        DocumentHits(
            document_id=g["document_id"],
            name=g["name"],
            title=g["title"],
            doc_type=g["doc_type"],
            date=g["date"],
            production=g["production"],
            page_count=g["page_count"],
            parent_id=g["parent_id"],
            matching_pages=g["n"],
            hits=hits.get(g["document_id"], []),
            key=document_key(g["sha256"]),
            copies=folded.get(g["document_id"], (0, 0))[1],
            family=folded[g["document_id"]][0] if g["document_id"] in folded else None,
        )
        for g in groups
    ]
    facet_list: list[Facet] = []
    approximate = False
    if facets and total_pages:
        step = -(-total_pages // FACET_SAMPLE)  # ceil
        approximate = step > 1
        facet_list = _facets(conn, step, more)
        facet_list = _mark_selected(facet_list, query, office_names(conn))
    return SearchResult(
        query=query,
        sort=sort,
        limit=limit,
        offset=offset,
        total_pages=total_pages,
        total_documents=total_docs,
        documents=documents,
        facets=facet_list,
        facets_approximate=approximate,
        elapsed_ms=round((time.perf_counter() - started) * 1000, 2),
        ranked_pages=ranked,
        rank_limit=RANK_LIMIT if limited else None,
        hints=plan.hints,
        match=plan.match,
        collapsed=sum(n for _, n in folded.values()),
    )


def _from(plan: Plan) -> tuple[str, str, list[object]]:
    """FROM, WHERE and params selecting the matching pages as `p` with `d`."""
    if plan.match is not None:
        frm = (
            "pages_fts JOIN pages p ON p.id = pages_fts.rowid "
            "JOIN documents d ON d.id = p.document_id"
        )
        return frm, "pages_fts MATCH ? AND " + plan.where_sql(), [plan.match, *plan.params]
    return "pages p JOIN documents d ON d.id = p.document_id", plan.where_sql(), plan.params


def _gather(conn: sqlite3.Connection, plan: Plan) -> bool:
    """Fill temp.rr_hits with every matching page, bm25-scored for at most RANK_LIMIT.

    Returns whether RANK_LIMIT cut scoring short. Text under `OR` with a filter
    (`type:email OR falcon`) is not the MATCH, so its pages are scored by a
    second MATCH on the query's words; pages found by the filter alone get no
    score and sort after the scored ones.
    """
    frm, where, params = _from(plan)
    score, pre, pre_params, score_params = "NULL", "", [], []
    beyond: int | None = None
    if plan.match is not None:
        beyond = _fts_cutoff(conn, plan.match)
        score = "bm25(pages_fts)"
        if beyond is not None:  # CASE evaluates bm25 only below the cutoff
            score, score_params = "CASE WHEN p.id < ? THEN bm25(pages_fts) END", [beyond]
    elif plan.highlight is not None:
        beyond = _fts_cutoff(conn, plan.highlight)
        pre = (
            "WITH rr_rank AS MATERIALIZED (SELECT rowid AS rid, bm25(pages_fts) AS s"
            " FROM pages_fts WHERE pages_fts MATCH ? AND rowid < ?) "
        )
        pre_params = [plan.highlight, beyond if beyond is not None else 1 << 62]
        frm += " LEFT JOIN rr_rank ON rr_rank.rid = p.id"
        score = "rr_rank.s"
    conn.execute("DROP TABLE IF EXISTS temp.rr_hits")
    conn.execute(
        f"""
        CREATE TEMP TABLE rr_hits AS {pre}
        SELECT p.id AS page_id, p.document_id AS document_id, p.number AS number,
               p.bates AS bates, p.source AS source, {score} AS score,
               d.production_id AS production_id, d.doc_type AS doc_type,
               COALESCE((SELECT dd.value FROM document_dates dd
                         WHERE dd.document_id = d.id AND dd.kind = 'record'), d.date) AS date
        FROM {frm} WHERE {where}
        """,
        [*pre_params, *score_params, *params],
    )
    if beyond is not None and plan.match is not None and plan.where:
        _score_more(conn, plan.match, beyond)
    return beyond is not None


def _score_more(conn: sqlite3.Connection, match: str, beyond: int) -> None:
    """Score filtered pages past the cutoff until RANK_LIMIT of them have a score.

    The cutoff counts pages with the words; filters may keep few of those
    (`arrest production:<the latest>`), and ranking none of them would be
    worse than the cost of scoring the next stretch of rowids.
    """
    scored = conn.execute("SELECT count(score) FROM temp.rr_hits").fetchone()[0]
    if scored >= RANK_LIMIT:
        return
    row = conn.execute(
        "SELECT page_id FROM temp.rr_hits WHERE page_id >= ? ORDER BY page_id LIMIT 1 OFFSET ?",
        (beyond, RANK_LIMIT - scored - 1),
    ).fetchone()
    last = row[0] if row else conn.execute("SELECT max(page_id) FROM temp.rr_hits").fetchone()[0]
    conn.execute("DROP TABLE IF EXISTS temp.rr_more")
    conn.execute(  # materialised first: as a subquery of UPDATE it ran once per row
        "CREATE TEMP TABLE rr_more AS SELECT rowid AS rid, bm25(pages_fts) AS s FROM pages_fts"
        " WHERE pages_fts MATCH ? AND rowid BETWEEN ? AND ?",
        (match, beyond, last),
    )
    conn.execute(
        "UPDATE temp.rr_hits SET score = m.s FROM temp.rr_more m WHERE m.rid = rr_hits.page_id"
    )


def _fts_cutoff(conn: sqlite3.Connection, expr: str) -> int | None:
    """Rowid of the page after the first RANK_LIMIT matching `expr`, or None.

    FTS5 walks its rowids in order without scoring, so this is cheap even for
    a word on every page.
    """
    row = conn.execute(
        "SELECT rowid FROM pages_fts WHERE pages_fts MATCH ? ORDER BY rowid LIMIT 1 OFFSET ?",
        (expr, RANK_LIMIT),
    ).fetchone()
    return row[0] if row else None


def _top_hits(
    conn: sqlite3.Connection, plan: Plan, doc_ids: list[int], per_doc: int, *, by_score: bool
) -> dict[int, list[Hit]]:
    if not doc_ids:
        return {}
    order = "h.score, h.number" if by_score and plan.match else "h.number"
    marks = ",".join("?" * len(doc_ids))
    rows = conn.execute(
        f"""
        SELECT * FROM (
            SELECT h.*, row_number() OVER (PARTITION BY h.document_id ORDER BY {order}) AS rn
            FROM temp.rr_hits h WHERE h.document_id IN ({marks})
        ) WHERE rn <= ?
        ORDER BY document_id, rn
        """,
        [*doc_ids, per_doc],
    ).fetchall()
    page_ids = [r["page_id"] for r in rows]
    snippets = _snippets(conn, plan, page_ids)
    conf = dict(
        conn.execute(
            f"SELECT id, ocr_confidence FROM pages WHERE id IN ({','.join('?' * len(page_ids))})",
            page_ids,
        ).fetchall()
    )
    out: dict[int, list[Hit]] = {}
    for r in rows:
        out.setdefault(r["document_id"], []).append(
            Hit(
                page_id=r["page_id"],
                number=r["number"],
                bates=r["bates"],
                snippet=snippets.get(r["page_id"], ""),
                score=None if r["score"] is None else round(r["score"], 4),
                source=r["source"],
                ocr_confidence=conf.get(r["page_id"]),
            )
        )
    return out


def _snippets(conn: sqlite3.Connection, plan: Plan, page_ids: list[int]) -> dict[int, str]:
    if not page_ids:
        return {}
    marks = ",".join("?" * len(page_ids))
    expr = plan.match or plan.highlight
    found: dict[int, str] = {}
    if expr is not None:
        rows = conn.execute(
            f"""
            SELECT rowid, snippet(pages_fts, 0, ?, ?, '…', 28) FROM pages_fts
            WHERE pages_fts MATCH ? AND rowid IN ({marks})
            """,
            [MARK_START, MARK_END, expr, *page_ids],
        ).fetchall()
        found = {r[0]: r[1] for r in rows}
    missing = [pid for pid in page_ids if pid not in found]
    if missing:
        marks = ",".join("?" * len(missing))
        rows = conn.execute(
            f"SELECT id, substr(text, 1, 220) FROM pages WHERE id IN ({marks})",
            missing,
        ).fetchall()
        for pid, text in rows:
            text = " ".join(text.split())
            found[pid] = text[:200] + ("…" if len(text) > 200 else "")
    return found


def _mark_selected(facets: list[Facet], query: str, offices: dict[str, str]) -> list[Facet]:
    """Label each value as people write it and note the query text that selects it."""
    typed: dict[str, list[tuple[set[str], str]]] = {}
    for name, value, text in query_filters(query):
        forms = {v.casefold() for v in stored_values(name, value, offices)}
        typed.setdefault(name, []).append((forms, text))
    out = []
    for f in facets:
        values = []
        for v in f.values:
            label = facet_label(f.name, v.value, offices)
            chosen = next(
                (text for forms, text in typed.get(f.name, []) if v.value.casefold() in forms),
                None,
            )
            values.append(FacetValue(v.value, v.count, filter_term(f.name, label), label, chosen))
        out.append(Facet(f.name, values, f.more))
    return out


def _facets(conn: sqlite3.Connection, step: int = 1, more: str | None = None) -> list[Facet]:
    """Pages per facet value among the matching pages (every `step`-th one, scaled)."""
    src = "temp.rr_hits"
    if step > 1:  # sample once, not once per facet query
        conn.execute("DROP TABLE IF EXISTS temp.rr_sample")
        conn.execute(
            "CREATE TEMP TABLE rr_sample AS SELECT * FROM temp.rr_hits WHERE rowid % ? = 0",
            (step,),
        )
        src = "temp.rr_sample"
    # Document columns were copied into the hits table: no join with documents here.
    type_sql = "SELECT doc_type, count(*) FROM {src} h GROUP BY 1"
    if conn.execute("SELECT 1 FROM page_facets WHERE facet = 'type' LIMIT 1").fetchone():
        type_sql = (  # pages tagged with a type by analysers count under it too
            "SELECT v, count(DISTINCT page_id) FROM (SELECT page_id, doc_type AS v FROM {src} h"
            " UNION ALL SELECT h.page_id, f.value FROM {src} h CROSS JOIN page_facets f"
            " ON f.page_id = h.page_id AND f.facet = 'type') GROUP BY 1"
        )
    builtin = [
        (
            "production",
            (
                "SELECT pr.name, n FROM (SELECT production_id, count(*) AS n FROM {src} h"
                " GROUP BY 1) CROSS JOIN productions pr ON pr.id = production_id"
            ),
        ),
        ("type", type_sql),
        (
            "date",
            "SELECT substr(date, 1, 4), count(*) FROM {src} h WHERE date IS NOT NULL GROUP BY 1",
        ),
        (
            "ocr",
            (
                "SELECT CASE source WHEN 'ocr' THEN 'yes' ELSE 'no' END, count(*)"
                " FROM {src} h GROUP BY 1"
            ),
        ),
    ]
    result: list[Facet] = []
    for name, sql in builtin:
        cap = FACET_MORE if name == more else FACET_VALUES
        counted = conn.execute(sql.format(src=src) + " ORDER BY 2 DESC, 1 LIMIT ?", (cap + 1,))
        values = [
            FacetValue(str(v), c * step, filter_term(name, str(v)), str(v)) for v, c in counted
        ]
        if values and not (name == "ocr" and len(values) == 1 and values[0].value == "no"):
            result.append(Facet(name, values[:cap], more=len(values) > cap))
    rows = conn.execute(
        f"""
        SELECT facet, value, n FROM (
            SELECT f.facet, f.value, count(*) AS n,
                   row_number() OVER (PARTITION BY f.facet ORDER BY count(*) DESC, f.value) AS rn
            FROM {src} h CROSS JOIN page_facets f ON f.page_id = h.page_id
            GROUP BY f.facet, f.value
        ) WHERE rn <= CASE WHEN facet = ? THEN ? ELSE ? END ORDER BY facet, n DESC, value
        """,
        (more or "", FACET_MORE + 1, FACET_VALUES + 1),
    ).fetchall()
    generic: dict[str, list[FacetValue]] = {}
    for facet, value, n in rows:
        if facet in BUILTIN_FIELDS:  # counted with the builtin of that name above
            continue
        generic.setdefault(facet, []).append(
            FacetValue(value, n * step, filter_term(facet, value), value)
        )
    for name, vals in generic.items():
        if name in PEOPLE_FACETS:
            vals = _people(name, vals)
        cap = FACET_MORE if name == more else FACET_VALUES
        result.append(Facet(name, vals[:cap], more=len(vals) > cap))
    return result


#: Facets whose values name people: redaction labels are not senders, and one
#: person's spellings (`Last, First`, `First Last <addr>`) count as one.
PEOPLE_FACETS = frozenset({"from", "to", "cc"})
_ADDRESS = re.compile(r"<[^>]*>|\S+@\S+")


def person_key(value: str) -> str:
    """`Quillfeather, Dana` and `Dana Quillfeather <dq@ice.example>` → `dana quillfeather`."""
    name = _ADDRESS.sub(" ", value).strip().strip('"').strip()
    if name.count(",") == 1:
        last, first = (p.strip() for p in name.split(","))
        if first and last and " " not in last:
            name = f"{first} {last}"
    return " ".join(re.sub(r"[^\w\s'-]", " ", name).casefold().split())


def _people(name: str, values: list[FacetValue]) -> list[FacetValue]:
    """Drop redaction labels; merge one person's spellings under the name as people write it."""
    merged: dict[str, tuple[str, int]] = {}
    for v in values:
        if _redaction_label(v.value):
            continue  # (b)(6), (b)(6);(b)(7)(C), █████: a redaction, not a sender
        key = person_key(v.value) or v.value.casefold()
        shown, count = merged.get(key, (_display(v.value), 0))
        merged[key] = (shown, count + v.count)
    ordered = sorted(merged.values(), key=lambda sc: (-sc[1], sc[0].casefold()))
    return [FacetValue(shown, n, filter_term(name, shown), shown) for shown, n in ordered]


_EXEMPTION_MARK = re.compile(
    r"\(\s*b\s*\)(?:\s*\(\s*[0-9a-z]{1,2}\s*\))*|\bb\d[a-f]?\b", re.IGNORECASE
)


def _redaction_label(value: str) -> bool:
    """Whether a value is only exemption marks or the mask: `(b)(6);(b)(7)(C)`, `█████`."""
    if exemption_code(value) or is_masked(value):
        return True
    rest = _EXEMPTION_MARK.sub(" ", value.replace("█", " "))
    return not any(c.isalpha() for c in rest)


def _display(value: str) -> str:
    """A person's name as people write it: `Dana Quillfeather`, without the address."""
    name = _ADDRESS.sub(" ", value).strip().strip('"').strip()
    if name.count(",") == 1:
        last, first = (p.strip() for p in name.split(","))
        if first and last and " " not in last:
            name = f"{first} {last}"
    return " ".join(name.split()) or value


# -- batch search ------------------------------------------------------------------
@dataclass(frozen=True)
class TermCount:
    """Hits for one line of a watchlist; `error` set when the line is not a valid query."""

    term: str
    pages: int
    documents: int
    error: str | None = None


def count_terms(conn: sqlite3.Connection, terms: list[str]) -> list[TermCount]:
    """Count matching pages and documents for each term (a watchlist run)."""
    out: list[TermCount] = []
    for raw in terms:
        term = raw.strip()
        if not term or term.startswith("#"):
            continue
        try:
            check_text(term, "term")
            out.append(_count_term(conn, term))
        except QueryError as e:
            shown = term if len(term) <= 200 else term[:200] + "…"
            out.append(TermCount(shown.encode("utf-8", "replace").decode(), 0, 0, str(e)))
    return out


@guarded
def _count_term(conn: sqlite3.Connection, term: str) -> TermCount:
    plan = compile_query(conn, term)
    frm, where, params = _from(plan)
    pages, docs = conn.execute(
        f"SELECT count(*), count(DISTINCT p.document_id) FROM {frm} WHERE {where}", params
    ).fetchone()
    return TermCount(term, pages, docs)


# -- viewer helpers ------------------------------------------------------------------
@guarded
def matching_pages(conn: sqlite3.Connection, query: str, document_id: int) -> list[int]:
    """Numbers of the pages of one document that match `query` (for next/previous hit)."""
    plan = compile_query(conn, query)
    frm, where, params = _from(plan)
    rows = conn.execute(
        f"SELECT p.number FROM {frm} WHERE {where} AND p.document_id = ? ORDER BY p.number",
        [*params, document_id],
    ).fetchall()
    return [r[0] for r in rows]


@dataclass(frozen=True)
class PageHighlight:
    """A page's text with matches marked, and which of its word boxes to light."""

    text: str  # with MARK_START/MARK_END
    boxes: frozenset[int]  # indexes into the page's word boxes


@guarded
def highlight_page(
    conn: sqlite3.Connection, query: str | None, page_id: int, words: Sequence[str] = ()
) -> PageHighlight:
    """Mark the query's terms, phrases and NEAR groups on one page, as FTS5 matches them.

    Any positive part of the query is marked, not only on pages that match it
    all, so a reader sees every place a term occurs. `words` are the texts of
    the page's word boxes; the ones holding a marked token are returned.
    """
    row = conn.execute("SELECT text FROM pages WHERE id = ?", (page_id,)).fetchone()
    plain = row[0] if row else ""
    if not query:
        return PageHighlight(plain, frozenset())
    try:
        plan = compile_query(conn, query)
    except QueryError:
        return PageHighlight(plain, frozenset())
    if plan.highlight is None:
        return PageHighlight(plain, frozenset())
    hit = conn.execute(
        "SELECT highlight(pages_fts, 0, ?, ?) FROM pages_fts WHERE pages_fts MATCH ? AND rowid = ?",
        (MARK_START, MARK_END, plan.highlight, page_id),
    ).fetchone()
    if hit is None:
        return PageHighlight(plain, frozenset())
    marked: str = hit[0]
    return PageHighlight(marked, frozenset(marked_boxes(marked, words)))


@guarded
def find_bates(conn: sqlite3.Connection, bates: str) -> tuple[int, int] | None:
    """(document id, page number) of the page stamped `bates`, or None."""
    parse_bates(bates)
    sql, params = bates_sql(bates.strip())
    row = conn.execute(
        f"SELECT p.document_id, p.number FROM pages p WHERE {sql} ORDER BY p.id LIMIT 1", params
    ).fetchone()
    return (row[0], row[1]) if row else None

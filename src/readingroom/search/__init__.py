"""Full-text search over pages: the query language, FTS5 backend, facets, snippets.

The library is what the CLI, the web pages and the JSON API all call::

    from readingroom.search import search
    result = search(inv.reader(), 'quota office:"El Paso" -training', limit=20)

Analysers extend search without touching it by writing rows to `page_facets`:
every facet name there becomes a `name:value` filter and a facet count.
"""

from __future__ import annotations

from readingroom.search.compile import (
    BUILTIN_FIELDS,
    compile_query,
    facet_names,
    filter_term,
    toggle_filter,
)
from readingroom.search.engine import (
    SORTS,
    DocumentHits,
    Facet,
    FacetValue,
    Hit,
    PageHighlight,
    SearchResult,
    TermCount,
    count_terms,
    find_bates,
    highlight_page,
    marked_to_html,
    matching_pages,
    search,
    strip_marks,
)
from readingroom.search.labels import facet_label, stored_values
from readingroom.search.marks import MARK_END, MARK_START, marked_boxes
from readingroom.search.query import parse

__all__ = [
    "BUILTIN_FIELDS",
    "MARK_END",
    "MARK_START",
    "SORTS",
    "DocumentHits",
    "Facet",
    "FacetValue",
    "Hit",
    "PageHighlight",
    "SearchResult",
    "TermCount",
    "compile_query",
    "count_terms",
    "facet_label",
    "facet_names",
    "filter_term",
    "find_bates",
    "highlight_page",
    "marked_boxes",
    "marked_to_html",
    "matching_pages",
    "parse",
    "search",
    "stored_values",
    "strip_marks",
    "toggle_filter",
]

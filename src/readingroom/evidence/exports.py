"""Rows as CSV or JSON, the same from the command line and the browser.

CSV is what a spreadsheet opens: UTF-8 with a byte-order mark (Excel reads
accents right), one header row, and cells that start with = + - @ prefixed
with an apostrophe so a quote from a record is never run as a formula.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from readingroom.store.reading import KEY_CHARS

__all__ = ["finding_rows", "to_csv", "to_json"]

_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        value = json.dumps(value, ensure_ascii=False)
    text = str(value)
    if text.startswith(_FORMULA) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def to_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> str:
    buf = io.StringIO()
    buf.write("\ufeff")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(columns)
    for r in rows:
        w.writerow([_cell(r.get(c)) for c in columns])
    return buf.getvalue()


def to_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)


FINDING_COLUMNS = (
    "finding_id",
    "claim",
    "status",
    "citation_id",
    "document",
    "document_key",
    "page",
    "bates",
    "quote",
    "state",
    "link",
)


def finding_rows(findings: Iterable[Mapping[str, Any]], base_url: str = "") -> list[dict[str, Any]]:
    """One row per citation (a finding without one still gets a row)."""
    rows: list[dict[str, Any]] = []
    for f in findings:
        cites = f.get("citations") or [{}]
        for c in cites:
            key = str(c.get("sha256") or "")[:KEY_CHARS]
            rows.append(
                {
                    "finding_id": f["id"],
                    "claim": f["claim"],
                    "status": f["status"],
                    "citation_id": c.get("id"),
                    "document": c.get("document"),
                    "document_key": key or None,
                    "page": c.get("page"),
                    "bates": c.get("bates"),
                    "quote": c.get("exact"),
                    "state": c.get("state"),
                    "link": f"{base_url}/doc/{key}?page={c.get('page')}" if key else None,
                }
            )
    return rows


#: Documents a search export holds at most; a bigger result is cut and says so.
SEARCH_EXPORT_LIMIT = 5000
SEARCH_COLUMNS = (
    "document_key", "document", "title", "type", "date", "production", "page", "bates",
    "source", "snippet", "link",
)  # fmt: skip


def search_rows(
    conn: Any, query: str, *, sort: str = "relevance", base_url: str = ""
) -> list[dict[str, Any]]:
    """One row per matching page (up to 50 per document), for review in a spreadsheet."""
    from readingroom.search import search
    from readingroom.search.marks import MARK_END, MARK_START

    result = search(conn, query, limit=SEARCH_EXPORT_LIMIT, sort=sort, hits_per_document=50,
                    facets=False, collapse=False)  # fmt: skip
    rows = []
    for d in result.documents:
        for h in d.hits:
            rows.append(
                {
                    "document_key": d.key, "document": d.name, "title": d.title,
                    "type": d.doc_type, "date": d.date, "production": d.production,
                    "page": h.number, "bates": h.bates, "source": h.source,
                    "snippet": " ".join(
                        h.snippet.replace(MARK_START, "[").replace(MARK_END, "]").split()
                    ),
                    "link": f"{base_url}/doc/{d.key}?page={h.number}",
                }
            )  # fmt: skip
    return rows


TERM_COLUMNS = ("term", "pages", "documents", "error")


def term_rows(counts: Iterable[Any]) -> list[dict[str, Any]]:
    return [
        {"term": c.term, "pages": c.pages, "documents": c.documents, "error": c.error}
        for c in counts
    ]


def download(text: str, name: str, fmt: str) -> Any:
    """A file download response (CSV or JSON) for the web views."""
    from fastapi.responses import Response

    media = "text/csv; charset=utf-8" if fmt == "csv" else "application/json"
    return Response(
        text, media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'},
    )  # fmt: skip


def as_download(rows: list[dict[str, Any]], columns: Sequence[str], name: str, fmt: str) -> Any:
    text = to_csv(rows, columns) if fmt == "csv" else to_json({name: rows})
    return download(text, name, fmt)

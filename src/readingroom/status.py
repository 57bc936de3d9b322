"""What an investigation holds and what went wrong: the data behind `status` and `errors`."""

from __future__ import annotations

from typing import Any

from readingroom.investigation import Investigation
from readingroom.store import documents, pages
from readingroom.store import errors as error_records


def status(inv: Investigation) -> dict[str, Any]:
    db = inv.db
    docs = documents.document_totals(db)
    page_counts = pages.page_totals(db)
    return {
        "investigation": str(inv.root),
        "documents": docs["documents"],
        "documents_by_status": docs["documents_by_status"],
        "documents_by_type": docs["documents_by_type"],
        "pages": page_counts["pages"],
        "pages_by_source": page_counts["pages_by_source"],
        "locations": docs["locations"],
        "errors": error_records.count_errors(db),
        "errors_by_kind": error_records.count_errors_by_kind(db),
        "productions": documents.production_summaries(db),
        "bytes": docs["bytes"],
    }


def errors(
    inv: Investigation, *, kind: str | None = None, limit: int | None = None
) -> list[dict[str, Any]]:
    return error_records.list_errors(inv.db, kind=kind, limit=limit)

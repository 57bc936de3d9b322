"""What an investigation holds and what went wrong: the data behind `status` and `errors`."""

from __future__ import annotations

from typing import Any

from readingroom.investigation import Investigation


def status(inv: Investigation) -> dict[str, Any]:
    db = inv.db

    def pairs(sql: str) -> dict[str, int]:
        return {str(k): int(v) for k, v in db.execute(sql).fetchall()}

    productions = [
        dict(row)
        for row in db.execute(
            "SELECT p.name, p.received, count(DISTINCT d.id) AS documents,"
            " coalesce(sum(d.page_count), 0) AS pages"
            " FROM productions p LEFT JOIN documents d ON d.production_id = p.id"
            " GROUP BY p.id ORDER BY p.name"
        )
    ]
    return {
        "investigation": str(inv.root),
        "documents": db.execute("SELECT count(*) FROM documents").fetchone()[0],
        "documents_by_status": pairs("SELECT status, count(*) FROM documents GROUP BY status"),
        "documents_by_type": pairs("SELECT doc_type, count(*) FROM documents GROUP BY doc_type"),
        "pages": db.execute("SELECT count(*) FROM pages").fetchone()[0],
        "pages_by_source": pairs("SELECT source, count(*) FROM pages GROUP BY source"),
        "locations": db.execute("SELECT count(*) FROM locations").fetchone()[0],
        "errors": db.execute("SELECT count(*) FROM errors").fetchone()[0],
        "errors_by_kind": pairs("SELECT kind, count(*) FROM errors GROUP BY kind"),
        "productions": productions,
        "bytes": db.execute("SELECT coalesce(sum(size), 0) FROM documents").fetchone()[0],
    }


def errors(
    inv: Investigation, *, kind: str | None = None, limit: int | None = None
) -> list[dict[str, Any]]:
    sql = "SELECT id, document_id, path, stage, kind, message, created_at FROM errors"
    args: list[Any] = []
    if kind:
        sql += " WHERE kind = ?"
        args.append(kind)
    sql += " ORDER BY id"
    if limit:
        sql += " LIMIT ?"
        args.append(limit)
    return [dict(row) for row in inv.db.execute(sql, args)]

"""`readingroom search --export csv|json`: every matching page, for review elsewhere."""

from __future__ import annotations

import sqlite3
import sys

from readingroom.errors import BadArguments
from readingroom.evidence import exports

__all__ = ["export_search"]


def export_search(conn: sqlite3.Connection, query: str, *, sort: str, fmt: str) -> None:
    if fmt not in ("csv", "json"):
        raise BadArguments(f"--export {fmt}: csv or json")
    rows = exports.search_rows(conn, query, sort=sort)
    if fmt == "csv":
        sys.stdout.write(exports.to_csv(rows, exports.SEARCH_COLUMNS).lstrip("\ufeff"))
    else:
        sys.stdout.write(exports.to_json({"query": query, "pages": rows}) + "\n")

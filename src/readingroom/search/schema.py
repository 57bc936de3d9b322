"""Indexes search adds to the core schema (`pages_fts` itself is core: store/schema.py).

`bates:` filters compare a Bates number's prefix and counter separately, so
`DFE 000100..000200` matches whatever spacing or padding the stamp used; an
index on exactly those expressions keeps such lookups off a table scan.
"""

from __future__ import annotations

from readingroom.store.schema import Migration

#: SQL for the normalised prefix and the counter of a Bates number in `pages.bates`.
#: The query compiler uses the same text so SQLite can use the expression index.
BATES_PREFIX_SQL = (
    "upper(replace(replace(replace(rtrim({col}, '0123456789'), ' ', ''), '-', ''), '_', ''))"
)
BATES_NUMBER_SQL = "CAST(substr({col}, length(rtrim({col}, '0123456789')) + 1) AS INTEGER)"

MIGRATIONS: list[Migration] = [
    (
        "search-0001",
        f"""
        CREATE INDEX IF NOT EXISTS pages_bates_key ON pages(
            {BATES_PREFIX_SQL.format(col="bates")}, {BATES_NUMBER_SQL.format(col="bates")}
        ) WHERE bates IS NOT NULL;
        CREATE INDEX IF NOT EXISTS documents_date ON documents(date);
        """,
    ),
    # Page text sits inline before `source` and `bates`, so reading those for
    # every matching page walked the text's overflow pages: a covering index
    # makes gathering 100,000 hits about twice as fast.
    (
        "search-0002",
        "CREATE INDEX IF NOT EXISTS pages_hit ON pages(id, document_id, number, source, bates);",
    ),
]

"""Users open readingroom.db in Datasette: full-text search must work there too."""

from __future__ import annotations

import asyncio
import json

import pytest

from readingroom.investigation import Investigation

Filled = tuple[Investigation, dict[str, int]]


def test_datasette_detects_and_searches_pages_fts(filled: Filled) -> None:
    datasette_app = pytest.importorskip("datasette.app")
    from datasette.utils import detect_fts

    inv, _ = filled
    assert detect_fts(inv.db, "pages") == "pages_fts"

    async def run() -> list[dict[str, object]]:
        ds = datasette_app.Datasette([str(inv.db_path)], immutables=[])
        response = await ds.client.get(
            "/readingroom/pages.json?_search=quota&_shape=array&_col=bates"
        )
        assert response.status_code == 200, response.text
        return json.loads(response.text)

    rows = asyncio.run(run())
    assert sorted(str(r["bates"]) for r in rows) == [
        "DFE 000100",
        "DFE 000101",
        "DFE 000200",
        "None",
    ]


def test_fts_index_follows_page_edits(filled: Filled) -> None:
    """The recreated FTS table still has its triggers: edits and deletes reach search."""
    inv, _ = filled
    db = inv.db
    db.execute("UPDATE pages SET text = 'zanzibar memo' WHERE bates = 'CBP 000001'")
    db.execute(
        "DELETE FROM page_facets WHERE page_id IN (SELECT id FROM pages WHERE bates = 'DFE 000201')"
    )
    db.execute("DELETE FROM pages WHERE bates = 'DFE 000201'")
    db.commit()
    count = db.execute("SELECT count(*) FROM pages_fts WHERE pages_fts MATCH ?", ("zanzibar",))
    assert count.fetchone()[0] == 1
    gone = db.execute(
        "SELECT count(*) FROM pages_fts WHERE pages_fts MATCH ?", ('"Houston arrests"',)
    )
    assert gone.fetchone()[0] == 0

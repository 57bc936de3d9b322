"""Figures in context ("240 targets", "49 arrests … 17 collateral") and per-office table totals.

Runs after `mentions`' logic (it reads the same watchlist itself, so it can run
alone): a figure is bound to the office and operation its sentence names,
else the ones named last before it in the document.
"""

from __future__ import annotations

from readingroom.analyse.base import BaseAnalyser, DocIn, Findings
from readingroom.evidence.figures import find_figures, table_totals
from readingroom.evidence.watchlists import find_mentions, operation_names, watchlist

MIGRATIONS = [
    (
        "figures-0001",
        """
    CREATE TABLE figures (
        id INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents(id),
        page_id INTEGER NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
        value REAL NOT NULL,
        high REAL,                     -- upper end of a range ("8,400 to 10,000")
        unit TEXT NOT NULL,            -- arrests | targets | collateral | leads | teams ...
        per TEXT,                      -- week | day | month | shift
        goal INTEGER NOT NULL,         -- 1: a target, minimum or quota; 0: a count
        office TEXT,
        operation TEXT,
        start INTEGER NOT NULL,        -- character span in the page text
        end INTEGER NOT NULL,
        sentence TEXT NOT NULL
    );
    CREATE INDEX figures_document ON figures(document_id);

    -- Per-office sums of a table's numeric columns (spreadsheets, CSV): aggregates only.
    CREATE TABLE table_totals (
        id INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents(id),
        page_id INTEGER NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
        office TEXT NOT NULL,
        measure TEXT NOT NULL,         -- the column's header
        total REAL NOT NULL,
        rows INTEGER NOT NULL
    );
    CREATE INDEX table_totals_document ON table_totals(document_id);
    """,
    )
]


class Figures(BaseAnalyser):
    name = "figures"
    version = "3"
    tables = ("figures", "table_totals")

    def run(self, doc: DocIn) -> Findings:
        wl = watchlist(doc.pack)
        known = operation_names([p.text for p in doc.pages], wl)
        found = Findings()
        state: dict[str, str | None] = {}
        for page in doc.pages:
            mentions = find_mentions(page.text, wl, known)
            for f in find_figures(page.text, mentions, state):
                found.add(
                    "figures", document_id=doc.id, page_id=page.id, value=f.value, high=f.high,
                    unit=f.unit, per=f.per, goal=int(f.goal), office=f.office,
                    operation=f.operation, start=f.start, end=f.end, sentence=f.sentence,
                )  # fmt: skip
        names: dict[str, str] = {}
        for off in doc.pack.get("offices", []):
            if isinstance(off, dict) and "name" in off:
                for n in (off["name"], off.get("code", ""), *off.get("aliases", [])):
                    if n:
                        names[str(n).lower()] = str(off["name"])
        page_ids = {p.number: p.id for p in doc.pages}
        for t in table_totals([(p.number, p.text) for p in doc.pages], names):
            found.add(
                "table_totals", document_id=doc.id, page_id=page_ids[t.first_page],
                office=t.office, measure=t.measure, total=t.total, rows=t.rows,
            )  # fmt: skip
        return found


ANALYSER = Figures()

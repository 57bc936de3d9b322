"""A small investigation built row by row, so search tests need no ingest."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from readingroom.ingest.model import Word
from readingroom.investigation import Investigation
from readingroom.store import encode_words


@dataclass(frozen=True)
class PageSpec:
    text: str
    bates: str | None = None
    source: str = "text"
    confidence: float | None = None
    facets: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class DocSpec:
    name: str
    doc_type: str
    production: str
    date: str | None
    pages: tuple[PageSpec, ...]
    title: str | None = None
    parent: str | None = None  # name of the parent document


def words_for(text: str, width: float = 612.0) -> list[Word]:
    """Lay text out as a simple grid of word boxes in PDF points from the top-left."""
    words, x, y = [], 72.0, 72.0
    for token in text.split():
        w = 6.0 * len(token)
        if x + w > width - 72:
            x, y = 72.0, y + 14.0
        words.append(Word(x, y, x + w, y + 11.0, token, 91.0))
        x += w + 5
    return words


DOCS: tuple[DocSpec, ...] = (
    DocSpec(
        "elpaso-quota-memo.pdf",
        "pdf",
        "ICE-2019-ICLI-00052",
        "2017-08-14",
        (
            PageSpec(
                "El Paso field office arrest quota for August. Targets and collateral "
                "arrests are counted separately.",
                "DFE 000100",
                facets=(("office", "El Paso"), ("exemption", "(b)(6)")),
            ),
            PageSpec(
                "Training schedule for officers in El Paso. No quota discussion.",
                "DFE 000101",
                facets=(("office", "El Paso"),),
            ),
            PageSpec(
                "Operation Mega planning: surge of collateral arrests expected.",
                "DFE 000102",
                source="ocr",
                confidence=78.5,
                facets=(("office", "El Paso"), ("exemption", "(b)(7)(C)")),
            ),
        ),
        title="El Paso quota memo",
    ),
    DocSpec(
        "targets-email.eml",
        "email",
        "ICE-2019-ICLI-00052",
        "2017-09-02",
        (
            PageSpec(
                "From: Field Office Director Subject: weekly targets for Houston office. "
                "The quota of arrest targets stays at 75.",
                "DFE 000200",
                facets=(("office", "Houston"), ("from", "fod@ice.dhs.gov")),
            ),
        ),
        title="weekly targets",
    ),
    DocSpec(
        "attachment-table.xlsx",
        "spreadsheet",
        "ICE-2019-ICLI-00052",
        "2017-09-02",
        (PageSpec("Houston arrests by week: targets 60 collateral 15.", "DFE 000201"),),
        parent="targets-email.eml",
    ),
    DocSpec(
        "falcon-contract.pdf",
        "pdf",
        "CBP-2020-0001",
        "2019-01-20",
        (
            PageSpec(
                "FALCON search and analysis system contract with Palantir.",
                "CBP 000001",
                source="ocr",
                confidence=64.0,
            ),
            PageSpec(
                "Withheld pursuant to exemption (b)(4) and (b)(7)(E).",
                "CBP 000002",
                facets=(("exemption", "(b)(7)(E)"),),
            ),
        ),
    ),
    DocSpec(
        "undated-notes.txt",
        "text",
        "CBP-2020-0001",
        None,
        (PageSpec("Handwritten notes about quotas and the training budget."),),
    ),
)


def insert_docs(inv: Investigation, docs: tuple[DocSpec, ...] = DOCS) -> dict[str, int]:
    """Insert documents and pages directly; return document ids by name."""
    db = inv.db
    ids: dict[str, int] = {}
    for n, doc in enumerate(docs):
        db.execute("INSERT OR IGNORE INTO productions(name) VALUES (?)", (doc.production,))
        prod = db.execute("SELECT id FROM productions WHERE name = ?", (doc.production,)).fetchone()
        parent = ids.get(doc.parent) if doc.parent else None
        cur = db.execute(
            "INSERT INTO documents(sha256, size, name, mime, doc_type, parent_id, root_id,"
            " production_id, depth, title, date, page_count, status, metadata)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'done', ?)",
            (
                hashlib.sha256(doc.name.encode()).hexdigest(),  # the same file, the same hash
                100 + n,
                doc.name,
                "application/octet-stream",
                doc.doc_type,
                parent,
                parent,
                prod[0],
                1 if parent else 0,
                doc.title,
                doc.date,
                len(doc.pages),
                json.dumps({"custodian": "records office"}),
            ),
        )
        doc_id = int(cur.lastrowid or 0)
        ids[doc.name] = doc_id
        for number, page in enumerate(doc.pages, start=1):
            pcur = db.execute(
                "INSERT INTO pages(document_id, number, text, source, ocr_confidence, width,"
                " height, words, bates) VALUES (?, ?, ?, ?, ?, 612, 792, ?, ?)",
                (
                    doc_id,
                    number,
                    page.text,
                    page.source,
                    page.confidence,
                    encode_words(words_for(page.text)),
                    page.bates,
                ),
            )
            for facet, value in page.facets:
                db.execute(
                    "INSERT INTO page_facets(page_id, facet, value, source) VALUES (?, ?, ?, ?)",
                    (pcur.lastrowid, facet, value, "test"),
                )
    db.commit()
    return ids


@pytest.fixture
def filled(tmp_path: Path) -> Iterator[tuple[Investigation, dict[str, int]]]:
    inv = Investigation.create(tmp_path / "inv")
    ids = insert_docs(inv)
    yield inv, ids
    inv.close()


#: One page with the phrase "arrest targets" once, its words apart elsewhere,
#: "quotas" (a stem of quota), "quotation" (a prefix of quot*) and a NEAR pair.
PHRASE_PAGE = (
    "Arrest numbers rose. The targets were set weekly. "
    "Officers must meet arrest targets for the office. "
    "Quotas, a quotation from the memo, and collateral far away from any other word here: "
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty arrest."
)


@pytest.fixture
def phrase_page(tmp_path: Path) -> Iterator[tuple[Investigation, int]]:
    """An investigation with PHRASE_PAGE as its only page; yields (inv, page id)."""
    inv = Investigation.create(tmp_path / "inv")
    spec = DocSpec("phrase.pdf", "pdf", "P-1", "2019-01-01", (PageSpec(PHRASE_PAGE, "P 000001"),))
    ids = insert_docs(inv, (spec,))
    page_id = inv.db.execute(
        "SELECT id FROM pages WHERE document_id = ?", (ids["phrase.pdf"],)
    ).fetchone()[0]
    yield inv, page_id
    inv.close()

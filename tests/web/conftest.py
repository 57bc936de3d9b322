"""A served investigation: the search fixtures plus a real PDF for page images."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pymupdf
import pytest
from fastapi.testclient import TestClient

from readingroom.ingest.model import Word
from readingroom.investigation import Investigation
from readingroom.store import encode_words
from readingroom.web import create_app


def _search_fixtures() -> ModuleType:
    """tests/search/conftest.py holds the row-by-row investigation; load it by path."""
    name = "_readingroom_search_fixtures"
    if name not in sys.modules:
        path = Path(__file__).parents[1] / "search" / "conftest.py"
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def attach_pdf(inv: Investigation, doc_id: int) -> bytes:
    """Give a document a real PDF original whose pages carry its page texts.

    Word boxes are re-read from the PDF, so highlight boxes must land on the
    rendered words.
    """
    db = inv.db
    texts = [
        r[0]
        for r in db.execute(
            "SELECT text FROM pages WHERE document_id = ? ORDER BY number", (doc_id,)
        )
    ]
    pdf = pymupdf.open()
    for text in texts:
        page = pdf.new_page(width=612, height=792)
        page.insert_textbox(pymupdf.Rect(72, 72, 540, 720), text, fontsize=13)
    data = pdf.tobytes()
    sha, size = inv.blobs.put_bytes(data)
    db.execute(
        "UPDATE documents SET sha256 = ?, size = ?, mime = 'application/pdf' WHERE id = ?",
        (sha, size, doc_id),
    )
    with pymupdf.open(stream=data, filetype="pdf") as reread:
        for number, page in enumerate(reread, start=1):
            words = [Word(w[0], w[1], w[2], w[3], w[4], None) for w in page.get_text("words")]
            db.execute(
                "UPDATE pages SET words = ? WHERE document_id = ? AND number = ?",
                (encode_words(words), doc_id, number),
            )
    db.commit()
    return data


def key(inv: Investigation, doc_id: int) -> str:
    """A document's permanent id, as URLs carry it: the start of its SHA-256."""
    from readingroom.store.reading import document_key

    sha = inv.db.execute("SELECT sha256 FROM documents WHERE id = ?", (doc_id,)).fetchone()[0]
    return document_key(sha)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Investigation, dict[str, int]]]:
    fixtures = _search_fixtures()
    inv = Investigation.create(tmp_path / "inv")
    docs = (
        *fixtures.DOCS,
        fixtures.DocSpec(
            "hostile.txt",
            "text",
            "CBP-2020-0001",
            "2018-02-01",
            (fixtures.PageSpec("<script>alert('owned')</script> quota & <b>bold</b>"),),
        ),
    )
    ids = fixtures.insert_docs(inv, docs)
    attach_pdf(inv, ids["elpaso-quota-memo.pdf"])
    yield inv, ids
    inv.close()


@pytest.fixture
def client(served: tuple[Investigation, dict[str, int]]) -> Iterator[TestClient]:
    app = create_app(served[0].root)
    with TestClient(app) as c:
        yield c

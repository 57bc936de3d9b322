"""Run analysers over an investigation: idempotent, versioned, resumable.

Each (document, `analyse:<name>`) pair is a stage row. A document is analysed
again only when that row is missing, not `done`, or at another version, so a
new analyser version re-runs only itself. Workers compute findings from plain
data; the parent writes them, one transaction per document and analyser,
after deleting that analyser's earlier rows for the document.

The runner knows analysers only through `base.Analyser` and the registry:
which ones exist, what they read, what they write and what they mask is
theirs to say.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from readingroom.analyse.base import Analyser, DocIn, Findings, PageIn
from readingroom.analyse.registry import by_name
from readingroom.investigation import Investigation
from readingroom.mask import mask_page
from readingroom.page import Word
from readingroom.store import findings as findings_store
from readingroom.store import transaction
from readingroom.store.errors import record_error
from readingroom.store.pages import document_pages
from readingroom.store.stages import record_stage

__all__ = ["AnalyseReport", "analyse_document", "load_document", "run_all"]

ProgressFn = Callable[[int, int], None]


@dataclass
class AnalyseReport:
    documents: int = 0
    pages: int = 0
    runs: dict[str, int] = field(default_factory=dict)  # analyser -> documents analysed
    failed: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0


def pending(
    conn: sqlite3.Connection, chosen: Sequence[Analyser], force: bool
) -> dict[int, list[str]]:
    """Document id -> names of analysers that must run on it."""
    todo: dict[int, list[str]] = {}
    for a in chosen:
        for doc_id in findings_store.analysable_documents(
            conn, analyser=a.name, version=a.version, doc_types=a.doc_types, force=force
        ):
            todo.setdefault(doc_id, []).append(a.name)
    return todo


def load_document(inv: Investigation, doc_id: int, pack: dict[str, Any] | None = None) -> DocIn:
    """One document's pages and original as analysers see them."""
    d = findings_store.document_for_analysis(inv.db, document_id=doc_id)
    pages = [
        PageIn(
            p["id"],
            p["number"],
            p["text"] or "",
            p["words"],
            p["width"] or 0.0,
            p["height"] or 0.0,
            p["source"],
            p.get("meta") or {},
        )
        for p in document_pages(inv.db, document_id=doc_id)
    ]
    blob: Path | None = inv.blobs.path(d["sha256"])
    if blob is not None and not blob.exists():
        blob = None
    return DocIn(
        d["id"],
        d["name"],
        d["doc_type"],
        pages,
        blob,
        d["production"],
        inv.pack if pack is None else pack,
    )


def mask_pages(doc: DocIn, masks: dict[int, list[Word]]) -> None:
    """Mask words in the in-memory pages, so analysers that run later never see them."""
    for page in doc.pages:
        hidden = masks.get(page.id)
        if hidden:
            page.text, page.words = mask_page(page.text, page.words, hidden)
            page.cache.clear()


def analyse_document(doc: DocIn, names: Sequence[str]) -> dict[str, Findings | str]:
    """Run the named analysers on one document; an analyser's failure is its message."""
    out: dict[str, Findings | str] = {}
    try:
        for a in by_name(list(names)):
            try:
                out[a.name] = found = a.run(doc)
            except Exception as e:  # one analyser's bug must not stop the others
                out[a.name] = f"{type(e).__name__}: {e}"
                continue
            if found.masks:
                mask_pages(doc, found.masks)
    finally:
        doc.close()
    return out


def write(conn: sqlite3.Connection, doc: DocIn, results: dict[str, Findings | str]) -> list[str]:
    """Replace each analyser's rows for the document; return analysers that failed."""
    failed = []
    for a in by_name(list(results)):
        found = results[a.name]
        stage = findings_store.analyser_stage(a.name)
        with transaction(conn):
            findings_store.clear_analyser_output(
                conn, document_id=doc.id, analyser=a.name, tables=a.tables
            )
            if isinstance(found, str):
                status = "failed"
                failed.append(a.name)
                record_error(
                    conn,
                    document_id=doc.id,
                    path=doc.name,
                    stage=stage,
                    kind="analyser",
                    message=found,
                )
            else:
                status = "done"
                a.store(conn, doc.id, found)
                store_masks(conn, found.masks)
                findings_store.add_page_facets(conn, source=a.name, facets=found.facets)
            record_stage(conn, document_id=doc.id, stage=stage, version=a.version, status=status)
    return failed


def store_masks(conn: sqlite3.Connection, masks: dict[int, list[Word]]) -> None:
    """Rewrite the stored text (and so the full-text index) without the masked words.

    The original file keeps them (it is evidence and is never altered);
    `readingroom redactions --reveal` reads them from there on request.
    """
    for page in findings_store.pages_to_mask(conn, page_ids=masks):
        hidden = masks[page["id"]]
        text, words = mask_page(page["text"], page["words"], hidden)
        findings_store.rewrite_masked_page(
            conn,
            page_id=page["id"],
            text=text,
            words=words,
            masked_words=len(hidden),
        )


def _docs(
    inv: Investigation, todo: dict[int, list[str]], pack: dict[str, Any]
) -> Iterator[tuple[DocIn, list[str]]]:
    for doc_id, names in todo.items():
        yield load_document(inv, doc_id, pack), names


def run_all(
    inv: Investigation,
    *,
    only: Sequence[str] | str | None = None,
    force: bool = False,
    progress: ProgressFn | None = None,
    executor: Executor | None = None,
    inflight: int = 8,
) -> AnalyseReport:
    """Run analysers on every document that needs them; safe to re-run.

    With an `executor` (e.g. ProcessPoolExecutor, a Dask client's executor),
    documents are analysed in workers, at most `inflight` at a time so memory
    stays bounded; without one, in this process.
    """
    t0 = time.perf_counter()
    chosen = by_name(only)
    todo = pending(inv.db, chosen, force)
    pack = inv.pack
    report = AnalyseReport()
    total = len(todo)

    def finish(doc: DocIn, results: dict[str, Findings | str]) -> None:
        failed = write(inv.db, doc, results)
        report.documents += 1
        report.pages += len(doc.pages)
        for n in results:
            if n not in failed:
                report.runs[n] = report.runs.get(n, 0) + 1
        for n in failed:
            report.failed.append({"document_id": doc.id, "analyser": n, "error": results[n]})
        if progress:
            progress(report.documents, total)

    if executor is None:
        for doc, names in _docs(inv, todo, pack):
            finish(doc, analyse_document(doc, names))
    else:
        window: list[tuple[DocIn, Future[dict[str, Findings | str]]]] = []
        for doc, names in _docs(inv, todo, pack):
            window.append((doc, executor.submit(analyse_document, doc, names)))
            if len(window) >= inflight:
                d, fut = window.pop(0)
                finish(d, fut.result())
        for d, fut in window:
            finish(d, fut.result())
    for a in chosen:
        if report.runs.get(a.name):
            a.finish_run(inv.db)
    report.seconds = time.perf_counter() - t0
    return report

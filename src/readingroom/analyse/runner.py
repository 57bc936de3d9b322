"""Run analysers over an investigation: idempotent, versioned, resumable.

Each (document, `analyse:<name>`) pair is a stage row. A document is analysed
again only when that row is missing, not `done`, or at another version, so a
new analyser version re-runs only itself. Workers compute findings from plain
data; the parent writes them, one transaction per document and analyser,
after deleting that analyser's earlier rows for the document.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from readingroom.analyse import bates, emails, exemptions, offices, redactions
from readingroom.analyse.base import DocIn, Findings, PageIn, default_store
from readingroom.errors import BadArguments
from readingroom.investigation import Investigation
from readingroom.store import decode_words

#: Every analyser, in the order they run on a document.
ANALYSERS: tuple[ModuleType, ...] = (bates, exemptions, offices, redactions, emails)
#: Document types with pages worth analysing.
PAGED_TYPES = ("pdf", "image", "text", "email", "word", "html")
ProgressFn = Callable[[int, int], None]


@dataclass
class AnalyseReport:
    documents: int = 0
    pages: int = 0
    runs: dict[str, int] = field(default_factory=dict)  # analyser -> documents analysed
    failed: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0


def by_name(only: Sequence[str] | str | None) -> tuple[ModuleType, ...]:
    if only is None:
        return ANALYSERS
    names = [only] if isinstance(only, str) else list(only)
    known = {a.name: a for a in ANALYSERS}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise BadArguments(f"unknown analyser {', '.join(unknown)}; known: {', '.join(known)}")
    return tuple(known[n] for n in names)


def stage(a: ModuleType) -> str:
    return f"analyse:{a.name}"


def pending(
    conn: sqlite3.Connection, analysers: Sequence[ModuleType], force: bool
) -> dict[int, list[str]]:
    """Document id -> names of analysers that must run on it."""
    todo: dict[int, list[str]] = {}
    marks = ",".join("?" * len(PAGED_TYPES))
    for a in analysers:
        if force:
            sql = (
                f"SELECT id FROM documents WHERE status = 'done' AND doc_type IN ({marks})"
                " AND page_count > 0"
            )
            params: list[Any] = list(PAGED_TYPES)
        else:
            sql = (
                f"SELECT d.id FROM documents d LEFT JOIN stages s ON s.document_id = d.id"
                f" AND s.stage = ? WHERE d.status = 'done' AND d.doc_type IN ({marks})"
                " AND d.page_count > 0"
                # A failure at this version is not retried on every run (it
                # would fail the same way); --force or a new version retries.
                " AND (s.version IS NULL OR s.version != ? OR s.status NOT IN ('done', 'failed'))"
            )
            params = [stage(a), *PAGED_TYPES, a.version]
        for (doc_id,) in conn.execute(sql, params):
            todo.setdefault(doc_id, []).append(a.name)
    return todo


def load_document(inv: Investigation, doc_id: int, pack: dict[str, Any] | None = None) -> DocIn:
    conn = inv.db
    d = conn.execute(
        "SELECT d.id, d.name, d.doc_type, d.sha256, p.name AS production FROM documents d"
        " LEFT JOIN productions p ON p.id = d.production_id WHERE d.id = ?",
        (doc_id,),
    ).fetchone()
    pages = [
        PageIn(
            r["id"],
            r["number"],
            r["text"] or "",
            decode_words(r["words"]),
            r["width"] or 0.0,
            r["height"] or 0.0,
            r["source"],
        )
        for r in conn.execute(
            "SELECT id, number, text, words, width, height, source FROM pages"
            " WHERE document_id = ? ORDER BY number",
            (doc_id,),
        )
    ]
    blob: Path | None = inv.blobs.path(d["sha256"])
    if blob is not None and not blob.exists():
        blob = None
    return DocIn(d["id"], d["name"], d["doc_type"], pages, blob, d["production"], pack or {})


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
            if found.extra.get("masks"):
                # Words under bad redactions: later analysers (e-mail bodies,
                # mentions) must never copy them into their own tables.
                redactions.apply_masks(doc, found.extra["masks"])
    finally:
        doc.close()
    return out


def write(conn: sqlite3.Connection, doc_id: int, results: dict[str, Findings | str]) -> list[str]:
    """Replace each analyser's rows for the document; return analysers that failed."""
    failed = []
    for a in by_name(list(results)):
        found = results[a.name]
        with conn:
            for table in a.tables:
                conn.execute(f"DELETE FROM {table} WHERE document_id = ?", (doc_id,))
            conn.execute(
                "DELETE FROM errors WHERE document_id = ? AND stage = ?", (doc_id, stage(a))
            )
            conn.execute(
                "DELETE FROM page_facets WHERE source = ? AND page_id IN"
                " (SELECT id FROM pages WHERE document_id = ?)",
                (a.name, doc_id),
            )
            if isinstance(found, str):
                status = "failed"
                failed.append(a.name)
                conn.execute(
                    "INSERT INTO errors (document_id, path, stage, kind, message)"
                    " SELECT id, name, ?, 'analyser', ? FROM documents WHERE id = ?",
                    (stage(a), found, doc_id),
                )
            else:
                status = "done"
                getattr(a, "store", default_store)(conn, doc_id, found)
                conn.executemany(
                    "INSERT OR IGNORE INTO page_facets (page_id, facet, value, source)"
                    " VALUES (?, ?, ?, ?)",
                    [(p, f, v[:200], a.name) for p, f, v in found.facets],
                )
            conn.execute(
                "INSERT INTO stages (document_id, stage, version, status, started_at, finished_at)"
                " VALUES (?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%SZ','now'),"
                " strftime('%Y-%m-%dT%H:%M:%SZ','now'))"
                " ON CONFLICT (document_id, stage) DO UPDATE SET version = excluded.version,"
                " status = excluded.status, finished_at = excluded.finished_at",
                (doc_id, stage(a), a.version, status),
            )
    return failed


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
    import time

    from readingroom.packs import load_pack

    t0 = time.perf_counter()
    analysers = by_name(only)
    todo = pending(inv.db, analysers, force)
    pack = load_pack("ice", inv.root / "packs")
    report = AnalyseReport()
    total = len(todo)

    def finish(doc: DocIn, results: dict[str, Findings | str]) -> None:
        failed = write(inv.db, doc.id, results)
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
    report.seconds = time.perf_counter() - t0
    return report

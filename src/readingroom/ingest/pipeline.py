"""Walk, hash, dispatch, store: the ingest pipeline.

The parent process owns the database (one writer) and the blob store's
top-level copies; workers only read blobs, extract, OCR and write child
blobs. Work is streamed: files are discovered lazily and at most a few tasks
per worker are in flight, so memory does not grow with the size of the input.

Idempotence and resumption rest on three facts:
- a document is its content (SHA-256): the same bytes are never processed twice;
- a document is `done` only when every chunk of its pages is stored, and pages
  are upserted on (document, number), so a re-run after a kill stores each page
  exactly once;
- on start, documents left `pending` by an interrupted run are scheduled again.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from readingroom.blobs import BlobStore
from readingroom.errors import BadArguments, InputError
from readingroom.ingest import registry
from readingroom.ingest.executor import KillableProcessExecutor
from readingroom.ingest.model import ChildFile, ExtractContext, Extraction, Limits, OcrMode
from readingroom.investigation import Investigation
from readingroom.store import encode_words

STAGE = "extract"
IGNORED_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}


class Progress(Protocol):
    """What the pipeline reports; the CLI draws a Rich bar from it."""

    def add_files(self, n: int) -> None: ...
    def file_done(self, pages: int) -> None: ...
    def pages_done(self, n: int) -> None: ...


class NullProgress:
    def add_files(self, n: int) -> None: ...
    def file_done(self, pages: int) -> None: ...
    def pages_done(self, n: int) -> None: ...


@dataclass
class IngestOptions:
    production: str | None = None
    received: str | None = None
    workers: int = max(1, os.cpu_count() or 1)
    ocr: OcrMode = "auto"
    ocr_engine: str = "tesseract"
    ocr_languages: str = "eng"
    timeout: float = 300.0  # seconds per task (one chunk of pages of one file)
    chunk_pages: int = 20
    retry_failed: bool = False
    limits: Limits = field(default_factory=Limits)


@dataclass
class IngestReport:
    files: int = 0  # files found on disk
    documents: int = 0  # documents extracted in this run (incl. attachments)
    skipped: int = 0  # already ingested (same content, same extractor version)
    duplicates: int = 0  # files whose content was already seen elsewhere
    pages: int = 0
    failed: int = 0
    errors: list[dict[str, str]] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0


@dataclass
class _Task:
    document_id: int
    sha256: str
    name: str  # file name for type guesses and messages
    display: str  # where the user finds it: path, or path!member
    extractor: str
    depth: int
    production_id: int | None
    start_page: int = 1


@dataclass
class _Failure:
    """A worker's exception, flattened so it always pickles."""

    kind: str
    message: str


def _extract_in_worker(ctx: ExtractContext, extractor: str) -> Extraction | _Failure:
    try:
        result = registry.by_name(extractor).extract(ctx)
        for page in result.pages:
            if page.words:
                page.words_blob = encode_words(page.words)
                page.words = []
        return result
    except InputError as e:
        # Libraries name the blob path; the user knows the file by its name.
        return _Failure(e.kind, str(e).replace(str(ctx.path), ctx.name))
    except MemoryError:
        return _Failure("limit", f"{ctx.name}: ran out of memory while extracting")
    except Exception as e:  # a parser bug must cost one file, not the batch
        where = traceback.extract_tb(e.__traceback__)[-1]
        return _Failure(
            "crash",
            f"{ctx.name}: {type(e).__name__}: {e} (in {Path(where.filename).name}:{where.lineno})",
        )


def walk(paths: Iterable[Path], skip: Path | None = None) -> Iterator[Path]:
    """Files under the given paths, in a stable order, lazily."""
    for p in paths:
        p = Path(p)
        if p.is_file():
            yield p
            continue
        if not p.exists():
            raise FileNotFoundError(f"{p}: no such file or directory")
        for root, dirs, files in os.walk(p):
            root_path = Path(root)
            if skip is not None and (root_path == skip or skip in root_path.parents):
                dirs[:] = []
                continue
            dirs.sort()
            for name in sorted(files):
                if name not in IGNORED_NAMES:
                    yield root_path / name


def count_files(paths: Iterable[Path], skip: Path | None = None) -> int:
    return sum(1 for _ in walk(paths, skip))


class Pipeline:
    def __init__(
        self,
        inv: Investigation,
        options: IngestOptions,
        *,
        executor: Executor | None = None,
        progress: Progress | None = None,
    ) -> None:
        self.inv = inv
        self.db: sqlite3.Connection = inv.db
        self.opts = options
        self.progress = progress or NullProgress()
        self._own_executor = executor is None
        self.executor = executor or KillableProcessExecutor(options.workers, options.timeout)
        self.blobs: BlobStore = inv.blobs
        self.report = IngestReport()
        self.queue: deque[_Task] = deque()
        self.inflight: dict[Future[Any], _Task] = {}
        self.outstanding: dict[int, int] = {}  # document id -> chunks not yet stored
        self.failed_docs: set[int] = set()
        self.max_inflight = max(2, options.workers * 2)
        self.production_id = self._production()

    # -- setup -------------------------------------------------------------------
    def _production(self) -> int | None:
        name = self.opts.production
        if not name:
            return None
        with self.db:
            self.db.execute(
                "INSERT INTO productions(name, received) VALUES (?, ?) "
                "ON CONFLICT(name) DO UPDATE SET received = coalesce(excluded.received, received)",
                (name, self.opts.received),
            )
        row = self.db.execute("SELECT id FROM productions WHERE name = ?", (name,)).fetchone()
        return int(row[0])

    # -- main loop ---------------------------------------------------------------
    def run(self, paths: list[Path]) -> IngestReport:
        started = time.monotonic()
        skip = self.inv.root
        self._resume_pending()
        files = walk(paths, skip)
        self.progress.add_files(count_files(paths, skip))
        exhausted = False
        try:
            while True:
                while len(self.inflight) < self.max_inflight:
                    if self.queue:
                        self._submit(self.queue.popleft())
                    elif not exhausted:
                        path = next(files, None)
                        if path is None:
                            exhausted = True
                        else:
                            self._register_file(path)
                    else:
                        break
                if not self.inflight:
                    if exhausted and not self.queue:
                        break
                    continue
                done, _ = wait(list(self.inflight), return_when=FIRST_COMPLETED)
                for fut in done:
                    task = self.inflight.pop(fut)
                    self._handle(task, fut)
        finally:
            if self._own_executor:
                interrupted = bool(self.inflight or self.queue)
                self.executor.shutdown(wait=not interrupted, cancel_futures=interrupted)
        self.report.seconds = time.monotonic() - started
        return self.report

    def _resume_pending(self) -> None:
        """Schedule documents an interrupted run left unfinished."""
        rows = self.db.execute(
            "SELECT d.id, d.sha256, d.name, d.depth, d.production_id, "
            "(SELECT path FROM locations l WHERE l.document_id = d.id ORDER BY l.id LIMIT 1) "
            "FROM documents d WHERE d.status = 'pending'"
        ).fetchall()
        for doc_id, sha, name, depth, prod, where in rows:
            if not self.blobs.has(sha):
                continue
            self.progress.add_files(1)
            self._schedule(doc_id, sha, name, where or name, depth, prod)

    # -- registering files and children -----------------------------------------
    def _register_file(self, path: Path) -> None:
        self.report.files += 1
        display = str(path)
        try:
            st = path.stat()
            key = str(path.resolve())
            row = self.db.execute(
                "SELECT sha256 FROM file_cache WHERE path = ? AND size = ? AND mtime_ns = ?",
                (key, st.st_size, st.st_mtime_ns),
            ).fetchone()
            if row and self.blobs.has(row[0]):
                sha, size = row[0], st.st_size
            else:
                if st.st_size > self.opts.limits.max_file_bytes:
                    self._error(None, display, "limit", f"{display}: file is larger than the limit")
                    self.progress.file_done(0)
                    return
                sha, size = self.blobs.put_file(path)
                with self.db:
                    self.db.execute(
                        "INSERT OR REPLACE INTO file_cache(path, size, mtime_ns, sha256) "
                        "VALUES (?, ?, ?, ?)",
                        (key, size, st.st_mtime_ns, sha),
                    )
        except OSError as e:
            self._error(None, display, "unreadable", f"{display}: cannot read ({e.strerror or e})")
            self.progress.file_done(0)
            return
        self._add_document(sha, size, path.name, display, key, None, "file", 0, self.production_id)

    def _add_document(
        self,
        sha: str,
        size: int,
        name: str,
        display: str,
        location: str,
        parent_id: int | None,
        kind: str,
        depth: int,
        production_id: int | None,
    ) -> None:
        with self.db:
            root_id = None
            if parent_id is not None:
                root_id = self.db.execute(
                    "SELECT coalesce(root_id, id) FROM documents WHERE id = ?", (parent_id,)
                ).fetchone()[0]
            cur = self.db.execute(
                "INSERT INTO documents(sha256, size, name, parent_id, root_id, production_id,"
                " depth) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(sha256) DO NOTHING",
                (sha, size, name, parent_id, root_id, production_id, depth),
            )
            is_new = cur.rowcount == 1
            doc = self.db.execute(
                "SELECT id, status, extractor, extractor_version FROM documents WHERE sha256 = ?",
                (sha,),
            ).fetchone()
            self.db.execute(
                "INSERT OR IGNORE INTO locations(document_id, production_id, parent_id, path, kind)"
                " VALUES (?, ?, ?, ?, ?)",
                (doc["id"], production_id, parent_id, location, kind),
            )
        if not is_new:
            self.report.duplicates += 1
            status = doc["status"]
            if status == "pending" and doc["id"] in self.outstanding:
                self.progress.file_done(0)
                return  # already scheduled in this run
            current = self._choose(sha, name)
            same_version = (doc["extractor"], doc["extractor_version"]) == (
                current.name,
                current.version,
            )
            if (status == "done" and same_version) or (
                status == "failed" and same_version and not self.opts.retry_failed
            ):
                self.report.skipped += 1
                self.progress.file_done(0)
                return
            self._schedule(doc["id"], sha, name, display, depth, production_id, current)
            return
        self._schedule(doc["id"], sha, name, display, depth, production_id)

    def _choose(self, sha: str, name: str) -> registry.Extractor:
        return registry.choose(name, registry.read_head(self.blobs.path(sha)))

    def _schedule(
        self,
        doc_id: int,
        sha: str,
        name: str,
        display: str,
        depth: int,
        prod: int | None,
        extractor: registry.Extractor | None = None,
    ) -> None:
        extractor = extractor or self._choose(sha, name)
        with self.db:
            self.db.execute(
                "DELETE FROM errors WHERE document_id = ? AND stage = ?", (doc_id, STAGE)
            )
            # New text means earlier findings (and masks over bad redactions)
            # no longer hold: every analyser must run on this document again.
            self.db.execute(
                "DELETE FROM stages WHERE document_id = ? AND stage LIKE 'analyse:%'", (doc_id,)
            )
            self.db.execute(
                "UPDATE documents SET status = 'pending', extractor = ?, extractor_version = ? "
                "WHERE id = ?",
                (extractor.name, extractor.version, doc_id),
            )
            self.db.execute(
                "INSERT OR REPLACE INTO stages(document_id, stage, version, status, started_at) "
                "VALUES (?, ?, ?, 'running', strftime('%Y-%m-%dT%H:%M:%SZ','now'))",
                (doc_id, STAGE, f"{extractor.name}/{extractor.version}"),
            )
        self.failed_docs.discard(doc_id)
        self.outstanding[doc_id] = 1
        self.queue.append(_Task(doc_id, sha, name, display, extractor.name, depth, prod))

    # -- running and collecting tasks -------------------------------------------
    def _submit(self, task: _Task) -> None:
        o = self.opts
        ctx = ExtractContext(
            path=self.blobs.path(task.sha256),
            name=task.name,
            sha256=task.sha256,
            blobs=self.blobs,
            ocr=o.ocr,
            ocr_engine=o.ocr_engine,
            ocr_languages=o.ocr_languages,
            limits=o.limits,
            depth=task.depth,
            start_page=task.start_page,
            chunk_pages=o.chunk_pages if self._paged(task.extractor) else o.limits.max_pages,
        )
        self.inflight[self.executor.submit(_extract_in_worker, ctx, task.extractor)] = task

    @staticmethod
    def _paged(extractor: str) -> bool:
        return bool(getattr(registry.by_name(extractor), "paged", False))

    def _handle(self, task: _Task, fut: Future[Any]) -> None:
        try:
            result = fut.result()
        except FutureTimeout:
            result = _Failure(
                "timeout",
                f"{task.display}: gave up after {self.opts.timeout:.0f} s "
                f"(pages from {task.start_page}); the parser hung or the file is too slow",
            )
        except Exception as e:  # the worker died (segfault, killed): the file is to blame
            result = _Failure("crash", f"{task.display}: worker died ({type(e).__name__}: {e})")
        if isinstance(result, _Failure):
            self._fail(task, result)
            return
        self._store(task, result)

    def _fail(self, task: _Task, failure: _Failure) -> None:
        message = failure.message
        if not message.startswith(task.display) and task.name in message:
            message = message.replace(task.name, task.display, 1)
        self._error(task.document_id, task.display, failure.kind, message)
        if task.document_id not in self.failed_docs:
            self.failed_docs.add(task.document_id)
            self.report.failed += 1
            with self.db:
                self.db.execute(
                    "UPDATE documents SET status = 'failed', updated_at = "
                    "strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id = ?",
                    (task.document_id,),
                )
                self.db.execute(
                    "UPDATE stages SET status = 'failed', finished_at = "
                    "strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE document_id = ? AND stage = ?",
                    (task.document_id, STAGE),
                )
        self._chunk_finished(task)

    def _store(self, task: _Task, ex: Extraction) -> None:
        doc_id = task.document_id
        with self.db:
            if task.start_page == 1:
                meta = dict(ex.metadata)
                if ex.warnings:
                    meta["warnings"] = ex.warnings
                self.db.execute(
                    "UPDATE documents SET doc_type = ?, mime = ?, title = ?, date = ?, "
                    "page_count = ?, metadata = ?,"
                    " updated_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id = ?",
                    (
                        ex.doc_type,
                        ex.mime,
                        ex.title,
                        ex.date,
                        ex.page_count if ex.page_count is not None else len(ex.pages),
                        json.dumps(meta, default=str),
                        doc_id,
                    ),
                )
            self.db.executemany(
                "INSERT INTO pages(document_id, number, text, source, ocr_engine, ocr_confidence,"
                " width, height, words, meta) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT(document_id, number) DO UPDATE SET text = excluded.text,"
                " source = excluded.source, ocr_engine = excluded.ocr_engine,"
                " ocr_confidence = excluded.ocr_confidence, width = excluded.width,"
                " height = excluded.height, words = excluded.words, meta = excluded.meta",
                [
                    (
                        doc_id,
                        p.number,
                        p.text,
                        p.source,
                        p.ocr_engine,
                        p.ocr_confidence,
                        p.width,
                        p.height,
                        p.words_blob or (encode_words(p.words) if p.words else None),
                        json.dumps(p.meta, default=str),
                    )
                    for p in ex.pages
                ],
            )
            for part, kind, message in ex.part_errors:
                self._error(doc_id, f"{task.display}!{part}", kind, message, commit=False)
        self.report.pages += len(ex.pages)
        self.progress.pages_done(len(ex.pages))
        if ex.warnings and task.start_page != 1:
            self._append_warnings(doc_id, ex.warnings)
        for child in ex.children:
            self._add_child(task, child)
        if task.start_page == 1 and ex.page_count:
            step = self.opts.chunk_pages
            for start in range(1 + len(ex.pages), ex.page_count + 1, step):
                self.outstanding[doc_id] += 1
                self.queue.append(
                    _Task(
                        doc_id,
                        task.sha256,
                        task.name,
                        task.display,
                        task.extractor,
                        task.depth,
                        task.production_id,
                        start_page=start,
                    )
                )
        self._chunk_finished(task)

    def _add_child(self, task: _Task, child: ChildFile) -> None:
        display = f"{task.display}!{child.name}"
        depth = task.depth + 1
        if depth > self.opts.limits.max_depth:
            self._error(
                task.document_id,
                display,
                "limit",
                f"{display}: nested deeper than {self.opts.limits.max_depth} levels; not extracted",
            )
            return
        self.progress.add_files(1)
        self._add_document(
            child.sha256,
            child.size,
            Path(child.name).name or child.name,
            display,
            child.name,
            task.document_id,
            child.kind,
            depth,
            task.production_id,
        )

    def _chunk_finished(self, task: _Task) -> None:
        doc_id = task.document_id
        self.outstanding[doc_id] -= 1
        if self.outstanding[doc_id] > 0:
            return
        del self.outstanding[doc_id]
        pages = 0
        if doc_id not in self.failed_docs:
            with self.db:
                count = self.db.execute(
                    "SELECT page_count FROM documents WHERE id = ?", (doc_id,)
                ).fetchone()[0]
                # A newer extractor may find fewer pages: drop the stale ones.
                self.db.execute(
                    "DELETE FROM pages WHERE document_id = ? AND number > ?", (doc_id, count or 0)
                )
                self.db.execute("UPDATE documents SET status = 'done' WHERE id = ?", (doc_id,))
                self.db.execute(
                    "UPDATE stages SET status = 'done', finished_at = "
                    "strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE document_id = ? AND stage = ?",
                    (doc_id, STAGE),
                )
            self.report.documents += 1
            pages = count or 0
        self.progress.file_done(pages)

    def _append_warnings(self, doc_id: int, warnings: list[str]) -> None:
        row = self.db.execute("SELECT metadata FROM documents WHERE id = ?", (doc_id,)).fetchone()
        meta = json.loads(row[0] or "{}")
        meta.setdefault("warnings", []).extend(warnings)
        with self.db:
            self.db.execute(
                "UPDATE documents SET metadata = ? WHERE id = ?", (json.dumps(meta), doc_id)
            )

    def _error(
        self, doc_id: int | None, path: str, kind: str, message: str, *, commit: bool = True
    ) -> None:
        record = {"path": path, "kind": kind, "message": message}
        self.report.errors.append(record)
        sql = "INSERT INTO errors(document_id, path, stage, kind, message) VALUES (?, ?, ?, ?, ?)"
        if commit:
            with self.db:
                self.db.execute(sql, (doc_id, path, STAGE, kind, message))
        else:
            self.db.execute(sql, (doc_id, path, STAGE, kind, message))


def ingest(
    inv: Investigation,
    paths: Iterable[Path | str],
    options: IngestOptions | None = None,
    *,
    executor: Executor | None = None,
    progress: Progress | None = None,
    on_start: Callable[[], None] | None = None,
) -> IngestReport:
    """Ingest files and folders into an investigation; safe to re-run and resume."""
    opts = options or IngestOptions()
    path_list = [Path(p) for p in paths]
    for p in path_list:
        if not p.exists():
            raise BadArguments(f"{p}: no such file or directory")
    if on_start:
        on_start()
    return Pipeline(inv, opts, executor=executor, progress=progress).run(path_list)

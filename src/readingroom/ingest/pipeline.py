"""Walk, hash, dispatch: the ingest pipeline's scheduling loop.

The parent process owns the database (one writer) and the blob store's
top-level copies; workers only read blobs, extract, OCR and write child
blobs. Work is streamed: files are discovered lazily and at most a few tasks
per worker are in flight, so memory does not grow with the size of the input.
This module decides what runs when; how anything is stored is the business
of `readingroom.store`, whose functions it calls.

Idempotence and resumption rest on three facts:
- a document is its content (SHA-256): the same bytes are never processed twice;
- a document is `done` only when every chunk of its pages is stored, and pages
  are upserted on (document, number), so a re-run after a kill stores each page
  exactly once;
- on start, documents left `pending` by an interrupted run are scheduled again.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from readingroom.blobs import BlobStore
from readingroom.errors import BadArguments, InputError, MissingDependency
from readingroom.filetypes import read_head
from readingroom.ingest import registry
from readingroom.ingest.executor import KillableProcessExecutor
from readingroom.ingest.model import (
    OCR_TIMEOUT,
    ChildFile,
    ExtractContext,
    Extraction,
    Limits,
    OcrMode,
)
from readingroom.investigation import Investigation
from readingroom.store import documents, encode_words, pages, stages, transaction
from readingroom.store import errors as error_records

log = logging.getLogger(__name__)

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
    ocr_timeout: float = OCR_TIMEOUT  # seconds per OCR program call (one page)
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
    """One chunk of one document's pages to extract (the first chunk admits the document)."""

    document_id: int  # 0 until the document is admitted
    sha256: str
    name: str  # file name for type guesses and messages
    display: str  # where the user finds it: path, or path!member
    extractor: str  # "" until scheduled
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
    except MissingDependency as e:  # e.g. no Tesseract: this file waits for an install
        return _Failure(e.kind, f"{ctx.name}: {e}")
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
    """The scheduling loop: files in, chunks of pages out to workers, results to the store.

    `run` keeps at most `max_inflight` tasks at the executor, feeding it from
    the queue of scheduled chunks first and from the file walk when the queue
    is empty. Everything written to the database goes through `readingroom.store`
    in one transaction per step, so a kill between steps loses no more than
    the step.
    """

    def __init__(
        self,
        inv: Investigation,
        options: IngestOptions,
        *,
        executor: Executor | None = None,
        progress: Progress | None = None,
    ) -> None:
        # Load every format before touching a file: a broken format module
        # stops the run here, named, instead of failing files one by one.
        registry.extractors()
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
        self.production_id: int | None = None
        if options.production:
            with transaction(self.db):
                self.production_id = documents.ensure_production(
                    self.db, name=options.production, received=options.received
                )

    # -- the loop ------------------------------------------------------------------
    def run(self, paths: list[Path]) -> IngestReport:
        started = time.monotonic()
        skip = self.inv.root
        log.info("ingest %s into %s", ", ".join(map(str, paths)), self.inv.root)
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
        r = self.report
        r.seconds = time.monotonic() - started
        log.info(
            "ingested %d files: %d documents, %d pages, %d skipped, %d failed in %.1f s",
            r.files,
            r.documents,
            r.pages,
            r.skipped,
            r.failed,
            r.seconds,
        )
        return r

    # -- admitting documents -----------------------------------------------------------
    def _resume_pending(self) -> None:
        """Schedule documents an interrupted run left unfinished."""
        for doc in documents.pending_documents(self.db):
            if not self.blobs.has(doc["sha256"]):
                continue
            self.progress.add_files(1)
            log.debug("resuming %s", doc["location"] or doc["name"])
            self._schedule(
                _Task(
                    document_id=doc["id"],
                    sha256=doc["sha256"],
                    name=doc["name"],
                    display=doc["location"] or doc["name"],
                    extractor="",
                    depth=doc["depth"],
                    production_id=doc["production_id"],
                )
            )

    def _register_file(self, path: Path) -> None:
        """Copy a file into the blob store (unless unchanged since last time) and admit it."""
        self.report.files += 1
        display = str(path)
        try:
            st = path.stat()
            key = str(path.resolve())
            sha = documents.cached_file(self.db, path=key, size=st.st_size, mtime_ns=st.st_mtime_ns)
            if sha and self.blobs.has(sha):
                size = st.st_size
            else:
                if st.st_size > self.opts.limits.max_file_bytes:
                    self._file_error(display, "limit", f"{display}: file is larger than the limit")
                    return
                sha, size = self.blobs.put_file(path)
                with transaction(self.db):
                    documents.remember_file(
                        self.db, path=key, size=size, mtime_ns=st.st_mtime_ns, sha256=sha
                    )
        except OSError as e:
            self._file_error(display, "unreadable", f"{display}: cannot read ({e.strerror or e})")
            return
        self._admit(
            _Task(
                document_id=0,
                sha256=sha,
                name=path.name,
                display=display,
                extractor="",
                depth=0,
                production_id=self.production_id,
            ),
            size=size,
            location=key,
            parent_id=None,
            kind="file",
        )

    def _admit(
        self, task: _Task, *, size: int, location: str, parent_id: int | None, kind: str
    ) -> None:
        """Record where content was seen; schedule it unless it is already extracted."""
        with transaction(self.db):
            doc_id, is_new, doc = documents.add_document(
                self.db,
                sha256=task.sha256,
                size=size,
                name=task.name,
                parent_id=parent_id,
                production_id=task.production_id,
                depth=task.depth,
                location=location,
                kind=kind,
            )
        task.document_id = doc_id
        if is_new:
            self._schedule(task)
            return
        self.report.duplicates += 1
        status = doc["status"]
        if status == "pending" and doc_id in self.outstanding:
            self.progress.file_done(0)
            return  # already scheduled in this run
        current = self._choose(task)
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
        self._schedule(task, current)

    def _choose(self, task: _Task) -> registry.Extractor:
        return registry.choose(task.name, read_head(self.blobs.path(task.sha256)))

    def _schedule(self, task: _Task, extractor: registry.Extractor | None = None) -> None:
        """Queue a document's first chunk; its earlier errors and analyses are void."""
        extractor = extractor or self._choose(task)
        doc_id = task.document_id
        with transaction(self.db):
            error_records.clear_errors(self.db, document_id=doc_id, stage=STAGE)
            # New text means earlier findings (and masks over bad redactions)
            # no longer hold: every analyser must run on this document again.
            stages.clear_analyser_stages(self.db, document_id=doc_id)
            documents.assign_extractor(
                self.db, document_id=doc_id, extractor=extractor.name, version=extractor.version
            )
            stages.start_stage(
                self.db,
                document_id=doc_id,
                stage=STAGE,
                version=f"{extractor.name}/{extractor.version}",
            )
        log.debug("schedule %s with %s/%s", task.display, extractor.name, extractor.version)
        self.failed_docs.discard(doc_id)
        self.outstanding[doc_id] = 1
        task.extractor = extractor.name
        self.queue.append(task)

    # -- running tasks -------------------------------------------------------------------
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
            ocr_timeout=o.ocr_timeout,
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
        else:
            self._collect(task, result)

    # -- results -------------------------------------------------------------------------
    def _fail(self, task: _Task, failure: _Failure) -> None:
        message = failure.message
        if not message.startswith(task.display) and task.name in message:
            message = message.replace(task.name, task.display, 1)
        doc_id = task.document_id
        with transaction(self.db):
            self._error(doc_id, task.display, failure.kind, message)
            if doc_id not in self.failed_docs:
                documents.set_status(self.db, document_id=doc_id, status="failed")
                stages.fail_stage(self.db, document_id=doc_id, stage=STAGE)
        if doc_id not in self.failed_docs:
            self.failed_docs.add(doc_id)
            self.report.failed += 1
        self._chunk_finished(task)

    def _collect(self, task: _Task, ex: Extraction) -> None:
        """Store a chunk's pages, then admit its children and queue the remaining chunks."""
        doc_id = task.document_id
        first = task.start_page == 1
        with transaction(self.db):
            if first:
                meta = dict(ex.metadata)
                if ex.warnings:
                    meta["warnings"] = ex.warnings
                documents.describe_document(
                    self.db,
                    document_id=doc_id,
                    doc_type=ex.doc_type,
                    mime=ex.mime,
                    title=ex.title,
                    date=ex.date,
                    page_count=ex.page_count if ex.page_count is not None else len(ex.pages),
                    metadata=meta,
                )
            elif ex.warnings:
                documents.add_warnings(self.db, document_id=doc_id, warnings=ex.warnings)
            pages.upsert_pages(self.db, document_id=doc_id, pages=ex.pages)
            for part, kind, message in ex.part_errors:
                self._error(doc_id, f"{task.display}!{part}", kind, message)
        log.debug("stored %s pages %d+%d", task.display, task.start_page, len(ex.pages))
        self.report.pages += len(ex.pages)
        self.progress.pages_done(len(ex.pages))
        for child in ex.children:
            self._add_child(task, child)
        if first and ex.page_count:
            for start in range(1 + len(ex.pages), ex.page_count + 1, self.opts.chunk_pages):
                self.outstanding[doc_id] += 1
                self.queue.append(replace(task, start_page=start))
        self._chunk_finished(task)

    def _add_child(self, task: _Task, child: ChildFile) -> None:
        display = f"{task.display}!{child.name}"
        depth = task.depth + 1
        if depth > self.opts.limits.max_depth:
            with transaction(self.db):
                self._error(
                    task.document_id,
                    display,
                    "limit",
                    f"{display}: nested deeper than {self.opts.limits.max_depth} levels;"
                    " not extracted",
                )
            return
        self.progress.add_files(1)
        self._admit(
            _Task(
                document_id=0,
                sha256=child.sha256,
                name=Path(child.name).name or child.name,
                display=display,
                extractor="",
                depth=depth,
                production_id=task.production_id,
            ),
            size=child.size,
            location=child.name,
            parent_id=task.document_id,
            kind=child.kind,
        )

    def _chunk_finished(self, task: _Task) -> None:
        """When a document's last chunk is in, it is done (unless a chunk failed)."""
        doc_id = task.document_id
        self.outstanding[doc_id] -= 1
        if self.outstanding[doc_id] > 0:
            return
        del self.outstanding[doc_id]
        count = 0
        if doc_id not in self.failed_docs:
            with transaction(self.db):
                count = documents.page_count(self.db, document_id=doc_id) or 0
                # A newer extractor may find fewer pages: drop the stale ones.
                pages.trim_pages(self.db, document_id=doc_id, keep=count)
                documents.set_status(self.db, document_id=doc_id, status="done")
                stages.finish_stage(self.db, document_id=doc_id, stage=STAGE)
            self.report.documents += 1
        self.progress.file_done(count)

    def _file_error(self, path: str, kind: str, message: str) -> None:
        """A file that never became a document (unreadable, over the size limit)."""
        with transaction(self.db):
            self._error(None, path, kind, message)
        self.progress.file_done(0)

    def _error(self, doc_id: int | None, path: str, kind: str, message: str) -> None:
        """Report and record an error, inside the caller's transaction."""
        log.info("%s: %s", kind, message)
        self.report.errors.append({"path": path, "kind": kind, "message": message})
        error_records.record_error(
            self.db, document_id=doc_id, path=path, stage=STAGE, kind=kind, message=message
        )


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

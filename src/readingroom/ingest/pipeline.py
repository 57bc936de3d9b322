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

Faults are data, never the end of a batch: every input that is not read (a
named pipe, a symlink leading outside the input, an unreadable folder) gets
an error record; names that are not UTF-8 are stored escaped, with their
bytes kept; each file has one time budget for all its pages. Only two things
stop a run: a full disk (`DiskFull`, everything stored so far kept, the next
run resumes) and a second ingest on the same investigation
(`InvestigationBusy`).
"""

from __future__ import annotations

import fcntl
import logging
import os
import sqlite3
import stat
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from readingroom import blobs as blob_store
from readingroom.blobs import BlobStore, disk_full, file_kind, is_disk_full
from readingroom.errors import (
    BadArguments,
    DiskFull,
    InputError,
    InvestigationBusy,
    MissingDependency,
    NotARegularFile,
)
from readingroom.filetypes import read_head
from readingroom.ingest import registry
from readingroom.ingest.executor import KillableProcessExecutor, default_memory_limit
from readingroom.ingest.model import (
    OCR_TIMEOUT,
    ChildFile,
    ExtractContext,
    Extraction,
    Limits,
    OcrMode,
)
from readingroom.ingest.names import printable, raw, storable
from readingroom.investigation import Investigation
from readingroom.store import documents, encode_words, pages, stages, transaction
from readingroom.store import errors as error_records

log = logging.getLogger(__name__)

STAGE = "extract"
IGNORED_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}
LOCK_NAME = "ingest.lock"
#: Said with every `crash`: a crash is readingroom's fault (or a library's), not the file's.
CRASH_HINT = (
    "; this is a bug in readingroom or a library it uses, not a problem with the file: "
    "please report it with this message"
)


class Progress(Protocol):
    """What the pipeline reports; the CLI draws a Rich bar from it."""

    def add_files(self, n: int) -> None: ...
    def file_done(self, pages: int) -> None: ...
    def pages_done(self, n: int) -> None: ...

    # Optional: `document_pages(name, done, total)` for long documents.


class NullProgress:
    def add_files(self, n: int) -> None: ...
    def file_done(self, pages: int) -> None: ...
    def pages_done(self, n: int) -> None: ...
    def document_pages(self, name: str, done: int, total: int) -> None: ...


@dataclass
class IngestOptions:
    production: str | None = None
    received: str | None = None
    workers: int = max(1, os.cpu_count() or 1)
    ocr: OcrMode = "auto"
    ocr_engine: str = "tesseract"
    ocr_languages: str = "eng"
    ocr_timeout: float = OCR_TIMEOUT  # seconds per OCR program call (one page)
    # Seconds one file may take in all (every chunk of its pages, summed as
    # worker time): a 2,000-page blank scan stops here, not after an hour.
    timeout: float = 1800.0
    chunk_pages: int = 20
    retry_failed: bool = False
    # Follow symlinks that lead outside the folders being ingested.
    follow_symlinks: bool = False
    # Address space one worker may use (bytes); None: the machine's memory
    # shared by the workers, 2-8 GiB. Past it a file is a `limit` record.
    memory_limit: int | None = None
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
    del blob_store.DISK_FULL_SEEN[:]
    started = time.monotonic()
    try:
        result = registry.by_name(extractor).extract(ctx)
        for page in result.pages:
            if page.words:
                page.words_blob = encode_words(page.words)
                page.words = []
        result.seconds = time.monotonic() - started
    except DiskFull as e:
        return _Failure("disk-full", str(e))
    except InputError as e:
        # Libraries name the blob path; the user knows the file by its name.
        return _Failure(e.kind, str(e).replace(str(ctx.path), ctx.name))
    except MissingDependency as e:  # e.g. no Tesseract: this file waits for an install
        return _Failure(e.kind, f"{ctx.name}: {e}")
    except MemoryError:
        return _Failure(
            "limit",
            f"{ctx.name}: needs more memory than a worker may use (pages larger than any "
            "limit caught earlier); not extracted",
        )
    except OSError as e:
        if is_disk_full(e):
            return _Failure("disk-full", str(disk_full(ctx.blobs.root, e)))
        return _Failure("crash", _crash_message(ctx.name, e))
    except Exception as e:  # a parser bug must cost one file, not the batch
        return _Failure("crash", _crash_message(ctx.name, e))
    if blob_store.DISK_FULL_SEEN:  # a format caught it and called the member unreadable
        return _Failure("disk-full", blob_store.DISK_FULL_SEEN[0])
    return result


def _crash_message(name: str, e: BaseException) -> str:
    where = traceback.extract_tb(e.__traceback__)[-1]
    return (
        f"{name}: {type(e).__name__}: {e} (in {Path(where.filename).name}:{where.lineno})"
        + CRASH_HINT
    )


@dataclass
class Found:
    """One thing met while walking the input: a file to read, or why it is not read."""

    path: Path
    kind: str = ""  # error kind when not to be read: unsupported, skipped, unreadable
    message: str = ""


def _inside(path: str, roots: list[str]) -> bool:
    return any(path == r or path.startswith(r.rstrip(os.sep) + os.sep) for r in roots)


def scan(
    paths: Iterable[Path], skip: Path | None = None, *, follow_symlinks: bool = False
) -> Iterator[Found]:
    """Everything under the given paths, in a stable order, lazily.

    Only regular files are to be read. Named pipes, sockets and devices,
    folders that cannot be listed, broken symlinks and symlinks that lead
    outside the given folders (unless `follow_symlinks`) come out with a
    `kind` and a message, so the pipeline records them instead of hanging on
    them or skipping them in silence. Symlinked folders inside the input are
    followed, each real folder once (no loops).
    """
    path_list = [Path(p) for p in paths]
    roots = [os.path.realpath(p) for p in path_list if p.is_dir()]
    skip_real = os.path.realpath(skip) if skip is not None else None
    seen_dirs: set[tuple[int, int]] = set()

    def entry(path: Path, given: bool) -> Iterator[Found]:
        try:
            st = path.lstat()
        except OSError as e:
            yield Found(path, "unreadable", f"{path}: cannot be read ({e.strerror or e})")
            return
        if stat.S_ISLNK(st.st_mode):
            target = os.path.realpath(path)
            if not given and not follow_symlinks and not _inside(target, roots):
                yield Found(
                    path,
                    "skipped",
                    f"{path}: a symlink to {target}, outside the folders being ingested; "
                    "not followed (--follow-symlinks reads it)",
                )
                return
            try:
                st = path.stat()
            except OSError as e:
                yield Found(
                    path, "unreadable", f"{path}: broken symlink to {target} ({e.strerror or e})"
                )
                return
        if stat.S_ISDIR(st.st_mode):
            yield from folder(path, st)
        elif stat.S_ISREG(st.st_mode):
            yield Found(path)
        else:
            yield Found(
                path,
                "unsupported",
                f"{path}: {file_kind(st.st_mode)}, not a regular file; not read",
            )

    def folder(path: Path, st: os.stat_result) -> Iterator[Found]:
        key = (st.st_dev, st.st_ino)
        if key in seen_dirs:
            return  # a symlink loop, or a folder reached twice
        seen_dirs.add(key)
        real = os.path.realpath(path)
        if skip_real is not None and _inside(real, [skip_real]):
            return  # the investigation's own folder
        try:
            with os.scandir(path) as it:
                names = sorted(e.name for e in it)
        except OSError as e:
            yield Found(
                path,
                "unreadable",
                f"{path}: folder cannot be read ({e.strerror or e}); nothing in it was ingested",
            )
            return
        for name in names:
            if name not in IGNORED_NAMES:
                yield from entry(path / name, False)

    for p in path_list:
        if not os.path.lexists(p):
            raise FileNotFoundError(f"{p}: no such file or directory")
        yield from entry(p, True)


def walk(paths: Iterable[Path], skip: Path | None = None) -> Iterator[Path]:
    """The regular files under the given paths that ingest reads, in a stable order, lazily."""
    return (f.path for f in scan(paths, skip) if not f.kind)


def count_files(paths: Iterable[Path], skip: Path | None = None) -> int:
    return sum(1 for _ in scan(paths, skip))


_HELD: dict[str, int] = {}  # investigation root -> depth of this process's hold


@contextmanager
def ingest_lock(inv: Investigation) -> Iterator[None]:
    """Hold the investigation for one ingest; a second one is refused, naming the first.

    An advisory `flock`, released by the kernel when the holder dies, so a
    killed run never leaves a stale lock. Re-entrant within one process.
    """
    key = str(inv.root)
    if _HELD.get(key):
        _HELD[key] += 1
        try:
            yield
        finally:
            _HELD[key] -= 1
        return
    path = inv.root / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "unknown"
            raise InvestigationBusy(
                f"another ingest is running on {inv.root} ({holder}); wait for it to "
                "finish, then run this one: it will do only what is left"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(
            fd, f"pid {os.getpid()}, started {time.strftime('%Y-%m-%d %H:%M:%S')}".encode(), 0
        )
        _HELD[key] = 1
        try:
            yield
        finally:
            del _HELD[key]
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


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
        self.executor = executor or KillableProcessExecutor(
            options.workers,
            options.timeout,
            memory_limit=options.memory_limit or default_memory_limit(options.workers),
        )
        self.blobs: BlobStore = inv.blobs
        self.report = IngestReport()
        self.queue: deque[_Task] = deque()
        self.inflight: dict[Future[Any], _Task] = {}
        self.outstanding: dict[int, int] = {}  # document id -> chunks not yet stored
        self.failed_docs: set[int] = set()
        self.spent: dict[int, float] = {}  # document id -> worker seconds used so far
        self.pages_seen: dict[int, int] = {}  # document id -> pages stored in this run
        self.started: dict[Future[Any], float] = {}
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
        swept = self.blobs.sweep_incoming()
        if swept:
            log.info("removed %d partial copies left by an interrupted run", swept)
        interrupted = True
        try:
            self._resume_pending()
            files = scan(paths, skip, follow_symlinks=self.opts.follow_symlinks)
            self.progress.add_files(
                sum(1 for _ in scan(paths, skip, follow_symlinks=self.opts.follow_symlinks))
            )
            self._loop(files)
            interrupted = False
        except (OSError, sqlite3.OperationalError) as e:
            if is_disk_full(e):
                raise disk_full(self.inv.root, e) from e
            raise
        finally:
            if self._own_executor:
                interrupted = interrupted or bool(self.inflight or self.queue)
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

    def _loop(self, files: Iterator[Found]) -> None:
        exhausted = False
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

    # -- admitting documents -----------------------------------------------------------
    def _resume_pending(self) -> None:
        """Schedule documents an interrupted run (or a full disk) left unfinished."""
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

    def _register_file(self, found: Found) -> None:
        """Copy a file into the blob store (unless unchanged since last time) and admit it."""
        self.report.files += 1
        path = found.path
        display = storable(str(path))
        if found.kind:
            self._file_error(display, found.kind, storable(found.message))
            return
        limit = self.opts.limits.max_file_bytes
        try:
            st = path.stat()
            real = str(path.resolve())
            key, raw_key = storable(real), raw(real)
            cache_key: str | bytes = raw_key if raw_key is not None else key
            sha = documents.cached_file(
                self.db, path=cache_key, size=st.st_size, mtime_ns=st.st_mtime_ns
            )
            if sha and self.blobs.has(sha) and stat.S_ISREG(st.st_mode):
                size = st.st_size
            else:
                if st.st_size > limit:
                    self._file_error(
                        display,
                        "limit",
                        f"{display}: {st.st_size} bytes, over the limit of {limit}",
                    )
                    return
                sha, size = self.blobs.put_file(path, max_bytes=limit)
                with transaction(self.db):
                    documents.remember_file(
                        self.db, path=cache_key, size=size, mtime_ns=st.st_mtime_ns, sha256=sha
                    )
        except OverflowError:
            self._file_error(
                display, "limit", f"{display}: grew past {limit} bytes while being read; not kept"
            )
            return
        except NotARegularFile as e:
            self._file_error(display, e.kind, storable(str(e)))
            return
        except OSError as e:
            if is_disk_full(e):
                raise
            self._file_error(display, "unreadable", f"{display}: cannot read ({e.strerror or e})")
            return
        self._admit(
            _Task(
                document_id=0,
                sha256=sha,
                name=storable(path.name),
                display=display,
                extractor="",
                depth=0,
                production_id=self.production_id,
            ),
            size=size,
            location=key,
            raw_location=raw_key,
            parent_id=None,
            kind="file",
            clear_path=display,
        )

    def _admit(
        self,
        task: _Task,
        *,
        size: int,
        location: str,
        parent_id: int | None,
        kind: str,
        raw_location: bytes | None = None,
        clear_path: str | None = None,
    ) -> None:
        """Record where content was seen; schedule it unless it is already extracted."""
        with transaction(self.db):
            if clear_path is not None:  # read now: an old "could not read" no longer holds
                error_records.clear_file_errors(self.db, path=clear_path, stage=STAGE)
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
                raw_location=raw_location,
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
        self.spent[doc_id] = 0.0
        task.extractor = extractor.name
        self.queue.append(task)

    # -- running tasks -------------------------------------------------------------------
    def _budget_left(self, doc_id: int) -> float:
        return max(1.0, self.opts.timeout - self.spent.get(doc_id, 0.0))

    def _submit(self, task: _Task) -> None:
        o = self.opts
        left = self._budget_left(task.document_id)
        ctx = ExtractContext(
            path=self.blobs.path(task.sha256),
            name=task.name,
            sha256=task.sha256,
            blobs=self.blobs,
            ocr=o.ocr,
            ocr_engine=o.ocr_engine,
            ocr_languages=o.ocr_languages,
            ocr_timeout=min(o.ocr_timeout, left),
            limits=o.limits,
            depth=task.depth,
            start_page=task.start_page,
            chunk_pages=o.chunk_pages if self._paged(task.extractor) else o.limits.max_pages,
            deadline=time.time() + left,
        )
        submit_timed = getattr(self.executor, "submit_timed", None)
        if submit_timed is not None:
            # Killed a little after the deadline: a paged extractor stops by
            # itself between pages and returns the pages it has.
            fut = submit_timed(left + 10.0, _extract_in_worker, ctx, task.extractor)
        else:
            fut = self.executor.submit(_extract_in_worker, ctx, task.extractor)
        self.inflight[fut] = task
        self.started[fut] = time.monotonic()

    @staticmethod
    def _paged(extractor: str) -> bool:
        return bool(getattr(registry.by_name(extractor), "paged", False))

    def _handle(self, task: _Task, fut: Future[Any]) -> None:
        elapsed = time.monotonic() - self.started.pop(fut, time.monotonic())
        try:
            result = fut.result()
        except FutureTimeout:
            result = _Failure(
                "timeout",
                f"{task.display}: gave up after {self.opts.timeout:.0f} s, the time budget for "
                f"one file (pages from {task.start_page}); the parser hung or the file is "
                "too slow (--timeout raises the budget)",
            )
        except Exception as e:  # the worker died (segfault, killed): the file is to blame
            result = _Failure(
                "crash",
                f"{task.display}: the worker process died ({type(e).__name__}: {e})" + CRASH_HINT,
            )
        if isinstance(result, _Failure):
            self.spent[task.document_id] = self.spent.get(task.document_id, 0.0) + elapsed
            if result.kind == "disk-full":
                # No file is to blame: leave the document pending for the next run.
                raise DiskFull(result.message)
            self._fail(task, result)
        else:
            self.spent[task.document_id] = self.spent.get(task.document_id, 0.0) + (
                result.seconds or elapsed
            )
            self._collect(task, result)

    # -- results -------------------------------------------------------------------------
    def _fail(self, task: _Task, failure: _Failure) -> None:
        message = storable(failure.message)
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
        self._drop_queued(doc_id)
        self._chunk_finished(task)

    def _drop_queued(self, doc_id: int) -> None:
        """A failed document's chunks not yet started will not be."""
        kept = deque(t for t in self.queue if t.document_id != doc_id)
        dropped = len(self.queue) - len(kept)
        if dropped:
            self.queue = kept
            self.outstanding[doc_id] -= dropped

    def _collect(self, task: _Task, ex: Extraction) -> None:
        """Store a chunk's pages, then admit its children and queue the remaining chunks."""
        doc_id = task.document_id
        first = task.start_page == 1
        for page in ex.pages:
            page.text = storable(page.text)
        with transaction(self.db):
            if first:
                meta = dict(ex.metadata)
                if ex.warnings:
                    meta["warnings"] = [storable(w) for w in ex.warnings]
                documents.describe_document(
                    self.db,
                    document_id=doc_id,
                    doc_type=ex.doc_type,
                    mime=ex.mime,
                    title=storable(ex.title) if ex.title else None,
                    date=ex.date,
                    page_count=ex.page_count if ex.page_count is not None else len(ex.pages),
                    metadata=meta,
                )
            elif ex.warnings:
                documents.add_warnings(
                    self.db, document_id=doc_id, warnings=[storable(w) for w in ex.warnings]
                )
            pages.upsert_pages(self.db, document_id=doc_id, pages=ex.pages)
            for part, kind, message in ex.part_errors:
                self._error(doc_id, f"{task.display}!{storable(part)}", kind, storable(message))
        log.debug("stored %s pages %d+%d", task.display, task.start_page, len(ex.pages))
        self.report.pages += len(ex.pages)
        self.progress.pages_done(len(ex.pages))
        for child in ex.children:
            self._add_child(task, child)
        total = ex.page_count or 0
        if first and total:
            for start in range(1 + len(ex.pages), total + 1, self.opts.chunk_pages):
                self.outstanding[doc_id] += 1
                self.queue.append(replace(task, start_page=start))
        done = self.pages_seen[doc_id] = self.pages_seen.get(doc_id, 0) + len(ex.pages)
        if total > self.opts.chunk_pages:
            note = getattr(self.progress, "document_pages", None)
            if note:
                note(task.display, done, total)
            log.info("%s: %d of %d pages", task.display, done, total)
        paged = self._paged(task.extractor)
        expected = min(self.opts.chunk_pages, total - task.start_page + 1) if paged else 0
        cut_short = len(ex.pages) < expected  # the extractor stopped at the deadline
        more = self.outstanding[doc_id] > 1 or cut_short
        over = self.spent.get(doc_id, 0.0) >= self.opts.timeout
        if (cut_short or (more and over)) and doc_id not in self.failed_docs:
            stored = self.pages_seen.get(doc_id, len(ex.pages))
            self._fail(
                task,
                _Failure(
                    "timeout",
                    f"{task.display}: stopped after {self.opts.timeout:.0f} s, the time budget "
                    f"for one file, with {stored} of {total or '?'} pages read (those are kept "
                    "and searchable); --timeout raises the budget, --retry-failed tries again",
                ),
            )
            return
        self._chunk_finished(task)

    def _add_child(self, task: _Task, child: ChildFile) -> None:
        name = storable(child.name)
        display = f"{task.display}!{name}"
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
                name=Path(name).name or name,
                display=display,
                extractor="",
                depth=depth,
                production_id=task.production_id,
            ),
            size=child.size,
            location=name,
            raw_location=raw(child.name),
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
        self.spent.pop(doc_id, None)
        self.pages_seen.pop(doc_id, None)
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
        """A file that never became a document (unreadable, special, over the size limit).

        Its earlier record, if any, is replaced: a re-run adds nothing.
        """
        with transaction(self.db):
            error_records.clear_file_errors(self.db, path=path, stage=STAGE)
            self._error(None, path, kind, message)
        self.progress.file_done(0)

    def _error(self, doc_id: int | None, path: str, kind: str, message: str) -> None:
        """Report and record an error, inside the caller's transaction."""
        path, message = storable(path), storable(message)
        log.info("%s: %s", kind, printable(message))
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
        if not os.path.lexists(p):
            raise BadArguments(f"{p}: no such file or directory")
    with ingest_lock(inv):
        if on_start:
            on_start()
        return Pipeline(inv, opts, executor=executor, progress=progress).run(path_list)

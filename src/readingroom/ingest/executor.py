"""The default executor: worker processes that can be killed per task.

A parser stuck in C code ignores signals, and a plain ProcessPoolExecutor
cannot stop one task without breaking the pool. Pebble's pool kills the
worker that overran its timeout and starts a fresh one, so one hostile file
costs one timeout, not the batch. Wrapped as a `concurrent.futures.Executor`
so any other executor (threads, a Dask cluster's) can stand in; those cannot
enforce the timeout.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
from collections.abc import Callable
from concurrent.futures import Executor, Future
from typing import Any

import pebble


def default_memory_limit(workers: int) -> int:
    """Bytes of address space one worker may use: the machine's memory shared by the
    workers and the parent, between 2 and 8 GiB."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError):
        total = 8 * 1024**3
    return int(max(2 * 1024**3, min(8 * 1024**3, total / (workers + 1))))


def _limit_memory(limit: int | None) -> None:
    """In each worker: a hard cap on its address space (and on the programs it runs).

    A page that would take more (a poster rendered at full resolution, a
    decompression bomb a library does not catch) becomes a MemoryError, recorded
    against that file, instead of a process that takes the machine's memory.
    """
    if limit:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = limit if hard == resource.RLIM_INFINITY else min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


class KillableProcessExecutor(Executor):
    def __init__(
        self,
        workers: int,
        timeout: float | None,
        *,
        max_tasks: int = 500,
        memory_limit: int | None = None,
    ) -> None:
        # fork is cheap and inherits the imported extractors; max_tasks
        # recycles workers so a leaking parser cannot grow memory forever.
        self._pool = pebble.ProcessPool(
            max_workers=workers,
            max_tasks=max_tasks,
            context=multiprocessing.get_context("fork"),
            initializer=_limit_memory,
            initargs=(memory_limit,),
        )
        self.timeout = timeout

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        return self._pool.submit(fn, self.timeout, *args, **kwargs)

    def submit_timed(
        self, timeout: float | None, fn: Callable[..., Any], /, *args: Any, **kwargs: Any
    ) -> Future[Any]:
        """Submit with this task's own timeout (what is left of a file's time budget)."""
        return self._pool.submit(fn, timeout, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        if cancel_futures:
            self._pool.stop()
        else:
            self._pool.close()
        if wait:
            self._pool.join()


class BudgetedExecutor(Executor):
    """Runs each task in a killable worker with a time budget; a task that overruns it,
    or whose worker dies, resolves to `on_failure(error, *args)` instead of raising.

    The analysers run through this after ingest: one analyser run on one
    document gets `budget` seconds, and a hostile document costs one
    recorded failure instead of the run (the analyser runner writes whatever
    the future resolves to).
    """

    def __init__(
        self,
        workers: int,
        budget: float,
        on_failure: Callable[..., Any],
        *,
        memory_limit: int | None = None,
    ) -> None:
        self._inner = KillableProcessExecutor(workers, budget, memory_limit=memory_limit)
        self.budget = budget
        self._on_failure = on_failure

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        inner = self._inner.submit(fn, *args, **kwargs)
        outer: Future[Any] = Future()

        def done(f: Future[Any]) -> None:
            try:
                outer.set_result(f.result())
            except BaseException as e:  # timeout, a dead worker: the document's failure
                outer.set_result(self._on_failure(e, *args))

        inner.add_done_callback(done)
        return outer

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._inner.shutdown(wait=wait, cancel_futures=cancel_futures)

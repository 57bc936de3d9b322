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
from collections.abc import Callable
from concurrent.futures import Executor, Future
from typing import Any

import pebble


class KillableProcessExecutor(Executor):
    def __init__(self, workers: int, timeout: float | None, *, max_tasks: int = 500) -> None:
        # fork is cheap and inherits the imported extractors; max_tasks
        # recycles workers so a leaking parser cannot grow memory forever.
        self._pool = pebble.ProcessPool(
            max_workers=workers,
            max_tasks=max_tasks,
            context=multiprocessing.get_context("fork"),
        )
        self.timeout = timeout

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        return self._pool.submit(fn, self.timeout, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        if cancel_futures:
            self._pool.stop()
        else:
            self._pool.close()
        if wait:
            self._pool.join()

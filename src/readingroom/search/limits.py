"""What one query may cost: size caps checked before parsing, a time budget while it runs.

A shared reading room answers whoever reaches it, so a query is refused with
a message naming the limit before it can exhaust Python's stack, FTS5's
parser or both CPU cores. The caps are far above what people type (a long
watchlist line is ~20 terms); the time budget is SQLite's progress handler,
which also stops a query whose client has gone away.
"""

from __future__ import annotations

import functools
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

from readingroom.errors import QueryError

__all__ = [
    "MAX_DEPTH",
    "MAX_FTS_CHARS",
    "MAX_QUERY_CHARS",
    "MAX_TERMS",
    "QUERY_SECONDS",
    "QueryInterrupted",
    "QueryTooLarge",
    "check_text",
    "guarded",
    "time_budget",
    "translate_sqlite_error",
]

#: Characters in one query (a pasted e-mail header block fits; a pasted page does not).
MAX_QUERY_CHARS = 2_000
#: Nested parentheses and NOTs.
MAX_DEPTH = 20
#: Words, phrases and filters in one query.
MAX_TERMS = 100
#: Characters of the compiled FTS5 expression.
MAX_FTS_CHARS = 8_000
#: Seconds a web request's SQLite work may take before it is stopped.
QUERY_SECONDS = 1.5
#: SQLite virtual-machine steps between two looks at the clock.
_STEPS = 4_000

P = ParamSpec("P")
R = TypeVar("R")


class QueryTooLarge(QueryError):
    """A query over one of the caps above; the message names the cap."""


class QueryInterrupted(QueryError):
    """A query stopped by the time budget, or because its client went away."""


def check_text(text: str, what: str = "query") -> None:
    """Refuse text no query can contain: over the length cap, NUL, lone surrogates."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryTooLarge(
            f"the {what} is {len(text):,} characters long; the limit is {MAX_QUERY_CHARS:,}"
        )
    if "\x00" in text:
        raise QueryError(f"the {what} contains a NUL character (\\x00); remove it")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as e:
        raise QueryError(
            f"the {what} contains an invalid character (a lone surrogate at column "
            f"{e.start + 1}); retype it"
        ) from None


@contextmanager
def time_budget(
    conn: sqlite3.Connection,
    seconds: float | None = QUERY_SECONDS,
    *,
    cancelled: threading.Event | None = None,
) -> Iterator[None]:
    """Interrupt SQLite work on `conn` after `seconds`, or once `cancelled` is set.

    An interrupted statement raises `sqlite3.OperationalError('interrupted')`,
    which `translate_sqlite_error` turns into QueryInterrupted.
    """
    deadline = None if seconds is None else time.monotonic() + seconds

    def over() -> int:
        if cancelled is not None and cancelled.is_set():
            return 1
        return int(deadline is not None and time.monotonic() > deadline)

    conn.set_progress_handler(over, _STEPS)
    before, _budget.seconds = _budget.seconds, seconds
    try:
        yield
    finally:
        _budget.seconds = before
        conn.set_progress_handler(None, _STEPS)


def translate_sqlite_error(
    e: sqlite3.Error | OverflowError, seconds: float | None = QUERY_SECONDS
) -> QueryError | None:
    """The words for an SQLite failure a query caused, or None for a real fault."""
    msg = str(e).lower()
    if isinstance(e, OverflowError) or "too large" in msg or "out of range" in msg:
        return QueryError("a number in the request is out of range")
    if "interrupted" in msg:
        limit = f" after {seconds:g} s" if seconds else ""
        return QueryInterrupted(
            f"the query was stopped{limit}: it asks for more work than one search may do; "
            "add words or filters to narrow it, or drop short prefixes like a*"
        )
    if "fts5" in msg or "parser stack" in msg or "expression tree" in msg or "too many" in msg:
        return QueryTooLarge(f"the query is too complex for the search engine ({e}); shorten it")
    return None


def guarded(fn: Callable[P, R]) -> Callable[P, R]:
    """Make SQLite failures a query caused into QueryErrors (400 on the web, not 500)."""

    @functools.wraps(fn)
    def inner(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except (sqlite3.OperationalError, OverflowError) as e:
            mapped = translate_sqlite_error(e, _budget.seconds)
            if mapped is None:
                raise
            raise mapped from e

    return inner


class _Budget(threading.local):
    seconds: float | None = None


_budget = _Budget()  # the budget in force on this thread, for the error message

"""Names that are not UTF-8 are stored faithfully and printed safely."""

from __future__ import annotations

from readingroom.ingest.names import printable, raw, storable


def test_undecodable_bytes_are_escaped_for_storage_and_kept_exactly() -> None:
    name = b"r\xe9ponse-\xff.txt".decode("utf-8", "surrogateescape")
    assert storable(name) == "r\\xe9ponse-\\xff.txt"
    assert storable(name).encode("utf-8")  # SQLite and JSON accept it
    assert raw(name) == b"r\xe9ponse-\xff.txt"  # the exact bytes, for the record
    assert storable("réponse.txt") == "réponse.txt" and raw("réponse.txt") is None


def test_control_and_bidi_characters_are_escaped_when_printed() -> None:
    assert printable("evil\x1b[2J\rname\u202etxt.exe") == "evil\\x1b[2J\\rname\\u202etxt.exe"
    assert printable("plain name.pdf") == "plain name.pdf"


def test_budgeted_executor_turns_an_overrun_into_the_tasks_failure() -> None:
    import time

    from readingroom.ingest.executor import BudgetedExecutor

    pool = BudgetedExecutor(1, 0.5, lambda e, *args: {"failed": type(e).__name__, "args": args})
    try:
        slow = pool.submit(time.sleep, 30)
        quick = pool.submit(sum, [1, 2])
        assert slow.result(timeout=20) == {"failed": "TimeoutError", "args": (30,)}
        assert quick.result(timeout=20) == 3
    finally:
        pool.shutdown()


def test_a_worker_over_its_memory_limit_fails_its_task_not_the_machine() -> None:
    import pytest

    from readingroom.ingest.executor import KillableProcessExecutor

    pool = KillableProcessExecutor(1, 60, memory_limit=2 * 1024**3)
    try:
        with pytest.raises(MemoryError):
            pool.submit(bytearray, 3 * 1024**3).result(timeout=60)
        assert pool.submit(len, b"abc").result(timeout=60) == 3  # the worker goes on
    finally:
        pool.shutdown()

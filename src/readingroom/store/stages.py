"""Stage bookkeeping: (document, stage) done at a version means skip it on a re-run.

Ingest's stage is `extract`; each analyser's is `analyse:<name>`. Write
functions never commit.
"""

from __future__ import annotations

import sqlite3

from readingroom.store._sql import NOW

__all__ = ["clear_analyser_stages", "fail_stage", "finish_stage", "record_stage", "start_stage"]


def start_stage(conn: sqlite3.Connection, *, document_id: int, stage: str, version: str) -> None:
    """The stage is running at `version` (replacing any earlier record of it)."""
    conn.execute(
        "INSERT OR REPLACE INTO stages(document_id, stage, version, status, started_at)"
        f" VALUES (?, ?, ?, 'running', {NOW})",
        (document_id, stage, version),
    )


def finish_stage(conn: sqlite3.Connection, *, document_id: int, stage: str) -> None:
    _end(conn, document_id, stage, "done")


def fail_stage(conn: sqlite3.Connection, *, document_id: int, stage: str) -> None:
    _end(conn, document_id, stage, "failed")


def record_stage(
    conn: sqlite3.Connection, *, document_id: int, stage: str, version: str, status: str
) -> None:
    """A stage that started and ended at once (`done` or `failed`) at `version`."""
    conn.execute(
        "INSERT INTO stages (document_id, stage, version, status, started_at, finished_at)"
        f" VALUES (?, ?, ?, ?, {NOW}, {NOW})"
        " ON CONFLICT (document_id, stage) DO UPDATE SET version = excluded.version,"
        " status = excluded.status, finished_at = excluded.finished_at",
        (document_id, stage, version, status),
    )


def clear_analyser_stages(conn: sqlite3.Connection, *, document_id: int) -> None:
    """Forget every analyser's run on the document, so each runs on it again.

    New text means earlier findings (and masks over bad redactions) no longer hold.
    """
    conn.execute(
        "DELETE FROM stages WHERE document_id = ? AND stage LIKE 'analyse:%'", (document_id,)
    )


def _end(conn: sqlite3.Connection, document_id: int, stage: str, status: str) -> None:
    conn.execute(
        f"UPDATE stages SET status = ?, finished_at = {NOW} WHERE document_id = ? AND stage = ?",
        (status, document_id, stage),
    )

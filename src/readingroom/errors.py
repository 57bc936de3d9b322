"""Errors with exit codes and remedies; one hierarchy for library, CLI and web.

Input errors are data, not crashes: the pipeline records them per file and
goes on. Each class has a short `kind` used in the error table and in
`readingroom errors --kind`.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    ok = 0
    some_files_failed = 1
    bad_args = 2
    not_an_investigation = 3
    missing_dependency = 4
    other = 5


class ReadingRoomError(Exception):
    """Base of every error readingroom raises on purpose."""

    exit_code: ExitCode = ExitCode.other


class BadArguments(ReadingRoomError):
    """A path that does not exist, a date that is not a date."""

    exit_code = ExitCode.bad_args


class NotAnInvestigation(ReadingRoomError):
    exit_code = ExitCode.not_an_investigation


class MissingDependency(ReadingRoomError):
    exit_code = ExitCode.missing_dependency


class QueryError(ReadingRoomError):
    """A search query that cannot be understood; the message says why."""

    exit_code = ExitCode.bad_args


class InputError(ReadingRoomError):
    """A file that cannot be (fully) read. Recorded, never fatal to a batch."""

    kind = "unreadable"

    def __init__(self, message: str, *, kind: str | None = None) -> None:
        super().__init__(message)
        if kind:
            self.kind = kind


class EncryptedDocument(InputError):
    kind = "encrypted"


class CorruptFile(InputError):
    kind = "corrupt"


class LimitExceeded(InputError):
    """Zip bombs, absurd page counts, giant images."""

    kind = "limit"


class UnsupportedFormat(InputError):
    kind = "unsupported"

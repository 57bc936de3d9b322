"""Errors with exit codes, HTTP statuses and remedies; one hierarchy for library, CLI and web.

Input errors are data, not crashes: the pipeline records them per file and
goes on. Each class carries what its callers need — a short `kind` for the
error table and `readingroom errors --kind`, the CLI's `exit_code` and the
web's `http_status` — so the CLI and the web app each have one handler that
asks the error, never a table of their own.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """What a command's exit status says; `docs/errors.md` lists them for scripts."""

    ok = 0
    some_files_failed = 1  # the run finished; some files have error records
    bad_args = 2
    not_an_investigation = 3
    missing_dependency = 4
    run_failed = 5  # the run itself stopped: a full disk, a bug (a crash), a broken install
    busy = 6  # another ingest holds the investigation
    other = 5


class ReadingRoomError(Exception):
    """Base of every error readingroom raises on purpose."""

    exit_code: ExitCode = ExitCode.other
    http_status: int = 500


class BadArguments(ReadingRoomError):
    """A path that does not exist, a date that is not a date."""

    exit_code = ExitCode.bad_args
    http_status = 400


class NotFound(ReadingRoomError):
    """A document, page or Bates number the investigation does not hold."""

    exit_code = ExitCode.bad_args
    http_status = 404


class NotAnInvestigation(ReadingRoomError):
    exit_code = ExitCode.not_an_investigation
    http_status = 500


class MissingDependency(ReadingRoomError):
    """A program or package readingroom needs is not installed; the message names it."""

    exit_code = ExitCode.missing_dependency
    http_status = 500
    kind = "missing-dependency"


class DiskFull(ReadingRoomError):
    """The disk holding the investigation (or a temporary folder) is full: the run stops.

    Not an input error: no file is to blame, so nothing is recorded against
    one; what was stored so far stays, and a re-run after freeing space
    resumes where this one stopped.
    """

    exit_code = ExitCode.run_failed
    http_status = 507
    kind = "disk-full"


class InvestigationBusy(ReadingRoomError):
    """Another `ingest` is writing to this investigation; two would both do all the work."""

    exit_code = ExitCode.busy
    http_status = 409


class RegistrationError(ReadingRoomError):
    """A built-in format, analyser, view or command failed to load: a broken install."""

    exit_code = ExitCode.other
    http_status = 500


class QueryError(ReadingRoomError):
    """A search query that cannot be understood; the message says why."""

    exit_code = ExitCode.bad_args
    http_status = 400


class InputError(ReadingRoomError):
    """A file that cannot be (fully) read. Recorded, never fatal to a batch."""

    kind = "unreadable"
    http_status = 404

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


class NotARegularFile(UnsupportedFormat):
    """A named pipe, socket or device in the input: never opened for reading (it may block)."""


class SkippedInput(InputError):
    """An input deliberately not read (a symlink that leads outside the input folders)."""

    kind = "skipped"


class ProgramFailed(InputError):
    """An external program (Tesseract, LibreOffice) exited non-zero; its stderr is kept."""

    kind = "program"

    def __init__(
        self, message: str, *, program: str, stderr: str = "", returncode: int | None = None
    ) -> None:
        super().__init__(message)
        self.program = program
        self.stderr = stderr
        self.returncode = returncode


class ProgramTimedOut(ProgramFailed):
    """An external program overran its timeout and was killed."""

    kind = "timeout"

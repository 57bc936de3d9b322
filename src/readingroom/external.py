"""Every external program readingroom runs goes through `run`: found, timed, logged.

As in OCRmyPDF, one wrapper: the program is looked up once on PATH (a missing
one is a MissingDependency that names the package to install), runs with a
timeout (a hung Tesseract or LibreOffice costs seconds, not a worker), and
its stderr is kept and put into the error so that the error record says what
the program said.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from readingroom.errors import MissingDependency, ProgramFailed, ProgramTimedOut

__all__ = ["find_program", "run"]

log = logging.getLogger(__name__)

#: How much of a program's stderr goes into an error message.
STDERR_TAIL = 800


def find_program(name: str, *, package: str | None = None, alternatives: Sequence[str] = ()) -> str:
    """The full path of `name` (or the first alternative found); raise naming the package."""
    for candidate in (name, *alternatives):
        found = shutil.which(candidate)
        if found:
            return found
    hint = f" (install the package {package})" if package else ""
    raise MissingDependency(f"{name} is not installed or not on PATH{hint}")


def run(
    args: Sequence[str | Path],
    *,
    timeout: float,
    input: bytes | None = None,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    check: bool = True,
) -> subprocess.CompletedProcess[bytes]:
    """Run a program to completion within `timeout` seconds; stdout and stderr are captured.

    Raises ProgramTimedOut when it overruns (the process is killed) and, with
    `check`, ProgramFailed when it exits non-zero; both carry the stderr tail.
    """
    argv = [str(a) for a in args]
    program = Path(argv[0]).name
    started = time.monotonic()
    log.debug("run %s", " ".join(argv))
    try:
        proc = subprocess.run(
            argv,
            input=input,
            capture_output=True,
            timeout=timeout,
            env=dict(env) if env is not None else None,
            cwd=cwd,
            check=False,
        )
    except FileNotFoundError as e:
        raise MissingDependency(f"{program} is not installed or not on PATH") from e
    except subprocess.TimeoutExpired as e:
        tail = _tail(e.stderr)
        log.warning("%s timed out after %.0f s", program, timeout)
        raise ProgramTimedOut(
            f"{program} did not finish within {timeout:.0f} s" + (f": {tail}" if tail else ""),
            program=program,
            stderr=tail,
        ) from e
    elapsed = time.monotonic() - started
    log.debug("%s exited %d in %.2f s", program, proc.returncode, elapsed)
    if check and proc.returncode != 0:
        tail = _tail(proc.stderr)
        log.warning("%s exited %d: %s", program, proc.returncode, tail)
        raise ProgramFailed(
            f"{program} failed (exit {proc.returncode})" + (f": {tail}" if tail else ""),
            program=program,
            stderr=tail,
            returncode=proc.returncode,
        )
    return proc


def _tail(stderr: bytes | str | None) -> str:
    if not stderr:
        return ""
    text = stderr.decode("utf-8", "replace") if isinstance(stderr, bytes) else stderr
    text = " ".join(text.split())
    return text[-STDERR_TAIL:]

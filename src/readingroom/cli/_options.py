"""The options every command shares, defined once: `--dir/-d` and `--json`."""

from __future__ import annotations

import getpass
import logging
import os
from pathlib import Path
from typing import Annotated

import typer

from readingroom.errors import BadArguments
from readingroom.investigation import Investigation

__all__ = ["DirOption", "JsonOption", "folder", "open_investigation", "required_folder"]

log = logging.getLogger(__name__)

DirOption = Annotated[
    Path | None,
    typer.Option(
        "--dir",
        "-d",
        help="Investigation folder (default: READINGROOM_DIR or the one containing the cwd).",
    ),
]
JsonOption = Annotated[
    bool, typer.Option("--json", help="Print JSON on stdout; messages stay on stderr.")
]


def open_investigation(directory: Path | None) -> Investigation:
    """The investigation `--dir` names, or READINGROOM_DIR's, or the one around the cwd."""
    inv = Investigation.open(directory)
    log.info("investigation %s", inv.root)  # which one was found, when none was named
    return inv


def folder(argument: Path | None, option: Path | None) -> Path | None:
    """One folder from a command's positional argument or its `--dir`, whichever is given.

    `init`, `demo` and `serve` take their folder both ways: positionally, as
    they always have, and as `--dir` like every other command.
    """
    if argument is not None and option is not None and argument != option:
        raise BadArguments(f"two folders given: {argument} and --dir {option}; name one")
    return argument if argument is not None else option


def required_folder(argument: Path | None, option: Path | None) -> Path:
    """`folder`, for commands that cannot guess one (init, demo)."""
    chosen = folder(argument, option)
    if chosen is None:
        raise BadArguments("name the folder, as an argument or with --dir")
    return chosen


def cli_user(given: str | None = None) -> str:
    """Who is at the terminal, for decisions and the audit log: READINGROOM_USER or the login."""
    if given:
        return given
    try:
        return os.environ.get("READINGROOM_USER") or getpass.getuser()
    except OSError:  # no passwd entry in some containers
        return "cli"

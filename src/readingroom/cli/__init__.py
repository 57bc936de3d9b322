"""The `readingroom` command: one Typer app, each command a thin call into the library.

Each command group lives in its own module with a `register(app)` function.
Errors raised on purpose (ReadingRoomError) become one clear line on stderr
and the error's exit code, never a traceback.
"""

from __future__ import annotations

import importlib
import sys

import typer
from rich.console import Console

from readingroom.errors import ReadingRoomError

app = typer.Typer(
    name="readingroom",
    help="Turn FOIA productions into searchable, citable evidence.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
err = Console(stderr=True, soft_wrap=True)

COMMAND_MODULES = ("ingest", "demo", "search", "web", "analyse")


def _register_all() -> None:
    for mod in COMMAND_MODULES:
        name = f"readingroom.cli.{mod}"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as e:  # a command group not written yet
            if e.name == name:
                continue
            raise
        module.register(app)


_register_all()


def main() -> None:
    try:
        app()
    except ReadingRoomError as e:
        err.print(f"[bold red]error:[/] {e}", highlight=False, soft_wrap=True)
        sys.exit(int(e.exit_code))
    except BrokenPipeError:
        sys.exit(0)

"""The `readingroom` command: one Typer app, each command a thin call into the library.

Commands live in the plugin package `readingroom.cli.commands`, each module
with a module-level `app` whose commands are merged into the root. Errors
raised on purpose (ReadingRoomError) become one clear line on stderr and the
error's own exit code, never a traceback — a broken install
(RegistrationError) included, which is why the root is built inside `main`.
"""

from __future__ import annotations

import logging
import sys
from typing import Annotated

import typer
from rich.markup import escape

from readingroom import plugins
from readingroom.cli._output import err
from readingroom.errors import ExitCode, ReadingRoomError, RegistrationError

__all__ = ["app", "build_app", "main"]

COMMANDS_PACKAGE = "readingroom.cli.commands"


def _root(
    verbose: Annotated[
        int,
        typer.Option(
            "--verbose", "-v", count=True, help="Log to stderr: -v what runs, -vv debugging detail."
        ),
    ] = 0,
) -> None:
    """Turn FOIA productions into searchable, citable evidence."""
    if verbose:
        logging.basicConfig(
            level=logging.DEBUG if verbose > 1 else logging.INFO,
            stream=sys.stderr,
            format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        )


def build_app() -> typer.Typer:
    """The root command with every command module of `readingroom.cli.commands` merged in."""
    root = typer.Typer(
        name="readingroom",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        add_completion=False,
    )
    root.callback()(_root)
    for module in plugins.discover(COMMANDS_PACKAGE):
        commands = getattr(module, "app", None)
        if not isinstance(commands, typer.Typer):
            raise RegistrationError(f"command module {module.__name__} has no typer.Typer `app`")
        root.add_typer(commands)
    return root


def __getattr__(name: str) -> typer.Typer:
    """`readingroom.cli.app`, built on first use (tests drive it with CliRunner)."""
    if name == "app":
        globals()["app"] = built = build_app()
        return built
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    """Run a command; every way it can end has its own exit status (docs/errors.md).

    An exception nobody raised on purpose is a bug: one line naming it and
    asking for a report, exit 5 ("the run itself failed"), never Python's
    traceback and exit 1, which means "some files failed". `-v` logs the
    traceback for the report.
    """
    try:
        build_app()()
    except ReadingRoomError as e:
        err.print(f"[bold red]error:[/] {escape(str(e))}")
        sys.exit(int(e.exit_code))
    except BrokenPipeError:
        sys.exit(0)
    except KeyboardInterrupt:
        err.print("[bold red]interrupted[/]; everything stored so far is kept")
        sys.exit(130)
    except Exception as e:
        logging.getLogger("readingroom").info("crash", exc_info=True)
        err.print(
            f"[bold red]readingroom crashed:[/] {escape(type(e).__name__)}: {escape(str(e))}\n"
            "This is a bug in readingroom, not in your files: please report it with the "
            "command you ran (run it again with -v to include the traceback)."
        )
        sys.exit(int(ExitCode.run_failed))

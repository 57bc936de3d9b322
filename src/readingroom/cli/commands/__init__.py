"""Command modules: each defines a module-level `app = typer.Typer()` and its commands.

Every module here is found by `readingroom.plugins.discover` and merged into
the root `readingroom` command; one that fails to import stops the program
with an error naming it. Shared options live in `readingroom.cli._options`,
printing helpers in `readingroom.cli._output`.
"""

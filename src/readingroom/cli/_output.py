"""How commands print: data on stdout, messages and progress on stderr.

`--json` output goes through `print_json` alone, so every command's JSON is
written the same way and stays safe to pipe into jq.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

__all__ = ["err", "out", "plural", "print_json", "table"]

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def print_json(data: Any) -> None:
    """`data` as indented UTF-8 JSON on stdout; dates and paths as strings."""
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def plural(n: int, word: str, words: str | None = None) -> str:
    """`1 page`, `2 pages`: counts in English."""
    return f"{n} {word if n == 1 else (words or word + 's')}"


def table(title: str, rows: Iterable[Mapping[str, Any]], columns: str) -> None:
    """Print `rows` as a table; `columns` is `"header, header=key, ..."` (key = header)."""
    t = Table(title=title, title_justify="left")
    keys = []
    for spec in columns.split(","):
        header, _, key = spec.strip().partition("=")
        t.add_column(header)
        keys.append(key or header)
    for r in rows:
        t.add_row(*("" if r[k] is None else str(r[k]) for k in keys))
    out.print(t)

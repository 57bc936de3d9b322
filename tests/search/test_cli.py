"""`readingroom search` in process, through Typer's runner."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from readingroom.cli import app
from readingroom.investigation import Investigation

Filled = tuple[Investigation, dict[str, int]]
runner = CliRunner()


def test_search_prints_hits_with_bates(filled: Filled) -> None:
    inv, _ = filled
    res = runner.invoke(app, ["search", "quota", "--dir", str(inv.root)])
    assert res.exit_code == 0, res.output
    assert "4 pages in 3 documents" in res.output
    assert "DFE 000100" in res.output


def test_search_json_is_parseable(filled: Filled) -> None:
    inv, _ = filled
    res = runner.invoke(app, ["search", "quota", "--json", "--limit", "1", "--dir", str(inv.root)])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["total_pages"] == 4 and len(data["documents"]) == 1
    assert "\x02" not in res.stdout


def test_bad_query_is_an_error_not_a_traceback(filled: Filled) -> None:
    from readingroom.errors import QueryError

    inv, _ = filled
    res = runner.invoke(app, ["search", '"unclosed', "--dir", str(inv.root)])
    assert isinstance(res.exception, QueryError)  # main() turns this into one line, exit 2
    assert "unclosed quote" in str(res.exception)


def test_cli_counts_in_english_and_shows_hints(filled: Filled) -> None:
    inv, _ = filled
    res = runner.invoke(app, ["search", "palantir Sent:Monday", "--dir", str(inv.root)])
    assert res.exit_code == 0, res.output
    assert "0 pages in 0 documents" in res.output
    assert "'sent:' is not a field here" in res.output
    one = runner.invoke(app, ["search", "falcon", "--dir", str(inv.root)])
    assert "1 page in 1 document " in one.output

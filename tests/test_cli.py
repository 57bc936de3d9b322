"""The CLI as a user runs it: exit codes, --json on stdout, messages on stderr."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from readingroom.errors import ExitCode

from .ingest.pdfs import make_pdf


def rr(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "readingroom", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )


def test_init_ingest_status_errors_json(tmp_path: Path) -> None:
    make_pdf(tmp_path / "in" / "memo.pdf", ["quota memo", "page two"])
    make_pdf(tmp_path / "in" / "locked.pdf", ["x"], password="pw")
    inv = tmp_path / "inv"
    created = rr("init", str(inv), "--json")
    assert created.returncode == 0 and json.loads(created.stdout)["investigation"] == str(inv)
    res = rr(
        "ingest",
        str(tmp_path / "in"),
        "--ocr",
        "never",
        "--production",
        "P1",
        "--received",
        "2019-06-14",
        "--json",
        cwd=inv,
    )
    assert res.returncode == 1, "some files failed: exit status 1"
    summary = json.loads(res.stdout)  # stdout is pure JSON: progress went to stderr
    assert summary["pages"] == 2 and summary["failed"] == 1
    assert summary["analysed_documents"] == 1  # analysers ran on the new document
    assert "readingroom errors" in res.stderr
    status = json.loads(rr("status", "--json", "--dir", str(inv)).stdout)
    assert status["documents"] == 2 and status["pages"] == 2
    assert status["productions"] == [
        {"name": "P1", "received": "2019-06-14", "documents": 2, "pages": 2}
    ]
    errors = json.loads(rr("errors", "--json", "--dir", str(inv)).stdout)
    assert [(Path(e["path"]).name, e["kind"]) for e in errors] == [("locked.pdf", "encrypted")]
    text = rr("errors", "--dir", str(inv)).stdout
    assert "encrypted" in text and "password-protected" in text
    again = rr("ingest", str(tmp_path / "in"), "--ocr", "never", "--json", cwd=inv)
    assert again.returncode == 0 and json.loads(again.stdout)["skipped"] == 2


def test_not_an_investigation_is_a_clear_error(tmp_path: Path) -> None:
    res = rr("status", "--dir", str(tmp_path))
    assert res.returncode == 3
    assert "not a readingroom investigation" in res.stderr and "readingroom init" in res.stderr
    assert "Traceback" not in res.stderr


def test_bad_arguments_are_clear(tmp_path: Path) -> None:
    rr("init", str(tmp_path / "inv"))
    res = rr("ingest", str(tmp_path / "missing"), "--dir", str(tmp_path / "inv"))
    assert res.returncode == 2 and "missing: no such file or directory" in res.stderr
    res = rr("ingest", str(tmp_path), "--received", "June 14", "--dir", str(tmp_path / "inv"))
    assert res.returncode == 2 and "YYYY-MM-DD" in res.stderr


def test_a_command_module_that_fails_to_import_is_a_named_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A typo in a command module stops the program with its name, not a missing command."""
    import readingroom.cli.commands as commands
    from readingroom import plugins
    from readingroom.cli import main

    extra = tmp_path / "more_commands"
    extra.mkdir()
    (extra / "zz_broken.py").write_text("import readingroom.no_such_module\n")
    monkeypatch.setattr(commands, "__path__", [*commands.__path__, str(extra)])
    monkeypatch.setattr(sys, "argv", ["readingroom", "status", "--dir", str(tmp_path)])
    plugins.discover.cache_clear()
    try:
        with pytest.raises(SystemExit) as exit_:
            main()
    finally:
        plugins.discover.cache_clear()
    assert exit_.value.code == int(ExitCode.other)
    stderr = capsys.readouterr().err
    assert "readingroom.cli.commands.zz_broken" in stderr and "no_such_module" in stderr
    assert "Traceback" not in stderr


def test_every_command_takes_dir(tmp_path: Path) -> None:
    """--dir/-d works everywhere; init, demo and serve also keep their positional folder."""
    inv = tmp_path / "inv"
    created = rr("init", "--dir", str(inv), "--json")
    assert created.returncode == 0 and json.loads(created.stdout)["investigation"] == str(inv)
    for command in ("status", "errors", "bates", "exemptions", "redactions", "emails", "analyse"):
        res = rr(command, "-d", str(inv), "--json")
        assert res.returncode == 0, (command, res.stderr)
        json.loads(res.stdout)
    assert rr("search", "quota", "-d", str(inv), "--json").returncode == 0
    # Two different folders, or none where one is needed: a clear error, before any work.
    res = rr("serve", str(inv), "--dir", str(tmp_path / "other"))
    assert res.returncode == 2 and "two folders given" in res.stderr
    res = rr("init")
    assert res.returncode == 2 and "name the folder" in res.stderr


def test_verbose_logs_to_stderr(tmp_path: Path) -> None:
    inv = tmp_path / "inv"
    rr("init", str(inv))
    quiet = rr("status", "--dir", str(inv), "--json")
    loud = rr("-v", "status", "--dir", str(inv), "--json")
    assert "INFO" not in quiet.stderr
    assert f"INFO readingroom.cli._options: investigation {inv}" in loud.stderr
    assert json.loads(loud.stdout) == json.loads(quiet.stdout)  # logs never reach stdout
    assert rr("-vv", "status", "--dir", str(inv)).returncode == 0


def test_init_on_an_existing_investigation_says_so_and_keeps_it(tmp_path: Path) -> None:
    inv = tmp_path / "inv"
    first = rr("init", str(inv), "--json")
    assert first.returncode == 0 and json.loads(first.stdout)["created"] is True
    assert "Created investigation" in first.stderr
    make_pdf(tmp_path / "in" / "memo.pdf", ["quota memo"])
    assert rr("ingest", str(tmp_path / "in"), "--ocr", "never", cwd=inv).returncode == 0
    again = rr("init", str(inv), "--json")
    assert again.returncode == 0 and json.loads(again.stdout)["created"] is False
    assert "already an investigation" in again.stderr and "Created" not in again.stderr
    status = json.loads(rr("status", "--json", cwd=inv).stdout)
    assert status["documents"] == 1, "init must not reset what was ingested"

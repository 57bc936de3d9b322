"""Helpers for the fault-injection suite: run the real command, as a user would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest


def run_cli(*args: str | Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """`readingroom ARGS` in a fresh process: its exit status, stdout and stderr."""
    return subprocess.run(
        [sys.executable, "-m", "readingroom", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "COLUMNS": "200"},
    )


def errors_of(inv: Path) -> list[dict[str, Any]]:
    done = run_cli("errors", "--dir", inv, "--json")
    assert done.returncode == 0, done.stderr
    rows: list[dict[str, Any]] = json.loads(done.stdout)
    return rows


@pytest.fixture
def fresh(tmp_path: Path) -> Path:
    """An empty investigation folder, created by `readingroom init`."""
    inv = tmp_path / "inv"
    done = run_cli("init", inv)
    assert done.returncode == 0, done.stderr
    return inv

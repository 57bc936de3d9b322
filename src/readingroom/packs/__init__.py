"""Domain packs as data: field offices, exemption codes, systems and programs.

Packs are JSON so that users can extend them without writing Python: a file
`<name>.json` in `<investigation>/packs/` overrides the built-in pack of that
name, which is how a newsroom adds offices of another agency.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

__all__ = ["load_pack"]


@cache
def _builtin(name: str) -> dict[str, Any]:
    text = resources.files(__package__).joinpath(f"{name}.json").read_text("utf-8")
    return json.loads(text)


def load_pack(name: str = "ice", user_dir: Path | None = None) -> dict[str, Any]:
    """Return pack `name`, preferring `user_dir/<name>.json` when it exists."""
    if user_dir is not None:
        user = Path(user_dir) / f"{name}.json"
        if user.is_file():
            return json.loads(user.read_text("utf-8"))
    return _builtin(name)

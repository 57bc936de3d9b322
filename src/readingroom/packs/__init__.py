"""Domain packs as data: field offices, exemption codes, systems and programs.

Packs are JSON so that users can extend them without writing Python: a file
`<name>.json` in `<investigation>/packs/` overrides the built-in pack of that
name, which is how a newsroom adds offices of another agency. An
investigation loads its pack once (`Investigation.pack`); everything that
needs office names or aliases takes them from that pack.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

__all__ = ["DEFAULT_PACK", "load_pack", "office_names", "user_pack_dir", "user_pack_file"]

#: The pack an investigation uses unless told otherwise.
DEFAULT_PACK = "ice"


@cache
def _builtin(name: str) -> dict[str, Any]:
    text = resources.files(__package__).joinpath(f"{name}.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def user_pack_dir(investigation_root: Path) -> Path:
    """Where an investigation's own packs live."""
    return Path(investigation_root) / "packs"


def user_pack_file(user_dir: Path, name: str = DEFAULT_PACK) -> Path:
    """The file in `user_dir` that overrides built-in pack `name`."""
    return Path(user_dir) / f"{name}.json"


def load_pack(name: str = DEFAULT_PACK, user_dir: Path | None = None) -> dict[str, Any]:
    """Return pack `name`, preferring `user_dir/<name>.json` when it exists."""
    if user_dir is not None:
        user = user_pack_file(user_dir, name)
        if user.is_file():
            data: dict[str, Any] = json.loads(user.read_text("utf-8"))
            return data
    return _builtin(name)


def office_names(pack: dict[str, Any]) -> dict[str, str]:
    """Office code (upper case) → name, headquarters included, as the pack spells them."""
    names = {
        str(o["code"]).upper(): str(o.get("name", o["code"]))
        for o in pack.get("offices", [])
        if isinstance(o, dict) and "code" in o
    }
    hq = pack.get("headquarters")
    if isinstance(hq, dict) and "code" in hq:
        names[str(hq["code"]).upper()] = str(hq.get("name", hq["code"]))
    return names

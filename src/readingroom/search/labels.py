"""Facet values as users write them, and back.

Analysers store short, stable values (`b7C`, `ELP`) so counts group cleanly;
people write `(b)(7)(C)` and "El Paso". Facet lists, chips and the API show
`facet_label()`; filters accept either form through `stored_values()`, so
`exemption:b6`, `exemption:(b)(6)`, `office:ELP` and `office:"El Paso"` all
select the same pages. Office names come from the investigation's domain pack
(`packs/ice.json`, or the user's copy in `<investigation>/packs/`).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = ["facet_label", "office_names", "stored_values"]

_SHORT = re.compile(r"b(\d)([a-g]?)", re.IGNORECASE)
_WRITTEN = re.compile(r"\(\s*b\s*\)\s*\(\s*(\d)\s*\)(?:\s*\(\s*([a-g])\s*\))?", re.IGNORECASE)


def facet_label(facet: str, value: str, offices: Mapping[str, str] | None = None) -> str:
    """How people write a stored facet value: b7C → (b)(7)(C), ELP → El Paso."""
    if facet == "exemption":
        m = _SHORT.fullmatch(value)
        if m:
            return f"(b)({m[1]})" + (f"({m[2].upper()})" if m[2] else "")
    elif facet == "office" and offices:
        return offices.get(value.upper(), value)
    return value


def stored_values(facet: str, typed: str, offices: Mapping[str, str] | None = None) -> list[str]:
    """Every form a typed filter value may be stored in (compared case-insensitively)."""
    forms = [typed]
    if facet == "exemption":
        m = _SHORT.fullmatch(typed) or _WRITTEN.fullmatch(typed)
        if m:
            forms.append(f"b{m[1]}{(m[2] or '').upper()}")
            forms.append(facet_label(facet, forms[-1]))
        elif typed.endswith("*"):  # a prefix: (b)(7)* → b7*
            written = _WRITTEN.fullmatch(typed[:-1])
            if written and not written[2]:
                forms.append(f"b{written[1]}*")
    elif facet == "office" and offices:
        wanted = typed.casefold()
        for code, name in offices.items():
            if wanted in (code.casefold(), name.casefold()):
                forms.extend((code, name))
    return list(dict.fromkeys(forms))


def office_names(conn: sqlite3.Connection) -> dict[str, str]:
    """Office code → name from the pack of the investigation `conn` belongs to."""
    row = conn.execute("SELECT file FROM pragma_database_list WHERE name = 'main'").fetchone()
    user_dir = Path(row[0]).parent / "packs" if row and row[0] else None
    user_pack = user_dir / "ice.json" if user_dir else None
    mtime = user_pack.stat().st_mtime if user_pack and user_pack.is_file() else None
    return _office_names(user_dir, mtime)


@lru_cache(maxsize=16)
def _office_names(user_dir: Path | None, _mtime: float | None) -> dict[str, str]:
    from readingroom.packs import load_pack

    try:
        pack: dict[str, Any] = load_pack("ice", user_dir)
    except (OSError, ValueError):  # a broken user pack must not break search
        return {}
    names = {o["code"].upper(): o["name"] for o in pack.get("offices", []) if "code" in o}
    hq = pack.get("headquarters")
    if isinstance(hq, dict) and "code" in hq:
        names[hq["code"].upper()] = hq.get("name", hq["code"])
    return names

"""Facet values as users write them, and back.

Analysers store short, stable values (`b7C`, `ELP`) so counts group cleanly;
people write `(b)(7)(C)` and "El Paso". Facet lists, chips and the API show
`facet_label()`; filters accept either form through `stored_values()`, so
`exemption:b6`, `exemption:(b)(6)`, `office:ELP` and `office:"El Paso"` all
select the same pages. Exemption codes are written by `readingroom.citation`;
office names come from the investigation's domain pack (`readingroom.packs`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from readingroom.citation import exemption_code, exemption_label
from readingroom.packs import DEFAULT_PACK, load_pack, user_pack_dir, user_pack_file
from readingroom.packs import office_names as pack_office_names

__all__ = ["facet_label", "office_names", "stored_values"]


def facet_label(facet: str, value: str, offices: Mapping[str, str] | None = None) -> str:
    """How people write a stored facet value: b7C → (b)(7)(C), ELP → El Paso."""
    if facet == "exemption":
        return exemption_label(value)
    if facet == "office" and offices:
        return offices.get(value.upper(), value)
    return value


def stored_values(facet: str, typed: str, offices: Mapping[str, str] | None = None) -> list[str]:
    """Every form a typed filter value may be stored in (compared case-insensitively)."""
    forms = [typed]
    if facet == "exemption":
        code = exemption_code(typed)
        if code:
            forms += [code, exemption_label(code)]
        elif typed.endswith("*"):  # a prefix: (b)(7)* → b7*
            prefix = exemption_code(typed[:-1])
            if prefix and prefix[-1].isdigit():  # b7, not b7C: a code can only be extended
                forms.append(f"{prefix}*")
    elif facet == "office" and offices:
        wanted = typed.casefold()
        for code, name in offices.items():
            if wanted in (code.casefold(), name.casefold()):
                forms.extend((code, name))
    return list(dict.fromkeys(forms))


def office_names(conn: sqlite3.Connection) -> dict[str, str]:
    """Office code → name from the pack of the investigation `conn` belongs to."""
    row = conn.execute("SELECT file FROM pragma_database_list WHERE name = 'main'").fetchone()
    user_dir = user_pack_dir(Path(row[0]).parent) if row and row[0] else None
    user_pack = user_pack_file(user_dir) if user_dir else None
    mtime = user_pack.stat().st_mtime if user_pack and user_pack.is_file() else None
    return _office_names(user_dir, mtime)


@lru_cache(maxsize=16)
def _office_names(user_dir: Path | None, _mtime: float | None) -> dict[str, str]:
    """Cached per pack file version, so an edited user pack is read again."""
    try:
        return pack_office_names(load_pack(DEFAULT_PACK, user_dir))
    except (OSError, ValueError):  # a broken user pack must not break search
        return {}

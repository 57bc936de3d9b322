"""Watchlists: offices, units, operations and systems to find in every page.

The entries are data (`packs/watchlists.toml`, plus the `ice` pack's offices
and any `watchlist` entries a user's pack adds); this module compiles them to
one pattern per entry and finds mentions with their character spans.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["Entry", "Mention", "Watchlist", "find_mentions", "operation_names", "watchlist"]

KINDS = ("office", "unit", "operation", "system")


@dataclass(frozen=True)
class Entry:
    kind: str
    name: str
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class Mention:
    kind: str
    entry: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Watchlist:
    entries: tuple[Entry, ...]
    operation: re.Pattern[str] | None
    not_names: frozenset[str]


@cache
def _builtin() -> dict[str, Any]:
    text = resources.files("readingroom.packs").joinpath("watchlists.toml").read_text("utf-8")
    return tomllib.loads(text)


def _phrase(p: str) -> str:
    body = r"[\s\-]+".join(re.escape(w) for w in p.split())
    return rf"(?<![\w-]){body}(?![\w-])"


def _compile(pack_json: str) -> Watchlist:
    pack = json.loads(pack_json)
    data = _builtin()
    raw: list[dict[str, Any]] = [*data.get("entry", []), *pack.get("watchlist", [])]
    for off in pack.get("offices", []):
        if isinstance(off, dict) and "name" in off:
            raw.append({"kind": "office", "name": off["name"], "aliases": off.get("aliases", [])})
    entries = []
    for e in raw:
        kind, name = str(e.get("kind", "")), str(e.get("name", "")).strip()
        if kind not in KINDS or not name:
            continue
        forms = sorted({name, *map(str, e.get("aliases", []))}, key=len, reverse=True)
        flags = re.IGNORECASE if e.get("ignore_case") else 0
        alt = "|".join(_phrase(f) for f in forms)
        if kind == "office":  # "Washington, DC" is headquarters' address, not an office
            alt = rf"(?:{alt})(?!,?\s*D\.?\s?C\b)"
        entries.append(Entry(kind, name, re.compile(alt, flags)))
    op = data.get("operation_pattern", {})
    return Watchlist(
        tuple(entries),
        re.compile(op["pattern"]) if op.get("pattern") else None,
        frozenset(op.get("not_names", [])),
    )


@cache
def _cached(pack_json: str) -> Watchlist:
    return _compile(pack_json)


def watchlist(pack: dict[str, Any]) -> Watchlist:
    """The compiled watchlist for a domain pack (cached per pack)."""
    return _cached(json.dumps(pack, sort_keys=True))


def find_mentions(text: str, wl: Watchlist, known: frozenset[str] = frozenset()) -> list[Mention]:
    """Every mention in `text`, longest first where two overlap (FALCON Mobile over FALCON).

    `known`: operation names seen whole on one line elsewhere (`operation_names`),
    so a name that wraps onto the next line is read whole.
    """
    found: list[Mention] = []
    for e in wl.entries:
        for m in e.pattern.finditer(text):
            found.append(Mention(e.kind, e.name, m.start(), m.end(), m.group(0)))
    if wl.operation is not None:
        found.extend(_operations(text, wl, known))
    found.sort(key=lambda x: (x.start, -(x.end - x.start)))
    out: list[Mention] = []
    last_end = -1
    for f in found:
        if f.start >= last_end:
            out.append(f)
            last_end = f.end
    return out


def _op_words(m: re.Match[str], wl: Watchlist) -> list[tuple[str, int, int]]:
    words = [(w.group(0), m.start(1) + w.start(), m.start(1) + w.end())
             for w in re.finditer(r"\S+", m.group(1))]  # fmt: skip
    while words and words[-1][0] in wl.not_names:
        words.pop()
    if words and words[0][0] in wl.not_names:
        return []
    return words


def operation_names(texts: list[str], wl: Watchlist) -> frozenset[str]:
    """Operation names written whole on one line in any of `texts`."""
    names = set()
    for text in texts:
        if wl.operation is None:
            break
        for m in wl.operation.finditer(text):
            words = _op_words(m, wl)
            if words and "\n" not in text[m.start() : words[-1][2]]:
                names.add("Operation " + " ".join(w for w, _, _ in words))
    return frozenset(names)


def _operations(text: str, wl: Watchlist, known: frozenset[str]) -> list[Mention]:
    assert wl.operation is not None
    out = []
    for m in wl.operation.finditer(text):
        words = _op_words(m, wl)
        if not words:
            continue
        # A line break inside the name: keep the longest known name, else the first line.
        for n in range(len(words), 0, -1):
            name = "Operation " + " ".join(w for w, _, _ in words[:n])
            on_one_line = "\n" not in text[m.start() : words[n - 1][2]]
            if name in known or (
                on_one_line and (n == len(words) or "\n" in text[words[n - 1][2] : words[n][1]])
            ):
                out.append(Mention("operation", name, m.start(), words[n - 1][2],
                                   text[m.start() : words[n - 1][2]]))  # fmt: skip
                break
    return out

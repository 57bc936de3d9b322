"""File and member names as the store keeps them and as a terminal shows them.

A name on disk is bytes; Python hands us those that are not UTF-8 as lone
surrogates (`surrogateescape`), which SQLite, JSON and a terminal all refuse.
One undecodable name must not abort a batch, so every name is stored as text
in which each undecodable byte reads `\\xNN`, and its exact bytes are kept
beside it (`raw`) so the original name can be rebuilt. Printing escapes
control characters, so a name cannot move the cursor or fake a line.
"""

from __future__ import annotations

import re

__all__ = ["printable", "raw", "storable"]

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def storable(name: str) -> str:
    """Valid UTF-8 text for `name`: unchanged unless it holds undecodable bytes."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        try:
            data = name.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:
            return name.encode("utf-8", "backslashreplace").decode("utf-8")
        return data.decode("utf-8", "backslashreplace")


def raw(name: str) -> bytes | None:
    """The exact bytes of a name that is not UTF-8 (None when it is)."""
    try:
        name.encode("utf-8")
        return None
    except UnicodeEncodeError:
        try:
            return name.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:  # a surrogate that is not an escaped byte
            return name.encode("utf-8", "surrogatepass")


def printable(text: str) -> str:
    """`text` with control and bidi characters shown as escapes, for terminals and logs."""
    return _CONTROL.sub(
        lambda m: m.group().encode("unicode_escape").decode("ascii"), storable(text)
    )

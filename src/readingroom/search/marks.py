"""Carry FTS5's highlight marks from a page's text onto its word boxes.

FTS5 `highlight()` already knows which tokens a query matched: only the word
sequences that form a phrase, only the terms of a satisfied NEAR group,
prefixes by prefix and stems as porter stems them. Re-deriving that from the
query's words would light up every "arrest" on a page for `"arrest targets"`.
Instead the marked text is cut into tokens the way the
`unicode61` tokenizer cuts it, and those token positions are aligned with the
page's word boxes, so a box is lit exactly when FTS5 marked its token.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from difflib import SequenceMatcher

__all__ = ["MARK_END", "MARK_START", "marked_boxes", "marked_tokens", "tokens"]

#: Highlight markers inside snippets: control characters never found in page text.
MARK_START = "\x02"
MARK_END = "\x03"
# unicode61: letters and numbers are token characters, everything else separates.
_TOKEN = re.compile(r"[^\W_]+")
_MARKER = re.compile(f"([{MARK_START}{MARK_END}])")


def _fold(token: str) -> str:
    """Case- and diacritic-fold like `unicode61 remove_diacritics 2`."""
    decomposed = unicodedata.normalize("NFKD", token.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tokens(text: str) -> list[str]:
    """Folded tokens of `text`, in order, as FTS5 sees them (before stemming)."""
    return [_fold(t) for t in _TOKEN.findall(text)]


def marked_tokens(marked: str) -> tuple[list[str], list[bool]]:
    """Tokens of highlighted text and, for each, whether FTS5 marked it."""
    out: list[str] = []
    flags: list[bool] = []
    inside = False
    for part in _MARKER.split(marked):
        if part == MARK_START:
            inside = True
        elif part == MARK_END:
            inside = False
        else:
            found = tokens(part)
            out.extend(found)
            flags.extend([inside] * len(found))
    return out, flags


def marked_boxes(marked: str, words: Sequence[str]) -> set[int]:
    """Indexes of `words` (the page's word boxes, in reading order) that hold a marked token.

    The boxes' tokens are aligned with the text's tokens: usually the two
    streams are identical, but OCR or layout can add, drop or split words, and
    an alignment keeps one such difference from shifting every later mark.
    """
    text_tokens, flags = marked_tokens(marked)
    if not any(flags):
        return set()
    box_tokens: list[str] = []
    owner: list[int] = []
    for i, word in enumerate(words):
        for t in tokens(word):
            box_tokens.append(t)
            owner.append(i)
    if box_tokens == text_tokens:
        return {owner[k] for k, on in enumerate(flags) if on}
    lit: set[int] = set()
    matcher = SequenceMatcher(None, text_tokens, box_tokens, autojunk=False)
    for a, b, size in matcher.get_matching_blocks():
        for k in range(size):
            if flags[a + k]:
                lit.add(owner[b + k])
    return lit

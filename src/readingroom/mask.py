"""The privacy mask: what readingroom shows instead of a word that was meant to be hidden.

A bad redaction leaves the covered words in the text layer. readingroom never
copies them into the index, the stored text, its reports or its pages: every
such word is replaced by `MASK`, here and nowhere else. The mask has a fixed
length so it does not give away the length of the word it hides.

Every occurrence of a secret is masked, not only the one under the box: the
word boxes and the text do not map one to one, and masking a word the agency
also released elsewhere costs little next to leaking a name it meant to
withhold.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable

from readingroom.page import Word

__all__ = ["MASK", "is_masked", "mask_text", "mask_words", "secret_pattern"]

MASK = "█████"

#: Characters stripped from a covered word before it is matched elsewhere:
#: "Smith," under a box must mask "Smith" in a header line.
_EDGE = ".,;:()<>\"'"


def is_masked(word: str) -> bool:
    return word == MASK


def secret_pattern(secrets: Iterable[str]) -> re.Pattern[str] | None:
    """A pattern matching any of the words as a whole word; None when there are none.

    Words of one character are not masked on their own: an initial or a stray
    letter under a box would otherwise black out every "a" on the page.
    """
    words = {w.strip(_EDGE) for w in secrets}
    words = {w for w in words if len(w) > 1 and w != MASK}
    if not words:
        return None
    return re.compile(
        r"(?<!\w)(?:" + "|".join(map(re.escape, sorted(words, key=len, reverse=True))) + r")(?!\w)"
    )


def mask_text(text: str, secrets: Collection[str]) -> str:
    """The text with every whole-word occurrence of a secret replaced by MASK."""
    pattern = secret_pattern(secrets)
    return pattern.sub(MASK, text) if pattern else text


def mask_words(words: list[Word], secrets: Collection[str]) -> list[Word]:
    """The words with every one holding a secret replaced, whole, by MASK.

    A whole word, punctuation included, so that a masked word reads as
    exactly `MASK` (`is_masked`) when the page is analysed again.
    """
    pattern = secret_pattern(secrets)
    if pattern is None:
        return words
    return [w._replace(text=MASK) if pattern.search(w.text) else w for w in words]

"""The privacy mask: what readingroom shows instead of a word that was meant to be hidden.

A bad redaction leaves the covered words in the text layer. readingroom never
copies them into the index, the stored text, its reports or its pages: every
such word is replaced by `MASK`, here and nowhere else. The mask has a fixed
length so it does not give away the length of the word it hides.

Only the words under the box are masked (`mask_page`): the agency released
the same word elsewhere on the page (a letterhead, a heading), and masking it
there would hide what a reader can see. Word boxes are masked by position.
The page text does not map one to one onto the word boxes, so an occurrence
in the text stays readable only when its neighbours on the line match a
visible occurrence's and no covered one's; every occurrence that cannot be
placed is masked. Privacy wins every tie.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence

from readingroom.page import Word

__all__ = ["MASK", "is_masked", "mask_page", "mask_text", "mask_words", "secret_pattern"]

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


def _key(w: Word) -> tuple[float, float, float, float]:
    return (round(w.x0, 2), round(w.y0, 2), round(w.x1, 2), round(w.y1, 2))


def _same_line(a: Word, b: Word) -> bool:
    h = max(0.1, min(a.y1 - a.y0, b.y1 - b.y0))
    return abs((a.y0 + a.y1) - (b.y0 + b.y1)) / 2 <= 0.5 * h


def _norm(token: str | None) -> str | None:
    return None if token is None else token.strip(_EDGE).lower() or None


#: Words on each side that place an occurrence: two, so "to Rudolph Giuliani
#: and" under a box and "of Rudolph Giuliani and" in plain view differ.
CONTEXT = 2

Context = tuple[str | None, ...]


def _word_contexts(words: Sequence[Word]) -> list[Context]:
    """The CONTEXT words before and after each word on its line, in list order."""
    lines: list[int] = []
    line = 0
    for i, w in enumerate(words):
        if i and not (_same_line(words[i - 1], w) and words[i - 1].x1 <= w.x0 + 1):
            line += 1
        lines.append(line)
    out = []
    for i in range(len(words)):
        ctx: list[str | None] = []
        for d in [*range(-CONTEXT, 0), *range(1, CONTEXT + 1)]:
            j = i + d
            same = 0 <= j < len(words) and lines[j] == lines[i]
            ctx.append(_norm(words[j].text) if same else None)
        out.append(tuple(ctx))
    return out


_TOKEN = re.compile(r"\S+")


def mask_page(text: str, words: list[Word], covered: Collection[Word]) -> tuple[str, list[Word]]:
    """Mask the covered words (those under a bad redaction) and nothing visible.

    Words are masked by their box. In the text, an occurrence of a covered
    word is left alone only when its neighbours on its line are those of a
    visible occurrence of the same word and not those of a covered one.
    """
    if not covered:
        return text, words
    keys = {_key(w) for w in covered}
    secrets = {w.text.strip(_EDGE) for w in covered}
    secrets = {s for s in secrets if len(s) > 1 and s != MASK}
    new_words = [w._replace(text=MASK) if _key(w) in keys else w for w in words]
    pattern = secret_pattern(secrets)
    if pattern is None:
        return text, new_words
    contexts = _word_contexts(words)
    visible: set[tuple[str, Context]] = set()
    hidden: set[tuple[str, Context]] = set()
    for w, ctx in zip(words, contexts, strict=True):
        for m in pattern.finditer(w.text):
            (hidden if _key(w) in keys else visible).add((m.group().lower(), ctx))
    out: list[str] = []
    pos = 0
    line_start = 0
    for line in text.split("\n"):
        tokens = list(_TOKEN.finditer(line))
        for i, tok in enumerate(tokens):
            around = tuple(
                _norm(tokens[i + d].group()) if 0 <= i + d < len(tokens) else None
                for d in [*range(-CONTEXT, 0), *range(1, CONTEXT + 1)]
            )
            for m in pattern.finditer(tok.group()):
                place = (m.group().lower(), around)
                if place in visible and place not in hidden:
                    continue
                a = line_start + tok.start() + m.start()
                out.append(text[pos:a])
                out.append(MASK)
                pos = a + len(m.group())
        line_start += len(line) + 1
    out.append(text[pos:])
    return "".join(out), new_words

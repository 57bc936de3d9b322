"""Quote anchoring: find a cited quote on its page, exactly or after the page changed.

A citation keeps what Hypothesis's TextQuoteSelector keeps — the exact quote
with up to `CONTEXT` characters before and after it — plus where it was (a
character span in the page text). Re-finding it is, in order:

1. the stored span still holds the quote → `ok`;
2. the quote occurs elsewhere on the page (the text was re-extracted and
   shifted) → `moved`, choosing the occurrence whose surroundings best match
   the stored prefix and suffix;
3. a re-OCR changed some characters → the best fuzzy alignment
   (`rapidfuzz.fuzz.partial_ratio_alignment`), accepted only when the quote
   and its context both agree well → `changed`: found, but the page no longer
   holds those exact words, so a person must look before it is published;
4. otherwise `lost`.

Whitespace is not evidence: quotes compare with runs of spaces and line
breaks folded to one space, as a reader sees them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from readingroom.page import Box, Word

__all__ = [
    "CONTEXT",
    "Anchor",
    "Selector",
    "anchor",
    "boxes_for",
    "fold",
    "selector_at",
]

#: Characters of context kept before and after a quote.
CONTEXT = 32
#: A fuzzy re-anchor must align the quote at least this well (0..100), and its
#: prefix and suffix at least MIN_CONTEXT_SCORE: re-OCR misreads letters, but
#: templated records also repeat a sentence with other numbers.
MIN_QUOTE_WITH_CONTEXT = 80.0
MIN_CONTEXT_SCORE = 80.0

_WS = re.compile(r"\s+")


def fold(text: str) -> str:
    """Whitespace folded to single spaces and trimmed: how quotes compare."""
    return _WS.sub(" ", text).strip()


@dataclass(frozen=True)
class Selector:
    exact: str
    prefix: str = ""
    suffix: str = ""
    start: int = -1
    end: int = -1


@dataclass
class Anchor:
    state: str  # ok | moved | changed | lost
    start: int = -1
    end: int = -1
    found: str = ""  # the page's text at the span (equals the quote unless `changed`)
    score: float = 0.0
    boxes: list[Box] = field(default_factory=list)

    @property
    def holds_quote(self) -> bool:
        return self.state in ("ok", "moved")


def selector_at(text: str, start: int, end: int) -> Selector:
    """The selector for text[start:end], with its context."""
    return Selector(
        exact=text[start:end],
        prefix=text[max(0, start - CONTEXT) : start],
        suffix=text[end : end + CONTEXT],
        start=start,
        end=end,
    )


def _folded_index(text: str) -> tuple[str, list[int]]:
    """`fold(text)` without trimming, and for each of its characters the index in `text`."""
    out: list[str] = []
    where: list[int] = []
    prev_space = False
    for i, ch in enumerate(text):
        if ch.isspace():
            if prev_space:
                continue
            out.append(" ")
            prev_space = True
        else:
            out.append(ch)
            prev_space = False
        where.append(i)
    return "".join(out), where


def _context_score(text: str, start: int, end: int, sel: Selector) -> float:
    scores = []
    if sel.prefix.strip():
        before = fold(text[max(0, start - 2 * CONTEXT) : start])
        want = fold(sel.prefix)
        scores.append(fuzz.ratio(before[-len(want) :], want))
    if sel.suffix.strip():
        after = fold(text[end : end + 2 * CONTEXT])
        want = fold(sel.suffix)
        scores.append(fuzz.ratio(after[: len(want)], want))
    return sum(scores) / len(scores) if scores else 100.0


def _occurrences(text: str, quote: str) -> list[tuple[int, int]]:
    """Spans of `text` equal to `quote` up to whitespace."""
    folded, where = _folded_index(text)
    q = fold(quote)
    spans: list[tuple[int, int]] = []
    if not q:
        return spans
    i = folded.find(q)
    while i >= 0:
        spans.append((where[i], where[i + len(q) - 1] + 1))
        i = folded.find(q, i + 1)
    return spans


def anchor(text: str, sel: Selector) -> Anchor:
    """Find `sel` in `text` (the page's current text)."""
    q = fold(sel.exact)
    if not q:
        return Anchor("lost")
    if 0 <= sel.start < sel.end <= len(text) and fold(text[sel.start : sel.end]) == q:
        return Anchor("ok", sel.start, sel.end, text[sel.start : sel.end], 100.0)
    spans = _occurrences(text, sel.exact)
    if spans:
        best = max(
            spans,
            key=lambda s: (_context_score(text, s[0], s[1], sel), -abs(s[0] - max(sel.start, 0))),
        )
        return Anchor("moved", best[0], best[1], text[best[0] : best[1]], 100.0)
    folded, where = _folded_index(text)
    if not folded:
        return Anchor("lost")
    found = fuzz.partial_ratio_alignment(q, folded, score_cutoff=MIN_QUOTE_WITH_CONTEXT)
    if found is None:
        return Anchor("lost")
    a, b = found.dest_start, found.dest_end
    # Widen or trim to word edges: OCR changes letters, a citation holds words.
    while a > 0 and folded[a - 1] != " " and folded[a] != " ":
        a -= 1
    while b < len(folded) and folded[b - 1] != " " and folded[b] != " ":
        b += 1
    # Punctuation the quote does not start or end with is the page's, not the quote's.
    while a < b and (folded[a] == " " or (not folded[a].isalnum() and folded[a] != q[0])):
        a += 1
    while b > a and (
        folded[b - 1] == " " or (not folded[b - 1].isalnum() and folded[b - 1] != q[-1])
    ):
        b -= 1
    if b <= a:
        return Anchor("lost")
    start, end = where[a], where[b - 1] + 1
    score = fuzz.ratio(q, fold(text[start:end]))
    context = _context_score(text, start, end, sel)
    if score < MIN_QUOTE_WITH_CONTEXT or context < MIN_CONTEXT_SCORE:
        # Both must agree: templated records repeat a sentence with other numbers and
        # names, and only its neighbours tell the cited one from its siblings.
        return Anchor("lost")
    return Anchor("changed", start, end, text[start:end], float(score))


def boxes_for(words: list[Word], quote: str, near: float = 0.5) -> list[Box]:
    """Word boxes of the run of words spelling `quote`, merged per line.

    The page text and the word list are not one-to-one (reading order, line
    breaks), so the quote's tokens are matched against the words; of several
    runs, the one nearest `near` (a fraction of the page's words) wins.
    """
    tokens = fold(quote).split(" ")
    if not tokens or not tokens[0] or not words:
        return []
    n = len(tokens)
    texts = [w.text for w in words]
    runs = [i for i in range(len(texts) - n + 1) if _run_matches(texts, i, tokens)]
    if not runs:
        return []
    target = near * len(words)
    i = min(runs, key=lambda r: abs(r - target))
    return _line_boxes(words[i : i + n])


def _run_matches(texts: list[str], i: int, tokens: list[str]) -> bool:
    n = len(tokens)
    if n == 1:
        return tokens[0] in texts[i]
    if not texts[i].endswith(tokens[0]) or not texts[i + n - 1].startswith(tokens[-1]):
        return False
    return all(texts[i + k] == tokens[k] for k in range(1, n - 1))


def _line_boxes(words: list[Word]) -> list[Box]:
    lines: list[list[float]] = []
    for w in words:
        if lines:
            last = lines[-1]
            mid = (w.y0 + w.y1) / 2
            if last[1] <= mid <= last[3] and w.x0 >= last[0] - 1:
                last[2] = max(last[2], w.x1)
                last[1] = min(last[1], w.y0)
                last[3] = max(last[3], w.y1)
                continue
        lines.append([w.x0, w.y0, w.x1, w.y1])
    return [(round(a, 2), round(b, 2), round(c, 2), round(d, 2)) for a, b, c, d in lines]

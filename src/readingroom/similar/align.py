"""Word alignment of two long texts in near-linear time: anchors first, then difflib.

`difflib.SequenceMatcher` over whole releases grows with the square of their
length (two 48,000-word JFK releases: 19 s; a 500-page production would take
minutes and hold a server core). Patience-style anchoring fixes that: word
triples printed exactly once in each text, kept where they run in the same
order (a longest increasing subsequence), cut both texts into short stretches
that SequenceMatcher then aligns one by one. Releases of one record share most
of their triples, so the stretches are a few lines long.
"""

from __future__ import annotations

import bisect
import difflib
from collections.abc import Sequence

Opcode = tuple[str, int, int, int, int]

#: Words per anchor: a triple is rarely repeated in a document, a single word often is.
ANCHOR_WORDS = 3
#: A triple printed up to this many times in each text, equally often, still anchors.
MAX_REPEAT = 64
#: Below this many words on each side, plain SequenceMatcher is fast enough.
SMALL = 2_000


def opcodes(a: Sequence[str], b: Sequence[str]) -> list[Opcode]:
    """difflib-style opcodes (tag, i1, i2, j1, j2) turning `a` into `b`."""
    if len(a) < SMALL or len(b) < SMALL:
        return _plain(a, b)
    anchors = _anchors(a, b)
    if not anchors:  # nothing printed equally often in both: one stretch, the slow way
        return _plain(a, b)
    out: list[Opcode] = []
    i0 = j0 = 0
    for i, j in anchors:
        if i < i0 or j < j0:
            continue  # overlaps the previous anchor's words
        _stretch(a, b, i0, i, j0, j, out)
        _emit(out, ("equal", i, i + ANCHOR_WORDS, j, j + ANCHOR_WORDS))
        i0, j0 = i + ANCHOR_WORDS, j + ANCHOR_WORDS
    _stretch(a, b, i0, len(a), j0, len(b), out)
    return out


def _plain(a: Sequence[str], b: Sequence[str]) -> list[Opcode]:
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return [(str(tag), i1, i2, j1, j2) for tag, i1, i2, j1, j2 in sm.get_opcodes()]


def _anchors(a: Sequence[str], b: Sequence[str]) -> list[tuple[int, int]]:
    """Triples each text prints equally often (once, or a few times: a memo copied
    four times in one record), the n-th in A paired with the n-th in B; the
    longest run of pairs in the same order."""

    def triples(seq: Sequence[str]) -> dict[tuple[str, ...], list[int]]:
        where: dict[tuple[str, ...], list[int]] = {}
        for k in range(len(seq) - ANCHOR_WORDS + 1):
            where.setdefault(tuple(seq[k : k + ANCHOR_WORDS]), []).append(k)
        return where

    ta, tb = triples(a), triples(b)
    pairs = sorted(
        (i, j)
        for g in ta.keys() & tb.keys()
        if len(ta[g]) == len(tb[g]) <= MAX_REPEAT
        for i, j in zip(ta[g], tb[g], strict=True)
    )
    # longest increasing subsequence of the B positions (patience sorting)
    tails: list[int] = []
    tail_at: list[int] = []
    back: list[int] = []
    for n, (_, j) in enumerate(pairs):
        k = bisect.bisect_left(tails, j)
        if k == len(tails):
            tails.append(j)
            tail_at.append(n)
        else:
            tails[k] = j
            tail_at[k] = n
        back.append(tail_at[k - 1] if k else -1)
    chain = []
    n = tail_at[-1] if tail_at else -1
    while n >= 0:
        chain.append(pairs[n])
        n = back[n]
    return chain[::-1]


def _stretch(
    a: Sequence[str], b: Sequence[str], i1: int, i2: int, j1: int, j2: int, out: list[Opcode]
) -> None:
    if i1 == i2 and j1 == j2:
        return
    # a long stretch is anchored again: triples repeated in the whole text may be
    # printed once inside it
    for tag, x1, x2, y1, y2 in opcodes(a[i1:i2], b[j1:j2]):
        _emit(out, (tag, i1 + x1, i1 + x2, j1 + y1, j1 + y2))


def _emit(out: list[Opcode], op: Opcode) -> None:
    """Append, joining an equal block to the equal block before it."""
    if out and op[0] == "equal" and out[-1][0] == "equal" and out[-1][2] == op[1]:
        prev = out.pop()
        op = ("equal", prev[1], op[2], prev[3], op[4])
    out.append(op)


def matched(a: Sequence[str], b: Sequence[str]) -> set[int]:
    """Indices of `b` that `a` prints in the same place (inside equal blocks)."""
    return {j for tag, _, _, j1, j2 in opcodes(a, b) if tag == "equal" for j in range(j1, j2)}

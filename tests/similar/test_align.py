"""Anchored word alignment: the same opcodes contract as difflib, in near-linear time."""

from __future__ import annotations

import difflib
import random

from readingroom.similar.align import SMALL, matched, opcodes


def _valid(a: list[str], b: list[str], ops: list[tuple[str, int, int, int, int]]) -> bool:
    i = j = 0
    for tag, i1, i2, j1, j2 in ops:
        if (i1, j1) != (i, j) or (tag == "equal" and a[i1:i2] != b[j1:j2]):
            return False
        i, j = i2, j2
    return (i, j) == (len(a), len(b))


def _release(rng: random.Random, n: int) -> list[str]:
    vocab = [f"w{k}" for k in range(3000)]
    return [rng.choice(vocab) for _ in range(n)]


def test_short_texts_align_exactly_as_difflib_does() -> None:
    rng = random.Random(1)
    a = _release(rng, 300)
    b = [*a[:100], "restored", "passage", "here", *a[100:250], *a[260:]]
    want = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    assert opcodes(a, b) == want


def test_long_texts_with_repeated_copies_align_and_find_the_restored_passage() -> None:
    rng = random.Random(2)
    memo = _release(rng, 2 * SMALL)
    a = [*memo, *_release(rng, SMALL), *memo]  # a record holding one memo twice
    passage = ["the", "head", "of", "the", "liaison", "service", "asked"]
    b = [*a[:500], *passage, *a[500:]]
    ops = opcodes(a, b)
    assert _valid(a, b, ops)
    inserted = [(j1, j2) for tag, _, _, j1, j2 in ops if tag == "insert"]
    assert inserted == [(500, 500 + len(passage))]
    assert len(matched(a, b)) == len(a)  # every word A prints is matched in B

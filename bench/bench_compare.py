"""`compare` on two releases of one record, from 20 to 640 pages, against whole-text difflib.

Releases are generated: pages of twenty 15-word sentences from the 20,000
most common English words of four letters or more; the earlier release
lacks one passage in twenty (a blank where it was withheld) and is
OCR-degraded, the later one prints all.
Timed: `similar.compare.compare` (passage alignment, restored runs, restored
terms) with one witness. The reference is what restored-run alignment did
before `similar.align` — one `difflib.SequenceMatcher` over both releases'
words — measured in the same run on the sizes it finishes in reasonable time,
and extrapolated by its measured growth. Printed: seconds per size, growth
per doubling for both, the share of planted passages `compare` reported, and
the projection to a 5,000-page release.

    python bench/bench_compare.py [--pages 20 40 80 160 320 640] [--reference-max 80]
"""

from __future__ import annotations

import argparse
import difflib
import math
import random
import time

from readingroom.similar.compare import Release, Witness, compare
from readingroom.similar.evaluate import degrade

COMMON = "the of and to in a that was for on with as by at from this his which".split()


def vocabulary(n: int = 20_000) -> list[str]:
    """Real English words (the lexicon restored runs are judged by), most frequent first."""
    from spellchecker import SpellChecker

    counts = SpellChecker(distance=1).word_frequency.dictionary
    words = sorted((w for w in counts if len(w) >= 4 and w.isalpha()), key=lambda w: -counts[w])
    return words[:n]


VOCAB = vocabulary()


def sentence(rng: random.Random) -> str:
    words = [rng.choice(COMMON) if rng.random() < 0.45 else rng.choice(VOCAB) for _ in range(15)]
    return " ".join(words).capitalize() + "."


def releases(pages: int, seed: int = 1) -> tuple[Release, Release, str, list[str]]:
    rng = random.Random(seed)
    early, late, planted = [], [], []
    for p in range(1, pages + 1):
        kept, full = [], []
        for _ in range(20):
            s = sentence(rng)
            full.append(s)
            if rng.random() < 0.05:
                planted.append(s)
                kept.append("")  # withheld: a blank in the earlier release
            else:
                kept.append(s)
        late.append((p, "\n".join(full)))
        early.append((p, degrade("\n".join(kept), rng, rate=0.02)))
    witness = "\n".join(t for _, t in early)
    return (
        Release("a", "early.pdf", early, {}, "2018-01-01"),
        Release("b", "late.pdf", late, {}, "2022-01-01"),
        witness,
        planted,
    )


def timed_compare(pages: int) -> tuple[float, float]:
    a, b, witness, planted = releases(pages)
    t0 = time.perf_counter()
    out = compare(a, b, witnesses=[Witness(witness, "2018-01-01")])
    seconds = time.perf_counter() - t0
    found = " ".join(d["b_words"] for d in out["differences"] if d["kind"] == "restored_in_b")
    share = sum(s.rstrip(".").lower() in found.lower() for s in planted) / max(1, len(planted))
    return seconds, share


def timed_reference(pages: int) -> float:
    a, b, _, _ = releases(pages)
    wa = " ".join(t for _, t in a.pages).lower().split()
    wb = " ".join(t for _, t in b.pages).lower().split()
    t0 = time.perf_counter()
    difflib.SequenceMatcher(None, wa, wb, autojunk=False).get_opcodes()
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, nargs="+", default=[20, 40, 80, 160, 320, 640])
    ap.add_argument("--reference-max", type=int, default=80)
    args = ap.parse_args()
    rows = []
    ref: dict[int, float] = {}
    for n in args.pages:
        seconds, share = timed_compare(n)
        if n <= args.reference_max:
            ref[n] = timed_reference(n)
        rows.append((n, seconds, share))
        r = f"{ref[n]:8.2f} s" if n in ref else "       —"
        print(
            f"{n:5d} pages ({n * 300:7,d} words): compare {seconds:7.2f} s   difflib whole text {r}"
            f"   planted passages reported {share:.2f}"
        )
    (n0, s0, _), (n1, s1, _) = rows[0], rows[-1]
    doublings = math.log2(n1 / n0)
    growth = (s1 / s0) ** (1 / doublings)
    print(f"\ncompare: ×{growth:.2f} per doubling of pages ({n0}→{n1})")
    if len(ref) >= 2:
        (r0, t0), (r1, t1) = min(ref.items()), max(ref.items())
        rgrowth = (t1 / t0) ** (1 / math.log2(r1 / r0))
        at_last = t1 * rgrowth ** math.log2(n1 / r1)
        print(
            f"difflib whole text: ×{rgrowth:.2f} per doubling ({r0}→{r1}); extrapolated to "
            f"{n1} pages {at_last:,.0f} s, {at_last / s1:,.0f}× compare's {s1:.1f} s"
        )
    print(f"projection to 5,000 pages: compare {s1 * growth ** math.log2(5000 / n1):,.0f} s")


if __name__ == "__main__":
    main()

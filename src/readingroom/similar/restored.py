"""Passages one release prints where another has nothing: withheld without a code.

Records released again years later (the JFK releases, a re-processed
production) often withhold by blacking out: the earlier text simply lacks
the passage, with no `(b)(6)` to find. Comparing the two texts word by word
finds the passage, but also every line one OCR read and the other did not,
every garbled line, and every line read in another order. A run of B is
reported only when

* it reads as language: most of its words are English words (an offline
  lexicon, `pyspellchecker`'s), numbers, or names the record prints elsewhere
  — OCR garble (`Seprember ey`, `rime Minister PY pekween`) does not;
* A holds no reading of it: not its word triples anywhere (text read in
  another order), not a misread copy near the same place nor anywhere else
  (fuzzy search over all of A);
* it is not the release's own stamp (`2022 RELEASE UNDER THE … ACT`).

Other releases of the same record, when known, are *witnesses*: a name or
cryptonym they print counts as a word (`HALPERIN`, `AMBRONC/5`).

What cannot be told from text is a line A's OCR lost entirely (faint, at
the page edge, handwriting) from a line A withheld; the labelled figures in
`tests/truth/similar` say how often that happens on real records.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Sequence
from functools import cache
from typing import Any

from rapidfuzz import fuzz

#: Words a restored passage must hold that read as words, and their share of its tokens.
RESTORED_MIN_WORDS = 4
RESTORED_WORDLIKE = 0.8
#: Share of a run's word triples found anywhere in A above which the run only moved.
MOVED_SHARE = 0.25
#: Words of A either side of the run searched for a misread copy of it, and how alike.
NEAR_WORDS = 60
NEAR_SIMILAR = 70.0
#: How alike a misread copy anywhere else in A must be (stricter: more text to match by chance).
FAR_SIMILAR = 80.0
#: Words of A opposite the run that may read as words before A is said to print something there.
A_SIDE_SHARE = 0.25

#: A release stamp: the words a re-release prints on its pages, not record content.
RELEASE_STAMP = re.compile(
    r"\b(?:19|20)\d\d\s+RELEASE\s+UNDER\b|\bRELEASED?\s+(?:IN\s+FULL|UNDER\s+THE)\b"
    r"|\bAPPROVED\s+FOR\s+RELEASE\b|\bDECLASSIFIED\s+(?:AND\s+RELEASED|BY)\b",
    re.I,
)
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]|\d[\d/.,:-]*")
_LONE = {"a", "i", "o"}


@cache
def _lexicon() -> frozenset[str]:
    """English words, lower-case, from pyspellchecker's bundled frequency list (offline)."""
    from spellchecker import SpellChecker

    return frozenset(SpellChecker(distance=1).word_frequency.dictionary)


def _words(tok: str) -> list[str]:
    return _TOKEN.findall(tok)


def _reads(tok: str, names: Counter[str]) -> bool:
    """A token reads as language: a word, a number, or a name the record prints twice."""
    parts = _words(tok)
    if not parts:
        return False
    lex = _lexicon()
    for w in parts:
        if w[0].isdigit():
            continue
        low = w.lower()
        if len(low) == 1:
            if low not in _LONE:
                return False
        elif low not in lex and not (w[0].isupper() and names[low] >= 2):
            return False
    return True


def _fragment_of(tok: str, run: Sequence[str]) -> bool:
    """A's token is a cut or misread piece of one of B's words (`preser` for `present`)."""
    t = _norm(tok).replace(" ", "")
    if len(t) < 3:
        return False
    return any(
        (w := _norm(x).replace(" ", "")).startswith(t) or fuzz.ratio(t, w) >= 75 for x in run
    )


def _norm(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def restored_runs(
    a_text: str, b_text: str, *, witnesses: Sequence[str] = ()
) -> list[dict[str, Any]]:
    """Runs of words B prints where A has nothing readable: passages restored in B.

    Each run: `text` (B's words), `a_text` (what A prints opposite it), `b_start`
    (its first word's index in B's whitespace-split text).
    """
    a = a_text.split()
    b = b_text.split()
    names = Counter(
        w.lower() for t in (a_text, b_text, *witnesses) for w in re.findall(r"[A-Za-z]{2,}", t)
    )
    a_norm = _norm(a_text)
    keys_a = [_norm(t) or t for t in a]
    keys_b = [_norm(t) or t for t in b]
    out = []
    sm = difflib.SequenceMatcher(None, keys_a, keys_b, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op not in ("insert", "replace"):
            continue
        run = b[j1:j2]
        tokens = [t for t in run if _words(t)]
        good = [t for t in tokens if _reads(t, names)]
        content = [t for t in good if any(len(w) >= 3 and w.isalpha() for w in _words(t))]
        if len(content) < RESTORED_MIN_WORDS or len(good) < RESTORED_WORDLIKE * len(tokens):
            continue  # too short, or mostly garble: OCR, not a passage
        opposite = [t for t in a[i1:i2] if _reads(t, names) or _fragment_of(t, run)]
        if len(opposite) > A_SIDE_SHARE * len(content):
            continue  # A prints words here too (or pieces of them): a misreading, not a gap
        text = " ".join(run)
        if RELEASE_STAMP.search(text):
            continue
        w = _norm(text).split()
        tri = [" ".join(w[i : i + 3]) for i in range(len(w) - 2)]
        if tri and sum(t in a_norm for t in tri) > MOVED_SHARE * len(tri):
            continue  # A prints these words elsewhere: OCR read the page in another order
        low = _norm(text)
        near = _norm(" ".join(a[max(0, i1 - NEAR_WORDS) : i2 + NEAR_WORDS]))
        if fuzz.partial_ratio(low, near) >= NEAR_SIMILAR:
            continue  # A prints the same words nearby, misread
        if len(low) >= 20 and fuzz.partial_ratio(low, a_norm) >= FAR_SIMILAR:
            continue  # … or misread somewhere else
        out.append({"text": text, "a_text": " ".join(a[i1:i2]), "b_start": j1})
    return out

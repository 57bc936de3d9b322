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
  another order), not a misread copy or most of its unusual words within
  2,000 words of its place (a search over all of A for every run would make
  comparing long releases quadratic), not pieces of its words cut at a line's
  edge;
* it is not the release's own stamp (`2022 RELEASE UNDER THE … ACT`).

`restored_terms` finds what runs cannot: a single name restored in several
places (`Australian` ×26) that A prints nowhere.

Other releases of the same record, when known, are *witnesses*: a name or
cryptonym they print counts as a word (`HALPERIN`, `AMBRONC/5`). Those released
no later than A are stronger: withholding only shrinks as a record is released
again, so a passage an earlier release printed was disclosed in A too, and A's
text lacking it is an OCR loss (on the labelled JFK records, most of what the
2023 text lacks and 2025 prints is of this kind). A release between A and B
that prints the run in the same place released it first: the restoration is
that release's (compare A with it), and across two OCR engines most such runs
are lines A's engine lost.

What cannot be told from text is a line A's OCR lost entirely (faint, at
the page edge, handwriting) from a line A withheld; the labelled figures in
`tests/truth/similar` say how often that happens on real records.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from rapidfuzz import fuzz

from readingroom.similar.align import Opcode, matched, opcodes
from readingroom.similar.text import OCR_LOOKALIKES

#: Words a restored passage must hold that read as words, and their share of its tokens.
RESTORED_MIN_WORDS = 3
RESTORED_WORDLIKE = 0.8
#: … of which this share must be words as printed (not one letter misread).
RESTORED_STRICT = 0.65
#: Share of a run's word triples found anywhere in A above which the run only moved.
MOVED_SHARE = 0.25
#: Words of A either side of the run searched for a misread copy of it, and how alike.
NEAR_WORDS = 60
NEAR_SIMILAR = 70.0
#: How alike a misread copy elsewhere in A must be (stricter: more text to match by chance),
#: and how many words either side of the run's place it is looked for.
FAR_SIMILAR = 80.0
FAR_WORDS = 2_000
#: Words at least this common are everyday English; the rest are a passage's own words.
COMMON_COUNT = 100_000
#: Share of a run's own (unusual) words A prints elsewhere above which A holds the passage.
A_KNOWS_SHARE = 0.7
#: Share of a run's words a release between A and B must print in the same place to have
#: released it first (on the tuned-on JFK records, 2022 → 2025 with 2023 between: wrong
#: runs 35 → 5, right ones 21 → 10 — those ten are 2023's restorations, attributed to it).
BETWEEN_SHARE = 0.5
#: Share of a run's word triples an earlier release must print to have disclosed it.
EARLIER_SHARE = 0.5
#: Words of A opposite the run that may read as words before A is said to print something there.
A_SIDE_SHARE = 0.25

#: Runs up to this many words that hold a stamp's words are the stamp.
STAMP_WORDS = 30
#: Letters a word must have before one misread letter still reads as that word.
MISREAD_LETTERS = 7
#: Release and declassification-review stamps: what a release prints on its pages
#: about itself (`2022 RELEASE UNDER THE … ACT`, `NO OBJECTION TO DECLASSIFICATION`,
#: `ALL INFORMATION CONTAINED HEREIN IS UNCLASSIFIED`), not record content.
RELEASE_STAMP = re.compile(
    r"\b(?:19|20)\d\d\s+RELEASE\s+UNDER\b|\bRELEASED?\s+(?:IN\s+FULL|UNDER\s+THE)\b"
    r"|\bAPPROVED\s+FOR\s+RELEASE\b|\bDECLASSIFIED\s+(?:AND\s+RELEASED|BY|ON)\b"
    r"|\bOBJECTION\s+TO\s+DECLASSIFICATION\b|\bDECLASSIFY\s+ON\b|\bCLASSIFIED\s+BY\b"
    r"|\bINFORMATION\s+CONTAINED\s+HEREIN\b|\bEXCEPT\s+WHERE\s+SHOWN\b",
    re.I,
)
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]|\d[\d/.,:-]*")
_LONE = {"a", "i", "o"}


#: How common (count in pyspellchecker's English frequency list) a word of each
#: length must be to read as language: OCR garble is full of rare short words
#: (`rime` 62, `tho` 262, `jo` 882) while real prose of two letters is `of`, `to`, `by`.
_MIN_COUNT = {2: 100_000, 3: 1_000, 4: 1_000}
_MIN_COUNT_LONG = 20


@cache
def _counts() -> dict[str, int]:
    """pyspellchecker's bundled English word counts (offline; loaded once, 0.12 s)."""
    from spellchecker import SpellChecker

    return dict(SpellChecker(distance=1).word_frequency.dictionary)


@cache
def _lexicon() -> frozenset[str]:
    """Common English words, lower-case."""
    return frozenset(
        w for w, n in _counts().items() if n >= _MIN_COUNT.get(len(w), _MIN_COUNT_LONG)
    )


def _words(tok: str) -> list[str]:
    return _TOKEN.findall(tok)


def _reads(tok: str, names: Counter[str], *, misread: bool = False) -> bool:
    """A token reads as language: a word, a number, or a name the record prints twice.

    `misread`: a long word one letter away from a common one also reads.
    """
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
        elif (
            low not in lex
            and not (w[0].isupper() and len(low) >= 3 and names[low] >= 2)
            and not (misread and _misread_word(low))
        ):
            return False
    return True


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


@cache
def _common() -> frozenset[str]:
    """Everyday English words (count ≥ 100,000): what any two passages share by chance."""
    return frozenset(w for w, n in _counts().items() if n >= COMMON_COUNT)


@cache
def _misread_word(w: str, min_letters: int = 0) -> bool:
    """A long word one OCR slip away from a common one (`australlan`, `classifled`)."""
    if len(w) < (min_letters or MISREAD_LETTERS) or not w.isalpha():
        return False
    lex = _lexicon()
    splits = [(w[:i], w[i:]) for i in range(len(w) + 1)]
    edits = (
        {a + b[1:] for a, b in splits if b}
        | {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
        | {a + c + b for a, b in splits for c in _LETTERS}
        | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    )
    return not edits.isdisjoint(lex)


def _fragment_of(tok: str, run: Sequence[str]) -> bool:
    """A's token is a cut or misread piece of one of B's words (`preser` for `present`,
    `NC/5.` for `AWBRONC/5.`: a line cut at either edge)."""
    t = _norm(tok).replace(" ", "")
    if len(t) < 3:
        return False
    return any(t in (w := _norm(x).replace(" ", "")) or fuzz.ratio(t, w) >= 75 for x in run)


def _prints(words: list[str], triples: set[str], tri: list[str], low: str, at: float) -> bool:
    """Another release prints the run: most of its word triples anywhere, or a close
    misreading near the same share of the way through (`at`, 0–1)."""
    if tri and sum(t in triples for t in tri) >= EARLIER_SHARE * len(tri):
        return True
    return len(low) >= 12 and fuzz.partial_ratio(low, _around(words, at)) >= FAR_SIMILAR


def _around(words: list[str], at: float) -> str:
    """The words of a text within FAR_WORDS of the point `at` (0–1) of the way through.

    A misread copy is searched near where it should be, not in the whole text:
    reading-order slips stay within a page or two, and a search over a whole
    500-page release for every candidate would make comparing it quadratic.
    """
    mid = int(at * len(words))
    return " ".join(words[max(0, mid - FAR_WORDS) : mid + FAR_WORDS])


def _triples(norm: str) -> set[str]:
    """A normalised text's word triples, looked up once per run rather than searched."""
    w = norm.split()
    return {" ".join(w[i : i + 3]) for i in range(len(w) - 2)}


def _printed_in(keys_b: list[str], texts: Sequence[str]) -> set[int]:
    """Indices of B's words that one of `texts` prints in the same place (aligned word for word)."""
    out: set[int] = set()
    for t in texts:
        out |= matched([_norm(x) or x for x in t.split()], keys_b)
    return out


def _norm(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


@dataclass
class _Pair:
    """Two releases' words aligned once, for restored runs and restored terms alike."""

    a_text: str
    b_text: str
    a: list[str]
    b: list[str]
    ops: list[Opcode]
    #: B's words a release between A and B prints in the same place.
    printed_between: set[int]
    a_norm: str
    #: The releases no later than A, normalised.
    earlier: list[str]


def _pair(a_text: str, b_text: str, earlier: Sequence[str], between: Sequence[str]) -> _Pair:
    a, b = a_text.split(), b_text.split()
    keys_b = [_norm(t) or t for t in b]
    return _Pair(
        a_text,
        b_text,
        a,
        b,
        opcodes([_norm(t) or t for t in a], keys_b),
        _printed_in(keys_b, between),
        _norm(a_text),
        [_norm(t) for t in earlier],
    )


def restorations(
    a_text: str,
    b_text: str,
    *,
    witnesses: Sequence[str] = (),
    earlier: Sequence[str] = (),
    between: Sequence[str] = (),
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """`restored_runs` and `restored_terms` of one pair, aligned once (what `compare` asks)."""
    pair = _pair(a_text, b_text, earlier, between)
    return _runs(pair, witnesses), _terms(pair)


def restored_runs(
    a_text: str,
    b_text: str,
    *,
    witnesses: Sequence[str] = (),
    earlier: Sequence[str] = (),
    between: Sequence[str] = (),
) -> list[dict[str, Any]]:
    """Runs of words B prints where A has nothing readable: passages restored in B.

    `witnesses`: other releases of the record; `earlier`: those of them released
    no later than A; `between`: those released after A and before B — what one
    of them already prints in the same place is its restoration, not B's. Each
    run: `text` (B's words), `a_text` (what A prints opposite it), `b_start`
    (its first word's index in B's whitespace-split text).
    """
    return _runs(_pair(a_text, b_text, earlier, between), witnesses)


def _runs(pair: _Pair, witnesses: Sequence[str]) -> list[dict[str, Any]]:
    a, b, a_norm = pair.a, pair.b, pair.a_norm
    names = Counter(
        w.lower()
        for t in (pair.a_text, pair.b_text, *witnesses)
        for w in re.findall(r"[A-Za-z]{2,}", t)
    )
    a_triples = _triples(a_norm)
    a_split = a_norm.split()
    before = [(n.split(), _triples(n)) for n in pair.earlier]
    printed_between = pair.printed_between
    out = []
    for op, i1, i2, j1, j2 in pair.ops:
        if op not in ("insert", "replace"):
            continue
        run = b[j1:j2]
        tokens = [t for t in run if _words(t)]
        good = [t for t in tokens if _reads(t, names)]
        content = [t for t in good if any(len(w) >= 3 and w.isalpha() for w in _words(t))]
        near_words = [t for t in tokens if _reads(t, names, misread=True)]
        if (
            len(content) < RESTORED_MIN_WORDS
            or len(near_words) < RESTORED_WORDLIKE * len(tokens)
            or len(good) < RESTORED_STRICT * len(tokens)
        ):
            continue  # too short, or mostly garble: OCR, not a passage
        opposite = [t for t in a[i1:i2] if _reads(t, names) or _fragment_of(t, run)]
        if len(opposite) > A_SIDE_SHARE * len(content):
            continue  # A prints words here too (or pieces of them): a misreading, not a gap
        text = " ".join(run)
        if len(run) <= STAMP_WORDS and RELEASE_STAMP.search(text):
            continue  # a stamp is a line or two, not a paragraph that mentions declassification
        w = _norm(text).split()
        tri = [" ".join(w[i : i + 3]) for i in range(len(w) - 2)]
        if tri and sum(t in a_triples for t in tri) > MOVED_SHARE * len(tri):
            continue  # A prints these words elsewhere: OCR read the page in another order
        low = _norm(text)
        near = _norm(" ".join(a[max(0, i1 - NEAR_WORDS) : i2 + NEAR_WORDS]))
        if fuzz.partial_ratio(low, near) >= NEAR_SIMILAR:
            continue  # A prints the same words nearby, misread
        at = i1 / max(1, len(a))
        region = _around(a_split, at)
        if len(low) >= 20 and fuzz.partial_ratio(low, region) >= FAR_SIMILAR:
            continue  # … or misread somewhere else
        rare = {x for x in w if len(x) >= 4 and x.isalpha() and x not in _common()}
        if len(rare) >= 3 and len(rare & set(region.split())) >= A_KNOWS_SHARE * len(rare):
            continue  # A prints its unusual words (names, form words) elsewhere: not withheld
        if any(_prints(n, t3, tri, low, at) for n, t3 in before):
            continue  # a release no later than A printed it: A disclosed it, its OCR lost it
        if sum(j in printed_between for j in range(j1, j2)) >= BETWEEN_SHARE * (j2 - j1):
            continue  # a release between A and B prints it in the same place
        out.append({"text": text, "a_text": " ".join(a[i1:i2]), "b_start": j1})
    return out


@cache
def _everyday() -> frozenset[str]:
    """Words too common to be what an agency withholds throughout (`office`, `secret`)."""
    return frozenset(w for w, n in _counts().items() if n >= TERM_EVERYDAY_COUNT)


def _ocr_fold(word: str) -> str:
    for seen, meant in OCR_LOOKALIKES:
        word = word.replace(seen, meant)
    return word


#: Words at least this common are everyday words, not withheld terms: `office` (181,490),
#: `secret`, `except` are out; `American` (141,844), `French` (104,335) stay in.
TERM_EVERYDAY_COUNT = 150_000
#: Times B must print a term in places A leaves empty before the term counts as withheld.
TERM_MIN_PLACES = 2
#: Letters a term needs (shorter capitalised words are initials, abbreviations, garble).
TERM_MIN_LETTERS = 4
#: How alike an A word may be to the term before A is said to print it (a misreading).
TERM_SIMILAR = 85.0


def restored_terms(
    a_text: str,
    b_text: str,
    *,
    earlier: Sequence[str] = (),
    between: Sequence[str] = (),
) -> list[dict[str, Any]]:
    """Names and words B prints in several places where A has a gap, and A prints nowhere.

    A single restored word looks like one OCR dropped; the same name restored in
    several gaps, and printed nowhere in A, is a term A withheld throughout (a
    foreign service, a source's name). Each: `term`, `places` (B word indices).
    """
    return _terms(_pair(a_text, b_text, earlier, between))


def _terms(pair: _Pair) -> list[dict[str, Any]]:
    from rapidfuzz import process

    b = pair.b
    lines = pair.b_text.split("\n")
    line_of = [n for n, line in enumerate(lines) for _ in line.split()]
    a_vocab = set(pair.a_norm.split())
    before = [set(n.split()) for n in pair.earlier]
    gaps: dict[str, list[int]] = {}
    shown: dict[str, str] = {}
    for op, _, _, j1, j2 in pair.ops:
        if op not in ("insert", "replace"):
            continue
        for j in range(j1, j2):
            word = re.sub(r"[^A-Za-z]", "", b[j])
            if len(word) < TERM_MIN_LETTERS or not word[0].isupper() or j in pair.printed_between:
                continue
            if RELEASE_STAMP.search(lines[line_of[j]]):
                continue  # a word of the release's stamp
            gaps.setdefault(word.lower(), []).append(j)
            shown.setdefault(word.lower(), word)
    folded = {_ocr_fold(w) for w in a_vocab}
    out = []
    for term, places in gaps.items():
        if len(places) < TERM_MIN_PLACES or term in a_vocab or term in _everyday():
            continue
        if any(term in v for v in before):
            continue  # an earlier release printed it: not withheld in A
        if len(term) >= 6 and term not in _lexicon() and _misread_word(term, min_letters=6):
            continue  # one letter off a common word: a misreading (`secrel`, `othernise`)
        if _ocr_fold(term) in folded or process.extractOne(
            _ocr_fold(term), folded, scorer=fuzz.ratio, score_cutoff=TERM_SIMILAR
        ):
            continue  # A prints it misread (`Tarnayo` for `Tamayo`)
        out.append({"term": shown[term], "places": places})
    return sorted(out, key=lambda t: (-len(t["places"]), t["term"].lower()))

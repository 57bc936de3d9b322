"""Is a PDF page's text layer worth keeping, or must the page be OCR'd?

FOIA productions are mostly scans. Some carry no text layer, some carry a
broken one (fonts without a Unicode map give `(cid:12)` runs, private-use
glyphs or U+FFFD), and many carry only the Bates stamp the agency printed on
top of the scan. Each case looks like "text" to a naive check and would make
the page unsearchable, so the PDF extractor asks `needs_ocr` per page.
"""

from __future__ import annotations

import re

_CID = re.compile(r"\(cid:\d+\)")
_WORD = re.compile(r"[^\W\d_]{2,}")
_VOWEL = re.compile(r"[aeiouyàâäéèêëîïôöùûüáíóúãõåæøœ]", re.IGNORECASE)
# A Bates number (prefix + zero-padded counter) or a short page stamp.
# Linear-time on any line: no nested quantifiers (a line of prose must not backtrack).
_STAMP = re.compile(
    r"^\s*(?:[A-Z][A-Z0-9_.-]{0,30}[ _-]){0,4}\d{4,}\s*$|^\s*page\s+\d+(?:\s+of\s+\d+)?\s*$",
    re.IGNORECASE,
)

#: Below this, a text layer is treated as garbage.
MIN_QUALITY = 0.5
#: A page whose image covers this fraction is a scan; its text layer must prove itself.
SCAN_COVERAGE = 0.6
#: Fewer meaningful characters than this on a scanned page: only a stamp or a header.
MIN_CHARS_ON_SCAN = 40


# Junk characters: U+FFFD, private use (unmapped glyphs), control and format
# characters other than whitespace. Counted with regexes, not per character in
# Python: this runs on every page of every PDF and must cost far less than the
# extraction itself.
_BAD = re.compile(
    "[\ufffd\ue000-\uf8ff\U000f0000-\U0010fffd\x00-\x08\x0e-\x1f\x7f-\x9f"
    "\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\ud800-\udfff]"
)
_SPACE = re.compile(r"\s+")
# Visible characters that are neither letters/digits nor common punctuation;
# rare in real text, so counting them (not the plain ones) builds short lists.
_NOT_PLAIN = re.compile(r"[^\w.,;:!?'\"()\-/$%&@#§]|_")
_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_VOWELS = "aeiouyAEIOUY"
_HAS_DIGIT = re.compile(r"\d")
#: Enough text to judge a page; longer layers are judged on this much.
SAMPLE_CHARS = 1000


def text_quality(text: str) -> float:
    """Score 0..1 of how much a text layer looks like real language.

    Product of: share of characters that are not junk (replacement, private
    use, control, `(cid:NN)`), share of letters/digits/punctuation among
    visible characters, and share of tokens that look like words (letters
    with a vowel, or numbers) — a font remapped to wrong glyphs passes the
    first two checks but fails the third.
    """
    if not text or not text.strip():
        return 0.0
    text = text[:SAMPLE_CHARS]
    cid_chars = sum(len(m) for m in _CID.findall(text))
    stripped = _CID.sub(" ", text)
    visible = _SPACE.sub("", stripped)
    total_visible = len(visible) + cid_chars
    if total_visible == 0:
        return 0.0
    n_bad = len(_BAD.findall(visible))
    clean = 1.0 - (n_bad + cid_chars) / total_visible
    n_good = len(visible) - n_bad
    if n_good <= 0:
        return 0.0
    # Junk characters are also "not plain": add them back to judge the rest.
    n_plain = len(visible) - len(_NOT_PLAIN.findall(visible))
    plain = min(1.0, max(0.0, n_plain) / n_good)
    tokens = stripped.split()
    wordy = 0
    for tok in tokens:
        core = tok.strip(".,;:!?'\"()[]{}<>-–—/*")
        if not core:
            continue
        if _HAS_DIGIT.search(core) and sum(c.isalnum() for c in core) >= len(core) / 2:
            wordy += 1  # numbers, dates, Bates counters, (b)(6)
        elif _WORD.fullmatch(core) and (_VOWEL.search(core) or core.isupper()):
            wordy += 1
        elif len(core) == 1 and core.isalpha():
            wordy += 1  # "a", "I", list markers
    word_share = wordy / max(len(tokens), 1)
    # Latin-script prose is ~35-45% vowels; a font mapped to the wrong glyphs
    # (a shifted alphabet) keeps word shapes but not that ratio.
    n_letters = sum(map(visible.count, _LETTERS))
    vowel_fit = 1.0
    if n_letters >= 30:
        ratio = sum(map(visible.count, _VOWELS)) / n_letters
        vowel_fit = max(0.0, 1.0 - max(0.0, 0.25 - ratio, ratio - 0.6) * 5)
    # Word share is the least reliable (names, codes, OCR'd tables): soften it.
    return round(clean * plain * vowel_fit * (0.4 + 0.6 * word_share), 3)


def plainly_fine(text: str) -> bool:
    """A cheap yes for the common case: a long layer of ordinary prose.

    No junk characters, mostly letters, and a vowel share that real Latin
    script has (a font mapped to wrong glyphs fails that). When this says yes,
    `needs_ocr` would say no whatever the page's images: the PDF extractor
    skips the full check, which costs as much as extracting the page.
    """
    sample = text[:SAMPLE_CHARS]
    if len(sample) < 200 or _BAD.search(sample) or "(cid:" in sample:
        return False
    letters = sum(map(sample.count, _LETTERS))
    if letters < 0.5 * len(_SPACE.sub("", sample)):
        return False
    vowels = sum(map(sample.count, _VOWELS))
    return 0.3 <= vowels / letters <= 0.5


def _meaningful(text: str) -> str:
    """The text without lines that are only a Bates number or page stamp."""
    return "\n".join(ln for ln in text.splitlines() if ln.strip() and not _STAMP.match(ln))


def needs_ocr(text: str, *, image_coverage: float, char_count: int) -> bool:
    """Whether a PDF page should be OCR'd instead of trusting its text layer.

    image_coverage: fraction 0..1 of the page area covered by images;
    char_count: characters in the page's text layer (as the extractor counted them).
    Pages with no images and some text keep their layer even if it is short
    (a one-line cover page is still text); scanned pages must carry more than
    a stamp, and any page whose text is junk is OCR'd when it has an image.
    """
    if char_count <= 0 or not text.strip():
        return True  # scan, or text drawn as outlines; OCR of a blank page is cheap
    quality = text_quality(text)
    meaningful = _meaningful(_CID.sub("", text[:SAMPLE_CHARS]))
    n_meaningful = len(_SPACE.sub("", meaningful))
    if image_coverage >= SCAN_COVERAGE:
        return quality < MIN_QUALITY or n_meaningful < MIN_CHARS_ON_SCAN
    if image_coverage > 0.0:
        return quality < MIN_QUALITY or n_meaningful == 0
    # Vector-only page: a short layer is still the page's text; junk is
    # re-read from a render of the page.
    return quality < MIN_QUALITY

"""Passages: the units that families and releases are aligned by.

A passage is a sentence or a short stand-alone line (a heading, one line of a
distribution list), with the page it starts on. Bates stamps, and lines
repeated on most pages of a document (running headers and footers), are not
passages: they differ between releases without saying anything.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

#: A Bates stamp alone on a line: a prefix and a zero-padded counter.
_BATES_LINE = re.compile(r"^\s*[A-Z][A-Z0-9_-]*(?:[ -][A-Z0-9_-]+)*[ _-]?\d{4,}\s*$")
_HEADING = re.compile(r"^(?:\d+[.)]\s+)?[A-Z0-9][A-Z0-9 .,:;&/()'’—–-]{2,}$")
_SENTENCE_END = re.compile(
    r"(?<!\bSt\.)(?<!\bMr\.)(?<!\bMs\.)(?<!\bDr\.)(?<!\bNo\.)(?<!\bU\.S\.)"
    r"(?<=[.!?;:])\s+(?=[A-Z(\"“])"
)
_WORD = re.compile(r"[a-z0-9]+")
#: Letter shapes OCR confuses, as (read, meant): `Tarnayo` for `Tamayo`, `1ocate` for `locate`.
OCR_LOOKALIKES = (("rn", "m"), ("vv", "w"), ("cl", "d"), ("1", "l"), ("0", "o"), ("5", "s"))
#: Exemption codes as printed in withheld text: (b)(6), (b) (7)(C), b6 …
EXEMPTION = re.compile(r"\(\s*b\s*\)\s*(?:\(\s*\d\s*\)\s*(?:\(\s*[A-F]\s*\))?\s*[,;/&]?\s*)+", re.I)


@dataclass(frozen=True)
class Passage:
    """One passage of a document: its text, the page it starts on, its order."""

    index: int
    page: int
    text: str

    @property
    def norm(self) -> str:
        return normalise(self.text)


def normalise(text: str) -> str:
    """Lower-case words only: what two copies share whatever their stamps and spacing."""
    return " ".join(_WORD.findall(text.lower()))


#: Pages whose edges an edge line is compared with when finding running headers and footers.
EDGE_SAMPLE = 40


def boilerplate_lines(pages: Sequence[str]) -> set[str]:
    """Lines printed at the top or foot of most pages of one document (running headers, footers).

    Compared fuzzily, so a footer OCR'd slightly differently on each page still counts.
    """
    from rapidfuzz import fuzz

    if len(pages) < 3:
        return set()
    edges = []
    for p in pages:
        lines = [ln.strip() for ln in p.splitlines() if ln.strip() and len(ln.strip()) < 120]
        # a short page is all edge: only its lines printed word for word on other pages count
        edges.append(lines[:3] + lines[-3:] if len(lines) >= 8 else [])
    out: set[str] = set()
    need = max(3, 0.6 * len(pages))
    exact: dict[str, int] = {}
    for p in pages:
        for ln in {x.strip() for x in p.splitlines() if x.strip()}:
            exact[ln] = exact.get(ln, 0) + 1
    out |= {ln for ln, n in exact.items() if n >= need and len(ln) < 120}
    # Each edge line is checked against the edges of at most EDGE_SAMPLE pages spread
    # through the document: checking all of them made a 640-page release take 36 × 640²
    # comparisons (4 s of compare's 5 at 320 pages).
    step = max(1, len(edges) // EDGE_SAMPLE)
    sample = edges[::step]
    need_sample = max(3, 0.6 * len(sample))
    from rapidfuzz import process

    for lines in edges:
        for ln in lines:
            if ln in out or len(ln) < 4:
                continue
            n = sum(
                1
                for other in sample
                if other and process.extractOne(ln, other, scorer=fuzz.ratio, score_cutoff=85)
            )
            if n >= need_sample:
                out.add(ln)
    return out


def passages(pages: Sequence[tuple[int, str]]) -> list[Passage]:
    """The passages of a document given as (page number, text) in page order.

    Wrapped lines are joined; a sentence running over a page break belongs to
    the page it starts on. Headings and short lines without a full stop stand
    alone, so a list (of offices, of facilities) aligns line by line.
    """
    skip = boilerplate_lines([t for _, t in pages])
    out: list[Passage] = []
    buf: list[str] = []
    buf_page = 0

    def flush() -> None:
        nonlocal buf
        if buf:
            text = " ".join(buf)
            for part in _SENTENCE_END.split(text):
                part = part.strip()
                if _WORD.search(part.lower()):
                    out.append(Passage(len(out), buf_page, part))
        buf = []

    for number, text in pages:
        lines = [ln.strip() for ln in text.splitlines()]
        for i, line in enumerate(lines):
            if not line or line in skip or _BATES_LINE.match(line):
                continue
            nxt = next((x for x in lines[i + 1 :] if x), "")
            ends = not buf or buf[-1].endswith((".", ":", ";", "!", "?"))
            starts = not (nxt[:1].islower() or nxt[:1] in ",.;)")
            if EXEMPTION.fullmatch(line) and ends and starts:
                # a paragraph withheld whole: only its code printed
                flush()
                out.append(Passage(len(out), number, line))
                continue
            # headings, and table rows (tab-separated cells: a spreadsheet, a CSV)
            alone = bool(_HEADING.match(line)) or "\t" in line
            if alone or (
                not buf
                and len(line) < 60
                and not line.endswith((".", ",", ";", ":"))
                and not (nxt[:1].islower() or nxt[:1] in ",.;(")
            ):
                flush()
                if alone:
                    out.append(Passage(len(out), number, line))
                else:
                    buf_page = number
                    buf = [line]
                    flush()
                continue
            if not buf:
                buf_page = number
            buf.append(line)
        # a page break ends nothing: sentences run on
    flush()
    return out


def shingles(text: str, k: int = 5) -> set[str]:
    """Word k-grams of the normalised text, without Bates stamps and digits-only words.

    Digits-only words are dropped so that two releases stamped with other
    Bates numbers or page counters still share every shingle.
    """
    words = [w for w in normalise(EXEMPTION.sub(" ", text)).split() if not w.isdigit()]
    if len(words) < k:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + k]) for i in range(len(words) - k + 1)}

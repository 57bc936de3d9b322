"""Bates numbers: the stamp (prefix + zero-padded counter) by which pages are cited.

Stamps sit at the page's bottom (sometimes top) edge, so only the edge bands
are searched: that keeps case numbers and A-numbers in the body from being
taken for stamps. OCR noise (O for 0, l for 1, a lost separator) is folded
away, and each document's dominant prefix absorbs noisy variants of itself.
"""

from __future__ import annotations

import re
import sqlite3
from collections import Counter
from dataclasses import dataclass

from readingroom.analyse.base import BaseAnalyser, DocIn, Findings, PageIn
from readingroom.analyse.textmap import join_words
from readingroom.citation import bates_label
from readingroom.page import Box
from readingroom.store.findings import set_page_bates

_STAMP = re.compile(
    r"(?<![\w\-/])(?P<prefix>[A-Za-z0-9|][A-Za-z0-9|]{0,15}(?:[-_.][A-Za-z0-9|]{1,15}){0,4})"
    r"(?P<sep>[-_ ]?|\s{1,3})(?P<num>[0-9OoIl|SB]{4,10})(?![\w\-/])"
)
_STOP = {
    "PAGE",
    "FORM",
    "CASE",
    "NO",
    "TEL",
    "FAX",
    "PHONE",
    "ROOM",
    "SUITE",
    "BOX",
    "PO",
    "ZIP",
    "FY",
    "FILE",
    "REF",
    "DOCKET",
    "TIME",
    "DATE",
    "REV",
    "ID",
    "OMB",
    "EXT",
}
_NUM_FOLD = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", "|": "1", "S": "5", "B": "8"})
_KEY_FOLD = str.maketrans({"O": "0", "I": "1", "L": "1", "|": "1", "S": "5", "B": "8", "Z": "2"})
#: Fraction of the page height searched at the bottom and at the top.
BOTTOM_BAND = 0.12
TOP_BAND = 0.08


@dataclass
class Stamp:
    prefix: str
    number: int
    digits: int
    raw: str
    box: Box | None = None
    inferred: bool = False

    @property
    def key(self) -> str:
        return prefix_key(self.prefix)


def prefix_key(prefix: str) -> str:
    """Compare prefixes ignoring separators, case and OCR look-alikes."""
    return re.sub(r"[-_.\s]", "", prefix.upper()).translate(_KEY_FOLD)


def parse_stamp(line: str) -> Stamp | None:
    """The rightmost plausible Bates stamp in one line of text."""
    best: Stamp | None = None
    for m in _STAMP.finditer(line):
        prefix, num = m["prefix"].strip("-_."), m["num"]
        if not m["sep"] and (tail := re.search(r"(?<=[A-Za-z])\d+$", prefix)):
            # "DHS000123": the counter starts where the letters end.
            prefix, num = prefix[: tail.start()], tail.group() + num
        elif not m["sep"] and prefix[-1].isdigit():
            cut = max(prefix.rfind(c) for c in "-_.")
            head, last = prefix[:cut], prefix[cut + 1 :]
            if cut < 1 or not last.isdigit() or any(c.isdigit() for c in head):
                continue  # "FOIA-00052" inside a request number, not prefix + counter
            prefix, num = head, last + num  # "DHS_000123"
        upper = sum(c.isupper() for c in prefix)
        lower = sum(c.islower() for c in prefix)
        if len(prefix) < 2 or upper < 2 or lower > 1 or len(num) > 10:
            continue
        if prefix.upper() in _STOP or not (prefix[0].isupper() or prefix[0] in "0123456789l|"):
            continue
        folded = num.translate(_NUM_FOLD)
        if not folded.isdigit() or 2 * sum(c.isdigit() for c in num) < len(num):
            continue
        best = Stamp(prefix, int(folded), len(folded), m.group().strip())
    return best


def edge_lines(page: PageIn) -> list[tuple[str, Box | None]]:
    """Candidate lines: words in the page's edge bands, else first/last text lines."""
    if page.words and page.height:
        bottom = [w for w in page.words if w.y0 >= page.height * (1 - BOTTOM_BAND)]
        top = [w for w in page.words if w.y1 <= page.height * TOP_BAND]
        out: list[tuple[str, Box | None]] = []
        for band in (bottom, top):
            wt = join_words(sorted(band, key=lambda w: (round((w.y0 + w.y1) / 4), w.x0)))
            pos = 0
            for line in wt.text.split("\n"):
                out.append((line, wt.box(pos, pos + len(line))))
                pos += len(line) + 1
        return out
    lines = [ln for ln in page.text.splitlines() if ln.strip()]
    return [(ln, None) for ln in [*reversed(lines[-3:]), *lines[:2]]]


def find_stamp(page: PageIn) -> Stamp | None:
    for line, box in edge_lines(page):
        stamp = parse_stamp(line)
        if stamp:
            stamp.box = box
            return stamp
    return None


def _ocr_variant(a: str, b: str) -> bool:
    """Whether two prefix keys read alike: lengths within two, 85 % similar."""
    if abs(len(a) - len(b)) > 2:
        return False
    from difflib import SequenceMatcher

    return SequenceMatcher(None, a, b).ratio() >= 0.85


def consolidate(stamps: dict[int, Stamp]) -> dict[int, Stamp]:
    """Give a document's stamps one prefix and width; drop non-stamps.

    A number repeated on many pages is a case or form number, not a counter.
    """
    if not stamps:
        return {}
    keys = Counter(s.key for s in stamps.values())
    main_key, _ = keys.most_common(1)[0]
    shown = Counter(s.prefix for s in stamps.values() if s.key == main_key).most_common(1)[0][0]
    digits = Counter(s.digits for s in stamps.values() if s.key == main_key).most_common(1)[0][0]
    out: dict[int, Stamp] = {}
    for page, s in stamps.items():
        if s.key == main_key or _ocr_variant(s.key, main_key):
            s.prefix, s.digits = shown, max(digits, s.digits)
        out[page] = s
    numbers = Counter((s.key, s.number) for s in out.values())
    repeated = {k for k, n in numbers.items() if n > 2}
    return {p: s for p, s in out.items() if (s.key, s.number) not in repeated}


def infer_missing(pages: list[PageIn], stamps: dict[int, Stamp]) -> None:
    """Fill a page with no readable stamp when both neighbours agree on it."""
    numbers = [p.number for p in pages]
    for i in range(1, len(numbers) - 1):
        n = numbers[i]
        if n in stamps:
            continue
        before, after = stamps.get(numbers[i - 1]), stamps.get(numbers[i + 1])
        if before and after and before.key == after.key and after.number - before.number == 2:
            stamps[n] = Stamp(before.prefix, before.number + 1, before.digits, "", inferred=True)


def detect(pages: list[PageIn]) -> dict[int, Stamp]:
    """Stamps by page number for one document."""
    stamps = {p.number: s for p in pages if (s := find_stamp(p))}
    stamps = consolidate(stamps)
    infer_missing(pages, stamps)
    return stamps


class Bates(BaseAnalyser):
    name = "bates"
    version = "1"
    tables = ("bates_stamps",)

    def run(self, doc: DocIn) -> Findings:
        out = Findings()
        by_number = {p.number: p for p in doc.pages}
        for number, s in sorted(detect(doc.pages).items()):
            page = by_number[number]
            x0, y0, x1, y1 = s.box or (None, None, None, None)
            out.add(
                "bates_stamps",
                page_id=page.id,
                document_id=doc.id,
                prefix=s.prefix,
                number=s.number,
                digits=s.digits,
                raw=s.raw,
                inferred=int(s.inferred),
                x0=x0,
                y0=y0,
                x1=x1,
                y1=y1,
            )
            out.facets.append((page.id, "bates_prefix", s.prefix))
        return out

    def store(self, conn: sqlite3.Connection, doc_id: int, found: Findings) -> None:
        """Insert stamps and copy the citable form into pages.bates for search."""
        super().store(conn, doc_id, found)
        set_page_bates(
            conn,
            document_id=doc_id,
            labels={
                r["page_id"]: bates_label(r["prefix"], r["number"], r["digits"])
                for r in found.rows.get("bates_stamps", [])
            },
        )


ANALYSER = Bates()

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
from typing import Any

from readingroom.analyse.base import BaseAnalyser, DocIn, Findings, PageIn
from readingroom.analyse.textmap import join_words
from readingroom.citation import bates_label
from readingroom.doctypes import PAGE_IMAGE_TYPES
from readingroom.page import Box, Word, box_of
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


#: "2019-ICLI-00052-001234": a prefix holding digits and hyphens, then a
#: hyphen and a counter of six or more digits (five-digit tails are request
#: numbers, "FOIA-2019-00052", far more often than counters).
_HYPHENATED = re.compile(
    r"(?<![\w\-/])(?P<prefix>[A-Za-z0-9]{1,15}(?:-[A-Za-z0-9]{1,15}){1,4})-(?P<num>\d{6,10})(?![\w\-/])"
)
#: A stamp the text layer holds in pieces: "2019-ICLI-00052" "-001234" or
#: "DHS_" "000123" come out of the line with a space at the joint.
_SPLIT_JOINT = re.compile(
    r"(?<=[A-Za-z0-9]) (?=[-_]\d{4,10}\b)|(?<=[A-Za-z0-9][-_]) (?=\d{4,10}\b)"
)


def _hyphenated(line: str) -> Stamp | None:
    best = None
    for m in _HYPHENATED.finditer(line):
        prefix = m["prefix"]
        if sum(c.isalpha() and c.isupper() for c in prefix) < 2 or any(c.islower() for c in prefix):
            continue
        best = Stamp(prefix, int(m["num"]), len(m["num"]), m.group())
    return best


#: "ILLINOIS 60602", "VA 22030": a state and a ZIP code in a letterhead.
_STATES = set(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH"
    " NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR".split()
) | {
    s.replace("_", " ")
    for s in "ALABAMA ALASKA ARIZONA ARKANSAS CALIFORNIA COLORADO CONNECTICUT DELAWARE FLORIDA"
    " GEORGIA HAWAII IDAHO ILLINOIS INDIANA IOWA KANSAS KENTUCKY LOUISIANA MAINE MARYLAND"
    " MASSACHUSETTS MICHIGAN MINNESOTA MISSISSIPPI MISSOURI MONTANA NEBRASKA NEVADA OHIO"
    " OKLAHOMA OREGON PENNSYLVANIA TENNESSEE TEXAS UTAH VERMONT VIRGINIA WASHINGTON WISCONSIN"
    " WYOMING".split()
}


def parse_stamp(line: str) -> Stamp | None:
    """The rightmost plausible Bates stamp in one line of text."""
    line = _SPLIT_JOINT.sub("", line)
    best = _simple_stamp(line)
    if best is not None and best.digits == 5 and best.prefix.upper() in _STATES:
        best = None  # a ZIP code
    hyph = _hyphenated(line)
    if hyph is not None and (
        best is None or line.rfind(hyph.raw) + len(hyph.raw) >= line.rfind(best.raw) + len(best.raw)
    ):
        return hyph
    return best


def _simple_stamp(line: str) -> Stamp | None:
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


def _band_lines(words: list[Word]) -> list[list[Word]]:
    """Words grouped into lines by vertical overlap, each line left to right.

    Scans are skewed: a stamp's prefix and counter may sit a point or two
    apart vertically, so lines are formed by overlap, not by rounded y.
    """
    lines: list[list[Word]] = []
    spans: list[list[float]] = []
    for w in sorted(words, key=lambda w: (w.y0 + w.y1) / 2):
        h = max(0.1, w.y1 - w.y0)
        for k in range(len(lines) - 1, -1, -1):
            y0, y1 = spans[k]
            if min(y1, w.y1) - max(y0, w.y0) >= 0.4 * min(h, y1 - y0):
                lines[k].append(w)
                spans[k] = [min(y0, w.y0), max(y1, w.y1)]
                break
        else:
            lines.append([w])
            spans.append([w.y0, w.y1])
    return [sorted(line, key=lambda w: w.x0) for line in lines]


def edge_lines(page: PageIn) -> list[tuple[str, Box | None]]:
    """Candidate lines: words in the page's edge bands (bottom first, lowest
    line first), then the first and last lines of the text."""
    out: list[tuple[str, Box | None]] = []
    if page.words and page.height:
        bottom = [w for w in page.words if w.y0 >= page.height * (1 - BOTTOM_BAND)]
        top = [w for w in page.words if w.y1 <= page.height * TOP_BAND]
        for band in (list(reversed(_band_lines(bottom))), _band_lines(top)):
            for line in band:
                wt = join_words(line)
                out.append((wt.text.replace("\n", " "), box_of(line)))
    if not page.words or page.source != "text":
        # OCR word boxes of a skewed or noisy scan can split a stamp that the
        # page's OCR text still holds on one line.
        lines = [ln for ln in page.text.splitlines() if ln.strip()]
        out += [(ln, None) for ln in [*reversed(lines[-3:]), *lines[:2]]]
    return out


_BATES_MC = re.compile(
    rb"/Artifact\s*<<(?:(?!>>).)*?/Subtype\s*/Bates\w*(?:(?!>>).)*>>\s*BDC(.*?)EMC", re.S
)
_LITERAL = re.compile(rb"\((?P<s>(?:\\.|[^\\)])*)\)")
_HEX = re.compile(rb"<(?P<h>[0-9A-Fa-f\s]+)>")
_DO = re.compile(rb"/([^\s/\[\]()<>]+)\s+Do\b")
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _pdf_strings(ops: bytes) -> str:
    """The text of literal and one-byte hex strings shown in a content stream."""
    parts: list[str] = []
    for m in re.finditer(
        rb"\[(?P<arr>.*?)\]\s*TJ|(?P<one>\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]+>)\s*(?:Tj|'|\")",
        ops,
        re.S,
    ):
        chunk = m["arr"] if m["arr"] is not None else m["one"]
        text = b""
        for lit in re.finditer(rb"\((?P<s>(?:\\.|[^\\)])*)\)|<(?P<h>[0-9A-Fa-f\s]+)>", chunk):
            if lit["s"] is not None:
                raw = re.sub(
                    rb"\\([nrtbf()\\]|[0-7]{1,3})",
                    lambda e: _ESCAPES.get(
                        e[1], bytes([int(e[1], 8) & 255]) if e[1][:1].isdigit() else e[1]
                    ),
                    lit["s"],
                )
                text += raw
            else:
                text += bytes.fromhex(re.sub(rb"\s", b"", lit["h"]).decode())
        parts.append(text.decode("latin-1"))
    return "".join(parts) if all(p.isprintable() for p in parts) else ""


def marked_content_stamp(pdf: Any, page: Any) -> Stamp | None:
    """An Acrobat Bates stamp: `/Artifact <</Subtype /BatesN>> BDC … EMC`.

    Acrobat's "Add Bates Numbering" marks what it draws, so its number is
    read from the marked content before any heuristic looks at the text.
    The stamp's text is drawn there directly or by a form XObject it calls.
    """
    try:
        content = page.read_contents()
    except Exception:  # damaged content streams: fall back to the text
        return None
    for m in _BATES_MC.finditer(content):
        body = m[1]
        text = _pdf_strings(body)
        if not text:
            xobjects = {name: xref for xref, name, *_ in page.get_xobjects()}
            for name in _DO.findall(body):
                xref = xobjects.get(name.decode("latin-1"))
                if xref:
                    text += _pdf_strings(pdf.xref_stream(xref) or b"")
        stamp = parse_stamp(text.strip())
        if stamp is not None:
            return stamp
    return None


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


def detect(pages: list[PageIn], doc: DocIn | None = None) -> dict[int, Stamp]:
    """Stamps by page number for one document.

    With the original PDF, Acrobat's marked Bates stamps come first; they are
    the producer's own statement of the number, not a reading of it.
    """
    marked: dict[int, Stamp] = {}
    pdf = doc.pdf() if doc is not None else None
    if pdf is not None and doc is not None:
        for p in pages:
            pdf_page = doc.pdf_page(p.number)
            if pdf_page is not None and (s := marked_content_stamp(pdf, pdf_page)):
                marked[p.number] = s
    stamps = {p.number: s for p in pages if p.number not in marked and (s := find_stamp(p))}
    stamps = consolidate({**stamps, **marked})
    infer_missing(pages, stamps)
    return stamps


class Bates(BaseAnalyser):
    name = "bates"
    version = "2"
    tables = ("bates_stamps",)
    #: Stamps are printed on page images; a spreadsheet's last row is not a stamp.
    doc_types = PAGE_IMAGE_TYPES

    def run(self, doc: DocIn) -> Findings:
        out = Findings()
        by_number = {p.number: p for p in doc.pages}
        for number, s in sorted(detect(doc.pages, doc).items()):
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

"""FOIA exemption codes in every form agencies print and OCR mangles.

Marks printed together ("(b)(6);(b)(7)(C)") form one *label*, the unit that
labels one redaction box. Codes cited in prose ("pursuant to exemptions
(b)(6) and (b)(7)(C)" in a cover letter) are kept as `cited`, not counted as
redactions, so counts per page stay evidence of withholding, not of letters
explaining it. Canonical codes: b1..b9, b7A..b7F.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from readingroom.analyse.base import BaseAnalyser, DocIn, Findings, PageIn
from readingroom.analyse.raster import invisible_layer, raster
from readingroom.analyse.textmap import join_words
from readingroom.page import Box, Word

_O = r"[(\[{]"
_C = r"[)\]}|]"
# (b)(7)(C) and its OCR damage: (b)(7}(C), (b) (7)(c), [b](7)(C), (h)(7)(C), b)(7)(C)
# One space at most between the pieces, never a line break or a tab: a label
# cut short by its box ("(b)(7)") must not borrow the "(C)" of the next label
# in reading order and become a code the production never used.
_S = r" ?"
_PAREN = re.compile(
    rf"(?<![A-Za-z]){_O}?{_S}[bBh]{_S}{_C}{_S}{_O}{_S}(?:"
    rf"(?P<seven>7){_S}(?:{_C}{_S}{_O}?|{_O}){_S}(?P<letter>[A-Fa-f])(?![a-z]){_S}{_C}?"
    rf"|(?P<digit>[1-9lI]){_S}{_C}?)"
)
# b7C, B6, b7(C), B 6 (State Department and spreadsheet style)
_COMPACT = re.compile(
    r"(?<![A-Za-z0-9/\-])[bB] ?(?P<digit>[1-9])(?: ?\(?(?P<letter>[A-Fa-f])\)?)?(?![A-Za-z0-9/\-])"
)
# "Exemption 6", "Exemptions 6 and 7(C)" in letters.
_WORDED = re.compile(
    r"\bexemptions?\s+(?P<list>[1-9](?:\s?\([A-Fa-f]\))?(?:(?:\s*,\s*|\s+and\s+|\s*&\s*)"
    r"[1-9](?:\s?\([A-Fa-f]\))?)*)",
    re.IGNORECASE,
)
#: What may stand between two codes of one label: never a tab (a wide gap on
#: the line, or a spreadsheet's next cell) and never a line break.
_JOIN = re.compile(r"^[ ;,/&+]{0,6}(?:and ?)?[ ;,/&+]{0,3}\Z", re.IGNORECASE)
_CITED_BEFORE = re.compile(
    r"(?:552\s*$|\bexemptions?\b|\bpursuant\b|\bunder\b|\bU\.?S\.?C\b|\bFOIA\b|\bprovisions?\b)",
    re.IGNORECASE,
)
_WITHHELD = re.compile(
    r"(?P<withheld>withheld\s+(?:in\s+(?:full|its\s+entirety)\s+)?(?:pursuant\s+to|under)"
    r"|pages?\s*(?:\(s\))?\s+(?:\d+\s+)?withheld|withheld\s+in\s+(?:full|its\s+entirety))"
    r"|(?P<duplicate>^\s*duplicate\b|\bduplicate\s+(?:of|page))"
    r"|(?P<nonresp>\bnon[-\s]?responsive\b)"
    r"|(?P<referred>\breferred\s+to\b|\breferral\b)",
    re.IGNORECASE | re.MULTILINE,
)
#: A withheld-in-full sheet carries little else; longer pages merely mention it.
WITHHELD_MAX_WORDS = 80
_VISA = re.compile(r"visa|/\s*$", re.IGNORECASE)

DIGIT_FIX = {"l": "1", "I": "1"}


def canonical(digit: str, letter: str | None) -> str | None:
    digit = DIGIT_FIX.get(digit, digit)
    if digit == "7":
        return f"b7{letter.upper()}" if letter else "b7"
    return f"b{digit}"


@dataclass
class Mark:
    code: str
    raw: str
    start: int
    end: int


@dataclass
class Label:
    """Marks printed together; `kind` is mark | cited | withheld."""

    marks: list[Mark]
    kind: str = "mark"
    box: Box | None = None
    codes: list[str] = field(default_factory=list)
    #: text: in the page's text; raster: only in the page image (see analyse.raster)
    source: str = "text"

    @property
    def start(self) -> int:
        return self.marks[0].start

    @property
    def end(self) -> int:
        return self.marks[-1].end


def find_marks(text: str) -> list[Mark]:
    """Every exemption code in `text`, in order, OCR variants included."""
    found: list[Mark] = []
    taken: list[tuple[int, int]] = []
    for m in _PAREN.finditer(text):
        code = canonical("7", m["letter"]) if m["seven"] else canonical(m["digit"], None)
        if code:
            found.append(Mark(code, m.group().strip(), m.start(), m.end()))
            taken.append((m.start(), m.end()))
    for m in _COMPACT.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        digit, letter = m["digit"], m["letter"]
        if digit != "7" and letter:
            continue  # "b6a" is not a code
        if digit in "12" and _VISA.search(text[max(0, m.start() - 3) : m.end() + 12]):
            continue  # B1/B2 visas
        code = canonical(digit, letter)
        if code:
            found.append(Mark(code, m.group().strip(), m.start(), m.end()))
    for m in _WORDED.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        for item in re.finditer(r"([1-9])(?:\s?\(([A-Fa-f])\))?", m["list"]):
            code = canonical(item[1], item[2])
            off = m.start("list") + item.start()
            if code:
                found.append(Mark(code, item.group(), off, m.start("list") + item.end()))
    found.sort(key=lambda k: k.start)
    return found


def group_labels(text: str, marks: list[Mark]) -> list[Label]:
    labels: list[Label] = []
    for mk in marks:
        if labels and _JOIN.match(text[labels[-1].end : mk.start]):
            labels[-1].marks.append(mk)
        else:
            labels.append(Label([mk]))
    for lab in labels:
        before = text[max(0, lab.start - 40) : lab.start]
        before = before.split("\n\n")[-1]
        if _CITED_BEFORE.search(before):
            lab.kind = "cited"
        lab.codes = list(dict.fromkeys(m.code for m in lab.marks))
    return labels


def withheld_reason(text: str) -> str | None:
    """Why a page was withheld in full, if it is such a sheet."""
    if len(text.split()) > WITHHELD_MAX_WORDS:
        return None
    m = _WITHHELD.search(text)
    if not m:
        return None
    kind = m.lastgroup or "withheld"
    return {"nonresp": "non-responsive"}.get(kind, kind)


def page_labels(page: PageIn) -> list[Label]:
    """Labels on a page, with their boxes when the page has word positions.

    Computed once per page: the redactions analyser ties the same labels to
    boxes, and joining a page's words is a good part of either's cost.
    """
    cached = page.cache.get("labels")
    if cached is None:
        cached = page.cache["labels"] = _page_labels(page)
    return list(cached)


def _page_labels(page: PageIn) -> list[Label]:
    labels = _text_labels(page)
    found = page.cache.get("raster")
    if found is not None and found.words:
        labels += raster_only(labels, found.words)
    return labels


def raster_only(text_labels: list[Label], ocr_words: list[Word]) -> list[Label]:
    """Labels the page image shows that its text layer does not hold.

    A raster label is the same as a text label when their boxes overlap; a
    text label without a box (no word positions) matches one raster label of
    the same codes. What is left was printed but never in the layer.
    """
    wt = join_words(ocr_words)
    found = group_labels(wt.text, find_marks(wt.text))
    unplaced = [lab.codes for lab in text_labels if lab.box is None]
    out: list[Label] = []
    for lab in found:
        lab.box = wt.box(lab.start, lab.end)
        lab.source = "raster"
        if lab.kind != "mark":
            continue  # a cover letter's citation, read again: not a box's label
        if lab.box is not None and any(
            t.box is not None and _overlaps(t.box, lab.box) for t in text_labels
        ):
            continue
        if lab.codes in unplaced:
            unplaced.remove(lab.codes)
            continue
        out.append(lab)
    return out


def _overlaps(a: Box, b: Box) -> bool:
    return min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])


def _text_labels(page: PageIn) -> list[Label]:
    if page.words:
        wt = join_words(page.words)
        labels = group_labels(wt.text, find_marks(wt.text))
        for lab in labels:
            lab.box = wt.box(lab.start, lab.end)
        return labels
    return group_labels(page.text, find_marks(page.text))


class Exemptions(BaseAnalyser):
    name = "exemptions"
    version = "3"
    tables = ("exemption_marks", "withheld_pages")

    def run(self, doc: DocIn) -> Findings:
        out = Findings()
        for page in doc.pages:
            if invisible_layer(page):
                raster(doc, page)  # labels printed in the image only (cached for redactions)
            labels = page_labels(page)
            reason = withheld_reason(page.text)
            codes: list[str] = []
            for i, lab in enumerate(labels):
                kind = "withheld" if reason else lab.kind
                for mk in lab.marks:
                    x0, y0, x1, y1 = lab.box or (None, None, None, None)
                    out.add(
                        "exemption_marks",
                        document_id=doc.id,
                        page_id=page.id,
                        code=mk.code,
                        raw=mk.raw,
                        kind=kind,
                        label=i,
                        source=lab.source,
                        x0=x0,
                        y0=y0,
                        x1=x1,
                        y1=y1,
                    )
                    if kind != "cited":
                        codes.append(mk.code)
            if reason:
                out.add(
                    "withheld_pages",
                    page_id=page.id,
                    document_id=doc.id,
                    reason=reason,
                    codes=";".join(dict.fromkeys(codes)),
                )
                out.facets.append((page.id, "withheld", reason))
            for code in dict.fromkeys(codes):
                out.facets.append((page.id, "exemption", code))
        return out


ANALYSER = Exemptions()

"""A tiny page-layout engine over PyMuPDF that records its own ground truth.

Text is flowed word by word so that every redaction box lands exactly where a
name would have been, and the box geometry, its printed label and whether the
words underneath still exist in the text layer are recorded as they are drawn:
the manifest is a by-product of drawing, not a re-derivation that could drift.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import pymupdf

from readingroom.demo.world import MARK, normalise_label

# Fonts are embedded (then subset) rather than using the base-14 fonts, because
# base-14 text is WinAnsi-encoded and loses the em dash of the FICTIONAL mark.
# TextWriter, not insert_text: it embeds each font once per document and is an
# order of magnitude faster for thousands of runs.
_FONT_FILES = {"sans": "helv", "bold": "hebo", "serif": "tiro", "serifbold": "tibo"}
_FONTS = {k: pymupdf.Font(v) for k, v in _FONT_FILES.items()}
_ADVANCE: dict[str, dict[str, float]] = {k: {} for k in _FONT_FILES}

ASCENT = 1.075  # Helvetica/Times ascender as PyMuPDF reports it for span boxes
DESCENT = 0.3
PDF_DATE = "D:20190315120000Z"


def demo_metadata(title: str) -> dict[str, str]:
    """Fixed PDF metadata: reproducible bytes, and every file says it is fictional."""
    return {
        "title": title,
        "author": "readingroom demo (fictional)",
        "subject": MARK,
        "creator": "readingroom demo",
        "producer": "readingroom demo",
        "creationDate": PDF_DATE,
        "modDate": PDF_DATE,
    }


FontKey = Literal["sans", "bold", "serif", "serifbold"]


def text_width(text: str, font: FontKey, size: float) -> float:
    """Advance width in points; cached per character because PyMuPDF's is slow."""
    table = _ADVANCE[font]
    total = 0.0
    for ch in text:
        adv = table.get(ch)
        if adv is None:
            adv = table[ch] = _FONTS[font].glyph_advance(ord(ch))
        total += adv
    return total * size


@dataclass(frozen=True)
class Redact:
    """A name or phrase withheld under `label`; `bad` keeps it in the text layer."""

    hidden: str
    label: str
    style: Literal["over", "beside"] = "over"
    bad: bool = False


@dataclass(frozen=True)
class Glue:
    """Punctuation that attaches to the previous token without a space."""

    text: str


Token = str | Redact | Glue


def tokens(text: str, *reds: Redact) -> list[Token]:
    """Split `text` into words; `{0}`, `{1}`… become the given redactions."""
    out: list[Token] = []
    for word in text.split():
        if word.startswith("{") and "}" in word:
            idx, rest = word[1:].split("}", 1)
            out.append(reds[int(idx)])
            if rest:
                out.append(Glue(rest))
        else:
            out.append(word)
    return out


def as_printed(toks: list[Token]) -> str:
    """The logical text a reader sees: redactions read as their printed label."""
    parts: list[str] = []
    for tok in toks:
        if isinstance(tok, Glue):
            parts.append(tok.text)
            continue
        if parts:
            parts.append(" ")
        parts.append(tok.label if isinstance(tok, Redact) else tok)
    return "".join(parts)


@dataclass
class PageTruth:
    """What was drawn on one page; becomes one page record of the manifest."""

    redactions: list[dict[str, Any]] = field(default_factory=list)
    withheld: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def exemptions(self) -> list[str]:
        codes: set[str] = set()
        for r in self.redactions:
            codes.update(r["exemptions"])
        if self.withheld:
            codes.update(self.withheld.get("exemptions", []))
        return sorted(codes)


class PdfBuilder:
    """Flow text onto US-letter pages, drawing redactions and recording truth.

    Text is buffered per page and painted before each box is drawn, so a box
    covers the words of a bad redaction, and a white label is painted after its box.
    """

    def __init__(
        self,
        *,
        font: FontKey = "serif",
        size: float = 11.0,
        margin: float = 72.0,
        width: float = 612.0,
        height: float = 792.0,
    ) -> None:
        self.doc = pymupdf.open()
        self.font: FontKey = font
        self.size = size
        self.margin = margin
        self.width = width
        self.height = height
        self.bottom = 64.0  # space kept free for the mark and the Bates stamp
        self.truth: list[PageTruth] = []
        self.page: pymupdf.Page | None = None
        self.y = 0.0
        self._rect = pymupdf.Rect(0, 0, width, height)
        self._black = pymupdf.TextWriter(self._rect)

    # --- pages -----------------------------------------------------------------
    def _flush_black(self) -> None:
        """Paint the black text so far, so a box drawn next lies on top of it."""
        if self.page is not None and self._black.text_rect.width > 0:
            self._black.write_text(self.page)
            self._black = pymupdf.TextWriter(self._rect)

    def _commit(self) -> None:
        self._flush_black()
        self.page = None

    def _text(
        self,
        pos: tuple[float, float],
        text: str,
        font: FontKey,
        size: float,
        *,
        white: bool = False,
    ) -> None:
        if white:  # written at once, so the stream (and extraction) keeps reading order
            assert self.page is not None
            tw = pymupdf.TextWriter(self._rect, color=(1, 1, 1))
            tw.append(pos, text, font=_FONTS[font], fontsize=size)
            tw.write_text(self.page)
        else:
            self._black.append(pos, text, font=_FONTS[font], fontsize=size)

    def new_page(self) -> pymupdf.Page:
        self._commit()
        page = self.doc.new_page(width=self.width, height=self.height)
        self.page = page
        self.y = self.margin
        self.truth.append(PageTruth())
        return page

    def _ensure(self, height: float) -> pymupdf.Page:
        if self.page is None or self.y + height > self.height - self.bottom:
            return self.new_page()
        return self.page

    def space(self, pts: float) -> None:
        self.y += pts

    def rule(self, thickness: float = 1.0) -> None:
        page = self._ensure(thickness + 4)
        page.draw_line((self.margin, self.y), (self.width - self.margin, self.y), width=thickness)
        self.y += thickness + 4

    def line(
        self,
        text: str,
        *,
        font: FontKey | None = None,
        size: float | None = None,
        align: Literal["left", "center"] = "left",
    ) -> None:
        """One unwrapped line, e.g. a letterhead."""
        font = font or self.font
        size = size or self.size
        self._ensure(size * 1.45)
        w = text_width(text, font, size)
        x = (self.width - w) / 2 if align == "center" else self.margin
        self._text((x, self.y + size * 1.1), text, font, size)
        self.y += size * 1.45

    def withheld_page(self, lines: list[str], withheld: dict[str, Any]) -> None:
        """A whole page replaced by a slip sheet, as agencies do."""
        self.new_page()
        y = self.height / 2 - 20 * len(lines) / 2
        for text in lines:
            w = text_width(text, "bold", 16)
            self._text(((self.width - w) / 2, y), text, "bold", 16)
            y += 22
        self.truth[-1].withheld = withheld
        self._commit()  # the next content starts on a fresh page

    # --- flowing text with redactions ----------------------------------------------
    def _tok_width(self, tok: Token, font: FontKey, size: float) -> float:
        if isinstance(tok, Redact):
            return self._redact_width(tok, font, size)[0]
        return text_width(tok.text if isinstance(tok, Glue) else tok, font, size)

    def _redact_width(self, tok: Redact, font: FontKey, size: float) -> tuple[float, float, float]:
        """(total advance, box width, label width)."""
        hidden_w = text_width(tok.hidden, font, size)
        if tok.style == "over":
            label_w = text_width(tok.label, "sans", size * 0.75)
            box_w = max(hidden_w, label_w + 6) + 2
            return box_w, box_w, label_w
        label_w = text_width(tok.label, "sans", size * 0.85)
        box_w = max(hidden_w, 24.0) + 2
        return box_w + 3 + label_w, box_w, label_w

    def flow(
        self,
        toks: list[Token],
        *,
        font: FontKey | None = None,
        size: float | None = None,
        indent: float = 0.0,
        label: str | None = None,
        label_width: float = 0.0,
        after: float = 4.0,
    ) -> list[int]:
        """Wrap tokens into lines; `label` hangs left (e.g. `From:`). Returns pages used."""
        font = font or self.font
        size = size or self.size
        lh = size * 1.45
        x0 = self.margin + indent + label_width
        avail = self.width - self.margin - x0
        space_w = text_width(" ", font, size)
        lines: list[list[Token]] = []
        cur: list[Token] = []
        cur_w = 0.0
        for tok in toks:
            w = self._tok_width(tok, font, size)
            gap = 0.0 if (not cur or isinstance(tok, Glue)) else space_w
            if cur and not isinstance(tok, Glue) and cur_w + gap + w > avail:
                lines.append(cur)
                cur, cur_w = [tok], w
            else:
                cur.append(tok)
                cur_w += gap + w
        if cur or label:
            lines.append(cur)
        pages: list[int] = []
        for i, ln in enumerate(lines):
            self._ensure(lh)
            pages.append(len(self.truth))
            base = self.y + size * 1.1
            if label and i == 0:
                self._text((self.margin + indent, base), label, "bold", size)
            self._draw_line(ln, x0, base, font, size, space_w)
            self.y += lh
        self.y += after
        return pages

    def _draw_line(
        self,
        line: list[Token],
        x0: float,
        base: float,
        font: FontKey,
        size: float,
        space_w: float,
    ) -> None:
        x = x0
        run = ""
        run_x = x0

        def flush() -> float:
            if run:
                self._text((run_x, base), run, font, size)
                return run_x + text_width(run, font, size)
            return x

        for i, tok in enumerate(line):
            if isinstance(tok, Redact):
                x = flush()
                run = ""
                if i > 0:
                    x += space_w
                x = self._draw_redaction(tok, x, base, font, size)
                continue
            text = tok.text if isinstance(tok, Glue) else tok
            if not run:
                if i > 0 and not isinstance(tok, Glue):
                    x += space_w
                run_x, run = x, text
            else:
                run += text if isinstance(tok, Glue) else " " + text
        flush()

    def _draw_redaction(
        self, tok: Redact, x: float, base: float, font: FontKey, size: float
    ) -> float:
        advance, box_w, label_w = self._redact_width(tok, font, size)
        box = pymupdf.Rect(x, base - ASCENT * size - 0.3, x + box_w, base + DESCENT * size + 0.3)
        if tok.bad:  # the classic mistake: a box drawn over text that stays in the layer
            self._text((x + 1, base), tok.hidden, font, size)
        self._flush_black()
        assert self.page is not None
        self.page.draw_rect(box, color=None, fill=(0, 0, 0), width=0)
        if tok.style == "over":
            ls = size * 0.75
            lx = x + (box_w - label_w) / 2
            lbase = base - 0.1 * size
            self._text((lx, lbase), tok.label, "sans", ls, white=True)
        else:
            ls = size * 0.85
            lx = x + box_w + 3
            lbase = base
            self._text((lx, lbase), tok.label, "sans", ls)
        label_box = (lx, lbase - ASCENT * ls, lx + label_w, lbase + DESCENT * ls)
        self.truth[-1].redactions.append(
            {
                "bbox": [round(v, 2) for v in (box.x0, box.y0, box.x1, box.y1)],
                "label": tok.label,
                "label_position": tok.style,
                "label_bbox": [round(v, 2) for v in label_box],
                "exemptions": normalise_label(tok.label),
                "bad": tok.bad,
                "hidden_text": tok.hidden,
                "text_under": tok.hidden if tok.bad else None,
            }
        )
        return x + advance

    # --- finishing ---------------------------------------------------------------
    def stamp(self, bates: list[str]) -> None:
        """Mark every page FICTIONAL and stamp its Bates number, bottom right."""
        self._commit()
        assert len(bates) == self.doc.page_count
        for i, number in enumerate(bates):
            page = self.doc[i]
            tw = pymupdf.TextWriter(self._rect)
            tw.append((self.margin, self.height - 30), MARK, font=_FONTS["sans"], fontsize=8)
            w = text_width(number, "bold", 10)
            tw.append(
                (self.width - 36 - w, self.height - 30), number, font=_FONTS["bold"], fontsize=10
            )
            tw.write_text(page)

    def to_bytes(self, title: str) -> bytes:
        """Reproducible bytes: fixed dates, no random file ID, subset fonts."""
        self._commit()
        self.doc.set_metadata({**demo_metadata(title), "keywords": "fictional"})
        self.doc.subset_fonts()
        return self.doc.tobytes(garbage=3, deflate=True, no_new_id=True)

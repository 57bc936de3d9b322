"""Run regular expressions over positioned words and get the words back.

Detectors match on text, but redaction labels and Bates stamps must be tied
to places on the page; joining the words with known offsets lets one regex
serve both, with a newline where the line changes so line-anchored patterns
(headers, stamps) still work.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from readingroom.page import Box, Word, box_of


@dataclass
class WordText:
    text: str
    starts: list[int]
    words: list[Word]

    def words_between(self, a: int, b: int) -> list[Word]:
        """Words overlapping the character range [a, b)."""
        if not self.words:
            return []
        i = max(0, bisect_right(self.starts, a) - 1)
        out = []
        while i < len(self.words) and self.starts[i] < b:
            if self.starts[i] + len(self.words[i].text) > a:
                out.append(self.words[i])
            i += 1
        return out

    def box(self, a: int, b: int) -> Box | None:
        ws = self.words_between(a, b)
        return box_of(ws) if ws else None


def join_words(words: list[Word]) -> WordText:
    parts: list[str] = []
    starts: list[int] = []
    pos = 0
    prev: Word | None = None
    for w in words:
        if prev is not None:
            same_line = abs((w.y0 + w.y1) - (prev.y0 + prev.y1)) / 2 <= max(
                2.0, (prev.y1 - prev.y0) * 0.5
            )
            # A wide gap on the line is a tab, so a pattern never joins two
            # labels (or a label and a word) that stand apart on the page.
            gap = w.x0 - prev.x1
            wide = gap > 2.0 * max(2.0, prev.y1 - prev.y0)
            sep = ("\t" if wide else " ") if same_line and w.x0 >= prev.x0 else "\n"
            parts.append(sep)
            pos += 1
        starts.append(pos)
        parts.append(w.text)
        pos += len(w.text)
        prev = w
    return WordText("".join(parts), starts, list(words))


def lines_from_words(words: list[Word]) -> str:
    """Text rebuilt line by line from word boxes, tolerant of mixed sizes.

    A word joins a line when their vertical extents overlap by half the
    smaller height, so a redaction label printed in a smaller font inside a
    box stays on the line of the field it replaces ("To: (b)(6)").
    """
    lines: list[list[Word]] = []
    bounds: list[list[float]] = []
    for w in sorted(words, key=lambda w: (w.y0, w.x0)):
        h = max(0.1, w.y1 - w.y0)
        for k in range(len(lines) - 1, max(-1, len(lines) - 4), -1):
            y0, y1 = bounds[k]
            if min(y1, w.y1) - max(y0, w.y0) >= 0.5 * min(h, y1 - y0):
                lines[k].append(w)
                break
        else:
            lines.append([w])
            bounds.append([w.y0, w.y1])
    order = sorted(range(len(lines)), key=lambda k: (bounds[k][0] + bounds[k][1]) / 2)
    return "\n".join(_join_line(sorted(lines[k], key=lambda w: w.x0)) for k in order)


def _join_line(words: list[Word]) -> str:
    """Words of one line, with a space only where the page shows one.

    A producer may draw "(b)(6)" and its ";" as two words with no gap
    between them; the field reads "(b)(6);" as printed, not "(b)(6) ;".
    """
    out: list[str] = []
    prev: Word | None = None
    for w in words:
        if prev is not None:
            gap = w.x0 - prev.x1
            out.append("" if gap < 0.12 * max(1.0, w.y1 - w.y0) else " ")
        out.append(w.text)
        prev = w
    return "".join(out)

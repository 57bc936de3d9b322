"""OCR behind one small interface, so engines can be measured and swapped.

Every engine returns words in PDF points (the page's coordinate system), so
the rest of readingroom never needs to know a page was a scan.
"""

from __future__ import annotations

from functools import cache
from typing import Protocol

from PIL import Image

from readingroom.errors import MissingDependency
from readingroom.ingest.model import PageContent, Word


class OcrEngine(Protocol):
    name: str
    version: str

    def recognize(self, image: Image.Image, languages: str) -> list[Word]:
        """Words in image pixel coordinates with confidence 0..100."""
        ...


class TesseractEngine:
    name = "tesseract"

    def __init__(self) -> None:
        import pytesseract

        try:
            self.version = str(pytesseract.get_tesseract_version())
        except pytesseract.TesseractNotFoundError as e:
            raise MissingDependency(
                "Tesseract is not installed; install it with: apt-get install tesseract-ocr "
                "(or run `make setup`)"
            ) from e
        self._pt = pytesseract

    def recognize(self, image: Image.Image, languages: str) -> list[Word]:
        data = self._pt.image_to_data(
            image, lang=languages, config="--psm 3", output_type=self._pt.Output.DICT
        )
        words: list[Word] = []
        for i, text in enumerate(data["text"]):
            text = text.strip()
            conf = float(data["conf"][i])
            if not text or conf < 0:
                continue
            x, y, w, h = (data[k][i] for k in ("left", "top", "width", "height"))
            words.append(Word(x, y, x + w, y + h, text, conf))
        return words


ENGINES: dict[str, type] = {"tesseract": TesseractEngine}


@cache
def get_engine(name: str) -> OcrEngine:
    """One engine instance per worker process (engines load models once)."""
    try:
        return ENGINES[name]()
    except KeyError:
        raise MissingDependency(f"unknown OCR engine {name!r}; known: {sorted(ENGINES)}") from None


def ocr_page(
    image: Image.Image,
    number: int,
    width_pt: float,
    height_pt: float,
    *,
    engine: str = "tesseract",
    languages: str = "eng",
) -> PageContent:
    """OCR one page image and return it as a page in points."""
    eng = get_engine(engine)
    words = eng.recognize(image, languages)
    sx = width_pt / image.width
    sy = height_pt / image.height
    scaled = [Word(w.x0 * sx, w.y0 * sy, w.x1 * sx, w.y1 * sy, w.text, w.conf) for w in words]
    confs = [w.conf for w in scaled if w.conf is not None]
    return PageContent(
        number=number,
        text=words_to_text(scaled),
        words=scaled,
        width=width_pt,
        height=height_pt,
        source="ocr",
        ocr_engine=f"{eng.name} {eng.version}",
        ocr_confidence=round(sum(confs) / len(confs), 1) if confs else 0.0,
    )


def words_to_text(words: list[Word]) -> str:
    """Rebuild reading-order text from positioned words, line by line."""
    lines: list[list[Word]] = []
    for w in sorted(words, key=lambda w: ((w.y0 + w.y1) / 2, w.x0)):
        mid = (w.y0 + w.y1) / 2
        if lines:
            last = lines[-1]
            ref = last[-1]
            if abs(mid - (ref.y0 + ref.y1) / 2) <= max(2.0, (ref.y1 - ref.y0) * 0.5):
                last.append(w)
                continue
        lines.append([w])
    return "\n".join(" ".join(w.text for w in sorted(line, key=lambda w: w.x0)) for line in lines)

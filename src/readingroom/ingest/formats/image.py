"""Scans and pictures: PNG, JPEG, TIFF (multi-page, CCITT G3/G4 fax), GIF, BMP, WebP.

Every frame is a page, OCR'd into words in PDF points so an image page behaves
like a scanned PDF page. Points come from the image's own resolution; when an
image does not say (common for faxes and screenshots) `image_dpi` decides, and
the viewer must use the same function so words land on the rendered image.
"""

from __future__ import annotations

import math
import warnings
from datetime import datetime
from typing import Any, ClassVar

from PIL import Image, ImageOps, UnidentifiedImageError

from readingroom.errors import CorruptFile, LimitExceeded
from readingroom.filetypes import extension
from readingroom.ingest.model import ExtractContext, Extraction, PageContent

#: Resolution assumed for bilevel (fax-like) images that do not state one:
#: such images come from document scanners and fax servers, where 300 dpi is
#: the common setting; a 72 dpi guess would make a letter page 3 feet wide.
BILEVEL_DPI = 300.0
#: Standard fax line widths in pixels (A4/letter, B4, A3 at 204 dpi across).
FAX_WIDTHS = (1728, 2048, 2432)
FAX_DPI_X = 204.0
#: Resolution assumed for everything else (photos, screenshots): 72 dpi makes
#: one pixel one point, which is what PDF viewers and browsers assume too.
DEFAULT_DPI = 72.0
#: Stated resolutions outside this range are junk (0, 1, 65535) and ignored.
DPI_RANGE = (20.0, 4800.0)

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"II+\x00", "image/tiff"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"\x00\x00\x00\x0cjP  \r\n\x87\n", "image/jp2"),
)
_EXTS = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".jpe": "image/jpeg",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
    ".gif": "image/gif",
    ".bmp": "image/bmp",
    ".webp": "image/webp",
    ".jp2": "image/jp2",
    ".j2k": "image/jp2",
}
_FAX_COMPRESSION = {"group3", "group4", "tiff_ccitt", "tiff_fax3", "tiff_fax4"}
#: Most pixels a page is OCR'd at (30 MP, as for PDF renders); larger frames are
#: reduced first, so Tesseract's memory and time are bounded by this.
MAX_OCR_PIXELS = 30_000_000
#: Bytes per pixel Pillow holds in memory once a frame is decoded, by mode
#: ("1" is one byte per pixel in memory, RGB four): what a page really costs.
_BYTES_PER_PIXEL = {"1": 1, "L": 1, "P": 1, "I;16": 2, "I;16B": 2, "I;16L": 2, "I;16N": 2}


def decoded_bytes(img: Image.Image) -> int:
    """Memory one frame takes once decoded, from its size and mode (not its file size)."""
    return img.width * img.height * _BYTES_PER_PIXEL.get(img.mode, 4)


def _sniff(head: bytes) -> str | None:
    for magic, mime in _MAGIC:
        if head.startswith(magic):
            return mime
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[:2] == b"BM" and len(head) > 14 and head[6:10] == b"\x00\x00\x00\x00":
        return "image/bmp"  # BMP: reserved bytes are zero, a weak but useful check
    return None


def _valid(v: Any) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    return f if DPI_RANGE[0] <= f <= DPI_RANGE[1] else None


def image_dpi(img: Image.Image) -> tuple[float, float]:
    """(x, y) resolution of the current frame, with documented defaults.

    Stated resolution wins. Otherwise: a bilevel or CCITT image at a standard
    fax width is a fax (204 dpi across; 196 or 98 down, whichever gives a
    page-like shape); other bilevel images BILEVEL_DPI; anything else 72.
    render.py must use this too, per axis, so that page points agree.
    """
    dpi = img.info.get("dpi")
    if isinstance(dpi, tuple | list) and len(dpi) == 2:
        x, y = _valid(dpi[0]), _valid(dpi[1])
        if x and y:
            return x, y
        if x or y:
            return (x or y or DEFAULT_DPI), (x or y or DEFAULT_DPI)
    bilevel = img.mode == "1" or img.info.get("compression") in _FAX_COMPRESSION
    if not bilevel:
        return DEFAULT_DPI, DEFAULT_DPI
    if img.width in FAX_WIDTHS:
        # Fine mode (196 dpi) pages are taller than wide; standard mode (98) squat.
        y = 196.0 if img.height / img.width > 0.9 else 98.0
        return FAX_DPI_X, y
    return BILEVEL_DPI, BILEVEL_DPI


def page_size_points(img: Image.Image) -> tuple[float, float]:
    x_dpi, y_dpi = image_dpi(img)
    return img.width * 72.0 / x_dpi, img.height * 72.0 / y_dpi


def _ocr_ready(img: Image.Image) -> Image.Image:
    """A frame in a mode Tesseract reads (1, L or RGB), orientation applied."""
    try:
        turned = img.getexif().get(0x0112, 1) not in (None, 1)  # EXIF orientation
    except Exception:
        turned = False
    if turned:  # (exif_transpose copies the frame even when there is nothing to turn)
        img = ImageOps.exif_transpose(img) or img
    if img.mode in ("1", "L", "RGB"):
        return img
    if img.mode.startswith(("I", "F")):
        # 16/32-bit greys: stretch the used range onto 8 bits.
        import numpy as np

        a = np.asarray(img.convert("F"), dtype=np.float64)
        lo, hi = float(a.min()), float(a.max())
        scaled = (a - lo) * (255.0 / (hi - lo)) if hi > lo else np.zeros_like(a)
        return Image.fromarray(scaled.astype(np.uint8), "L")
    if img.mode in ("RGBA", "LA", "P", "PA"):
        rgba = img.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    return img.convert("RGB")


def _exif_date(img: Image.Image) -> str | None:
    try:
        exif = img.getexif()
        raw = exif.get_ifd(0x8769).get(36867) or exif.get(306)  # DateTimeOriginal, DateTime
    except Exception:
        return None
    if not raw:
        return None
    try:
        return datetime.strptime(str(raw).strip("\x00 "), "%Y:%m:%d %H:%M:%S").isoformat()
    except ValueError:
        return None


class ImageExtractor:
    """Raster images; each frame a page, OCR'd unless OCR is off."""

    name: ClassVar[str] = "image"
    version: ClassVar[str] = "1"
    paged: ClassVar[bool] = True

    def match(self, name: str, head: bytes) -> int:
        if _sniff(head):
            return 100
        return 40 if extension(name) in _EXTS else 0

    def extract(self, ctx: ExtractContext) -> Extraction:
        limit = ctx.limits.max_image_pixels
        try:
            with warnings.catch_warnings():
                # Pillow's own bomb warning is replaced by our limit below.
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                img = Image.open(ctx.path)
        except Image.DecompressionBombError as e:
            raise LimitExceeded(f"{ctx.name}: image too large to decode safely: {e}") from e
        except UnidentifiedImageError as e:
            raise CorruptFile(
                f"{ctx.name}: not a readable image (unknown or damaged format)"
            ) from e
        except (OSError, SyntaxError, ValueError) as e:
            raise CorruptFile(f"{ctx.name}: damaged image: {e}") from e
        with img:
            return self._extract(img, ctx, limit)

    def _extract(self, img: Image.Image, ctx: ExtractContext, limit: int) -> Extraction:
        try:
            count = int(getattr(img, "n_frames", 1))
        except (OSError, SyntaxError, ValueError, EOFError) as e:
            raise CorruptFile(f"{ctx.name}: damaged image (frame index): {e}") from e
        if count > ctx.limits.max_pages:
            raise LimitExceeded(
                f"{ctx.name}: {count} frames, more than the page limit of {ctx.limits.max_pages}"
            )
        mime = Image.MIME.get(img.format or "", None) or _sniff(ctx.path.read_bytes()[:16])
        ex = Extraction(
            doc_type="image",
            mime=mime or "image/unknown",
            page_count=count,
            metadata={"format": img.format, "frames": count},
        )
        if ctx.start_page == 1:
            ex.date = _exif_date(img)
        first = max(1, ctx.start_page)
        last = min(count, first + max(1, ctx.chunk_pages) - 1)
        for number in range(first, last + 1):
            if ctx.over_budget():
                break  # the file's time budget is spent: the pipeline records it
            ex.pages.append(self._page(img, number, ctx, limit, ex))
        return ex

    def _page(
        self, img: Image.Image, number: int, ctx: ExtractContext, limit: int, ex: Extraction
    ) -> PageContent:
        try:
            img.seek(number - 1)
        except (EOFError, OSError, ValueError) as e:
            raise CorruptFile(f"{ctx.name}: page {number} cannot be read: {e}") from e
        pixels = img.width * img.height
        if pixels > limit:
            raise LimitExceeded(
                f"{ctx.name}: page {number} is {img.width}x{img.height} = {pixels} pixels, "
                f"over the limit of {limit}"
            )
        need = decoded_bytes(img)
        if need > ctx.limits.max_decoded_bytes:
            raise LimitExceeded(
                f"{ctx.name}: page {number} is {img.width}x{img.height} {img.mode} and would "
                f"take {need / 1024**2:.0f} MB decoded, over the limit of "
                f"{ctx.limits.max_decoded_bytes / 1024**2:.0f} MB"
            )
        # The page's size and resolution come from the full frame, before any
        # reduction for OCR: the words must land where the viewer draws them.
        full = img.size
        width_pt, height_pt = page_size_points(img)
        dpi = image_dpi(img)
        if img.format == "JPEG" and pixels > MAX_OCR_PIXELS:
            # JPEG decodes at 1/2, 1/4 or 1/8 directly: the full frame never exists.
            f = (MAX_OCR_PIXELS / pixels) ** 0.5
            img.draft(img.mode, (int(img.width * f), int(img.height * f)))
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                img.load()
                frame = _ocr_ready(img)
                if frame.width * frame.height > MAX_OCR_PIXELS:
                    factor = math.ceil((frame.width * frame.height / MAX_OCR_PIXELS) ** 0.5)
                    frame = frame.reduce(factor)
        except Image.DecompressionBombError as e:
            raise LimitExceeded(f"{ctx.name}: page {number} too large to decode: {e}") from e
        except (OSError, SyntaxError, ValueError, EOFError) as e:
            raise CorruptFile(f"{ctx.name}: page {number} is truncated or damaged: {e}") from e
        if frame is not img and getattr(img, "n_frames", 1) == 1:
            img.close()  # the full-size decode is no longer needed: free it before OCR
        if (frame.width > frame.height) != (full[0] > full[1]) and full[0] != full[1]:
            # EXIF rotation swapped the axes; the page's sides swap with them.
            width_pt, height_pt = height_pt, width_pt
        rotated = (
            (full[1], full[0]) if (frame.width > frame.height) != (full[0] > full[1]) else full
        )
        meta: dict[str, Any] = {"pixels": list(rotated), "dpi": list(dpi)}
        if frame.width < rotated[0]:
            meta["ocr_pixels"] = [frame.width, frame.height]  # reduced for OCR: bounded memory
        if ctx.ocr == "never":
            return PageContent(
                number=number, text="", width=width_pt, height=height_pt, source="none", meta=meta
            )
        from readingroom.ingest.ocr import ocr_page

        page = ocr_page(
            frame,
            number,
            width_pt,
            height_pt,
            engine=ctx.ocr_engine,
            languages=ctx.ocr_languages,
            timeout=ctx.ocr_timeout,
        )
        page.meta.update(meta)
        return page


EXTRACTORS = [ImageExtractor()]

"""Plain text, HTML and CSV/TSV: formats without pages or geometry.

Their pages are cut by size (see `paginate`) so a hit can still be cited by
page; such pages have width = height = 0 and no words, because there is no
geometry to put words on. The helpers here (`decode_text`, `html_to_text`,
`paginate`, `select_pages`) are shared with the e-mail and office extractors.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

from readingroom.errors import CorruptFile
from readingroom.filetypes import extension
from readingroom.ingest.model import ExtractContext, Extraction, PageContent

PAGE_CHARS = 4000

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Magic numbers of binary formats other extractors own: a `.txt` starting with
# one of these is not text, whatever its name says.
# Declared charsets that senders routinely exceed: decode with the superset
# (as browsers do) so their extra characters are not lost.
_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "latin_1": "cp1252",
    "iso8859-1": "cp1252",
    "ascii": "utf-8",
    "big5": "big5hkscs",
    "shift_jis": "cp932",
    "euc_kr": "cp949",
    "iso8859-9": "cp1254",
}
_BINARY_MAGIC = (b"%PDF-", b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"\x89PNG", b"\xff\xd8\xff", b"!BDN")


#: Extensions of formats that are never plain text: a file so named whose
#: bytes are text was misnamed, and its content decides.
_BINARY_EXTS = {
    ".pdf", ".jpg", ".jpeg", ".png", ".gif", ".tif", ".tiff", ".bmp", ".webp", ".jp2",
    ".zip", ".gz", ".tgz", ".bz2", ".xz", ".7z", ".rar", ".docx", ".xlsx", ".pptx", ".doc",
    ".xls", ".ppt", ".msg", ".pst", ".ost", ".odt", ".ods", ".odp",
}  # fmt: skip


def looks_like_text(head: bytes) -> bool:
    """True when the first bytes are plausibly text in some common encoding."""
    if not head:
        return True
    if head.startswith(_BINARY_MAGIC):
        return False
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return True
    sample = head[:4096]
    if b"\x00" in sample:
        # UTF-16 without a BOM: every other byte of ASCII text is NUL.
        return _utf16_without_bom(sample) is not None
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls <= len(sample) * 0.02


def _utf16_without_bom(sample: bytes) -> str | None:
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = max(1, len(sample) // 2)
    if odd > half * 0.6 and even < half * 0.1:
        return "utf-16-le"
    if even > half * 0.6 and odd < half * 0.1:
        return "utf-16-be"
    return None


def decode_text(data: bytes, declared: str | None = None) -> tuple[str, str, list[str]]:
    """Decode bytes as text: BOM, declared charset, UTF-8, UTF-16, then cp1252.

    Returns (text, encoding used, warnings). Never fails: undecodable bytes
    become U+FFFD and a warning says so, because a page with a few wrong
    characters is better evidence than a missing page.
    """
    warnings: list[str] = []
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc, warnings
            except UnicodeDecodeError:
                warnings.append(f"byte-order mark says {enc} but the text is not valid {enc}")
                return data.decode(enc, errors="replace"), enc, warnings
    if declared:
        try:
            declared = _SUPERSETS.get(codecs.lookup(declared).name, declared)
        except LookupError:
            warnings.append(f"unknown charset {declared!r}; guessed the encoding instead")
        else:
            try:
                return data.decode(declared), declared, warnings
            except UnicodeDecodeError:
                warnings.append(f"text is not valid {declared} as declared; guessed the encoding")
    try:
        return data.decode("utf-8"), "utf-8", warnings
    except UnicodeDecodeError:
        pass
    if b"\x00" in data[:4096] and (enc16 := _utf16_without_bom(data[:4096])):
        return data.decode(enc16, errors="replace"), enc16, warnings
    # cp1252 leaves five bytes undefined; those fall back to Latin-1 so that no
    # byte is lost (they are C1 controls there).
    text = data.decode("cp1252", errors="replace")
    if "\ufffd" in text:
        text = "".join(ch if ch != "\ufffd" else chr(b) for ch, b in zip(text, data, strict=True))
    return text, "cp1252", warnings


def _split_long(piece: str, max_chars: int) -> Iterable[str]:
    """Greedy packing of paragraphs, then lines, then hard cuts, under max_chars."""
    if len(piece) <= max_chars:
        yield piece
        return
    for sep in ("\n\n", "\n", " "):
        parts = piece.split(sep)
        if len(parts) > 1:
            break
    else:
        for i in range(0, len(piece), max_chars):
            yield piece[i : i + max_chars]
        return
    current = ""
    for part in parts:
        candidate = f"{current}{sep}{part}" if current else part
        if len(candidate) <= max_chars:
            current = candidate
            continue
        if current:
            yield current
        if len(part) > max_chars:
            yield from _split_long(part, max_chars)
            current = ""
        else:
            current = part
    if current:
        yield current


def paginate(text: str, max_chars: int = PAGE_CHARS) -> list[str]:
    """Split non-paged text into pages: at form feeds, then paragraphs, then lines.

    Always returns at least one page (possibly empty), so every document has a
    page 1 to cite.
    """
    pages: list[str] = []
    for piece in text.split("\f"):
        piece = piece.strip("\n")
        if not piece.strip():
            continue
        pages.extend(p.strip("\n") for p in _split_long(piece, max_chars))
    return pages or [""]


def select_pages(
    texts: Sequence[str],
    ctx: ExtractContext,
    metas: Sequence[dict[str, Any]] | None = None,
) -> tuple[list[PageContent], list[str], list[tuple[str, str, str]]]:
    """The chunk [start_page, start_page + chunk_pages) of a page list, as pages.

    Pages past `limits.max_pages` are dropped with a warning and a part error
    rather than failing the file, so a huge CSV still gets its first pages in.
    Returns (pages, warnings, part_errors).
    """
    warnings: list[str] = []
    errors: list[tuple[str, str, str]] = []
    total = len(texts)
    limit = ctx.limits.max_pages
    if total > limit:
        msg = f"{ctx.name}: {total} pages, over the limit of {limit}; later pages not kept"
        warnings.append(msg)
        errors.append((f"pages {limit + 1}-{total}", "limit", msg))
        total = limit
    first = max(1, ctx.start_page)
    last = min(total, first + max(1, ctx.chunk_pages) - 1)
    pages = [
        PageContent(number=n, text=texts[n - 1], meta=dict(metas[n - 1]) if metas else {})
        for n in range(first, last + 1)
    ]
    return pages, warnings, errors


def paged_extraction(
    texts: Sequence[str],
    ctx: ExtractContext,
    *,
    doc_type: str,
    mime: str,
    metas: Sequence[dict[str, Any]] | None = None,
    **fields: Any,
) -> Extraction:
    """Build an Extraction holding this chunk of a list of page texts.

    Children and part errors are reported by the first chunk only: the
    pipeline records them for every chunk it receives.
    """
    pages, warnings, errors = select_pages(texts, ctx, metas)
    if ctx.start_page > 1:
        fields.pop("children", None)
        errors = []
    ex = Extraction(
        doc_type=doc_type,
        mime=mime,
        pages=pages,
        page_count=min(len(texts), ctx.limits.max_pages),
        **fields,
    )
    ex.warnings.extend(warnings)
    ex.part_errors.extend(errors)
    return ex


def read_bytes(ctx: ExtractContext) -> bytes:
    try:
        return ctx.path.read_bytes()
    except OSError as e:
        raise CorruptFile(f"{ctx.name}: cannot be read: {e}") from e


# --- plain text -------------------------------------------------------------

_TEXT_EXTS = {".txt", ".text", ".log", ".md", ".rst", ".asc", ".ini", ".cfg", ".json", ".xml"}


class PlainTextExtractor:
    """Plain text in any common encoding, cut into pages by size and form feeds."""

    name: ClassVar[str] = "text"
    version: ClassVar[str] = "1"

    def match(self, name: str, head: bytes) -> int:
        if not looks_like_text(head):
            return 0
        if extension(name) in _TEXT_EXTS:
            return 20
        if (
            head.strip()
            and extension(name) in _BINARY_EXTS
            and b"%PDF-" not in head[:1024]
            and not head.startswith(b"{\\rtf")
        ):
            # Content wins over the extension: readable text named .jpg or .pdf
            # is text, not a damaged image or PDF (their extension bids are 40-50).
            return 55
        return 5  # extension-less text still beats "unknown"

    def extract(self, ctx: ExtractContext) -> Extraction:
        text, encoding, warnings = decode_text(read_bytes(ctx))
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        ex = paged_extraction(
            paginate(text), ctx, doc_type="text", mime="text/plain", metadata={"encoding": encoding}
        )
        ex.warnings[:0] = warnings
        return ex


# --- HTML -------------------------------------------------------------------

_HTML_EXTS = {".html", ".htm", ".xhtml"}
_HTML_MAGIC = re.compile(
    rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b", re.I | re.S
)
_INVISIBLE = ("script", "style", "noscript", "template", "head", "svg", "object", "iframe")
_BLOCKS = (
    "p", "div", "li", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "hr",
    "blockquote", "section", "article", "header", "footer", "dt", "dd", "ul", "ol", "title",
)  # fmt: skip
_BLANKS = re.compile(r"\n\s*\n\s*(\n\s*)+")


def html_to_text(html: str | bytes) -> tuple[str, str | None]:
    """Visible text of an HTML document and its <title>; scripts and styles dropped."""
    import warnings

    from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning

    with warnings.catch_warnings():
        # XHTML and XML-ish exports read fine as HTML; the advice is for developers
        # and would be printed on the user's terminal once per such file.
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        try:
            soup = BeautifulSoup(html, "lxml")
        except Exception:  # lxml missing or choking: the stdlib parser always works
            soup = BeautifulSoup(html, "html.parser")
    title_tag = soup.find("title")
    title = " ".join(title_tag.get_text(" ").split()) if title_tag else None
    for tag in soup(_INVISIBLE):
        tag.decompose()
    # Line breaks where a browser would break lines, none inside running text.
    for tag in soup.find_all(_BLOCKS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    for tag in soup.find_all(("td", "th")):
        tag.insert_after("\t")
    for br in soup.find_all("br"):
        br.replace_with("\n")
    text = soup.get_text("")
    lines = [
        "\t".join(" ".join(c.split()) for c in ln.strip().split("\t")) for ln in text.splitlines()
    ]
    text = "\n".join(lines).strip()
    return _BLANKS.sub("\n\n", text), title or None


class HtmlExtractor:
    """HTML pages: visible text only, title kept."""

    name: ClassVar[str] = "html"
    version: ClassVar[str] = "1"

    def match(self, name: str, head: bytes) -> int:
        magic = bool(_HTML_MAGIC.match(head.lstrip(codecs.BOM_UTF8)[:2048]))
        ext = extension(name) in _HTML_EXTS
        if magic:
            return 60 if ext else 40
        return 50 if ext and looks_like_text(head) else 0

    def extract(self, ctx: ExtractContext) -> Extraction:
        text, title = html_to_text(read_bytes(ctx))
        return paged_extraction(paginate(text), ctx, doc_type="html", mime="text/html", title=title)


# --- CSV / TSV --------------------------------------------------------------

_CSV_EXTS = {".csv": ",", ".tsv": "\t", ".tab": "\t", ".psv": "|"}


def _sniff_delimiter(sample: str, default: str) -> str:
    try:
        return csv.Sniffer().sniff(sample, delimiters=",\t;|").delimiter
    except csv.Error:
        return default


def table_pages(
    header: list[str] | None,
    rows: Iterable[tuple[int, list[str]]],
    max_chars: int = PAGE_CHARS,
    preamble: Sequence[str] = (),
) -> tuple[list[str], list[dict[str, Any]]]:
    """Lay rows out as tab-separated pages under max_chars, header on each page.

    `rows` yields (1-based row number in the source, cells); `preamble` lines
    (titles above a sheet's header row) open page 1. Each page's meta says
    which source rows it holds, so a citation can name the rows.
    """
    head_line = "\t".join(header) if header else ""
    top = [*preamble, head_line] if head_line else list(preamble)
    texts: list[str] = []
    metas: list[dict[str, Any]] = []
    lines: list[str] = []
    size = sum(len(t) + 1 for t in top)
    first = last = 0
    for number, cells in rows:
        line = "\t".join(cells)
        if lines and size + len(line) + 1 > max_chars:
            texts.append("\n".join([*top, *lines]))
            metas.append({"rows": [first, last]})
            top = [head_line] if head_line else []
            lines, size = [], len(head_line)
        if not lines:
            first = number
        lines.append(line)
        size += len(line) + 1
        last = number
    if lines or not texts:
        texts.append("\n".join([*top, *lines]))
        metas.append({"rows": [first, last]} if lines else {})
    return texts, metas


class CsvExtractor:
    """CSV/TSV: rows laid out tab-separated, header repeated on every page."""

    name: ClassVar[str] = "csv"
    version: ClassVar[str] = "1"

    def match(self, name: str, head: bytes) -> int:
        if extension(name) in _CSV_EXTS and looks_like_text(head):
            return 50
        return 0

    def extract(self, ctx: ExtractContext) -> Extraction:
        text, encoding, warnings = decode_text(read_bytes(ctx))
        default = _CSV_EXTS.get(extension(ctx.name), ",")
        delimiter = _sniff_delimiter(text[:65536], default)
        csv.field_size_limit(max(csv.field_size_limit(), 64 * 1024 * 1024))
        try:
            parsed = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        except csv.Error as e:
            warnings.append(f"not valid CSV ({e}); kept as plain text")
            ex = paged_extraction(paginate(text), ctx, doc_type="csv", mime="text/csv")
            ex.warnings[:0] = warnings
            return ex
        # One row per line: line breaks inside a cell become spaces.
        parsed = [[" ".join(cell.split()) for cell in row] for row in parsed]
        header = parsed[0] if parsed else None
        body = ((i, row) for i, row in enumerate(parsed[1:], start=2))
        texts, metas = table_pages(header, body)
        ex = paged_extraction(
            texts,
            ctx,
            doc_type="csv",
            mime="text/tab-separated-values" if delimiter == "\t" else "text/csv",
            metas=metas,
            metadata={"encoding": encoding, "delimiter": delimiter, "rows": len(parsed)},
        )
        ex.warnings[:0] = warnings
        return ex


EXTRACTORS = [PlainTextExtractor(), HtmlExtractor(), CsvExtractor()]

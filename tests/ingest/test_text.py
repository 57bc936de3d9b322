"""Plain text, HTML and CSV extractors, and the shared pagination helpers."""

from __future__ import annotations

from pathlib import Path

from readingroom.ingest.formats.text import (
    CsvExtractor,
    HtmlExtractor,
    PlainTextExtractor,
    decode_text,
    paginate,
)
from readingroom.ingest.model import Limits
from readingroom.ingest.registry import choose

from .contexts import ctx_for


def test_paginate_splits_at_form_feeds_then_paragraphs_and_loses_nothing() -> None:
    paras = [f"paragraph {i} " + "word " * 30 for i in range(40)]
    text = "first page\fsecond page\f" + "\n\n".join(paras)
    pages = paginate(text, max_chars=500)
    assert pages[0] == "first page"
    assert pages[1] == "second page"
    assert all(len(p) <= 500 for p in pages)
    # Paragraph boundaries are respected: every page starts at a paragraph.
    assert all(p.startswith("paragraph") for p in pages[2:])
    assert " ".join(" ".join(pages).split()) == " ".join(text.replace("\f", " ").split())


def test_paginate_hard_cuts_text_without_breaks_and_never_returns_no_page() -> None:
    assert paginate("") == [""]
    pages = paginate("x" * 1001, max_chars=500)
    assert [len(p) for p in pages] == [500, 500, 1]


def test_decode_text_handles_boms_utf8_and_cp1252() -> None:
    assert decode_text("naïve".encode("utf-16"))[:2] == ("naïve", "utf-16")
    assert decode_text("naïve".encode())[1] == "utf-8"
    text, enc, _ = decode_text(b"caf\xe9 \x93quoted\x94 \x81")
    assert enc == "cp1252"
    assert text == "café “quoted” \x81"  # the undefined byte survives as itself


def test_decode_text_prefers_superset_of_declared_charset() -> None:
    text, enc, warnings = decode_text("镕".encode("gb18030"), "gb2312")
    assert (text, enc, warnings) == ("镕", "gb18030", [])


def test_plain_text_chunks_and_page_count(tmp_path: Path) -> None:
    body = "\f".join(f"page {i}" for i in range(1, 8)).encode("utf-16")
    ex = PlainTextExtractor().extract(
        ctx_for(tmp_path, "notes.txt", body, start_page=3, chunk_pages=2)
    )
    assert ex.page_count == 7
    assert [(p.number, p.text) for p in ex.pages] == [(3, "page 3"), (4, "page 4")]
    assert all(p.width == p.height == 0 and not p.words for p in ex.pages)
    assert ex.metadata["encoding"] == "utf-16"


def test_page_limit_keeps_first_pages_and_records_the_rest(tmp_path: Path) -> None:
    body = "\f".join(f"p{i}" for i in range(10)).encode()
    ex = PlainTextExtractor().extract(
        ctx_for(tmp_path, "a.txt", body, limits=Limits(max_pages=4), chunk_pages=50)
    )
    assert ex.page_count == 4 and len(ex.pages) == 4
    assert ex.part_errors and ex.part_errors[0][1] == "limit"


def test_pdf_named_txt_is_not_claimed_as_text() -> None:
    assert PlainTextExtractor().match("report.txt", b"%PDF-1.7\n...") <= 0
    assert choose("report.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n").name != "text"


def test_html_keeps_visible_text_and_title_only(tmp_path: Path) -> None:
    html = b"""<!DOCTYPE html><html><head><title>Arrest  quotas</title>
    <style>p{color:red}</style><script>var secret = 1;</script></head>
    <body><h1>Memo</h1><p>Field office<br>targets</p><noscript>nojs</noscript></body></html>"""
    ex = HtmlExtractor().extract(ctx_for(tmp_path, "memo.htm", html))
    assert ex.title == "Arrest quotas"
    text = ex.pages[0].text
    assert "Memo" in text and "Field office\ntargets" in text
    for hidden in ("secret", "color", "nojs"):
        assert hidden not in text
    assert choose("download", html).name == "html"  # found by content, not name


def test_csv_sniffs_delimiter_and_repeats_header(tmp_path: Path) -> None:
    rows = ["office;arrests;collateral"] + [f"Office {i};{i * 3};{i}" for i in range(600)]
    ex = CsvExtractor().extract(ctx_for(tmp_path, "stats.csv", "\n".join(rows).encode()))
    assert ex.metadata["delimiter"] == ";"
    assert ex.page_count is not None and ex.page_count > 1
    for page in ex.pages:
        assert page.text.splitlines()[0] == "office\tarrests\tcollateral"
    assert ex.pages[0].meta["rows"][0] == 2
    last = ex.pages[-1]
    assert last.meta["rows"][1] == 601 and last.text.endswith("Office 599\t1797\t599")


def test_tsv_with_quoted_newline(tmp_path: Path) -> None:
    data = b'a\tb\n1\t"two\nlines"\n'
    ex = CsvExtractor().extract(ctx_for(tmp_path, "x.tsv", data))
    assert ex.pages[0].text == "a\tb\n1\ttwo lines"  # one row per line

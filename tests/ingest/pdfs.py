"""Small PDFs made in code for ingest tests."""

from __future__ import annotations

from pathlib import Path

import pymupdf


def make_pdf(path: Path, pages: list[str], *, password: str | None = None) -> Path:
    doc = pymupdf.open()
    for text in pages:
        page = doc.new_page(width=612, height=792)
        page.insert_text((72, 100), text, fontsize=12)
    path.parent.mkdir(parents=True, exist_ok=True)
    if password:
        doc.save(
            path,
            encryption=pymupdf.PDF_ENCRYPT_AES_256,
            user_pw=password,
            owner_pw=password + "-owner",
        )
    else:
        doc.save(path, garbage=3, no_new_id=True)
    doc.close()
    return path


def numbered_pdf(path: Path, n: int, tag: str) -> Path:
    return make_pdf(path, [f"{tag} page {i} memorandum quota" for i in range(1, n + 1)])

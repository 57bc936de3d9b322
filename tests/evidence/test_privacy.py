"""A citation can never carry words hidden under a bad redaction, and its crop is masked."""

from __future__ import annotations

import base64
import io
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from PIL import Image

from readingroom.analyse import run_all
from readingroom.demo import generate
from readingroom.evidence import report as rep
from readingroom.evidence.findings import QuoteNotOnPage, record_finding
from readingroom.ingest.pipeline import IngestOptions, ingest
from readingroom.investigation import Investigation
from readingroom.mask import MASK
from readingroom.store import reading


def test_hidden_words_cannot_be_quoted_and_crops_are_black_there(tmp_path: Path) -> None:
    truth = generate(tmp_path / "demo", seed=7)
    bad = next(
        (f, p, r)
        for f in truth["files"] if f["kind"] == "email_chain"
        for p in f["pages"] for r in p["redactions"] if r["bad"]
    )  # fmt: skip
    f, p, r = bad
    inv = Investigation.create(tmp_path / "inv")
    with ThreadPoolExecutor(1) as pool:
        ingest(inv, [tmp_path / "demo" / "production" / "emails"], IngestOptions(ocr="never"),
               executor=pool)  # fmt: skip
    run_all(inv)
    doc = reading.resolve_document(inv.db, ref=f["path"].rsplit("/", 1)[-1])
    page = reading.page(inv.db, document_id=doc["document_id"], number=p["number"], words=True)
    assert page is not None and MASK in page["text"]
    with pytest.raises(QuoteNotOnPage):
        record_finding(inv.db, claim="leak", document_id=doc["document_id"], page=p["number"],
                       quote=r["hidden_text"])  # fmt: skip
    # Quote the line that holds the mask: the crop shows black where the words were.
    line = next(ln for ln in page["text"].splitlines() if MASK in ln)
    record_finding(inv.db, claim="masked line", document_id=doc["document_id"],
                   page=p["number"], quote=line)  # fmt: skip
    data = rep.build(inv)
    cite = data["findings"][0]["citations"][0]
    assert cite["crop"] and cite["exact"] == line.strip()
    img = Image.open(io.BytesIO(base64.b64decode(cite["crop"].split(",", 1)[1]))).convert("L")
    assert min(img.getdata()) == 0  # painted black over the masked words
    html = rep.html(data)
    assert r["hidden_text"] not in html and r["hidden_text"] not in rep.markdown(data)

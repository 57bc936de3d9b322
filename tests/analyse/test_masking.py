"""Text found under a bad redaction never reaches the stored text, the index or the UI."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from readingroom.analyse import run_all
from readingroom.analyse.analysers.redactions import reveal_from_original
from readingroom.ingest.pipeline import IngestOptions, ingest
from readingroom.investigation import Investigation
from readingroom.mask import MASK

SECRET = "Zebulon Quixtaberry"


def bad_redaction_pdf(path: Path) -> Path:
    doc = pymupdf.open()
    page = doc.new_page()
    lines = [
        ("From:", "Placeholder, Clementine"),
        ("Sent:", "Friday, March 8, 2019 6:06 AM"),
        ("To:", SECRET),
        ("Subject:", "RE: Phoenix daily numbers"),
    ]
    for i, (label, value) in enumerate(lines):
        page.insert_text((72, 100 + 16 * i), label, fontsize=11)
        page.insert_text((150, 100 + 16 * i), value, fontsize=11)
    page.insert_text((72, 190), f"Please ask {SECRET} for the collateral numbers.", fontsize=11)
    # A box drawn over the To: value only; the words stay in the text layer.
    page.draw_rect(pymupdf.Rect(148, 122, 290, 136), color=(0, 0, 0), fill=(0, 0, 0))
    page.insert_text((300, 132), "(b)(6)", fontsize=9)
    doc.save(path)
    return path


@pytest.fixture
def analysed(inv: Investigation, tmp_path: Path) -> Investigation:
    bad_redaction_pdf(tmp_path / "chain.pdf")
    ingest(inv, [tmp_path / "chain.pdf"], IngestOptions(ocr="never", workers=1))
    assert SECRET.split()[1] in inv.db.execute("SELECT text FROM pages").fetchone()[0]
    run_all(inv)
    return inv


def test_hidden_words_are_masked_in_text_words_and_index(analysed: Investigation) -> None:
    db = analysed.db
    bad = db.execute("SELECT count(*) FROM redaction_boxes WHERE bad = 1").fetchone()[0]
    assert bad == 1
    text, words = db.execute("SELECT text, words FROM pages").fetchone()
    # The To: value under the box is masked; the same name printed visibly in
    # the body, outside any box, is what the agency released and stays.
    assert f"To: {MASK} {MASK}" in text
    assert f"ask {SECRET} for the collateral" in text
    from readingroom.store import decode_words

    under = [w for w in decode_words(words) if 148 <= w.x0 < 290 and 120 <= w.y1 <= 140]
    assert under and all(w.text == MASK for w in under)
    body = [w for w in decode_words(words) if w.text == "Quixtaberry"]
    assert len(body) == 1 and body[0].y0 > 170
    # Later analysers saw the masked page too: the To: field does not carry the name.
    (to,) = db.execute("SELECT recipients FROM email_messages").fetchone()
    assert "Quixtaberry" not in to and MASK in to


def test_reveal_reads_the_original_and_rerun_keeps_the_flag(analysed: Investigation) -> None:
    db = analysed.db
    sha = db.execute("SELECT sha256 FROM documents").fetchone()[0]
    box = db.execute("SELECT x0, y0, x1, y1 FROM redaction_boxes WHERE bad = 1").fetchone()
    assert reveal_from_original(analysed.blobs.path(sha), 1, tuple(box)) == SECRET
    run_all(analysed, force=True)
    assert db.execute("SELECT count(*) FROM redaction_boxes WHERE bad = 1").fetchone()[0] == 1
    assert f"To: {MASK} {MASK}" in db.execute("SELECT text FROM pages").fetchone()[0]


def test_reextraction_reruns_the_analysers(analysed: Investigation, tmp_path: Path) -> None:
    db = analysed.db
    with db:
        db.execute("UPDATE documents SET extractor_version = 'old'")
    ingest(analysed, [tmp_path / "chain.pdf"], IngestOptions(ocr="never", workers=1))
    # fresh text from the original: analysers are due again, and mask it again
    due = db.execute("SELECT count(*) FROM stages WHERE stage LIKE 'analyse:%'").fetchone()[0]
    assert due == 0
    run_all(analysed)
    assert f"To: {MASK} {MASK}" in db.execute("SELECT text FROM pages").fetchone()[0]


def test_only_words_under_the_box_are_masked() -> None:
    """A visible letterhead keeps the word a bad redaction covers further down."""
    from readingroom.mask import mask_page
    from readingroom.page import Word

    words = [
        Word(72, 40, 100, 52, "U.S."),
        Word(104, 40, 170, 52, "Immigration"),
        Word(174, 40, 196, 52, "and"),
        Word(72, 200, 90, 212, "Call"),
        Word(94, 200, 160, 212, "Immigration"),
        Word(164, 200, 200, 212, "officer"),
    ]
    text = "U.S. Immigration and\nCall Immigration officer"
    masked, new_words = mask_page(text, words, [words[4]])
    assert masked == f"U.S. Immigration and\nCall {MASK} officer"
    assert [w.text for w in new_words] == ["U.S.", "Immigration", "and", "Call", MASK, "officer"]
    # An occurrence the text cannot place (no line context matches) is masked.
    assert mask_page("Immigration", words, [words[4]])[0] == MASK


def test_masked_words_read_as_the_mask_on_the_next_run() -> None:
    from readingroom.mask import is_masked, mask_text, mask_words
    from readingroom.page import Word

    words = [Word(0, 0, 10, 10, "To:"), Word(12, 0, 40, 10, "Smith,"), Word(42, 0, 60, 10, "J.")]
    masked = mask_words(words, ["Smith,", "J."])
    # Whole words become exactly MASK, so the redactions analyser still finds
    # the box bad when it runs again on the stored, masked page.
    assert [w.text for w in masked] == ["To:", MASK, "J."] and is_masked(masked[1].text)
    assert mask_text("To: Smith, J. Smithson", ["Smith,"]) == f"To: {MASK}, J. Smithson"


def test_cli_reveal_is_audit_logged(
    analysed: Investigation, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reading text an agency meant to withhold leaves a trace, from the CLI as from the web."""
    import json

    from typer.testing import CliRunner

    from readingroom.cli import build_app
    from readingroom.store.accounts import audit_log

    monkeypatch.setenv("READINGROOM_USER", "reviewer-7")
    app, where = build_app(), ["--dir", str(analysed.root)]
    quiet = CliRunner().invoke(app, ["redactions", "--json", *where])
    assert quiet.exit_code == 0 and "text_under" not in quiet.stdout
    assert audit_log(analysed.db, action="reveal-redactions") == []  # nothing read, nothing logged
    shown = CliRunner().invoke(app, ["redactions", "--reveal", "--json", *where])
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.stdout)["bad"][0]["text_under"] == SECRET
    (row,) = audit_log(analysed.db, action="reveal-redactions")
    sha = analysed.db.execute("SELECT sha256 FROM documents").fetchone()[0]
    assert (row["user"], row["role"], row["target"]) == ("reviewer-7", "cli", sha[:12])
    assert SECRET not in (row["detail"] or "")  # the log says that, not what

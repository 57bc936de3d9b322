"""Every real e-mail, spreadsheet, zip and text file in the corpus extracts or fails cleanly.

"Cleanly" means an InputError subclass whose message names the file, never
another exception and never a hang. Children (attachments, zip members, mbox
messages) are run through their own extractors too, two levels deep, so the
111 messages inside libratom's emails.zip are exercised as well.
"""

from __future__ import annotations

import signal
import traceback
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

import pytest

from readingroom.blobs import BlobStore
from readingroom.errors import InputError
from readingroom.filetypes import read_head
from readingroom.ingest.model import ExtractContext
from readingroom.ingest.registry import choose

PER_FILE_SECONDS = 30
CHILD_DEPTH = 2
EXTS = (".xlsx", ".zip", ".txt")
#: Extractors other suites own; children that land on them are not judged here.
NOT_OURS = {"pdf"}


def corpus_files(corpus: Path) -> Iterator[Path]:
    for sub in ("email", "spreadsheets"):
        yield from sorted(p for p in (corpus / sub).rglob("*") if p.is_file())
    for p in sorted(corpus.rglob("*")):
        top = p.relative_to(corpus).parts[0]
        if p.is_file() and top not in ("email", "spreadsheets") and p.suffix.lower() in EXTS:
            yield p


class Hang(Exception):
    pass


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise Hang()


def _run(
    path: Path, name: str, blobs: BlobStore, depth: int, outcomes: dict[str, str], bad: list[str]
) -> None:
    ex = choose(name, read_head(path))
    if depth and ex.name in NOT_OURS:
        return
    ctx = ExtractContext(
        path=path, name=name, sha256="", blobs=blobs, ocr="never", chunk_pages=100_000, depth=depth
    )
    signal.alarm(PER_FILE_SECONDS)
    try:
        result = ex.extract(ctx)
    except Hang:
        bad.append(f"{name}: {ex.name} took more than {PER_FILE_SECONDS} s")
        return
    except InputError as e:
        outcomes[name] = f"{ex.name}: {type(e).__name__}"
        if Path(name).name not in str(e) or str(blobs.root) in str(e):
            bad.append(f"{name}: error message does not name the file: {e}")
        return
    except Exception:
        bad.append(f"{name}: {ex.name} crashed:\n{traceback.format_exc()}")
        return
    finally:
        signal.alarm(0)
    outcomes[name] = f"{ex.name}: ok"
    if result.page_count is not None and result.page_count != len(result.pages):
        bad.append(f"{name}: page_count {result.page_count} but {len(result.pages)} pages")
    for part, _kind, message in result.part_errors:
        if str(blobs.root) in message:
            bad.append(f"{name}!{part}: part error names a blob path: {message}")
    if depth < CHILD_DEPTH:
        for child in result.children:
            _run(blobs.path(child.sha256), f"{name}!{child.name}", blobs, depth + 1, outcomes, bad)


@pytest.mark.corpus
def test_corpus_formats_extract_or_fail_cleanly(corpus: Path, tmp_path: Path) -> None:
    blobs = BlobStore(tmp_path / "blobs")
    outcomes: dict[str, str] = {}
    bad: list[str] = []
    previous = signal.signal(signal.SIGALRM, _alarm)
    try:
        files = list(corpus_files(corpus))
        assert len(files) > 100
        for path in files:
            _run(path, str(path.relative_to(corpus)), blobs, 0, outcomes, bad)
    finally:
        signal.signal(signal.SIGALRM, previous)
    print("\n".join(f"{o:40} {n}" for n, o in outcomes.items() if not o.endswith(": ok")))
    assert not bad, "\n".join(bad)
    # The formats this suite exists for really are extracted, not just survived.
    by_ext = {Path(n.split("!")[0]).suffix: o for n, o in outcomes.items() if "!" not in n}
    assert by_ext[".xlsx"] == "xlsx: ok" and by_ext[".csv"] == "csv: ok"
    assert outcomes["email/libratom/emails.zip"] == "zip: ok"
    inner = [o for n, o in outcomes.items() if n.startswith("email/libratom/emails.zip!")]
    assert sum(o == "eml: ok" for o in inner) >= 100
    assert outcomes["email/msg-extractor/unicode.msg"] == "msg: ok"
    assert outcomes["email/mail-parser/mail_outlook_1"] == "msg: ok"
    assert outcomes["email/cpython-test-email/mailbox_01.mbox"] == "mbox: ok"

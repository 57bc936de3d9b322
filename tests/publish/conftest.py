"""A small investigation with planted identifiers: a born-digital I-213 and a scanned one."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from readingroom.investigation import Investigation
from readingroom.publish.fixtures import PlantedPage, planted_page, write_pdf


def build(root: Path) -> tuple[Investigation, dict[str, list[PlantedPage]]]:
    from readingroom.analyse import run_all
    from readingroom.ingest.pipeline import IngestOptions, ingest

    src = root / "in"
    src.mkdir(parents=True)
    files = {
        "i213-born.pdf": [planted_page(41, 1), planted_page(41, 2)],
        "i213-scan.pdf": [planted_page(42, 1)],
        "memo-clean.pdf": [],
    }
    write_pdf(src / "i213-born.pdf", files["i213-born.pdf"])
    write_pdf(src / "i213-scan.pdf", files["i213-scan.pdf"], scanned=True)
    clean = planted_page(43, 1)
    clean.lines = [*clean.lines[:8], "Narrative only: no private identifiers.", "", clean.bates]
    clean.truth = []
    write_pdf(src / "memo-clean.pdf", [clean])
    (src / "call-notes.txt").write_text("Caller gave SSN: 123-45-6789\n", encoding="utf-8")
    files["memo-clean.pdf"] = [clean]
    inv = Investigation.create(root / "inv")
    with ThreadPoolExecutor(1) as pool:
        ingest(inv, [src], IngestOptions(ocr="auto"), executor=pool)
    run_all(inv)
    return inv, files


@pytest.fixture(scope="module")
def planted(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Investigation, dict[str, list[PlantedPage]]]]:
    inv, files = build(tmp_path_factory.mktemp("publish"))
    yield inv, files
    inv.close()

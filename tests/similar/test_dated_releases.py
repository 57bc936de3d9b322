"""Three dated releases of one record: restorations are sought in the later one and
attributed to the release that printed them first (ingest → clusters → CLI and web)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from readingroom.analyse import run_all
from readingroom.cli import build_app
from readingroom.ingest.pipeline import IngestOptions, ingest
from readingroom.investigation import Investigation
from readingroom.web.app import create_app

BODY = [
    "MEMORANDUM FOR THE RECORD",
    "SUBJECT: Meeting with the liaison service on the spring operation",
    "The station chief met the visitor at the embassy on the morning of 12 March.",
    "The meeting lasted two hours and covered the travel plans of the delegation.",
    "{first}",
    "Both sides agreed to exchange the names of the couriers before the summer.",
    "The visitor asked that the reporting channel remain open through the embassy.",
    "{second}",
    "Further reporting will follow when the officer returns from the capital.",
    "The station will cable headquarters with the results of the next meeting.",
]
FIRST = "The head of the Australian service asked that his name be protected."
SECOND = "The courier was paid from the station fund after each confirmed delivery."
LOST = "Copies went to the ambassador and to the chief of the political section."


def _release(first: str, second: str, extra: str = "") -> str:
    return "\n".join(BODY).format(first=first, second=second) + (f"\n{extra}" if extra else "")


@pytest.fixture(scope="module")
def inv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Investigation]:
    root = tmp_path_factory.mktemp("dated")
    releases = {
        # 2018 withheld both passages (a blank) and its text holds a line the later OCR lost
        "2018-03-01": _release("", "", LOST),
        "2020-06-01": _release(FIRST, ""),  # restored the first
        "2022-09-01": _release(FIRST, SECOND),  # restored the second
    }
    inv = Investigation.create(root / "inv")
    for day, text in releases.items():
        src = root / day
        src.mkdir()
        (src / f"memo-release-{day[:4]}.txt").write_text(text)
        with ThreadPoolExecutor(1) as pool:
            ingest(
                inv,
                [src],
                IngestOptions(ocr="never", production=f"release-{day[:4]}", received=day),
                executor=pool,
            )
    run_all(inv)
    yield inv
    inv.close()


def _compare(inv: Investigation, a: str, b: str) -> dict:
    args = ["compare", f"memo-release-{a}.txt", f"memo-release-{b}.txt", "--json"]
    r = CliRunner().invoke(build_app(), [*args, "--dir", str(inv.root)])
    assert r.exit_code == 0, (r.output, r.exception)
    return json.loads(r.stdout)


def _restored(data: dict) -> list[tuple[str, str]]:
    return [
        (d["kind"], d["b_words"] if d["kind"] == "restored_in_b" else d["a_words"])
        for d in data["differences"]
        if d["kind"].startswith("restored")
    ]


def test_only_what_the_last_release_restored_is_its_own(inv: Investigation) -> None:
    cmp = _compare(inv, "2018", "2022")
    assert (cmp["a"]["released"], cmp["b"]["released"]) == ("2018-03-01", "2022-09-01")
    assert cmp["witnesses"] == 1
    # the first passage is 2020's restoration; the line 2022's text lacks is not "re-withheld"
    assert _restored(cmp) == [("restored_in_b", SECOND)]
    assert cmp["restored_terms"] == {"in_a": [], "in_b": []}  # no name restored in two places
    assert _restored(_compare(inv, "2018", "2020")) == [("restored_in_b", FIRST)]
    # swapping A and B changes the sides, not which release restored what
    swapped = _compare(inv, "2022", "2018")
    assert _restored(swapped) == [("restored_in_a", SECOND)]


def test_the_web_page_says_when_each_was_released(inv: Investigation) -> None:
    cmp = _compare(inv, "2018", "2022")
    with TestClient(create_app(inv.root)) as web:
        page = web.get(f"/compare?a={cmp['a']['key']}&b={cmp['b']['key']}")
    assert page.status_code == 200
    assert "released 2018-03-01" in page.text and "released 2022-09-01" in page.text
    assert "1 other release of this record served as witnesses" in page.text
    title = "Readable in B where A has nothing readable"
    assert page.text.count(title) == 2  # the heading and the table's label
    restored = page.text.split(title)[-1]
    assert SECOND in restored and "Both releases are dated" in page.text
    with TestClient(create_app(inv.root)) as web:  # the viewer dates each version
        viewer = web.get(f"/doc/{cmp['a']['key']}").text
    assert "this one released <span class=\"released\">2018-03-01</span>" in viewer
    assert "released 2020-06-01" in viewer and "released 2022-09-01" in viewer


def test_a_comparison_too_large_for_the_browser_says_so(
    inv: Investigation, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The browser refuses, with words, what would hold a server core for minutes."""
    from readingroom.web.views import similar

    cmp = _compare(inv, "2018", "2022")  # the CLI has no limit
    monkeypatch.setattr(similar, "WEB_COMPARE_WORDS", 50)  # the two memos hold more
    with TestClient(create_app(inv.root)) as web:
        page = web.get(f"/compare?a={cmp['a']['key']}&b={cmp['b']['key']}")
    assert page.status_code == 400
    assert "more than the 50 compared here" in page.text and "readingroom compare" in page.text


def test_releases_lists_each_release_in_order_with_what_it_restored(inv: Investigation) -> None:
    r = CliRunner().invoke(
        build_app(), ["releases", "memo-release-2022.txt", "--json", "--dir", str(inv.root)]
    )
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert [x["released"] for x in data["releases"]] == ["2018-03-01", "2020-06-01", "2022-09-01"]
    assert data["undated"] == []
    restored = [[p["text"] for p in s["restored_passages"]] for s in data["steps"]]
    assert restored == [[FIRST], [SECOND]]  # each passage under the release that restored it
    assert [s["newly_withheld"] for s in data["steps"]] == [0, 0]
    text = CliRunner().invoke(
        build_app(), ["releases", "memo-release-2018.txt", "--dir", str(inv.root)]
    )
    assert "2020-06-01 → 2022-09-01" in text.stdout and SECOND in text.stdout

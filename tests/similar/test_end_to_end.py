"""Ingest → signatures → clusters → CLI, search collapse and web pages, on text files made here."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from readingroom.analyse import run_all
from readingroom.cli import build_app
from readingroom.ingest.pipeline import IngestOptions, ingest
from readingroom.investigation import Investigation
from readingroom.search import search
from readingroom.similar.clusters import duplicates
from readingroom.web.app import create_app

from .test_family import OFFICES, _plan

MEMO = [
    "MEMORANDUM FOR THE FIELD OFFICE DIRECTOR",
    "SUBJECT: Review of the spring surge operation",
    "On 12 March the team met {name} at the border crossing to plan the surge.",
    "The team arrested twelve people near the bus station during the first week.",
    "Collateral arrests were recorded in the approved systems of record each morning.",
    "The informant was paid from the operations fund after each confirmed lead.",
    "Supervisors reviewed every target package before the teams left the office.",
    "The field office will report the final numbers to Headquarters in June.",
]


@pytest.fixture(scope="module")
def inv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Investigation]:
    root = tmp_path_factory.mktemp("similar")
    src = root / "in"
    src.mkdir()
    rng = random.Random(1)
    for i, office in enumerate(OFFICES[:4]):
        (src / f"plan-{office.lower()}.txt").write_text(_plan(office, rng, noisy=i == 3, rate=0.03))
    memo = "\n".join(MEMO)
    (src / "memo-release-2018.txt").write_text(memo.format(name="(b)(6)") + "\nREL18 000041")
    (src / "memo-release-2022.txt").write_text(
        memo.format(name="John Smith") + "\nThe case was closed in July.\nREL22 000007"
    )
    (src / "unrelated.txt").write_text("A letter about fees owed for a request, nothing more. " * 5)
    inv = Investigation.create(root / "inv")
    with ThreadPoolExecutor(1) as pool:
        ingest(inv, [src], IngestOptions(ocr="never"), executor=pool)
    run_all(inv)  # shingles, then clustering (the runner's hook)
    yield inv
    inv.close()


def _cli(inv: Investigation, *args: str) -> dict:
    r = CliRunner().invoke(build_app(), [*args, "--json", "--dir", str(inv.root)])
    assert r.exit_code == 0, (r.output, r.exception)
    return json.loads(r.stdout)


def test_clusters_stored_after_analysis(inv: Investigation) -> None:
    fams = duplicates(inv.db)["document"]["clusters"]
    names = sorted(sorted(m["name"] for m in c["members"]) for c in fams)
    assert names == [
        ["memo-release-2018.txt", "memo-release-2022.txt"],
        [f"plan-{o.lower()}.txt" for o in OFFICES[:4]],
    ]


def test_cli_duplicates_family_compare(inv: Investigation) -> None:
    d = _cli(inv, "duplicates")
    assert d["runs"]["document"]["computed"] is False  # nothing changed since the analysers ran
    plan_cluster = next(c for c in d["document"]["clusters"] if c["size"] == 4)["cluster"]
    fam = _cli(inv, "family", "--cluster", str(plan_cluster))
    kinds = {(p["label"], p["kind"]) for p in fam["passages"]}
    assert kinds == {("boston", "added"), ("chicago", "changed"), ("denver", "removed")}
    assert _cli(inv, "family", "plan-boston.txt")["cluster"] == plan_cluster
    cmp = _cli(inv, "compare", "memo-release-2018.txt", "memo-release-2022.txt")
    w = [x for x in cmp["differences"] if x["kind"] == "withheld_in_a"]
    assert [(x["codes"], x["b_words"]) for x in w] == [(["(b)(6)"], "john smith")]
    # ingested without --received: undated, so restorations are sought both ways
    assert (cmp["a"]["released"], cmp["b"]["released"], cmp["witnesses"]) == (None, None, 0)
    assert [x["b"]["text"] for x in cmp["differences"] if x["kind"] == "only_in_b"] == [
        "The case was closed in July."
    ]


def test_cli_errors_name_the_problem(inv: Investigation) -> None:
    r = CliRunner().invoke(build_app(), ["family", "--dir", str(inv.root)])
    assert r.exit_code != 0 and "--cluster" in str(r.exception)
    r = CliRunner().invoke(build_app(), ["family", "unrelated.txt", "--dir", str(inv.root)])
    assert r.exit_code != 0 and "no near-duplicates" in str(r.exception)


def test_search_collapses_copies(inv: Investigation) -> None:
    conn = inv.reader()
    folded = search(conn, "priority targets")
    assert folded.total_documents == 1
    assert folded.documents[0].copies == 3 and folded.collapsed == 3
    every = search(conn, "priority targets", collapse=False)
    assert every.total_documents == 4 and every.collapsed == 0
    conn.close()


def test_web_pages(inv: Investigation) -> None:
    fams = duplicates(inv.db)["document"]["clusters"]
    plans = next(c for c in fams if c["size"] == 4)
    memos = next(c for c in fams if c["size"] == 2)
    boston = next(m["key"] for m in plans["members"] if m["name"] == "plan-boston.txt")
    with TestClient(create_app(inv.root)) as web:
        page = web.get("/duplicates")
        assert page.status_code == 200 and f"/family/{plans['cluster']}" in page.text
        matrix = web.get(f"/family/{plans['cluster']}").text
        assert "county fairground" in matrix and 'class="cell removed"' in matrix
        side = web.get(f"/family/{plans['cluster']}?member={boston}").text
        assert "Boston beside the template" in side and "county fairground" in side
        csv = web.get(f"/family/{plans['cluster']}/passages.csv")
        assert csv.headers["content-type"].startswith("text/csv")
        assert csv.text.count("\n") == 4  # header + three passages
        a, b = (m["key"] for m in memos["members"])
        cmp = web.get(f"/compare?a={a}&b={b}").text
        assert "(b)(6)" in cmp and "John Smith" in cmp
        doc = web.get(f"/doc/{boston}").text
        assert "Other copies" in doc and f"/family/{plans['cluster']}" in doc
        assert "3 more copies" in web.get("/?q=priority").text
        assert web.get("/family/999").status_code == 404
        assert web.get(f"/family/{plans['cluster']}/passages.xml").status_code == 404
        bad = web.get("/compare?a=zz&b=11")
        assert bad.status_code == 400 and "a" in bad.text
        assert web.get(f"/family/{plans['cluster']}?member=abcdef12").status_code == 404

"""The clustering step over stored signatures, and families built from stored documents.

`refresh` clusters page and document signatures again only when they changed
since the stored run (or its version is older), so `readingroom duplicates`
is cheap to repeat, like any analyser.
"""

from __future__ import annotations

import itertools
import sqlite3
import time
from collections.abc import Sequence
from typing import Any

from readingroom.errors import BadArguments, NotFound
from readingroom.similar.family import Member, analyse_family
from readingroom.similar.minhash import Item, cluster, from_blob
from readingroom.store import similar as store
from readingroom.store import transaction

#: A new version re-clusters every investigation on its next `duplicates`.
VERSION = "1"
LEVELS = ("page", "document")
#: Jaccard similarity of word 5-grams above which two pages are copies of each
#: other, and two documents one family (versions of one plan share most of
#: their text but each adds its own). Measured on the demo: plans of one family
#: 0.82-0.94, unrelated memos and e-mails at most 0.41, a short e-mail released
#: again with four names withheld as (b)(6) 0.45.
THRESHOLDS = {"page": 0.8, "document": 0.45}


def refresh(conn: sqlite3.Connection, *, force: bool = False) -> dict[str, Any]:
    """Cluster each level whose signatures changed; returns what each level's run holds."""
    out: dict[str, Any] = {}
    for level in LEVELS:
        fp = store.signature_fingerprint(conn, level=level)
        run = store.latest_run(conn, level=level)
        if not force and run and run["fingerprint"] == fp and run["version"] == VERSION:
            out[level] = {**run, "computed": False}
            continue
        t0 = time.perf_counter()
        rows = store.signatures(conn, level=level)
        items = []
        where: dict[int, tuple[int, int | None]] = {}
        for r in rows:
            sig = from_blob(r["signature"]) if r["signature"] else None
            items.append(Item(r["id"], sig, r["text_hash"] if sig is not None else None))
            where[r["id"]] = (r["document_id"], r["page_id"])
        groups = cluster(items, THRESHOLDS[level])
        if level == "page":  # copies within one document are repeats, not other copies
            groups = [g for g in groups if len({where[k][0] for k in g}) > 1]
        seconds = time.perf_counter() - t0
        with transaction(conn):
            store.replace_clusters(
                conn,
                level=level,
                version=VERSION,
                fingerprint=fp,
                groups=[[where[k] for k in g] for g in groups],
                items=len(items),
                seconds=seconds,
            )
        out[level] = {**(store.latest_run(conn, level=level) or {}), "computed": True}
    return out


def duplicates(conn: sqlite3.Connection, *, limit: int = 1000) -> dict[str, Any]:
    """Document clusters and page clusters of the newest runs, for `duplicates --json`."""
    return {
        level: {
            "run": store.latest_run(conn, level=level),
            "clusters": store.clusters(conn, level=level, limit=limit),
        }
        for level in ("document", "page")
    }


def members_of(conn: sqlite3.Connection, document_ids: list[int]) -> list[Member]:
    return [
        Member(
            d["key"],
            d["name"],
            [(p["number"], p["text"] or "") for p in d["pages"]],
            {p["number"]: p["bates"] for p in d["pages"] if p["bates"]},
            document_id=d["id"],
        )
        for d in store.family_documents(conn, document_ids=document_ids)
    ]


def family_ids(
    conn: sqlite3.Connection, *, document_id: int | None = None, cluster_no: int | None = None
) -> tuple[int, list[int]]:
    """The document-level cluster (number, member ids) holding a document, or cluster N."""
    if cluster_no is None:
        if document_id is None:
            raise BadArguments("name a document or give --cluster N")
        c = store.copies_of_document(conn, document_id=document_id)
        if c is None:
            raise NotFound(
                "this document has no near-duplicates in the newest clustering;"
                " run `readingroom analyse` then `readingroom duplicates`"
            )
        cluster_no = int(c["cluster"])
    members = store.cluster_members(conn, level="document", cluster=cluster_no)
    if not members:
        raise NotFound(f"no document cluster {cluster_no}; `readingroom duplicates` lists them")
    return cluster_no, [m["document_id"] for m in members]


def family(
    conn: sqlite3.Connection, *, document_id: int | None = None, cluster_no: int | None = None
) -> dict[str, Any]:
    """The template and local passages of the family a document belongs to (or cluster N)."""
    n, ids = family_ids(conn, document_id=document_id, cluster_no=cluster_no)
    out = analyse_family(members_of(conn, ids))
    return {"cluster": n, **out}


def _with_copies(conn: sqlite3.Connection, document_ids: Sequence[int]) -> list[int]:
    """The documents, then the other documents of their near-duplicate clusters, each once."""
    out = list(document_ids)
    for doc in document_ids:
        c = store.copies_of_document(conn, document_id=doc)
        members = c["members"] if c else []
        out += [m["document_id"] for m in members if m["document_id"] not in out]
    return out


#: Words two releases may hold together for a comparison asked in the browser: about
#: 1,300 pages, 15 s on this machine (bench/bench_compare.py); the CLI has no limit.
WEB_COMPARE_WORDS = 400_000


def compare_documents(
    conn: sqlite3.Connection, a_id: int, b_id: int, *, max_words: int | None = None
) -> dict[str, Any]:
    """`compare.compare` on two stored documents.

    The other documents of A's and B's near-duplicate clusters (other releases
    of the same record) are the comparison's witnesses; each document's release date
    is its production's `received` date.
    """
    from readingroom.similar.compare import Witness, compare, release_of

    members = members_of(conn, [a_id, b_id])
    if len(members) != 2:
        raise NotFound("one of the two documents is not in this investigation")
    by_id = {m.document_id: m for m in members}
    words = sum(len(t.split()) for m in members for _, t in m.pages)
    if max_words is not None and words > max_words:
        raise BadArguments(
            f"these two releases hold {words:,} words together, more than the {max_words:,}"
            f" compared here; run `readingroom compare {members[0].key} {members[1].key}`"
        )
    # two releases read by other OCR engines may sit in two clusters: both count
    others = _with_copies(conn, [a_id, b_id])[2:]
    dates = store.release_dates(conn, document_ids=[a_id, b_id, *others])
    witnesses = [
        Witness("\n".join(t for _, t in m.pages), dates.get(m.document_id or 0))
        for m in members_of(conn, others)
    ]
    out = compare(
        release_of(by_id[a_id], dates.get(a_id)),
        release_of(by_id[b_id], dates.get(b_id)),
        witnesses=witnesses,
    )
    out["witnesses"] = len(witnesses)
    out["a"]["released"], out["b"]["released"] = dates.get(a_id), dates.get(b_id)
    return out


def release_history(conn: sqlite3.Connection, document_id: int) -> dict[str, Any]:
    """The releases of one record, oldest first, and what each restored over the one before.

    The record's releases are the document and the other documents of its
    near-duplicate cluster; each is dated by its production's `received` date
    (`ingest --received`). Undated releases cannot be put in order: they are
    listed apart, and comparing them is left to `compare`.
    """
    ids = _with_copies(conn, [document_id])
    dates = store.release_dates(conn, document_ids=ids)
    members = {m.document_id: m for m in members_of(conn, ids)}

    def entry(i: int) -> dict[str, Any]:
        return {"key": members[i].key, "name": members[i].name, "released": dates.get(i)}

    dated = sorted((i for i in ids if dates.get(i)), key=lambda i: (dates[i] or "", i))
    steps = []
    for older, newer in itertools.pairwise(dated):
        cmp = compare_documents(conn, older, newer)
        restored = [d for d in cmp["differences"] if d["kind"] == "restored_in_b"]
        released = [d for d in cmp["differences"] if d["kind"] == "withheld_in_a"]
        steps.append(
            {
                "from": entry(older),
                "to": entry(newer),
                "released_withheld": [
                    {"words": d["b_words"], "codes": d["codes"], "page": d["b"]["page"]}
                    for d in released
                ],
                "restored_passages": [
                    {"text": d["b"]["text"], "page": d["b"]["page"], "bates": d["b"]["bates"]}
                    for d in restored
                ],
                "restored_terms": cmp["restored_terms"]["in_b"],
                "newly_withheld": cmp["counts"].get("withheld_in_b", 0),
            }
        )
    return {
        "releases": [entry(i) for i in dated],
        "undated": [entry(i) for i in ids if not dates.get(i)],
        "steps": steps,
    }

"""What publishing a set of documents would expose, and the reviewers' decisions on it.

A hit is reported with kind, document, page, span and box, its value masked
(`detect.mask_value`) and a short keyed hash: the HMAC-SHA256 of the
normalised value under the investigation's own secret, first 10 hex digits.
The hash lets a reviewer see that two hits are the same number without
seeing it; it is keyed because an SSN has only 10^9 values and a plain hash
of one is reversed in seconds. The full value is given only to `reveal`,
which the web view lets an editor call, one hit at a time, and records.
"""

from __future__ import annotations

import hashlib
import hmac
import sqlite3
from collections import Counter
from collections.abc import Iterable
from typing import Any

from readingroom.analyse.textmap import join_words
from readingroom.errors import BadArguments, NotFound
from readingroom.page import Word
from readingroom.publish.detect import KINDS, mask_value, normalise
from readingroom.store import evidence, reading
from readingroom.store import publish as store

__all__ = ["audit", "decide", "failures", "resolve_documents", "reveal", "summary"]


def resolve_documents(
    conn: sqlite3.Connection, *, refs: Iterable[str] = (), tag: str | None = None
) -> list[int]:
    """Document ids from permanent ids / unambiguous file names, and from a tag."""
    ids: list[int] = []
    for ref in refs:
        ids.append(int(reading.resolve_document(conn, ref=ref)["document_id"]))
    if tag:
        tagged = [int(d["document_id"]) for d in evidence.documents_with_tag(conn, tag=tag)]
        if not tagged:
            raise NotFound(
                f"No document carries the tag {tag!r}; add it with: readingroom tag DOC --add {tag}"
            )
        ids.extend(tagged)
    return list(dict.fromkeys(ids))


def _text(row: dict[str, Any]) -> str:
    if row["span_source"] == "words":
        return join_words(row["page_words"]).text
    return str(row["page_text"] or "")


def _words(row: dict[str, Any]) -> list[Word]:
    if row["span_source"] != "words":
        return []
    return join_words(row["page_words"]).words_between(row["start"], row["end"])


def _keyed(secret: bytes, *parts: str) -> str:
    return hmac.new(secret, "\x1f".join(parts).encode(), hashlib.sha256).hexdigest()


def _hits(conn: sqlite3.Connection, document_ids: Iterable[int] | None) -> list[dict[str, Any]]:
    secret = store.hash_key(conn)
    out: list[dict[str, Any]] = []
    seen: Counter[tuple[str, int, str, str]] = Counter()
    texts: dict[int, str] = {}
    for row in store.hit_rows(conn, document_ids=document_ids):
        text = texts.setdefault(row["page_id"] * 2 + (row["span_source"] == "words"), _text(row))
        value = text[row["start"] : row["end"]]
        norm = normalise(row["kind"], value)
        occ = (row["sha256"], row["page"], row["kind"], norm)
        seen[occ] += 1
        key = _keyed(
            secret, "hit", row["sha256"], str(row["page"]), row["kind"], norm, str(seen[occ])
        )
        box = None if row["x0"] is None else [row["x0"], row["y0"], row["x1"], row["y1"]]
        out.append(
            {
                "hit": key[:16],
                "kind": row["kind"],
                "document": row["key"],
                "document_id": row["document_id"],
                "name": row["name"],
                "path": row["path"] or row["name"],
                "page": row["page"],
                "bates": row["bates"],
                "span": [row["start"], row["end"]],
                "span_source": row["span_source"],
                "box": box,
                "confidence": row["confidence"],
                "rule": row["rule"],
                "masked": mask_value(row["kind"], value),
                "hash": _keyed(secret, "value", row["kind"], norm)[:10],
                "_value": value,
                "_words": _words(row),
                "_sha256": row["sha256"],
            }
        )
    decided = store.decisions(conn, hit_keys=[h["hit"] for h in out])
    for h in out:
        d = decided.get(h["hit"])
        h["decision"] = d["decision"] if d else "pending"
        h["reviewer"] = d["reviewer"] if d else None
        h["decided_at"] = d["decided_at"] if d else None
    return out


def public(hit: dict[str, Any]) -> dict[str, Any]:
    """A hit without its value: what `audit --json` and the web view may show."""
    return {k: v for k, v in hit.items() if not k.startswith("_")}


def audit(
    conn: sqlite3.Connection,
    *,
    document_ids: Iterable[int] | None = None,
    with_values: bool = False,
) -> list[dict[str, Any]]:
    """Every hit of the documents given (or all): masked, unless `with_values` (export only)."""
    hits = _hits(conn, document_ids)
    return hits if with_values else [public(h) for h in hits]


def failures(
    conn: sqlite3.Connection, *, document_ids: Iterable[int] | None = None
) -> list[dict[str, Any]]:
    """How the agency's redactions fail in these documents (the export removes or scrubs each)."""
    out = []
    for r in store.failure_rows(conn, document_ids=document_ids):
        box = None if r["x0"] is None else [r["x0"], r["y0"], r["x1"], r["y1"]]
        out.append({**{k: r[k] for k in ("kind", "document", "name", "page", "count")}, "box": box})
    return out


def summary(hits: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """Per kind: how many hits are pending, confirmed, dismissed."""
    out: dict[str, dict[str, int]] = {}
    for k in KINDS:
        c = Counter(h["decision"] for h in hits if h["kind"] == k)
        if c:
            out[k] = {s: c.get(s, 0) for s in ("pending", "confirmed", "dismissed")}
    return out


def decide(
    conn: sqlite3.Connection,
    *,
    hit_keys: Iterable[str] = (),
    kind: str | None = None,
    decision: str,
    reviewer: str | None,
    document_ids: Iterable[int] | None = None,
) -> int:
    """Record a decision for the hits named (prefixes of 6+ characters work) or of one kind."""
    hits = _hits(conn, document_ids)
    by_key = {h["hit"]: h for h in hits}
    chosen: list[dict[str, Any]] = []
    for ref in hit_keys:
        ref = ref.strip().lower()
        matches = [h for k, h in by_key.items() if k.startswith(ref)] if len(ref) >= 6 else []
        if len(matches) != 1:
            why = "no hit" if not matches else f"{len(matches)} hits"
            raise BadArguments(f"{ref[:40]!r}: {why} has this id; list them with readingroom audit")
        chosen.append(matches[0])
    if kind is not None:
        if kind not in KINDS:
            raise BadArguments(f"unknown identifier kind {kind!r}; one of {', '.join(KINDS)}")
        chosen.extend(h for h in hits if h["kind"] == kind)
    for h in chosen:
        store.record_decision(
            conn,
            hit_key=h["hit"],
            sha256=h["_sha256"],
            kind=h["kind"],
            decision=decision,
            reviewer=reviewer,
        )
    return len(chosen)


def reveal(conn: sqlite3.Connection, *, hit_key: str) -> dict[str, Any]:
    """One hit with its value, for an editor who asked (callers record the request)."""
    for h in _hits(conn, None):
        if h["hit"] == hit_key:
            return {**public(h), "value": h["_value"]}
    raise NotFound(f"No identifier hit {hit_key[:40]}")

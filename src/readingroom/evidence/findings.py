"""Findings and their citations: record a claim, cite a quote, re-verify before publishing.

A citation is only made from text that is on the page (up to whitespace): the
quote is anchored on the page's stored text — which is already masked where a
redaction failed, so a citation can never carry hidden words — and keeps its
context, span, word boxes, the document's hash, page and Bates number.
`verify` re-anchors every quote against the pages as they are now.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from readingroom.errors import BadArguments, NotFound
from readingroom.evidence.anchor import Anchor, Selector, anchor, boxes_for, fold, selector_at
from readingroom.store import evidence as ev
from readingroom.store import reading, transaction

__all__ = ["Problem", "QuoteNotOnPage", "cite", "record_finding", "verify"]

MAX_QUOTE = 2000


class QuoteNotOnPage(BadArguments):
    """The quote given is not on the page named: nothing is recorded."""


def _page(conn: sqlite3.Connection, document_id: int, page: int) -> dict[str, Any]:
    row = reading.page(conn, document_id=document_id, number=page, words=True)
    if row is None:
        raise NotFound(f"document {document_id} has no page {page}")
    return row


def locate(
    conn: sqlite3.Connection,
    *,
    document_id: int,
    page: int,
    quote: str,
    prefix: str = "",
    suffix: str = "",
) -> tuple[Selector, Anchor, dict[str, Any]]:
    """Where `quote` is on the page (its prefix/suffix choose among repeats), or QuoteNotOnPage."""
    quote = quote.strip()
    if not fold(quote):
        raise BadArguments("the quote is empty")
    if len(quote) > MAX_QUOTE:
        raise BadArguments(f"a quote is at most {MAX_QUOTE} characters; cite a shorter passage")
    row = _page(conn, document_id, page)
    text = str(row["text"] or "")
    found = anchor(text, Selector(quote, prefix, suffix))
    if not found.holds_quote:
        raise QuoteNotOnPage(f"the quote is not on page {page}: {quote[:80]!r}")
    sel = selector_at(text, found.start, found.end)
    words = row["words"] or []
    near = found.start / max(1, len(text))
    found.boxes = boxes_for(words, sel.exact, near)
    return sel, found, row


def cite(
    conn: sqlite3.Connection,
    *,
    finding_id: int,
    document_id: int,
    page: int,
    quote: str,
    prefix: str = "",
    suffix: str = "",
    by: str | None = None,
) -> int:
    """Add a citation to a finding; refuses (QuoteNotOnPage) a quote not on that page."""
    sel, found, row = locate(
        conn, document_id=document_id, page=page, quote=quote, prefix=prefix, suffix=suffix
    )
    return ev.add_citation(
        conn,
        finding_id=finding_id,
        document_id=document_id,
        page=page,
        bates=row.get("bates"),
        exact=sel.exact,
        prefix=sel.prefix,
        suffix=sel.suffix,
        start=sel.start,
        end=sel.end,
        boxes=[list(b) for b in found.boxes],
        by=by,
    )


def record_finding(
    conn: sqlite3.Connection,
    *,
    claim: str,
    document_id: int,
    page: int,
    quote: str,
    prefix: str = "",
    suffix: str = "",
    status: str = "draft",
    by: str | None = None,
) -> int:
    """A new finding with its first citation, in one transaction (nothing on refusal)."""
    locate(conn, document_id=document_id, page=page, quote=quote, prefix=prefix, suffix=suffix)
    with transaction(conn):
        fid = ev.add_finding(conn, claim=claim, status=status, by=by)
        cite(
            conn,
            finding_id=fid,
            document_id=document_id,
            page=page,
            quote=quote,
            prefix=prefix,
            suffix=suffix,
            by=by,
        )
    return fid


@dataclass(frozen=True)
class Problem:
    finding_id: int
    claim: str
    citation_id: int
    state: str  # changed | lost | missing (the document is not in this investigation)
    detail: str

    def __str__(self) -> str:
        return f"finding {self.finding_id} ({self.claim[:60]!r}): {self.detail}"


def verify(conn: sqlite3.Connection, *, status: str | None = None) -> list[Problem]:
    """Re-anchor every citation (of findings with `status`) on today's pages; record states.

    Returns what a report must not print: quotes no longer on their page.
    """
    problems: list[Problem] = []
    with transaction(conn):
        for f in ev.findings(conn, status=status):
            for c in f["citations"]:
                where = f"{c['key']} p.{c['page']}" + (f" ({c['bates']})" if c["bates"] else "")
                if c["document_id"] is None:
                    problems.append(
                        Problem(f["id"], f["claim"], c["id"], "missing",
                                f"cites {where}, which is not in this investigation")
                    )  # fmt: skip
                    continue
                row = reading.page(conn, document_id=c["document_id"], number=c["page"], words=True)
                text = str(row["text"] or "") if row else ""
                sel = Selector(c["exact"], c["prefix"], c["suffix"], c["start"], c["end"])
                found = anchor(text, sel)
                if found.holds_quote and row is not None:
                    near = found.start / max(1, len(text))
                    boxes = boxes_for(row["words"] or [], c["exact"], near)
                    ev.set_citation_state(
                        conn, citation_id=c["id"], state=found.state, start=found.start,
                        end=found.end, boxes=[list(b) for b in boxes] or None, score=found.score,
                    )  # fmt: skip
                    continue
                ev.set_citation_state(
                    conn, citation_id=c["id"], state=found.state,
                    found=found.found or None, score=found.score or None,
                )  # fmt: skip
                detail = (
                    f"the quote {c['exact'][:60]!r} is no longer on {where}"
                    if found.state == "lost"
                    else f"{where} now reads {found.found[:60]!r} where the quote"
                    f" {c['exact'][:60]!r} was ({found.score:.0f}% alike)"
                )
                problems.append(Problem(f["id"], f["claim"], c["id"], found.state, detail))
    return problems

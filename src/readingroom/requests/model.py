"""What a request is and how its events move it: status apart from resolution.

As froide does, a request's *status* says whose move it is (open, awaiting
response, awaiting appeal, in litigation, closed) and its *resolution* says
what the agency decided (full grant, partial grant, full denial, no records,
referred, withdrawn). Both are computed from the events, in date order, every
time they are read: nothing derived is stored, so correcting an event corrects
everything after it. Lateness is computed in `deadlines`, never stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from readingroom.errors import BadArguments

__all__ = [
    "EVENT_KINDS",
    "RESOLUTIONS",
    "STATUSES",
    "EventError",
    "State",
    "parse_date",
    "replay",
]

#: Event kinds, in the words of the interface (`readingroom requests event T KIND`).
EVENT_KINDS = (
    "acknowledged",
    "extension",
    "clarification-asked",
    "clarification-answered",
    "fee-letter",
    "fee-answered",
    "interim-release",
    "determination",
    "appeal-filed",
    "appeal-decided",
    "lawsuit-filed",
    "court-order",
    "withdrawn",
)

STATUSES = ("open", "awaiting response", "awaiting appeal", "in litigation", "closed")
RESOLUTIONS = (
    "full grant",
    "partial grant",
    "full denial",
    "no records",
    "referred",
    "withdrawn",
)
#: Resolutions after which there is nothing left to appeal.
_NOTHING_TO_APPEAL = ("full grant", "withdrawn")


class EventError(BadArguments):
    """An event that cannot happen in the request's current state; the message says why."""


def parse_date(value: str | dt.date | None, what: str = "date") -> dt.date | None:
    """An ISO date (YYYY-MM-DD), or a clear error naming the field."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise BadArguments(f"{what}: {value!r} is not a date (use YYYY-MM-DD)") from None


def resolution_of(value: str | None) -> str | None:
    """`partial-grant`, `Partial grant` → `partial grant`; unknown words are an error."""
    if not value:
        return None
    norm = value.strip().lower().replace("-", " ").replace("_", " ")
    if norm not in RESOLUTIONS:
        known = ", ".join(r.replace(" ", "-") for r in RESOLUTIONS)
        raise BadArguments(f"resolution {value!r} is not one of: {known}")
    return norm


@dataclass
class State:
    """A request after replaying its events: what the deadlines need and what users read."""

    status: str = "open"
    resolution: str | None = None
    acknowledged: dt.date | None = None
    extension: dt.date | None = None
    tolls: list[tuple[dt.date, dt.date | None]] = field(default_factory=list)
    toll_kind: str | None = None  # "clarification" | "fee" while one is open
    determination: dt.date | None = None
    appeal_filed: dt.date | None = None
    appeal_decided: dt.date | None = None
    lawsuit_filed: dt.date | None = None
    court_deadlines: list[dict[str, Any]] = field(default_factory=list)
    releases: list[dt.date] = field(default_factory=list)


def _check(ok: bool, kind: str, day: dt.date, why: str) -> None:
    if not ok:
        raise EventError(f"{kind} on {day.isoformat()}: {why}")


def replay(filed: dt.date, events: Sequence[Mapping[str, Any]]) -> State:
    """Apply `events` (dicts with kind, date, resolution, due, note) in date order.

    Raises EventError for an event the state does not allow (an appeal with no
    determination to appeal, an answer to no question, anything before filing).
    """
    s = State()
    ordered = sorted(events, key=lambda e: (str(e["date"]), int(e.get("id") or 0)))
    for e in ordered:
        kind = str(e["kind"])
        day = parse_date(e["date"], kind)
        assert day is not None
        res = resolution_of(e.get("resolution"))
        _check(
            kind in EVENT_KINDS,
            kind,
            day,
            f"unknown event kind; use one of {', '.join(EVENT_KINDS)}",
        )
        _check(day >= filed, kind, day, f"before the request was filed ({filed.isoformat()})")
        _check(
            s.status != "closed" or kind in ("lawsuit-filed", "court-order"),
            kind,
            day,
            "the request is closed",
        )
        decided = s.determination is not None
        if kind == "acknowledged":
            s.acknowledged = s.acknowledged or day
            if s.status == "open":
                s.status = "awaiting response"
        elif kind == "extension":
            _check(not decided, kind, day, "the agency has already determined the request")
            s.extension = s.extension or day  # the statute allows one 10-day extension
            s.status = "awaiting response" if s.status == "open" else s.status
        elif kind in ("clarification-asked", "fee-letter"):
            _check(not decided, kind, day, "the agency has already determined the request")
            _check(s.toll_kind is None, kind, day, f"a {s.toll_kind} question is already open")
            s.toll_kind = "clarification" if kind == "clarification-asked" else "fee"
            s.tolls.append((day, None))
            s.status = "awaiting response" if s.status == "open" else s.status
        elif kind in ("clarification-answered", "fee-answered"):
            want = "clarification" if kind == "clarification-answered" else "fee"
            _check(s.toll_kind == want, kind, day, f"no {want} question is open")
            start, _ = s.tolls[-1]
            s.tolls[-1] = (start, day)
            s.toll_kind = None
        elif kind == "interim-release":
            _check(not decided, kind, day, "a final determination was already made")
            s.releases.append(day)
            s.status = "awaiting response" if s.status == "open" else s.status
        elif kind == "determination":
            _check(not decided, kind, day, "the request already has a determination")
            _check(res is not None, kind, day, "say what was decided with --resolution")
            if s.toll_kind is not None:  # a decision ends any open question
                s.tolls[-1] = (s.tolls[-1][0], day)
                s.toll_kind = None
            s.determination, s.resolution = day, res
            if s.status != "in litigation":
                s.status = "closed" if res in _NOTHING_TO_APPEAL else "awaiting appeal"
        elif kind == "appeal-filed":
            _check(decided, kind, day, "there is no determination to appeal yet")
            _check(s.appeal_filed is None, kind, day, "an appeal was already filed")
            s.appeal_filed = day
            if s.status != "in litigation":
                s.status = "awaiting response"
        elif kind == "appeal-decided":
            _check(s.appeal_filed is not None, kind, day, "no appeal was filed")
            s.appeal_decided = day
            if res:
                s.resolution = res
            if s.status != "in litigation":
                s.status = "closed"
        elif kind == "lawsuit-filed":
            _check(s.lawsuit_filed is None, kind, day, "a lawsuit was already filed")
            s.lawsuit_filed = day
            s.status = "in litigation"
        elif kind == "court-order":
            _check(s.lawsuit_filed is not None, kind, day, "no lawsuit was filed")
            due = parse_date(e.get("due"), "court deadline")
            if due:
                s.court_deadlines.append({"date": due, "note": e.get("note") or "court deadline"})
            if res:  # a final order or settlement ends the case
                s.resolution, s.status = res, "closed"
        elif kind == "withdrawn":
            s.resolution, s.status = "withdrawn", "closed"
            if s.toll_kind is not None:
                s.tolls[-1] = (s.tolls[-1][0], day)
                s.toll_kind = None
    return s

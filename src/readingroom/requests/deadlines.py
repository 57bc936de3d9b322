"""A request's deadlines and lateness, computed from its dates and events as of a day.

The response clock starts the working day after receipt (the filed date when
no receipt date is known): the response is due on the 20th working day,
+10 working days once the agency invokes unusual circumstances, and the clock
stops while a clarification or fee question is open (5 U.S.C. 552(a)(6)(A)(ii)).
An appeal is due within the agency's window after its determination (DHS: 90
working days, 6 CFR 5.8(a)(1)); an appeal itself is due a decision 20 working
days after it was filed (552(a)(6)(A)(ii)). Nothing here is stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from readingroom.requests.calendar import add_days, working_days_between
from readingroom.requests.model import State, parse_date, replay

__all__ = ["timeline"]


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def timeline(
    request: Mapping[str, Any],
    events: Sequence[Mapping[str, Any]],
    rules: Mapping[str, Any],
    *,
    today: dt.date,
) -> dict[str, Any]:
    """Status, resolution, due dates and lateness of `request` as of `today`.

    Keys: status, resolution, clock_start, due (ISO or None while the clock is
    stopped), due_basis, paused (an open question), tolled_days, appeal_due,
    appeal_decision_due, court_deadlines, answered (date of the determination),
    answered_in (working days from the clock start), overdue, days_late
    (working days past `due`, today or at the determination), next_deadline.
    """
    filed = parse_date(request["filed"], "filed")
    assert filed is not None
    received = parse_date(request.get("received"), "received") or filed
    state: State = replay(filed, events)
    response_days = int(rules.get("response_days", 20))
    extension_days = int(rules.get("extension_days", 10))
    days = response_days + (extension_days if state.extension else 0)
    due = add_days(received, days, tolls=state.tolls)
    tolled = sum(working_days_between(start, end or today) for start, end in state.tolls)
    basis = f"{response_days} working days after {received.isoformat()}"
    if state.extension:
        basis += f", +{extension_days} for unusual circumstances"
    if state.tolls:
        basis += f", {tolled} working day{'s' if tolled != 1 else ''} tolled"
    status = state.status
    answered = state.determination
    days_late = 0
    if due is not None:
        end = answered or today
        if end > due:
            days_late = working_days_between(due, end)
    appeal = dict(rules.get("appeal", {}))
    appeal_due = None
    if state.determination and state.resolution not in ("full grant", "withdrawn"):
        appeal_due = add_days(
            state.determination,
            int(appeal.get("days", 90)),
            unit=str(appeal.get("unit", "working")),
        )
        if status == "awaiting appeal" and appeal_due and today > appeal_due:
            status = "closed"  # the window passed without an appeal
    appeal_decision_due = (
        add_days(state.appeal_filed, 20)
        if state.appeal_filed and not state.appeal_decided
        else None
    )
    court = [
        {"date": c["date"].isoformat(), "note": c["note"], "passed": c["date"] < today}
        for c in state.court_deadlines
    ]
    upcoming: list[tuple[dt.date, str]] = []
    if answered is None and due and status not in ("closed",):
        upcoming.append((due, "response due"))
    if status == "awaiting appeal" and appeal_due:
        upcoming.append((appeal_due, "appeal due"))
    if appeal_decision_due:
        upcoming.append((appeal_decision_due, "appeal decision due"))
    upcoming += [(c["date"], c["note"]) for c in state.court_deadlines if c["date"] >= today]
    upcoming = [u for u in upcoming if u[0] >= today]
    nxt = min(upcoming) if upcoming else None
    return {
        "status": status,
        "resolution": state.resolution,
        "clock_start": _iso(received),
        "due": _iso(due),
        "due_basis": basis,
        "paused": state.toll_kind,
        "tolled_days": tolled,
        "extension": state.extension is not None,
        "answered": _iso(answered),
        "answered_in": working_days_between(received, answered) if answered else None,
        "overdue": answered is None and due is not None and today > due and status != "closed",
        "days_late": days_late,
        "appeal_due": _iso(appeal_due),
        "appeal_rule": appeal.get("rule"),
        "appeal_filed": _iso(state.appeal_filed),
        "appeal_decision_due": _iso(appeal_decision_due),
        "lawsuit_filed": _iso(state.lawsuit_filed),
        "court_deadlines": court,
        "releases": [_iso(d) for d in state.releases],
        "next_deadline": {"date": nxt[0].isoformat(), "what": nxt[1]} if nxt else None,
    }

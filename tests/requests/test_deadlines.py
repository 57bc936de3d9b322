"""Deadline arithmetic on real calendars, and every status transition."""

from __future__ import annotations

import datetime as dt

import pytest

from readingroom.requests.calendar import add_days, is_working_day
from readingroom.requests.deadlines import timeline
from readingroom.requests.model import EventError, replay

D = dt.date.fromisoformat
DHS = {"response_days": 20, "extension_days": 10, "appeal": {"days": 90, "unit": "working"}}


def due(filed, events=(), received=None, today="2030-01-01"):
    req = {"filed": filed, "received": received}
    return timeline(req, list(events), DHS, today=D(today))


def ev(kind, date, resolution=None, **kw):
    return {"kind": kind, "date": date, "resolution": resolution, **kw}


def test_labor_day_2017_is_skipped():
    # Filed Wed 30 Aug 2017; Labor Day Mon 4 Sep: 20 working days end Thu 28 Sep.
    assert due("2017-08-30")["due"] == "2017-09-28"


def test_thanksgiving_2017_is_skipped():
    # Filed Tue 21 Nov 2017: Thanksgiving 23 Nov and Christmas 25 Dec are not counted.
    assert due("2017-11-21")["due"] == "2017-12-20"
    assert due("2017-12-01")["due"] == "2018-01-02"  # Christmas and New Year's Day skipped


def test_weekend_holiday_observed_on_friday_and_monday():
    assert not is_working_day(D("2020-07-03"))  # 4 July 2020 was a Saturday
    assert not is_working_day(D("2021-07-05"))  # 4 July 2021 was a Sunday
    assert not is_working_day(D("2021-12-31"))  # New Year 2022 (Sat) observed Fri 31 Dec
    assert is_working_day(D("2021-12-30"))
    # Received Thu 2 Jul 2020: day 1 is Mon 6 Jul, not Fri 3 Jul.
    assert add_days(D("2020-07-02"), 1) == D("2020-07-06")


def test_clock_starts_the_working_day_after_receipt_not_filing():
    assert due("2019-03-01", received="2019-03-08")["due"] == "2019-04-05"
    assert due("2019-03-01")["due"] == "2019-03-29"


def test_extension_adds_ten_working_days_once():
    base = due("2019-03-01")["due"]
    ext = due("2019-03-01", [ev("extension", "2019-03-20")])
    assert (base, ext["due"]) == ("2019-03-29", "2019-04-12")
    twice = due("2019-03-01", [ev("extension", "2019-03-20"), ev("extension", "2019-04-01")])
    assert twice["due"] == "2019-04-12"


def test_clarification_pause_across_new_year():
    # Filed Mon 4 Dec 2017. Clarification asked Fri 15 Dec (day 9 counted), answered
    # Tue 9 Jan 2018: the clock resumes Wed 10 Jan with 11 days left → Thu 25 Jan
    # (Martin Luther King Jr. Day, 15 Jan, skipped).
    t = due(
        "2017-12-04",
        [ev("clarification-asked", "2017-12-15"), ev("clarification-answered", "2018-01-09")],
    )
    assert add_days(D("2017-12-04"), 9) == D("2017-12-15")
    assert t["due"] == "2018-01-25"
    assert t["tolled_days"] == 15
    open_q = due("2017-12-04", [ev("clarification-asked", "2017-12-15")], today="2018-01-05")
    assert open_q["due"] is None and open_q["paused"] == "clarification"
    assert not open_q["overdue"]


def test_lateness_is_computed_as_of_the_day():
    assert not due("2019-03-01", today="2019-03-29")["overdue"]
    late = due("2019-03-01", today="2019-04-03")
    assert late["overdue"] and late["days_late"] == 3
    answered = due(
        "2019-03-01", [ev("determination", "2019-04-02", "full grant")], today="2019-06-01"
    )
    assert not answered["overdue"] and answered["days_late"] == 2


def test_dhs_appeal_window_is_90_working_days_after_the_response():
    t = due("2019-03-01", [ev("determination", "2019-06-14", "partial grant")], today="2019-07-01")
    assert t["status"] == "awaiting appeal"
    assert t["appeal_due"] == "2019-10-23"  # 4 July, Labor Day, Columbus Day skipped
    cal = timeline(
        {"filed": "2019-03-01"},
        [ev("determination", "2019-06-14", "full denial")],
        {**DHS, "appeal": {"days": 90, "unit": "calendar"}},
        today=D("2019-07-01"),
    )
    assert cal["appeal_due"] == "2019-09-12"
    assert (
        due("2019-03-01", [ev("determination", "2019-06-14", "full grant")])["appeal_due"] is None
    )


@pytest.mark.parametrize(
    ("events", "status", "resolution"),
    [
        ([], "open", None),
        ([ev("acknowledged", "2019-03-04")], "awaiting response", None),
        ([ev("extension", "2019-03-20")], "awaiting response", None),
        ([ev("fee-letter", "2019-03-05")], "awaiting response", None),
        (
            [ev("fee-letter", "2019-03-05"), ev("fee-answered", "2019-03-12")],
            "awaiting response",
            None,
        ),
        ([ev("clarification-asked", "2019-03-05")], "awaiting response", None),
        (
            [
                ev("clarification-asked", "2019-03-05"),
                ev("clarification-answered", "2019-03-12"),
                ev("determination", "2019-04-01", "no records"),
            ],
            "awaiting appeal",
            "no records",
        ),
        (
            [
                ev("clarification-asked", "2019-03-05"),
                ev("determination", "2019-04-01", "full denial"),
            ],
            "awaiting appeal",
            "full denial",
        ),
        ([ev("determination", "2019-04-01", "referred")], "awaiting appeal", "referred"),
        (
            [
                ev("determination", "2019-04-01", "full denial"),
                ev("appeal-filed", "2019-04-10"),
                ev("lawsuit-filed", "2019-06-01"),
                ev("appeal-decided", "2019-06-10", "full denial"),
            ],
            "in litigation",
            "full denial",
        ),
        ([ev("interim-release", "2019-03-25")], "awaiting response", None),
        ([ev("determination", "2019-04-01", "partial grant")], "awaiting appeal", "partial grant"),
        ([ev("determination", "2019-04-01", "full grant")], "closed", "full grant"),
        (
            [ev("determination", "2019-04-01", "no records"), ev("appeal-filed", "2019-04-10")],
            "awaiting response",
            "no records",
        ),
        (
            [
                ev("determination", "2019-04-01", "full denial"),
                ev("appeal-filed", "2019-04-10"),
                ev("appeal-decided", "2019-05-01", "partial grant"),
            ],
            "closed",
            "partial grant",
        ),
        ([ev("lawsuit-filed", "2019-05-01")], "in litigation", None),
        (
            [ev("lawsuit-filed", "2019-05-01"), ev("court-order", "2019-06-01", due="2019-07-01")],
            "in litigation",
            None,
        ),
        (
            [ev("lawsuit-filed", "2019-05-01"), ev("court-order", "2019-08-01", "partial grant")],
            "closed",
            "partial grant",
        ),
        ([ev("withdrawn", "2019-03-10")], "closed", "withdrawn"),
    ],
)
def test_status_transitions(events, status, resolution):
    s = replay(D("2019-03-01"), events)
    assert (s.status, s.resolution) == (status, resolution)


@pytest.mark.parametrize(
    ("events", "message"),
    [
        ([ev("appeal-filed", "2019-04-01")], "no determination to appeal"),
        ([ev("clarification-answered", "2019-04-01")], "no clarification question is open"),
        ([ev("acknowledged", "2019-02-01")], "before the request was filed"),
        ([ev("determination", "2019-04-01")], "--resolution"),
        ([ev("court-order", "2019-04-01")], "no lawsuit"),
        (
            [ev("determination", "2019-04-01", "full grant"), ev("extension", "2019-04-02")],
            "closed",
        ),
    ],
)
def test_impossible_events_are_refused_with_a_reason(events, message):
    with pytest.raises(EventError, match=message):
        replay(D("2019-03-01"), events)


def test_court_deadline_is_the_next_deadline():
    t = due(
        "2019-03-01",
        [
            ev("lawsuit-filed", "2019-05-01"),
            ev("court-order", "2019-06-01", due="2019-07-15", note="first production"),
        ],
        today="2019-06-10",
    )
    assert t["next_deadline"] == {"date": "2019-07-15", "what": "first production"}


def test_deadlines_agree_with_numpy_busday_count() -> None:
    """An independent count: numpy's business days with the federal holidays named."""
    import numpy as np

    hol = ["2017-09-04", "2017-10-09", "2017-11-10", "2017-11-23", "2017-12-25", "2018-01-01",
           "2018-01-15"]  # fmt: skip
    for filed in ("2017-08-30", "2017-08-31", "2017-11-21", "2017-12-01", "2017-12-22"):
        got = D(due(filed)["due"])
        start = D(filed) + dt.timedelta(days=1)
        assert np.busday_count(start, got + dt.timedelta(days=1), holidays=hol) == 20, filed
        assert np.is_busday(got, holidays=hol)


def test_fee_question_tolls_and_open_fee_question_stops_the_clock() -> None:
    paused = due("2019-03-01", [ev("fee-letter", "2019-03-08")], today="2019-05-01")
    assert paused["due"] is None and paused["paused"] == "fee" and not paused["overdue"]
    resumed = due("2019-03-01", [ev("fee-letter", "2019-03-08"), ev("fee-answered", "2019-03-15")])
    assert resumed["due"] == "2019-04-05" and resumed["tolled_days"] == 5

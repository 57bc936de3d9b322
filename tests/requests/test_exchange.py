"""CSV round trip, ICS that parses, reconciliation and coverage on a small demo-like set."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
import pytest

from readingroom.errors import BadArguments
from readingroom.investigation import Investigation
from readingroom.requests import exchange, tracker
from readingroom.requests.agencies import load_agencies
from readingroom.requests.letters import parse_letter

CSV = (
    "tracking,agency,office,subject,campaign,filed,received,events\n"
    "T-1,DHS/ICE,SNA,Plans,C,2019-03-04,2019-03-05,2019-03-11 acknowledged;"
    " 2019-06-14 determination partial-grant\n"
    "T-2,DHS/ICE,Chicago,Plans,C,2019-03-04,,2019-03-20 clarification-asked\n"
    "T-3,DHS/ICE,NYC,Plans,C,2019-03-04,,\n"
)


def test_csv_round_trip_and_overdue(tmp_path: Path) -> None:
    inv = Investigation.create(tmp_path / "a")
    src = tmp_path / "c.csv"
    src.write_text(CSV)
    assert exchange.import_csv(inv.db, src)["requests"] == 3
    ag = load_agencies(inv.root)
    day = dt.date(2019, 6, 20)
    overdue = tracker.list_requests(inv.db, ag, today=day, overdue=True)
    assert [r["tracking"] for r in overdue] == ["T-3"]  # T-2 paused, T-1 answered
    text = exchange.export_csv(inv.db, ag, today=day)
    again = tmp_path / "again.csv"
    again.write_text(text)
    inv2 = Investigation.create(tmp_path / "b")
    exchange.import_csv(inv2.db, again)
    assert exchange.export_csv(inv2.db, ag, today=day) == text


def test_bad_csv_names_file_and_line_and_writes_nothing(tmp_path: Path) -> None:
    inv = Investigation.create(tmp_path / "a")
    src = tmp_path / "bad.csv"
    src.write_text(CSV + "T-4,DHS,,x,C,2019-02-30,,\n")
    with pytest.raises(BadArguments, match=r"bad.csv line 5: filed: '2019-02-30' is not a date"):
        exchange.import_csv(inv.db, src)
    assert tracker.list_requests(inv.db, load_agencies(inv.root)) == []


def test_ics_parses_with_one_event_per_open_deadline(tmp_path: Path) -> None:
    inv = Investigation.create(tmp_path / "a")
    src = tmp_path / "c.csv"
    src.write_text(CSV)
    exchange.import_csv(inv.db, src)
    data = exchange.export_ics(inv.db, load_agencies(inv.root), today=dt.date(2019, 6, 20))
    cal = icalendar.Calendar.from_ical(data)
    events = {str(e["uid"]): e for e in cal.walk("VEVENT")}
    assert set(events) == {"T-1-appeal@readingroom", "T-3-response@readingroom"}
    assert events["T-3-response@readingroom"].decoded("dtstart") == dt.date(2019, 4, 1)
    # DHS: 90 working days after 14 June 2019
    assert events["T-1-appeal@readingroom"].decoded("dtstart") == dt.date(2019, 10, 23)


def test_demo_letter_figures_are_parsed() -> None:
    from readingroom.demo.requests import letter_text

    pages = [{"withheld": None, "exemptions": []}] * 10 + [
        {"withheld": None, "exemptions": ["b6"]}
    ] * 4
    text, said = letter_text(pages)
    got = parse_letter(text)
    assert got["figures"] == {k: v for k, v in said.items() if k != "exemptions"}
    assert got["exemptions"] == said["exemptions"]
    assert got["referred_to"] == "CBP"

"""Printed e-mail versus memo headers, and native mail marked as such."""

from __future__ import annotations

import pytest

from readingroom.analyse.analysers.printed_email import ANALYSER, is_email_block, parse
from readingroom.analyse.base import DocIn, PageIn

MEMO = """DEPARTMENT OF FICTIONAL ENFORCEMENT
MEMORANDUM FOR: All Field Office Directors
FROM: Clementine Placeholder, Deputy Assistant Director
SUBJECT: Field Office Arrest Goals, Second Quarter
DATE: January 14, 2019
The targets are goals for planning purposes.
DFE-2019-FOIA-00052 000005"""

GMAIL = """From: Jane Doe <jane@example.gov>
Date: Mon, Mar 4, 2019 at 8:57 AM
Subject: Weekly arrest numbers
To: (b)(6)
We are at 57 for the week."""


def _doc(text: str, doc_type: str = "pdf") -> DocIn:
    return DocIn(1, "x", doc_type, [PageIn(1, 1, text)])


def test_memo_header_is_not_an_email() -> None:
    assert parse(_doc(MEMO)) == []
    # Even without the MEMORANDUM line: capital labels and a date with no time.
    assert parse(_doc(MEMO.replace("MEMORANDUM FOR: All Field Office Directors\n", ""))) == []
    # A memo heading with TO: and a timed DATE is still a memo.
    timed = MEMO.replace("January 14, 2019", "January 14, 2019 10:00 AM")
    assert parse(_doc(timed.replace("SUBJECT:", "TO: Directors\nSUBJECT:"))) == []


def test_email_block_needs_from_date_and_to_or_subject() -> None:
    msgs = parse(_doc(GMAIL))
    assert len(msgs) == 1
    assert msgs[0].fields["sent"] == "Mon, Mar 4, 2019 at 8:57 AM"
    assert msgs[0].fields["to"] == "(b)(6)"
    # From and To only (no Sent/Date): a routing slip, not a message.
    assert parse(_doc("From: Jane Doe\nTo: John Roe\nPlease file.")) == []
    assert not is_email_block({"from": "a", "sent": "Jan 1, 2019 9:00"}, ["From", "Sent"], False)
    assert is_email_block(
        {"from": "a", "sent": "Jan 1, 2019 9:00", "to": "b"}, ["From", "Sent", "To"], False
    )
    assert not is_email_block(
        {"from": "a", "sent": "Jan 1, 2019 9:00", "to": "b"}, ["From", "Sent", "To"], True
    )


def test_native_and_printed_are_marked() -> None:
    native = ANALYSER.run(_doc(GMAIL, "email")).rows["email_messages"]
    printed = ANALYSER.run(_doc(GMAIL, "pdf")).rows["email_messages"]
    assert [m["origin"] for m in native] == ["native"]
    assert [m["origin"] for m in printed] == ["printed"]
    assert printed[0]["sent"] == "2019-03-04T08:57"


@pytest.mark.parametrize(
    ("printed", "iso"),
    [
        ("August 14, 2012 11:40:02 PM EDT", "2012-08-14T23:40-04:00"),
        ("Wednesday, January 09, 2013 04:46 PM Eastern Standard Time", "2013-01-09T16:46-05:00"),
        ("Tue Sep 08 10:30:53 EDT 2009", "2009-09-08T10:30-04:00"),
        ("Mon, 3 Mar 2014 09:05 PST", "2014-03-03T09:05-08:00"),
        # OCR damage to the weekday, confirmed by the date's own weekday
        ("1riday, June 12, 2009 2:59 PM", "2009-06-12T14:59"),
        # ... and refused when the date disagrees: no ISO value rather than a guess
        ("1riday, June 13, 2009 2:59 PM", None),
        ("Mon, 8 Sep 2009", None),
    ],
)
def test_printed_zones_and_damaged_weekdays(printed: str, iso: str | None) -> None:
    from readingroom.analyse.analysers.printed_email import normalise_date

    assert normalise_date(printed) == iso

"""The identifier detectors on generated pages: every planted identifier, no decoy."""

from __future__ import annotations

import pytest

from readingroom.publish.detect import KINDS, detect, mask_value, normalise, ssn_valid
from readingroom.publish.evaluate import _faker_pages, _score, _text_pages


def _found(text: str) -> list[tuple[str, str]]:
    return [(h.kind, text[h.start : h.end]) for h in detect(text)]


def test_planted_pages_meet_the_targets_per_kind() -> None:
    scores = _score(_text_pages(120, seed=3), "text")
    assert set(scores) == set(KINDS)
    for kind, r in scores.items():
        assert r["recall"] >= 0.98, (kind, r)
        assert r["precision"] >= 0.9, (kind, r)


def test_faker_text_meets_the_targets_per_kind() -> None:
    pytest.importorskip("faker")
    pages = _faker_pages(80, seed=5)
    assert pages is not None
    for kind, r in _score(pages, "faker").items():
        assert r["recall"] >= 0.98 and r["precision"] >= 0.9, (kind, r)


@pytest.mark.parametrize(
    "decoy",
    [
        "DFE-2019-FOIA-00052 000123",
        "ICE-2019-ICLI-00052 000124",
        "Case No. 1:19-cv-01234",
        "Tracking number 2019-ICFO-12345",
        "Form I-213 and Form G-639, Form I-247A",
        "8 U.S.C. 1357(a)(2); 8 CFR 287.7; 8 U.S.C. § 1226",
        "Date: May 2, 2019",
        "Sent: Thursday, May 2, 2019 10:14 AM",
        "U.S. Immigration and Customs Enforcement\n500 12th Street SW, Washington, DC 20536",
        "Main: (202) 732-3000   Fax: (202) 732-3001",
        "From: Smith, John\nSent: May 2, 2019\nSubject: Operation Cross Check Numbers",
        "Subject: Weekly arrest targets for the field office",
        "Name: (b)(6)",
        "Name: █████",
        "contact john.smith@ice.dhs.gov or ero.press@dfe.example",
        "SSN: 000-12-3456, 666-12-3456, 912-34-5678, 123-00-4567",
    ],
)
def test_decoys_are_not_flagged(decoy: str) -> None:
    text = "Line one of the memo\nLine two\nLine three\n" + decoy
    assert _found(text) == []


def test_each_kind_with_its_label() -> None:
    text = (
        "memo\n\n\nName: GARCIA, Maria Elena\nA# A 208 123 456 and A12345678\nDOB: 03/14/1987\n"
        "SSN: 123-45-6789\nCell: (415) 555-2671\n"
        "Home address: 1423 Maple Avenue, Apt 4B, Oakland, CA 94607\n"
        "Passport No: G12345678\nFINS: 1234567890\nE-mail: maria.garcia88@gmail.com\n"
    )
    kinds = [k for k, _ in _found(text)]
    assert kinds == [
        "name",
        "a_number",
        "a_number",
        "dob",
        "ssn",
        "phone",
        "address",
        "passport",
        "fins",
        "email",
    ]


def test_name_in_a_form_box_on_the_next_line() -> None:
    text = (
        "header\n\n\nName (Last, First, Middle)\nHERNANDEZ, Jose Luis\n"
        "Country of citizenship: Mexico"
    )
    assert _found(text) == [("name", "HERNANDEZ, Jose Luis")]


def test_ssn_rules_and_masks() -> None:
    assert ssn_valid("123", "45", "6789")
    assert not ssn_valid("9" + "12", "34", "5678") and not ssn_valid("123", "00", "4567")
    assert mask_value("ssn", "123-45-6789") == "•••-••-••89"
    assert mask_value("name", "Maria Garcia") == "••••• ••••••"
    assert normalise("a_number", "A 208-123-456") == "208123456"

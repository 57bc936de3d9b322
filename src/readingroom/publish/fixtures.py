"""Generated pages with planted identifiers and decoys, born-digital and scanned.

Every identifier here is drawn at random from a seeded generator (valid
in shape, belonging to no one we know of), so tests and
`readingroom evaluate` measure the detectors on pages whose truth is known,
never on real people. Decoys are what agencies print beside them: Bates
stamps, case and tracking numbers, form numbers, statute citations,
document dates, and the letterhead's office address and numbers.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["PlantedPage", "planted_page", "write_pdf"]

_FIRST = (
    "Maria Jose Ana Luis Carmen Juan Rosa Miguel Elena Pedro Sofia Carlos Lucia Jorge Teresa"
    " Marco Julia Andres Paola Diego"
).split()
_LAST = (
    "Garcia Hernandez Lopez Martinez Ramirez Flores Castillo Morales Ortiz Vargas Romero"
    " Mendoza Guzman Reyes Aguilar Navarro"
).split()
_STREETS = [
    "Maple",
    "Oak",
    "Cedar",
    "Pine",
    "Elm",
    "Willow",
    "Sunset",
    "Lincoln",
    "Mission",
    "Valley",
]
_SUFFIXES = ["Street", "Avenue", "Road", "Drive", "Lane", "Court", "Boulevard"]
_CITIES = [("Oakland", "CA", "946"), ("Fresno", "CA", "937"), ("Houston", "TX", "770"),
           ("Phoenix", "AZ", "850"), ("Newark", "NJ", "071"), ("Atlanta", "GA", "303")]  # fmt: skip
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"]  # fmt: skip
_MAIL = ["gmail.com", "yahoo.com", "hotmail.com", "outlook.com"]


@dataclass
class PlantedPage:
    lines: list[str]
    #: (kind, value) of every identifier planted on the page.
    truth: list[tuple[str, str]] = field(default_factory=list)
    bates: str = ""


def _ssn(rng: random.Random) -> str:
    area = rng.choice([a for a in range(1, 900) if a != 666])
    return f"{area:03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"


def _a_number(rng: random.Random) -> str:
    digits = (
        f"{rng.randint(10**8, 10**9 - 1)}"
        if rng.random() < 0.7
        else f"{rng.randint(10**7, 10**8 - 1)}"
    )
    style = rng.choice(["plain", "dash", "space", "joined"])
    if style == "joined":
        return "A" + digits
    groups = [digits[:-6], digits[-6:-3], digits[-3:]]
    sep = {"plain": "", "dash": "-", "space": " "}[style]
    return ("A" + ("" if style == "plain" else rng.choice(["", "-", " "]))) + sep.join(groups)


def _phone(rng: random.Random) -> str:
    area = rng.choice(["415", "510", "713", "602", "973", "404", "312", "617"])
    n = f"{rng.randint(200, 999)}"
    last = f"{rng.randint(0, 9999):04d}"
    return rng.choice([f"({area}) {n}-{last}", f"{area}-{n}-{last}", f"{area}.{n}.{last}"])


def _date(rng: random.Random, year: int) -> str:
    m, d = rng.randint(1, 12), rng.randint(1, 28)
    return rng.choice(
        [f"{m:02d}/{d:02d}/{year}", f"{_MONTHS[m - 1]} {d}, {year}", f"{year}-{m:02d}-{d:02d}"]
    )


def planted_page(seed: int, number: int = 1) -> PlantedPage:
    """One I-213-like page: a letterhead, decoys, and each kind of identifier once or twice."""
    rng = random.Random(seed * 1000 + number)
    first, last = rng.choice(_FIRST), rng.choice(_LAST)
    city, state, zip3 = rng.choice(_CITIES)
    name = rng.choice(
        [f"{last.upper()}, {first}", f"{first} {last}", f"{first} {rng.choice(_FIRST)} {last}"]
    )
    address = (
        f"{rng.randint(10, 9999)} {rng.choice(_STREETS)} {rng.choice(_SUFFIXES)}, "
        f"{city}, {state} {zip3}{rng.randint(0, 99):02d}"
    )
    a_number, ssn, phone = _a_number(rng), _ssn(rng), _phone(rng)
    dob = _date(rng, rng.randint(1950, 2005))
    email = f"{first.lower()}.{last.lower()}{rng.randint(1, 99)}@{rng.choice(_MAIL)}"
    passport = rng.choice("ABCGKN") + f"{rng.randint(10**7, 10**8 - 1)}"
    fins = f"{rng.randint(10**8, 10**9 - 1)}"
    bates = f"DFE-2019-FOIA-00052 {seed * 10 + number:06d}"
    label = rng.choice(["Name:", "Subject:", "Alien:", "Target:"])
    lines = [
        "U.S. Department of Homeland Security",
        "Enforcement and Removal Operations, 500 12th Street SW, Washington, DC 20536",
        "Main: (202) 732-3000    Fax: (202) 732-3001",
        "",
        (
            "Form I-213 Record of Deportable/Inadmissible Alien"
            f"   Event No. {rng.randint(10**9, 10**10 - 1)}"
        ),
        (
            f"Case No. 1:{rng.randint(10, 23)}-cv-{rng.randint(10000, 99999)}"
            f"   Tracking 2019-ICFO-{rng.randint(10000, 99999)}"
        ),
        f"Date of report: {_date(rng, 2019)}   Authority: 8 U.S.C. 1357(a)(2); 8 CFR 287.7",
        "",
        f"{label} {name}",
        f"A-Number: {a_number}",
        f"DOB: {dob}",
        f"SSN: {ssn}",
        f"Home phone: {phone}",
        f"Address: {address}",
        f"Passport No: {passport}",
        f"FINS: {fins}",
        f"E-mail: {email}",
        "",
        "Narrative: the subject was encountered during a targeted operation and",
        f"processed at the field office on {_date(rng, 2019)}. See Form G-639 and Form I-247A.",
        f"Contact the duty officer at (202) 732-{rng.randint(3000, 3999)} for the case file.",
        "",
        bates,
    ]
    truth = [
        ("name", name), ("a_number", a_number), ("dob", dob), ("ssn", ssn), ("phone", phone),
        ("address", address), ("passport", passport), ("fins", fins), ("email", email),
    ]  # fmt: skip
    return PlantedPage(lines, truth, bates)


def write_pdf(
    path: Path, pages: list[PlantedPage], *, scanned: bool = False, dpi: int = 200
) -> Path:
    """The pages as a born-digital PDF, or as page images without any text layer (a scan)."""
    import pymupdf

    doc = pymupdf.open()
    for p in pages:
        page = doc.new_page(width=612, height=792)
        y = 60.0
        for line in p.lines:
            if line:
                page.insert_text((54, y), line, fontsize=10, fontname="helv")
            y += 16
    if not scanned:
        doc.save(path, garbage=3, deflate=True)
        doc.close()
        return path
    out = pymupdf.open()
    for i in range(doc.page_count):
        page = doc[i]
        pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY, alpha=False)
        new = out.new_page(width=page.rect.width, height=page.rect.height)
        new.insert_image(new.rect, stream=pix.tobytes("png"))
    out.save(path, garbage=3, deflate=True)
    out.close()
    doc.close()
    return path

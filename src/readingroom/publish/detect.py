"""Detectors for private people's identifiers in page text (text layer or OCR).

Each detector is a pattern for the identifier's shape plus the rules that
keep the records' own numbers out: Bates stamps, case and tracking numbers,
form numbers, statute citations, document dates, and the work addresses and
numbers officials print in letterheads. What is known about a hit's context
(a "DOB:" label, a letterhead line) sets its confidence; a hit never carries
the identifier itself beyond the span that locates it in the page text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["KINDS", "Hit", "detect", "mask_value", "normalise"]

#: Identifier kinds, in the order reports list them.
KINDS = ("a_number", "ssn", "dob", "phone", "email", "address", "passport", "fins", "name")


@dataclass(frozen=True)
class Hit:
    kind: str
    start: int
    end: int
    confidence: float
    rule: str  # why: which pattern and context decided


# -- context: letterheads and officials ------------------------------------------------

#: Words on a line that make a number or address on it an office's, not a person's.
_OFFICIAL = re.compile(
    r"\b(?:U\.?S\.?|Department|Dept\.?|Agency|Office|Field Office|Headquarters|HQ|"
    r"Bureau|Division|Directorate|Administration|Enforcement and Removal|ICE|CBP|USCIS|"
    r"DHS|ERO|HSI|Main|Fax|Switchboard|Duty Officer|Public Affairs|Press|"
    r"Federal|Courthouse|Court)\b|\.gov\b",
    re.I,
)
#: Labels that make a number or address on their line a person's.
_PERSONAL = re.compile(
    r"\b(?:home|cell|mobile|personal|residence|resides|residing|lives|living|address of|"
    r"subject|alien|target|detainee|spouse|mother|father|relative|contact|"
    r"phone|tel\.?|telephone|address|email|e-mail)\b",
    re.I,
)


def _line_of(text: str, start: int, end: int) -> tuple[int, int]:
    a = text.rfind("\n", 0, start) + 1
    b = text.find("\n", end)
    return a, (len(text) if b < 0 else b)


def _context(text: str, start: int, end: int) -> tuple[str, str]:
    """The line around a hit (hit blanked out), and the line before it."""
    a, b = _line_of(text, start, end)
    line = text[a:start] + " " + text[end:b]
    pa = text.rfind("\n", 0, max(0, a - 1)) + 1
    prev = text[pa : max(pa, a - 1)] if a > 0 else ""
    return line, prev


_STRONG_PERSONAL = re.compile(
    r"\b(?:home|cell|mobile|personal|residence|resides|residing|lives|living|subject|alien|"
    r"target|detainee|spouse|mother|father|relative|emergency)\b",
    re.I,
)


def _official(text: str, start: int, end: int) -> bool:
    """A hit printed as an office's: near an agency's name or in the letterhead, unlabelled."""
    line, prev = _context(text, start, end)
    if _STRONG_PERSONAL.search(line):
        return False
    if _OFFICIAL.search(line) or _OFFICIAL.search(prev):
        return True
    return text.count("\n", 0, start) < 3  # the letterhead: a page's first lines


# -- A-numbers --------------------------------------------------------------------------

_A_NUMBER = re.compile(
    r"(?<![\w/-])A[ \t]?[-#]?[ \t]?"
    r"(?:(\d{3})[- ]?(\d{3})[- ]?(\d{3})|(\d{2})[- ]?(\d{3})[- ]?(\d{3}))"
    r"(?![\w-])"
)
_A_LABEL = re.compile(
    r"\b(?:A[- ]?(?:number|no\.?|#)|alien\s+(?:registration\s+)?(?:number|no\.?|#)|A-File)", re.I
)


def _a_numbers(text: str) -> Iterator[Hit]:
    for m in _A_NUMBER.finditer(text):
        digits = "".join(g for g in m.groups() if g)
        if len(digits) not in (8, 9) or set(digits) == {"0"}:
            continue
        before = text[max(0, m.start() - 40) : m.start()]
        if re.search(r"(?:Passport|FINS)[^\n]{0,16}$", before, re.I):
            continue  # a passport number can have an A-number's shape: the label decides
        labelled = bool(_A_LABEL.search(before))
        yield Hit("a_number", m.start(), m.end(), 0.97 if labelled else 0.9, "A+8/9 digits")


# -- SSNs -------------------------------------------------------------------------------

_SSN = re.compile(r"(?<![\w-])(\d{3})( ?- ?| )(\d{2})( ?- ?| )(\d{4})(?![\w-])")
_SSN_BARE = re.compile(r"(?<![\w-])(\d{3})(\d{2})(\d{4})(?![\w-])")
_SSN_LABEL = re.compile(
    r"\b(?:SSN|SSAN|S\.S\.N\.|social\s+security(?:\s+(?:number|no\.?|#))?)", re.I
)


def ssn_valid(area: str, group: str, serial: str) -> bool:
    """The Social Security Administration's rules: no 000/666/9xx area, 00 group, 0000 serial."""
    if area in ("000", "666") or area.startswith("9"):
        return False
    if group == "00" or serial == "0000":
        return False
    return f"{area}{group}{serial}" not in ("078051120", "219099999")  # published samples


def _ssns(text: str) -> Iterator[Hit]:
    for m in _SSN.finditer(text):
        area, sep1, group, sep2, serial = m.groups()
        labelled = bool(_SSN_LABEL.search(text[max(0, m.start() - 30) : m.start()]))
        # Dashes (OCR may put a space beside one) say SSN; bare spaces only with a label.
        dashed = "-" in sep1 and "-" in sep2
        if ssn_valid(area, group, serial) and (dashed or labelled):
            yield Hit("ssn", m.start(), m.end(), 0.98 if labelled else 0.9, "ssn shape+validity")
    for m in _SSN_BARE.finditer(text):
        if _SSN_LABEL.search(text[max(0, m.start() - 30) : m.start()]) and ssn_valid(*m.groups()):
            yield Hit("ssn", m.start(), m.end(), 0.95, "labelled 9 digits")


# -- dates of birth ---------------------------------------------------------------------

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DATE = (
    r"(?:\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2}|"
    rf"{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH}\s+\d{{4}}|\d{{1,2}}-{_MONTH}-\d{{2,4}})"
)
_DOB = re.compile(
    r"\b(?:DOB|D\.O\.B\.?|Date\s+of\s+Birth|Birth\s*date|Birthday|born(?:\s+on)?)\b\s*[:#]?\s*"
    rf"(?:\([^)\n]{{0,20}}\)\s*)?({_DATE})",
    re.I,
)


def _dobs(text: str) -> Iterator[Hit]:
    for m in _DOB.finditer(text):
        yield Hit("dob", m.start(1), m.end(1), 0.97, "date after a birth label")


# -- phone numbers ----------------------------------------------------------------------


def _phones(text: str) -> Iterator[Hit]:
    import phonenumbers

    for m in phonenumbers.PhoneNumberMatcher(text, "US", leniency=phonenumbers.Leniency.VALID):
        raw = m.raw_string
        digits = re.sub(r"\D", "", raw)
        # A phone is written grouped: (202) 555-0143, 202-555-0143, +1 202 555 0143.
        if not re.search(r"[()\-. ]", raw.strip()) or len(digits) not in (10, 11):
            continue
        before = text[max(0, m.start - 12) : m.start]
        if re.search(r"(?:No\.?|#|Case|Bates)\s*$", before, re.I):
            continue
        if _official(text, m.start, m.end):
            continue
        line, _ = _context(text, m.start, m.end)
        conf = 0.95 if _PERSONAL.search(line) else 0.85
        yield Hit("phone", m.start, m.end, conf, "phonenumbers VALID, not a letterhead")


# -- e-mail addresses -------------------------------------------------------------------

_EMAIL = re.compile(
    r"(?<![\w.+-])[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})"
)
_WEBMAIL = {
    "gmail.com", "yahoo.com", "hotmail.com", "outlook.com", "aol.com", "icloud.com",
    "live.com", "msn.com", "protonmail.com", "proton.me", "gmx.com", "mail.com",
    "ymail.com", "comcast.net", "att.net", "verizon.net", "me.com", "hotmail.es",
    "yahoo.com.mx", "sbcglobal.net", "example.com", "example.org", "example.net",
}  # fmt: skip


def _emails(text: str) -> Iterator[Hit]:
    for m in _EMAIL.finditer(text):
        domain = m.group(1).lower()
        if domain.endswith((".gov", ".mil")) or ".gov." in domain:
            continue  # officials' work addresses
        if domain in _WEBMAIL or domain.rsplit(".", 2)[-2:] in (["yahoo", "com"], ["gmail", "com"]):
            yield Hit("email", m.start(), m.end(), 0.97, "personal mail domain")
            continue
        # An organisation's domain (a company, a law firm, the agency's own) is
        # personal only where the record says so: a form's e-mail field, a home address.
        a, _ = _line_of(text, m.start(), m.end())
        field = re.match(
            r"\s*(?:personal\s+|home\s+)?e-?mail(?:\s+address)?\s*:", text[a : m.start()], re.I
        )
        line, _ = _context(text, m.start(), m.end())
        if (field or _STRONG_PERSONAL.search(line)) and not _email_header(text, m.start()):
            yield Hit("email", m.start(), m.end(), 0.8, "e-mail in a personal field")


# -- street addresses -------------------------------------------------------------------

#: USPS street suffixes (Publication 28, appendix C1): full words and standard abbreviations.
_SUFFIX_WORDS = """
Alley Aly Annex Anx Arcade Arc Avenue Ave Av Bayou Byu Beach Bch Bend Bnd Bluff Blf Bluffs Blfs
Bottom Btm Boulevard Blvd Branch Br Bridge Brg Brook Brk Brooks Burg Burgs Bypass Byp Camp Cp
Canyon Cyn Cape Cpe Causeway Cswy Center Ctr Centers Ctrs Circle Cir Circles Cirs Cliff Clf
Cliffs Clfs Club Clb Common Cmn Commons Corner Cor Corners Cors Course Crse Court Ct Courts Cts
Cove Cv Coves Creek Crk Crescent Cres Crest Crst Crossing Xing Crossroad Xrd Curve Curv Dale Dl
Dam Dm Divide Dv Drive Dr Drives Drs Estate Est Estates Ests Expressway Expy Extension Ext
Extensions Exts Fall Falls Fls Ferry Fry Field Fld Fields Flds Flat Flt Flats Flts Ford Frd
Fords Frds Forest Frst Forge Frg Forges Frgs Fork Frk Forks Frks Fort Ft Freeway Fwy Garden Gdn
Gardens Gdns Gateway Gtwy Glen Gln Glens Glns Green Grn Greens Grns Grove Grv Groves Grvs Harbor
Hbr Harbors Hbrs Haven Hvn Heights Hts Highway Hwy Hill Hl Hills Hls Hollow Holw Inlet Inlt
Island Is Islands Iss Isle Junction Jct Junctions Jcts Key Ky Keys Kys Knoll Knl Knolls Knls
Lake Lk Lakes Lks Land Landing Lndg Lane Ln Light Lgt Lights Lgts Loaf Lf Lock Lck Locks Lcks
Lodge Ldg Loop Mall Manor Mnr Manors Mnrs Meadow Mdw Meadows Mdws Mews Mill Ml Mills Mls Mission
Msn Motorway Mtwy Mount Mt Mountain Mtn Mountains Mtns Neck Nck Orchard Orch Oval Overpass Opas
Park Parks Parkway Pkwy Parkways Pkwys Pass Passage Psge Path Pike Pine Pne Pines Pnes Place Pl
Plain Pln Plains Plns Plaza Plz Point Pt Points Pts Port Prt Ports Prts Prairie Pr Radial Radl
Ramp Ranch Rnch Rapid Rpd Rapids Rpds Rest Rst Ridge Rdg Ridges Rdgs River Riv Road Rd Roads Rds
Route Rte Row Rue Run Shoal Shl Shoals Shls Shore Shr Shores Shrs Skyway Skwy Spring Spg Springs
Spgs Spur Spurs Square Sq Squares Sqs Station Sta Stravenue Stra Stream Strm Street St Streets
Sts Summit Smt Terrace Ter Throughway Trwy Trace Trce Track Trak Trafficway Trfy Trail Trl
Trailer Trlr Tunnel Tunl Turnpike Tpke Underpass Upas Union Un Unions Uns Valley Vly Valleys
Vlys Via Viaduct Vdct View Vw Views Vws Village Vlg Villages Vlgs Ville Vl Vista Vis Walk Walks
Wall Way Ways Well Wl Wells Wls
""".split()
_SUFFIX = "(?:" + "|".join(sorted(set(_SUFFIX_WORDS), key=len, reverse=True)) + r")\b"
_ADDRESS = re.compile(
    r"(?<![\w/-])\d{1,6}(?:-\d{1,4})?[ ]+(?:[NSEW]\.?[ ]+|North[ ]+|South[ ]+|East[ ]+|West[ ]+)?"
    r"(?:(?:[A-Z][A-Za-z'.-]*|\d+(?:st|nd|rd|th))[ ]+){1,4}"
    + _SUFFIX
    + r"\.?(?:[ ]+(?:NW|NE|SW|SE|N|S|E|W)\b\.?)?"
    r"(?:,?[ ]*(?:Apt\.?|Apartment|Unit|Suite|Ste\.?|Bldg\.?|Fl\.?|Floor|Rm\.?|Room|#|Lot|Trlr)"
    r"[ ]*[\w-]+)?"
    r"(?:,?[ \t\n]+[A-Z][A-Za-z.]+(?:[ \t][A-Z][A-Za-z.]+){0,2},?[ \t]+[A-Z]{2}"
    r"(?:[ \t]+\d{5}(?:-\d{4})?)?)?"
)


@lru_cache(maxsize=4096)
def _usaddress_ok(candidate: str) -> bool:
    """usaddress (a CRF trained on US addresses) must read a number and a street name."""
    import usaddress  # type: ignore[import-untyped]

    try:
        parts, kind = usaddress.tag(" ".join(candidate.split()))
    except usaddress.RepeatedLabelError:
        return False
    return kind == "Street Address" and "AddressNumber" in parts and "StreetName" in parts


def _addresses(text: str) -> Iterator[Hit]:
    for m in _ADDRESS.finditer(text):
        cand = m.group(0).rstrip(" ,\t\n")
        if re.match(r"\d+\s+(?:U\.?S\.?C|C\.?F\.?R|Fed|F\.\d|Stat)\b", cand):
            continue  # statute and reporter citations
        if not _usaddress_ok(cand) or _official(text, m.start(), m.start() + len(cand)):
            continue
        line, _ = _context(text, m.start(), m.start() + len(cand))
        conf = 0.95 if _PERSONAL.search(line) else 0.85
        yield Hit("address", m.start(), m.start() + len(cand), conf, "street address (usaddress)")


# -- passports and FINS -----------------------------------------------------------------

_PASSPORT = re.compile(
    r"\bPassport(?:\s+(?:No\.?|Number|#|Num\.?))?\s*[:#]?\s*(?:\([A-Z]{2,3}\)\s*)?([A-Z0-9]{6,9})\b",
    re.I,
)
_FINS = re.compile(r"\bFINS(?:\s+(?:No\.?|Number|#|ID))?\s*[:#]?\s*(\d{7,10})\b", re.I)


def _passports(text: str) -> Iterator[Hit]:
    for m in _PASSPORT.finditer(text):
        value = m.group(1)
        if re.search(r"\d", value) and len(re.findall(r"\d", value)) >= 5:
            yield Hit("passport", m.start(1), m.end(1), 0.95, "value after a passport label")
    for m in _FINS.finditer(text):
        yield Hit("fins", m.start(1), m.end(1), 0.95, "digits after a FINS label")


# -- names in labelled fields -----------------------------------------------------------

_NAME_LABEL = re.compile(
    r"(?im)^[ \t]*(?:\d+\.\s*)?((?:Full\s+|Subject(?:'s)?\s+|Alien(?:'s)?\s+|Target(?:'s)?\s+|"
    r"Detainee(?:'s)?\s+|Family\s+|Last\s+|First\s+|Given\s+|Spouse(?:'s)?\s+)?Name"
    r"(?:\s*\((?:Last|Family)[^)\n]*\))?|Subject|Alien|Target|Detainee|Spouse|Mother|Father)"
    r"(?:[ \t]*[:\t][ \t]*(.*)|[ \t]*)$"
)
_NAME_TOKEN = re.compile(r"^(?:[A-Z][a-z'’-]+|[A-Z][A-Z'’-]+|[A-Z]\.?|(?:de|del|la|van|von|y)),?$")
_NOT_NAME = re.compile(
    r"\b(?:re|fw|fwd|operation|meeting|plan|report|update|memo|request|review|weekly|daily|"
    r"arrest|arrests|targets?|team|office|field|program|policy|list|numbers?|draft|the|of|for|"
    r"and|to|in|on|with|from|unknown|none|n/?a|withheld|redacted|same|above|see|enforcement|"
    r"removal|ice|dhs|uscis|cbp|department|agency|court|united|states|foia|production|date|"
    r"form|case|file|priority|status|yes|no|male|female)\b",
    re.I,
)


def name_like(value: str) -> bool:
    """Two to five capitalised tokens ("GARCIA, Maria Elena"), no digits, no common words."""
    value = value.strip().strip(".;")
    if not value or re.search(r"\d|\(b\)|█|@", value) or _NOT_NAME.search(value):
        return False
    tokens = value.replace(",", ", ").split()
    if not 2 <= len(tokens) <= 5:
        return False
    return all(_NAME_TOKEN.match(t) for t in tokens) and sum(len(t) > 2 for t in tokens) >= 1


def _email_header(text: str, pos: int) -> bool:
    """Whether a 'Subject:' line belongs to a printed e-mail header (its subject line)."""
    window = text[max(0, pos - 300) : pos]
    return bool(re.search(r"(?im)^\s*(?:From|Sent|To|Cc|Date)\s*:", window))


def _names(text: str) -> Iterator[Hit]:
    for m in _NAME_LABEL.finditer(text):
        label = m.group(1).lower()
        value = m.group(2) or ""
        start = m.start(2) if m.group(2) is not None else m.end()
        if not value.strip():
            # A form box: the label on its own line, the name on the next.
            nl = text.find("\n", m.end())
            if nl < 0:
                continue
            end = text.find("\n", nl + 1)
            end = len(text) if end < 0 else end
            value, start = text[nl + 1 : end], nl + 1
        value = value.split("\t")[0]  # the next field of a form row
        if label.startswith("subject") and label == "subject" and _email_header(text, m.start()):
            continue
        stripped = value.rstrip(" .;,")
        lead = len(stripped) - len(stripped.lstrip())
        stripped = stripped.strip()
        if name_like(stripped):
            yield Hit(
                "name", start + lead, start + lead + len(stripped), 0.9, f"name after '{label}:'"
            )


_DETECTORS = (_a_numbers, _ssns, _dobs, _phones, _emails, _addresses, _passports, _names)


def detect(text: str) -> list[Hit]:
    """Every identifier in `text`, overlapping hits resolved to the more specific kind."""
    hits = [h for d in _DETECTORS for h in d(text)]
    order = {k: i for i, k in enumerate(KINDS)}
    hits.sort(key=lambda h: (h.start, order[h.kind], -h.end))
    out: list[Hit] = []
    for h in hits:
        if out and h.start < out[-1].end:
            continue  # an SSN's digits are not also a phone number
        out.append(h)
    return out


def normalise(kind: str, value: str) -> str:
    """The identifier's comparable form: digits for numbers, folded spaces and case otherwise."""
    if kind in ("a_number", "ssn", "phone", "fins"):
        return re.sub(r"\D", "", value)[-10:]
    return " ".join(value.lower().split())


def mask_value(kind: str, value: str) -> str:
    """Shape without substance: separators kept, letters and digits as '•'.

    Numbers keep their last two digits, enough to tell two hits apart in review.
    """
    keep = 2 if kind in ("a_number", "ssn", "phone", "passport", "fins") else 0
    chars = list(value)
    alnum = [i for i, c in enumerate(chars) if c.isalnum()]
    shown = set(alnum[-keep:]) if keep and len(alnum) > 4 else set()
    return "".join(c if (not c.isalnum() or i in shown) else "•" for i, c in enumerate(chars))

"""Printed e-mails: header blocks in page text parsed back into messages.

FOIA e-mail is released as PDF printouts: chains of Outlook blocks
(From/Sent/To/Cc/Subject), Gmail-style blocks (From/Date/Subject/To),
"-----Original Message-----" separators and "On ..., X wrote:" quotes, with
names replaced by exemption labels. A block is recognised by its shape: a
From line, a Sent/Date line and a To and/or Subject line, so body text that
merely says "from:" does not start a message. Memoranda print FROM /
SUBJECT / DATE too; a block under a "MEMORANDUM FOR" line, or written in
capitals with a date but no time of day, is a memo and not an e-mail.
Blocks are read across page breaks, skipping the Bates stamp between them.

Native e-mail documents (.eml, .mbox, .msg; read by
`readingroom.ingest.formats.email`) are parsed the same way so they sit on
the same timeline, but their messages are marked `native`. The analyser is
named `emails` (its stage rows, `--only emails`, its facets' source).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from readingroom.analyse.analysers.bates import parse_stamp
from readingroom.analyse.analysers.offices import patterns, pick, score_text
from readingroom.analyse.base import BaseAnalyser, DocIn, Findings
from readingroom.analyse.textmap import lines_from_words

_FIELDS = {
    "from": "from",
    "sent": "sent",
    "date": "sent",
    "to": "to",
    "cc": "cc",
    "bcc": "bcc",
    "subject": "subject",
    "subiect": "subject",
    "importance": "other",
    "attachments": "other",
    "sensitivity": "other",
    "signed by": "other",
    "mailed-by": "other",
    "reply-to": "other",
    "10": "to",
}
_NAMES = (
    r"from|sent|date|to|cc|bcc|subject|subiect|importance|attachments|sensitivity"
    r"|signed by|mailed-by|reply-to|10(?=:\s*[^\d\s])"
)
#: `Subject: x`, `Subject; x`, and the colon-less `Subject      x` of column
#: printouts (two spaces or a tab after the label; one space is prose:
#: "Sent from my iPad", "To update you").
_FIELD = re.compile(
    rf"^(?P<quote>(?:\s*>)*)\s*[•·*»]?\s*(?P<field>{_NAMES})(?:\s*[:;]\s?|(?=\s{{2,}}\S|\t)|\s*$)\s*(?P<value>.*)$",
    re.IGNORECASE,
)
_SEPARATOR = re.compile(
    r"^\s*(?:>\s*)*(?:-*\s*(?:Original Message|Forwarded message|Forwarded by.*)\s*-*"
    r"|_{10,}|Begin forwarded message:)\s*$",
    re.IGNORECASE,
)
#: Lines that open a memorandum's header: FROM/SUBJECT/DATE below them are not e-mail.
_MEMO = re.compile(
    r"^\s*(?:(?:MEMORANDUM|MEMO)(?:\s+(?:FOR|TO)(?:\s+THE\s+RECORD)?)?\s*(?:[:;]|$)"
    r"|(?:THRU|THROUGH|ATTN|ATTENTION)\s*[:;])",
    re.IGNORECASE,
)
#: Non-empty lines above a header block searched for a memorandum heading.
MEMO_LOOKBACK = 4
_TIME = re.compile(r"\d{1,2}:\d{2}")
_PAGE_NO = re.compile(r"^\s*(?:Page\s+\d+\s+of\s+\d+|\d{1,4})\s*$", re.IGNORECASE)
_SUBJECT_PREFIX = re.compile(r"^\s*(?:(?:re|fw|fwd|aw|wg)\s*:\s*|\[external\]\s*)+", re.IGNORECASE)
_BARE_SUBJECT = re.compile(r"^\s*(?:(?:re|fw|fwd|aw|wg)\b\s*:?\s*)*$", re.IGNORECASE)
#: Margin marks printed beside a header line: exemption codes, classification
#: paragraphs, release stamps. Removed from field values (the exemptions
#: analyser counts them from the page text).
#: Written-out labels, "(b)(6)", are what the agency printed in place of a
#: name, so they stay in the value; only the margin forms are removed.
_MARK = (
    r"(?:B\s?[1-9](?:\s?\([A-Fa-f]\))?|1\.4\s?\([A-Ha-h]\)"
    r"|RELEASE\s+IN\s+(?:PART|FULL)|UNCLASSIFIED|CONFIDENTIAL|SECRET)"
)
_TRAILING_MARKS = re.compile(
    rf"(?:(?:^|\s+|,){_MARK}[,;]?)+\s*$|\s{{3,}}Classified\s+by\b.*$|^\s*Classified\s+by\b.*$"
    r"|\s{6,}(?:DoS\s+on|Class:|CONFIDENTIAL|Reason:|Declassify|1\.4\s?\()(?:\s.*)?$"
)
#: A classification note printed in the margin beside a header block.
_MARGIN_NOTE = re.compile(
    r"^\s*(?:Classified\s+by|Reason\s*:|Declassify\s+on|\d{2}/\d{2}/\d{4}\s*(?:[—-]|$))", re.I
)
#: Indentation (characters) beyond which a line inside a header block is a
#: margin note, not a wrapped value.
MARGIN_INDENT = 40
_MARKS_ONLY = re.compile(rf"^\s*(?:{_MARK}[\s,;]*)+$")
#: A release's running header on every page (State Department style).
_RUNNING = re.compile(
    r"^\s*(?:UNCLASSIFIED\s+)?U\.\s?S\.\s+Department\s+of\s+State\s+Case\s+No\.|"
    r"^\s*Classified\s+by\s+.*Declassify\s+on|^\s*Declassify\s+on\s*:",
    re.IGNORECASE,
)
#: Lines that may stand between the lines of one header block (blank lines,
#: a page break's running header already removed).
BLANK_TOLERANCE = 8
#: Wrapped lines of a To/Cc list looked through for the next field.
LOOKAHEAD = 6
#: Wrapped subject lines are joined only when the subject line was long.
WRAP_AT = 50

_MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
        start=1,
    )
}
_WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


@dataclass
class Message:
    page: int
    page_end: int
    fields: dict[str, str] = field(default_factory=dict)
    body: list[str] = field(default_factory=list)
    quoted: bool = False
    labels: list[str] = field(default_factory=list)  # field names as printed
    marks: list[str] = field(default_factory=list)  # margin marks removed from fields

    @property
    def sender(self) -> str | None:
        return self.fields.get("from")

    @property
    def subject(self) -> str | None:
        return self.fields.get("subject")


def clean(value: str) -> str:
    """The value as printed, with each run of spaces read as one."""
    return re.sub(r"\s+", " ", value).strip()


def strip_marks(value: str) -> tuple[str, list[str]]:
    """A field value without the margin marks printed beside it, and the marks."""
    m = _TRAILING_MARKS.search(value)
    if not m or not m.group().strip():
        return value, []
    marks = re.findall(_MARK, m.group())
    return value[: m.start()], marks


def normalise_subject(subject: str | None) -> str:
    """Thread key: the subject without RE:/FW: prefixes, case and spacing.

    Empty for an empty or bare `Re:` subject: such messages never form a
    thread with each other.
    """
    if not subject or _BARE_SUBJECT.match(subject):
        return ""
    return clean(_SUBJECT_PREFIX.sub("", subject)).lower()


def subject_facet(subject: str | None) -> str:
    """The `subject:` facet value: the subject as printed, without RE:/FW: prefixes."""
    return clean(_SUBJECT_PREFIX.sub("", subject or ""))


_DATE_FORMS = [
    # Thursday, March 4, 2010 11:31 AM · March 4,2010 · Mar. 4 2010
    re.compile(r"(?P<mon>[A-Za-z]{3,9})\.?\s+(?P<d>\d{1,2})\s*(?:,\s*|\s+)(?P<y>\d{4})\b"),
    # 4 March 2010 · 4 Mar, 2010 · Tue, 8 Sep 2009 10:30:53 -0400
    re.compile(r"(?P<d>\d{1,2})\s+(?P<mon>[A-Za-z]{3,9})\.?,?\s+(?P<y>\d{4})\b"),
    # ctime: Tue Sep 08 10:30:53 2009 (the year after the time)
    re.compile(
        r"(?P<mon>[A-Za-z]{3,9})\s+(?P<d>\d{1,2})\s+(?P<time>\d{1,2}:\d{2}(?::\d{2})?)"
        r"(?:\s+(?P<tz>[A-Z]{3,4}|[+-]\d{4}))?\s+(?P<y>\d{4})\b"
    ),
    re.compile(r"(?P<mo>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4}|\d{2})\b"),
    re.compile(r"(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})\b"),
]
#: US zones as US federal printouts name them, with their UTC offsets. In
#: these records "CST" is Central, never China: the zones are read only in the
#: header of a printed e-mail from a US agency's system.
_US_ZONES = {
    "EST": "-05:00", "EDT": "-04:00", "CST": "-06:00", "CDT": "-05:00",
    "MST": "-07:00", "MDT": "-06:00", "PST": "-08:00", "PDT": "-07:00",
    "AKST": "-09:00", "AKDT": "-08:00", "HST": "-10:00",
    "EASTERN STANDARD TIME": "-05:00", "EASTERN DAYLIGHT TIME": "-04:00",
    "CENTRAL STANDARD TIME": "-06:00", "CENTRAL DAYLIGHT TIME": "-05:00",
    "MOUNTAIN STANDARD TIME": "-07:00", "MOUNTAIN DAYLIGHT TIME": "-06:00",
    "PACIFIC STANDARD TIME": "-08:00", "PACIFIC DAYLIGHT TIME": "-07:00",
}  # fmt: skip
_CLOCK = re.compile(
    r"(?<!\d)(?P<h>\d{1,2}):(?P<mi>\d{2})(?::\d{2})?\s*(?P<ampm>[AaPp]\.?\s?[Mm]\.?)?"
    r"(?:\s*(?P<tz>[+-]\d{2}:?\d{2}|UTC|GMT|Z|"
    r"(?:Eastern|Central|Mountain|Pacific) (?:Standard|Daylight) Time|"
    r"[ECMP][SD]T|AK[SD]T|HST)\b)?"
)


def normalise_date(raw: str | None) -> str | None:
    """ISO 8601 from the date forms printouts use; None rather than a guess.

    OCR damage is repaired only where the reading is unambiguous (O for 0
    and l for 1 beside digits, a missing space after a comma). A printed
    weekday that disagrees with the date means the reading is wrong: None.
    A time zone is kept when printed as an offset, UTC/GMT, or a US zone
    (EDT, Eastern Standard Time), which is how US agencies' printouts name it.
    """
    if not raw:
        return None
    import datetime as dt

    s = re.sub(r"(?<=\d)[Oo]|[Oo](?=\d)", "0", raw)
    s = re.sub(r"(?<=\d)[lI]|[lI](?=\d)", "1", s)
    s = re.sub(r"\s+", " ", s.replace(" at ", " ")).strip()
    weekday = None
    wm = re.match(r"^([A-Za-z0-9]{3,9})\.?,?\s+", s)
    if wm and (weekday := _weekday(wm[1])) is not None:
        s = s[wm.end() :]
    for form in _DATE_FORMS:
        m = form.match(s)
        if not m:
            continue
        g = m.groupdict()
        if "mon" in g and g["mon"] is not None:
            name = g["mon"].lower()
            mo = _MONTHS.get(name[:3])
            if mo is None or (len(name) > 3 and not _month_name_ok(name)):
                return None
        else:
            mo = int(g["mo"])
        y = int(g["y"])
        if y < 100:
            y += 2000 if y < 70 else 1900
        try:
            day = dt.date(y, mo, int(g["d"]))
        except ValueError:
            return None
        if weekday is not None and day.weekday() != weekday:
            return None
        rest = g.get("time") or s[m.end() :]
        t = _CLOCK.search(rest) if rest else None
        if t is None:
            return day.isoformat()
        h, mi = int(t["h"]), int(t["mi"])
        if t["ampm"]:
            if not 1 <= h <= 12:
                return None
            h = (h % 12) + (12 if t["ampm"][0].lower() == "p" else 0)
        if h > 23 or mi > 59:
            return None
        out = f"{day.isoformat()}T{h:02d}:{mi:02d}"
        tz = t["tz"] or g.get("tz")
        if tz and tz[0] in "+-":
            tz = tz.replace(":", "")
            out += f"{tz[:3]}:{tz[3:]}"
        elif tz in ("UTC", "GMT", "Z"):
            out += "Z"
        elif tz and tz.upper() in _US_ZONES:
            out += _US_ZONES[tz.upper()]
        return out
    return None


_MONTH_NAMES = (
    "january february march april may june july august september october november december"
).split()


_WEEKDAY_NAMES = "monday tuesday wednesday thursday friday saturday sunday".split()


def _weekday(token: str) -> int | None:
    """The weekday a printed token names, 0 = Monday; None when it names none.

    "Tue", "Tuesday", and an OCR-damaged full name one character off exactly
    one weekday ("1riday"): the date's own weekday then confirms the reading.
    """
    t = token.lower()
    if t[:3] in _WEEKDAYS and (len(t) == 3 or t.endswith("day")):
        return _WEEKDAYS.index(t[:3])
    if len(t) < 6 or not t.endswith("day"):
        return None
    near = [i for i, name in enumerate(_WEEKDAY_NAMES) if _one_off(t, name)]
    return near[0] if len(near) == 1 else None


def _one_off(a: str, b: str) -> bool:
    """Same length and one character different: OCR's usual damage to a word."""
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1


def _month_name_ok(name: str) -> bool:
    """A month written longer than three letters must be a month's name or its prefix."""
    name = name.rstrip(".")
    return any(full.startswith(name) for full in _MONTH_NAMES) or name == "sept"


def _norm_line(line: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", " ", line)).strip().lower()


def running_lines(pages: list[list[str]]) -> set[str]:
    """Normalised lines that repeat at the top or bottom of most pages."""
    if len(pages) < 2:
        return set()
    seen: dict[str, int] = {}
    for lines in pages:
        nonblank = [ln for ln in lines if ln.strip()]
        edge = [ln for ln in nonblank[:4] + nonblank[-4:] if not _FIELD.match(ln)]
        for key in {_norm_line(ln) for ln in edge}:
            seen[key] = seen.get(key, 0) + 1
    need = max(2, (len(pages) + 1) // 2)
    return {k for k, n in seen.items() if n >= need and len(k) > 3}


def _lines(doc: DocIn) -> list[tuple[int, str]]:
    """All lines with their page number, minus running headers and footers,
    margin marks on lines of their own, Bates stamps and page numbers."""
    texts: list[list[str]] = []
    for page in doc.pages:
        # Text layers often split "From:" and its value into separate blocks;
        # lines rebuilt from word positions put them back side by side.
        text = lines_from_words(page.words) if page.words else page.text
        texts.append(text.splitlines())
    running = running_lines(texts)
    out: list[tuple[int, str]] = []
    for page, lines in zip(doc.pages, texts, strict=True):
        keep = len(lines)
        # Trailing stamp / page-number lines belong to the page, not the message.
        while keep and (
            not lines[keep - 1].strip()
            or _PAGE_NO.match(lines[keep - 1])
            or _norm_line(lines[keep - 1]) in running
            or _RUNNING.match(lines[keep - 1])
            or (_is_stamp_line(lines[keep - 1]) and not _FIELD.match(lines[keep - 1]))
        ):
            keep -= 1
            if len(lines) - keep > 6:
                break
        for line in lines[:keep]:
            if _norm_line(line) in running or _RUNNING.match(line):
                continue
            if _MARKS_ONLY.match(line):
                line = ""
            out.append((page.number, line))
    return out


def _is_stamp_line(line: str) -> bool:
    from readingroom.analyse.analysers.bates import _SPLIT_JOINT

    stamp = parse_stamp(line)
    return stamp is not None and _SPLIT_JOINT.sub("", line).rstrip().endswith(stamp.raw)


def _field(line: str) -> tuple[str, str, bool] | None:
    m = _FIELD.match(line)
    if not m:
        return None
    return _FIELDS[m["field"].lower()], m["value"], bool(m["quote"].strip())


def _label(line: str) -> str:
    m = _FIELD.match(line)
    return m["field"] if m else ""


def _under_memo_heading(lines: list[tuple[int, str]], start: int) -> bool:
    """A MEMORANDUM FOR / THRU line just above the block, on the same page."""
    page = lines[start][0]
    seen = 0
    for k in range(start - 1, -1, -1):
        p, line = lines[k]
        if p != page or seen >= MEMO_LOOKBACK:
            break
        if not line.strip():
            continue
        if _MEMO.match(line):
            return True
        seen += 1
    return False


def is_email_block(fields: dict[str, str], labels: list[str], memo_heading: bool) -> bool:
    """Whether a header block is an e-mail's rather than a memo's.

    An e-mail block has From, Sent or Date, and To and/or Subject. Memos
    print FROM / SUBJECT / DATE as well, so a block under a memorandum
    heading is not e-mail, nor is one whose labels are all capitals and whose
    date has no time of day (mail clients print the time).
    """
    if not ({"from", "sent"} <= fields.keys() and {"to", "subject"} & fields.keys()):
        return False
    if memo_heading:
        return False
    shouting = all(lab.isupper() for lab in labels if lab)
    return not (shouting and not _TIME.search(fields["sent"]))


def parse(doc: DocIn) -> list[Message]:
    lines = _lines(doc)
    messages: list[Message] = []
    i = 0
    current: Message | None = None
    while i < len(lines):
        page, line = lines[i]
        f = _field(line)
        if f and f[0] == "from":
            block = _read_block(lines, i)
            if block is not None:
                msg, i = block
                messages.append(msg)
                current = msg
                continue
        # "On ..., X wrote:" introduces quoted text: body, never a message.
        if current is not None and not _SEPARATOR.match(line):
            current.body.append(re.sub(r"^(\s*>)+\s?", "", line))
            current.page_end = page
        i += 1
    return messages


def _next_nonblank(lines: list[tuple[int, str]], i: int) -> int | None:
    """Index of the next non-blank line within BLANK_TOLERANCE lines."""
    for k in range(i, min(len(lines), i + BLANK_TOLERANCE + 1)):
        if lines[k][1].strip():
            return k
    return None


def _read_block(lines: list[tuple[int, str]], start: int) -> tuple[Message, int] | None:
    """Read a header block starting at a From line; None if it is not one.

    The block may be cut by blank lines and by a page break (the running
    header between its lines is already gone); values lose the margin marks
    printed beside them; wrapped To/Cc lists and long subjects are joined.
    """
    fields: dict[str, str] = {}
    labels: list[str] = []
    marks: list[str] = []
    quoted = False
    i = start
    last: str | None = None
    last_raw = ""
    end_page = lines[start][0]
    while i < len(lines):
        page, line = lines[i]
        if not line.strip():
            k = _next_nonblank(lines, i)
            nxt = _field(lines[k][1]) if k is not None else None
            if k is None or nxt is None or (nxt[0] in fields and nxt[0] != "other"):
                break
            i = k  # blank lines inside the block (or a page break)
            continue
        f = _field(line)
        if f:
            key, value, q = f
            if key in fields and key != "other":
                break  # a second From: starts the next block
            value, found = strip_marks(value)
            marks += found
            quoted = quoted or q
            if not value.strip() and (k := _value_below(lines, i)) is not None:
                # Narrow-column printouts: the label alone, its value under it.
                value, found = strip_marks(lines[k][1])
                marks += found
                i, line = k, lines[k][1]
            if key != "other":
                fields[key] = value
                labels.append(_label(line))
            last, last_raw = key, line
            end_page = page
            i += 1
            continue
        # Not a field: a margin note, a wrapped To/Cc list or subject, or the end.
        if _MARGIN_NOTE.match(line) or len(line) - len(line.lstrip()) >= MARGIN_INDENT:
            i += 1
            continue
        value, found = strip_marks(line)
        if (
            last in ("to", "cc", "bcc", "from")
            and "subject" not in fields
            and _field_follows(lines, i + 1)
        ):
            fields[last] += " " + value.strip()
            marks += found
            i += 1
            continue
        if last == "subject" and len(last_raw.rstrip()) >= WRAP_AT and _subject_wraps(lines, i):
            fields["subject"] += " " + value.strip()
            marks += found
            last_raw = ""
            i += 1
            continue
        break
    if not is_email_block(fields, labels, _under_memo_heading(lines, start)):
        return None
    msg = Message(
        lines[start][0],
        end_page,
        {k: clean(v) for k, v in fields.items()},
        quoted=quoted,
        labels=labels,
        marks=marks,
    )
    return msg, i


def _value_below(lines: list[tuple[int, str]], i: int) -> int | None:
    """For a bare label line, the indented value printed a line or two below it."""
    if _FIELD.match(lines[i][1])["value"].strip():  # type: ignore[index]
        return None
    for k in range(i + 1, min(len(lines), i + 3)):
        line = lines[k][1]
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        if _field(line) or _SEPARATOR.match(line) or not 4 <= indent < MARGIN_INDENT:
            return None
        return k
    return None


def _field_follows(lines: list[tuple[int, str]], i: int) -> bool:
    """A header field within the next few lines, before any blank line."""
    for k in range(i, min(len(lines), i + LOOKAHEAD)):
        line = lines[k][1]
        if _field(line):
            return True
        if not line.strip():
            k2 = _next_nonblank(lines, k)
            return k2 is not None and _field(lines[k2][1]) is not None
    return False


def _subject_wraps(lines: list[tuple[int, str]], i: int) -> bool:
    """A short line right under a long subject, followed by a blank line or a field."""
    line = lines[i][1].strip()
    if not line or len(line) > 80 or _SEPARATOR.match(line):
        return False
    after = lines[i + 1][1] if i + 1 < len(lines) else ""
    return not after.strip() or _field(after) is not None


class PrintedEmail(BaseAnalyser):
    name = "emails"
    version = "4"
    tables = ("email_messages",)
    #: Reads pages after bad redactions are masked, so no message keeps a hidden name.
    after = ("redactions",)

    def run(self, doc: DocIn) -> Findings:
        out = Findings()
        messages = parse(doc)
        if not messages:
            return out
        pats = patterns(doc.pack)
        page_ids = {p.number: p.id for p in doc.pages}
        # Native mail is on the timeline too, but must never be counted as printed.
        origin = "native" if doc.doc_type == "email" else "printed"
        for seq, msg in enumerate(messages):
            subject = msg.subject
            thread = normalise_subject(subject)
            body = "\n".join(msg.body).strip()
            office = pick(score_text(f"{msg.sender or ''}\n{body}", pats))
            out.add(
                "email_messages",
                document_id=doc.id,
                page_id=page_ids[msg.page],
                page_end=msg.page_end,
                seq=seq,
                sender=msg.sender,
                sent=normalise_date(msg.fields.get("sent")),
                sent_raw=msg.fields.get("sent"),
                recipients=msg.fields.get("to"),
                cc=msg.fields.get("cc"),
                subject=subject,
                thread_key=thread,
                quoted=int(msg.quoted),
                office=office,
                body=body,
                origin=origin,
            )
            for number in range(msg.page, msg.page_end + 1):
                pid = page_ids.get(number)
                if pid is None:
                    continue
                out.facets.append((pid, "type", "email"))
                if msg.sender:
                    out.facets.append((pid, "from", msg.sender))
                if thread:
                    out.facets.append((pid, "subject", subject_facet(subject or thread)))
        return out


ANALYSER = PrintedEmail()

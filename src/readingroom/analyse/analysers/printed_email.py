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
}
_FIELD = re.compile(
    r"^(?P<quote>(?:\s*>)*)\s*(?P<field>from|sent|date|to|cc|bcc|subject|subiect|importance"
    r"|attachments|sensitivity|signed by|mailed-by)\s*[:;]\s?(?P<value>.*)$",
    re.IGNORECASE,
)
_SEPARATOR = re.compile(
    r"^\s*(?:>\s*)*(?:-{3,}\s*(?:Original Message|Forwarded message|Forwarded by.*)\s*-{3,}"
    r"|_{10,}|Begin forwarded message:)\s*$",
    re.IGNORECASE,
)
_WROTE = re.compile(r"^\s*(?:>\s*)*On\s+(?P<date>.+?),?\s+(?P<who>[^,]+?)\s+wrote:\s*$")
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
#: Non-field lines tolerated inside a header block before it is considered over.
LOOKAHEAD = 3

_MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
        start=1,
    )
}


@dataclass
class Message:
    page: int
    page_end: int
    fields: dict[str, str] = field(default_factory=dict)
    body: list[str] = field(default_factory=list)
    quoted: bool = False
    labels: list[str] = field(default_factory=list)  # field names as printed

    @property
    def sender(self) -> str | None:
        return self.fields.get("from")

    @property
    def subject(self) -> str | None:
        return self.fields.get("subject")


def clean(value: str) -> str:
    return re.sub(r"\s+([;,])", r"\1", re.sub(r"\s+", " ", value)).strip()


def normalise_subject(subject: str | None) -> str:
    """Thread key: the subject without RE:/FW: prefixes, case and spacing."""
    return clean(_SUBJECT_PREFIX.sub("", subject or "")).lower()


def subject_facet(subject: str | None) -> str:
    """The `subject:` facet value: the subject as printed, without RE:/FW: prefixes."""
    return clean(_SUBJECT_PREFIX.sub("", subject or ""))


def normalise_date(raw: str | None) -> str | None:
    """ISO 8601 date or date-time (to the minute) from the forms printouts use."""
    if not raw:
        return None
    s = re.sub(r"(?<=\d)[Oo]|[Oo](?=\d)", "0", raw)
    s = re.sub(r"(?<=\d)[lI]|[lI](?=\d)", "1", s)
    s = re.sub(r"^\s*(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+", "", s.strip(), flags=re.I)
    s = s.replace(" at ", " ")
    y = mo = d = None
    if m := re.match(r"([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})", s):
        mo, d, y = _MONTHS.get(m[1][:3].lower()), int(m[2]), int(m[3])
    elif m := re.match(r"(\d{1,2})\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})", s):
        d, mo, y = int(m[1]), _MONTHS.get(m[2][:3].lower()), int(m[3])
    elif m := re.match(r"(\d{1,2})/(\d{1,2})/(\d{2,4})", s):
        mo, d, y = int(m[1]), int(m[2]), int(m[3])
        y = y + 2000 if y < 100 else y
    elif m := re.match(r"(\d{4})-(\d{2})-(\d{2})", s):
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
    if not (m and y and mo and d and 1 <= mo <= 12 and 1 <= d <= 31):
        return None
    date = f"{y:04d}-{mo:02d}-{d:02d}"
    rest = s[m.end() :]
    if t := re.search(r"(\d{1,2}):(\d{2})(?::\d{2})?\s*([AaPp]\.?[Mm]\.?)?", rest):
        h, mi = int(t[1]), int(t[2])
        if t[3]:
            pm = t[3][0].lower() == "p"
            h = (h % 12) + (12 if pm else 0)
        if h < 24 and mi < 60:
            return f"{date}T{h:02d}:{mi:02d}"
    return date


def _lines(doc: DocIn) -> list[tuple[int, str]]:
    """All lines with their page number, minus page-edge stamps and page numbers."""
    out: list[tuple[int, str]] = []
    for page in doc.pages:
        # Text layers often split "From:" and its value into separate blocks;
        # lines rebuilt from word positions put them back side by side.
        text = lines_from_words(page.words) if page.words else page.text
        lines = text.splitlines()
        keep = len(lines)
        # Trailing stamp / page-number lines belong to the page, not the message.
        while keep and (
            not lines[keep - 1].strip()
            or _PAGE_NO.match(lines[keep - 1])
            or (_is_stamp_line(lines[keep - 1]) and not _FIELD.match(lines[keep - 1]))
        ):
            keep -= 1
            if len(lines) - keep > 4:
                break
        out.extend((page.number, ln) for ln in lines[:keep])
    return out


def _is_stamp_line(line: str) -> bool:
    stamp = parse_stamp(line)
    return stamp is not None and line.rstrip().endswith(stamp.raw)


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
        if (w := _WROTE.match(line)) and normalise_date(w["date"]):
            msg = Message(
                page, page, {"from": clean(w["who"]), "sent": clean(w["date"])}, quoted=True
            )
            messages.append(msg)
            current = msg
            i += 1
            continue
        if current is not None and not _SEPARATOR.match(line):
            current.body.append(re.sub(r"^(\s*>)+\s?", "", line))
            current.page_end = page
        i += 1
    # Messages with no subject (quoted "wrote:" lines) belong to the thread above.
    last_subject = None
    for msg in messages:
        if msg.subject is None and last_subject is not None:
            msg.fields.setdefault("_thread", last_subject)
        last_subject = msg.subject or last_subject
    return messages


def _read_block(lines: list[tuple[int, str]], start: int) -> tuple[Message, int] | None:
    """Read a header block starting at a From line; None if it is not one."""
    fields: dict[str, str] = {}
    order: list[str] = []
    labels: list[str] = []
    quoted = False
    i = start
    last: str | None = None
    pending: list[str] = []
    end_page = lines[start][0]
    while i < len(lines):
        page, line = lines[i]
        f = _field(line)
        if f:
            key, value, q = f
            if key in fields and key != "other":
                break  # a second From: starts the next block
            if pending and last in ("to", "cc", "bcc", "from"):
                fields[last] += " " + " ".join(pending)
            pending = []
            quoted = quoted or q
            if key != "other":
                fields[key] = value
                order.append(key)
                labels.append(_label(line))
            last = key
            end_page = page
            i += 1
            continue
        # Not a field: a wrapped To/Cc list, or the end of the block.
        ahead = [ln for _, ln in lines[i : i + LOOKAHEAD + 1]]
        if (
            last in ("to", "cc", "bcc", "from")
            and line.strip()
            and any(_field(a) for a in ahead[1:])
            and "subject" not in fields
        ):
            pending.append(line.strip())
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
    )
    return msg, i


class PrintedEmail(BaseAnalyser):
    name = "emails"
    version = "2"
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
            thread = normalise_subject(msg.fields.get("_thread") if subject is None else subject)
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

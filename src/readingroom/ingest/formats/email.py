"""E-mail: RFC 822 messages, mbox mailboxes, Outlook .msg and .pst.

A message is one document whose page 1 starts with a readable header block;
attachments and forwarded messages become children, so each is searchable and
citable on its own and keeps its place under the message. Malformed mail is
normal in productions (hand-exported, re-encoded, truncated): every header and
body decoding step degrades to best-effort text plus a warning, never a failure.
"""

from __future__ import annotations

import contextlib
import email.utils
import mimetypes
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from pathlib import Path
from typing import Any, BinaryIO, ClassVar

from readingroom.errors import CorruptFile, EncryptedDocument, LimitExceeded, UnsupportedFormat
from readingroom.filetypes import extension
from readingroom.ingest.formats.text import (
    decode_text,
    html_to_text,
    looks_like_text,
    paged_extraction,
    paginate,
)
from readingroom.ingest.model import ChildFile, ExtractContext, Extraction

# Serialise sub-messages without refolding headers: the bytes should stay as
# close to the original as the stdlib allows.
_POLICY = policy.default.clone(max_line_length=None, raise_on_defect=False)

HEADER_FIELDS = (
    ("From", "from"),
    ("Sender", "sender"),
    ("To", "to"),
    ("Cc", "cc"),
    ("Bcc", "bcc"),
    ("Date", "date"),
    ("Subject", "subject"),
    ("Message-ID", "message_id"),
    ("In-Reply-To", "in_reply_to"),
    ("References", "references"),
)
_SHOWN = ("From", "To", "Cc", "Bcc", "Date", "Subject")
_HEADER_LINE = re.compile(rb"^([!-9;-~]+):[ \t]?")
_KNOWN_HEADERS = {
    b"from", b"to", b"cc", b"subject", b"date", b"message-id", b"received", b"return-path",
    b"mime-version", b"content-type", b"delivered-to", b"x-original-to", b"reply-to",
    b"sender", b"in-reply-to", b"references", b"authentication-results", b"x-mailer",
    b"content-transfer-encoding", b"thread-topic", b"thread-index", b"dkim-signature",
}  # fmt: skip
_FROM_LINE = re.compile(rb"^From \S*.*\d{1,2}:\d{2}(:\d{2})?.*\d{4}")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MSG_MARK = "__substg1.0_".encode("utf-16-le")
_PST_MAGIC = b"!BDN"


def header_score(head: bytes) -> int:
    """How many well-known RFC 822 headers open `head` (0 if it is not a header block)."""
    known = 0
    lines = head.split(b"\n", 60)[:60]
    for i, raw in enumerate(lines):
        line = raw.rstrip(b"\r")
        if not line:
            break
        if line[:1] in (b" ", b"\t"):
            continue  # folded continuation
        if i == 0 and line.startswith(b"From "):
            continue  # mbox separator in front of a single message
        m = _HEADER_LINE.match(line)
        if not m:
            return 0 if i == 0 else known
        known += m.group(1).lower() in _KNOWN_HEADERS
    return known


# --- header and body decoding -----------------------------------------------


def _header(msg: Message, name: str, warnings: list[str]) -> str | None:
    """One header as readable text; raw value if structured parsing fails."""
    try:
        values = msg.get_all(name)
    except Exception as e:  # the stdlib header parser has edge-case crashes
        warnings.append(f"header {name} could not be parsed ({type(e).__name__}); kept raw")
        values = [v for k, v in msg.raw_items() if k.lower() == name.lower()]
    if not values:
        return None
    raw = [v for k, v in msg.raw_items() if k.lower() == name.lower()]
    out: list[str] = []
    for i, value in enumerate(values):
        try:
            text = str(value)
        except Exception:
            text = "\ufffd"
        if "\ufffd" in text and i < len(raw):
            # The stdlib decodes encoded words strictly by the declared charset;
            # retry with supersets and guessing, as for bodies.
            text = _decode_raw_header(raw[i])
            if "\ufffd" in text:
                warnings.append(f"header {name} has undecodable bytes")
        out.append(" ".join(text.split()))
    return ", ".join(out)


def _decode_raw_header(value: Any) -> str:
    """Decode a raw header value: encoded words by charset, 8-bit bytes by guessing."""
    from email.header import decode_header

    value = str(value)
    if any("\udc80" <= c <= "\udcff" for c in value):
        # Undecodable 8-bit bytes survive parsing as surrogate escapes.
        value = decode_text(value.encode("ascii", "surrogateescape"))[0]
    try:
        parts = decode_header(value)
    except Exception:
        return value
    text = []
    for chunk, charset in parts:
        text.append(decode_text(chunk, charset)[0] if isinstance(chunk, bytes) else chunk)
    return "".join(text)


def normalise_date(value: str | None, warnings: list[str]) -> str | None:
    """An e-mail Date header as ISO 8601, or None with a warning if unparseable."""
    if not value:
        return None
    try:
        dt = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        dt = None
    if dt is None:
        warnings.append(f"unparseable Date header {value!r}; kept as text")
        return None
    return dt.isoformat()


def _part_text(part: Message, warnings: list[str]) -> str:
    """Decoded text of a leaf part, whatever its declared charset says."""
    try:
        payload = part.get_payload(decode=True)
    except Exception as e:
        warnings.append(f"undecodable {part.get_content_type()} part ({e}); kept raw")
        payload = str(part.get_payload()).encode("utf-8", "replace")
    if payload is None:
        return ""
    if not isinstance(payload, bytes):
        payload = str(payload).encode("utf-8", "replace")
    try:
        charset = part.get_content_charset()
    except Exception:
        charset = None
    text, _, w = decode_text(payload, charset)
    warnings.extend(w)
    return text


def _filename(part: Message) -> str | None:
    try:
        name = part.get_filename()
    except Exception:
        name = None
    if not name:
        # Apple Mail names inline parts only by Content-Location.
        location = str(part.get("Content-Location", "") or "").strip()
        name = location.rsplit("/", 1)[-1] or None
    if name:
        name = " ".join(str(name).split()) or None
    return name


def _is_attachment(part: Message) -> bool:
    try:
        disposition = part.get_content_disposition()
    except Exception:
        disposition = None
    try:
        named = bool(part.get_filename())
    except Exception:
        named = False
    return disposition == "attachment" or named


def _find_body(msg: Message) -> tuple[Message | None, str]:
    """The part to show as the body: text/plain preferred, else HTML."""
    for wanted in ("text/plain", "text/html"):
        # _leaf_parts does not descend into forwarded messages: their body is theirs.
        for part in _leaf_parts(msg):
            if part.get_content_type() == wanted and not _is_attachment(part):
                return part, wanted
    return None, ""


def _leaf_parts(msg: Message) -> Iterator[Message]:
    """Leaf parts in order; message/rfc822 parts are leaves (they become children)."""
    if msg.get_content_type() == "message/rfc822" or not msg.is_multipart():
        yield msg
        return
    payload = msg.get_payload()
    if isinstance(payload, list):
        for sub in payload:
            if isinstance(sub, Message):
                yield from _leaf_parts(sub)


def _is_alternative_of(part: Message, body: Message | None, msg: Message) -> bool:
    """True for the HTML twin of a plain body inside one multipart/alternative."""
    if body is None or part.get_content_maintype() != "text" or _is_attachment(part):
        return False
    for container in msg.walk():
        if container.get_content_type() == "multipart/alternative":
            subs = container.get_payload()
            if isinstance(subs, list) and body in subs and part in subs:
                return True
    return False


def _message_bytes(part: Message) -> bytes:
    inner = part.get_payload()
    if isinstance(inner, list) and inner:
        inner = inner[0]
    if isinstance(inner, Message):
        return inner.as_bytes(policy=_POLICY)
    data = part.get_payload(decode=True)
    return data if isinstance(data, bytes) else str(inner).encode("utf-8", "replace")


def header_block(fields: dict[str, str | None]) -> str:
    """The lines a reader expects on top of a printed e-mail."""
    return "\n".join(f"{k}: {v}" for k, v in fields.items() if v)


def parse_message(data: bytes) -> EmailMessage:
    msg = BytesParser(policy=_POLICY).parsebytes(data)
    assert isinstance(msg, EmailMessage)
    return msg


def extract_rfc822(data: bytes | EmailMessage, ctx: ExtractContext) -> Extraction:
    """Headers, body and children of one RFC 822 message (its bytes, or already parsed)."""
    warnings: list[str] = []
    msg = parse_message(data) if isinstance(data, bytes) else data
    del data
    for defect in msg.defects:
        warnings.append(f"malformed message: {type(defect).__name__}")
    meta: dict[str, Any] = {}
    for header, key in HEADER_FIELDS:
        if (value := _header(msg, header, warnings)) is not None:
            meta[key] = value
    date = normalise_date(meta.get("date"), warnings)

    body_part, body_type = _find_body(msg)
    body = ""
    if body_part is not None:
        body = _part_text(body_part, warnings)
        if body_type == "text/html":
            body = html_to_text(body)[0]
    extra_texts: list[str] = []
    children: list[ChildFile] = []
    n = forwarded = 0
    for part in _leaf_parts(msg):
        if part is body_part or (part is msg and not msg.is_multipart() and body_part is msg):
            continue
        ctype = part.get_content_type()
        if ctype == "message/rfc822":
            forwarded += 1
            blob = _message_bytes(part)
            name = _filename(part) or f"message-{forwarded:04d}.eml"
            children.append(_child(ctx, blob, name, "attachment", ctype))
            continue
        if part.get_content_maintype() == "multipart":
            lost = part.get_payload()
            if isinstance(lost, str) and lost.strip():
                # Its boundary never occurs, so the parser found no parts: keep
                # the raw body as text rather than drop it, and say so.
                warnings.append(
                    f"{ctype} part whose boundary {part.get_boundary()!r} never occurs; "
                    "its body is kept as plain text"
                )
                extra_texts.append(lost)
            continue  # a multipart container with no text of its own
        if _is_alternative_of(part, body_part, msg):
            continue
        if part.get_content_maintype() == "text" and not _is_attachment(part):
            # Further inline text (list footers, split bodies) stays in the body.
            text = _part_text(part, warnings)
            extra_texts.append(html_to_text(text)[0] if ctype == "text/html" else text)
            continue
        n += 1
        try:
            payload = part.get_payload(decode=True)
        except Exception as e:
            warnings.append(f"attachment {n} could not be decoded ({e}); stored raw")
            payload = None
        if not isinstance(payload, bytes):
            payload = str(part.get_payload()).encode("utf-8", "replace")
        ext = mimetypes.guess_extension(ctype) or ".bin"
        name = _filename(part) or f"attachment-{n:04d}{ext}"
        children.append(_child(ctx, payload, name, "attachment", ctype))
        # Stored: let go of both the encoded and the decoded copy now, not at the end.
        del payload
        part.set_payload("")

    body = "\n\n".join(t.strip("\n") for t in [body, *extra_texts] if t.strip())
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    return message_extraction(ctx, "message/rfc822", meta, body, children, date, warnings)


def message_extraction(
    ctx: ExtractContext,
    mime: str,
    meta: dict[str, Any],
    body: str,
    children: list[ChildFile],
    date: str | None,
    warnings: list[str],
) -> Extraction:
    """One message as pages: a header block a reader knows, the body, the attachments."""
    text = header_block({h: meta.get(h.lower()) for h in _SHOWN})
    if body.strip():
        text += "\n\n" + body.strip("\n")
    if children:
        text += "\n\nAttachments: " + ", ".join(c.name for c in children)
    ex = paged_extraction(
        paginate(text),
        ctx,
        doc_type="email",
        mime=mime,
        children=children,
        title=meta.get("subject"),
        date=date,
        metadata=meta,
    )
    ex.warnings[:0] = warnings
    return ex


def _child(ctx: ExtractContext, data: bytes, name: str, kind: Any, mime: str) -> ChildFile:
    sha, size = ctx.blobs.put_bytes(data)
    return ChildFile(name=name, sha256=sha, size=size, kind=kind, meta={"mime": mime})


class EmlExtractor:
    """RFC 822 messages (.eml, and header-led files whatever their name)."""

    name: ClassVar[str] = "eml"
    version: ClassVar[str] = "1"

    def match(self, name: str, head: bytes) -> int:
        if head.startswith((_OLE_MAGIC, _PST_MAGIC)) or not looks_like_text(head):
            return 0
        known = header_score(head)
        if known >= 3 or (known >= 1 and extension(name) in {".eml", ".mht", ".mhtml"}):
            return 70
        return 45 if extension(name) == ".eml" else 0

    def extract(self, ctx: ExtractContext) -> Extraction:
        # Parsed from the file, not from a bytes copy of it: memory is the
        # parsed message, not the message several times over.
        with open(ctx.path, "rb") as fh:
            if not fh.readline().startswith(b"From "):
                fh.seek(0)  # (a single message saved with its mbox separator skips it)
            msg = BytesParser(policy=_POLICY).parse(fh)
        assert isinstance(msg, EmailMessage)
        return extract_rfc822(msg, ctx)


# --- mbox -------------------------------------------------------------------


def iter_mbox(fh: BinaryIO) -> Iterator[tuple[bytes, bytes]]:
    """(From_ line, message bytes) for each message, reading line by line.

    A new message starts at a "From " line at the start of the file, or after
    a blank line when it looks like a real separator (has a time and a year),
    so an unquoted "From time to time" in a body does not split a message.
    """
    sep: bytes | None = None
    lines: list[bytes] = []
    prev_blank = True
    for line in fh:
        if line.startswith(b"From ") and (sep is None or (prev_blank and _FROM_LINE.match(line))):
            if sep is not None:
                yield sep, _strip_trailing_blank(lines)
            sep, lines = line.rstrip(b"\r\n"), []
        elif sep is None:
            if line.strip():
                raise CorruptFile("does not start with an mbox 'From ' line")
        else:
            lines.append(line)
        prev_blank = not line.strip()
    if sep is not None:
        yield sep, _strip_trailing_blank(lines)


def _strip_trailing_blank(lines: list[bytes]) -> bytes:
    # The blank line before the next separator belongs to the mbox format.
    if lines and not lines[-1].strip():
        lines = lines[:-1]
    return b"".join(lines)


class MboxExtractor:
    """Unix mailboxes: every message becomes a child "message-0001.eml"."""

    name: ClassVar[str] = "mbox"
    version: ClassVar[str] = "1"

    def match(self, name: str, head: bytes) -> int:
        ext = extension(name) in {".mbox", ".mbx", ".mbs"}
        if head.startswith(b"From ") and header_score(head.split(b"\n", 1)[-1]) >= 1:
            return 80
        return 40 if ext and looks_like_text(head) else 0

    def extract(self, ctx: ExtractContext) -> Extraction:
        ex = Extraction(doc_type="mailbox", mime="application/mbox", page_count=0)
        count = 0
        with open(ctx.path, "rb") as fh:
            try:
                for sep, data in iter_mbox(fh):
                    count += 1
                    if count > ctx.limits.max_members:
                        continue
                    name = f"message-{count:04d}.eml"
                    child = _child(ctx, data, name, "message", "message/rfc822")
                    child.meta["from_line"] = sep.decode("utf-8", "replace")
                    ex.children.append(child)
            except CorruptFile as e:
                raise CorruptFile(f"{ctx.name}: {e}") from None
        if count > ctx.limits.max_members:
            msg = (
                f"{ctx.name}: {count} messages, more than the limit of "
                f"{ctx.limits.max_members}; the rest were not kept"
            )
            ex.part_errors.append((f"messages {ctx.limits.max_members + 1}-{count}", "limit", msg))
            ex.warnings.append(msg)
        ex.metadata["messages"] = count
        return ex


# --- Outlook .msg -------------------------------------------------------------


def _msg_attachment_name(att: Any, n: int) -> str:
    for attr in ("longFilename", "shortFilename", "displayName", "name"):
        with contextlib.suppress(Exception):
            value = getattr(att, attr, None)
            if value:
                return str(value).strip("\x00 ")
    return f"attachment-{n:04d}.bin"


class MsgExtractor:
    """Outlook .msg files (OLE compound files with MAPI property streams)."""

    name: ClassVar[str] = "msg"
    version: ClassVar[str] = "1"

    def match(self, name: str, head: bytes) -> int:
        ole = head.startswith(_OLE_MAGIC)
        if ole and (extension(name) == ".msg" or _MSG_MARK in head):
            return 90
        if ole and extension(name) in {".oft"}:
            return 90
        return 10 if extension(name) == ".msg" else 0

    def extract(self, ctx: ExtractContext) -> Extraction:
        import extract_msg
        from extract_msg import exceptions as mx

        warnings: list[str] = []
        try:
            msg = extract_msg.openMsg(str(ctx.path), strict=False, delayAttachments=False)
        except (mx.InvalidFileFormatError, OSError) as e:
            raise CorruptFile(f"{ctx.name}: not a readable Outlook .msg file: {e}") from e
        except mx.SecurityError as e:
            raise EncryptedDocument(f"{ctx.name}: protected Outlook message: {e}") from e
        except Exception as e:  # extract_msg raises many types on damaged files
            raise CorruptFile(
                f"{ctx.name}: damaged Outlook .msg file ({type(e).__name__}: {e})"
            ) from e
        try:
            return self._extract(msg, ctx, warnings)
        finally:
            with contextlib.suppress(Exception):
                msg.close()

    def _extract(self, msg: Any, ctx: ExtractContext, warnings: list[str]) -> Extraction:
        from extract_msg.enums import AttachmentType

        def get(attr: str) -> Any:
            try:
                return getattr(msg, attr, None)
            except Exception as e:
                warnings.append(f"{attr} could not be read ({type(e).__name__})")
                return None

        meta: dict[str, Any] = {}
        for key, attr in (
            ("from", "sender"), ("to", "to"), ("cc", "cc"), ("bcc", "bcc"),
            ("subject", "subject"), ("message_id", "messageId"), ("in_reply_to", "inReplyTo"),
        ):  # fmt: skip
            value = get(attr)
            if value:
                meta[key] = " ".join(str(value).split())
        date = None
        when = get("date")
        if isinstance(when, datetime):
            date = (when if when.tzinfo else when.replace(tzinfo=UTC)).isoformat()
            meta["date"] = date
        elif when:
            meta["date"] = str(when)
            date = normalise_date(str(when), warnings)
        meta["message_class"] = type(msg).__name__

        body = get("body") or ""
        if not str(body).strip():
            html = get("htmlBody")
            if html:
                body = html_to_text(html)[0]
        body = str(body).replace("\r\n", "\n").replace("\r", "\n")

        children: list[ChildFile] = []
        for n, att in enumerate(get("attachments") or [], start=1):
            name = _msg_attachment_name(att, n)
            try:
                data = att.data
                if att.type == AttachmentType.MSG or hasattr(data, "exportBytes"):
                    blob = data.exportBytes()
                    if not Path(name).suffix:
                        name += ".msg"
                elif isinstance(data, bytes):
                    blob = data
                elif data is None:
                    raise ValueError("no data")
                else:
                    blob = bytes(data)
            except Exception as e:
                err = f"{ctx.name}: attachment {name!r} could not be read ({type(e).__name__}: {e})"
                warnings.append(err)
                continue
            sha, size = ctx.blobs.put_bytes(blob)
            children.append(ChildFile(name=name, sha256=sha, size=size, kind="attachment"))

        return message_extraction(
            ctx, "application/vnd.ms-outlook", meta, body, children, date, warnings
        )


# --- Outlook .pst / .ost ------------------------------------------------------


def _b2s(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes):
        return decode_text(value.rstrip(b"\x00"))[0]
    return str(value)


def pst_message_to_eml(message: Any, warnings: list[str]) -> bytes:
    """Rebuild one PST message as RFC 822 bytes (a PST holds no original MIME).

    Transport headers are kept verbatim when present; the body prefers plain
    text, then HTML; attachments are added as MIME parts with their names.
    """
    from email.parser import HeaderParser

    out = EmailMessage(policy=policy.default)  # rebuilt, so standard folding is fine
    headers = _b2s(getattr(message, "transport_headers", None))
    if headers.strip():
        parsed = HeaderParser(policy=_POLICY).parsestr(headers)
        for key, value in parsed.raw_items():
            if key.lower().startswith(("content-", "mime-version")):
                continue
            out[key] = value
    else:
        if sender := _b2s(getattr(message, "sender_name", None)):
            out["From"] = sender
        if subject := _b2s(getattr(message, "subject", None)):
            out["Subject"] = subject
        when = getattr(message, "delivery_time", None) or getattr(
            message, "client_submit_time", None
        )
        if isinstance(when, datetime):
            out["Date"] = email.utils.format_datetime(
                when if when.tzinfo else when.replace(tzinfo=UTC)
            )
    plain = _b2s(getattr(message, "plain_text_body", None))
    html = _b2s(getattr(message, "html_body", None))
    if plain.strip():
        out.set_content(plain)
        if html.strip():
            out.add_alternative(html, subtype="html")
    elif html.strip():
        out.set_content(html, subtype="html")
    else:
        out.set_content("")
    count = getattr(message, "number_of_attachments", 0) or 0
    for i in range(count):
        try:
            att = message.get_attachment(i)
            size = att.get_size() or 0
            data = att.read_buffer(size) if size else b""
            name = _b2s(getattr(att, "long_filename", None)) or f"attachment-{i + 1:04d}.bin"
        except Exception as e:
            warnings.append(f"PST attachment {i + 1} could not be read ({type(e).__name__})")
            continue
        if not data and getattr(att, "number_of_sub_items", None):
            warnings.append(f"PST attachment {name!r} is an embedded item; not exported")
            continue
        ctype = mimetypes.guess_type(name)[0] or "application/octet-stream"
        maintype, subtype = ctype.split("/", 1)
        out.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return out.as_bytes()


class PstExtractor:
    """Outlook .pst/.ost via libpff: each folder's messages become .eml children."""

    name: ClassVar[str] = "pst"
    version: ClassVar[str] = "1"

    def match(self, name: str, head: bytes) -> int:
        if head.startswith(_PST_MAGIC):
            return 100
        return 40 if extension(name) in {".pst", ".ost"} else 0

    def extract(self, ctx: ExtractContext) -> Extraction:
        try:
            import pypff
        except ImportError:
            raise UnsupportedFormat(
                f"{ctx.name}: Outlook .pst/.ost needs libpff; install it with "
                "`pip install libpff-python`, or export the folders to .mbox/.msg in Outlook"
            ) from None
        if not ctx.path.read_bytes()[:4] == _PST_MAGIC:
            raise CorruptFile(f"{ctx.name}: not an Outlook data file (no !BDN signature)")
        pst = pypff.file()
        try:
            pst.open(str(ctx.path))
        except Exception as e:
            raise CorruptFile(f"{ctx.name}: damaged Outlook data file: {e}") from e
        ex = Extraction(doc_type="mailbox", mime="application/vnd.ms-outlook-pst", page_count=0)
        try:
            if getattr(pst, "encryption_type", None) not in (None, 0, "none"):
                ex.warnings.append(f"PST compressible encryption: {pst.encryption_type}")
            count = self._walk(pst.get_root_folder(), [], ctx, ex, 0)
        except LimitExceeded:
            raise
        except Exception as e:
            raise CorruptFile(f"{ctx.name}: damaged Outlook data file: {e}") from e
        finally:
            with contextlib.suppress(Exception):
                pst.close()
        ex.metadata["messages"] = count
        return ex

    def _walk(
        self, folder: Any, path: list[str], ctx: ExtractContext, ex: Extraction, count: int
    ) -> int:
        where = "/".join(path) or "(root)"
        for i in range(folder.get_number_of_sub_messages()):
            count += 1
            name = f"{where}/message-{count:04d}.eml"
            if count > ctx.limits.max_members:
                ex.part_errors.append(
                    (name, "limit", f"more than {ctx.limits.max_members} messages")
                )
                continue
            warnings: list[str] = []
            try:
                blob = pst_message_to_eml(folder.get_sub_message(i), warnings)
            except Exception as e:
                ex.part_errors.append((name, "corrupt", f"message could not be read: {e}"))
                continue
            ex.warnings.extend(f"{name}: {w}" for w in warnings)
            sha, size = ctx.blobs.put_bytes(blob)
            ex.children.append(
                ChildFile(name=name, sha256=sha, size=size, kind="message", meta={"folder": where})
            )
        for j in range(folder.get_number_of_sub_folders()):
            sub = folder.get_sub_folder(j)
            label = _b2s(getattr(sub, "name", None)) or f"folder-{j + 1}"
            count = self._walk(sub, [*path, label], ctx, ex, count)
        return count


EXTRACTORS = [EmlExtractor(), MboxExtractor(), MsgExtractor(), PstExtractor()]

"""E-mail extractors: .eml, mbox, Outlook .msg and .pst, on fixtures built here."""

from __future__ import annotations

import email.utils
from datetime import UTC, datetime
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default
from pathlib import Path
from types import SimpleNamespace

import pytest

from readingroom.errors import CorruptFile
from readingroom.ingest.formats.email import (
    EmlExtractor,
    MboxExtractor,
    MsgExtractor,
    PstExtractor,
    iter_mbox,
    pst_message_to_eml,
)
from readingroom.ingest.model import Limits
from readingroom.ingest.registry import choose

from .contexts import ctx_for

PDF_BYTES = b"%PDF-1.4\n% fake attachment bytes \x00\x01\x02\n%%EOF\n"


def build_message() -> bytes:
    forwarded = EmailMessage()
    forwarded["From"] = "Field Office Director <fod@example.gov>"
    forwarded["To"] = "hq@example.gov"
    forwarded["Subject"] = "Targets for week 12"
    forwarded.set_content("Collateral arrests: 14.\n")

    msg = EmailMessage()
    msg["From"] = "Ana Pérez <ana@example.gov>"
    msg["To"] = "Ops <ops@example.gov>, b@example.gov"
    msg["Cc"] = "c@example.gov"
    msg["Date"] = email.utils.format_datetime(datetime(2019, 3, 4, 15, 30, tzinfo=UTC))
    msg["Subject"] = "Re: Quotas for FY2019"
    msg["Message-ID"] = "<abc@example.gov>"
    msg["In-Reply-To"] = "<prev@example.gov>"
    msg.set_content("Please see the attached plan.\nThanks\n")
    msg.add_alternative("<p>Please see the <b>attached</b> plan.</p>", subtype="html")
    msg.add_attachment(PDF_BYTES, maintype="application", subtype="pdf", filename="plan.pdf")
    msg.add_attachment(forwarded)
    return msg.as_bytes()


def test_eml_headers_body_and_children(tmp_path: Path) -> None:
    ctx = ctx_for(tmp_path, "mail.eml", build_message())
    ex = EmlExtractor().extract(ctx)
    assert ex.doc_type == "email"
    assert ex.date == "2019-03-04T15:30:00+00:00"
    assert ex.title == "Re: Quotas for FY2019"
    meta = ex.metadata
    assert meta["from"] == "Ana Pérez <ana@example.gov>"
    assert meta["message_id"] == "<abc@example.gov>" and meta["in_reply_to"] == "<prev@example.gov>"
    text = ex.pages[0].text
    assert text.startswith("From: Ana Pérez <ana@example.gov>\nTo: Ops <ops@example.gov>")
    assert "Subject: Re: Quotas for FY2019" in text
    assert "Please see the attached plan." in text
    assert text.count("attached") == 1  # the HTML twin of the body is not repeated
    kinds = [(c.name, c.kind) for c in ex.children]
    assert kinds == [("plan.pdf", "attachment"), ("message-0001.eml", "attachment")]
    pdf = ex.children[0]
    assert ctx.blobs.path(pdf.sha256).read_bytes() == PDF_BYTES and pdf.size == len(PDF_BYTES)
    inner = BytesParser(policy=default).parsebytes(
        ctx.blobs.path(ex.children[1].sha256).read_bytes()
    )
    assert inner["Subject"] == "Targets for week 12"
    # The forwarded message's body is its own, not the parent's.
    assert "Collateral" not in text


def test_html_only_body_becomes_text(tmp_path: Path) -> None:
    msg = EmailMessage()
    msg["Subject"] = "html"
    msg["From"] = "a@b.c"
    msg.set_content(
        "<html><body><p>Hello <i>world</i></p><script>x()</script></body></html>", subtype="html"
    )
    ex = EmlExtractor().extract(ctx_for(tmp_path, "h.eml", msg.as_bytes()))
    assert ex.pages[0].text.endswith("Hello world")
    assert "<" not in ex.pages[0].text


def test_malformed_mail_yields_text_and_warnings(tmp_path: Path) -> None:
    raw = (
        b"From: =?bogus-charset?Q?Jos=E9?= <j@example.com>\r\n"
        b"Date: Tue, 06 Jun 2017 27:39:33 +0600\r\n"
        b"Subject: caf\xe9 \x93memo\x94\r\n"
        b'Content-Type: multipart/mixed; boundary="XX"\r\n'
        b"\r\n"
        b"--XX\r\nContent-Type: text/plain; charset=klingon\r\n\r\n"
        b"body in cp1252: na\xefve\r\n"
        b"--XX\r\nContent-Type: application/octet-stream\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\n"
        b"!!!not base64!!!\r\n"
    )  # no closing boundary
    ex = EmlExtractor().extract(ctx_for(tmp_path, "bad.eml", raw))
    assert ex.date is None
    assert any("Date" in w for w in ex.warnings)
    assert any("charset" in w for w in ex.warnings)
    assert "naïve" in ex.pages[0].text
    assert ex.title == "café “memo”"
    assert len(ex.children) == 1  # the broken attachment is still kept


def test_header_led_files_are_found_as_mail_whatever_their_name() -> None:
    head = b"Return-Path: <a@b>\nReceived: from x\nFrom: a@b\nSubject: s\n\nbody"
    assert choose("mail_test_1", head).name == "eml"
    assert choose("msg_02.txt", head).name == "eml"
    # A text that merely mentions headers later is still text.
    assert choose("notes.txt", b"Meeting notes\nFrom: a@b\n").name == "text"


def mbox_bytes() -> bytes:
    parts = []
    for i in range(1, 4):
        msg = EmailMessage()
        msg["From"] = f"sender{i}@example.gov"
        msg["Subject"] = f"Message {i}"
        msg.set_content(f"Body {i}\n\nFrom time to time we meet.\n")
        parts.append(b"From sender@example.gov Mon Mar  4 15:30:00 2019\n" + msg.as_bytes() + b"\n")
    return b"".join(parts)


def test_mbox_messages_become_children(tmp_path: Path) -> None:
    ctx = ctx_for(tmp_path, "box.mbox", mbox_bytes())
    assert choose("export", mbox_bytes()[:8192]).name == "mbox"
    ex = MboxExtractor().extract(ctx)
    assert ex.doc_type == "mailbox" and ex.page_count == 0
    assert [c.name for c in ex.children] == [f"message-000{i}.eml" for i in (1, 2, 3)]
    assert {c.kind for c in ex.children} == {"message"}
    for i, child in enumerate(ex.children, start=1):
        msg = BytesParser(policy=default).parsebytes(ctx.blobs.path(child.sha256).read_bytes())
        assert msg["Subject"] == f"Message {i}"
        assert "From time to time" in msg.get_content()


def test_mbox_member_limit_is_recorded(tmp_path: Path) -> None:
    ctx = ctx_for(tmp_path, "box.mbox", mbox_bytes(), limits=Limits(max_members=2))
    ex = MboxExtractor().extract(ctx)
    assert len(ex.children) == 2
    assert ex.part_errors == [(ex.part_errors[0][0], "limit", ex.part_errors[0][2])]


def test_mbox_scanner_rejects_non_mbox() -> None:
    import io

    with pytest.raises(CorruptFile):
        list(iter_mbox(io.BytesIO(b"hello\nworld\n")))


def test_msg_match_and_corrupt_file(tmp_path: Path) -> None:
    ole = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 500
        + "__substg1.0_0037001F".encode("utf-16-le")
    )
    assert MsgExtractor().match("no-extension", ole) >= 90
    assert choose("no-extension", ole).name == "msg"
    with pytest.raises(CorruptFile, match=r"broken\.msg"):
        MsgExtractor().extract(ctx_for(tmp_path, "broken.msg", b"not an OLE file at all"))


def test_pst_signature_and_damaged_file(tmp_path: Path) -> None:
    data = b"!BDN" + b"\x00" * 600
    assert choose("export.bin", data).name == "pst"
    with pytest.raises(CorruptFile, match=r"backup\.pst"):
        PstExtractor().extract(ctx_for(tmp_path, "backup.pst", data))


def test_pst_message_rebuilt_as_rfc822() -> None:
    class Att:
        long_filename = "memo.docx"
        number_of_sub_items = 0

        def get_size(self) -> int:
            return 5

        def read_buffer(self, n: int) -> bytes:
            return b"PK\x03\x04x"[:n]

    message = SimpleNamespace(
        transport_headers=b"From: a@example.gov\r\nTo: b@example.gov\r\nSubject: Quotas\r\n"
        b"Content-Type: text/plain\r\n\r\n",
        plain_text_body=b"Numbers attached.\x00",
        html_body=None,
        number_of_attachments=1,
        get_attachment=lambda i: Att(),
    )
    warnings: list[str] = []
    rebuilt = BytesParser(policy=default).parsebytes(pst_message_to_eml(message, warnings))
    assert rebuilt["Subject"] == "Quotas" and rebuilt["From"] == "a@example.gov"
    assert rebuilt.get_body(("plain",)).get_content().strip() == "Numbers attached."
    (att,) = list(rebuilt.iter_attachments())
    assert att.get_filename() == "memo.docx" and att.get_content() == b"PK\x03\x04x"
    assert warnings == []

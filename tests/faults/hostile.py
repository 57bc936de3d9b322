"""Hostile and unlucky inputs, each made in code: the fault-injection suite's fixtures.

In the spirit of OCRmyPDF's test plugins: every fault the ingest must
survive is built here, small and deterministic, so the tests
(`tests/faults/`) and the memory benchmark (`bench/bench_faults.py`) use
the same inputs. Each maker writes into a folder and returns the path it made.
"""

from __future__ import annotations

import io
import os
import tarfile
from pathlib import Path

import pymupdf
from PIL import Image

MEMO = "MEMORANDUM for field office directors: arrest targets and collateral arrests.\n"


def _pdf_objects(objects: list[bytes], *, root: int = 1, extra_trailer: bytes = b"") -> bytes:
    """A PDF from numbered object bodies (1-based), with a correct xref table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(
        b"trailer\n<< /Size %d /Root %d 0 R " % (len(objects) + 1, root)
        + extra_trailer
        + b">>\nstartxref\n%d\n%%%%EOF\n" % xref
    )
    return out.getvalue()


def _content(text: str) -> bytes:
    stream = b"BT /F1 12 Tf 72 720 Td (" + text.encode("latin-1") + b") Tj ET"
    return b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"


FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def non_utf8_name(folder: Path) -> Path:
    """A file whose name is not valid UTF-8 (Latin-1 bytes, as old Windows shares make)."""
    path = Path(os.fsdecode(bytes(folder) + b"/m\xe9mo-\xff-2019.txt"))
    path.write_text("Memo under a Latin-1 name: " + MEMO)
    return path


def tar_with_non_utf8_member(folder: Path) -> Path:
    """A tar whose member name is not UTF-8, beside an ordinary member."""
    path = folder / "production.tar"
    with tarfile.open(path, "w", format=tarfile.GNU_FORMAT, encoding="utf-8") as tf:
        for raw_name, text in (
            (b"r\xe9ponse-\xfe.txt", "Reponse: " + MEMO),
            (b"ordinary.txt", "Ordinary member: " + MEMO),
        ):
            data = text.encode()
            info = tarfile.TarInfo(raw_name.decode("utf-8", "surrogateescape"))
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    return path


def fifo(folder: Path) -> Path:
    """A named pipe in the input: opening it to read would block forever."""
    path = folder / "pipe.txt"
    os.mkfifo(path)
    return path


def symlink_outside(folder: Path, outside: Path) -> Path:
    """A symlink in the input to a file outside it (think /etc/passwd)."""
    outside.mkdir(parents=True, exist_ok=True)
    secret = outside / "secret.txt"
    secret.write_text("root:x:0:0:a file outside the input that must not be ingested\n")
    link = folder / "passwd.txt"
    link.symlink_to(secret)
    return link


def symlinked_folder(folder: Path) -> Path:
    """A symlink to a folder inside the input (followed) and a loop back to the input."""
    real = folder / "batches" / "2019"
    real.mkdir(parents=True)
    (real / "batch-memo.txt").write_text("Batch memo: " + MEMO)
    link = folder / "current"
    link.symlink_to(real, target_is_directory=True)
    (folder / "loop").symlink_to(folder, target_is_directory=True)
    return link


def unreadable_folder(folder: Path) -> Path:
    """A subfolder that cannot be listed (mode 000); the caller must not be root."""
    sub = folder / "sealed"
    sub.mkdir()
    (sub / "inside.txt").write_text("never seen: " + MEMO)
    sub.chmod(0)
    return sub


def blank_pdf(folder: Path, pages: int = 2000) -> Path:
    """A long blank scan: every page needs OCR and finds nothing."""
    path = folder / "blank-2000.pdf"
    doc = pymupdf.open()
    for _ in range(pages):
        doc.new_page(width=612, height=792)
    doc.save(path, garbage=3, deflate=True)
    doc.close()
    return path


def huge_png(folder: Path, side: int = 13_000) -> Path:
    """A small file that decodes to a huge page: 13,000 x 13,000 pixels in about 0.5 MB."""
    path = folder / "huge.png"
    img = Image.new("L", (side, side), 255)
    img.paste(0, (side // 4, side // 4, side // 4 + 2000, side // 4 + 300))
    img.save(path, optimize=True)
    return path


def ten_million_pages(folder: Path) -> Path:
    """A PDF whose page tree claims 10,000,000 pages and holds one."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 10000000 >>",
        (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> >>"
        ),
        _content("One real page among ten million claimed."),
        FONT,
    ]
    path = folder / "ten-million.pdf"
    path.write_bytes(_pdf_objects(objects))
    return path


def page_tree_cycle(folder: Path) -> Path:
    """A PDF whose page tree contains itself: a naive walk never ends."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 2 >>",
        (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> >>"
        ),
        _content("A page in a cyclic tree."),
        FONT,
    ]
    path = folder / "cycle.pdf"
    path.write_bytes(_pdf_objects(objects))
    return path


def stack_overflow_page(folder: Path) -> Path:
    """A PDF whose first page's content nests arrays 100,000 deep (MuPDF's stack
    overflows) and whose second page is fine."""
    deep = b"[" * 100_000 + b" ] TJ"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R 6 0 R] /Count 2 >>",
        (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> >>"
        ),
        b"<< /Length %d >>\nstream\n" % len(deep) + deep + b"\nendstream",
        FONT,
        (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 7 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> >>"
        ),
        _content("The second page reads fine."),
    ]
    path = folder / "stack-overflow.pdf"
    path.write_bytes(_pdf_objects(objects))
    return path


def attachment_only_encrypted(folder: Path) -> Path:
    """A PDF whose pages are plain and whose only encrypted part is an attachment.

    Security handler revision 4 with Identity filters for streams and
    strings and a real crypt filter only for embedded files (/EFF), as
    Acrobat's "encrypt only file attachments" writes; the user password is
    needed for the attachment alone.
    """
    attachment = b"\x8a\x1f" * 40  # ciphertext to anyone without the password
    ef = b"<< /Type /EmbeddedFile /Length %d >>\nstream\n" % len(attachment)
    ef += attachment + b"\nendstream"
    encrypt = (
        b"<< /Filter /Standard /V 4 /R 4 /Length 128"
        b" /CF << /StdCF << /CFM /AESV2 /AuthEvent /EFOpen /Length 16 >> >>"
        b" /StmF /Identity /StrF /Identity /EFF /StdCF"
        b" /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> /P -4 >>"
    )
    objects = [
        (
            b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names"
            b" [(secret.docx) 6 0 R] >> >> >>"
        ),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> >>"
        ),
        _content("The pages of this PDF are not encrypted at all."),
        FONT,
        b"<< /Type /Filespec /F (secret.docx) /EF << /F 7 0 R >> >>",
        ef,
        encrypt,
    ]
    path = folder / "attachment-encrypted.pdf"
    path.write_bytes(
        _pdf_objects(
            objects,
            extra_trailer=b"/Encrypt 8 0 R /ID [<" + b"ab" * 16 + b"> <" + b"ab" * 16 + b">] ",
        )
    )
    return path


def text_named_binary(folder: Path) -> list[Path]:
    """Readable text saved as .jpg and as .pdf (a mislabelled export)."""
    jpg = folder / "scan-001.jpg"
    jpg.write_text("This is not a scan but plain text: " + MEMO)
    pdf = folder / "report.pdf"
    pdf.write_text("Plain text saved with a .pdf name: " + MEMO)
    return [jpg, pdf]


def mime_boundary_never_occurs(folder: Path) -> Path:
    """A multipart e-mail whose declared boundary is never in the body."""
    path = folder / "lost-boundary.eml"
    path.write_bytes(
        b"From: Field Office <fo@example.gov>\r\n"
        b"To: HQ <hq@example.gov>\r\n"
        b"Subject: Weekly arrest numbers\r\n"
        b"Date: Tue, 14 May 2019 09:30:00 -0400\r\n"
        b"MIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="=_never_used_"\r\n'
        b"\r\n"
        b"--=_some_other_boundary\r\n"
        b"Content-Type: text/plain\r\n\r\n"
        b"Collateral arrests this week: 41. The quota is 75 per office.\r\n"
        b"--=_some_other_boundary--\r\n"
    )
    return path


def zip_with_members(folder: Path, n: int = 5, size: int = 200_000) -> Path:
    """A zip of incompressible members: fills a small disk partway through unpacking."""
    import random
    import zipfile

    rng = random.Random(8)
    path = folder / "members.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        for i in range(n):
            zf.writestr(f"member-{i}.bin", rng.randbytes(size))
        zf.writestr("member-note.txt", "Note: " + MEMO)
    return path


def ordinary_files(folder: Path, n: int = 3) -> list[Path]:
    """The rest of the batch: files that must be ingested whatever their neighbours do."""
    made = []
    for i in range(1, n + 1):
        p = folder / f"ordinary-{i}.txt"
        p.write_text(f"Ordinary memo {i}: " + MEMO)
        made.append(p)
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    page.insert_text((72, 100), "Ordinary PDF memo about the quota.", fontsize=12)
    pdf = folder / "ordinary.pdf"
    doc.save(pdf)
    doc.close()
    made.append(pdf)
    return made

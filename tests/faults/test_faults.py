"""Ingest under faults: each hostile input made in code, run through the real command.

Each test asserts the error record (kind, and that it names the file), the
exit status, and that the rest of the batch is ingested. Peak memory per
hostile input is measured in bench/bench_faults.py, not here.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from readingroom.errors import ExitCode
from readingroom.ingest.pipeline import IngestOptions, ingest, ingest_lock
from readingroom.investigation import Investigation
from tests.faults import hostile
from tests.faults.conftest import errors_of, run_cli


def _db(inv: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(inv / "readingroom.db")
    conn.row_factory = sqlite3.Row
    return conn


def _counts(inv: Path) -> tuple[int, int, int, int]:
    with _db(inv) as c:
        return tuple(  # type: ignore[return-value]
            c.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("documents", "locations", "errors", "pages")
        )


def test_one_batch_of_hostile_inputs_ends_with_a_record_for_each(
    tmp_path: Path, fresh: Path
) -> None:
    d = tmp_path / "in"
    d.mkdir()
    latin = hostile.non_utf8_name(d)
    hostile.tar_with_non_utf8_member(d)
    pipe = hostile.fifo(d)
    hostile.symlink_outside(d, tmp_path / "outside")
    hostile.symlinked_folder(d)
    hostile.ten_million_pages(d)
    hostile.page_tree_cycle(d)
    hostile.attachment_only_encrypted(d)
    hostile.text_named_binary(d)
    hostile.mime_boundary_never_occurs(d)
    hostile.stack_overflow_page(d)
    ordinary = hostile.ordinary_files(d)

    # Something keeps trying to write into the pipe: it must never find a reader.
    opened: list[bool] = []
    stop = threading.Event()

    def writer() -> None:
        while not stop.is_set():
            try:
                fd = os.open(pipe, os.O_WRONLY | os.O_NONBLOCK)
            except OSError:  # ENXIO: no reader
                time.sleep(0.01)
                continue
            opened.append(True)
            os.close(fd)

    t = threading.Thread(target=writer, daemon=True)
    t.start()
    try:
        done = run_cli("ingest", d, "--dir", fresh, "--ocr", "never", "--workers", "2", "--json")
    finally:
        stop.set()
        t.join()
    assert done.returncode == ExitCode.some_files_failed, done.stderr
    assert "Traceback" not in done.stderr
    assert not opened, "the named pipe was opened for reading"
    report = json.loads(done.stdout)

    by_name = {
        Path(e["path"].split("!")[0]).name: e for e in errors_of(fresh) if e["stage"] == "extract"
    }
    assert by_name["pipe.txt"]["kind"] == "unsupported"
    assert "named pipe" in by_name["pipe.txt"]["message"]
    assert by_name["passwd.txt"]["kind"] == "skipped"
    assert "outside" in by_name["passwd.txt"]["message"]
    assert by_name["ten-million.pdf"]["kind"] == "limit"
    assert by_name["cycle.pdf"]["kind"] == "corrupt"
    assert "cycle in page tree" in by_name["cycle.pdf"]["message"]
    assert by_name["attachment-encrypted.pdf"]["kind"] == "encrypted"
    assert "attachment" in by_name["attachment-encrypted.pdf"]["message"]
    assert by_name["stack-overflow.pdf"]["kind"] == "corrupt"
    assert by_name["stack-overflow.pdf"]["path"].endswith("stack-overflow.pdf!page 1")
    assert not any(e["kind"] == "crash" for e in by_name.values())
    assert {"scan-001.jpg", "report.pdf", "lost-boundary.eml"}.isdisjoint(by_name)

    with _db(fresh) as c:
        docs = {r["name"]: dict(r) for r in c.execute("SELECT * FROM documents")}
        text_of = {
            r["name"]: r["text"]
            for r in c.execute(
                "SELECT d.name, group_concat(p.text, ' ') AS text FROM documents d"
                " JOIN pages p ON p.document_id = d.id GROUP BY d.id"
            )
        }
        locations = [dict(r) for r in c.execute("SELECT path, raw_path FROM locations")]
    # The rest of the batch is in.
    for f in ordinary:
        assert docs[f.name]["status"] == "done"
    assert docs["batch-memo.txt"]["status"] == "done"  # through the symlinked folder
    # Names that are not UTF-8: stored escaped, their bytes kept exactly.
    assert docs["m\\xe9mo-\\xff-2019.txt"]["status"] == "done"
    raw = {bytes(r["raw_path"]) for r in locations if r["raw_path"] is not None}
    assert os.fsencode(str(latin.resolve())) in raw
    assert b"r\xe9ponse-\xfe.txt" in raw  # the tar member
    assert "Reponse: MEMORANDUM" in text_of["r\\xe9ponse-\\xfe.txt"]
    # Content wins over the extension; pages of a PDF whose attachment alone is encrypted.
    assert docs["scan-001.jpg"]["doc_type"] == "text"
    assert docs["report.pdf"]["doc_type"] == "text"
    assert "not encrypted at all" in text_of["attachment-encrypted.pdf"]
    assert "A page in a cyclic tree" in text_of["cycle.pdf"]
    assert "The second page reads fine" in text_of["stack-overflow.pdf"]
    assert "stack overflow" in docs["stack-overflow.pdf"]["metadata"]  # a warning too
    # The part whose boundary never occurs is kept, and the document says so.
    assert "Collateral arrests this week: 41" in text_of["lost-boundary.eml"]
    assert "never occurs" in docs["lost-boundary.eml"]["metadata"]
    # The file outside the input was not read.
    assert not any("root:x" in (t or "") for t in text_of.values())
    assert report["errors"] and all(e["path"] for e in report["errors"])

    # A second run adds nothing: not a document, a location, an error or a page.
    before = _counts(fresh)
    again = run_cli("ingest", d, "--dir", fresh, "--ocr", "never", "--json")
    assert again.returncode == ExitCode.some_files_failed  # the pipe is still there
    assert _counts(fresh) == before
    assert json.loads(again.stdout)["documents"] == 0

    # Control characters in names are escaped when printed.
    listing = run_cli("errors", "--dir", fresh)
    assert "\x1b" not in listing.stdout


def test_control_characters_in_a_name_are_escaped_when_printed(tmp_path: Path, fresh: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    os.mkfifo(d / "evil\x1b[2J\rname.txt")
    done = run_cli("ingest", d, "--dir", fresh, "--ocr", "never")
    assert done.returncode == ExitCode.some_files_failed
    listing = run_cli("errors", "--dir", fresh)
    assert "\x1b" not in listing.stdout and "\\x1b[2J\\rname.txt" in listing.stdout


def test_a_long_blank_scan_stops_at_the_files_budget_and_the_batch_goes_on(
    tmp_path: Path, fresh: Path
) -> None:
    d = tmp_path / "in"
    d.mkdir()
    hostile.blank_pdf(d, 2000)
    ordinary = hostile.ordinary_files(d, 2)
    started = time.monotonic()
    done = run_cli("ingest", d, "--dir", fresh, "--timeout", "8", "--workers", "2",
                   "--no-analyse", "--json", timeout=240)  # fmt: skip
    took = time.monotonic() - started
    assert done.returncode == ExitCode.some_files_failed, done.stderr
    [error] = errors_of(fresh)
    assert error["kind"] == "timeout" and error["path"].endswith("blank-2000.pdf")
    assert "of 2000 pages read" in error["message"]
    with _db(fresh) as c:
        status = dict(c.execute("SELECT name, status FROM documents").fetchall())
        blank_pages = c.execute(
            "SELECT count(*) FROM pages p JOIN documents d ON d.id = p.document_id"
            " WHERE d.name = 'blank-2000.pdf'"
        ).fetchone()[0]
    assert status["blank-2000.pdf"] == "failed"
    assert 0 < blank_pages < 2000  # what was read in the budget is kept
    assert all(status[f.name] == "done" for f in ordinary)
    assert took < 200, "the run did not stop near the file's budget"


@pytest.fixture
def small_disk(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A 3 MB tmpfs: a real full disk (needs root, as in CI; skipped otherwise)."""
    mnt = tmp_path / "disk"
    mnt.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small filesystem needs root")
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mnt)], capture_output=True
    )
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.decode().strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def test_a_full_disk_stops_the_run_cleanly_and_a_rerun_completes_every_member(
    tmp_path: Path, small_disk: Path
) -> None:
    d = tmp_path / "in"
    d.mkdir()
    hostile.zip_with_members(d, n=12, size=200_000)  # 2.4 MB: fits once, not twice
    ordinary = hostile.ordinary_files(d, 3)
    inv = small_disk / "inv"
    assert run_cli("init", inv).returncode == 0
    done = run_cli("ingest", d, "--dir", inv, "--ocr", "never", "--no-analyse")
    assert done.returncode == ExitCode.run_failed, done.stderr
    assert "is full" in done.stderr and str(small_disk) in done.stderr
    assert "Traceback" not in done.stderr
    assert not list((inv / "blobs").glob(".incoming-*"))  # no partial copy left
    kinds = {e["kind"] for e in errors_of(inv)}
    assert "corrupt" not in kinds and "unreadable" not in kinds  # nothing blamed on a file

    subprocess.run(["mount", "-o", "remount,size=64m", str(small_disk)], check=True)
    again = run_cli("ingest", d, "--dir", inv, "--ocr", "never", "--no-analyse", "--json")
    assert again.returncode == 0, again.stderr
    assert errors_of(inv) == []
    with _db(inv) as c:
        names = {r[0] for r in c.execute("SELECT name FROM documents WHERE status = 'done'")}
        pending = c.execute("SELECT count(*) FROM documents WHERE status != 'done'").fetchone()[0]
    assert {f"member-{i}.bin" for i in range(12)} <= names
    assert {f.name for f in ordinary} <= names and pending == 0


def _ingest_as_nobody(inv: Path, folder: Path, out: Path) -> None:
    """Root reads every folder: drop to an ordinary user in a forked child to test one
    that cannot be read (everything it needs is imported before the fork)."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 1
        try:
            os.setgid(65534)
            os.setuid(65534)
            opened = Investigation.open(inv)
            with ThreadPoolExecutor(1) as pool:  # no new processes: no imports after setuid
                rep = ingest(opened, [folder], IngestOptions(ocr="never"), executor=pool)
            out.write_text(json.dumps(rep.errors))
            code = 0
        except BaseException:
            import traceback

            out.with_suffix(".err").write_text(traceback.format_exc())
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    err = out.with_suffix(".err")
    assert os.waitstatus_to_exitcode(status) == 0, err.read_text() if err.exists() else ""


def test_an_unreadable_folder_gets_a_record_and_its_neighbours_are_ingested(
    tmp_path: Path,
) -> None:
    root = os.geteuid() == 0
    # Root may read any folder: the ingest runs as an ordinary user, in a folder it can reach.
    base = Path(tempfile.mkdtemp(prefix="rr-faults-")) if root else tmp_path
    base.chmod(0o777)
    d = base / "in"
    d.mkdir()
    sealed = hostile.unreadable_folder(d)
    ordinary = hostile.ordinary_files(d, 2)
    inv = Investigation.create(base / "inv")
    try:
        if root:
            import readingroom.ingest.registry as registry

            registry.extractors()
            for p in (d, *ordinary, inv.root, *inv.root.rglob("*")):
                p.chmod(0o777 if p.is_dir() else 0o666)
            inv.close()
            out = base / "errors.json"
            _ingest_as_nobody(inv.root, d, out)
            errors = json.loads(out.read_text())
        else:
            errors = ingest(inv, [d], IngestOptions(ocr="never", workers=1)).errors
        [e] = errors
        assert e["kind"] == "unreadable" and e["path"] == str(sealed)
        assert "folder cannot be read" in e["message"]
        reopened = Investigation.open(inv.root)
        status = dict(reopened.db.execute("SELECT name, status FROM documents").fetchall())
        reopened.close()
        assert all(status[f.name] == "done" for f in ordinary)
    finally:
        sealed.chmod(0o755)
        if root:
            shutil.rmtree(base, ignore_errors=True)


def test_a_second_ingest_is_refused_while_one_runs(tmp_path: Path, fresh: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    hostile.ordinary_files(d, 1)
    inv = Investigation.open(fresh)
    with ingest_lock(inv):
        done = run_cli("ingest", d, "--dir", fresh, "--ocr", "never")
    inv.close()
    assert done.returncode == ExitCode.busy
    assert "another ingest is running" in done.stderr and f"pid {os.getpid()}" in done.stderr
    assert _counts(fresh)[0] == 0  # it did nothing
    # A holder killed with -9 leaves no stale lock behind.
    holder = subprocess.Popen(
        [sys.executable, "-c",
         ("import sys, time\nfrom readingroom.investigation import Investigation\n"
         "from readingroom.ingest.pipeline import ingest_lock\n"
         f"with ingest_lock(Investigation.open({str(fresh)!r})):\n"
         "    print('held', flush=True); time.sleep(60)")],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    holder.kill()
    holder.wait()
    done = run_cli("ingest", d, "--dir", fresh, "--ocr", "never", "--no-analyse")
    assert done.returncode == 0, done.stderr


def test_errors_are_cleared_when_their_file_is_ingested(tmp_path: Path, inv: Investigation) -> None:
    d = tmp_path / "in"
    d.mkdir()
    target = tmp_path / "in" / "later.txt"
    (d / "link.txt").symlink_to(target)  # broken until the file arrives
    first = ingest(inv, [d], IngestOptions(ocr="never", workers=1))
    assert [e["kind"] for e in first.errors] == ["unreadable"]
    target.write_text("Arrived later: " + hostile.MEMO)
    second = ingest(inv, [d], IngestOptions(ocr="never", workers=1))
    assert second.errors == []
    assert inv.db.execute("SELECT count(*) FROM errors").fetchone()[0] == 0


def test_stale_partial_copies_are_swept_and_copies_are_capped(
    tmp_path: Path, inv: Investigation
) -> None:
    stale = inv.blobs.root / ".incoming-killed"
    stale.write_bytes(b"half a file")
    d = tmp_path / "in"
    d.mkdir()
    (d / "big.txt").write_text("x" * 5000)
    (d / "small.txt").write_text("small memo")
    opts = IngestOptions(ocr="never", workers=1)
    opts.limits.max_file_bytes = 1000
    report = ingest(inv, [d], opts)
    assert not stale.exists()
    [e] = report.errors
    assert e["kind"] == "limit" and e["path"].endswith("big.txt")
    assert not list(inv.blobs.root.glob(".incoming-*"))


def test_a_bug_exits_5_with_a_request_to_report_it_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import readingroom.cli as cli

    def broken() -> object:
        raise KeyError("an unexpected bug")

    monkeypatch.setattr(cli, "build_app", broken)
    with pytest.raises(SystemExit) as stopped:
        cli.main()
    assert stopped.value.code == ExitCode.run_failed != ExitCode.some_files_failed
    said = capsys.readouterr().err
    assert "crashed" in said and "please report it" in said and "Traceback" not in said


def test_readers_after_ingest_open_the_pages_of_an_attachment_only_encrypted_pdf(
    tmp_path: Path,
) -> None:
    from readingroom.ingest.formats.pdf import open_pages

    pdf = hostile.attachment_only_encrypted(tmp_path)
    with open_pages(pdf) as doc:
        assert "not encrypted at all" in doc[0].get_text()


def test_analysers_read_what_ingest_read_of_damaged_or_partly_encrypted_pdfs(
    tmp_path: Path, inv: Investigation
) -> None:
    """No `analyser` record where ingest read the pages: the right record is ingest's own."""
    from readingroom.analyse import run_all

    folder = tmp_path / "in"
    folder.mkdir()
    hostile.attachment_only_encrypted(folder)
    hostile.page_tree_cycle(folder)
    with ThreadPoolExecutor(1) as pool:
        ingest(inv, [folder], IngestOptions(ocr="never", workers=1), executor=pool)
    report = run_all(inv)
    assert report.failed == []
    kinds = sorted(
        (e["path"].rsplit("/", 1)[-1], e["stage"], e["kind"]) for e in errors_of(inv.root)
    )
    assert kinds == [
        ("attachment-encrypted.pdf!secret.docx", "extract", "encrypted"),
        ("cycle.pdf!page 2", "extract", "corrupt"),
    ]

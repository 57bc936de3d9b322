"""A shared reading room: accounts, roles, sessions, CSRF, tokens, throttling, audit, Host check."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from readingroom import accounts
from readingroom.investigation import Investigation
from readingroom.store import accounts as store
from readingroom.web import create_app
from tests.web.conftest import _search_fixtures, attach_pdf, key

PASSWORD = "correct horse battery"


@pytest.fixture
def room(tmp_path: Path) -> Iterator[tuple[Investigation, dict[str, int]]]:
    fixtures = _search_fixtures()
    inv = Investigation.create(tmp_path / "inv")
    ids = fixtures.insert_docs(inv)
    attach_pdf(inv, ids["elpaso-quota-memo.pdf"])
    for name, role in (("vic", "viewer"), ("eddie", "editor"), ("ada", "admin")):
        accounts.add_user(inv.db, name, role, PASSWORD)
    inv.db.commit()
    yield inv, ids
    inv.close()


@pytest.fixture
def app_client(room: tuple[Investigation, dict[str, int]]) -> Iterator[TestClient]:
    with TestClient(create_app(room[0].root, require_login=True), follow_redirects=False) as c:
        yield c


def login(c: TestClient, name: str, password: str = PASSWORD) -> int:
    page = c.get("/login").text
    token = re.search(r'name="csrf" value="([^"]+)"', page)
    assert token
    r = c.post("/login", data={"name": name, "password": password, "csrf": token[1]})
    return r.status_code


def test_without_credentials_api_is_401_and_pages_go_to_login(app_client: TestClient) -> None:
    r = app_client.get("/api/search", params={"q": "quota"})
    assert r.status_code == 401 and "Bearer" in r.json()["error"]
    r = app_client.get("/?q=quota")
    assert r.status_code == 303 and r.headers["location"].startswith("/login?next=")
    assert app_client.get("/login").status_code == 200
    assert app_client.get("/static/style.css").status_code == 200


def test_login_sets_a_strict_httponly_session_and_roles_apply(app_client: TestClient) -> None:
    r_page = app_client.get("/login").text
    token = re.search(r'name="csrf" value="([^"]+)"', r_page)
    assert token
    r = app_client.post("/login", data={"name": "vic", "password": PASSWORD, "csrf": token[1]})
    assert r.status_code == 303
    cookie = r.headers["set-cookie"]
    assert "rr_session=" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert app_client.get("/?q=quota").status_code == 200
    assert app_client.get("/api/search", params={"q": "quota"}).status_code == 200
    assert app_client.get("/admin/audit").status_code == 403  # a viewer is no admin


def test_wrong_password_then_throttled(app_client: TestClient) -> None:
    for _ in range(5):
        assert login(app_client, "eddie", "wrong password!") == 401
    assert login(app_client, "eddie") == 429  # even the right one waits now


def test_state_changing_form_without_csrf_is_refused(app_client: TestClient) -> None:
    assert login(app_client, "vic") == 303
    r = app_client.post("/batch", data={"terms": "quota"})
    assert r.status_code == 403 and "CSRF" in r.text
    token = re.search(r'name="csrf" value="([^"]+)"', app_client.get("/batch").text)
    assert token
    assert app_client.post("/batch", data={"terms": "quota", "csrf": token[1]}).status_code == 200


def test_api_token_as_bearer(
    room: tuple[Investigation, dict[str, int]], app_client: TestClient
) -> None:
    inv = room[0]
    token = accounts.issue_token(inv.db, "vic")
    inv.db.commit()
    auth = {"Authorization": f"Bearer {token}"}
    r = app_client.get("/api/search", params={"q": "quota"}, headers=auth)
    assert r.status_code == 200 and r.json()["total_documents"] > 0
    r = app_client.post("/api/batch", json={"terms": ["quota"]}, headers=auth)
    assert r.status_code == 200
    bad = {"Authorization": "Bearer rr_not-a-token"}
    assert app_client.get("/api/search", params={"q": "quota"}, headers=bad).status_code == 401


def test_audit_log_records_reading_and_admin_exports_it(
    room: tuple[Investigation, dict[str, int]], app_client: TestClient
) -> None:
    assert login(app_client, "vic") == 303
    app_client.get("/?q=quota")
    doc = room[1]["elpaso-quota-memo.pdf"]
    moved = app_client.get(f"/doc/{doc}")  # an old numeric URL
    assert moved.status_code == 301 and moved.headers["location"] == f"/doc/{key(room[0], doc)}"
    assert app_client.get(moved.headers["location"]).status_code == 200
    app_client.cookies.clear()
    assert login(app_client, "ada") == 303
    page = app_client.get("/admin/audit")
    assert page.status_code == 200
    assert "vic" in page.text and "search" in page.text
    export = app_client.get("/admin/audit.csv")
    assert export.status_code == 200 and export.text.startswith("id,at,user,role,ip,action")
    rows = store.audit_log(room[0].db)
    actions = {(r["user"], r["action"]) for r in rows}
    assert {("vic", "login"), ("vic", "search"), ("vic", "view"), ("ada", "login")} <= actions


def test_foreign_host_is_refused(room: tuple[Investigation, dict[str, int]]) -> None:
    with TestClient(create_app(room[0].root)) as c:
        r = c.get("/api/search", params={"q": "quota"}, headers={"Host": "attacker.example"})
        assert r.status_code == 400 and "attacker.example" in r.text
        assert c.get("/", headers={"Host": "127.0.0.1:8023"}).status_code == 200
        assert c.get("/", headers={"Host": "localhost"}).status_code == 200


def test_security_headers_on_every_answer(room: tuple[Investigation, dict[str, int]]) -> None:
    with TestClient(create_app(room[0].root)) as c:
        for path in ("/", "/api/search?q=quota", "/nosuch", "/static/style.css"):
            h = c.get(path).headers
            csp = h["content-security-policy"]
            assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
            assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
            assert h["x-content-type-options"] == "nosniff"
            assert h["referrer-policy"] == "no-referrer"


def test_templates_hold_no_inline_script() -> None:
    templates = Path(__file__).parents[2] / "src/readingroom/web/templates"
    for t in templates.glob("*.html"):
        text = t.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), f"inline script in {t.name}"
        assert not re.search(r"\son[a-z]+=", text), f"inline event handler in {t.name}"
        assert "https://" not in text.replace("https://www.w3.org", ""), t.name


def _cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "readingroom", *args],
        input=stdin, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def test_serve_off_loopback_refuses_without_accounts(tmp_path: Path) -> None:
    Investigation.create(tmp_path / "inv").close()
    r = _cli("serve", str(tmp_path / "inv"), "--host", "0.0.0.0", "--port", "1")
    assert r.returncode == 2
    assert "refusing to serve on 0.0.0.0" in r.stderr and "users add" in r.stderr


def test_serve_on_a_busy_port_fails_before_printing_its_url(tmp_path: Path) -> None:
    Investigation.create(tmp_path / "inv").close()
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        r = _cli("serve", str(tmp_path / "inv"), "--port", str(port))
    assert r.returncode == 2
    assert "already in use" in r.stderr and "http://" not in r.stderr


def test_users_cli_add_list_token_passwd_remove(tmp_path: Path) -> None:
    inv_dir = str(tmp_path / "inv")
    Investigation.create(tmp_path / "inv").close()
    r = _cli(
        "users",
        "add",
        "sam",
        "--role",
        "viewer",
        "--password-stdin",
        "-d",
        inv_dir,
        stdin=PASSWORD + "\n",
    )
    assert r.returncode == 0, r.stderr
    r = _cli(
        "users",
        "add",
        "sam2",
        "--role",
        "boss",
        "--password-stdin",
        "-d",
        inv_dir,
        stdin=PASSWORD + "\n",
    )
    assert r.returncode == 2 and "unknown role 'boss'" in r.stderr
    r = _cli(
        "users",
        "add",
        "shorty",
        "--role",
        "viewer",
        "--password-stdin",
        "-d",
        inv_dir,
        stdin="short\n",
    )
    assert r.returncode == 2 and "at least 10 characters" in r.stderr
    token = _cli("users", "token", "sam", "-d", inv_dir).stdout.strip()
    assert token.startswith("rr_") and len(token) > 40
    listed = _cli("users", "list", "--json", "-d", inv_dir)
    assert '"name": "sam"' in listed.stdout and '"tokens": 1' in listed.stdout
    assert (
        _cli(
            "users", "passwd", "sam", "--password-stdin", "-d", inv_dir, stdin="another long one\n"
        ).returncode
        == 0
    )
    inv = Investigation.open(tmp_path / "inv")
    assert accounts.authenticate(inv.db, "sam", "another long one") is not None
    assert accounts.authenticate(inv.db, "sam", PASSWORD) is None
    inv.close()
    assert _cli("users", "remove", "sam", "-d", inv_dir).returncode == 0
    assert _cli("users", "remove", "sam", "-d", inv_dir).returncode == 2


def test_host_list_off_loopback_holds_the_machine_addresses() -> None:
    from readingroom.web.security import _interface_addresses, host_name, machine_hosts

    shared = machine_hosts("0.0.0.0", ["reading.newsroom.example"])
    assert {"localhost", "127.0.0.1", "reading.newsroom.example"} <= shared
    assert _interface_addresses() <= shared
    assert "evil.example" not in shared
    local = machine_hosts("127.0.0.1")
    assert socket.gethostname().lower() not in local or socket.gethostname() == "localhost"
    assert host_name("[::1]:8023") == "::1" and host_name("Example.ORG:80") == "example.org"


def test_a_citation_survives_reingest_into_a_new_investigation(tmp_path: Path) -> None:
    """The same file gets the same /doc/<key> wherever, whatever its row id."""
    fixtures = _search_fixtures()
    first = Investigation.create(tmp_path / "first")
    fixtures.insert_docs(first)
    second = Investigation.create(tmp_path / "second")
    falcon = next(d for d in fixtures.DOCS if d.name == "falcon-contract.pdf")
    fixtures.insert_docs(second, (falcon,))  # a new investigation: another row id
    with TestClient(create_app(first.root)) as a, TestClient(create_app(second.root)) as b:
        hit = a.get("/api/search", params={"q": "falcon"}).json()["documents"][0]
        again = b.get("/api/search", params={"q": "falcon"}).json()["documents"][0]
        assert hit["document_id"] != again["document_id"] and hit["url"] == again["url"]
        cited = hit["url"]  # /doc/<key>
        assert re.fullmatch(r"/doc/[0-9a-f]{12}", cited)
        page_a, page_b = a.get(cited), b.get(cited)
        assert page_b.status_code == 200
        title = re.search(r"<h1>([^<]+)</h1>", page_a.text)
        assert title and f"<h1>{title[1]}</h1>" in page_b.text
    first.close()
    second.close()

"""Tags in the browser: chips in the viewer, editors add and remove, the audit log, tag pages."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from readingroom import accounts
from readingroom.investigation import Investigation
from readingroom.store import evidence as ev
from readingroom.web import create_app
from readingroom.web.views.tags import tag_url
from tests.web.conftest import key

PASSWORD = "correct horse battery"
MEMO = "elpaso-quota-memo.pdf"  # three pages, with a real PDF original
#: A tag that needs encoding everywhere: spaces, a slash, %, ?, #, & and an accent.
ODD = "follow up/100% ?#&é"

Served = tuple[Investigation, dict[str, int]]


def _token(html: str) -> str:
    m = re.search(r'name="csrf" value="([^"]+)"', html)
    assert m, "the page carries no CSRF field"
    return m[1]


def _tags(inv: Investigation, doc_id: int) -> set[tuple[str, int | None]]:
    return {(t["tag"], t["page"]) for t in ev.tags_of(inv.db, document_id=doc_id)}


def _audit(inv: Investigation) -> list[tuple[str, str, str, str]]:
    with sqlite3.connect(inv.db_path) as c:
        return list(
            c.execute(
                "SELECT user, action, target, detail FROM audit_log"
                " WHERE action LIKE 'tag-%' ORDER BY id"
            )
        )


def test_viewer_shows_document_and_page_tags_as_links(served: Served, client: TestClient) -> None:
    inv, ids = served
    memo = ids[MEMO]
    ev.add_tag(inv.db, document_id=memo, tag="key")
    ev.add_tag(inv.db, document_id=memo, page=2, tag=ODD)
    inv.db.commit()
    k = key(inv, memo)
    page2 = client.get(f"/doc/{k}", params={"page": 2}).text
    chips = re.findall(r'<li class="tagchip"><a href="([^"]+)"', page2)
    assert chips == ["/tags/key", "/tags/" + quote(ODD, safe="")]
    assert 'id="page-tags-label">Page 2 tags' in page2
    assert 'action="/doc/' + k + '/tags"' in page2, "the local room's user may tag"
    assert 'aria-label="Remove tag key from the document"' in page2
    page1 = client.get(f"/doc/{k}", params={"page": 1}).text
    assert quote(ODD, safe="") not in page1.split("Other tagged pages")[0], "p.2's tag not on p.1"
    assert f'href="/doc/{k}?page=2#tags">p. 2</a>' in page1
    assert client.get(tag_url(ODD)).status_code == 200


def test_editor_adds_and_removes_document_and_page_tags(served: Served, client: TestClient) -> None:
    inv, ids = served
    memo = ids[MEMO]
    k = key(inv, memo)
    token = _token(client.get(f"/doc/{k}", params={"page": 2}).text)
    form = {"csrf": token, "at": "2", "q": "quota"}
    r = client.post(
        f"/doc/{k}/tags", data={**form, "tag": "  Key   evidence ", "page": ""},
        follow_redirects=False,
    )  # fmt: skip
    assert r.status_code == 303 and r.headers["location"] == f"/doc/{k}?page=2&q=quota#tags"
    r = client.post(f"/doc/{k}/tags", data={**form, "tag": ODD, "page": "2"})
    assert r.status_code == 200 and ">Key evidence</a>" in r.text
    assert _tags(inv, memo) == {("Key evidence", None), (ODD, 2)}
    again = client.post(f"/doc/{k}/tags", data={**form, "tag": ODD, "page": "2"})
    assert again.status_code == 200 and _tags(inv, memo) == {("Key evidence", None), (ODD, 2)}
    assert [t["by"] for t in ev.tags_of(inv.db, document_id=memo)] == ["local", "local"]

    r = client.post(f"/doc/{k}/tags/remove", data={**form, "tag": ODD, "page": "2"})
    assert r.status_code == 200 and _tags(inv, memo) == {("Key evidence", None)}
    r = client.post(f"/doc/{k}/tags/remove", data={**form, "tag": "Key evidence", "page": ""})
    assert r.status_code == 200 and _tags(inv, memo) == set()
    # Only changes are recorded: the second add of the same tag changed nothing.
    assert _audit(inv) == [
        ("local", "tag-add", k, "Key evidence"),
        ("local", "tag-add", f"{k} p.2", ODD),
        ("local", "tag-remove", f"{k} p.2", ODD),
        ("local", "tag-remove", k, "Key evidence"),
    ]


def test_missing_or_wrong_csrf_is_refused(served: Served, client: TestClient) -> None:
    inv, ids = served
    k = key(inv, ids[MEMO])
    client.get(f"/doc/{k}")  # sets the CSRF cookie, so only the field is missing
    for data in ({"tag": "key"}, {"tag": "key", "csrf": "forged"}):
        r = client.post(f"/doc/{k}/tags", data=data)
        assert r.status_code == 403 and "CSRF" in r.text
        r = client.post(f"/doc/{k}/tags/remove", data=data)
        assert r.status_code == 403 and "CSRF" in r.text
    assert _tags(inv, ids[MEMO]) == set() and _audit(inv) == []


@pytest.mark.parametrize(
    ("path", "data", "status", "words"),
    [
        ("/doc/{k}/tags", {"tag": "x" * 81}, 400, "1 to 80 characters"),
        ("/doc/{k}/tags", {"tag": ""}, 400, "empty"),
        ("/doc/{k}/tags", {"tag": " \t "}, 400, "empty"),
        ("/doc/{k}/tags", {"tag": "a\x00b"}, 400, "control character"),
        ("/doc/{k}/tags", {"tag": "x" * 5000}, 400, "tag"),
        ("/doc/{k}/tags", {"tag": "ok", "page": "0"}, 400, "has pages 1 to 3"),
        ("/doc/{k}/tags", {"tag": "ok", "page": "4"}, 400, "has pages 1 to 3"),
        ("/doc/{k}/tags", {"tag": "ok", "page": "-1"}, 400, "has pages 1 to 3"),
        ("/doc/{k}/tags", {"tag": "ok", "page": "two"}, 400, "has pages 1 to 3"),
        ("/doc/{k}/tags", {"tag": "ok", "page": "9" * 19}, 400, "has pages 1 to 3"),
        ("/doc/{k}/tags/remove", {"tag": "x" * 81}, 400, "1 to 80 characters"),
        ("/doc/{k}/tags/remove", {"tag": "ok", "page": "4"}, 400, "has pages 1 to 3"),
        ("/doc/zzzz/tags", {"tag": "ok"}, 400, "key"),
        ("/doc/abcdefabcdef/tags", {"tag": "ok"}, 404, "No document has the id abcdefabcdef"),
        ("/doc/42/tags", {"tag": "ok"}, 400, "key"),
    ],
)
def test_hostile_input_answers_4xx_with_words(
    served: Served, client: TestClient, path: str, data: dict[str, str], status: int, words: str
) -> None:
    inv, ids = served
    k = key(inv, ids[MEMO])
    token = _token(client.get(f"/doc/{k}").text)
    r = client.post(path.format(k=k), data={**data, "csrf": token})
    assert r.status_code == status, r.text
    assert words in r.text, re.findall(r"<p>(.*?)</p>", r.text)
    assert _tags(inv, ids[MEMO]) == set() and _audit(inv) == []


def test_tag_pages_list_the_right_documents(served: Served, client: TestClient) -> None:
    inv, ids = served
    memo, other = ids[MEMO], ids["hostile.txt"]
    ev.add_tag(inv.db, document_id=memo, tag=ODD)
    ev.add_tag(inv.db, document_id=memo, page=2, tag=ODD)
    ev.add_tag(inv.db, document_id=other, page=1, tag=ODD)
    ev.add_tag(inv.db, document_id=other, tag="..")
    ev.add_tag(inv.db, document_id=other, tag="<b>loud</b>")
    inv.db.commit()
    page = client.get("/tags/" + quote(ODD, safe=""))
    assert page.status_code == 200
    listed = re.findall(r'<a class="title" href="/doc/([0-9a-f]{12})', page.text)
    assert sorted(listed) == sorted([key(inv, memo), key(inv, other)])
    assert "The whole document; also page" in page.text and "On page" in page.text
    dots = client.get(tag_url(".."))
    assert tag_url("..") == "/tags?tag=.." and dots.status_code == 200
    assert re.findall(r'<a class="title" href="/doc/([0-9a-f]{12})', dots.text) == [key(inv, other)]
    loud = client.get(tag_url("<b>loud</b>")).text
    assert "<b>loud</b>" not in loud and "&lt;b&gt;loud&lt;/b&gt;" in loud

    index = client.get("/tags").text
    rows = re.findall(r'<th scope="row"><a href="([^"]+)">.*?<td class="num">(\d+)</td>', index)
    assert (tag_url(ODD), "2") in rows and (tag_url(".."), "1") in rows
    assert "<caption>3 tags;" in index and "<b>loud" not in index

    missing = client.get("/tags/no%20such%20tag")
    assert missing.status_code == 404 and "No document carries the tag" in missing.text
    assert client.get("/tags/").status_code == 400
    assert client.get("/tags/" + "x" * 81).status_code == 400


@pytest.fixture
def shared(served: Served, tmp_path: Path) -> Iterator[tuple[TestClient, Investigation, int]]:
    inv, ids = served
    for name, role in (("vic", "viewer"), ("eddie", "editor")):
        accounts.add_user(inv.db, name, role, PASSWORD)
    inv.db.commit()
    app = create_app(inv.root, require_login=True)
    with TestClient(app, follow_redirects=False) as c:
        yield c, inv, ids[MEMO]


def _login(c: TestClient, name: str) -> None:
    c.cookies.clear()
    token = _token(c.get("/login").text)
    r = c.post("/login", data={"name": name, "password": PASSWORD, "csrf": token})
    assert r.status_code == 303


def test_a_viewer_sees_tags_but_cannot_change_them(
    shared: tuple[TestClient, Investigation, int],
) -> None:
    c, inv, memo = shared
    ev.add_tag(inv.db, document_id=memo, tag="key")
    inv.db.commit()
    k = key(inv, memo)
    _login(c, "vic")
    page = c.get(f"/doc/{k}").text
    assert ">key</a>" in page
    assert "tagform" not in page and "tagx" not in page, "no controls for a viewer"
    token = _token(page)  # the sign-out form's: a valid token, the role still refuses
    for path in ("/tags", "/tags/remove"):
        r = c.post(f"/doc/{k}{path}", data={"tag": "key", "csrf": token})
        assert r.status_code == 403 and "needs the editor role" in r.text
    assert _tags(inv, memo) == {("key", None)}

    _login(c, "eddie")
    page = c.get(f"/doc/{k}").text
    assert 'class="tagform"' in page
    r = c.post(f"/doc/{k}/tags", data={"tag": "seen", "page": "1", "csrf": _token(page)})
    assert r.status_code == 303
    assert _tags(inv, memo) == {("key", None), ("seen", 1)}
    assert _audit(inv) == [("eddie", "tag-add", f"{k} p.1", "seen")]
    assert ev.tags_of(inv.db, document_id=memo)[-1]["by"] == "eddie"

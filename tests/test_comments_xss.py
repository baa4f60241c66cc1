"""Attack strings posted as comments come back escaped and exactly as typed."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from app.text import COMMENT_TAGS
from tests.comment_helpers import comments_of, page_url, post_comment, section, textarea_text
from tests.support import csrf_token, login_as

ALLOWED_ATTRIBUTES = {"a": {"href", "title", "rel"}}


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):  # noqa: ANN001, ANN201
        self.tags.append((tag, attrs))


def _check_safe(fragment: str) -> None:
    collector = _Collector()
    collector.feed(fragment)
    for tag, attrs in collector.tags:
        assert tag in COMMENT_TAGS, f"unexpected <{tag}> in {fragment!r}"
        for name, value in attrs:
            assert name in ALLOWED_ATTRIBUTES.get(tag, set()), f"{tag}[{name}] in {fragment!r}"
            if name == "href":
                assert re.match(r"(https?:|mailto:|[^:]*$)", value or "", re.I), value


def _bodies(page: str) -> list[str]:
    return re.findall(r'<div class="comment__body">(.*?)</div>\n  <footer', page, re.S)


@pytest.mark.writes_in_a_row
def test_naughty_strings_come_back_escaped_and_as_typed(app, client, make, shared_dir):
    strings = json.loads((shared_dir / "corpora" / "blns.json").read_text(encoding="utf-8"))
    app.config.update(COMMENT_MODERATION="none", COMMENTS_PER_PAGE=10_000, COMMENT_MAX_LINKS=100)
    # The whole corpus comes from one address: its limit (tests/test_rate_limits.py) is off here.
    app.config["COMMENT_WRITES_PER_ADDRESS"] = 1_000_000
    article, member = make.article(), make.user()
    login_as(client, member)
    token = csrf_token(client.get(page_url(article)).data)
    accepted = []
    for typed in strings:
        response = client.post(
            f"/articles/{article.slug}/comments",
            data={"body": typed, "parent_id": "", "csrf_token": token},
        )
        assert response.status_code in (302, 422), (typed, response.status_code)
        if response.status_code == 422:
            assert not typed.strip(), typed  # only blank text is refused
            assert textarea_text(response.text) == typed
        else:
            accepted.append(typed)
    stored = comments_of(app, article)
    assert [c.body for c in stored] == [s.replace("\r\n", "\n") for s in accepted]

    page = section(client.get(page_url(article)).text)
    assert "<script" not in page.lower().replace("&lt;script", "")
    bodies = _bodies(page)
    assert len(bodies) == len(stored)
    for fragment in bodies:
        _check_safe(fragment)
    for comment in stored:  # the source comes back unchanged in the edit form
        form = client.get(f"/comments/{comment.id}/edit").text
        assert textarea_text(form) == comment.body


def test_script_in_a_comment_is_inert_text(app, client, make):
    app.config["COMMENT_MODERATION"] = "none"
    article = make.article()
    login_as(client, make.user())
    typed = '<script>alert(1)</script><a href="javascript:alert(2)">x</a>[y](javascript:alert(3))'
    post_comment(client, article, typed)
    page = section(client.get(page_url(article)).text)
    (fragment,) = _bodies(page)
    _check_safe(fragment)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in fragment
    assert 'href="javascript' not in fragment.lower()

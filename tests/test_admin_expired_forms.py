"""An expired CSRF token sends the admin's form back with everything typed; nothing is saved."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Article, Page, SiteSetting, UserRole, utcnow
from app.services import pages
from tests.support import csrf_token, login_as

TEXT = "Ein langer Text, über eine Stunde geschrieben.\n\n<b>Mit</b> allem & jedem."
MESSAGE = "Das Formular war abgelaufen"


def counts(app) -> tuple[int, int, int]:  # noqa: ANN001
    with app.app_context():
        return tuple(
            db.session.scalar(select(func.count()).select_from(model))
            for model in (Article, Page, SiteSetting)
        )


def kept(page: str, name: str) -> str:
    match = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', page, re.S)
    assert match, f"no {name} field"
    # As a browser reads it: a line break right after the tag is not part of the text.
    return html.unescape(match.group(1)).removeprefix("\r\n").removeprefix("\n")


class FormReader(HTMLParser):
    """What a browser sends from a form: its fields with their current values."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self._text: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {key: value or "" for key, value in attrs}
        name = found.get("name")
        if tag == "input" and name and found.get("type") not in ("submit", "checkbox"):
            self.fields[name] = found.get("value", "")
        elif tag == "input" and name and "checked" in found:
            self.fields[name] = found.get("value", "y")
        elif tag == "textarea" and name:
            self._text, self.fields[name] = name, ""
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in found:
            self.fields[self._select] = found.get("value", "")

    def handle_data(self, data: str) -> None:
        if self._text:
            self.fields[self._text] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._text:
            value = self.fields[self._text]
            self.fields[self._text] = value.removeprefix("\r\n").removeprefix("\n")
            self._text = None
        elif tag == "select":
            self._select = None


def sent_again(page: str, action: str) -> dict[str, str]:
    """The fields of the form on *page* that posts to *action*."""
    start = page.index(f'action="{action}"')
    form = page[page.rindex("<form", 0, start) : page.index("</form>", start)]
    reader = FormReader()
    reader.feed(form)
    return reader.fields


@pytest.fixture
def admin_client(app, make):  # noqa: ANN001, ANN201
    client = app.test_client()
    login_as(client, make.user("chefin", role=UserRole.ADMIN))
    return client


def cases(make) -> list[tuple[str, dict[str, str], str]]:  # noqa: ANN001
    article = make.article("Vorhanden")
    with make.app.app_context():
        page = pages.create_page(
            db.session, pages.PageInput(title="Impressum", body="Alt", slug=None), utcnow()
        )
        db.session.commit()
        page_id = page.id
    article_fields = {"title": "Neu", "author_name": "Redaktion", "body": TEXT, "action": "save"}
    return [
        ("/admin/articles/new", article_fields, "body"),
        (
            f"/admin/articles/{article.id}/edit",
            dict(article_fields, revision="1", title="Vorhanden"),
            "body",
        ),
        ("/admin/pages/new", {"title": "Datenschutz", "body": TEXT, "action": "save"}, "body"),
        (
            f"/admin/pages/{page_id}/edit",
            {"title": "Impressum", "body": TEXT, "revision": "1", "action": "save"},
            "body",
        ),
        (
            "/admin/settings",
            {"COMMENT_MODERATION": "all", "COMMENT_HOLD_WORDS": TEXT, "COMMENT_MAX_LINKS": "3"},
            "COMMENT_HOLD_WORDS",
        ),
    ]


@pytest.mark.parametrize("case", range(5))
@pytest.mark.parametrize("token", [None, "abgelaufen", "from-another-session"])
def test_an_expired_token_keeps_the_text_and_saves_nothing(app, admin_client, make, case, token):
    url, fields, text_field = cases(make)[case]
    before = counts(app)
    fields = dict(sent_again(admin_client.get(url).text, url), **fields)
    fields.pop("csrf_token")
    if token == "from-another-session":
        other = app.test_client()
        login_as(other, make.user("zweite", role=UserRole.ADMIN))
        token = csrf_token(other.get(url).data)
    data = dict(fields, **({"csrf_token": token} if token else {}))
    response = admin_client.post(url, data=data)
    assert response.status_code == 400
    assert MESSAGE in response.text
    assert kept(response.text, text_field) == TEXT
    assert counts(app) == before
    # The page carries a token that works: saving again from it succeeds.
    fields = sent_again(response.text, url)
    assert fields[text_field] == TEXT and fields["csrf_token"]
    again = admin_client.post(url, data=dict(fields, action="save"))
    assert again.status_code == 302, again.status_code


@pytest.mark.parametrize("url", ["/admin/articles/new", "/admin/pages/new", "/admin/settings"])
def test_without_admin_rights_nothing_is_shown_or_saved(app, make, url):
    client = app.test_client()
    before = counts(app)
    assert client.post(url, data={"title": "x", "body": TEXT}).status_code == 302  # log in
    login_as(client, make.user("anna"))
    assert client.post(url, data={"title": "x", "body": TEXT}).status_code == 403
    assert counts(app) == before

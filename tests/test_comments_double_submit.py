"""A comment form sent twice (a double click, a resend) stores one comment."""

from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Article, Comment, utcnow
from tests.accounts_support import app_with
from tests.comment_helpers import comments_of, page_url
from tests.support import Factory, csrf_token, login_as


def form_fields(page: bytes | str) -> dict[str, str]:
    """The hidden fields of the comment form, as the browser would send them."""
    text = page.decode() if isinstance(page, bytes) else page
    form = text[text.index('<form id="comment-form"') :]
    form = form[: form.index("</form>")]
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))
    fields["csrf_token"] = csrf_token(text)
    return fields


def member(make, name: str = "anna"):  # noqa: ANN001, ANN201
    """A member whose comments go straight through (one approved already)."""
    user = make.user(name)
    earlier = make.article(f"Früher, von {name}")
    make.comment(
        earlier, user, "Schon einmal geschrieben.", created_at=utcnow() - timedelta(days=1)
    )
    return user


def send(client, article, fields: dict[str, str], body: str):  # noqa: ANN001, ANN201
    return client.post(f"/articles/{article.slug}/comments", data=dict(fields, body=body))


def test_the_form_carries_a_new_key_each_time(client, make):
    article = make.article()
    login_as(client, make.user("anna"))
    first = form_fields(client.get(page_url(article)).data)["submission"]
    second = form_fields(client.get(page_url(article)).data)["submission"]
    assert len(first) >= 16 and first != second


def test_a_form_sent_twice_stores_one_comment_and_answers_alike(app, client, make):
    article = make.article()
    login_as(client, member(make))
    fields = form_fields(client.get(page_url(article)).data)
    first = send(client, article, fields, "Nur einmal, bitte.")
    first_page = client.get(first.headers["Location"]).text
    second = send(client, article, fields, "Nur einmal, bitte.")
    assert first.status_code == second.status_code == 302
    assert second.headers["Location"] == first.headers["Location"]
    assert "veröffentlicht" in first_page
    assert "veröffentlicht" in client.get(second.headers["Location"]).text
    assert [c.body for c in comments_of(app, article)] == ["Nur einmal, bitte."]
    with app.app_context():
        assert db.session.get(Article, article.id).visible_comment_count == 1


def test_a_second_send_is_no_flood(database_url, tmp_path, make):
    """The flood rule would refuse a second comment within 15 s; a repeat is no new one."""
    article = make.article()
    member = make.user("anna")
    with app_with(database_url, tmp_path, COMMENT_MIN_INTERVAL_SECONDS=15) as app:
        client = app.test_client()
        login_as(client, member)
        fields = form_fields(client.get(page_url(article)).data)
        assert send(client, article, fields, "Doppelklick").status_code == 302
        assert send(client, article, fields, "Doppelklick").status_code == 302
        fresh = form_fields(client.get(page_url(article)).data)
        assert send(client, article, fresh, "Noch einer").status_code == 422
        assert len(comments_of(app, article)) == 1


@pytest.mark.writes_in_a_row
def test_two_forms_store_two_comments_even_with_the_same_text(app, client, make):
    article = make.article()
    login_as(client, make.user("anna"))
    one = form_fields(client.get(page_url(article)).data)
    two = form_fields(client.get(page_url(article)).data)
    send(client, article, one, "Danke!")
    send(client, article, two, "Danke!")
    assert len(comments_of(app, article)) == 2


@pytest.mark.writes_in_a_row
def test_the_same_key_with_another_text_or_reply_is_another_comment(app, client, make):
    """A kept copy of a page may hand a key out twice: only the same comment is a repeat."""
    article = make.article()
    parent = make.comment(article, make.user("berta"), "Frage?")
    login_as(client, make.user("anna"))
    fields = form_fields(client.get(page_url(article)).data)
    send(client, article, fields, "Erster Gedanke")
    send(client, article, fields, "Zweiter Gedanke")
    send(client, article, dict(fields, parent_id=str(parent.id)), "Erster Gedanke")
    assert len(comments_of(app, article)) == 4


def test_keys_belong_to_their_member(app, make):
    article = make.article()
    anna, berta = app.test_client(), app.test_client()
    login_as(anna, make.user("anna"))
    login_as(berta, make.user("berta"))
    fields = form_fields(anna.get(page_url(article)).data)
    send(anna, article, fields, "Gleicher Text")
    theirs = dict(fields, csrf_token=csrf_token(berta.get(page_url(article)).data))
    assert send(berta, article, theirs, "Gleicher Text").status_code == 302
    assert len(comments_of(app, article)) == 2


@pytest.mark.writes_in_a_row
@pytest.mark.parametrize("key", [None, "", "kurz", "x" * 65, "ungültig!ungültig!ungültig"])
def test_a_form_without_a_usable_key_is_simply_posted(app, client, make, key):
    article = make.article()
    login_as(client, make.user("anna"))
    fields = form_fields(client.get(page_url(article)).data)
    fields.pop("submission")
    if key is not None:
        fields["submission"] = key
    send(client, article, fields, "Ohne Schlüssel")
    send(client, article, fields, "Ohne Schlüssel")
    assert len(comments_of(app, article)) == 2


def test_a_refused_send_keeps_its_key_for_the_next_try(app, client, make):
    article = make.article()
    login_as(client, make.user("anna"))
    fields = form_fields(client.get(page_url(article)).data)
    refused = send(client, article, fields, "x" * 6000)
    assert refused.status_code == 422
    assert form_fields(refused.data)["submission"] == fields["submission"]
    assert send(client, article, fields, "Kürzer").status_code == 302
    assert len(comments_of(app, article)) == 1


@pytest.mark.postgres
def test_a_double_click_at_the_same_moment_stores_one_comment(postgres_app):
    """Both clicks are answered alike, with the flood rules on: the second click must not
    be taken for a second comment written too soon after the first."""
    make = Factory(postgres_app)
    article = make.article("Gleichzeitig geklickt")
    answers: list = []

    def click(cookie: str, barrier: threading.Barrier, fields: dict[str, str]) -> None:
        tab = postgres_app.test_client()  # the same browser: the same session cookie
        tab.set_cookie("session", cookie)
        barrier.wait()
        try:
            answers.append(send(tab, article, fields, "Ein Doppelklick."))
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            answers.append(error)

    for round_ in range(10):  # several rounds, each by another member, to meet the race
        browser = postgres_app.test_client()
        login_as(browser, member(make, f"klickerin{round_}"))
        fields = form_fields(browser.get(page_url(article)).data)
        cookie, barrier = browser.get_cookie("session").value, threading.Barrier(2)
        answers.clear()
        clicks = [threading.Thread(target=click, args=(cookie, barrier, fields)) for _ in "ab"]
        for thread in clicks:
            thread.start()
        for thread in clicks:
            thread.join(timeout=60)
        assert [getattr(a, "status_code", a) for a in answers] == [302, 302]
        assert answers[0].headers["Location"] == answers[1].headers["Location"]
    with postgres_app.app_context():
        stored = db.session.scalar(
            select(func.count(Comment.id)).where(Comment.article_id == article.id)
        )
        counted = db.session.get(Article, article.id).visible_comment_count
    assert stored == 10 and counted == 10

"""Replying: the reply link, the reply form without JavaScript, depth, refused parents."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from app.models import CommentStatus
from tests.comment_helpers import comments_of, page_url, post_comment, section, state, textarea_text
from tests.support import login_as


@pytest.fixture(autouse=True)
def open_policy(app):
    app.config["COMMENT_MODERATION"] = "none"


def test_every_visible_comment_has_a_reply_link(client, make):
    article, author = make.article(), make.user("Berta")
    first = make.comment(article, author, "eins")
    second = make.comment(article, author, "zwei", parent=first)
    make.comment(article, author, "wartet", status=CommentStatus.PENDING)
    page = section(client.get(page_url(article)).text)
    links = re.findall(r'<a class="comment__reply" href="([^"]+)"[^>]*>Antworten</a>', page)
    assert [unquote(link) for link in links] == [
        f"/articles/{article.slug}?reply_to={first.id}#comment-form",
        f"/articles/{article.slug}?reply_to={second.id}#comment-form",
    ]


def test_reply_page_without_javascript_carries_the_parent(client, make):
    article = make.article()
    parent = make.comment(article, make.user("Berta"), "Frage?")
    login_as(client, make.user())
    page = section(client.get(page_url(article, reply_to=parent.id)).text)
    assert f'name="parent_id" value="{parent.id}"' in page
    assert "Antwort an Berta" in page
    assert f'href="/articles/{article.slug}#comment-form">Antwort abbrechen</a>' in page


def test_reader_asked_to_log_in_comes_back_to_the_reply(client, make):
    article = make.article()
    parent = make.comment(article, make.user(), "Frage?")
    page = section(client.get(page_url(article, reply_to=parent.id)).text)
    link = re.search(r'href="(/login\?[^"]+)"', page).group(1).replace("&amp;", "&")
    target = parse_qs(urlsplit(link).query)["next"][0]
    assert target == f"/articles/{article.slug}?reply_to={parent.id}#comment-form"


def test_posted_reply_is_nested_under_its_parent(app, client, make):
    article = make.article()
    parent = make.comment(article, make.user("Berta"), "Frage?")
    login_as(client, make.user("Carla"))
    response = post_comment(client, article, "Antwort!", parent_id=parent.id)
    assert response.status_code == 302
    reply = comments_of(app, article)[-1]
    assert (reply.parent_id, reply.depth, reply.status) == (parent.id, 2, CommentStatus.VISIBLE)
    assert response.headers["Location"].endswith(f"#comment-{reply.id}")
    page = section(client.get(page_url(article)).text)
    nested = page[page.index(f'id="comment-{parent.id}"') :]
    assert nested.index('<ol class="comment-list">') < nested.index(f'id="comment-{reply.id}"')


def test_reply_to_a_comment_of_another_article_is_refused(app, client, make):
    article, other = make.article(), make.article()
    foreign = make.comment(other, make.user(), "anderswo")
    login_as(client, make.user())
    before = state(app)
    response = post_comment(client, article, "Hier?", parent_id=foreign.id)
    assert response.status_code == 422
    assert "gehört zu einem anderen Artikel" in response.text
    assert textarea_text(response.text) == "Hier?"
    assert 'name="parent_id" value=""' in response.text  # may be posted as a new comment
    assert state(app) == before


@pytest.mark.parametrize(
    "status", [CommentStatus.PENDING, CommentStatus.HIDDEN, CommentStatus.DELETED]
)
def test_reply_to_a_comment_that_is_not_visible_is_refused(app, client, make, status):
    article = make.article()
    parent = make.comment(article, make.user(), "weg", status=status)
    login_as(client, make.user())
    before = state(app)
    response = post_comment(client, article, "Antwort", parent_id=parent.id)
    assert response.status_code == 422
    assert "nicht sichtbar" in response.text
    assert state(app) == before


@pytest.mark.parametrize(
    "bad", ["999999", "abc", "-1", "0", "1.5", "99999999999999999999", "1; --", "\u0661"]
)
def test_reply_to_a_missing_comment_is_refused(app, client, make, bad):
    article = make.article()
    login_as(client, make.user())
    before = state(app)
    response = post_comment(client, article, "Antwort", parent_id=bad)
    assert response.status_code == 422
    assert "Den Kommentar, auf den Sie antworten, gibt es nicht." in response.text
    assert state(app) == before


def test_reply_page_for_a_comment_that_cannot_be_answered(client, make):
    article = make.article()
    hidden = make.comment(article, make.user(), "weg", status=CommentStatus.HIDDEN)
    login_as(client, make.user())
    for target in (hidden.id, 424242, "x"):
        page = section(client.get(page_url(article, reply_to=target)).text)
        assert "Auf diesen Kommentar kann nicht geantwortet werden" in page
        assert 'name="parent_id" value=""' in page


def test_replies_deeper_than_the_limit_stay_at_the_limit_with_a_link(app, client, make):
    article = make.article()
    chain = [make.comment(article, make.user("Anton"), "Ebene 1")]
    for level in range(2, 8):
        author = make.user(f"Person{level}")
        chain.append(make.comment(article, author, f"Ebene {level}", parent=chain[-1]))
    page = section(client.get(page_url(article)).text)
    for level, comment in enumerate(chain, start=1):
        item = page.rfind("comment-list__item--depth-", 0, page.index(f'id="comment-{comment.id}"'))
        shown_depth = int(re.match(r"comment-list__item--depth-(\d)", page[item:]).group(1))
        assert shown_depth == min(level, 5)
    for comment, parent in ((chain[5], chain[4]), (chain[6], chain[5])):
        start = page.index(f'id="comment-{comment.id}"')
        block = page[start : page.index("</article>", start)]
        name = "Person5" if parent is chain[4] else "Person6"
        assert f'href="#comment-{parent.id}">als Antwort auf {name}</a>' in block
    assert "als Antwort auf" not in page[: page.index(f'id="comment-{chain[5].id}"')]
    with app.app_context():
        assert [c.depth for c in comments_of(app, article)] == list(range(1, 8))


def test_reply_at_the_limit_can_be_posted_and_shows_beside_its_parent(app, client, make):
    app.config["COMMENT_MAX_DEPTH"] = 2
    article = make.article()
    top = make.comment(article, make.user("Anton"), "oben")
    middle = make.comment(article, make.user("Berta"), "Mitte", parent=top)
    login_as(client, make.user("Carla"))
    assert post_comment(client, article, "tief", parent_id=middle.id).status_code == 302
    deep = comments_of(app, article)[-1]
    assert deep.depth == 3
    page = section(client.get(page_url(article)).text)
    assert page.count("comment-list__item--depth-2") == 2
    assert f'href="#comment-{middle.id}">als Antwort auf Berta</a>' in page

"""What a written comment becomes: rendering, length, blank text, the policy, the preview."""

from __future__ import annotations

import pytest

from app.models import CommentStatus, ModerationAction, utcnow
from tests.comment_helpers import comments_of, page_url, post_comment, state, textarea_text
from tests.support import csrf_token, login_as


@pytest.fixture
def open_policy(app):
    """Nothing is held for review unless a test says so."""
    app.config["COMMENT_MODERATION"] = "none"


def test_post_renders_the_markdown_subset_and_links_bare_urls(app, client, make, open_policy):
    article = make.article()
    login_as(client, make.user())
    body = "*kursiv* und **fett** mit `code`\n\n> Zitat\n\n- eins\n- zwei\n\nSiehe https://example.org/x"
    response = post_comment(client, article, body)
    assert response.status_code == 302
    (comment,) = comments_of(app, article)
    assert comment.body == body
    html = comment.body_html
    for tag in ("<em>kursiv</em>", "<strong>fett</strong>", "<code>code</code>", "<blockquote>"):
        assert tag in html
    assert '<a href="https://example.org/x" rel="nofollow ugc noopener">' in html
    page = client.get(response.headers["Location"]).text
    assert '<a href="https://example.org/x" rel="nofollow ugc noopener">' in page


def test_raw_html_is_shown_as_text(app, client, make, open_policy):
    article = make.article()
    login_as(client, make.user())
    post_comment(client, article, '<script>alert("x")</script> <img src=x onerror=alert(1)>')
    page = client.get(page_url(article)).text
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page or "&lt;script&gt;" in page


@pytest.mark.parametrize("body", ["", "   ", "\n\t\n", "\r\n \r\n"])
def test_blank_comment_is_refused(app, client, make, body):
    article = make.article()
    login_as(client, make.user())
    before = state(app)
    response = post_comment(client, article, body)
    assert response.status_code == 422
    assert "Bitte schreiben Sie zuerst einen Kommentar." in response.text
    assert state(app) == before


def test_too_long_comment_comes_back_with_its_text_and_reason(app, client, make, open_policy):
    app.config["COMMENT_MAX_LENGTH"] = 100
    article = make.article()
    login_as(client, make.user())
    before = state(app)
    response = post_comment(client, article, "a" * 101)
    assert response.status_code == 422
    assert "höchstens 100 Zeichen" in response.text
    assert textarea_text(response.text) == "a" * 101
    assert 'id="comment-body-error"' in response.text
    assert state(app) == before
    assert post_comment(client, article, "b" * 98 + "\r\nc").status_code == 302  # CRLF counts 1


def test_length_limit_saved_by_an_admin_wins(app, client, make, open_policy):
    from app.extensions import db
    from app.services.site_settings import save_settings

    with app.app_context():
        save_settings(db.session, {"COMMENT_MAX_LENGTH": 120}, utcnow())
        db.session.commit()
    article = make.article()
    login_as(client, make.user())
    assert post_comment(client, article, "x" * 121).status_code == 422
    assert post_comment(client, article, "x" * 120).status_code == 302


def test_first_comment_is_held_and_shown_to_its_author_only(app, client, make):
    article, member = make.article(), make.user()
    login_as(client, member)
    response = post_comment(client, article, "Mein erster Kommentar")
    assert response.status_code == 302
    (comment,) = comments_of(app, article)
    assert comment.status is CommentStatus.PENDING
    page = client.get(response.headers["Location"]).text
    assert "Ihr Kommentar erscheint, sobald die Moderation ihn freigegeben hat." in page
    assert "Mein erster Kommentar" in page and "Wartet auf Freigabe" in page
    reader = app.test_client()
    assert "Mein erster Kommentar" not in reader.get(page_url(article)).text
    assert "(0)" in reader.get(page_url(article)).text


def test_post_is_logged_and_counted(app, client, make, open_policy):
    from app.extensions import db
    from app.models import Article, ModerationEvent

    article = make.article()
    login_as(client, make.user())
    post_comment(client, article, "Gezählt")
    with app.app_context():
        (event,) = db.session.query(ModerationEvent).all()
        assert event.action is ModerationAction.POST and event.to_state == "visible"
        assert db.session.get(Article, article.id).visible_comment_count == 1


def test_refused_word_comes_back_with_the_reason(app, client, make):
    app.config["COMMENT_BLOCK_WORDS"] = ["Schimpfwort"]
    article = make.article()
    login_as(client, make.user())
    before = state(app)
    response = post_comment(client, article, "Ein Schimpfwort hier")
    assert response.status_code == 422
    assert textarea_text(response.text) == "Ein Schimpfwort hier"
    assert "schimpfwort" in response.text.casefold()
    assert state(app) == before


def test_preview_without_javascript_shows_the_rendering_and_keeps_the_text(app, client, make):
    article = make.article()
    login_as(client, make.user())
    before = state(app)
    response = post_comment(client, article, "Das ist *wichtig*", preview="1")
    assert response.status_code == 200
    assert "<em>wichtig</em>" in response.text and "Vorschau" in response.text
    assert textarea_text(response.text) == "Das ist *wichtig*"
    assert state(app) == before


def test_preview_endpoint_for_javascript(app, client, make):
    article, member = make.article(), make.user()
    reader = app.test_client()
    assert reader.post("/comments/preview", data={"body": "x"}).status_code == 400  # no token
    login_as(client, member)
    token = csrf_token(client.get(page_url(article)).data)
    fragment = client.post("/comments/preview", data={"body": "**fett**", "csrf_token": token})
    assert fragment.status_code == 200 and "<strong>fett</strong>" in fragment.text
    empty = client.post("/comments/preview", data={"body": " ", "csrf_token": token})
    assert empty.status_code == 422 and "Bitte schreiben Sie zuerst einen Kommentar." in empty.text

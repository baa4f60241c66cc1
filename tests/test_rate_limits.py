"""Requests per address: comments sent or previewed, searches, unsubscribe links.

Each test builds its own app with small numbers; the suite's apps run with the site's own
limits. Readers' pages meet no limit at all.
"""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.models import CommentDraft
from tests.accounts_support import app_with, login
from tests.comment_helpers import comments_of, post_comment, state
from tests.conftest import WRITES_IN_A_ROW
from tests.support import PASSWORD, csrf_token

LIMITED = {"RATELIMIT_ENABLED": True}


def _drafts(app) -> int:  # noqa: ANN001
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(CommentDraft))


def test_a_member_over_the_limit_gets_the_form_back_with_the_text(database_url, tmp_path, make):
    make.user("anna")
    article = make.article("Viel los")
    # Anna writes three in a row: the address's limit, not the flood rules, is to stop her.
    settings = dict(LIMITED, **WRITES_IN_A_ROW, COMMENT_WRITES_PER_ADDRESS=2)
    with app_with(database_url, tmp_path, **settings) as app:
        client = app.test_client()
        assert login(client, "anna", PASSWORD).status_code == 302
        for number in range(2):
            assert post_comment(client, article, f"Beitrag {number}").status_code == 302
        before = state(app)
        refused = post_comment(client, article, "Der dritte, sorgfältig geschrieben")
        assert refused.status_code == 429
        assert 0 < int(refused.headers["Retry-After"]) <= 60
        assert "Der dritte, sorgfältig geschrieben</textarea>" in refused.text
        assert "Ihr Text ist noch da" in refused.text and "1 Minute erneut" in refused.text
        assert state(app) == before  # nothing stored
        # Another address may still write.
        page = client.get(f"/articles/{article.slug}", environ_base={"REMOTE_ADDR": "10.9.9.9"})
        sent = client.post(
            f"/articles/{article.slug}/comments",
            data={"body": "Von woanders", "parent_id": "", "csrf_token": csrf_token(page.data)},
            environ_base={"REMOTE_ADDR": "10.9.9.9"},
        )
        assert sent.status_code == 302
        assert [c.body for c in comments_of(app, article)][-1] == "Von woanders"


def test_a_stranger_over_the_limit_is_refused_before_a_draft_is_kept(database_url, tmp_path, make):
    article = make.article("Offen")
    with app_with(database_url, tmp_path, **LIMITED, COMMENT_WRITES_PER_ADDRESS=2) as app:
        client = app.test_client()
        for number in range(2):  # not logged in: the text is kept as a draft
            sent = post_comment(client, article, f"Entwurf {number}", csrf_token="")
            assert sent.status_code == 302 and "/login" in sent.headers["Location"]
        assert _drafts(app) == 2
        refused = post_comment(client, article, "Noch einer", csrf_token="")
        assert refused.status_code == 429
        assert 0 < int(refused.headers["Retry-After"]) <= 60
        assert "Zu viele Anfragen" in refused.text
        assert _drafts(app) == 2


def test_previews_count_with_the_comments_sent(database_url, tmp_path, make):
    make.user("anna")
    article = make.article("Vorschau")
    # Anna writes three in a row: the address's limit, not the flood rules, is to stop her.
    settings = dict(LIMITED, **WRITES_IN_A_ROW, COMMENT_WRITES_PER_ADDRESS=2)
    with app_with(database_url, tmp_path, **settings) as app:
        client = app.test_client()
        assert login(client, "anna", PASSWORD).status_code == 302
        token = csrf_token(client.get(f"/articles/{article.slug}").data)
        answers = [
            client.post("/comments/preview", data={"body": "*so*", "csrf_token": token}).status_code
            for _ in range(2)
        ]
        assert answers == [200, 200]
        assert post_comment(client, article, "Jetzt aber").status_code == 429
        assert comments_of(app, article) == []


def test_searches_and_unsubscribe_links_are_limited_and_readers_pages_are_not(
    database_url, tmp_path, make
):
    article = make.article("Gelesen")
    settings = {**LIMITED, "SEARCHES_PER_ADDRESS": 2, "UNSUBSCRIBES_PER_ADDRESS": 2}
    with app_with(database_url, tmp_path, **settings) as app:
        client = app.test_client()
        for path in ("/", f"/articles/{article.slug}", "/feed.atom", "/sitemap.xml", "/login"):
            answers = {client.get(path).status_code for _ in range(5)}
            assert answers == {200}, (path, answers)
        searched = [client.get("/search?q=Zinsen").status_code for _ in range(3)]
        assert searched == [200, 200, 429]
        links = [client.get("/unsubscribe/kein-gueltiger-link").status_code for _ in range(3)]
        assert links == [404, 404, 429]
        # Each address has its own count.
        other = client.get("/search?q=Zinsen", environ_base={"REMOTE_ADDR": "10.8.8.8"})
        assert other.status_code == 200


def test_two_apps_in_one_process_keep_their_own_limits(database_url, tmp_path, make):
    """Limits and the switch are each app's: an app built later changes nothing of another."""
    make.article("Zwei")
    with (
        app_with(database_url, tmp_path, **LIMITED, SEARCHES_PER_ADDRESS=1) as limited,
        app_with(database_url, tmp_path / "open", RATELIMIT_ENABLED=False) as unlimited,
    ):
        open_answers = [unlimited.test_client().get("/search?q=a").status_code for _ in range(3)]
        assert open_answers == [200, 200, 200]
        searched = [limited.test_client().get("/search?q=a").status_code for _ in range(2)]
        assert searched == [200, 429]

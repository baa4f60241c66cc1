"""Members' and moderators' pages with the page cache: fast, and never anybody else's.

What members see alike is kept (the shell of app/caching/shell.py, the pieces of the
thread); their name, their CSRF token, their own comments (waiting or not) and moderators'
controls are rendered for each request and must never reach anyone else. Everyone logs in
through the form here, as a browser would.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select, update

from app.extensions import db
from app.models import Article, Comment, CommentStatus, User, UserRole, utcnow
from app.services import bans, flags, publishing
from tests.cache_support import ENGLISH, logged_in
from tests.conftest import make_app
from tests.support import Factory, csrf_token


@pytest.fixture
def site(cached: Flask) -> dict:
    make = Factory(cached)
    article = make.article("Die Diskussion", published_at=utcnow() - timedelta(days=1))
    writer, other = make.user("schreiberin"), make.user("leserin")
    make.user("gast")  # writes nothing here
    make.user("aufsicht", role=UserRole.MODERATOR)
    make.user("zweitaufsicht", role=UserRole.MODERATOR)
    shown = make.comment(article, other, "Ein Gedanke für alle.")
    own = make.comment(article, writer, "Ihr eigener, sichtbarer Beitrag.")
    waiting = make.comment(
        article, writer, "Ihre wartende Antwort.", status=CommentStatus.PENDING, parent=shown
    )
    return {
        "make": make,
        "article": article,
        "path": f"/articles/{article.slug}",
        "writer": writer,
        "other": other,
        "shown": shown,
        "own": own,
        "waiting": waiting,
    }


def signed_in_as(page: str) -> str | None:
    """The name the header shows for the logged-in person, or None."""
    match = re.search(r'class="site-nav__user"[^>]*>([^<]*)<', page)
    return match.group(1) if match else None


def _without_token(page: str) -> str:
    """Without the CSRF token and the comment form's submission key (new when rendered)."""
    page = page.replace(csrf_token(page), "")
    return re.sub(r'(name="submission" value=")[^"]*', r"\1", page)


def _section(page: str, comment_id: int) -> str:
    """The <article> of one comment in a page."""
    match = re.search(rf'<article id="comment-{comment_id}".*?</article>', page, re.S)
    assert match, comment_id
    return match.group(0)


def _read_twice(client, path: str) -> str:  # noqa: ANN001
    first = client.get(path, headers=ENGLISH)
    assert first.status_code == 200
    second = client.get(path, headers=ENGLISH)
    assert second.status_code == 200
    return second.text


def test_a_member_gets_a_page_with_only_their_own_name_and_token(cached, site):
    reader = _read_twice(cached.test_client(use_cookies=False), site["path"])
    alice = logged_in(cached, "gast")
    rendered = alice.get(site["path"], headers=ENGLISH).text
    page = alice.get(site["path"], headers=ENGLISH).text  # the thread from kept pieces now
    assert _without_token(page) == _without_token(rendered)
    assert signed_in_as(page) == "gast" and "Write a comment" in page
    assert "Ihre wartende Antwort." not in page  # somebody else's waiting reply
    bob = logged_in(cached, "aufsicht")  # another person, other session
    assert signed_in_as(bob.get(site["path"], headers=ENGLISH).text) == "aufsicht"
    # The token in the kept page is this session's: the form posts with it.
    response = alice.post(
        f"{site['path']}/comments", data={"csrf_token": csrf_token(page), "body": "Angekommen."}
    )
    assert response.status_code == 302
    assert "Angekommen." in alice.get(site["path"], headers=ENGLISH).text
    assert signed_in_as(reader) is None


def test_own_comments_are_rendered_for_their_author_alone(cached, site):
    alice = logged_in(cached, "gast")
    alice_page = _read_twice(alice, site["path"])
    writer = logged_in(cached, "schreiberin")
    page = _read_twice(writer, site["path"])
    assert "Ihre wartende Antwort." in page and "Awaiting moderation" in page
    assert "Delete" in _section(page, site["own"].id)
    assert "Flag" not in _section(page, site["own"].id)  # one does not flag oneself
    assert "Flag" in _section(page, site["shown"].id)
    # Others, with the caches as warm as can be, see none of it.
    again = alice.get(site["path"], headers=ENGLISH).text
    assert _without_token(again) == _without_token(alice_page)
    assert "Ihre wartende Antwort." not in again
    assert "Delete" not in _section(again, site["own"].id)
    assert "Flag" in _section(again, site["own"].id)
    assert "Ihre wartende Antwort." not in _read_twice(cached.test_client(), site["path"])


def test_moderators_controls_reach_nobody_else(cached, site):
    moderator = logged_in(cached, "aufsicht")
    page = _read_twice(moderator, site["path"])
    assert "moderation-controls" in page and "Ihre wartende Antwort." in page
    for client in (logged_in(cached, "gast"), cached.test_client()):
        other = _read_twice(client, site["path"])
        assert "moderation-controls" not in other
        assert "Ihre wartende Antwort." not in other


def test_a_member_sees_a_change_at_once(cached, site):
    alice = logged_in(cached, "gast")
    _read_twice(alice, site["path"])
    site["make"].comment(site["article"], site["writer"], "Ganz neu von ihr.")
    assert "Ganz neu von ihr." in alice.get(site["path"], headers=ENGLISH).text


def test_messages_and_just_posted_comments_go_through_the_application(cached, site):
    alice = logged_in(cached, "gast")
    page = _read_twice(alice, site["path"])
    posted = alice.post(
        f"{site['path']}/comments",
        data={"csrf_token": csrf_token(page), "body": "Gepostet."},
        headers=ENGLISH,
    )
    assert posted.status_code == 302
    after = alice.get(site["path"], headers=ENGLISH).text
    assert "Your comment will appear once a moderator has approved it." in after
    assert 'data-posted="true"' in after
    assert "Gepostet." in after and "Awaiting moderation" in after


def test_a_member_who_may_not_write_gets_the_ordinary_page(cached, site):
    alice = logged_in(cached, "gast")
    _read_twice(alice, site["path"])
    with cached.app_context():
        db.session.execute(
            update(User)
            .where(User.username == "gast")
            .values(state="banned", banned_until=utcnow() + timedelta(days=1))
        )
        db.session.commit()
    page = alice.get(site["path"], headers=ENGLISH).text
    assert 'id="comment-body"' not in page
    assert "Your account is banned until" in page


def test_a_members_language_is_their_own(cached, site):
    with cached.app_context():
        db.session.execute(update(User).where(User.username == "gast").values(locale="en"))
        db.session.commit()
    alice, writer = logged_in(cached, "gast"), logged_in(cached, "schreiberin")
    assert "Write a comment" in _read_twice(alice, site["path"])
    german = writer.get(site["path"]).text  # no Accept-Language: the site's German
    assert "Write a comment" not in german and 'lang="de"' in german
    assert "Write a comment" in alice.get(site["path"]).text


def test_a_forged_or_outdated_session_is_not_a_member(cached, site):
    alice = logged_in(cached, "gast")
    _read_twice(alice, site["path"])
    forged = cached.test_client()
    forged.set_cookie("session", "eyJfdXNlcl9pZCI6IjI6MSJ9.forged.signature")
    assert signed_in_as(forged.get(site["path"], headers=ENGLISH).text) is None
    with cached.app_context():  # "log out everywhere"
        db.session.execute(
            update(User)
            .where(User.username == "gast")
            .values(session_version=User.session_version + 1)
        )
        db.session.commit()
    page = alice.get(site["path"], headers=ENGLISH).text
    assert signed_in_as(page) is None and "You must be logged in to write a comment." in page


def _approve_form(page: str, comment_id: int) -> tuple[str, dict]:
    action = f"/moderation/comments/{comment_id}/approve"
    start = page.index(f'action="{action}"')
    form = page[start : page.index("</form>", start)]
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form))
    return action, fields


def test_the_queue_is_each_moderators_own_and_changes_with_decisions(cached, site):
    first = logged_in(cached, "aufsicht")
    queue = _read_twice(first, "/moderation/")
    assert "Ihre wartende Antwort." in queue and "aufsicht" in queue
    again = first.get("/moderation/", headers=ENGLISH)
    assert again.headers["Cache-Control"] == "private, no-store"
    again = again.text
    second = logged_in(cached, "zweitaufsicht")
    theirs = _read_twice(second, "/moderation/")
    assert "zweitaufsicht" in theirs and csrf_token(theirs) != csrf_token(again)
    # The kept page's token works for a decision, and the decision shows at once.
    action, fields = _approve_form(again, site["waiting"].id)
    response = first.post(action, data=fields)
    assert response.status_code == 302
    after = first.get("/moderation/", headers=ENGLISH).text
    assert "Ihre wartende Antwort." not in after
    assert "Ihre wartende Antwort." not in second.get("/moderation/", headers=ENGLISH).text
    with cached.app_context():
        assert db.session.get(Comment, site["waiting"].id).status is CommentStatus.VISIBLE


def test_the_queue_follows_an_article_title(cached, site):
    moderator = logged_in(cached, "aufsicht")
    assert "Die Diskussion" in _read_twice(moderator, "/moderation/")
    with cached.app_context():
        article = db.session.get(Article, site["article"].id)
        data = publishing.ArticleInput(
            title="Der neue Titel",
            body=article.body,
            author_name=article.author_name,
            slug=article.slug,
            published_at=article.published_at,
        )
        publishing.update_article(db.session, article, data, utcnow())
        db.session.commit()
    page = moderator.get("/moderation/", headers=ENGLISH).text
    assert "Der neue Titel" in page and "Die Diskussion" not in page


def test_the_queue_follows_flags_bans_and_the_end_of_a_ban(cached, site):
    moderator = logged_in(cached, "aufsicht")
    entry = f'id="entry-{site["shown"].id}"'
    before = _read_twice(moderator, "/moderation/")
    assert entry not in before  # visible and not flagged: not waiting
    with cached.app_context():
        flags.flag_comment(
            db.session,
            db.session.get(Comment, site["shown"].id),
            user=db.session.get(User, site["writer"].id),
            reason="spam",
            note=None,
            now=utcnow(),
            threshold=3,
        )
        db.session.commit()
    flagged = moderator.get("/moderation/", headers=ENGLISH).text
    assert entry in flagged
    assert "status-label--banned" not in flagged
    with cached.app_context():
        bans.ban(
            db.session,
            db.session.get(User, site["writer"].id),
            actor=db.session.scalar(select(User).where(User.username == "aufsicht")),
            now=utcnow(),
            reason="Zu laut.",
            until=utcnow() + timedelta(days=1),
        )
        db.session.commit()
    assert "status-label--banned" in moderator.get("/moderation/", headers=ENGLISH).text
    with cached.app_context():  # the ban runs out: only the clock moves
        db.session.execute(
            update(User)
            .where(User.id == site["writer"].id)
            .values(banned_until=utcnow() - timedelta(seconds=1))
        )
        db.session.commit()
    assert "status-label--banned" not in moderator.get("/moderation/", headers=ENGLISH).text


@pytest.mark.parametrize("username", ["gast", "schreiberin", "aufsicht"])
def test_kept_pages_are_the_pages_the_application_renders(cached, site, tmp_path, username):
    """A member's page put together from kept parts is the page rendered without a cache."""
    plain = make_app(cached.config["DATABASE_URL"], tmp_path / "plain", PAGE_CACHE=False)
    try:
        expected = _words(_read_twice(logged_in(plain, username), site["path"]))
        client = logged_in(cached, username)
        for _ in range(3):  # the application's rendering, then the kept parts
            assert _words(client.get(site["path"], headers=ENGLISH).text) == expected
    finally:
        with plain.app_context():
            db.session.remove()
            db.engine.dispose()


def _words(page: str) -> list[str]:
    """The page without its CSRF token and with white space evened out."""
    return _without_token(page).split()

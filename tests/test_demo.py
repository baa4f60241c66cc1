"""``flask demo``: demo content written for this project, loaded once into an empty database."""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from app.extensions import db
from app.models import (
    Article,
    Comment,
    CommentStatus,
    ModerationAction,
    ModerationEvent,
    Page,
    Topic,
    User,
    UserRole,
    utcnow,
)
from app.services.demo import DEMO_DIR, NEWEST_DAYS_AGO, load_demo, read_articles
from app.text import plain_text, render_article

ACCOUNT_LINE = re.compile(r"^\s+(\S+)\s+(admin|moderator|member)\s+(\S+@\S+)\s+password: (\S+)$")
MODELS = (Article, Topic, Page, User, Comment, ModerationEvent)


def run_demo(app):
    return app.test_cli_runner().invoke(args=["demo"])


def counts(app) -> dict[str, int]:
    with app.app_context():
        return {m.__name__: db.session.scalar(select(func.count(m.id))) for m in MODELS}


@pytest.fixture
def loaded(app):
    result = run_demo(app)
    assert result.exit_code == 0, result.output
    return result.output


def test_the_demo_fills_an_empty_database(app, loaded):
    assert (
        "Demo content loaded: 12 articles in 4 topics, 3 pages, 7 comments (1 pending)." in loaded
    )
    assert counts(app) == {
        "Article": 12,
        "Topic": 4,
        "Page": 3,
        "User": 4,
        "Comment": 7,
        "ModerationEvent": 9,  # seven posts, two approvals of members' first comments
    }


def test_one_account_per_role_with_a_printed_random_password(app, loaded):
    printed = [m.groups() for line in loaded.splitlines() if (m := ACCOUNT_LINE.match(line))]
    assert [(name, role) for name, role, _, _ in printed] == [
        ("admin", "admin"),
        ("moderator", "moderator"),
        ("Mia", "member"),
        ("Jonas", "member"),
    ]
    passwords = [password for *_, password in printed]
    assert len(set(passwords)) == 4 and all(len(password) >= 16 for password in passwords)
    with app.app_context():
        for name, role, email, password in printed:
            user = db.session.scalars(select(User).where(User.username == name)).one()
            assert (user.role, user.email) == (UserRole(role), email)
            assert user.is_confirmed
            assert check_password_hash(user.password_hash, password)
            assert password not in user.password_hash


def test_articles_are_dated_over_weeks_the_newest_some_days_ago(app, loaded):
    now = utcnow()
    with app.app_context():
        dates = list(
            db.session.scalars(select(Article.published_at).order_by(Article.published_at))
        )
        topics = {a.slug: len(a.topics) for a in db.session.scalars(select(Article))}
    assert len(set(dates)) == len(dates) == 12
    newest_day = dates[-1].astimezone(ZoneInfo("Europe/Berlin")).date()
    assert (
        newest_day
        == (now.astimezone(ZoneInfo("Europe/Berlin")) - timedelta(NEWEST_DAYS_AGO)).date()
    )
    assert dates[-1] - dates[0] >= timedelta(weeks=8)
    assert all(date < now - timedelta(days=2) for date in dates)
    assert all(topics.values())


def test_the_site_shows_paging_topics_and_neighbours(client, loaded):
    home = client.get("/")
    assert home.status_code == 200
    assert home.text.count('class="teaser__title"') == 10
    assert "Willkommen bei Diskurs" in home.text
    assert 'href="/?page=2"' in home.text
    second = client.get("/?page=2").text
    assert second.count('class="teaser__title"') == 2
    assert "Der Zinseszins ist langweilig – und gerade deshalb erstaunlich" in second

    topic = client.get("/topics/geldanlage").text
    assert "Kosten, die man nicht sieht" in topic and "Filialen schließen" not in topic

    middle = client.get("/articles/moderation-ist-keine-zensur").text
    assert 'rel="prev" href="/articles/kosten-die-man-nicht-sieht"' in middle
    assert 'rel="next" href="/articles/filialen-schliessen-fragen-bleiben"' in middle


def test_comments_visible_threaded_and_one_pending(app, client, loaded):
    with app.app_context():
        comments = list(db.session.scalars(select(Comment).order_by(Comment.created_at)))
        welcome = db.session.scalars(
            select(Article).where(Article.slug == "willkommen-bei-diskurs")
        ).one()
        assert welcome.visible_comment_count == 4
        assert welcome.author_id is not None  # the editors' articles are the admin's
        approvals = db.session.scalar(
            select(func.count(ModerationEvent.id)).where(
                ModerationEvent.action == ModerationAction.APPROVE
            )
        )
    statuses = [comment.status for comment in comments]
    assert statuses.count(CommentStatus.PENDING) == 1
    assert statuses.count(CommentStatus.VISIBLE) == 6
    assert approvals == 2
    replies = [comment for comment in comments if comment.parent_id is not None]
    assert [reply.depth for reply in replies] == [2, 3, 2]
    assert all(reply.status is CommentStatus.VISIBLE for reply in replies)
    assert all(c.created_at < utcnow() for c in comments)

    page = client.get("/articles/willkommen-bei-diskurs").text
    assert "Schön, dass es hier weitergeht!" in page
    assert "Noch drei Quellen" not in page  # pending: readers do not see it
    assert page.count("comment__badge--author") == 1  # the editors answer as the author


def test_fixed_pages_are_placeholders_linked_from_the_footer(app, client, loaded):
    with app.app_context():
        pages = list(db.session.scalars(select(Page).order_by(Page.footer_position)))
    assert [(p.slug, p.title, p.footer_position) for p in pages] == [
        ("impressum", "Impressum", 1),
        ("datenschutz", "Datenschutz", 2),
        ("ueber-uns", "Über uns", 3),
    ]
    for page in pages:
        assert page.body_html == render_article(page.body)
        assert "Platzhalter – diese Seite muss vor der Veröffentlichung ausgefüllt werden." in (
            plain_text(page.body_html)
        )
        response = client.get(f"/pages/{page.slug}")
        assert response.status_code == 200
        assert "Platzhalter" in response.text
    footer = client.get("/").text
    for slug in ("impressum", "datenschutz", "ueber-uns"):
        assert f'href="/pages/{slug}"' in footer


def test_running_again_adds_nothing(app, loaded):
    before = counts(app)
    again = run_demo(app)
    assert again.exit_code == 0
    assert "already" in again.output and "password" not in again.output
    assert counts(app) == before


def test_a_database_with_any_content_is_left_alone(app, make):
    make.user("Owner", role=UserRole.ADMIN)
    result = run_demo(app)
    assert result.exit_code == 0
    assert "not loaded" in result.output
    assert counts(app) == dict.fromkeys(c.__name__ for c in MODELS) | {
        "Article": 0, "Topic": 0, "Page": 0, "User": 1, "Comment": 0, "ModerationEvent": 0
    }  # fmt: skip
    with app.app_context():
        assert load_demo(db.session, now=utcnow()) is None


def test_the_demo_texts_are_german_essays_in_markdown():
    articles = read_articles(DEMO_DIR / "articles")
    assert len(articles) >= 11
    for stem, source in articles:
        html = render_article(source.body)
        assert html.count("<p>") >= 3, stem
        assert "<a " in html, stem
        assert any(tag in html for tag in ("<ul>", "<ol>", "<blockquote>")), stem
        words = plain_text(html).lower().split()
        assert sum(word in {"die", "der", "und", "das", "nicht"} for word in words) >= 10, stem


def shingles(text: str, size: int = 6) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}


def test_the_demo_texts_are_not_taken_from_the_seeds(shared_dir):
    seeds = set().union(*(shingles(p.read_text()) for p in (shared_dir / "seeds").glob("*.txt")))
    for stem, source in read_articles(DEMO_DIR / "articles"):
        assert not shingles(source.body) & seeds, stem

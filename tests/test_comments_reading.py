"""Reading the discussion: times, order, pages, permalinks, placeholders, labels."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from app.extensions import db
from app.models import AccountState, Article, ArticleSlug, CommentStatus, UserRole, utcnow
from tests.comment_helpers import comment_ids_in, page_url, section
from tests.support import login_as


def test_each_comment_shows_author_exact_time_and_anchor(client, make):
    article = make.article()
    written = utcnow().replace(microsecond=0) - timedelta(minutes=5)
    comment = make.comment(article, make.user("Dora"), "Hallo", created_at=written)
    page = section(client.get(page_url(article)).text)
    block = page[page.index(f'<article id="comment-{comment.id}"') :]
    assert '<span class="comment__author">Dora</span>' in block
    iso = written.isoformat().replace("+00:00", "Z")
    assert re.search(rf'<time class="relative" datetime="{iso}">[^<]+</time>', block)
    assert f'href="/comments/{comment.id}"' in block


def test_oldest_first_within_each_level(client, make):
    article, author = make.article(), make.user()
    start = utcnow() - timedelta(hours=5)
    late = make.comment(article, author, "spät", created_at=start + timedelta(hours=2))
    early = make.comment(article, author, "früh", created_at=start)
    reply_late = make.comment(
        article, author, "b", parent=early, created_at=start + timedelta(hours=3)
    )
    reply_early = make.comment(
        article, author, "a", parent=early, created_at=start + timedelta(hours=1)
    )
    ids = comment_ids_in(client.get(page_url(article)).text)
    assert ids == [early.id, reply_early.id, reply_late.id, late.id]


@pytest.fixture
def paged(app, make):  # noqa: ANN201
    """Five threads of two comments each, two threads per page."""
    app.config["COMMENTS_PER_PAGE"] = 2
    article, author = make.article(), make.user()
    start = utcnow() - timedelta(days=1)
    threads = []
    for number in range(5):
        top = make.comment(
            article, author, f"Thema {number}", created_at=start + timedelta(minutes=number)
        )
        reply = make.comment(
            article, author, f"Antwort {number}", parent=top,
            created_at=start + timedelta(hours=1, minutes=number),
        )  # fmt: skip
        threads.append((top, reply))
    return article, threads


def test_top_level_threads_are_paged_with_their_replies(client, paged):
    article, threads = paged
    first = client.get(page_url(article)).text
    assert comment_ids_in(first) == [
        threads[0][0].id,
        threads[0][1].id,
        threads[1][0].id,
        threads[1][1].id,
    ]
    assert "Seite 1 von 3" in first
    assert f'href="/articles/{article.slug}?page=2#comments"' in first
    last = client.get(page_url(article, page=3)).text
    assert comment_ids_in(last) == [threads[4][0].id, threads[4][1].id]
    assert client.get(page_url(article, page=4)).status_code == 404
    assert client.get(page_url(article, page=-1)).status_code == 404


def test_permalink_opens_the_right_page_at_the_anchor(client, paged):
    article, threads = paged
    response = client.get(f"/comments/{threads[0][1].id}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/articles/{article.slug}#comment-{threads[0][1].id}"
    reply = threads[3][1]
    location = client.get(f"/comments/{reply.id}").headers["Location"]
    assert location == f"/articles/{article.slug}?page=2#comment-{reply.id}"
    assert f'id="comment-{reply.id}"' in client.get(location).text


def test_permalink_follows_a_changed_slug(app, client, make):
    article = make.article("Alter Titel")
    comment = make.comment(article, make.user(), "x")
    with app.app_context():
        row = db.session.get(Article, article.id)
        db.session.add(ArticleSlug(slug=row.slug, article_id=row.id))
        row.slug = "neuer-titel"
        db.session.commit()
    assert client.get(f"/comments/{comment.id}").headers["Location"] == (
        f"/articles/neuer-titel#comment-{comment.id}"
    )


def test_permalinks_that_lead_nowhere(app, client, make):
    article, author = make.article(), make.user()
    pending = make.comment(article, author, "wartet", status=CommentStatus.PENDING)
    assert client.get("/comments/424242").status_code == 404
    assert client.get(f"/comments/{pending.id}").status_code == 404
    login_as(client, author)  # the author sees their own waiting comment
    assert (
        client.get(f"/comments/{pending.id}").headers["Location"].endswith(f"#comment-{pending.id}")
    )
    gone = make.comment(make.article(deleted_at=utcnow()), author, "x")
    assert client.get(f"/comments/{gone.id}").status_code == 410


@pytest.mark.parametrize(
    "status", [CommentStatus.DELETED, CommentStatus.HIDDEN, CommentStatus.PENDING]
)
def test_placeholder_keeps_the_context_of_visible_replies(client, make, status):
    article, author = make.article(), make.user()
    removed = make.comment(article, author, "Geheimer Text", status=status)
    reply = make.comment(article, make.user(), "Sichtbare Antwort", parent=removed)
    lonely = make.comment(article, author, "Einsamer Text", status=status)
    page = section(client.get(page_url(article)).text)
    assert "Kommentar entfernt" in page and "Sichtbare Antwort" in page
    assert "Geheimer Text" not in page and "Einsamer Text" not in page
    assert comment_ids_in(page) == [removed.id, reply.id]
    assert lonely.id not in comment_ids_in(page)
    assert (
        client.get(f"/comments/{removed.id}").headers["Location"].endswith(f"#comment-{removed.id}")
    )


def test_placeholders_down_a_chain(client, make):
    article, author = make.article(), make.user()
    top = make.comment(article, author, "A", status=CommentStatus.DELETED)
    middle = make.comment(article, author, "B", parent=top, status=CommentStatus.HIDDEN)
    leaf = make.comment(article, author, "C sichtbar", parent=middle)
    page = section(client.get(page_url(article)).text)
    assert comment_ids_in(page) == [top.id, middle.id, leaf.id]
    assert page.count("Kommentar entfernt") == 2


def test_members_see_their_own_held_comments_labelled(app, client, make):
    article, member, other = make.article(), make.user(), make.user()
    make.comment(article, member, "Meiner wartet", status=CommentStatus.PENDING)
    hidden = make.comment(article, member, "Meiner verborgen", status=CommentStatus.HIDDEN)
    with app.app_context():
        from app.models import Comment
        from app.services.reasons import note

        db.session.get(Comment, hidden.id).status_reason = note("Beleidigend")
        db.session.commit()
    make.comment(article, other, "Fremder wartet", status=CommentStatus.PENDING)
    login_as(client, member)
    page = section(client.get(page_url(article)).text)
    assert "Meiner wartet" in page and "Wartet auf Freigabe" in page
    assert "Meiner verborgen" in page and "Von der Moderation verborgen: Beleidigend" in page
    assert "Fremder wartet" not in page
    reader = section(app.test_client().get(page_url(article)).text)
    assert "Meiner" not in reader and "Wartet auf Freigabe" not in reader


def test_moderators_see_held_comments_of_others_labelled(client, make):
    article = make.article()
    make.comment(article, make.user(), "Wartet hier", status=CommentStatus.PENDING)
    login_as(client, make.user(role=UserRole.MODERATOR))
    page = section(client.get(page_url(article)).text)
    assert "Wartet hier" in page and "Wartet auf Freigabe" in page


def test_comment_of_a_deleted_account_keeps_its_place(app, client, make):
    article = make.article()
    gone = make.user(state=AccountState.DELETED, deleted_at=utcnow(), username=None)
    make.comment(article, gone, "Alter Beitrag")
    page = section(client.get(page_url(article)).text)
    assert "gelöschtes Konto" in page and "Alter Beitrag" in page


def test_counts_on_home_topic_and_article_pages_are_visible_comments_only(client, make):
    article = make.article("Gezählt", topics=["Zahlen"])
    author = make.user()
    make.comment(article, author, "eins")
    make.comment(article, author, "zwei")
    for status in (CommentStatus.PENDING, CommentStatus.HIDDEN, CommentStatus.DELETED):
        make.comment(article, author, "nicht gezählt", status=status)
    assert "2 Kommentare »" in client.get("/").text
    assert "2 Kommentare »" in client.get("/topics/zahlen").text
    assert '<span class="comments__count">(2)</span>' in client.get(page_url(article)).text
    english = client.get("/", headers={"Accept-Language": "en"}).text
    assert "2 comments »" in english


def test_comment_feed_lists_visible_comments_only_escaped(client, make):
    article = make.article("Feed")
    author = make.user("Emil")
    make.comment(article, author, "Sichtbar <script>x</script> *betont*")
    make.comment(article, author, "Versteckt", status=CommentStatus.HIDDEN)
    response = client.get(f"/articles/{article.slug}/comments.atom")
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    feed = response.text
    assert feed.count("<entry>") == 1 and "Versteckt" not in feed
    assert "<script>" not in feed and "&lt;em&gt;betont&lt;/em&gt;" in feed
    assert "<name>Emil</name>" in feed
    assert client.get("/articles/nope/comments.atom").status_code == 404


def test_english_wording(client, make):
    article, author = make.article(), make.user()
    removed = make.comment(article, author, "x", status=CommentStatus.DELETED)
    make.comment(article, author, "y", parent=removed)
    page = client.get(page_url(article), headers={"Accept-Language": "en"}).text
    assert "Comment removed" in page and ">Reply</a>" in page
    assert "You must be logged in to write a comment." in page

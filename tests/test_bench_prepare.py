"""The benchmark's site builder, at a small size: what it promises about the data holds."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from app.extensions import db
from app.models import Article, Comment, CommentStatus, Flag, User, UserRole, utcnow
from app.services.articles import public_articles
from bench import prepare

SPEC = prepare.Spec(
    articles=30, small_thread=20, big_thread=60, pending=12, comments=150, members=12, flagged=3
)


@pytest.fixture
def manifest(app):
    with app.app_context():
        built = prepare.fill(db.session, SPEC, utcnow())
        db.session.commit()
    return built


def _article(slug: str) -> Article:
    return db.session.scalar(select(Article).where(Article.slug == slug))


def test_fills_the_promised_site(app, manifest):
    with app.app_context():
        now = utcnow()
        public = db.session.scalar(
            select(func.count()).select_from(public_articles(now).subquery())
        )
        assert public == SPEC.articles
        assert db.session.scalar(select(func.count(Comment.id))) == SPEC.comments
        states = Counter(db.session.scalars(select(Comment.status)))
        assert states[CommentStatus.PENDING] == SPEC.pending
        assert manifest.counts["pending"] == SPEC.pending
        for slug, wanted in ((manifest.small_slug, 20), (manifest.big_slug, 60)):
            article = _article(slug)
            assert article.is_public_at(now)
            visible = db.session.scalar(
                select(func.count(Comment.id)).where(
                    Comment.article_id == article.id, Comment.status == CommentStatus.VISIBLE
                )
            )
            assert visible == wanted == article.visible_comment_count


def test_threads_nest_to_depth_five_and_never_deeper(app, manifest):
    with app.app_context():
        comments = {c.id: c for c in db.session.scalars(select(Comment))}
        for comment in comments.values():
            if comment.parent_id is None:
                assert comment.depth == 1
                continue
            parent = comments[comment.parent_id]
            assert parent.article_id == comment.article_id
            assert comment.depth == parent.depth + 1 <= prepare.MAX_DEPTH
            assert parent.created_at <= comment.created_at
        small = _article(manifest.small_slug)
        depths = [c.depth for c in comments.values() if c.article_id == small.id]
        assert max(depths) == prepare.MAX_DEPTH


def test_counts_kept_on_articles_match_the_comments(app, manifest):
    with app.app_context():
        actual = dict(
            db.session.execute(
                select(Comment.article_id, func.count(Comment.id))
                .where(Comment.status == CommentStatus.VISIBLE)
                .group_by(Comment.article_id)
            ).all()
        )
        for article in db.session.scalars(select(Article)):
            assert article.visible_comment_count == actual.get(article.id, 0)
            assert article.discussion_version >= 1


def test_accounts_log_in_and_own_pending_comments(app, manifest):
    with app.app_context():
        member = db.session.scalar(select(User).where(User.username == manifest.member))
        assert check_password_hash(member.password_hash, manifest.password)
        assert not db.session.scalars(select(Comment).where(Comment.author_id == member.id)).all()
        writer = db.session.scalar(select(User).where(User.username == manifest.writer))
        own = db.session.scalars(select(Comment).where(Comment.author_id == writer.id)).all()
        small = _article(manifest.small_slug)
        assert len(own) == 1 and own[0].status is CommentStatus.PENDING
        assert own[0].article_id == small.id and own[0].parent_id is not None
        moderator = db.session.scalar(select(User).where(User.username == manifest.moderator))
        assert moderator.role is UserRole.MODERATOR
        flags = db.session.scalars(select(Flag)).all()
        assert flags
        for flag in flags:
            assert flag.user_id != db.session.get(Comment, flag.comment_id).author_id


def test_new_rows_after_the_bulk_load_get_fresh_ids(app, manifest, make):
    user = make.user("nachzuegler")
    article = make.article("Nach dem Laden")
    comment = make.comment(article, user)
    with app.app_context():
        assert user.id > max(db.session.scalars(select(User.id).where(User.id != user.id)))
        assert comment.id == db.session.scalar(select(func.max(Comment.id)))


def test_pages_of_the_site_answer(client, manifest):
    assert client.get("/").status_code == 200
    for slug in (manifest.small_slug, manifest.big_slug):
        assert client.get(f"/articles/{slug}").status_code == 200


def test_refuses_to_reset_a_site_that_is_not_a_benchmark(app, make):
    make.article("Ein echter Beitrag")
    with app.app_context():
        with pytest.raises(SystemExit, match="not a benchmark site"):
            prepare.reset(db.engine)
        assert db.session.scalar(select(func.count(Article.id))) == 1


def test_build_resets_and_refills_its_own_database(tmp_path):
    url = f"sqlite:///{tmp_path / 'bench.sqlite3'}"
    first = prepare.build(url, SPEC)
    second = prepare.build(url, SPEC)
    assert first.counts == second.counts
    assert second.counts["articles"] == SPEC.articles + 6


def test_the_large_size_adds_a_huge_thread(app):
    spec = prepare.Spec(
        articles=30, small_thread=20, big_thread=60, pending=12, comments=250, members=12,
        flagged=3, huge_thread=90,
    )  # fmt: skip
    with app.app_context():
        manifest = prepare.fill(db.session, spec, utcnow())
        db.session.commit()
        assert manifest.huge_slug == "bench-90"
        article = _article("bench-90")
        assert article.visible_comment_count == 90
    assert prepare.SIZES["large"].huge_thread == 5_000
    assert prepare.SIZES["small"].huge_slug is None

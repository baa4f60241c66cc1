"""The publishing service: saving, slugs and their history, stale edits, neighbours."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app import text
from app.extensions import db
from app.models import Article, ArticleSlug, CacheVersion, Topic, VersionScope, utcnow
from app.services import publishing
from app.services.errors import Conflict, InvalidInput
from app.services.publishing import ArticleInput


def data(**fields) -> ArticleInput:  # noqa: ANN003
    values = {"title": "Ein Titel", "body": "Text.", "author_name": "Redaktion"}
    values.update(fields)
    return ArticleInput(**values)


def test_slug_from_title_by_the_german_rule(app):
    with app.app_context():
        article = publishing.create_article(
            db.session, data(title="Größere Übungen für Banken"), utcnow()
        )
        assert article.slug == "groessere-uebungen-fuer-banken"


def test_topics_are_reused_by_name_and_created_when_new(app, make):
    make.article("Alt", topics=["Bankenrating"])
    with app.app_context():
        article = publishing.create_article(
            db.session, data(topics=publishing.split_topics(" Bankenrating , Neu,, neu ")), utcnow()
        )
        db.session.commit()
        assert [t.name for t in article.topics] == ["Bankenrating", "Neu"]
        assert db.session.scalar(select(db.func.count(Topic.id))) == 2


def test_excerpt_is_the_typed_one_or_derived_from_the_body(app):
    with app.app_context():
        derived = publishing.create_article(db.session, data(body="Erster *Satz*."), utcnow())
        typed = publishing.create_article(
            db.session, data(title="Zwei", body="Lang.", summary="Kurz **so**."), utcnow()
        )
        assert derived.excerpt == "Erster Satz." and derived.summary is None
        assert typed.excerpt == "Kurz so." and typed.summary == "Kurz **so**."


def test_line_ends_from_a_browser_are_unified(app):
    with app.app_context():
        article = publishing.create_article(db.session, data(body="a\r\n\r\nb"), utcnow())
        assert article.body == "a\n\nb"


@pytest.mark.parametrize("title", ["", "   ", "x" * 201])
def test_a_title_is_required_and_bounded(app, title):
    with app.app_context(), pytest.raises(InvalidInput) as refused:
        publishing.create_article(db.session, data(title=title, slug="frei"), utcnow())
    assert refused.value.field == "title"


def test_images_need_alt_text(app):
    with app.app_context():
        with pytest.raises(InvalidInput) as refused:
            publishing.create_article(
                db.session, data(body="![](https://example.org/a.png)"), utcnow()
            )
        assert refused.value.field == "body" and "https://example.org/a.png" in str(refused.value)
        db.session.rollback()
        assert db.session.scalar(select(db.func.count(Article.id))) == 0


def test_an_image_alone_with_a_title_becomes_a_figure_with_caption():
    html = text.render_article('Text.\n\n![Ein Diagramm](https://e.org/d.png "Umsatz 2024")')
    assert (
        '<figure><img src="https://e.org/d.png" alt="Ein Diagramm">'
        "<figcaption>Umsatz 2024</figcaption>" in html.replace("\n", "")
    )
    inline = text.render_article('Vor ![Bild](https://e.org/b.png "T") nach')
    assert "<figure>" not in inline and 'title="T"' in inline


def test_article_headings_start_below_the_page_title():
    assert text.render_article("# Abschnitt") == "<h2>Abschnitt</h2>\n"


def test_slug_taken_now_or_before_is_refused(app, make):
    first = make.article("Erster")
    with app.app_context():
        article = db.session.get(Article, first.id)
        publishing.change_slug(db.session, article, "erster-neu")
        db.session.commit()
        for slug in ("erster", "erster-neu"):
            with pytest.raises(Conflict) as refused:
                publishing.create_article(db.session, data(slug=slug), utcnow())
            assert refused.value.field == "slug"
            db.session.rollback()


@pytest.mark.parametrize("slug", ["Gross", "a b", "ä", "-x", "x" * 121])
def test_malformed_slugs_are_refused(app, slug):
    with app.app_context(), pytest.raises(InvalidInput) as refused:
        publishing.create_article(db.session, data(slug=slug), utcnow())
    assert refused.value.field == "slug"


def test_changed_slug_keeps_every_earlier_one_and_may_return(app, make):
    made = make.article("Anfang")
    with app.app_context():
        article = db.session.get(Article, made.id)
        for slug in ("zweiter", "dritter", "anfang"):
            publishing.update_article(
                db.session, article, data(title="Anfang", slug=slug), utcnow(), article.revision
            )
        db.session.commit()
        former = set(db.session.scalars(select(ArticleSlug.slug)))
        assert article.slug == "anfang" and former == {"zweiter", "dritter"}


def test_stale_revision_is_refused(app, make):
    made = make.article("Alt")
    with app.app_context():
        article = db.session.get(Article, made.id)
        publishing.update_article(db.session, article, data(title="Neu"), utcnow(), 1)
        db.session.commit()
        with pytest.raises(publishing.StaleEdit):
            publishing.update_article(db.session, article, data(title="Später"), utcnow(), 1)
        db.session.rollback()
        assert db.session.get(Article, made.id).title == "Neu"


def test_a_save_racing_another_is_refused_by_the_database(app, make):
    """Both editors read revision 1; the row already moved on when the second one writes."""
    made = make.article("Alt")
    with app.app_context():
        article = db.session.get(Article, made.id)
        # Someone else's save, committed between our read and our write.
        db.session.execute(
            db.update(Article)
            .where(Article.id == made.id)
            .values(revision=2)
            .execution_options(synchronize_session=False)
        )
        assert article.revision == 1
        with pytest.raises(publishing.StaleEdit):
            publishing.update_article(db.session, article, data(title="Verloren?"), utcnow(), 1)


def test_revised_at_only_for_content_changes_of_public_articles(app, make):
    public = make.article("Öffentlich")
    draft = make.article("Entwurf", published_at=None)
    with app.app_context():
        now = utcnow()
        article = db.session.get(Article, public.id)
        same = data(title="Öffentlich", body=article.body, published_at=article.published_at)
        publishing.update_article(db.session, article, same, now, article.revision)
        assert article.revised_at is None
        changed = data(title="Öffentlich", body="Neu.", published_at=article.published_at)
        publishing.update_article(db.session, article, changed, now, article.revision)
        assert article.revised_at == now
        unpublished = db.session.get(Article, draft.id)
        publishing.update_article(
            db.session, unpublished, data(title="Entwurf", body="Neu."), now, 1
        )
        assert unpublished.revised_at is None


def _versions(ids: list[int]) -> list[int]:
    return [db.session.get(Article, ident).discussion_version for ident in ids]


def _site_version() -> int:
    site = select(CacheVersion.version).where(CacheVersion.name == VersionScope.SITE.value)
    return db.session.scalar(site)


def test_publishing_raises_the_articles_and_the_sites_versions(app, make):
    """The neighbours' links change with the site's version, which every page's key holds;
    the other articles' own discussions stay as they were."""
    start = utcnow() - timedelta(days=10)
    first = make.article("Eins", published_at=start)
    middle = make.article("Zwei", published_at=None)
    last = make.article("Drei", published_at=start + timedelta(days=2))
    ids = [first.id, middle.id, last.id]
    with app.app_context():
        before, site = _versions(ids), _site_version()
        article = db.session.get(Article, middle.id)
        publish = data(title="Zwei", published_at=start + timedelta(days=1))
        publishing.update_article(db.session, article, publish, utcnow(), 1)
        db.session.commit()
        db.session.expire_all()
        after = _versions(ids)
        assert [b - a for a, b in zip(before, after, strict=True)] == [0, 1, 0]
        assert _site_version() == site + 1


def test_a_transaction_raises_each_version_once(app, make):
    start = utcnow() - timedelta(days=10)
    make.article("Eins", published_at=start)
    middle = make.article("Zwei", published_at=start + timedelta(days=1))
    make.comment(middle, make.user("jemand"), "Ein Gedanke.")
    statements: list[str] = []
    with app.app_context():
        from sqlalchemy import event

        article = db.session.get(Article, middle.id)
        before, site = _versions([middle.id])[0], _site_version()

        def record(conn, cursor, statement, *args):  # noqa: ANN001, ANN002
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", record)
        try:
            publishing.set_deleted(db.session, article, utcnow(), utcnow())
            article.title = "Zwei, gelöscht"
            db.session.flush()
            db.session.commit()
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
        db.session.expire_all()
        assert _versions([middle.id]) == [before + 1]
        assert _site_version() == site + 1
    bumps = [s for s in statements if s.startswith("UPDATE articles SET discussion_version")]
    sites = [s for s in statements if s.startswith("INSERT INTO cache_versions")]
    assert len(bumps) == 1 and len(sites) == 1

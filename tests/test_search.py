"""Search finds published articles and visible comments, the German way, and nothing else.

Runs on SQLite (FTS5) and on PostgreSQL (tsvector, GIN) alike: ``--database=postgresql``.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Article, Comment, CommentStatus, ModerationAction, User, utcnow
from app.services import publishing, transitions
from tests.search_support import finds_article, finds_comment, follow, search
from tests.support import login_as, post_form


@pytest.fixture
def member(make):  # noqa: ANN001, ANN201
    return make.user("Leserin")


def test_german_inflections_find_each_other(client, make):
    bank = make.article("Die Bank an der Ecke", body="Eine Filiale mit Kunden.")
    banks = make.article("Über Banken", body="Große Institute und ihre Sparer.")
    assert finds_article(client, "Banken", bank.slug)
    assert finds_article(client, "Bank", banks.slug)
    assert finds_article(client, "Kunde", bank.slug)
    assert finds_article(client, "Sparern", banks.slug)


def test_umlauts_match_their_transliteration_both_ways(client, make):
    spelled = make.article("Volle Bänke", body="Die Straße war gesperrt, in München.")
    plain = make.article("Baenke im Park", body="Eine Gruesse aus Muenchen.")
    for query in ("Baenke", "Bänke", "BÄNKE", "Strasse", "Straße", "Muenchen"):
        assert finds_article(client, query, spelled.slug), query
    for query in ("Bänke", "München", "Grüße"):
        assert finds_article(client, query, plain.slug), query


def test_words_find_compounds_that_begin_with_them(client, make):
    article = make.article(
        "Der Einlagensicherungsfonds", body="Vom Zinseszins und den Einlagen der Sparer."
    )
    for query in ("Einlagensicherung", "Einlagensicherungsfonds", "Zinseszins", "Zinsen"):
        assert finds_article(client, query, article.slug), query
    assert not finds_article(client, "Sicherung", article.slug)  # a compound's middle


def test_every_word_must_match(client, make):
    both = make.article("Zinsen und Inflation")
    one = make.article("Zinsen allein")
    found = search(client, "Zinsen Inflation", kind="articles").articles
    assert both.slug in found and one.slug not in found


def test_titles_rank_above_mentions_in_the_text(client, make):
    mention = make.article("Ein Tag am Markt", body="Nebenbei ging es um Anleihen.")
    title = make.article("Anleihen erklärt", body="Was man wissen sollte.")
    assert search(client, "Anleihen", kind="articles").articles == [title.slug, mention.slug]


def test_only_published_articles_are_found(client, make):
    public = make.article("Stresstest öffentlich")
    draft = make.article("Stresstest Entwurf", published_at=None)
    later = make.article("Stresstest geplant", published_at=utcnow() + timedelta(days=1))
    deleted = make.article("Stresstest gelöscht", deleted_at=utcnow())
    found = search(client, "Stresstest", kind="articles").articles
    assert found == [public.slug]
    assert draft.slug not in found and later.slug not in found and deleted.slug not in found


def test_only_visible_comments_under_public_articles_are_found(client, make, member):
    article = make.article("Ein Beitrag")
    visible = make.comment(article, member, "Mein Girokonto ist teuer.")
    held = make.comment(article, member, "Girokonto wartend.", status=CommentStatus.PENDING)
    hidden = make.comment(article, member, "Girokonto verborgen.", status=CommentStatus.HIDDEN)
    deleted = make.comment(article, member, "Girokonto gelöscht.", status=CommentStatus.DELETED)
    draft = make.article("Entwurf", published_at=None)
    under_draft = make.comment(draft, member, "Girokonto unter einem Entwurf.")
    gone = make.article("Weg", deleted_at=utcnow())
    under_deleted = make.comment(gone, member, "Girokonto unter Gelöschtem.")

    for viewer in (None, member):
        if viewer:
            login_as(client, viewer)  # one's own held comment is not found either
        found = search(client, "Girokonto", kind="comments").comments
        assert found == [visible.id]
    for ident in (held.id, hidden.id, deleted.id, under_draft.id, under_deleted.id):
        assert ident not in found


def test_a_moderation_decision_shows_in_the_results_at_once(app, client, make, member):
    article = make.article("Beitrag")
    comment = make.comment(article, member, "Die Anleihe ist fällig.")
    moderator = make.user("Moderatorin")
    assert finds_comment(client, "Anleihe", comment.id)
    with app.app_context():
        row, actor = db.session.get(Comment, comment.id), db.session.get(User, moderator.id)
        transitions.change_status(
            db.session, row, CommentStatus.HIDDEN,
            action=ModerationAction.HIDE, actor=actor, now=utcnow(), reason="Spam",
        )  # fmt: skip
        db.session.commit()
    assert not finds_comment(client, "Anleihe", comment.id)
    with app.app_context():
        row, actor = db.session.get(Comment, comment.id), db.session.get(User, moderator.id)
        transitions.change_status(
            db.session, row, CommentStatus.VISIBLE,
            action=ModerationAction.UNHIDE, actor=actor, now=utcnow(),
        )  # fmt: skip
        db.session.commit()
    assert finds_comment(client, "Anleihe", comment.id)


def test_a_comment_posted_and_edited_through_the_site_is_found_by_its_new_text(
    app, client, make, member
):
    article = make.article("Beitrag")
    earlier = utcnow() - timedelta(days=1)  # not held any more, and long enough ago
    make.comment(article, member, "Ein erster, freigegebener Kommentar.", created_at=earlier)
    login_as(client, member)
    post_form(client, f"/articles/{article.slug}", f"/articles/{article.slug}/comments",
              body="Ich spare mit einem Bausparvertrag.")  # fmt: skip
    with app.app_context():
        posted = db.session.scalar(select(Comment).order_by(Comment.id.desc()).limit(1))
        assert posted.status is CommentStatus.VISIBLE
    assert finds_comment(client, "Bausparvertrag", posted.id)

    response = post_form(client, f"/comments/{posted.id}/edit", body="Lieber ein Tagesgeldkonto.")
    assert response.status_code == 302
    assert finds_comment(client, "Tagesgeldkonto", posted.id)
    assert not finds_comment(client, "Bausparvertrag", posted.id)


def test_an_article_edit_changes_what_finds_it(app, client, make):
    article = make.article("Alter Titel", body="Vom Kapitalmarkt.")
    with app.app_context():
        row = db.session.get(Article, article.id)
        data = publishing.ArticleInput(
            title="Neuer Titel über Renten",
            body="Von der Altersvorsorge.",
            author_name=row.author_name,
            published_at=row.published_at,
        )
        publishing.update_article(db.session, row, data, utcnow())
        db.session.commit()
    assert finds_article(client, "Altersvorsorge", article.slug)
    assert finds_article(client, "Renten", article.slug)
    assert not finds_article(client, "Kapitalmarkt", article.slug)


def test_a_change_rolled_back_leaves_the_index_as_it_was(app, client, make, member):
    article = make.article("Beitrag")
    comment = make.comment(article, member, "Die Dividende kommt.")
    with app.app_context():
        db.session.get(Comment, comment.id).body = "Der Kupon kommt."
        db.session.flush()
        db.session.rollback()
    assert finds_comment(client, "Dividende", comment.id)
    assert not finds_comment(client, "Kupon", comment.id)


def test_snippets_mark_the_matches_and_escape_the_text(client, make, member):
    article = make.article("Beitrag")
    make.comment(article, member, "<script>alert(1)</script> Zinseszins & *Rendite*")
    found = search(client, "zinseszins rendite", kind="comments")
    assert len(found.snippets) == 1
    snippet = found.snippets[0]
    assert "<mark>Zinseszins</mark>" in snippet and "<mark>Rendite</mark>" in snippet
    assert "&lt;script&gt;" in snippet and "<script>" not in found.text.split("<main")[1]
    assert "&amp;" in snippet


def test_snippets_show_the_passage_around_the_first_match(client, make):
    filler = " ".join(["Vorrede"] * 120)
    article = make.article("Ein langer Text", body=f"{filler} Hier steht das Tagesgeld. {filler}")
    snippet = search(client, "Tagesgeld", kind="articles").snippets[0]
    assert "<mark>Tagesgeld</mark>" in snippet
    assert snippet.startswith("… ") and snippet.endswith(" …")
    assert len(snippet) < 400
    assert article.slug in search(client, "Tagesgeld").articles


def test_results_come_in_pages(client, make, member):
    article = make.article("Beitrag")
    ids = [make.comment(article, member, f"Kommentar {n} zur Inflation.").id for n in range(23)]
    first = search(client, "Inflation", kind="comments")
    assert len(first.comments) == 10 and first.counts["comments"] == "23"
    seen, page = list(first.comments), first
    while page.next_link:
        page = follow(client, page.next_link)
        seen += page.comments
    assert sorted(seen) == sorted(ids)  # every one once, over three pages
    beyond = search(client, "Inflation", kind="comments", page=9)
    assert beyond.status == 200 and beyond.comments == []


def test_articles_come_first_and_comments_are_one_click_away(client, make, member):
    article = make.article("Die Rente mit 70")
    comment = make.comment(article, member, "Die Rente reicht nicht.")
    both = search(client, "Rente")
    assert both.articles == [article.slug] and both.comments == []
    assert both.counts == {"articles": "1", "comments": "1"}
    only_comments = search(client, "reicht")
    assert only_comments.comments == [comment.id]  # no article matches: comments are shown


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "und die der",
        '"',
        '"unclosed',
        "*",
        "bank*",
        "NEAR(bank zins, 2)",
        "bank AND OR NOT zins",
        "title:bank",
        "^bank",
        "'",
        "':*",
        "bank:* & !zins | (",
        "\\",
        "a" * 2000,
        "Bank " * 400,
        "🏦💶",
        "<script>alert(1)</script>",
        "ﬁnanz",
        "e\u0301",
    ],
)
def test_any_query_answers_a_page(client, make, query):
    make.article("Bank und Zins")
    result = search(client, query)
    assert result.status == 200
    assert 'id="search-q"' in result.text


def test_a_nul_character_is_refused_with_a_page(client, make):
    make.article("Bank und Zins")
    result = search(client, "bank\x00zins")
    assert result.status == 400  # refused before any view: NUL is never valid text
    assert "<html" in result.text


def test_the_naughty_strings_answer_pages(app, client, make, member, shared_dir, caplog):
    import json

    app.config["SEARCHES_PER_ADDRESS"] = 1_000_000  # the whole corpus from one address
    article = make.article("Bank und Zins", body="Ein Text über Banken.")
    make.comment(article, member, "Zinsen, Banken und anderes.")
    strings = json.loads((shared_dir / "corpora" / "blns.json").read_text())
    for text in strings:
        result = search(client, text)
        assert result.status == 200, repr(text)
    assert not [r for r in caplog.records if r.levelname in ("WARNING", "ERROR")]


def test_only_common_words_get_a_hint(client, make):
    make.article("Die Bank")
    result = search(client, "und die der")
    assert "zu häufig" in result.text or "too common" in result.text
    assert result.articles == []


def test_long_queries_search_their_first_words(client, make):
    article = make.article("Bank Zins Kredit")
    words = "Bank Zins Kredit " + " ".join(f"Wort{n}" for n in range(20))
    result = search(client, words)
    assert "Wörter" in result.text or "words" in result.text  # the left-out ones are mentioned
    assert result.articles == []  # Wort0..Wort4 are among the first eight: nothing matches
    assert article.slug in search(client, "Bank Zins Kredit").articles


def test_the_search_box_is_on_every_page_and_the_page_is_not_indexed(client, make):
    make.article("Beitrag")
    home = client.get("/").get_data(as_text=True)
    assert 'role="search"' in home and 'action="/search"' in home and 'name="q"' in home
    page = search(client, "Bank").text
    assert '<meta name="robots" content="noindex, follow">' in page
    assert '<link rel="canonical" href="http://localhost/search?q=Bank">' in page


def test_with_very_many_matches_the_newest_are_ranked(app, client, make, member, monkeypatch):
    """A word in most comments of a large site: PostgreSQL ranks only the newest matches
    (queries.RECENT), walking the comments newest first; what readers may not see stays out."""
    from app.search import queries

    monkeypatch.setitem(queries.RECENT, queries.SearchKind.COMMENTS, 3)
    article = make.article("Beitrag")
    draft = make.article("Entwurf", published_at=None)
    start = utcnow() - timedelta(hours=10)
    made = [
        make.comment(article, member, f"Rente {n}", created_at=start + timedelta(hours=n)).id
        for n in range(5)
    ]
    make.comment(article, member, "Rente wartet", status=CommentStatus.PENDING)
    make.comment(draft, member, "Rente im Entwurf")
    found = search(client, "Rente", kind="comments")
    assert found.counts["comments"] == "5"
    with app.app_context():
        walked = db.engine.dialect.name == "postgresql"
    assert sorted(found.comments) == sorted(made[-3:] if walked else made)

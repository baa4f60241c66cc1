"""``flask articles import``: seed pages and Markdown files into published articles."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Article, ArticleSlug, utcnow
from app.services.importer import import_files

BERLIN = ZoneInfo("Europe/Berlin")

MARKDOWN = """---
title: Zinsen, Zeit und Geduld
author: Clara Hoffmann
date: 2024-03-05 09:30
topics: Geldanlage, Zinsen
summary: Warum der Zinseszins Geduld belohnt.
---

Der [Zinseszins](https://de.wikipedia.org/wiki/Zinseszins) wirkt langsam.

- erstens: früh anfangen
- zweitens: dabei bleiben
"""


@pytest.fixture
def seeds(shared_dir) -> dict[str, Path]:
    paths = {path.name[:3]: path for path in (shared_dir / "seeds").glob("*.txt")}
    assert {"000", "003"} <= set(paths)
    return paths


def run_import(app, *args: str):
    return app.test_cli_runner().invoke(args=["articles", "import", *map(str, args)])


def article_by(app, **where) -> Article:
    with app.app_context():
        query = select(Article)
        for name, value in where.items():
            query = query.where(getattr(Article, name) == value)
        article = db.session.scalars(query).one()
        article.topic_names = sorted(topic.name for topic in article.topics)
        db.session.expunge(article)
        return article


def article_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Article.id)))


def midnight(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=BERLIN).astimezone(UTC)


def test_both_seed_pages_are_imported_with_every_field(app, client, seeds):
    result = run_import(app, seeds["003"], seeds["000"])
    assert result.exit_code == 0, result.output
    assert "2 imported (2 created, 0 updated), 0 failed." in result.output

    everling = article_by(app, slug="banken-in-der-partizipationsmaschine")
    assert everling.title == "Banken in der Partizipationsmaschine"
    assert everling.author_name == "Dr. Oliver Everling"
    assert everling.published_at == datetime(2012, 11, 24, 23, 0, tzinfo=UTC)
    assert everling.published_at.astimezone(BERLIN).date() == date(2012, 11, 25)
    assert everling.topic_names == ["Bankenrating", "Nachrichten"]
    assert everling.body.startswith(
        "Social Media ist vor allem anderen eine „Partizipationsmaschine“"
    )
    for furniture in ("«", "Home", "Von ", "Themen", "Kommentar", "eingelogged", "Sie müssen"):
        assert furniture not in everling.body

    janek = article_by(app, slug="social-media-ist-nicht-gleich-social-media")
    assert janek.title == "Social Media ist nicht gleich Social Media"
    assert janek.author_name == "Boris Janek"
    assert janek.topic_names == []
    assert janek.published_at == midnight(utcnow().astimezone(BERLIN).date())
    hosts = [urlsplit(href).hostname for href in re.findall(r'href="([^"]+)"', janek.body_html)]
    assert hosts == ["www.thestrategyweb.com", "lochmaier.wordpress.com", "ethikbank.blog.de"]
    for teaser in ("ow.ly", "finance20", "Lesen Sie", "Lebenslüge"):
        assert teaser not in janek.body and teaser not in janek.body_html
    paragraphs = janek.body.strip().split("\n\n")
    assert not {"title", "Blog", "Boris Janek", "AUTHOR - Boris Janek"} & set(paragraphs)
    assert not {"Post A Comment", "Schließen", "\u00a0", ""} & set(paragraphs)

    home = client.get("/").text
    assert "Banken in der Partizipationsmaschine" in home
    assert "Social Media ist nicht gleich Social Media" in home
    page = client.get("/articles/social-media-ist-nicht-gleich-social-media")
    assert page.status_code == 200
    assert 'href="http://ethikbank.blog.de/"' in page.text
    assert "Bankenrating" in client.get("/topics/bankenrating").text


def test_a_markdown_file_with_front_matter(app, client, tmp_path):
    path = tmp_path / "zinsen.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    result = run_import(app, path)
    assert result.exit_code == 0, result.output
    assert f"created: {path} -> /articles/zinsen-zeit-und-geduld" in result.output

    article = article_by(app, slug="zinsen-zeit-und-geduld")
    assert (article.title, article.author_name) == ("Zinsen, Zeit und Geduld", "Clara Hoffmann")
    assert article.published_at == datetime(2024, 3, 5, 8, 30, tzinfo=UTC)
    assert article.topic_names == ["Geldanlage", "Zinsen"]
    assert article.summary == "Warum der Zinseszins Geduld belohnt."
    assert '<a href="https://de.wikipedia.org/wiki/Zinseszins"' in article.body_html
    assert "<li>zweitens: dabei bleiben</li>" in article.body_html
    assert "Zinsen, Zeit und Geduld" in client.get("/").text


def test_the_slug_of_the_header_wins(app, tmp_path):
    path = tmp_path / "a.md"
    path.write_text(MARKDOWN.replace("summary:", "slug: geduld\nsummary:"), encoding="utf-8")
    assert run_import(app, path).exit_code == 0
    assert article_by(app, slug="geduld").title == "Zinsen, Zeit und Geduld"


def test_importing_again_updates_instead_of_adding(app, tmp_path, seeds):
    path = tmp_path / "zinsen.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    assert run_import(app, path, seeds["003"]).exit_code == 0
    first = article_by(app, slug="zinsen-zeit-und-geduld")

    path.write_text(
        MARKDOWN.replace("wirkt langsam", "wirkt langsam, aber sicher").replace(
            "topics: Geldanlage, Zinsen", "topics: Geldanlage"
        ),
        encoding="utf-8",
    )
    result = run_import(app, path, seeds["003"])
    assert result.exit_code == 0, result.output
    assert "2 imported (0 created, 2 updated), 0 failed." in result.output
    assert article_count(app) == 2
    again = article_by(app, slug="zinsen-zeit-und-geduld")
    assert again.id == first.id
    assert "wirkt langsam, aber sicher" in again.body_html
    assert again.topic_names == ["Geldanlage"]
    assert again.revision == first.revision + 1


def test_an_edited_article_keeps_its_new_slug_comments_setting_and_summary(app, make, seeds):
    assert run_import(app, seeds["003"]).exit_code == 0
    with app.app_context():
        article = db.session.scalars(select(Article)).one()
        db.session.add(ArticleSlug(slug=article.slug, article_id=article.id))
        article.slug, article.comments_open, article.summary = "partizipation", False, "Kurz."
        db.session.commit()
    result = run_import(app, seeds["003"])
    assert result.exit_code == 0, result.output
    assert "updated:" in result.output and "/articles/partizipation" in result.output
    article = article_by(app, slug="partizipation")
    assert (article.comments_open, article.summary) == (False, "Kurz.")
    assert article_count(app) == 1


def test_date_option_dates_undated_pages_only(app, seeds):
    result = run_import(app, "--date", "2010-05-20", seeds["000"], seeds["003"])
    assert result.exit_code == 0, result.output
    janek = article_by(app, author_name="Boris Janek")
    assert janek.published_at == datetime(2010, 5, 19, 22, 0, tzinfo=UTC)  # midnight, summer time
    everling = article_by(app, author_name="Dr. Oliver Everling")
    assert everling.published_at == datetime(2012, 11, 24, 23, 0, tzinfo=UTC)


def test_date_option_is_checked(app, seeds):
    result = run_import(app, "--date", "20.05.2010", seeds["000"])
    assert result.exit_code == 2
    assert "--date" in result.output
    assert article_count(app) == 0


def test_an_undated_page_keeps_the_day_of_its_first_import(app, seeds):
    first_day = datetime(2023, 7, 14, 22, 30, tzinfo=UTC)  # already 15 July in Berlin
    later = first_day + timedelta(days=40)
    with app.app_context():
        report = import_files(db.session, [seeds["000"]], now=first_day)
        assert not report.failures
        again = import_files(db.session, [seeds["000"]], now=later)
        assert [result.action for result in again.results] == ["updated"]
    article = article_by(app, author_name="Boris Janek")
    assert article.published_at == midnight(date(2023, 7, 15))
    assert article_count(app) == 1


def test_a_date_option_given_later_redates_an_undated_page(app, seeds):
    with app.app_context():
        import_files(db.session, [seeds["000"]], now=datetime(2023, 7, 14, 12, tzinfo=UTC))
        import_files(db.session, [seeds["000"]], default_date=date(2011, 1, 2), now=utcnow())
    assert article_by(app, author_name="Boris Janek").published_at == midnight(date(2011, 1, 2))


def test_the_site_time_zone_decides_what_midnight_is(app, seeds):
    with app.app_context():
        report = import_files(db.session, [seeds["003"]], now=utcnow(), timezone="America/New_York")
        assert not report.failures
    everling = article_by(app, author_name="Dr. Oliver Everling")
    assert everling.published_at == datetime(2012, 11, 25, 5, 0, tzinfo=UTC)


def test_bad_files_are_named_and_the_others_imported(app, tmp_path, seeds):
    good = tmp_path / "gut.md"
    good.write_text(MARKDOWN, encoding="utf-8")
    no_title = tmp_path / "ohne-titel.md"
    no_title.write_text("---\nauthor: A B\n---\nText\n", encoding="utf-8")
    plain_markdown = tmp_path / "ohne-kopf.md"
    plain_markdown.write_text("# Nur Markdown\n\nText\n", encoding="utf-8")
    binary = tmp_path / "bild.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    missing = tmp_path / "fehlt.txt"
    folder = tmp_path / "ordner"
    folder.mkdir()

    result = run_import(app, no_title, good, plain_markdown, binary, missing, folder, seeds["003"])
    assert result.exit_code == 1
    output = result.output
    assert f"failed: {no_title}: the front-matter header lacks title" in output
    assert f"failed: {plain_markdown}: a Markdown file needs a front-matter header" in output
    assert f"failed: {binary}: not a text file" in output
    assert f"failed: {missing}: no such file" in output
    assert f"failed: {folder}: is a directory" in output
    assert "2 imported (2 created, 0 updated), 5 failed." in output
    assert article_count(app) == 2
    assert article_by(app, slug="zinsen-zeit-und-geduld").author_name == "Clara Hoffmann"


def test_files_that_cannot_be_read_or_decoded_are_reported(app, tmp_path):
    blocker = tmp_path / "datei.md"
    blocker.write_text(MARKDOWN, encoding="utf-8")
    below_a_file = blocker / "darunter.txt"
    undecodable = tmp_path / "kodierung.txt"
    undecodable.write_bytes(b"Titel\n\nVon A B\n\n\xff\x81\x8d\n")
    result = run_import(app, below_a_file, undecodable)
    assert result.exit_code == 1
    assert f"failed: {below_a_file}: cannot be read: Not a directory" in result.output
    assert f"failed: {undecodable}: neither UTF-8 nor Windows-1252 text" in result.output
    assert article_count(app) == 0


def test_windows_1252_pages_are_read(app, tmp_path):
    page = tmp_path / "alt.txt"
    page.write_bytes("Größere Übungen\n\nVon Jörg Maß | 1. März 2011\n\nText.\n".encode("cp1252"))
    result = run_import(app, page)
    assert result.exit_code == 0, result.output
    article = article_by(app, slug="groessere-uebungen")
    assert article.author_name == "Jörg Maß"
    assert article.published_at == midnight(date(2011, 3, 1))


def test_a_refused_file_changes_nothing(app, tmp_path, seeds):
    assert run_import(app, seeds["003"]).exit_code == 0
    before = article_by(app, slug="banken-in-der-partizipationsmaschine")
    broken = tmp_path / "kaputt.txt"
    broken.write_text("Banken in der Partizipationsmaschine\n\nVon A B | 31. Februar 2012\n\nX\n")
    result = run_import(app, broken)
    assert result.exit_code == 1
    assert "not a real date" in result.output
    after = article_by(app, slug="banken-in-der-partizipationsmaschine")
    assert (after.body, after.revision, after.author_name) == (
        before.body,
        before.revision,
        before.author_name,
    )


def test_a_deleted_article_is_updated_but_stays_deleted(app, client, seeds):
    assert run_import(app, seeds["003"]).exit_code == 0
    with app.app_context():
        article = db.session.scalars(select(Article)).one()
        article.deleted_at = utcnow()
        db.session.commit()
    result = run_import(app, seeds["003"])
    assert result.exit_code == 0, result.output
    assert "deleted: stays deleted" in result.output
    assert article_by(app, slug="banken-in-der-partizipationsmaschine").deleted_at is not None
    assert client.get("/articles/banken-in-der-partizipationsmaschine").status_code == 410


def test_an_undated_page_is_named_in_a_warning_with_the_date_used(app, seeds, tmp_path):
    broken = tmp_path / "ohne-autor.md"
    broken.write_text("---\ntitle: Ein Titel\n---\nText\n", encoding="utf-8")
    result = run_import(app, seeds["000"], seeds["003"], broken)
    today = utcnow().astimezone(ZoneInfo("Europe/Berlin")).date().isoformat()
    assert result.stderr.splitlines() == [
        f"warning: {seeds['000']}: no date found in the file; dated {today} (today). "
        "Give --date YYYY-MM-DD to set it."
    ]
    assert result.stdout.splitlines()[-3:] == [
        "2 imported (2 created, 0 updated), 1 failed.",
        f"  created (2): {seeds['000']}, {seeds['003']}",
        f"  failed (1): {broken}",
    ]
    assert f"  created (2): {seeds['000']}, {seeds['003']}" in result.stdout
    assert f"  failed (1): {broken}" in result.stdout
    assert "  updated" not in result.stdout

    again = run_import(app, seeds["000"])
    assert "kept" in again.stderr and str(seeds["000"]) in again.stderr
    assert f"  updated (1): {seeds['000']}" in again.stdout
    dated = run_import(app, "--date", "2010-05-20", seeds["000"])
    assert dated.stderr == ""

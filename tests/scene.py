"""One database full of realistic content, for the tests that walk every page type.

``build_scene`` makes one of everything the pages show (a deep thread, a comment in every
state, flags, a moderation log, a fixed page, a draft, a deleted article, an earlier slug);
``Scene.paths`` holds the values page paths are filled with.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.extensions import db
from app.models import (
    AccountState,
    Article,
    Comment,
    CommentStatus,
    Flag,
    FlagReason,
    ModerationAction,
    Page,
    User,
    UserRole,
    utcnow,
)
from app.services import bans, flags, publishing, reasons, tokens, transitions
from app.text import render_article
from tests.conftest import make_app
from tests.scene_notices import build_notices
from tests.support import Factory, empty_tables, login_as

# Few articles and threads per page, so that the pagers show.
SCENE_SETTINGS = {"ARTICLES_PER_PAGE": 3, "COMMENTS_PER_PAGE": 4}


ROLE_NAMES = {
    "Mitglied": UserRole.MEMBER,
    "Moderatorin": UserRole.MODERATOR,
    "Redakteurin": UserRole.ADMIN,
}


@dataclass
class Scene:
    """What build_scene made: the users by role and the values for the paths."""

    users: dict[str, User] = field(default_factory=dict)
    paths: dict[str, str] = field(default_factory=dict)
    comments: dict[str, int] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)  # anything else a builder records


ARTICLE_BODY = """\
Die Aufsicht hat die **größeren Banken** zu neuen Übungen verpflichtet. Wer seine Zahlen
nicht kennt, wird es bei der nächsten Prüfung schwer haben.

## Was sich ändert

- Stresstests zweimal im Jahr statt einmal
- ein Bericht über die Liquidität in *jeder* Währung
- Fristen, die nicht verlängert werden

> Die Übung ist kein Selbstzweck, sondern die Probe für den Ernstfall.

| Jahr | Übungen | Befunde |
| --- | --- | --- |
| 2023 | 1 | 14 |
| 2024 | 2 | 9 |

```
zinsen = kapital * satz * tage / 360
```

Mehr dazu unter https://example.org/eine/sehr/lange/adresse/die/nicht/umbrechen/will/und/weiter/geht
und in einem Wort wie Donaudampfschifffahrtsgesellschaftskapitänswitwenrentenversicherung.
"""

THREAD_TEXTS = [
    "Danke für die Zusammenfassung. Eine Frage: gilt das auch für die Sparkassen?",
    "Soweit ich weiß, nur für die Institute unter direkter Aufsicht.",
    "Das stimmt nicht ganz, siehe [die Verordnung](https://example.org/verordnung).",
    "Doch, `Artikel 4` regelt genau das.",
    "Dann habe ich das falsch gelesen.\n\nDanke für den Hinweis!",
    "Eine Antwort, tiefer als die Anzeige reicht.",
    "Und noch eine darunter.",
]


def build_scene(app: Flask) -> Scene:
    """Fill the database with one of everything the pages show."""
    make = Factory(app)
    scene = Scene()
    for name, role in ROLE_NAMES.items():
        scene.users[role.value] = make.user(name, role=role)
    people = [
        make.user(name, email=f"person{number}@example.org")
        for number, name in enumerate(("Anna", "Bernd", "Jürgen", "Ein_sehr_langer_Benutzername_3"))
    ]

    start = utcnow() - timedelta(days=30)
    first = make.article("Was die Aufsicht plant", topics=["Nachrichten"], published_at=start)
    article = make.article(
        "Größere Übungen für Banken",
        body=ARTICLE_BODY,
        topics=["Bankenrating", "Nachrichten"],
        published_at=start + timedelta(days=1),
    )
    for day in range(2, 6):
        make.article(
            f"Wochenrückblick {day}",
            topics=["Nachrichten"],
            published_at=start + timedelta(days=day),
        )
    with app.app_context():  # an earlier slug, which redirects
        renamed = db.session.get(Article, first.id)
        old_slug = renamed.slug
        publishing.change_slug(db.session, renamed, "plaene-der-aufsicht")
        db.session.commit()
    draft = make.article("Ein Entwurf", published_at=None)
    deleted = make.article("Ein gelöschter Beitrag", deleted_at=utcnow())

    _build_thread(make, article, people, scene)
    scene.paths.update(build_notices(app, article, scene.users["member"], people))

    with app.app_context():
        db.session.add(
            Page(
                title="Impressum",
                slug="impressum",
                body="Diskurs\n\nMusterstraße 1, 12345 Musterstadt",
                body_html=render_article("Diskurs\n\nMusterstraße 1, 12345 Musterstadt"),
                footer_position=1,
            )
        )
        db.session.commit()

    scene.paths.update(
        article=article.slug,
        old_slug=old_slug,
        draft=draft.slug,
        deleted=deleted.slug,
        topic="nachrichten",
        page="impressum",
        comment=str(scene.comments["top"]),
        draft_id=str(draft.id),
        member_id=str(scene.users["member"].id),
        own_comment=str(scene.comments["own"]),
        held=str(scene.comments["held"]),
        removed=str(scene.comments["removed"]),
        banned_id=str(scene.data["banned_id"]),
        reset_token=_reset_token(app, scene.users["member"]),
    )
    with app.app_context():
        scene.paths["page_id"] = str(db.session.scalar(select(Page.id)))
    return scene


def _build_thread(make: Factory, article: Article, people: list[User], scene: Scene) -> None:
    """A deep thread and a comment in every state, with moderation events and flags."""
    member = scene.users["member"]
    moderator = scene.users["moderator"]
    earlier = utcnow() - timedelta(hours=10)
    parent = None
    for depth, text in enumerate(THREAD_TEXTS):
        parent = make.comment(
            article,
            people[depth % len(people)],
            text,
            parent=parent,
            created_at=earlier + timedelta(minutes=depth),
        )
        scene.comments.setdefault("top", parent.id)
    removed = make.comment(article, people[0], "Wird entfernt.", created_at=earlier)
    # Two of these people answer the member later (scene_notices.py): what they wrote here is
    # an hour old, so the flood rules let them.
    an_hour_ago = earlier + timedelta(hours=9)
    make.comment(
        article,
        people[1],
        "Eine Antwort auf einen entfernten Kommentar.",
        parent=removed,
        created_at=an_hour_ago,
    )
    own = make.comment(
        article,
        member,
        "Mein eigener, noch nicht freigegebener Kommentar.",
        status=CommentStatus.PENDING,
    )
    banned = make.user("Gesperrt", email="gesperrt@example.org")
    make.comment(article, banned, "Ein Kommentar, bevor die Sperre kam.")
    with make.app.app_context():
        bans.ban(
            db.session,
            db.session.get(User, banned.id),
            actor=db.session.get(User, moderator.id),
            now=utcnow(),
            reason="Wiederholt beleidigend",
            until=utcnow() + timedelta(days=30),
        )
        db.session.commit()
    scene.data["banned_id"] = banned.id
    gone = make.user("Ehemalig", email="ehemalig@example.org")
    make.comment(article, gone, "Ein Kommentar eines gelöschten Kontos.")
    with make.app.app_context():
        account = db.session.get(User, gone.id)
        account.state, account.username, account.email = AccountState.DELETED, None, None
        account.username_key = account.email_key = None
        db.session.commit()
    held = make.comment(
        article,
        people[2],
        "Ein Kommentar mit zu vielen Links.",
        status=CommentStatus.PENDING,
        created_at=an_hour_ago,
    )
    flagged = make.comment(article, people[3], "Ein gemeldeter Kommentar.")
    back_to_review = make.comment(
        article, people[1], "Nach Meldungen wieder zur Prüfung.", created_at=an_hour_ago
    )
    scene.comments.update(
        removed=removed.id,
        held=held.id,
        flagged=flagged.id,
        own=own.id,
        back_to_review=back_to_review.id,
    )

    with make.app.app_context():
        now = utcnow()
        hidden = db.session.get(Comment, removed.id)
        transitions.change_status(
            db.session, hidden, CommentStatus.HIDDEN,
            action=ModerationAction.HIDE, actor=db.session.get(User, moderator.id), now=now,
            reason="Beleidigend",
        )  # fmt: skip
        for reporter in (people[0], member):
            db.session.add(
                Flag(comment_id=flagged.id, user_id=reporter.id, reason=FlagReason.ABUSE)
            )
        db.session.get(Comment, flagged.id).flag_count = 2
        # Held by the policy, with its reasons; and one that flags sent back to review.
        waiting = db.session.get(Comment, held.id)
        waiting.status_reason = reasons.held(links=3, link_limit=2, words=["krypto"])
        transitions.log_event(
            db.session, action=ModerationAction.POST, actor=waiting.author, now=now,
            comment=waiting, to_state="pending", reason=waiting.status_reason,
        )  # fmt: skip
        for reporter in people[2:]:
            db.session.add(
                Flag(comment_id=back_to_review.id, user_id=reporter.id, reason=FlagReason.SPAM)
            )
        db.session.flush()
        flags.flag_comment(
            db.session,
            db.session.get(Comment, back_to_review.id),
            user=db.session.get(User, member.id),
            reason=FlagReason.OFF_TOPIC,
            note=None,
            now=now,
            threshold=3,
        )
        db.session.commit()


@contextmanager
def scene_app(
    database_template: str,
    database_kind: str,
    directory: Path,
    build: Callable[[Flask], Scene] = build_scene,
    **settings: object,
) -> Iterator[Flask]:
    """An app on its own database, filled by *build*; ``scene_of(app)`` is what it made.

    For module-scoped fixtures: SQLite gets a copy of the template; PostgreSQL uses the
    test database and empties it afterwards, as the per-test fixture does.
    """
    if database_kind == "sqlite":
        target = directory / "scene.sqlite3"
        shutil.copyfile(database_template.removeprefix("sqlite:///"), target)
        url = f"sqlite:///{target}"
    else:
        url = database_template
    app = make_app(url, directory, **{**SCENE_SETTINGS, **settings})
    try:
        app.extensions["test_scene"] = build(app)
        yield app
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        if database_kind != "sqlite":
            empty_tables(url)


def scene_of(app: Flask) -> Scene:
    return app.extensions["test_scene"]


def _reset_token(app: Flask, user: User) -> str:
    with app.app_context():
        return tokens.reset_token(app.config["SECRET_KEY"], db.session.get(User, user.id), utcnow())


def client_as(app: Flask, role: str | None) -> FlaskClient:
    """A test client, logged in as the scene's user with *role* (None: a reader)."""
    client = app.test_client()
    if role:
        login_as(client, scene_of(app).users[role])
    return client


def session_cookie(app: Flask, user: User) -> tuple[str, str]:
    """Name and value of a session cookie that logs *user* in, for a browser."""
    serializer = app.session_interface.get_signing_serializer(app)
    value = serializer.dumps({"_user_id": user.get_id(), "_fresh": True})
    return app.config["SESSION_COOKIE_NAME"], value

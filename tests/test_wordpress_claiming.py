"""Claiming imported guest comments: offered on /account after the address is confirmed."""

from __future__ import annotations

import io
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from app.extensions import db
from app.models import Article, Comment, User, UserKind, UserRole, utcnow
from app.services.wordpress import import_wxr
from tests.support import csrf_token, login_as
from tests.wxr_support import C, P, wxr


def _import(app):
    data = wxr(
        P(
            1,
            slug="zinsen",
            comments=[
                C(5, author="Anna", email="Anna@Example.net", content="Meins"),
                C(6, author="Anna", email="anna@example.net", content="Auch meins", parent=5),
                C(7, author="Bert", email="bert@example.net", content="Nicht meins"),
            ],
        )
    )
    with app.app_context():
        import_wxr(db.session, io.BytesIO(data), now=utcnow(), zone=ZoneInfo("UTC"))


def _authors(app) -> dict[str, str]:
    with app.app_context():
        return {c.body: c.author.display_name for c in db.session.scalars(select(Comment))}


def test_a_confirmed_address_is_offered_its_comments(app, client, make):
    _import(app)
    anna = make.user("anna_neu", email="anna@example.net")
    login_as(client, anna)
    page = client.get("/account").get_data(as_text=True)
    assert "/account/claim" in page
    listing = client.get("/account/claim").get_data(as_text=True)
    assert "Meins" in listing and "Auch meins" in listing and "Nicht meins" not in listing
    assert "Kommentare aus dem alten Blog" in listing  # German unless asked otherwise
    english = client.get("/account/claim", headers={"Accept-Language": "en"})
    assert "Comments from the old blog" in english.get_data(as_text=True)
    assert "anna@example.net" not in listing  # the page shows the comments, not the address
    # Offered, not done: nothing moved yet.
    assert _authors(app)["Meins"] == "Anna"


def test_accepting_attaches_them_with_one_post(app, client, make):
    _import(app)
    anna = make.user("anna_neu", email="anna@example.net")
    login_as(client, anna)
    page = client.get("/account/claim")
    answer = client.post("/account/claim", data={"csrf_token": csrf_token(page.data)})
    assert answer.status_code == 302
    authors = _authors(app)
    assert authors["Meins"] == "anna_neu" and authors["Auch meins"] == "anna_neu"
    assert authors["Nicht meins"] == "Bert"
    with app.app_context():
        guest = db.session.scalar(select(User).where(User.username == "Anna"))
        assert guest.kind is UserKind.GUEST and guest.claim_email is None
        article = db.session.scalar(select(Article).where(Article.wp_id == 1))
        assert article.visible_comment_count == 3
    assert "/account/claim" not in client.get("/account").get_data(as_text=True)
    # Again: nothing left to take.
    page = client.get("/account/claim")
    client.post("/account/claim", data={"csrf_token": csrf_token(page.data)})
    assert _authors(app)["Nicht meins"] == "Bert"


def test_an_unconfirmed_address_is_offered_nothing_and_refused(app, client, make):
    _import(app)
    anna = make.user("anna_neu", email="anna@example.net", confirmed=False)
    login_as(client, anna)
    assert "/account/claim" not in client.get("/account").get_data(as_text=True)
    page = client.get("/account/claim")
    assert "Meins" not in page.get_data(as_text=True)
    token = csrf_token(client.get("/account").data)
    client.post("/account/claim", data={"csrf_token": token})
    assert _authors(app)["Meins"] == "Anna"


def test_another_address_and_a_missing_token_change_nothing(app, client, make):
    _import(app)
    other = make.user("carla", email="carla@example.net")
    login_as(client, other)
    assert "/account/claim" not in client.get("/account").get_data(as_text=True)
    token = csrf_token(client.get("/account").data)
    client.post("/account/claim", data={"csrf_token": token})
    anna = make.user("anna_neu", email="anna@example.net")
    login_as(client, anna)
    client.post("/account/claim", data={})
    assert _authors(app)["Meins"] == "Anna"
    with app.app_context():
        assert db.session.scalar(select(func.count()).where(Comment.author_id == other.id)) == 0


def test_readers_are_sent_to_log_in(client):
    assert client.get("/account/claim").status_code == 302
    assert client.post("/account/claim").status_code in (302, 400)


def test_the_new_pages_are_valid_html(app, client, make):
    from tests.html_checker import check_documents, require_checker

    require_checker()
    _import(app)
    anna = make.user("anna_neu", email="anna@example.net", role=UserRole.ADMIN)
    login_as(client, anna)
    documents = {
        name: client.get(address).data
        for name, address in (
            ("account", "/account"),
            ("claim", "/account/claim"),
            ("export", "/admin/export"),
            ("article", "/articles/zinsen"),
        )
    }
    assert check_documents(documents) == {name: [] for name in documents}


def test_importing_again_keeps_claims_and_moderators_decisions(app, client, make):
    from app.models import CommentStatus

    _import(app)
    anna = make.user("anna_neu", email="anna@example.net")
    login_as(client, anna)
    page = client.get("/account/claim")
    client.post("/account/claim", data={"csrf_token": csrf_token(page.data)})
    with app.app_context():
        hidden = db.session.scalar(select(Comment).where(Comment.wp_id == 7))
        hidden.status = CommentStatus.HIDDEN
        db.session.commit()
    _import(app)
    assert _authors(app)["Meins"] == "anna_neu"
    with app.app_context():
        assert db.session.scalar(select(Comment.status).where(Comment.wp_id == 7)) is (
            CommentStatus.HIDDEN
        )
        assert db.session.scalar(select(Comment.status).where(Comment.wp_id == 5)) is (
            CommentStatus.VISIBLE
        )


def test_registering_and_confirming_leads_to_the_offer(app, client):
    from app.services import tokens
    from tests.accounts_support import register

    _import(app)
    answer = register(
        client,
        username="anna_neu",
        email="ANNA@example.net",
        password="ein langes Passwort 42",
        password_confirm="ein langes Passwort 42",
    )
    assert answer.status_code in (200, 302)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "anna_neu"))
        token = tokens.confirmation_token(app.config["SECRET_KEY"], user, utcnow())
    assert "/account/claim" not in client.get("/account").get_data(as_text=True)
    confirmed = client.get(f"/confirm/{token}")
    assert confirmed.headers["Location"].endswith("/account")
    assert "/account/claim" in client.get("/account").get_data(as_text=True)

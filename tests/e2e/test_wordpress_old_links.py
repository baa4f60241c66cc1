"""A reader follows an old WordPress link to a comment and lands at that comment."""

from __future__ import annotations

import io
from zoneinfo import ZoneInfo

from sqlalchemy import select

from app.extensions import db
from app.models import Article, Comment, utcnow
from app.services.wordpress import import_wxr
from tests.wxr_support import C, P, wxr


def test_an_old_comment_link_lands_at_the_comment(live_server, live_app, page):
    comments = [C(300 + n, content=f"Kommentar {n}") for n in range(1, 8)]
    data = wxr(P(11, slug="zinsen", comments=comments))
    with live_app.app_context():
        import_wxr(db.session, io.BytesIO(data), now=utcnow(), zone=ZoneInfo("UTC"))
        new_id = db.session.scalar(select(Comment.id).where(Comment.wp_id == 305))
        slug = db.session.scalar(select(Article.slug).where(Article.wp_id == 11))
    assert new_id != 305

    page.goto(live_server.url + "/2012/03/01/zinsen/#comment-305")
    page.wait_for_url(f"**#comment-{new_id}")
    assert f"/articles/{slug}" in page.url
    assert page.locator(f"#comment-{new_id}").inner_text().count("Kommentar 5") == 1

    page.goto(live_server.url + "/?p=11")
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}/articles/{slug}"  # the marker is taken away

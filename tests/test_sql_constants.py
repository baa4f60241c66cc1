"""Constants written into statements (app.models.fixed) instead of bound to them."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Comment, CommentStatus, fixed
from app.services.notifications import onsite


def test_constants_are_written_into_the_statement(app):
    with app.app_context():
        sql = str(
            select(Comment.id)
            .where(Comment.status == fixed(CommentStatus.VISIBLE), Comment.flag_count > fixed(0))
            .compile(db.engine)
        )
    assert "comments.status = 'visible'" in sql and "comments.flag_count > 0" in sql


def test_the_unread_count_binds_only_the_member_and_the_moment(app):
    with app.app_context():
        compiled = onsite.UNREAD.compile(db.engine)
    assert set(compiled.params) == {"recipient", "now"}


@pytest.mark.parametrize("value", ["it's", "a b", True, 1.5, None, b"x"])
def test_nothing_but_our_own_constants_is_written_in(value):
    with pytest.raises((TypeError, ValueError)):
        fixed(value)

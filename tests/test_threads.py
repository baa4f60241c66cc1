"""The thread built in Python: nesting, order, placeholders, depth limit, pages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from app.models import AccountState, CommentStatus, User, UserRole
from app.services.threads import build_thread

V, P, H, D = (
    CommentStatus.VISIBLE,
    CommentStatus.PENDING,
    CommentStatus.HIDDEN,
    CommentStatus.DELETED,
)
START = datetime(2024, 1, 1, tzinfo=UTC)


def comments(*rows: tuple[int, int | None, CommentStatus] | tuple) -> list[SimpleNamespace]:
    """(id, parent_id, status[, author_id]) in the order they were written."""
    made = []
    for index, row in enumerate(rows):
        ident, parent, status, *author = row
        made.append(
            SimpleNamespace(
                id=ident,
                parent_id=parent,
                status=status,
                author_id=author[0] if author else 99,
                created_at=START + timedelta(minutes=index),
            )
        )
    return made


def user(ident: int, role: UserRole = UserRole.MEMBER) -> User:
    return User(id=ident, role=role, state=AccountState.ACTIVE, username=f"u{ident}")


def shape(nodes) -> list:  # noqa: ANN001
    """Nested (id, depth, placeholder) tuples, for readable assertions."""
    return [
        (n.comment.id, n.depth, "removed" if n.placeholder else "shown", shape(n.children))
        for n in nodes
    ]


def test_replies_nest_under_their_parents_oldest_first():
    thread = build_thread(
        comments((1, None, V), (2, None, V), (3, 1, V), (4, 1, V), (5, 3, V)), None, 5, 50
    )
    assert shape(thread.roots) == [
        (1, 1, "shown", [(3, 2, "shown", [(5, 3, "shown", [])]), (4, 2, "shown", [])]),
        (2, 1, "shown", []),
    ]


def test_readers_see_placeholders_only_where_visible_replies_need_them():
    rows = comments(
        (1, None, D), (2, 1, V),  # deleted with a visible reply: placeholder
        (3, None, H), (4, 3, P),  # hidden with only a waiting reply: gone
        (5, None, P),  # alone: gone
        (6, None, V), (7, 6, D), (8, 7, H), (9, 8, V),  # two placeholders down a chain
    )  # fmt: skip
    thread = build_thread(rows, None, 5, 50)
    assert shape(thread.roots) == [
        (1, 1, "removed", [(2, 2, "shown", [])]),
        (6, 1, "shown", [(7, 2, "removed", [(8, 3, "removed", [(9, 4, "shown", [])])])]),
    ]
    assert thread.shown_ids == {2, 6, 9}


def test_authors_see_their_own_waiting_and_hidden_comments():
    rows = comments((1, None, P, 7), (2, None, H, 7), (3, None, P, 8), (4, None, D, 7))
    thread = build_thread(rows, user(7), 5, 50)
    assert shape(thread.roots) == [(1, 1, "shown", []), (2, 1, "shown", [])]


def test_moderators_see_everything_but_deleted_text():
    rows = comments((1, None, P), (2, None, H), (3, None, D), (4, 3, V))
    thread = build_thread(rows, user(1, UserRole.MODERATOR), 5, 50)
    assert [(n.comment.id, n.placeholder) for n in thread.roots] == [
        (1, False),
        (2, False),
        (3, True),
    ]


def test_replies_beyond_the_limit_sit_beside_their_parent_in_order():
    rows = comments((1, None, V), (2, 1, V), (3, 2, V), (4, 3, V), (5, 4, V), (6, 3, V), (7, 2, V))
    thread = build_thread(rows, None, 3, 50)
    (root,) = thread.roots
    (second,) = root.children
    assert [(n.comment.id, n.depth) for n in second.children] == [
        (3, 3), (4, 3), (5, 3), (6, 3), (7, 3),
    ]  # fmt: skip
    replies = {n.comment.id: n.reply_to and n.reply_to.id for n in second.children}
    assert replies == {3: None, 4: 3, 5: 4, 6: 3, 7: None}


def test_reply_beside_a_removed_parent_says_so():
    rows = comments((1, None, V), (2, 1, V), (3, 2, D), (4, 3, V))
    thread = build_thread(rows, None, 3, 50)
    flat = thread.roots[0].children[0].children
    assert [(n.comment.id, n.placeholder, n.reply_to_shown) for n in flat] == [
        (3, True, True),
        (4, False, False),
    ]


def test_a_limit_below_two_still_nests_one_level():
    thread = build_thread(comments((1, None, V), (2, 1, V), (3, 2, V)), None, 1, 50)
    assert shape(thread.roots) == [(1, 1, "shown", [(2, 2, "shown", []), (3, 2, "shown", [])])]


def test_pages_count_top_level_threads():
    rows = comments(
        (1, None, V), (2, 1, V), (3, None, V), (4, None, D), (5, None, V), (6, 5, V), (7, None, P)
    )
    thread = build_thread(rows, None, 5, 2)
    assert thread.pages == 2
    assert [n.comment.id for n in thread.page(1)] == [1, 3]
    assert [n.comment.id for n in thread.page(2)] == [5]
    assert (thread.page_of(2), thread.page_of(6), thread.page_of(4), thread.page_of(7)) == (
        1,
        2,
        None,
        None,
    )
    assert build_thread([], None, 5, 50).pages == 1


def test_only_visible_comments_may_be_answered():
    thread = build_thread(comments((1, None, V), (2, None, P), (3, 1, D)), user(99), 5, 50)
    assert thread.replyable(1).id == 1
    assert thread.replyable(2) is None and thread.replyable(3) is None
    assert thread.replyable(42) is None


def test_a_reply_whose_parent_is_missing_is_shown_at_the_top():
    thread = build_thread(comments((2, 1, V), (3, None, V)), None, 5, 50)
    assert [n.comment.id for n in thread.roots] == [2, 3]


def test_very_long_chains_do_not_exhaust_the_stack():
    rows = comments((1, None, V), *[(n, n - 1, V) for n in range(2, 5001)])
    thread = build_thread(rows, None, 5, 50)
    assert thread.page_of(5000) == 1
    flat = thread.roots[0].children[0].children[0].children[0].children
    assert len(flat) == 4996 and flat[-1].reply_to.id == 4999

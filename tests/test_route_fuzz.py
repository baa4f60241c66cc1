"""No input to any route makes the server fail, on SQLite as on PostgreSQL.

Every route of the application is taken from its URL map, so a route added later is fuzzed
without being named here. Its parts, the query string and the form are filled by hypothesis
with the Big List of Naughty Strings, numbers far beyond any database range, NUL characters
and ordinary values (real ids among them), and sent by a logged-in admin with a valid CSRF
token, so that the views themselves are reached. With TESTING on, an exception in a view
reaches the test instead of becoming a 500 page, so both count as failures; the only 5xx
allowed is the 503 of a database outage, and there is none here.
"""

from __future__ import annotations

import json
import re
import uuid

import pytest
from flask import Flask
from flask_wtf import FlaskForm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.routing import Rule

from app import create_app
from app.extensions import db
from app.models import User, UserRole
from tests.admin_support import session_csrf
from tests.support import login_as

EXAMPLES_PER_ROUTE = 8
FUZZ = settings(
    max_examples=EXAMPLES_PER_ROUTE,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
HUGE_NUMBERS = [2**31, 2**31 - 1, 2**63, 2**64 + 1, 10**30, -1, 0]
QUERY_KEYS = ["page", "q", "next", "reply_to", "draft", "state", "role", "comment", "article"]
QUERY_KEYS += ["member", "moderator", "action", "p", "status", "sort"]
# Account forms carry a prefix each, as they share one page.
FORM_PREFIXES = ["", "password-", "email-", "language-", "delete-"]
EXTRA_FIELDS = ["ids", "action", "preview", "send", "next", "save"]


def _routes() -> list[Rule]:
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "routes",
            "DATABASE_URL": "sqlite://",
            "INSTANCE_PATH": f"/tmp/diskurs-routes-{uuid.uuid4().hex}",  # noqa: S108
        }
    )
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"]


def _form_field_names() -> list[str]:
    """Every field of every form of the application, with each prefix in use."""
    import app.account.forms  # noqa: F401 - the forms register themselves as subclasses
    import app.admin.forms  # noqa: F401
    import app.auth.forms  # noqa: F401
    import app.comments.forms  # noqa: F401
    import app.moderation.forms  # noqa: F401

    names: set[str] = set(EXTRA_FIELDS)
    pending = list(FlaskForm.__subclasses__())
    while pending:
        form = pending.pop()
        pending += form.__subclasses__()
        names |= {name for name, value in vars(form).items() if hasattr(value, "field_class")}
    return sorted(prefix + name for prefix in FORM_PREFIXES for name in names)


ROUTES = _routes()
FIELDS = _form_field_names()


@pytest.fixture(scope="module")
def naughty(shared_dir) -> list[str]:  # noqa: ANN001
    strings = json.loads((shared_dir / "corpora" / "blns.json").read_text(encoding="utf-8"))
    return [s for s in strings if isinstance(s, str)] + ["\x00", "a\x00b", "x" * 5000]


def values(naughty: list[str], ids: list[int]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(naughty),
        st.text(max_size=40),
        st.sampled_from([str(n) for n in HUGE_NUMBERS + ids]),
        st.integers().map(str),
        st.just(""),
    )


ROUTE_PART = re.compile(r"<(?:(\w+)(?:\(([^)]*)\))?:)?(\w+)>")


def part_strategies(rule: Rule, naughty: list[str], ids: list[int]) -> dict:
    """Values for each variable part of a route, of the kind its converter expects."""
    found = {}
    for converter, arguments, name in ROUTE_PART.findall(rule.rule):
        if converter == "any":
            choices = [choice.strip(" '\"") for choice in arguments.split(",")]
            found[name] = st.sampled_from(choices)
        elif converter == "int":
            found[name] = st.one_of(st.sampled_from(HUGE_NUMBERS + ids), st.integers(0))
        else:
            found[name] = st.one_of(st.sampled_from(naughty), st.text(min_size=1, max_size=40))
    assert set(found) == set(rule.arguments), rule.rule
    return found


@pytest.fixture
def scene(app: Flask, make) -> dict:  # noqa: ANN001
    """Rows for the ids to point at: accounts, articles, comments, a page."""
    admin = make.user("chefin", role=UserRole.ADMIN)
    member = make.user("anna")
    article = make.article("Ein Beitrag", topics=["Geld"])
    parent = make.comment(article, member, "Eine Frage?")
    reply = make.comment(article, admin, "Eine Antwort.", parent=parent)
    ids = sorted({admin.id, member.id, article.id, parent.id, reply.id})
    return {"admin_id": admin.id, "ids": ids, "slug": article.slug}


def _as_admin(app: Flask, client, admin_id: int) -> str:  # noqa: ANN001
    """Logged in again for each example (a fuzzed logout must not end the run)."""
    with app.app_context():
        admin = db.session.get(User, admin_id)
        db.session.expunge(admin)
    login_as(client, admin)
    return session_csrf(app, client)


@pytest.mark.parametrize("rule", ROUTES, ids=lambda rule: f"{rule.endpoint}:{rule.rule}")
def test_no_input_to_any_route_fails(app, scene, naughty, rule):
    ids, methods = scene["ids"], sorted(rule.methods & {"GET", "POST"})
    parts = part_strategies(rule, naughty, ids)
    text = values(naughty, ids)
    client = app.test_client()
    adapter = app.url_map.bind("localhost")

    @FUZZ
    @given(
        path_values=st.fixed_dictionaries(parts),
        method=st.sampled_from(methods),
        query=st.dictionaries(st.sampled_from(QUERY_KEYS), text, max_size=3),
        form=st.dictionaries(st.sampled_from(FIELDS), text, max_size=6),
        logged_in=st.booleans(),
        real_slug=st.booleans(),
    )
    def check(path_values, method, query, form, logged_in, real_slug):  # noqa: ANN001
        if real_slug and "slug" in path_values:
            path_values = dict(path_values, slug=scene["slug"])
        client.delete_cookie("session")
        token = _as_admin(app, client, scene["admin_id"]) if logged_in else ""
        url = adapter.build(rule.endpoint, path_values, method=method)
        data = dict(form, csrf_token=token) if method == "POST" else None
        response = client.open(url, method=method, query_string=query, data=data)
        assert response.status_code < 500, (method, url, query, form, response.status_code)

    check()

"""No input to the register, login and reset forms makes the server fail.

Hypothesis generates text of every kind (control characters, NUL, far-away planes), and
every string of the Big List of Naughty Strings is sent as well. With TESTING on, an
exception in a view reaches the test instead of becoming a 500 page, so both count.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.accounts_support import app_with
from tests.support import PASSWORD, csrf_token

ANSWERS = {200, 302, 401, 404, 410, 422, 429}
NUL = "\x00"
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


# What the list lacks: NUL (PostgreSQL refuses it in text), and sheer length.
EXTRA = ["\x00", "anna\x00", "anna@example.org\x00", "\x00@example.org", "x" * 5000, "ä" * 300]


@pytest.fixture(scope="module")
def naughty(shared_dir) -> list[str]:  # noqa: ANN001
    strings = json.loads((shared_dir / "corpora" / "blns.json").read_text(encoding="utf-8"))
    return [s for s in strings if isinstance(s, str)] + EXTRA


def text_or_naughty(naughty: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(st.text(max_size=80), st.sampled_from(naughty))


def send(app, path: str, fields: dict[str, str], next_path: str | None = None) -> int:  # noqa: ANN001
    client = app.test_client()
    query = {"next": next_path} if next_path is not None else None
    page = client.get(path, query_string=query)
    if NUL in (next_path or ""):  # refused for every route alike (app/input_guard.py)
        assert page.status_code == 400
        return page.status_code
    assert page.status_code == 200
    data = dict(fields, csrf_token=csrf_token(page.data))
    response = client.post(path, data=data, query_string=query)
    expected = ANSWERS | {400} if any(NUL in value for value in fields.values()) else ANSWERS
    assert response.status_code in expected, (path, fields, response.status_code)
    if response.status_code == 302:
        location = response.headers["Location"]
        assert location.startswith("/") and not location.startswith("//"), location
    return response.status_code


@st.composite
def registrations(draw, naughty: list[str]) -> dict[str, str]:  # noqa: ANN001
    any_text = text_or_naughty(naughty)
    password = draw(st.one_of(any_text, st.just(PASSWORD)))
    return {
        "username": draw(
            st.one_of(any_text, st.from_regex(r"[a-zäöüß0-9_-]{3,30}", fullmatch=True))
        ),
        "email": draw(st.one_of(any_text, st.emails())),
        "password": password,
        "password_confirm": draw(st.one_of(st.just(password), any_text)),
    }


def test_register_never_fails(app, naughty):
    @FUZZ
    @given(fields=registrations(naughty), next_path=st.one_of(st.none(), text_or_naughty(naughty)))
    def check(fields, next_path):  # noqa: ANN001
        send(app, "/register", fields, next_path)

    check()


def test_login_never_fails(app, naughty, make):
    make.user("anna")

    @FUZZ
    @given(
        username=st.one_of(text_or_naughty(naughty), st.just("anna")),
        password=st.one_of(text_or_naughty(naughty), st.just(PASSWORD)),
        remember=st.one_of(st.just(""), st.just("y"), text_or_naughty(naughty)),
        next_path=st.one_of(st.none(), text_or_naughty(naughty)),
    )
    def check(username, password, remember, next_path):  # noqa: ANN001
        fields = {"username": username, "password": password, "remember": remember}
        send(app, "/login", fields, next_path)

    check()


def test_reset_never_fails(app, naughty, make):
    make.user("anna")

    @FUZZ
    @given(address=st.one_of(text_or_naughty(naughty), st.emails(), st.just("anna@example.org")))
    def check(address):  # noqa: ANN001
        send(app, "/reset", {"email": address})

    check()


def test_every_naughty_string_in_every_field(database_url, tmp_path, naughty, make):
    make.user("anna")
    # With the throttle on, most login attempts are refused before a password is hashed,
    # which keeps 500 logins quick; the name is still looked up for every one of them.
    generous = {"REGISTRATIONS_PER_ADDRESS": 10**6, "RESET_REQUESTS_PER_ADDRESS": 10**6}
    with app_with(database_url, tmp_path, RATELIMIT_ENABLED=True, **generous) as app:
        for text in naughty:
            register = {"username": text, "email": text, "password": text, "password_confirm": text}
            send(app, "/register", register, next_path=text)
            send(app, "/login", {"username": text, "password": text, "remember": text}, text)
            send(app, "/reset", {"email": text})
            client = app.test_client()
            for prefix in ("/confirm/", "/reset/"):
                path = prefix + text.replace("/", "%2F").replace("?", "%3F").replace("#", "%23")
                nul = NUL in text or "%00" in text
                expected = ANSWERS | {405} | ({400} if nul else set())
                assert client.get(path).status_code in expected, path

"""``flask users create``: accounts from the command line."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from app.extensions import db
from app.models import User, UserRole, username_key
from app.services.accounts import clean_username
from tests.support import PASSWORD


def create(app, *args: str, input: str | None = None):  # noqa: A002
    return app.test_cli_runner().invoke(args=["users", "create", *args], input=input)


def find(app, name: str) -> User | None:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username_key == username_key(name)))
        if user is not None:
            db.session.expunge(user)
        return user


def user_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(User.id)))


@pytest.mark.parametrize("role", list(UserRole))
def test_an_account_for_each_role_is_created_confirmed(app, role):
    result = create(
        app, "Jürgen", "--email", "J@Example.org", "--role", role.value, "--password", PASSWORD
    )
    assert result.exit_code == 0, result.output
    assert f"Created {role.value} Jürgen <" in result.output
    user = find(app, "Jürgen")
    assert (user.role, user.email.casefold()) == (role, "j@example.org")
    assert user.is_confirmed
    assert check_password_hash(user.password_hash, PASSWORD)


def test_the_role_defaults_to_member(app):
    assert (
        create(app, "Mitglied", "--email", "m@example.org", "--password", PASSWORD).exit_code == 0
    )
    assert find(app, "Mitglied").role is UserRole.MEMBER


def test_the_password_is_prompted_twice_and_not_echoed(app):
    result = create(app, "Gefragt", "--email", "g@example.org", input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert "Password" in result.output and "Repeat for confirmation" in result.output
    assert PASSWORD not in result.output
    assert check_password_hash(find(app, "Gefragt").password_hash, PASSWORD)


def test_a_mistyped_confirmation_is_asked_again(app):
    typed = f"{PASSWORD}\nsomething else\n{PASSWORD}\n{PASSWORD}\n"
    result = create(app, "Vertippt", "--email", "v@example.org", input=typed)
    assert result.exit_code == 0, result.output
    assert "do not match" in result.output
    assert check_password_hash(find(app, "Vertippt").password_hash, PASSWORD)


@pytest.mark.parametrize("role", ["king", "ADMIN", "reader", ""])
def test_an_unknown_role_is_refused(app, role):
    result = create(
        app, "Jemand", "--email", "j@example.org", "--role", role, "--password", PASSWORD
    )
    assert result.exit_code == 2
    assert "Invalid value for '--role'" in result.output
    assert user_count(app) == 0


@pytest.mark.parametrize(
    ("name", "email", "message"),
    [
        ("jürgen", "other@example.org", "username:"),
        ("JÜRGEN", "other@example.org", "username:"),
        ("Anders", "JUERGEN@example.org", "juergen@example.org"),
    ],
)
def test_a_taken_name_or_email_is_refused(app, name, email, message):
    assert (
        create(app, "Jürgen", "--email", "juergen@example.org", "--password", PASSWORD).exit_code
        == 0
    )
    result = create(app, name, "--email", email, "--password", PASSWORD)
    assert result.exit_code == 1
    assert result.output.startswith("Error: ")
    assert user_count(app) == 1
    assert find(app, "Jürgen").email == "juergen@example.org"
    if message != "juergen@example.org":
        assert message in result.output


@pytest.mark.parametrize(
    ("name", "email", "password", "field"),
    [
        ("Kurz", "k@example.org", "kurz", "password:"),
        ("Kurz", "k@example.org", "123456789", "password:"),
        ("Gleichname", "g@example.org", "GLEICHNAME", "password:"),
        ("Mailpass", "mailpass@example.org", "mailpass@example.org", "password:"),
        ("ab", "ab@example.org", PASSWORD, "username:"),
        ("mit Leerzeichen", "l@example.org", PASSWORD, "username:"),
        ("Robert'); DROP TABLE users;--", "r@example.org", PASSWORD, "username:"),
        ("Ohnemail", "keine-adresse", PASSWORD, "email:"),
    ],
)
def test_bad_input_is_refused_with_a_message(app, name, email, password, field):
    result = create(app, name, "--email", email, "--password", password)
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {field} ")
    assert "Traceback" not in result.output
    assert user_count(app) == 0


def test_naughty_names_are_refused_or_kept_as_typed(app, shared_dir):
    strings = json.loads((shared_dir / "corpora" / "blns.json").read_text())
    created = 0
    for number, name in enumerate(strings):
        if not name or name.startswith("-") or "\x00" in name:
            continue  # an option to click, or a string no command line can carry
        result = create(app, name, "--email", f"n{number}@example.org", "--password", PASSWORD)
        assert result.exception is None or isinstance(result.exception, SystemExit), name
        assert result.exit_code in (0, 1), (name, result.output)
        if result.exit_code == 0:
            created += 1
            assert find(app, clean_username(name)).username == clean_username(name)
    assert user_count(app) == created

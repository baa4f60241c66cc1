"""A login attempt, counted: failures per account and per address are limited.

An attempt refused by the throttle checks no password at all, so guessing on cannot tell
a right password from a wrong one. Names without an account are counted like accounts,
so the throttle does not reveal which names exist either.

Failures from many addresses lock an account, but a lock anyone can cause must not keep
its owner out: while an account is locked, an address without failures of its own in the
window still gets its password checked. Guessing from one address stays limited by the
account's lock and the address's own limit; an address that has failed once waits like
the rest. Every attempt that is checked costs one password hash, whether the name exists
or not and however long the password, so the time of the answer tells nothing either.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.models import User, email_key, username_key
from app.services import accounts
from app.services.throttle import LOGIN_ACCOUNT, LOGIN_ADDRESS, Throttle


@dataclass(frozen=True)
class LoginOutcome:
    user: User | None = None
    retry_after: int | None = None  # seconds, when the throttle refused the attempt


def account_key(user: User | None, login: str) -> str:
    if user is not None:
        return f"user:{user.id}"
    login = login.strip()
    return f"name:{email_key(login) if '@' in login else username_key(login)}"


def attempt_login(
    session: Session, throttle: Throttle, address: str, login: str, password: str
) -> LoginOutcome:
    found = accounts.find_by_login(session, login)
    key = account_key(found, login)
    wait = throttle.retry_after(LOGIN_ADDRESS, address)
    if wait:
        return LoginOutcome(retry_after=wait)
    locked = throttle.retry_after(LOGIN_ACCOUNT, key)
    if locked and throttle.seen(LOGIN_ADDRESS, address):
        return LoginOutcome(retry_after=locked)
    user = found if accounts.password_matches(found, password) else None
    if user is None:
        throttle.hit(LOGIN_ADDRESS, address)
        throttle.hit(LOGIN_ACCOUNT, key)
        return LoginOutcome()
    if not locked:  # under a lock the count stays, or the guessing addresses could go on
        throttle.clear(LOGIN_ACCOUNT, key)
    return LoginOutcome(user=user)

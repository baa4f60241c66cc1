"""Counting events per account or address: failed logins, registrations, mails, and the
requests of one address to the views that write or search (app/rate_limits.py).

Counts live in the rate-limit storage: memory by default, Redis when
``RATELIMIT_STORAGE_URI`` points there, so that several workers share them. The counting
itself is the ``limits`` library's (a moving window). Each app keeps its own storage, built
on first use from the app's settings, so that two apps in one process never share counts or
switches.
"""

from __future__ import annotations

import hashlib
import math
import threading
import time
from dataclasses import dataclass
from typing import Any

from flask import Flask
from limits import RateLimitItemPerSecond
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

_EXTENSION = "diskurs_throttle"
_create_lock = threading.Lock()


@dataclass(frozen=True)
class Rule:
    """At most ``amount`` events per ``window`` seconds; both are setting names."""

    name: str
    amount: str
    window: str


LOGIN_ACCOUNT = Rule("login-account", "LOGIN_FAILURES_PER_ACCOUNT", "LOGIN_FAILURE_WINDOW_SECONDS")
LOGIN_ADDRESS = Rule("login-address", "LOGIN_FAILURES_PER_ADDRESS", "LOGIN_FAILURE_WINDOW_SECONDS")
# Wrong current passwords on the account page: counted apart from failed logins, so that
# strangers failing to log in cannot stop the owner from changing their own password.
ACCOUNT_PASSWORD = Rule(
    "account-password", "LOGIN_FAILURES_PER_ACCOUNT", "LOGIN_FAILURE_WINDOW_SECONDS"
)
REGISTER_ADDRESS = Rule(
    "register-address", "REGISTRATIONS_PER_ADDRESS", "REGISTRATION_WINDOW_SECONDS"
)
RESET_ADDRESS = Rule("reset-address", "RESET_REQUESTS_PER_ADDRESS", "MAIL_WINDOW_SECONDS")
RESET_ACCOUNT = Rule("reset-account", "RESET_MAILS_PER_ACCOUNT", "MAIL_WINDOW_SECONDS")
CONFIRM_ACCOUNT = Rule("confirm-account", "CONFIRMATION_MAILS_PER_ACCOUNT", "MAIL_WINDOW_SECONDS")
# "You have an account already" mails, sent when someone registers with a taken address.
ACCOUNT_EXISTS = Rule("account-exists", "CONFIRMATION_MAILS_PER_ACCOUNT", "MAIL_WINDOW_SECONDS")
# Requests of one address: comments sent or previewed, searches, unsubscribe links.
COMMENT_WRITES = Rule("comment-writes", "COMMENT_WRITES_PER_ADDRESS", "ADDRESS_WINDOW_SECONDS")
SEARCHES = Rule("searches", "SEARCHES_PER_ADDRESS", "ADDRESS_WINDOW_SECONDS")
UNSUBSCRIBES = Rule("unsubscribes", "UNSUBSCRIBES_PER_ADDRESS", "ADDRESS_WINDOW_SECONDS")


def _key(value: str) -> str:
    """Keys may come from what someone typed: hash them to a fixed, harmless shape."""
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:32]


class Throttle:
    """The counts of one app. When rate limiting is disabled nothing is counted or refused."""

    def __init__(self, settings: dict[str, Any]) -> None:
        self.settings = settings
        self.enabled = bool(settings.get("RATELIMIT_ENABLED", True))
        self._strategy: MovingWindowRateLimiter | None = None
        self._lock = threading.Lock()

    @property
    def strategy(self) -> MovingWindowRateLimiter:
        # Built lazily: memory storage starts a thread, which disabled apps need not pay for.
        with self._lock:
            if self._strategy is None:
                uri = self.settings.get("RATELIMIT_STORAGE_URI") or "memory://"
                options: dict[str, Any] = {}
                if uri.startswith(("redis", "rediss", "valkey")):
                    options["key_prefix"] = self.settings.get("RATELIMIT_KEY_PREFIX", "diskurs")
                self._strategy = MovingWindowRateLimiter(storage_from_string(uri, **options))
            return self._strategy

    def _item(self, rule: Rule) -> RateLimitItemPerSecond:
        amount = max(int(self.settings[rule.amount]), 1)
        window = max(int(self.settings[rule.window]), 1)
        return RateLimitItemPerSecond(amount, window)

    def retry_after(self, rule: Rule, value: str) -> int | None:
        """Seconds until *value* may try again under *rule*, or None when it may now."""
        if not self.enabled:
            return None
        item = self._item(rule)
        if self.strategy.test(item, rule.name, _key(value)):
            return None
        return self._wait(item, rule, value)

    def take(self, rule: Rule, value: str) -> int | None:
        """Count one event of *value* under *rule* if it is allowed: None then, else the
        seconds until it will be (a refused event is not counted)."""
        if not self.enabled:
            return None
        item = self._item(rule)
        if self.strategy.hit(item, rule.name, _key(value)):
            return None
        return self._wait(item, rule, value)

    def _wait(self, item: RateLimitItemPerSecond, rule: Rule, value: str) -> int:
        stats = self.strategy.get_window_stats(item, rule.name, _key(value))
        return max(math.ceil(stats.reset_time - time.time()), 1)

    def seen(self, rule: Rule, value: str) -> bool:
        """Whether *value* has any event under *rule* within its window."""
        if not self.enabled:
            return False
        item = self._item(rule)
        stats = self.strategy.get_window_stats(item, rule.name, _key(value))
        return stats.remaining < item.amount

    def hit(self, rule: Rule, value: str) -> None:
        if self.enabled:
            self.strategy.hit(self._item(rule), rule.name, _key(value))

    def clear(self, rule: Rule, value: str) -> None:
        if self.enabled:
            self.strategy.clear(self._item(rule), rule.name, _key(value))


def for_app(app: Flask) -> Throttle:
    throttle = app.extensions.get(_EXTENSION)
    if throttle is None:
        with _create_lock:
            throttle = app.extensions.setdefault(_EXTENSION, Throttle(app.config))
    return throttle


def minutes(seconds: int) -> int:
    """A wait as whole minutes for a message, never "0 minutes"."""
    return max(math.ceil(seconds / 60), 1)

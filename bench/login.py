"""Session cookies for the logged-in runs, obtained as a browser would get them.

The cookie comes from the real /login form of the running server. Should the form not be
there, one is minted with the app's own session machinery instead; the results say which.
Either way the session holds a CSRF token already, as a browser's would after its first
page, so the server has no reason to send a new cookie with every answer.
"""

from __future__ import annotations

import html
import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request

USER_AGENT = "diskurs-bench"  # sent by wrk too: Flask-Login ties the session to it
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def _opener(jar: http.cookiejar.CookieJar) -> urllib.request.OpenerDirector:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("User-Agent", USER_AGENT)]
    return opener


def _cookie_header(jar: http.cookiejar.CookieJar) -> str:
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


def via_form(base_url: str, username: str, password: str, check_path: str) -> str | None:
    """Log in through the form; the Cookie header, or None if the form is not usable."""
    jar = http.cookiejar.CookieJar()
    opener = _opener(jar)
    try:
        with opener.open(base_url + "/login", timeout=10) as response:
            page = response.read().decode()
        match = _CSRF.search(page)
        if match is None:
            return None
        fields = {
            "username": username,
            "password": password,
            "csrf_token": html.unescape(match.group(1) or match.group(2)),
        }
        data = urllib.parse.urlencode(fields).encode()
        with opener.open(base_url + "/login", data=data, timeout=10) as response:
            response.read()
        with opener.open(base_url + check_path, timeout=30) as response:
            if username not in response.read().decode():
                return None
    except urllib.error.HTTPError:
        return None
    return _cookie_header(jar)


def minted(database_url: str, secret_key: str, username: str) -> str:
    """A session cookie made by the app's own code, as a successful login would leave it."""
    from flask import session
    from flask_login import login_user
    from flask_wtf.csrf import generate_csrf
    from sqlalchemy import select

    from app import create_app
    from app.extensions import db
    from app.models import User

    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": secret_key})
    context = app.test_request_context(
        "/", headers={"User-Agent": USER_AGENT}, environ_base={"REMOTE_ADDR": "127.0.0.1"}
    )
    with context:
        user = db.session.scalar(select(User).where(User.username == username))
        login_user(user)
        generate_csrf()
        value = app.session_interface.get_signing_serializer(app).dumps(dict(session))
        db.session.remove()
    with app.app_context():
        db.engine.dispose()
    return f"{app.config['SESSION_COOKIE_NAME']}={value}"


def session_cookie(
    base_url: str, username: str, password: str, check_path: str, database_url: str, secret: str
) -> tuple[str, str]:
    """(Cookie header, how it was obtained: "form" or "minted")."""
    header = via_form(base_url, username, password, check_path)
    if header:
        return header, "form"
    return minted(database_url, secret, username), "minted"

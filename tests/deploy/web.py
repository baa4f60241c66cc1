"""A small HTTP client for the deployment tests: real sockets, cookies kept by hand.

The instances run with ``ENV=production``, so their cookies are ``Secure``; a browser would
not send them over the tests' plain HTTP, so this client keeps them itself, per client, and
sends them to whichever address (nginx or an instance) it is pointed at.
"""

from __future__ import annotations

import http.client
import re
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from tests.support import csrf_token

_SUBMISSION = re.compile(
    r'name="submission"[^>]*value="([^"]*)"|value="([^"]*)"[^>]*name="submission"'
)


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def header(self, name: str) -> str | None:
        return self.headers.get(name)

    def all(self, name: str) -> list[str]:
        return self.headers.get_all(name) or []


@dataclass
class Client:
    """One visitor: their cookies, and a default address to send requests to."""

    port: int
    host: str = "127.0.0.1"
    cookies: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)

    def request(
        self,
        method: str,
        path: str,
        *,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        port: int | None = None,
        timeout: float = 30,
    ) -> Answer:
        connection = http.client.HTTPConnection(self.host, port or self.port, timeout=timeout)
        sent = {"Host": f"{self.host}", "Accept-Language": "de", **self.headers}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        sent.update(headers or {})
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            answer = Answer(response.status, response.headers, response.read())
        finally:
            connection.close()
        self._keep(answer)
        return answer

    def _keep(self, answer: Answer) -> None:
        for line in answer.all("Set-Cookie"):
            jar = SimpleCookie()
            jar.load(line)
            for name, morsel in jar.items():
                gone = morsel["max-age"] == "0" or "1970" in morsel["expires"]
                if gone or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def get(self, path: str, **options) -> Answer:  # noqa: ANN003
        return self.request("GET", path, **options)

    def post(self, path: str, data: dict[str, str], **options) -> Answer:  # noqa: ANN003
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        headers.update(options.pop("headers", {}))
        return self.request("POST", path, body=urlencode(data).encode(), headers=headers, **options)

    def log_in(self, username: str, password: str, **options) -> Answer:  # noqa: ANN003
        page = self.get("/login", **options)
        data = {"csrf_token": csrf_token(page.body), "username": username, "password": password}
        return self.post("/login", data, **options)

    def comment_form(self, slug: str, **options) -> dict[str, str]:  # noqa: ANN003
        """The fields of a freshly drawn comment form on an article page."""
        page = self.get(f"/articles/{slug}", **options)
        assert page.status == 200, page.status
        match = _SUBMISSION.search(page.text)
        assert match, "no comment form on the page"
        return {"csrf_token": csrf_token(page.body), "submission": match.group(1) or match.group(2)}

    def post_comment(self, slug: str, body: str, parent_id: int | None = None, **options) -> Answer:  # noqa: ANN003
        data = self.comment_form(slug, **options)
        data.update(body=body, parent_id=str(parent_id or ""))
        return self.post(f"/articles/{slug}/comments", data, **options)


def comment_id(answer: Answer) -> int | None:
    """The id of the comment an acknowledged post redirected to."""
    if answer.status != 302:
        return None
    match = re.search(r"#comment-(\d+)$", answer.header("Location") or "")
    return int(match.group(1)) if match else None

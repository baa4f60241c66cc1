"""Where a request comes from, believing forwarded headers only from trusted proxies."""

from flask import request


def client_address() -> str:
    """The client's address; ProxyFix (set up from TRUSTED_PROXIES) has already rewritten it."""
    return request.remote_addr or "unknown"

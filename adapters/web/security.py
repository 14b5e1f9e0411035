"""What every page of the web process's personal pages (gallery, dashboard) sends and
checks: the security headers, a strict Content Security Policy, HMAC signatures and the
CSRF token of a session's forms."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from urllib.parse import urlsplit

__all__ = ["Signer", "content_security_policy", "origin_of", "page_headers"]


def origin_of(url: str) -> str | None:
    """``scheme://host[:port]`` of an absolute http(s) URL; None for a relative one."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


def content_security_policy(img_origins: Iterable[str] = ()) -> str:
    """Nothing but our own stylesheet and images (plus the storage's origin when the
    images are served from a bucket): no scripts, no frames, forms post only to us."""
    img = " ".join(["'self'", *sorted(set(img_origins))])
    return (
        "default-src 'none'; "
        f"img-src {img}; "
        "style-src 'self'; "
        "form-action 'self'; "
        "frame-ancestors 'none'; "
        "base-uri 'none'"
    )


def page_headers(img_origins: Iterable[str] = ()) -> dict[str, str]:
    """The headers of every personal page (and of its refusals)."""
    return {
        "Content-Security-Policy": content_security_policy(img_origins),
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
    }


class Signer:
    """HMAC-SHA256 under the deployment's signing secret, one ``purpose`` per use so a
    signature made for one thing (a session cookie) is never accepted for another (a
    form's CSRF token)."""

    def __init__(self, secret: bytes) -> None:
        if not secret:
            raise ValueError("the signing secret is empty")
        self._secret = secret

    def sign(self, purpose: str, value: str) -> str:
        message = f"{purpose}\x00{value}".encode()
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()

    def verify(self, purpose: str, value: str, signature: str) -> bool:
        return hmac.compare_digest(self.sign(purpose, value), signature)

    def csrf_token(self, session_value: str) -> str:
        """The token a session's forms carry: bound to the session, so another
        session's token (or none) is refused."""
        return self.sign("csrf", session_value)

    def csrf_ok(self, session_value: str, token: str | None) -> bool:
        return bool(token) and self.verify("csrf", session_value, token or "")

"""Web sessions of personal links: the link's token, used once in a URL, is exchanged
for a cookie that names the link (signed, so it cannot be forged or pointed at another
link); the page then redirects to a URL without the token. The core checks the link
again on every request, so a revoked or expired link ends its session at once."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

from adapters.web.security import Signer

__all__ = ["LinkSessions"]


@dataclass(frozen=True, slots=True)
class LinkSessions:
    """Cookies named ``cookie`` under ``path``, HttpOnly, Secure when the public address
    is https, and SameSite=Lax: the link is opened from a chat app (another site), and a
    Strict cookie set there would not be sent on the redirect that follows. Lax still
    keeps it off other sites' POSTs, and every POST carries a CSRF token as well."""

    signer: Signer
    cookie: str
    path: str
    secure: bool

    def value(self, link_id: int) -> str:
        raw = str(link_id)
        return f"{raw}.{self.signer.sign('session:' + self.cookie, raw)}"

    def link_id(self, request: Request) -> int | None:
        """The link the request's cookie names; None without a well-signed cookie."""
        found = request.cookies.get(self.cookie, "")
        raw, _, signature = found.partition(".")
        if not raw.isdigit() or len(raw) > 19:
            return None
        if not self.signer.verify("session:" + self.cookie, raw, signature):
            return None
        return int(raw)

    def session_value(self, request: Request) -> str:
        return request.cookies.get(self.cookie, "")

    def start(self, response: Response, link_id: int, max_age_s: int) -> None:
        response.set_cookie(
            self.cookie,
            self.value(link_id),
            max_age=max(0, max_age_s),
            path=self.path,
            secure=self.secure,
            httponly=True,
            samesite="lax",
        )

    def end(self, response: Response) -> None:
        response.delete_cookie(
            self.cookie, path=self.path, secure=self.secure, httponly=True, samesite="lax"
        )

"""Server-rendered pages of the web process (the gallery; the operator dashboard later):
Jinja2 templates from ``templates/``, the stylesheet from ``static/`` served by the app
itself, the texts from the Fluent catalogues in the page's language, and the security
headers (``adapters.web.security``) on every response."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from adapters.web.languages import page_language
from adapters.web.security import page_headers
from core import Messages, normalise_locale

__all__ = ["Pages", "static_route"]

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
STATIC_DIR = Path(__file__).resolve().parent / "static"
_STATIC_TYPES = {".css": "text/css; charset=utf-8", ".svg": "image/svg+xml"}


class Pages:
    def __init__(self, messages: Messages) -> None:
        self.messages = messages
        self._env = Environment(
            loader=FileSystemLoader(TEMPLATES_DIR),
            autoescape=select_autoescape(("html",)),
            trim_blocks=True,
            lstrip_blocks=True,
        )

    def language(self, request: Request, chosen: str | None = None) -> str:
        """The user's language: the one chosen in /settings when the catalogue serves
        it, else the browser's Accept-Language, else English."""
        if chosen:
            served = set(self.messages.languages)
            for locale in self.messages.chain(normalise_locale(chosen)):
                if locale in served:
                    return locale
        return page_language(request, self.messages)

    def render(
        self,
        template: str,
        lang: str,
        *,
        status_code: int = 200,
        img_origins: Iterable[str] = (),
        **context: Any,
    ) -> HTMLResponse:
        messages = self.messages
        rendered: dict[tuple, str] = {}  # a page repeats texts (a size, "512 × 512")

        def t(key: str, **params: Any) -> str:
            memo = (key, *sorted(params.items()))
            text = rendered.get(memo)
            if text is None:
                text = rendered[memo] = messages.render(key, lang, **params)
            return text

        def when(at: datetime) -> str:
            return messages.datetime(at, lang)

        body = self._env.get_template(template).render(lang=lang, t=t, when=when, **context)
        return HTMLResponse(body, status_code=status_code, headers=page_headers(img_origins))

    def refused(self, lang: str, *, status_code: int = 403) -> HTMLResponse:
        """A page that says the link does not work, and shows nothing else."""
        return self.render("refused.html", lang, status_code=status_code)


def static_route() -> Route:
    """``GET /static/{name}``: the pages' own stylesheet (no third-party resources)."""
    files = {p.name: p for p in STATIC_DIR.iterdir() if p.suffix in _STATIC_TYPES}

    async def serve(request: Request) -> Response:
        path = files.get(request.path_params["name"])
        if path is None:
            return Response("Not Found", status_code=404, media_type="text/plain")
        return Response(
            path.read_bytes(),
            media_type=_STATIC_TYPES[path.suffix],
            headers={"Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff"},
        )

    return Route("/static/{name}", serve, methods=["GET", "HEAD"], name="static")

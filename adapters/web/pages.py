"""Server-rendered pages of the web process (the gallery; the operator dashboard later):
Jinja2 templates from ``templates/``, the stylesheet from ``static/`` served by the app
itself, the texts from the Fluent catalogues in the page's language, and the security
headers (``adapters.web.security``) on every response."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from jinja2.filters import do_truncate
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
        # The templates ship with the code: compiled once, never checked for changes.
        self._env = Environment(
            loader=FileSystemLoader(TEMPLATES_DIR),
            autoescape=select_autoescape(("html",)),
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=False,
        )
        self._texts = Texts(messages)

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
        texts = self._texts

        def t(key: str, **params: Any) -> str:
            return texts.render(key, lang, params)

        def when(at: datetime) -> str:
            return self.messages.datetime(at, lang)

        body = self._env.get_template(template).render(lang=lang, t=t, when=when, **context)
        return HTMLResponse(body, status_code=status_code, headers=page_headers(img_origins))

    def text(self, key: str, lang: str, **params: Any) -> str:
        """``key`` in ``lang`` as the templates' ``t()`` renders it (memoised)."""
        return self._texts.render(key, lang, params)

    def truncate(self, text: str, length_chars: int) -> str:
        """Jinja2's ``truncate`` filter: whole words, "..." when cut."""
        return do_truncate(self._env, text, length_chars)

    def refused(self, lang: str, *, status_code: int = 403) -> HTMLResponse:
        """A page that says the link does not work, and shows nothing else."""
        return self.render("refused.html", lang, status_code=status_code)


class Texts:
    """The catalogue's texts as the pages show them, each rendered once per process: a
    page repeats labels on every card, and its images' dates and sizes again on each
    visit (a refresh, the page after a deletion, paging back). The catalogue does not
    change while the process runs; ``max_texts`` bounds the memory (least recently used
    texts go first)."""

    def __init__(self, messages: Messages, *, max_texts: int = 8192) -> None:
        self._messages = messages
        self._max_texts = max_texts
        self._texts: OrderedDict[tuple, str] = OrderedDict()

    def render(self, key: str, lang: str, params: dict[str, Any]) -> str:
        memo = (lang, key, *sorted(params.items())) if params else (lang, key)
        text = self._texts.get(memo)
        if text is not None:
            self._texts.move_to_end(memo)
            return text
        text = self._texts[memo] = self._messages.render(key, lang, **params)
        if len(self._texts) > self._max_texts:
            self._texts.popitem(last=False)
        return text


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

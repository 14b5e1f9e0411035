"""The web pages a user lands on (checkout return pages, an expired or broken /media/
link) in the browser's language: Accept-Language in its order, a region kept
(``pt-BR`` is Brazilian Portuguese, as on the chat platforms), English otherwise."""

from __future__ import annotations

import html

import httpx
import pytest

from adapters.web.app import create_web_app
from adapters.web.languages import LOCALES_DIR as WEB_LOCALES
from tests.support.servers import serve_asgi

BROWSERS = [
    ("pt-BR,pt;q=0.9,en;q=0.8", "pt-BR"),
    ("pt", "pt-BR"),  # the one Portuguese file there is
    ("fr-FR, es;q=0.8", "es"),  # no French: the next language asked for
    ("de-AT", "de"),
    ("ru-RU,ru;q=0.9", "ru"),
    ("", "en"),
]


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
async def test_pages_speak_the_browsers_language(app):
    messages = app.messages.layered(WEB_LOCALES)
    async with serve_asgi(create_web_app(app)) as base, httpx.AsyncClient() as http:
        for header, locale in BROWSERS:
            asked = {"accept-language": header}
            page = await http.get(f"{base}/billing/cancel", headers=asked)
            assert html.escape(messages.render("billing.page_cancel", locale)) in page.text
            assert f'lang="{locale}"' in page.text, (header, page.text[:80])
            expired = await http.get(f"{base}/media/x.png?exp=1&sig=0", headers=asked)
            assert expired.status_code == 403
            assert expired.text == messages.render("web.link_invalid", locale), header

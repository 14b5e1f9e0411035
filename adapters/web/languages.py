"""The language of a web page: the first of the browser's Accept-Language tags the
catalogue serves (``pt-BR`` kept whole, a bare ``pt`` read as its one regional file, as
in chat), else English."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request

from core import DEFAULT_LANGUAGE, Messages, normalise_locale

LOCALES_DIR = Path(__file__).resolve().parent / "locales"  # the web pages' own texts


def web_messages(messages: Messages | None = None) -> Messages:
    """``messages`` (the core's catalogue; its own files by default) with the pages' texts."""
    return (messages or Messages()).layered(LOCALES_DIR)


def page_language(request: Request, messages: Messages) -> str:
    served = set(messages.languages)
    for part in request.headers.get("accept-language", "").split(","):
        tag = part.split(";")[0].strip()
        if not tag or tag == "*":
            continue
        for locale in messages.chain(normalise_locale(tag)):
            if locale in served and (locale != DEFAULT_LANGUAGE or tag.lower().startswith("en")):
                return locale
    return DEFAULT_LANGUAGE

"""Core results and events → Discord message content, embeds and buttons; command
names and descriptions → localisations (a Translator backed by the message catalogue,
with Discord's own texts in ``adapters/discord/locales``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import discord
from discord import app_commands

from adapters.common.wording import history_line, history_lines
from core import (
    DEFAULT_LANGUAGE,
    ImageView,
    JobView,
    Messages,
    locale_chain,
    normalise_locale,
)

LOCALES_DIR = Path(__file__).resolve().parent / "locales"  # Discord's own texts
MAX_CONTENT_CHARS = 2000
MAX_EMBEDS = 10
MAX_EMBED_URL_CHARS = 2000
# Discord's embed limits (/resources/message#embed-object-embed-limits).
MAX_EMBED_DESCRIPTION_CHARS = 4096
MAX_EMBEDS_TOTAL_CHARS = 6000
LINK_SEPARATOR = " · "


def language_of(locale: discord.Locale | str | None) -> str:
    """Discord's locale as the catalogue names it, region kept (``pt-BR`` stays
    ``pt-BR``, ``es-ES`` is ``es-ES``): ``Messages`` falls back ``es-ES`` → ``es`` → ``en``."""
    value = locale.value if isinstance(locale, discord.Locale) else (locale or "")
    return normalise_locale(value)


def localisation(messages: Messages, key: str, locale: discord.Locale | str) -> str | None:
    """``key`` for Discord's ``locale`` from the first of its chain with a file of its own
    (``es-ES`` and ``es-419`` → ``es``, ``pt-BR`` → ``pt-BR``); None for English
    (``en-US``, ``en-GB``: the default text is never repeated) and for a locale we lack."""
    for candidate in locale_chain(language_of(locale)):
        if candidate.split("-")[0] == DEFAULT_LANGUAGE:
            return None
        text = messages.lookup(key, candidate)
        if text is not None:
            return text
    return None


def clip(text: str, limit: int = MAX_CONTENT_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class CoreTranslator(app_commands.Translator):
    """Localises command and option descriptions from the locale files
    (``adapters/discord/locales``) for every Discord locale one of them serves.

    Strings are ``locale_str(english_text, key="discord.cmd....")``; a language file that
    has the key provides the translation. English is the default text, so it is never
    repeated as a localisation. Names are never localised (a string without a key): help
    texts and links name ``/imagine`` in every language.
    """

    def __init__(self, messages: Messages) -> None:
        self._messages = messages

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        key = string.extras.get("key")
        if not key:
            return None
        return localisation(self._messages, key, locale)


class Texts:
    """Message keys rendered in one user's language."""

    def __init__(self, messages: Messages, locale: discord.Locale | str | None) -> None:
        self.messages = messages
        self.language = language_of(locale)

    def __call__(self, key: str, **params: Any) -> str:
        return self.messages.render(key, self.language, **params)


def described(messages: Messages, key: str) -> app_commands.locale_str:
    """The English text of ``key`` as a translatable command string."""
    return app_commands.locale_str(messages.render(key, DEFAULT_LANGUAGE), key=key)


def image_embeds(t: Texts, images: list[ImageView]) -> list[discord.Embed]:
    """One embed per image (at most 10), showing its chat preview (the original where it
    has none). Embeds sharing a ``url`` show as one gallery, which shows the first
    embed's text only: so the first embed's description links every original ("Full
    size"), as many as Discord's embed limits leave room for."""
    shown = images[:MAX_EMBEDS]
    gallery_url = shown[0].url if shown and len(shown[0].url) <= MAX_EMBED_URL_CHARS else None
    embeds = []
    for index, image in enumerate(shown, start=1):
        embed = discord.Embed(
            title=t("discord.image_title", index=index, count=len(shown)), url=gallery_url
        )
        embed.set_image(url=image.preview_url or image.url)
        embeds.append(embed)
    if embeds:
        titles_chars = sum(len(e.title or "") for e in embeds)
        room = min(MAX_EMBED_DESCRIPTION_CHARS, MAX_EMBEDS_TOTAL_CHARS - titles_chars)
        embeds[0].description = full_size_links(t, shown, max_chars=room) or None
    return embeds


def full_size_links(t: Texts, images: list[ImageView], *, max_chars: int) -> str:
    """Markdown links to the originals: "Full size" for one image, "Full size 1 · Full
    size 2 …" for several; links that would pass ``max_chars`` are left out."""
    parts: list[str] = []
    length = 0
    for index, image in enumerate(images, start=1):
        label = (
            t("discord.full_size_link")
            if len(images) == 1
            else t("discord.full_size_numbered", index=index)
        )
        # Parentheses would end the Markdown link early; any URL takes them escaped.
        url = image.url.replace("(", "%28").replace(")", "%29")
        part = f"[{label}]({url})"
        added = len(part) + (len(LINK_SEPARATOR) if parts else 0)
        if length + added > max_chars:
            break
        parts.append(part)
        length += added
    return LINK_SEPARATOR.join(parts)


def history_text(t: Texts, jobs: list[JobView]) -> str:
    lines = history_lines(
        t,
        jobs,
        job_line=lambda job: discord.utils.escape_markdown(history_line(t, job)),
        image_line=lambda image: f"  <{image.url}>",
    )
    return clip("\n".join(lines))

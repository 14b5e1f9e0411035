"""The one error hook: every interaction runs through :meth:`ErrorHook.run`.

It acknowledges (defers) first, well inside Discord's 3 s, then runs the work. A
``CoreError`` becomes its localised message; ``TermsNotAccepted`` shows the terms with
Accept / Decline buttons (privately); anything else gets an apology with a short
correlation id and is logged with its traceback (never the prompt, token or user id).
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable

import discord
from discord import app_commands

from adapters.common.errors import generic_error_text, new_correlation_id
from adapters.discord.items import terms_view
from adapters.discord.render import Texts, clip, language_of
from core import CoreError, Messages, TermsNotAccepted

log = logging.getLogger("seedream.discord")


def texts(messages: Messages, interaction: discord.Interaction) -> Texts:
    return Texts(messages, interaction.locale)


class ErrorHook:
    def __init__(self, messages: Messages) -> None:
        self._messages = messages
        self._inflight: set[asyncio.Task] = set()

    async def drain(self, timeout_s: float) -> None:
        """Wait (at most ``timeout_s``) for the interactions being handled, so a shutdown
        answers them instead of cutting them off half-way."""
        if self._inflight:
            await asyncio.wait(set(self._inflight), timeout=timeout_s)

    async def run(
        self,
        interaction: discord.Interaction,
        work: Callable[[], Awaitable[None]],
        *,
        ephemeral: bool = False,
        update: bool = False,
        name: str = "-",
    ) -> None:
        """Defer ``interaction`` (a new "thinking" message, or for ``update`` an edit of
        the clicked message), then run ``work``; render what it raises."""
        task = asyncio.current_task()
        if task is not None:
            self._inflight.add(task)
            task.add_done_callback(self._inflight.discard)
        try:
            if not interaction.response.is_done():
                if update:
                    await interaction.response.defer()
                else:
                    await interaction.response.defer(thinking=True, ephemeral=ephemeral)
            await work()
        except TermsNotAccepted as exc:
            await self._show_terms(interaction, exc.policy_version, private=ephemeral or update)
        except CoreError as exc:
            await self.reply(interaction, self._messages.render_error(exc, _lang(interaction)))
        except Exception as exc:
            await self.unexpected(interaction, exc, name)

    async def unexpected(self, interaction: discord.Interaction, exc: BaseException, name: str):
        correlation_id = new_correlation_id()
        log.error(
            "discord interaction failed ref=%s command=%s",
            correlation_id,
            name,
            exc_info=(type(exc), exc, exc.__traceback__),
        )
        t = functools.partial(self._messages.render, locale=_lang(interaction))
        await self.reply(interaction, generic_error_text(t, correlation_id))

    async def on_tree_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        """Errors discord.py raises before a command's callback runs (bad option values,
        failed checks): the same rendering as errors inside it."""
        original = getattr(error, "original", error)
        name = interaction.command.name if interaction.command else "-"
        if isinstance(original, CoreError):
            await self.reply(interaction, self._messages.render_error(original, _lang(interaction)))
        else:
            await self.unexpected(interaction, original, name)

    async def reply(
        self,
        interaction: discord.Interaction,
        content: str,
        *,
        view: discord.ui.View | None = None,
        embeds: list[discord.Embed] | None = None,
    ) -> None:
        """Put ``content`` in the interaction's reply (the deferred message, or a new
        private one when nothing was sent yet). Failures to reach Discord are logged."""
        kwargs: dict = {"content": clip(content), "embeds": embeds or []}
        try:
            if interaction.response.is_done():
                await interaction.edit_original_response(view=view, **kwargs)
            else:
                if view:
                    kwargs["view"] = view
                await interaction.response.send_message(ephemeral=True, **kwargs)
        except discord.HTTPException as exc:
            log.warning("could not reply to an interaction: HTTP %s", exc.status)
        except (RuntimeError, OSError) as exc:  # the client is shutting down
            log.warning("could not reply to an interaction: %s", type(exc).__name__)

    async def _show_terms(
        self, interaction: discord.Interaction, policy_version: str, *, private: bool
    ) -> None:
        t = texts(self._messages, interaction)
        body = t("buttons.terms_body", policy_version=policy_version)
        try:
            if interaction.response.is_done() and not private:
                # The terms are personal: replace a public "thinking" message with a
                # private one, so only this user sees (and can press) the buttons.
                await interaction.delete_original_response()
                await interaction.followup.send(body, view=terms_view(t), ephemeral=True)
            else:
                await self.reply(interaction, body, view=terms_view(t))
        except discord.HTTPException as exc:
            log.warning("could not show the terms: HTTP %s", exc.status)


def _lang(interaction: discord.Interaction) -> str:
    return language_of(interaction.locale)

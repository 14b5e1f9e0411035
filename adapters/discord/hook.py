"""The one error hook: every interaction runs through :meth:`ErrorHook.run`.

It acknowledges (defers) first, well inside Discord's 3 s, then settles the language the
interaction is answered in (the one chosen in /settings, else the interaction's locale:
one read through ``Core.reply_locale``, or none when the work reads the account itself
and says so with :meth:`ErrorHook.answer_in`), then runs the work. A
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
from adapters.discord.actor import actor_of
from adapters.discord.items import terms_view
from adapters.discord.render import Texts, clip
from core import Actor, CoreError, Messages, TermsNotAccepted, effective_locale

log = logging.getLogger("seedream.discord")

ReplyLocale = Callable[[Actor], Awaitable[str | None]]  # Core.reply_locale


class ErrorHook:
    def __init__(self, messages: Messages, reply_locale: ReplyLocale | None = None) -> None:
        self._messages = messages
        self._reply_locale = reply_locale
        self._inflight: set[asyncio.Task] = set()
        # The locale each interaction being handled is answered in, once settled.
        self._locales: dict[int, str | None] = {}

    # -- the language ----------------------------------------------------------------

    def texts(self, interaction: discord.Interaction) -> Texts:
        """The messages in the interaction's language: the one settled for it, else
        (before the acknowledgement) Discord's locale."""
        return Texts(self._messages, self._locale(interaction))

    def _locale(self, interaction: discord.Interaction) -> str | None:
        if interaction.id in self._locales:
            return self._locales[interaction.id]
        return interaction.locale.value

    def answer_in(self, interaction: discord.Interaction, language: str | None) -> None:
        """The account's stored language, from a read the work made anyway."""
        self._locales[interaction.id] = effective_locale(language, interaction.locale.value)

    def answer_in_locale(self, interaction: discord.Interaction, locale: str | None) -> None:
        """A locale the core settled already (``AcceptedJob.locale``)."""
        self._locales[interaction.id] = locale

    async def settle_locale(self, interaction: discord.Interaction) -> None:
        """Read the chosen language once for an interaction being handled."""
        if interaction.id not in self._locales:
            self._locales[interaction.id] = await self._read_locale(interaction)

    async def _read_locale(self, interaction: discord.Interaction) -> str | None:
        if interaction.id in self._locales:
            return self._locales[interaction.id]
        if self._reply_locale is None:
            return interaction.locale.value
        return await self._reply_locale(actor_of(interaction))  # never raises

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
        reads_account: bool = False,
    ) -> None:
        """Defer ``interaction`` (a new "thinking" message, or for ``update`` an edit of
        the clicked message), settle its language (unless ``work`` ``reads_account`` and
        calls :meth:`answer_in`), then run ``work``; render what it raises."""
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
            if not reads_account:
                await self.settle_locale(interaction)
            await work()
        except TermsNotAccepted as exc:
            await self.settle_locale(interaction)
            await self._show_terms(interaction, exc.policy_version, private=ephemeral or update)
        except CoreError as exc:
            await self.settle_locale(interaction)
            text = self._messages.render_error(exc, self._locale(interaction))
            await self.reply(interaction, text)
        except Exception as exc:
            await self.unexpected(interaction, exc, name)
        finally:
            self._locales.pop(interaction.id, None)

    async def unexpected(self, interaction: discord.Interaction, exc: BaseException, name: str):
        correlation_id = new_correlation_id()
        log.error(
            "discord interaction failed ref=%s command=%s",
            correlation_id,
            name,
            exc_info=(type(exc), exc, exc.__traceback__),
        )
        locale = await self._read_locale(interaction)
        t = functools.partial(self._messages.render, locale=locale)
        await self.reply(interaction, generic_error_text(t, correlation_id))

    async def on_tree_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        """Errors discord.py raises before a command's callback runs (bad option values,
        failed checks): the same rendering as errors inside it."""
        original = getattr(error, "original", error)
        name = interaction.command.name if interaction.command else "-"
        if isinstance(original, CoreError):
            text = self._messages.render_error(original, await self._read_locale(interaction))
            await self.reply(interaction, text)
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
        t = self.texts(interaction)
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

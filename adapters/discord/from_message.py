"""The message command "Imagine from this image": on a message with image attachments,
a modal asks for the prompt (the initial response, within Discord's 3 s: a modal cannot
follow a deferral); its submit is deferred and runs /imagine with the attachments as
reference images (``adapters.discord.references``). A message without images gets a
private message instead."""

from __future__ import annotations

import logging

import discord

from adapters.discord.actor import actor_of
from adapters.discord.handlers import Handlers
from adapters.discord.references import MODAL_ID_PREFIX, PromptModal, is_image
from core import ImagineRequest

log = logging.getLogger("seedream.discord")


class FromMessage:
    """The message command: a modal for the prompt, then /imagine with the message's
    image attachments (the first ones, as many as the user's model takes)."""

    def __init__(self, h: Handlers) -> None:
        self._h = h

    async def open(self, interaction: discord.Interaction, message: discord.Message) -> None:
        h = self._h
        t = h.texts(interaction)
        images = [a for a in message.attachments if is_image(a)]
        try:
            if not images:
                await interaction.response.send_message(
                    t("discord.references.no_images"), ephemeral=True
                )
                return

            async def submitted(submit: discord.Interaction, prompt: str) -> None:
                await self._submitted(submit, prompt, images)

            async def failed(submit: discord.Interaction, exc: Exception) -> None:
                await h.hook.unexpected(submit, exc, "imagine")

            custom_id = f"{MODAL_ID_PREFIX}{interaction.id}"
            await interaction.response.send_modal(PromptModal(t, custom_id, submitted, failed))
            h.open_modals.add(custom_id)
        except discord.HTTPException as exc:
            log.warning("could not answer the message command: HTTP %s", exc.status)

    async def _submitted(
        self, interaction: discord.Interaction, prompt: str, images: list[discord.Attachment]
    ) -> None:
        h = self._h
        private = await h.wants_private(interaction)

        async def work() -> None:
            limit = await self._reference_limit(interaction)
            request = ImagineRequest(prompt=prompt)
            # At least one: a model that takes none is refused by the core, by name.
            chosen = images[: max(limit, 1)]
            await h.imagine(interaction, request, ephemeral=private, attachments=chosen)

        await h.command(interaction, "imagine", work, ephemeral=private, reads_account=True)

    async def _reference_limit(self, interaction: discord.Interaction) -> int:
        """How many references the user's model takes (their default, as /imagine
        without a ``model`` uses it); 0 with no account yet (the core then asks for the
        terms; nothing is created here)."""
        core = self._h.core
        account = await core.find_account(actor_of(interaction))
        if account is None:
            return 0
        model = core.catalog.model(core.effective_settings(account).model_id)
        return model.max_reference_images if model is not None else 0

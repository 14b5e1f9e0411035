"""Persistent buttons: ``DynamicItem``s whose ``custom_id`` carries only an opaque id.

Nothing is kept in memory per message: after a restart a click is matched against the
templates registered in ``setup_hook`` and its state is looked up in the core again.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, ClassVar

import discord

from adapters.discord.render import Texts

if TYPE_CHECKING:
    from adapters.discord.handlers import Handlers

JOB_ID = r"[0-9a-f]{32}"
IMAGE_ID = r"[A-Za-z0-9_-]{1,24}"


def _handlers(interaction: discord.Interaction) -> Handlers:
    return interaction.client.seedream  # type: ignore[attr-defined]


class TermsButton(
    discord.ui.DynamicItem[discord.ui.Button], template=r"sd:terms:(?P<answer>accept|decline)"
):
    def __init__(self, answer: str, label: str = "") -> None:
        style = discord.ButtonStyle.success if answer == "accept" else discord.ButtonStyle.secondary
        super().__init__(
            discord.ui.Button(label=label or answer, style=style, custom_id=f"sd:terms:{answer}")
        )
        self.answer = answer

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> TermsButton:
        return cls(match["answer"], item.label or "")

    async def callback(self, interaction: discord.Interaction) -> Any:
        await _handlers(interaction).terms_answer(interaction, accepted=self.answer == "accept")


class _OpaqueIdButton:
    """A button whose ``custom_id`` is ``sd:<action>:<id>``; subclasses set the look and
    the template (``(?P<id>...)``), and handle the click."""

    action: ClassVar[str]
    emoji: ClassVar[str]
    style: ClassVar[discord.ButtonStyle] = discord.ButtonStyle.secondary

    def __init__(self, item_id: str, label: str = "") -> None:
        button = discord.ui.Button(
            label=label or self.action,
            emoji=self.emoji,
            style=self.style,
            custom_id=f"sd:{self.action}:{item_id}",
        )
        super().__init__(button)  # type: ignore[call-arg]
        self.item_id = item_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> Any:
        return cls(match["id"], item.label or "")


class RerollButton(
    _OpaqueIdButton,
    discord.ui.DynamicItem[discord.ui.Button],
    template=rf"sd:reroll:(?P<id>{JOB_ID})",
):
    action, emoji = "reroll", "🔁"

    async def callback(self, interaction: discord.Interaction) -> Any:
        await _handlers(interaction).reroll(interaction, self.item_id)


class DeleteButton(
    _OpaqueIdButton,
    discord.ui.DynamicItem[discord.ui.Button],
    template=rf"sd:delete:(?P<id>{IMAGE_ID})",
):
    """Shown only when the core offers image deletion (``Core.delete_image``)."""

    action, emoji, style = "delete", "🗑️", discord.ButtonStyle.danger

    async def callback(self, interaction: discord.Interaction) -> Any:
        await _handlers(interaction).delete_image(interaction, self.item_id)


ALL_ITEMS = (TermsButton, RerollButton, DeleteButton)


def terms_view(t: Texts) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(TermsButton("accept", t("buttons.accept")))
    view.add_item(TermsButton("decline", t("buttons.decline")))
    return view


def job_view(t: Texts, job_id: str, image_ids: list[str], *, can_delete: bool) -> discord.ui.View:
    """Buttons under a finished job: reroll, and delete per image when supported.
    Variations are not offered: no model in the catalogue supports them yet."""
    view = discord.ui.View(timeout=None)
    view.add_item(RerollButton(job_id, t("buttons.reroll")))
    if can_delete:
        for index, image_id in enumerate(image_ids[:4], start=1):
            view.add_item(DeleteButton(image_id, f"{t('buttons.delete')} {index}"))
    return view

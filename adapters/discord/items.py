"""Persistent buttons: ``DynamicItem``s whose ``custom_id`` carries only an opaque id.

Nothing is kept in memory per message: after a restart a click is matched against the
templates registered in ``setup_hook`` and its state is looked up in the core again.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar, Protocol

import discord

from adapters.discord.render import Texts, clip
from core import PackOffer

JOB_ID = r"[0-9a-f]{32}"
IMAGE_ID = r"[A-Za-z0-9_-]{1,24}"
PACK_ID = r"[A-Za-z0-9_-]{1,32}"
ERASURE_CODE = r"[A-Z0-9]{4}-[A-Z0-9]{4}"


class AccountClicks(Protocol):
    async def buy_clicked(self, interaction: discord.Interaction, pack_id: str) -> None: ...

    async def forget_answer(self, interaction: discord.Interaction, code: str | None) -> None: ...


class Clicks(Protocol):
    """What the buttons call on a click: ``adapters.discord.handlers.Handlers``, which
    ``setup_hook`` hangs on the client as ``seedream`` (this module does not import it:
    the handlers build these buttons)."""

    @property
    def account(self) -> AccountClicks: ...

    async def terms_answer(self, interaction: discord.Interaction, *, accepted: bool) -> None: ...

    async def reroll(self, interaction: discord.Interaction, job_id: str) -> None: ...

    async def vary(self, interaction: discord.Interaction, image_id: str) -> None: ...

    async def delete_image(self, interaction: discord.Interaction, image_id: str) -> None: ...


def _handlers(interaction: discord.Interaction) -> Clicks:
    # The client is adapters.discord.bot's, which carries the handlers (importing its
    # class here for an isinstance check would make an import cycle).
    return interaction.client.seedream  # type: ignore[attr-defined]


def _label(item: discord.ui.Item[Any]) -> str:
    """The clicked button's label (``from_custom_id`` gets the component as an Item)."""
    return (item.label if isinstance(item, discord.ui.Button) else None) or ""


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
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> TermsButton:
        return cls(match["answer"], _label(item))

    async def callback(self, interaction: discord.Interaction) -> Any:
        await _handlers(interaction).terms_answer(interaction, accepted=self.answer == "accept")


class _OpaqueIdButton:
    """A button whose ``custom_id`` is ``sd:<action>:<id>``; subclasses set the look and
    the template (``(?P<id>...)``), and handle the click."""

    action: ClassVar[str]
    emoji: ClassVar[str]
    style: ClassVar[discord.ButtonStyle] = discord.ButtonStyle.secondary

    def __init__(self, item_id: str, label: str = "") -> None:
        button: discord.ui.Button[Any] = discord.ui.Button(
            label=label or self.action,
            emoji=self.emoji,
            style=self.style,
            custom_id=f"sd:{self.action}:{item_id}",
        )
        # The next class in the MRO is DynamicItem; mypy only sees object here.
        super().__init__(button)  # type: ignore[call-arg]
        self.item_id = item_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> Any:
        return cls(match["id"], _label(item))


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
    """Shown when the core offers image deletion (``core.privacy.delete_image``); only
    the image's owner can use it (anyone else gets NotOwner, privately)."""

    action, emoji, style = "delete", "🗑️", discord.ButtonStyle.danger

    async def callback(self, interaction: discord.Interaction) -> Any:
        await _handlers(interaction).delete_image(interaction, self.item_id)


class VaryButton(
    _OpaqueIdButton,
    discord.ui.DynamicItem[discord.ui.Button],
    template=rf"sd:vary:(?P<id>{IMAGE_ID})",
):
    """V1..Vn under a result of a model with variations: a new job drawn from that image
    (the core checks the owner, the model and the image again on click)."""

    action, emoji, style = "vary", "🎨", discord.ButtonStyle.primary

    async def callback(self, interaction: discord.Interaction) -> Any:
        await _handlers(interaction).vary(interaction, self.item_id)


class BuyButton(
    _OpaqueIdButton,
    discord.ui.DynamicItem[discord.ui.Button],
    template=rf"sd:buy:(?P<id>{PACK_ID})",
):
    """Under /credits: a private checkout link for one pack (the pack id is all it
    carries; price and credits are looked up in the catalogue on click)."""

    action, emoji, style = "buy", "🛒", discord.ButtonStyle.primary

    async def callback(self, interaction: discord.Interaction) -> Any:
        await _handlers(interaction).account.buy_clicked(interaction, self.item_id)


class ForgetButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=rf"sd:forget:(?P<answer>confirm:(?P<code>{ERASURE_CODE})|cancel)",
):
    """/forgetme's Confirm (carrying the core's one-time confirmation code, which the
    core checks against the clicker's own account and its expiry) and Cancel."""

    def __init__(self, code: str | None, label: str = "") -> None:
        answer = f"confirm:{code}" if code else "cancel"
        style = discord.ButtonStyle.danger if code else discord.ButtonStyle.secondary
        super().__init__(
            discord.ui.Button(label=label or answer, style=style, custom_id=f"sd:forget:{answer}")
        )
        self.code = code

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> ForgetButton:
        return cls(match["code"], _label(item))

    async def callback(self, interaction: discord.Interaction) -> Any:
        await _handlers(interaction).account.forget_answer(interaction, self.code)


ALL_ITEMS = (TermsButton, RerollButton, VaryButton, DeleteButton, BuyButton, ForgetButton)
MAX_ROW_BUTTONS = 5  # Discord: 5 buttons a row, 5 rows a message


def terms_view(t: Texts) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(TermsButton("accept", t("buttons.accept")))
    view.add_item(TermsButton("decline", t("buttons.decline")))
    return view


def job_view(
    t: Texts, job_id: str, image_ids: list[str], *, can_delete: bool, can_vary: bool = False
) -> discord.ui.View:
    """Buttons under a finished job: reroll (row 0); V1..Vn, one per image, when the
    model offers variations (rows 1-2, up to 8 images); delete per image when supported
    (row 3). At most 1 + 8 + 4 buttons in 4 rows, within Discord's 5 x 5."""
    view = discord.ui.View(timeout=None)
    reroll = RerollButton(job_id, t("buttons.reroll"))
    reroll.row = 0
    view.add_item(reroll)
    if can_vary:
        for index, image_id in enumerate(image_ids[:8]):
            button = VaryButton(image_id, t("buttons.vary", index=index + 1))
            button.row = 1 + index // MAX_ROW_BUTTONS
            view.add_item(button)
    if can_delete:
        for index, image_id in enumerate(image_ids[:4], start=1):
            delete = DeleteButton(image_id, f"{t('buttons.delete')} {index}")
            delete.row = 3
            view.add_item(delete)
    return view


def buy_view(t: Texts, packs: list[PackOffer]) -> discord.ui.View:
    """One Buy button per card pack (Discord allows 25 buttons in a message)."""
    view = discord.ui.View(timeout=None)
    for pack in packs[:25]:
        view.add_item(BuyButton(pack.id, clip(t("discord.buy_button", label=pack.label), 80)))
    return view


def forget_view(t: Texts, code: str) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(ForgetButton(code, t("discord.forget_confirm_button")))
    view.add_item(ForgetButton(None, t("discord.forget_cancel_button")))
    return view

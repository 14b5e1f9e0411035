"""Money, account and privacy on Discord: /credits with Buy buttons, /buy, /subscribe,
/redeem, /link, /mydata, /forgetme (with Confirm / Cancel), /delete, /privacy and the
privacy settings.

Every reply here is private (ephemeral): balances, checkout links, exports and erasure
are nobody else's business. Each handler calls one method of ``core.billing`` or
``core.privacy`` and renders the typed result; refusals are ``CoreError``s rendered by
the error hook (``PaymentsDisabled`` without Stripe keys, ``NotOwner``, ...).
"""

from __future__ import annotations

import io
from typing import Protocol

import discord

from adapters.common import flows
from adapters.common.privacy import forget_challenge_text, image_deleted_text
from adapters.common.wording import (
    export_text,
    gallery_text,
    overview_lines,
    receipt_text,
    redeemed_text,
)
from adapters.discord.actor import actor_of
from adapters.discord.context import InteractionContext
from adapters.discord.delivery import reply_target
from adapters.discord.hook import ErrorHook
from adapters.discord.items import buy_view, forget_view
from adapters.discord.preferences import PrivateReplies
from adapters.discord.recent_images import RecentImages
from adapters.discord.render import MAX_CONTENT_CHARS, Texts, clip, language_of
from core import AccountView, Actor, Core, ErasureChallenge, ItemKind, Messages, NotFound

POLICY_FILENAME = "privacy-policy.txt"
MANAGE = "manage"  # the /subscribe choice that opens the Customer Portal


class Host(Protocol):
    """What these handlers share with the rest of the commands:
    ``adapters.discord.handlers.Handlers``, which owns them (and so is not imported)."""

    @property
    def core(self) -> Core: ...

    @property
    def messages(self) -> Messages: ...

    @property
    def hook(self) -> ErrorHook: ...

    @property
    def private_users(self) -> PrivateReplies: ...

    @property
    def recent_images(self) -> RecentImages: ...

    def texts(self, interaction: discord.Interaction) -> Texts: ...


class AccountHandlers:
    def __init__(self, handlers: Host) -> None:
        self.h = handlers
        self.core = handlers.core

    def _actor(self, interaction: discord.Interaction) -> Actor:
        return actor_of(interaction)

    @property
    def _privacy(self):
        return self.core.privacy

    # -- billing ---------------------------------------------------------------------

    async def credits(self, interaction: discord.Interaction) -> None:
        view = await self.core.billing.overview(self._actor(interaction))
        t = self.h.texts(interaction)
        packs = [p for p in view.packs if p.method == "card"]
        await interaction.edit_original_response(
            content=clip("\n".join(overview_lines(t, view))),
            view=buy_view(t, packs) if packs else None,
        )

    async def buy(self, interaction: discord.Interaction, pack_id: str) -> None:
        target = reply_target(interaction, ephemeral=True)
        link = await self.core.billing.buy_pack(self._actor(interaction), pack_id, target)
        text = self.h.texts(interaction)("billing.checkout_link", url=link.url)
        await interaction.edit_original_response(content=clip(text))

    async def buy_clicked(self, interaction: discord.Interaction, pack_id: str) -> None:
        """A Buy button under /credits: a new private message with the link."""
        await self.h.hook.run(
            interaction, lambda: self.buy(interaction, pack_id), ephemeral=True, name="buy"
        )

    async def subscribe(self, interaction: discord.Interaction, plan_id: str) -> None:
        t = self.h.texts(interaction)
        actor = self._actor(interaction)
        if plan_id == MANAGE:
            text = t("billing.portal_link", url=await self.core.billing.portal(actor))
        else:
            target = reply_target(interaction, ephemeral=True)
            link = await self.core.billing.subscribe(actor, plan_id, target)
            text = t("billing.subscribe_link", url=link.url)
        await interaction.edit_original_response(content=clip(text))

    async def redeem(self, interaction: discord.Interaction, code: str) -> None:
        done = await self.core.billing.redeem(self._actor(interaction), code)
        text = redeemed_text(self.h.texts(interaction), done)
        await interaction.edit_original_response(content=text)

    # -- cross-platform account ------------------------------------------------------

    async def link(self, interaction: discord.Interaction, code: str | None) -> None:
        """/link: a code to type on Telegram; /link CODE: join this Discord identity to
        the account that issued the code."""
        context = InteractionContext(self.core, interaction, self.h.texts(interaction))
        done = await flows.link(context, code, other="Telegram")
        if done is not None:
            # This identity now belongs to the joined account: its preference counts.
            self.h.private_users.set(str(interaction.user.id), done.account.private_replies)

    # -- privacy ---------------------------------------------------------------------

    async def privacy(self, interaction: discord.Interaction) -> None:
        """The operator's policy: in the message when it fits, else attached as a file
        under the short summary (a message holds at most 2,000 characters)."""
        policy = self._privacy.policy_text()
        if len(policy) <= MAX_CONTENT_CHARS:
            await interaction.edit_original_response(content=policy)
            return
        attached = discord.File(io.BytesIO(policy.encode("utf-8")), filename=POLICY_FILENAME)
        await interaction.edit_original_response(
            content=self.h.texts(interaction)("discord.privacy"), attachments=[attached]
        )

    async def mydata(self, interaction: discord.Interaction) -> None:
        result = await self._privacy.export(self._actor(interaction))
        text = export_text(self.h.texts(interaction), result)
        await interaction.edit_original_response(content=clip(text))

    async def gallery(self, interaction: discord.Interaction) -> None:
        link = await self.core.gallery.link(self._actor(interaction))
        await interaction.edit_original_response(
            content=clip(gallery_text(self.h.texts(interaction), link))
        )

    async def forgetme(self, interaction: discord.Interaction) -> None:
        t = self.h.texts(interaction)
        outcome = await self._privacy.forget(self._actor(interaction))
        if isinstance(outcome, ErasureChallenge):
            await interaction.edit_original_response(
                content=forget_challenge_text(t, "discord.forget_confirm", outcome),
                view=forget_view(t, outcome.code),
            )
        else:  # nothing held about this user
            await interaction.edit_original_response(
                content=receipt_text(t, self.h.messages.has, outcome)
            )

    async def forget_answer(self, interaction: discord.Interaction, code: str | None) -> None:
        """Confirm (``code`` from the button) or Cancel (``None``): the private message
        with the buttons is edited in place, and its buttons removed."""

        async def work() -> None:
            t = self.h.texts(interaction)
            if code is None:
                text = t("discord.forget_cancelled")
            else:
                # The code is checked against the clicker's own account: a button
                # reaching someone else could erase nobody but them, and only if valid.
                receipt = await self._privacy.forget(self._actor(interaction), code)
                if isinstance(receipt, ErasureChallenge):  # no code given: cannot happen
                    raise NotFound(what=ItemKind.CONFIRMATION_CODE)
                if receipt.erased:
                    self.h.private_users.set(str(interaction.user.id), False)
                    self.h.recent_images.forget(str(interaction.user.id))
                text = receipt_text(t, self.h.messages.has, receipt)
            await interaction.edit_original_response(content=clip(text), view=None)

        await self.h.hook.run(interaction, work, update=True, name="forgetme")

    async def delete_image(self, interaction: discord.Interaction, image_id: str) -> None:
        await self._privacy.delete_image(self._actor(interaction), image_id)
        self.h.recent_images.drop_image(str(interaction.user.id), image_id.strip())
        text = image_deleted_text(self.h.texts(interaction), image_id)
        await interaction.edit_original_response(content=text)

    async def delete_clicked(self, interaction: discord.Interaction, image_id: str) -> None:
        """The Delete button under a result: the answer is private; refused (NotOwner)
        for anyone but the image's owner."""
        await self.h.hook.run(
            interaction,
            lambda: self.delete_image(interaction, image_id),
            ephemeral=True,
            name="delete",
        )

    async def image_choices(self, interaction: discord.Interaction, typed: str):
        """Autocomplete for /delete: the user's recent images (never anyone else's),
        from memory or a read bounded well inside Discord's 3 s (``RecentImages``)."""
        actor = self._actor(interaction)
        found = await self.h.recent_images.choices(
            actor.platform_user_id, lambda: self.core.history(actor)
        )
        language = language_of(interaction.locale)
        typed_lower = typed.lower()
        labelled = [(choice.label(language), choice.image_id) for choice in found]
        return [(label, i) for label, i in labelled if typed_lower in label.lower() or typed in i]

    async def set_training(self, interaction: discord.Interaction, allowed: bool) -> AccountView:
        return await self._privacy.set_training_opt_in(self._actor(interaction), allowed)

    async def set_analytics(self, interaction: discord.Interaction, allowed: bool) -> AccountView:
        return await self._privacy.set_analytics_opt_in(self._actor(interaction), allowed)

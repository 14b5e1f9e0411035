"""What each command and button does: build an ``Actor`` (and a ``ReplyTarget``), call
one ``Core`` method, render the result. No business rules live here; every refusal is
a ``CoreError`` rendered by the error hook."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

import discord

from adapters.common.jobs import cancelled_job_text, queued_text
from adapters.common.settings import settings_text
from adapters.common.wording import accepted_text, dashboard_text, model_line
from adapters.discord.account import AccountHandlers
from adapters.discord.actor import PLATFORM, actor_of, in_nsfw_channel
from adapters.discord.delivery import Progress, reply_target
from adapters.discord.hook import ErrorHook
from adapters.discord.items import terms_view
from adapters.discord.preferences import PrivateReplies
from adapters.discord.recent_images import RecentImages
from adapters.discord.references import MODAL_ID_PREFIX, OpenModals, with_references
from adapters.discord.render import Texts, clip, history_text
from core import AcceptedJob, Actor, Core, CoreError, ImagineRequest, Messages


class AdminOnly(CoreError):
    key = "discord.admin_only"


class Handlers:
    def __init__(
        self,
        core: Core,
        messages: Messages,
        hook: ErrorHook,
        progress: Progress,
        *,
        admin_user_ids: frozenset[int] = frozenset(),
        private_refresh_s: float = 30.0,
        autocomplete_deadline_s: float = 1.5,
    ) -> None:
        self.core = core
        self.messages = messages
        self.hook = hook
        self.progress = progress
        self.admin_user_ids = admin_user_ids
        self.account = AccountHandlers(self)  # billing and privacy
        self.open_modals = OpenModals()  # "Imagine from this image" prompts being shown
        # /delete's autocomplete answers from memory (adapters.discord.recent_images).
        self.recent_images = RecentImages(deadline_s=autocomplete_deadline_s)
        self.private_users = PrivateReplies(
            lambda: core.private_reply_users(PLATFORM), private_refresh_s
        )

    def texts(self, interaction: discord.Interaction) -> Texts:
        """In the language the interaction is answered in (``ErrorHook.texts``)."""
        return self.hook.texts(interaction)

    async def command(
        self,
        interaction: discord.Interaction,
        name: str,
        work: Callable[[], Awaitable[None]],
        *,
        ephemeral: bool | None = None,
        reads_account: bool = False,
    ) -> None:
        """Run a slash command: ``ephemeral`` None means "as the user prefers";
        ``reads_account``: ``work`` gives the reply language from its own read of the
        account (``ErrorHook.run``)."""
        self.core.record_command(actor_of(interaction), name)  # opt-in analytics
        if ephemeral is None:
            ephemeral = await self.wants_private(interaction)
        await self.hook.run(
            interaction, work, ephemeral=ephemeral, name=name, reads_account=reads_account
        )

    async def wants_private(self, interaction: discord.Interaction) -> bool:
        """From memory (see ``adapters.discord.preferences``): no database read before
        the acknowledgement."""
        return str(interaction.user.id) in self.private_users

    # -- generation ------------------------------------------------------------------

    async def imagine(
        self,
        interaction: discord.Interaction,
        request: ImagineRequest,
        *,
        ephemeral: bool,
        attachments: Sequence[discord.Attachment] = (),
    ) -> None:
        """``attachments`` become the request's reference images (sizes checked, then
        downloaded: ``adapters.discord.references``)."""
        request = await with_references(self.core, request, attachments)
        actor = actor_of(interaction)  # the core checks an age-restricted model against it
        job = await self.core.imagine(
            actor, request, reply_target(interaction, ephemeral=ephemeral)
        )
        await self._show_queued(interaction, job)

    async def _show_queued(self, interaction: discord.Interaction, job: AcceptedJob) -> None:
        self.hook.answer_in_locale(interaction, job.locale)  # the account's, read by the core
        text = queued_text(self.texts(interaction), job)
        async with self.progress.advance(job.job_id, "queued") as newer:
            if newer:  # the worker may already have reported a later stage
                await interaction.edit_original_response(content=text)

    async def modal_submitted(self, interaction: discord.Interaction) -> None:
        """Any modal submit (after discord.py dispatched it to its modal, if it has
        one): one of ours that no longer listens is told so."""
        data: dict = dict(interaction.data or {})
        custom_id = str(data.get("custom_id") or "")
        if custom_id.startswith(MODAL_ID_PREFIX) and not self.open_modals.knows(custom_id):
            await self.hook.reply(
                interaction, self.texts(interaction)("discord.references.expired")
            )

    async def reroll(self, interaction: discord.Interaction, job_id: str) -> None:
        ephemeral = await self.wants_private(interaction)

        async def work() -> None:
            actor = actor_of(interaction)
            target = reply_target(interaction, ephemeral=ephemeral)
            job = await self.core.reroll(actor, job_id, target)
            await self._show_queued(interaction, job)

        await self.hook.run(
            interaction, work, ephemeral=ephemeral, name="reroll", reads_account=True
        )

    async def vary(self, interaction: discord.Interaction, image_id: str) -> None:
        """A V1..Vn button: a variation job of that image, reported like a reroll."""
        ephemeral = await self.wants_private(interaction)

        async def work() -> None:
            actor = actor_of(interaction)
            target = reply_target(interaction, ephemeral=ephemeral)
            job = await self.core.vary(actor, image_id, target)
            await self._show_queued(interaction, job)

        await self.hook.run(interaction, work, ephemeral=ephemeral, name="vary", reads_account=True)

    async def cancel(self, interaction: discord.Interaction) -> None:
        job = await self.core.cancel(actor_of(interaction))
        text = cancelled_job_text(self.texts(interaction), job)
        await interaction.edit_original_response(content=text)

    async def delete_image(self, interaction: discord.Interaction, image_id: str) -> None:
        await self.account.delete_clicked(interaction, image_id)

    # -- terms -----------------------------------------------------------------------

    async def terms(self, interaction: discord.Interaction) -> None:
        t = self.texts(interaction)
        status = await self.core.terms(actor_of(interaction))
        body = t("buttons.terms_body", policy_version=status.policy_version)
        view = None if status.accepted else terms_view(t)
        await interaction.edit_original_response(content=body, view=view)

    async def terms_answer(self, interaction: discord.Interaction, *, accepted: bool) -> None:
        async def work() -> None:
            if not accepted:
                await self.hook.settle_locale(interaction)
                text = self.texts(interaction)("terms.declined")
                await interaction.edit_original_response(content=text, view=None)
                return
            # Pressing the button labelled "I am 13+ and accept" is the age confirmation.
            result = await self.core.accept_terms(actor_of(interaction), age_confirmed=True)
            self.hook.answer_in(interaction, result.account.language)
            text = accepted_text(self.texts(interaction), result)
            await interaction.edit_original_response(content=text, view=None)

        await self.hook.run(interaction, work, update=True, name="terms", reads_account=True)

    # -- information -----------------------------------------------------------------

    async def credits(self, interaction: discord.Interaction) -> None:
        await self.account.credits(interaction)

    async def history(self, interaction: discord.Interaction) -> None:
        jobs = await self.core.history(actor_of(interaction))
        self.recent_images.put(str(interaction.user.id), jobs)
        await interaction.edit_original_response(
            content=history_text(self.texts(interaction), jobs)
        )

    async def models(self, interaction: discord.Interaction) -> None:
        t = self.texts(interaction)
        nsfw_allowed = in_nsfw_channel(interaction)
        lines = [model_line(t, m) for m in self.core.models(nsfw_allowed=nsfw_allowed)]
        await interaction.edit_original_response(content=clip("\n".join(lines)))

    async def settings(
        self,
        interaction: discord.Interaction,
        *,
        model: str | None,
        aspect: str | None,
        language: str | None,
        private: bool | None = None,
        training: bool | None = None,
        analytics: bool | None = None,
    ) -> None:
        actor = actor_of(interaction)
        # The preferences first: they validate the options, so a refused value leaves
        # the training and analytics consents untouched too.
        if (model, aspect, language, private) != (None, None, None, None):
            view = await self.core.set_preferences(
                actor,
                model_id=model,
                aspect_ratio=aspect,
                language=language,
                languages=tuple(self.messages.languages),
                private_replies=private,
            )
        else:
            await self.core.credits(actor, limit=0)  # the terms / ban checks
            view = await self.core.account(actor)
        if training is not None:
            view = await self.account.set_training(interaction, training)
        if analytics is not None:
            view = await self.account.set_analytics(interaction, analytics)
        self.private_users.set(str(interaction.user.id), view.private_replies)
        self.hook.answer_in(interaction, view.language)  # one just chosen answers at once
        current = settings_text(
            self.texts(interaction),
            "discord.settings_current",
            self.core.effective_settings(view),
            private=view.private_replies,
            training=view.training_opt_in,
            analytics=view.analytics_opt_in,
        )
        await interaction.edit_original_response(content=current)

    async def static(self, interaction: discord.Interaction, key: str) -> None:
        await interaction.edit_original_response(content=self.texts(interaction)(key))

    # -- administration --------------------------------------------------------------

    def require_admin(self, interaction: discord.Interaction) -> None:
        if interaction.user.id not in self.admin_user_ids:
            raise AdminOnly()

    async def admin_grant(
        self, interaction: discord.Interaction, user: discord.abc.User, amount: int, reason: str
    ) -> None:
        self.require_admin(interaction)
        outcome = await self.core.admin_grant(
            Actor(PLATFORM, str(user.id)),
            amount,
            reason=reason,
            reference=f"discord:{interaction.id}",  # a replayed interaction grants once
            operator=f"{PLATFORM}:{interaction.user.id}",
            create_account=False,
        )
        if not outcome.applied:
            key = "discord.already_granted"
        else:
            key = "discord.granted" if amount > 0 else "discord.taken_back"
        text = self.texts(interaction)(
            key, credits=abs(amount), balance_credits=outcome.balance_credits
        )
        await interaction.edit_original_response(content=text)

    async def admin_ban(
        self, interaction: discord.Interaction, user: discord.abc.User, reason: str | None
    ) -> None:
        self.require_admin(interaction)
        await self.core.admin_ban(
            Actor(PLATFORM, str(user.id)),
            reason,
            operator=f"{PLATFORM}:{interaction.user.id}",
            create_account=False,
        )
        key = "discord.banned" if reason is not None else "discord.unbanned"
        await interaction.edit_original_response(content=self.texts(interaction)(key))

    async def admin_dashboard(self, interaction: discord.Interaction) -> None:
        """A short-lived dashboard link, in the ephemeral reply only."""
        self.require_admin(interaction)
        link = await self.core.dashboard_links.link(f"{PLATFORM}:{interaction.user.id}")
        text = dashboard_text(self.texts(interaction), link)
        await interaction.edit_original_response(content=text)

    async def admin_stats(self, interaction: discord.Interaction) -> None:
        self.require_admin(interaction)
        stats = await self.core.admin_stats()
        jobs = ", ".join(f"{k} {v}" for k, v in sorted(stats.jobs_by_status.items())) or "0"
        text = self.texts(interaction)(
            "discord.stats",
            accounts=stats.accounts,
            banned_accounts=stats.banned_accounts,
            balance_credits=stats.balance_credits,
            queue_depth=stats.queue_depth,
            jobs=jobs,
        )
        await interaction.edit_original_response(content=text)

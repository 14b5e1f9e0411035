"""Job events for platform ``discord`` → edits of the job's message.

The message that answered /imagine (the interaction's ``@original``) is edited as the
job progresses: queued with its position → generating → done with the images and
buttons (or failed / cancelled). An interaction token lives 15 minutes; after that (or
when Discord refuses it) a terminal event is posted in the channel instead, and in a DM
when the channel is gone or the reply was private. Progress events past the token's life
are dropped: only the result is worth a new message.

The clock is injectable so tests can compress the 15 minutes.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from typing import Any

import discord

from adapters.common.jobs import (
    cancelled_event_text,
    failed_text,
    finished_text,
    notice_text,
    started_text,
)
from adapters.discord.items import job_view
from adapters.discord.recent_images import RecentImages
from adapters.discord.render import Texts, clip, image_embeds
from core import JobEvent, Messages, ReplyTarget, utcnow

log = logging.getLogger("seedream.discord.delivery")

PLATFORM = "discord"
TOKEN_LIFETIME = timedelta(minutes=15)
TOKEN_MARGIN = timedelta(seconds=30)  # do not start an edit the token may not survive
STAGES = {"queued": 1, "started": 2, "finished": 3, "failed": 3, "cancelled": 3}


class ClientClosed(RuntimeError):
    """The Discord client is shutting down: the event is handed back (its delivery claim
    released) and re-announced later."""


class Progress:
    """The furthest stage shown per job, so a late "queued" edit (from the command
    handler) never overwrites "generating" or the result in this process."""

    def __init__(self, max_jobs: int = 10_000) -> None:
        self._jobs: OrderedDict[str, list[Any]] = OrderedDict()  # job -> [stage, lock]
        self._max_jobs = max_jobs

    @asynccontextmanager
    async def advance(self, job_id: str, kind: str) -> AsyncIterator[bool]:
        """Yields True when ``kind`` is further than what was shown (and records it)."""
        entry = self._jobs.get(job_id)
        if entry is None:
            entry = self._jobs[job_id] = [0, asyncio.Lock()]
            while len(self._jobs) > self._max_jobs:
                self._jobs.popitem(last=False)
        self._jobs.move_to_end(job_id)
        stage = STAGES[kind]
        async with entry[1]:
            if stage <= entry[0]:
                yield False
                return
            entry[0] = stage
            yield True


def reply_target(interaction: discord.Interaction, *, ephemeral: bool) -> ReplyTarget:
    """Where a job started by ``interaction`` reports back (stored on the job)."""
    return ReplyTarget(
        PLATFORM,
        {
            "application_id": str(interaction.application_id),
            "interaction_id": str(interaction.id),
            "interaction_token": interaction.token,
            "channel_id": str(interaction.channel_id or ""),
            "user_id": str(interaction.user.id),
            "ephemeral": ephemeral,
        },
    )


class DiscordDelivery:
    """The event-bus handler for platform ``discord``."""

    def __init__(
        self,
        client: discord.Client,
        messages: Messages,
        progress: Progress,
        *,
        can_delete: bool = False,
        clock: Callable[[], datetime] = utcnow,
        recent_images: RecentImages | None = None,
    ) -> None:
        self._client = client
        self._recent_images = recent_images  # forgotten for a user whose job finished
        self._messages = messages
        self._progress = progress
        self._can_delete = can_delete
        self._clock = clock
        self.ready = asyncio.Event()  # set once the client has logged in

    async def __call__(self, event: JobEvent) -> None:
        await self.ready.wait()
        if self._client.is_closed():
            raise ClientClosed("the Discord client is closed")
        target = event.reply_target
        if event.kind == "notice" and target is not None and target.platform == PLATFORM:
            await self._deliver_notice(target, event)
            return
        # "queued" is shown by the /imagine handler itself, from the job the core returned
        # (with the same position): the published event would only race that edit.
        if target is None or target.platform != PLATFORM or event.kind not in STAGES:
            return
        if event.kind == "queued":
            return
        t = Texts(self._messages, event.locale)
        view = None
        embeds: list[discord.Embed] = []
        if event.kind == "started":
            content = started_text(t, event)
        elif event.kind == "finished":
            if self._recent_images is not None and "user_id" in target.data:
                self._recent_images.forget(str(target.data["user_id"]))
            content = finished_text(t, event)
            embeds = image_embeds(t, event.images)
            image_ids = [i.image_id for i in event.images]
            view = job_view(
                t, event.job_id, image_ids, can_delete=self._can_delete, can_vary=event.can_vary
            )
        elif event.kind == "failed":
            content = failed_text(t, event)
        else:
            content = cancelled_event_text(t, event)
        async with self._progress.advance(event.job_id, event.kind) as newer:
            if not newer:
                return
            if event.kind in ("queued", "started"):
                await self._progress_edit(target, content)
            else:
                await self._deliver_result(target, t, content, embeds, view)

    async def _deliver_notice(self, target: ReplyTarget, event: JobEvent) -> None:
        """A purchase notice (kind "notice"): a private matter, so an ephemeral
        follow-up to the interaction that asked for the link while its token lives, else
        a DM; never a channel message."""
        notice = notice_text(Texts(self._messages, event.locale), event)
        if notice is None:
            return
        data = target.data
        content = clip(notice)
        if self.token_alive(data):
            # An application webhook (type 3), as Interaction.followup builds it: only
            # those may send ephemeral messages.
            webhook = discord.Webhook.from_state(
                data={
                    "id": int(data["application_id"]),
                    "type": 3,
                    "token": data["interaction_token"],
                },
                state=self._client._connection,
            )
            try:
                await webhook.send(content, ephemeral=True)
                return
            except (discord.NotFound, discord.Forbidden):
                log.info("interaction token refused; sending the notice by DM")
            except discord.HTTPException as exc:
                if exc.status != 401:
                    raise  # retried by the event bus
                log.info("interaction token expired; sending the notice by DM")
        try:
            dm = await self._client.create_dm(discord.Object(int(data["user_id"])))
            await dm.send(content)
        except discord.Forbidden:
            # DMs closed: the credits are in the balance all the same (/credits).
            log.warning("notice could not be delivered: DMs closed")

    # -- the interaction's own message ---------------------------------------------------

    def token_alive(self, data: dict[str, Any]) -> bool:
        try:
            created = discord.utils.snowflake_time(int(data["interaction_id"]))
        except (KeyError, ValueError):
            return False
        return self._clock() < created + TOKEN_LIFETIME - TOKEN_MARGIN

    async def edit_original(self, data: dict[str, Any], **fields: Any) -> None:
        """PATCH the interaction's @original message. Raises discord.HTTPException."""
        webhook = discord.Webhook.partial(
            int(data["application_id"]), data["interaction_token"], client=self._client
        )
        # discord.py types message_id as an int; Discord's API also takes "@original".
        await webhook.edit_message("@original", **fields)  # type: ignore[call-overload]

    async def _progress_edit(self, target: ReplyTarget, content: str) -> None:
        if not self.token_alive(target.data):
            return
        try:
            await self.edit_original(target.data, content=clip(content))
        except discord.HTTPException as exc:  # progress is best effort; the result is not
            log.info("progress edit refused: HTTP %s", exc.status)

    # -- the result ------------------------------------------------------------------------

    async def _deliver_result(
        self,
        target: ReplyTarget,
        t: Texts,
        content: str,
        embeds: list[discord.Embed],
        view: discord.ui.View | None,
    ) -> None:
        data = target.data
        fields: dict[str, Any] = {"content": clip(content), "embeds": embeds}
        if self.token_alive(data):
            try:
                await self.edit_original(data, view=view, **fields)
                return
            except (discord.NotFound, discord.Forbidden):
                log.info("interaction token refused; delivering as a new message")
            except discord.HTTPException as exc:
                if exc.status != 401:  # 401: invalid webhook token, i.e. it expired
                    raise  # retried by the event bus
                log.info("interaction token expired; delivering as a new message")
        user_id = int(data["user_id"])
        note = t("discord.expired_note", user_id=user_id)
        fields["content"] = clip(f"{note}\n{content}")
        mentions = discord.AllowedMentions(users=[discord.Object(user_id)], everyone=False)
        if view is not None:
            fields["view"] = view
        if data.get("channel_id") and not data.get("ephemeral"):
            channel = self._client.get_partial_messageable(int(data["channel_id"]))
            try:
                await channel.send(allowed_mentions=mentions, **fields)
                return
            except (discord.NotFound, discord.Forbidden):
                log.info("channel unavailable; delivering by DM")
        try:
            dm = await self._client.create_dm(discord.Object(user_id))
            await dm.send(**fields)
        except discord.Forbidden:
            # The user does not accept DMs: nothing else can reach them; the job and its
            # images stay in /history.
            log.warning("result could not be delivered: DMs closed")

"""The accept step every paid request goes through (/imagine, Reroll, the V buttons):
rate limits, then the account, the request and the plan checked and the job debited
and inserted in one transaction (``core.jobs.accept_pg`` on PostgreSQL, SQLAlchemy on
SQLite), then the "queued" event and the queue's wake-up.

A request with reference images takes a longer way (``core.jobs.references``): the
same checks are made first on the account as read, then the images are sanitized and
stored, then the job is accepted with them; a refused accept takes them back. A request
without any goes straight to the accept, as before."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from sqlalchemy.engine import RowMapping
from sqlalchemy.exc import IntegrityError

from core.accounts import store as acc
from core.catalog import Catalog, ModelSpec
from core.db.engine import UnitOfWorkFactory
from core.errors import (
    AgeRestricted,
    AlreadySubmitted,
    CreditDebt,
    InsufficientCredits,
    RateLimited,
    ReferenceImageRefused,
    TermsNotAccepted,
)
from core.jobs import lifecycle as gen
from core.jobs import references as refs
from core.jobs.accept_pg import Accepted, PgAcceptPath
from core.jobs.lifecycle import JobPolicy
from core.jobs.moderation import Blocklist
from core.jobs.requests import ResolvedRequest, resolve_request
from core.jobs.scheduling import queue_position
from core.jobs.uploads import sanitize_all
from core.jobs.views import new_job_view
from core.messaging.events import EventBus
from core.messaging.limits import RateLimiter, check_rate
from core.messaging.queue import JobQueue
from core.observability.metrics import Metrics
from core.settings import CoreSettings
from core.storage.port import ObjectStore
from core.text.catalogue import effective_locale
from core.types import AcceptedJob, Actor, ImagineRequest, JobEvent, ReplyTarget

log = logging.getLogger("seedream.core")

# Checks the account as read and resolves the request and its limits (raises the user's
# error): run by the accept path, and first on its own for a request with references.
Prepare = Callable[[RowMapping | Mapping[str, Any] | None], tuple[ResolvedRequest, JobPolicy]]


class Submission:
    def __init__(
        self,
        *,
        uow: UnitOfWorkFactory,
        catalog: Catalog,
        settings: CoreSettings,
        queue: JobQueue,
        storage: ObjectStore,
        rates: RateLimiter,
        metrics: Metrics,
        events: EventBus | None,
        servable: Callable[[ModelSpec], bool],
        models: Callable[[], list[ModelSpec]],
        default_model_id: str,
    ) -> None:
        self._uow = uow
        self.catalog = catalog
        self.settings = settings
        self._queue = queue
        self._storage = storage  # where reference images are stored
        self._rates = rates
        self._metrics = metrics
        self._events = events  # the "queued" progress event goes out on it
        self._servable = servable
        self._models = models  # the servable ones, for the "unknown model" message
        self.default_model_id = default_model_id
        self.blocklist = Blocklist(catalog.moderation)
        # PostgreSQL gets the driver-level accept path (see core/jobs/accept_pg.py).
        is_pg = uow.engine.dialect.name == "postgresql"
        self.pg_accept: PgAcceptPath | None = PgAcceptPath(uow.engine) if is_pg else None

    async def aclose(self) -> None:
        """Hand the connections the accept path keeps back to the pool."""
        if self.pg_accept is not None:
            await self.pg_accept.aclose()

    async def submit(
        self,
        actor: Actor,
        request: ImagineRequest,
        reply_target: ReplyTarget | None,
        *,
        source_image_id: str | None = None,
        request_key: str | None = None,
        reference_upload_ids: tuple[str, ...] = (),
    ) -> AcceptedJob:
        """Accept ``request`` (a variation of ``source_image_id`` when given; drawn from
        the stored ``reference_upload_ids`` for a Reroll, else from the request's own
        ``reference_images``): see ``Core.imagine`` for what is checked and raised."""
        actor = acc.clean_actor(actor)  # both paths below look the same identity up
        reference_count = len(request.reference_images) or len(reference_upload_ids)
        if reference_count and not self.settings.uploads_enabled:
            raise ReferenceImageRefused(reason="disabled")
        upload_ids = reference_upload_ids  # the request's own, once stored

        def prepare(
            account: RowMapping | Mapping[str, Any] | None,
        ) -> tuple[ResolvedRequest, JobPolicy]:
            if account is None:  # no account yet: it is created when the terms are shown
                raise TermsNotAccepted(policy_version=self.settings.policy_version)
            acc.require_usable(account, self.settings.policy_version)
            if account["debt_credits"]:  # a refund or dispute found its credits spent
                raise CreditDebt(debt_credits=int(account["debt_credits"]))
            preferred = self.catalog.model(account["default_model"] or "")
            resolved = resolve_request(
                request,
                self.catalog,
                default_model=preferred.id if preferred and self._servable(preferred) else None,
                default_aspect=account["default_aspect"],
                fallback_model=self.default_model_id,
                servable=self._servable,
            )
            # The effective model (after preferences and defaults; a Reroll's or a
            # variation's too) against where this request was made.
            if resolved.model.nsfw and not actor.nsfw_allowed:
                raise AgeRestricted(model_id=resolved.model.id)
            self.blocklist.check(resolved.prompt, resolved.negative_prompt)
            if source_image_id is not None:
                resolved = replace(resolved, source_image_id=source_image_id)
            plan = self.catalog.plan(account["plan"])
            if reference_count:
                refs.check_reference_request(plan, resolved.model, reference_count)
                resolved = replace(resolved, reference_upload_ids=upload_ids)
            policy = JobPolicy(
                max_attempts=self.settings.job_max_attempts,
                max_running=plan.max_running_jobs,
                max_queued=plan.max_queued_jobs,
                lane=1 if plan.priority else 0,
            )
            return resolved, policy

        # Only accepted requests count against the rate limits: a refused one takes its
        # event back. Over the limit, the request is still checked first, so a bad one
        # hears what is wrong with it rather than "too fast".
        try:
            counted = await self._check_rates(actor)
        except RateLimited:
            await self._check_only(actor, prepare)
            raise
        try:
            stored: tuple[str, ...] = ()  # uploads this submit stored: taken back on refusal
            uploads_account_id = 0
            if reference_count:
                uploads_account_id = await self._check_first(
                    actor, prepare, reference_count, request_key
                )
                if request.reference_images:
                    images = await sanitize_all(request.reference_images, self.settings)
                    stored = upload_ids = await refs.store_uploads(
                        self._uow, self._storage, uploads_account_id, images
                    )
                else:  # a Reroll: the same uploads, if they are still there
                    async with self._uow() as uow:
                        await refs.require_present(uow.conn, uploads_account_id, upload_ids)
            try:
                accepted = await self._accept(actor, prepare, reply_target, request_key)
            except BaseException:
                if stored:  # nothing spent, so nothing kept
                    await asyncio.shield(refs.discard_uploads(self._uow, self._storage, stored))
                raise
            job_id, account_id, resolved = accepted.job_id, accepted.account_id, accepted.request
            if stored and account_id != uploads_account_id:  # a /link merge in between
                await refs.adopt_uploads(
                    self._uow, stored, from_account=uploads_account_id, to_account=account_id
                )
        except BaseException:
            await asyncio.shield(self._uncount(counted))
            raise
        position = accepted.queue_position
        await self._announce_queued(job_id, account_id, reply_target, accepted.locale, position)
        await self._queue.enqueue(job_id)
        self._metrics.job_submitted(resolved.model.id)
        # A new job has no images yet: its view needs no further query.
        return new_job_view(
            job_id,
            resolved,
            accepted.created_at,
            position,
            accepted.balance_credits,
            accepted.locale,
        )

    async def _check_first(
        self,
        actor: Actor,
        prepare: Prepare,
        reference_count: int,
        request_key: str | None,
    ) -> int:
        """A request with references is checked on the account as read before anything
        is decoded or stored (the accept checks again, under its lock). Returns the
        account's id.

        Raises:
            What ``prepare`` raises; InsufficientCredits when the balance cannot cover
            the cost (the accept would refuse it); AlreadySubmitted when the platform
            delivered this request before (its images are not stored twice).
        """
        async with self._uow() as uow:
            if request_key is not None:
                existing = await gen.job_id_for_request(uow.conn, request_key)
                if existing is not None:
                    raise AlreadySubmitted(job_id=existing)
            row = await acc.find_account(uow.conn, actor)
        account = row._mapping if row is not None else None
        resolved, _ = prepare(account)
        assert account is not None  # prepare refuses a missing account
        cost_credits = resolved.model.cost_for(resolved.image_count, reference_count)
        if account["balance_credits"] < cost_credits:
            raise InsufficientCredits(
                balance_credits=int(account["balance_credits"]), cost_credits=cost_credits
            )
        return int(account["id"])

    async def _accept(
        self,
        actor: Actor,
        prepare: Prepare,
        reply_target: ReplyTarget | None,
        request_key: str | None,
    ) -> Accepted:
        """Debit and insert the job in one transaction (see ``Core.imagine``)."""
        if self.pg_accept is not None:
            return await self.pg_accept.submit(
                actor, prepare, reply_target=reply_target, request_key=request_key
            )
        try:
            async with self._uow() as uow:
                row = await acc.find_account(uow.conn, actor)
                resolved, policy = prepare(row._mapping if row is not None else None)
                assert row is not None  # prepare refuses a missing account
                job, balance_credits = await gen.insert_job(
                    uow.conn,
                    account_id=row.id,
                    request=resolved,
                    platform=actor.platform,
                    reply_target=reply_target,
                    locale=effective_locale(row.language, actor.locale),
                    policy=policy,
                    request_key=request_key,
                )
                position = await queue_position(
                    uow.conn, lane=job.lane, fair_vt=job.fair_vt, created_at=job.created_at
                )
                await uow.commit()
        except IntegrityError:
            await self._refuse_replayed(request_key)
            raise
        return Accepted(
            job.id, row.id, resolved, job.created_at, balance_credits, job.locale, position
        )

    async def _refuse_replayed(self, request_key: str | None) -> None:
        """Raises AlreadySubmitted when ``request_key`` already made a job (the insert
        that just failed was a replay); returns when the failure was something else."""
        if request_key is None:
            return
        async with self._uow() as uow:
            existing = await gen.job_id_for_request(uow.conn, request_key)
        if existing is not None:
            raise AlreadySubmitted(job_id=existing) from None

    async def _announce_queued(
        self,
        job_id: str,
        account_id: int,
        reply_target: ReplyTarget | None,
        locale: str | None,
        position: int,
    ) -> None:
        """Publish the ``queued`` progress event (before the wake-up, so it precedes
        ``started``). Best effort: the job is safe in the database and the caller gets the
        same position in its reply, so a lost progress event is logged, not raised."""
        if self._events is None or reply_target is None:
            return
        event = JobEvent(
            kind="queued",
            job_id=job_id,
            account_id=account_id,
            reply_target=reply_target,
            locale=locale,
            queue_position=position,
        )
        try:
            await self._events.publish(event)
        except Exception:
            log.warning("queued event not published job=%s", job_id, exc_info=True)

    async def _check_only(self, actor: Actor, prepare: Prepare) -> None:
        """Raises what ``prepare`` raises on the account as read; returns if the request
        would pass its checks."""
        async with self._uow() as uow:
            row = await acc.find_account(uow.conn, actor)
        prepare(row._mapping if row is not None else None)

    def _rate_subjects(self, actor: Actor) -> list[tuple[str, str, int]]:
        """(scope, subject, limit per minute) of each rate limit that applies."""
        subjects = []
        if self.settings.user_requests_per_minute > 0:
            user = f"{actor.platform}:{actor.platform_user_id}"
            subjects.append(("user", user, self.settings.user_requests_per_minute))
        if actor.chat_id and self.settings.chat_requests_per_minute > 0:
            chat = f"{actor.platform}:{actor.chat_id}"
            subjects.append(("chat", chat, self.settings.chat_requests_per_minute))
        return subjects

    async def _check_rates(self, actor: Actor) -> list[tuple[str, str]]:
        """Count this request in each limit, or refuse it (and count it in none).
        Returns what was counted.

        Raises:
            RateLimited: a limit is reached.
        """
        counted: list[tuple[str, str]] = []
        try:
            for scope, subject, limit in self._rate_subjects(actor):
                await check_rate(self._rates, scope, subject, limit=limit, window_s=60.0)
                counted.append((scope, subject))
        except BaseException:
            await asyncio.shield(self._uncount(counted))
            raise
        return counted

    async def _uncount(self, counted: list[tuple[str, str]]) -> None:
        for scope, subject in counted:
            await self._rates.unhit(scope, subject)

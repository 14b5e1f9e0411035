"""The accept step every paid request goes through (/imagine, Reroll, the V buttons):
rate limits, then the account, the request and the plan checked and the job debited
and inserted in one transaction (``core.jobs.accept_pg`` on PostgreSQL, SQLAlchemy on
SQLite), then the "queued" event and the queue's wake-up."""

from __future__ import annotations

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
    TermsNotAccepted,
    UnknownModel,
)
from core.jobs import lifecycle as gen
from core.jobs.accept_pg import PgAcceptPath
from core.jobs.lifecycle import JobPolicy
from core.jobs.moderation import Blocklist
from core.jobs.requests import ResolvedRequest, resolve_request
from core.jobs.views import new_job_view
from core.messaging.events import EventBus
from core.messaging.limits import RateLimiter, check_rate
from core.messaging.queue import JobQueue
from core.observability.metrics import Metrics
from core.settings import CoreSettings
from core.types import AcceptedJob, Actor, ImagineRequest, JobEvent, ReplyTarget

log = logging.getLogger("seedream.core")


class Submission:
    def __init__(
        self,
        *,
        uow: UnitOfWorkFactory,
        catalog: Catalog,
        settings: CoreSettings,
        queue: JobQueue,
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

    async def submit(
        self,
        actor: Actor,
        request: ImagineRequest,
        reply_target: ReplyTarget | None,
        *,
        source_image_id: str | None = None,
        request_key: str | None = None,
    ) -> AcceptedJob:
        """Accept ``request`` (a variation of ``source_image_id`` when given): see
        ``Core.imagine`` for what is checked and raised."""
        actor = acc.clean_actor(actor)  # both paths below look the same identity up
        await self._check_rates(actor)

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
            )
            if not self._servable(resolved.model):
                raise UnknownModel(
                    model_id=resolved.model.id,
                    available=", ".join(m.id for m in self._models()),
                )
            # The effective model (after preferences and defaults; a Reroll's or a
            # variation's too) against where this request was made.
            if resolved.model.nsfw and not actor.nsfw_allowed:
                raise AgeRestricted(model_id=resolved.model.id)
            self.blocklist.check(resolved.prompt, resolved.negative_prompt)
            if source_image_id is not None:
                resolved = replace(resolved, source_image_id=source_image_id)
            plan = self.catalog.plan(account["plan"])
            policy = JobPolicy(
                max_attempts=self.settings.job_max_attempts,
                max_running=plan.max_running_jobs,
                max_queued=plan.max_queued_jobs,
                lane=1 if plan.priority else 0,
            )
            return resolved, policy

        if self.pg_accept is not None:
            accepted = await self.pg_accept.submit(
                actor, prepare, reply_target=reply_target, request_key=request_key
            )
            job_id, resolved, created_at = accepted.job_id, accepted.request, accepted.created_at
            account_id, locale = accepted.account_id, accepted.locale
            balance_credits = accepted.balance_credits
        else:
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
                        locale=actor.locale or row.language,
                        policy=policy,
                        request_key=request_key,
                    )
                    await uow.commit()
            except IntegrityError:
                await self._refuse_replayed(request_key)
                raise
            job_id, created_at, account_id, locale = job.id, job.created_at, row.id, job.locale
        position = max(1, self._queue.depth() + 1)
        await self._announce_queued(job_id, account_id, reply_target, locale, position)
        await self._queue.enqueue(job_id)
        self._metrics.job_submitted(resolved.model.id)
        # A new job has no images yet: its view needs no further query.
        return new_job_view(job_id, resolved, created_at, position, balance_credits)

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

    async def _check_rates(self, actor: Actor) -> None:
        minute_s = 60.0
        if self.settings.user_requests_per_minute > 0:
            await check_rate(
                self._rates,
                "user",
                f"{actor.platform}:{actor.platform_user_id}",
                limit=self.settings.user_requests_per_minute,
                window_s=minute_s,
            )
        if actor.chat_id and self.settings.chat_requests_per_minute > 0:
            await check_rate(
                self._rates,
                "chat",
                f"{actor.platform}:{actor.chat_id}",
                limit=self.settings.chat_requests_per_minute,
                window_s=minute_s,
            )

"""The core facade: the one object every adapter calls.

Each public method is one command: it opens one unit of work, does its work in one
transaction, and returns a typed view or raises a ``CoreError`` from ``core.errors``.
"""

from __future__ import annotations

import logging

from core import ledger as credits
from core.accounts import store as acc
from core.accounts.commands import AccountCommands
from core.accounts.linking import LinkCode, Linking, LinkResult
from core.billing.service import Billing, BillingSettings
from core.catalog import Catalog, ModelSpec
from core.clock import utcnow
from core.db.engine import UnitOfWorkFactory
from core.errors import ItemKind, NotCancellable, NotFound
from core.jobs import lifecycle as gen
from core.jobs import uploads, variations
from core.jobs.gallery import Gallery
from core.jobs.references import split_ids
from core.jobs.requests import rerun_request
from core.jobs.status import JobStatus
from core.jobs.submission import Submission
from core.jobs.views import job_views
from core.messaging.events import EventBus, InProcessEventBus
from core.messaging.limits import RateLimiter
from core.messaging.queue import JobQueue
from core.observability import dashboard as dash
from core.observability.account_lookup import AccountLookup, lookup_account
from core.observability.analytics import Analytics
from core.observability.dashboard import DashboardOverview
from core.observability.dashboard_access import DashboardAccess
from core.observability.metrics import Metrics
from core.observability.stats import StatsView, read_stats
from core.privacy.abuse import AbuseHasher
from core.privacy.service import PrivacyService
from core.settings import CoreSettings
from core.storage.port import ObjectStore
from core.types import (
    AcceptedJob,
    Actor,
    CreditsView,
    ImagineRequest,
    JobView,
    ReplyTarget,
)

log = logging.getLogger("seedream.core")


class Core(AccountCommands):
    def __init__(
        self,
        *,
        uow: UnitOfWorkFactory,
        catalog: Catalog,
        queue: JobQueue,
        storage: ObjectStore,
        rates: RateLimiter,
        settings: CoreSettings,
        abuse: AbuseHasher,
        metrics: Metrics | None = None,
        provider_names: frozenset[str] = frozenset({"local"}),
        billing: Billing | None = None,
        privacy: PrivacyService,
        events: EventBus | None = None,
        analytics: Analytics | None = None,
    ) -> None:
        self._uow = uow
        # Product analytics, opt-in (core.observability.analytics); off without a sink.
        self.analytics = analytics or Analytics()
        self._abuse = abuse  # the welcome grant is once per identity, erasure or not
        # Money: /credits, /buy, /subscribe, /redeem, webhooks, Stars (core.billing).
        self.billing = billing or Billing(
            uow=uow,
            catalog=catalog,
            events=InProcessEventBus(),
            settings=BillingSettings(settings.policy_version, "http://127.0.0.1", b"unset"),
            abuse=abuse,
        )
        self.privacy = privacy  # /mydata, /forgetme, /delete, /privacy (core.privacy_service)
        self.catalog = catalog
        self._queue = queue
        self._storage = storage
        self._rates = rates
        self._metrics = metrics or Metrics()
        self._provider_names = provider_names
        self._events = events  # the "queued" progress event goes out on it
        servable = [m.id for m in self.models()]
        if catalog.explicit_default and catalog.default_model_id in servable:
            self.default_model_id = catalog.default_model_id
        else:  # the first model a configured service can draw; the preview otherwise
            self.default_model_id = servable[0] if servable else catalog.default_model_id
        self._settings = settings
        # The accept step of every paid request: /imagine, Reroll, V buttons.
        self.submission = Submission(
            uow=uow,
            catalog=catalog,
            settings=settings,
            queue=queue,
            storage=storage,
            rates=rates,
            metrics=self._metrics,
            events=events,
            servable=self._servable,
            models=self.models,
            default_model_id=self.default_model_id,
        )
        self.linking = Linking(  # /link (core.linking)
            uow=uow, catalog=catalog, rates=rates, policy_version=settings.policy_version
        )
        # /gallery: personal web links and the pages' reads (core.jobs.gallery).
        self.gallery = Gallery(uow=uow, storage=storage, privacy=privacy, settings=settings)
        # The operator dashboard's links and page actions (core.observability.dashboard_access).
        self.dashboard_links = DashboardAccess(uow=uow, settings=settings, admin=self)

    @property
    def settings(self) -> CoreSettings:
        return self._settings

    @settings.setter
    def settings(self, settings: CoreSettings) -> None:
        """New settings (e.g. a bumped policy version) reach the accept step too."""
        self._settings = settings
        self.submission.settings = settings
        self.gallery.settings = settings
        self.dashboard_links.settings = settings

    async def aclose(self) -> None:
        """Give back what the core holds of the engine's pool (before it is disposed)."""
        await self.submission.aclose()

    # -- generation ----------------------------------------------------------------

    def check_reference_size(self, size_bytes: int) -> None:
        """Refuse a reference image by its declared size, before an adapter downloads it
        (a Discord attachment's ``size``, a Telegram photo's ``file_size``).

        Raises:
            ReferenceImageRefused: uploads are off (``disabled``), or ``size_bytes`` is
                over the limit (``too_large``) or 0 (``empty``).
        """
        uploads.check_declared_size(self._settings, size_bytes)

    async def imagine(
        self,
        actor: Actor,
        request: ImagineRequest,
        reply_target: ReplyTarget | None,
        *,
        request_key: str | None = None,
    ) -> AcceptedJob:
        """Validate, debit and queue one generation, in one transaction, then enqueue.
        Returns the new job with the balance right after its debit.

        Checked before anything is spent: rate limits (per user, per chat), terms, ban,
        the request against the model, the moderation blocklist, the plan's queue limit.
        ``request_key`` is the platform's id of the request (unique per bot): when the
        platform delivers it again, its job is found and nothing is paid twice.

        ``request.reference_images`` (raw bytes as the platform handed them over) are
        checked against the deployment, the plan and the model, then each is checked by
        content and re-encoded without metadata (``core.jobs.uploads``) and stored as an
        upload of the account; the job draws from them, and costs the model's
        ``reference_cost_credits`` more per image. A refusal at any step stores nothing.

        Raises:
            RateLimited, TermsNotAccepted, Banned, InvalidOption, UnknownModel,
            PromptRefused, TooManyQueued, InsufficientCredits, CreditDebt,
            AlreadySubmitted, AgeRestricted (the effective model is ``nsfw`` and
            ``actor.nsfw_allowed`` is false), NotFound (a platform user id no account
            can have: empty, over 64 characters, or with control characters),
            ReferenceImageRefused (a reference image, or their number, refused: see its
            ``reason``).
        """
        return await self.submission.submit(actor, request, reply_target, request_key=request_key)

    async def reroll(
        self,
        actor: Actor,
        job_id: str,
        reply_target: ReplyTarget | None,
        *,
        request_key: str | None = None,
    ) -> AcceptedJob:
        """Submit ``job_id`` of ``actor`` again (same prompt and options, a new seed; a
        variation stays a variation of the same image; a job drawn from reference images
        draws from the same stored uploads), as a new paid job.

        Raises:
            NotFound: no such job of this account; and what ``imagine`` raises
            (ReferenceImageRefused ``gone``: a reference image was deleted since).
        """
        async with self._uow() as uow:
            row = await self._usable_account(uow.conn, actor)
            job = await gen.get_job(uow.conn, job_id, account_id=row.id)
        request = rerun_request(job)
        # A variation rerolls as a variation of the same image (while the model has them).
        model = self.catalog.model(job.model_id)
        source = job.source_image_id if model is not None and model.variations else None
        return await self.submission.submit(
            actor,
            request,
            reply_target,
            source_image_id=source,
            request_key=request_key,
            reference_upload_ids=split_ids(job.reference_upload_ids),
        )

    async def vary(
        self,
        actor: Actor,
        image_id: str,
        reply_target: ReplyTarget | None,
        *,
        request_key: str | None = None,
    ) -> AcceptedJob:
        """Queue a variation of ``image_id`` of ``actor``: a new paid job of the image's
        model, with its prompt, options and image count and a new seed, drawn from that
        image (see ``core.jobs.variations``).

        Raises:
            NotFound: no such image of this account (or deleted).
            VariationsUnsupported: the image's model offers no variations.
            And what ``imagine`` raises.
        """
        async with self._uow() as uow:
            row = await self._usable_account(uow.conn, actor)
            request = await variations.variation_request(uow.conn, row.id, image_id, self.catalog)
        return await self.submission.submit(
            actor,
            request,
            reply_target,
            source_image_id=image_id.strip(),
            request_key=request_key,
        )

    async def cancel(self, actor: Actor, job_id: str | None = None) -> JobView:
        """Cancel a queued job of ``actor`` (the latest one when ``job_id`` is None) and
        refund it.

        Raises:
            NotFound: no such queued job of this account (or no such job at all).
            NotCancellable: the job is running or has ended.
        """
        async with self._uow() as uow:
            row = await self._usable_account(uow.conn, actor)
            if job_id is None:
                latest = await gen.latest_queued_job(uow.conn, row.id)
                if latest is None:
                    raise NotFound(what=ItemKind.QUEUED_JOB)
                job_id = latest.id
            job = await gen.end_unsuccessfully(
                uow.conn,
                job_id,
                status=JobStatus.CANCELLED,
                error_code="cancelled",
                from_states=(JobStatus.QUEUED,),
                account_id=row.id,
                notified=True,  # this reply tells the user
            )
            if job is None:
                found = await gen.get_job(uow.conn, job_id, account_id=row.id)  # or NotFound
                why = "running" if found.status == JobStatus.RUNNING else "ended"
                raise NotCancellable(job_id=job_id, reason=why)
            await uow.commit()
            (view,) = await job_views(
                uow.conn, [job], self._storage, link_ttl_s=self.settings.link_ttl_s
            )
        return view

    async def image_bytes(self, image_id: str, *, preview: bool = False) -> bytes | None:
        """The stored bytes of a result image (with ``preview``, of its chat preview), for
        an adapter that must upload them rather than send its link; None when it was
        deleted, has no preview, or its object is gone."""
        async with self._uow() as uow:
            key = await gen.image_storage_key(uow.conn, image_id, preview=preview)
        if key is None:
            return None
        try:
            return await self._storage.get(key)
        except KeyError:
            return None

    def record_command(self, actor: Actor, command: str) -> None:
        """Note that ``actor`` used the chat command ``command`` (a product analytics
        event, sent only if the user opted in; never blocks, never raises)."""
        self.analytics.record_command(actor.platform, actor.platform_user_id, command)

    def record_delivery(self, platform: str, outcome: str) -> None:
        """Count how a result's delivery to a chat ended (``Metrics.delivery``)."""
        self._metrics.delivery(platform, outcome)

    async def job(self, actor: Actor, job_id: str) -> JobView:
        """Raises: NotFound (also for another account's job)."""
        async with self._uow() as uow:
            row = await self._usable_account(uow.conn, actor)
            job = await gen.get_job(uow.conn, job_id, account_id=row.id)
            (view,) = await job_views(
                uow.conn, [job], self._storage, link_ttl_s=self.settings.link_ttl_s
            )
        return view

    async def history(self, actor: Actor, *, limit: int | None = None) -> list[JobView]:
        async with self._uow() as uow:
            row = await self._usable_account(uow.conn, actor)
            rows = await gen.recent_jobs(
                uow.conn, row.id, limit=min(limit or self.settings.history_limit, 50)
            )
            return await job_views(
                uow.conn, rows, self._storage, link_ttl_s=self.settings.link_ttl_s
            )

    def models(self, *, nsfw_allowed: bool = True) -> list[ModelSpec]:
        """The catalogue's models that a configured provider can serve; without the
        age-restricted ones when ``nsfw_allowed`` is false (a place that may not use
        them: see ``Actor.nsfw_allowed``)."""
        return [
            m
            for m in self.catalog.models.values()
            if self._servable(m) and (nsfw_allowed or not m.nsfw)
        ]

    def _servable(self, model: ModelSpec) -> bool:
        return any(name in self._provider_names for name in model.providers)

    # -- credits -------------------------------------------------------------------

    async def credits(self, actor: Actor, *, limit: int = 10) -> CreditsView:
        async with self._uow() as uow:
            row = await self._usable_account(uow.conn, actor)
            return await credits.credits_view(uow.conn, row.id, limit=limit)

    # -- cross-platform account ------------------------------------------------------

    async def link_code(self, actor: Actor) -> LinkCode:
        """A 10-minute code for ``/link CODE`` on another platform (``core.accounts.linking``)."""
        return await self.linking.issue(actor)

    async def link_redeem(self, actor: Actor, code: str) -> LinkResult:
        """Join ``actor``'s account into the code issuer's (``core.accounts.linking``)."""
        return await self.linking.redeem(actor, code)

    async def link_discard(self, code: str) -> bool:
        """Void a code shown where others can read it (``core.accounts.linking``)."""
        return await self.linking.discard(code)

    # -- administration --------------------------------------------------------------

    async def admin_stats(self) -> StatsView:
        """Accounts, total balance, jobs by status and the queue depth."""
        async with self._uow() as uow:
            return await read_stats(uow.conn, queue_depth=self._queue.depth())

    async def dashboard(self) -> DashboardOverview:
        """Everything the operator dashboard's first page shows, read from the database
        (provider health as the workers wrote it: ``core.observability.health``)."""
        async with self._uow() as uow:
            return await dash.overview(uow.conn, utcnow())

    async def dashboard_account(self, platform: str, platform_user_id: str) -> AccountLookup | None:
        """One account by a platform identity, for the dashboard; ``None`` if unknown."""
        async with self._uow() as uow:
            return await lookup_account(uow.conn, platform, platform_user_id)

    # -- helpers -------------------------------------------------------------------

    async def _usable_account(self, conn, actor: Actor):
        return await acc.usable_account(conn, actor, self.settings.policy_version)

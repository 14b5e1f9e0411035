"""Billing, the part of the core facade adapters call for money (``core.billing``).

Card payments go through the payments port (Stripe Checkout and Customer Portal,
``core.billing.payments_stripe``); credits arrive only from verified webhook events, each event
id processed once (``webhook_events``) and each grant keyed by its payment or invoice
id in the ledger. Telegram Stars are credited by their charge id (``core.billing.stars``). Promo
codes are in ``core.billing.promo``; reversals and debts in ``core.billing.grants``.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import DataError

from core import ledger as credits
from core.accounts import store as acc
from core.billing import promo, stars
from core.billing.deployment import deployment_id
from core.billing.events import Notice, handle_event, invoice_to_link
from core.billing.grants import insert_once
from core.billing.payments import (
    CheckoutRequest,
    InvalidWebhook,
    LineItem,
    Payments,
    StarsRefunds,
)
from core.billing.stars_sales import StarsSales
from core.billing.stars_sync import StarsPlatformSync
from core.billing.types import (
    CheckoutLink,
    CreditsOverview,
    PackOffer,
    PlanOffer,
    Redemption,
)
from core.catalog import Catalog
from core.clock import utcnow
from core.db.engine import UnitOfWorkFactory
from core.db.tables import billing_customers, checkout_sessions, webhook_events
from core.errors import (
    InvalidOption,
    ItemKind,
    NotFound,
    PaymentRefused,
    PaymentsDisabled,
    UnknownPack,
    UnknownPlan,
)
from core.messaging.events import EventBus
from core.observability.analytics import Analytics
from core.privacy.abuse import AbuseHasher
from core.types import Actor, JobEvent, ReplyTarget

# The notices that say bought credits landed, and what was bought.
PURCHASE_NOTICES = {
    "billing.purchase_landed": "pack",
    "billing.purchase_landed_debt": "pack",
    "billing.subscription_credits": "subscription",
}

log = logging.getLogger("seedream.billing")

STARS_PLATFORMS = frozenset({"telegram"})  # Telegram sells digital goods for Stars only


@dataclass(frozen=True, slots=True)
class BillingSettings:
    policy_version: str
    public_base_url: str  # where the checkout success / cancel pages are served
    stars_secret: bytes  # HMAC key of Stars invoice payloads
    recent_limit: int = 10
    # Card packs offered on Stars platforms too: the operator's explicit choice (Telegram
    # asks for Stars for digital goods; see the README).
    card_on_stars_platforms: bool = False


class Billing(StarsSales, StarsPlatformSync):
    def __init__(
        self,
        *,
        uow: UnitOfWorkFactory,
        catalog: Catalog,
        events: EventBus,
        settings: BillingSettings,
        abuse: AbuseHasher,
        payments: Payments | None = None,
        stars_refunds: StarsRefunds | None = None,
        analytics: Analytics | None = None,
    ) -> None:
        self._uow = uow
        self.analytics = analytics or Analytics()  # a purchase event (opt-in)
        self._abuse = abuse  # a code is redeemed once per identity, erasure or not
        self.catalog = catalog
        self._events = events
        self.settings = settings
        self._payments = payments
        self.stars_refunds = stars_refunds  # set by the Telegram adapter when it starts
        self._deployment_id: str | None = None

    @property
    def payments_enabled(self) -> bool:
        return self._payments is not None

    # -- what /credits shows -------------------------------------------------------------

    async def overview(self, actor: Actor, *, limit: int | None = None) -> CreditsOverview:
        """Balance, debt, plan, recent ledger entries and what ``actor``'s platform
        offers (Stars packs on Telegram, card packs and plans elsewhere when configured).

        Raises: TermsNotAccepted, Banned.
        """
        async with self._uow() as uow:
            row = await self._usable(uow.conn, actor)
            view = await credits.credits_view(
                uow.conn, row.id, limit=limit or self.settings.recent_limit
            )
            customer = await self._customer_id(uow.conn, row.id)
        packs, plans = self._offers(actor.platform)
        return CreditsOverview(
            balance_credits=view.balance_credits,
            debt_credits=int(row.debt_credits),
            plan=row.plan,
            recent=view.recent,
            packs=packs,
            plans=plans,
            payments_enabled=self.payments_enabled,
            subscribed=customer is not None and row.plan != "free",
        )

    def _offers(self, platform: str) -> tuple[list[PackOffer], list[PlanOffer]]:
        if platform in STARS_PLATFORMS:
            packs = [
                PackOffer(p.id, p.label, p.credits, "stars", p.stars, stars.STARS_CURRENCY)
                for p in self.catalog.packs.values()
                if p.stars is not None
            ]
            if self.settings.card_on_stars_platforms and self.payments_enabled:
                packs += [
                    PackOffer(p.id, p.label, p.credits, "card", p.price_cents, p.currency)
                    for p in self.catalog.packs.values()
                ]
            return packs, []
        if not self.payments_enabled:
            return [], []
        packs = [
            PackOffer(p.id, p.label, p.credits, "card", p.price_cents, p.currency)
            for p in self.catalog.packs.values()
        ]
        plans = [
            PlanOffer(p.id, p.label, p.monthly_credits, p.price_cents, p.currency)
            for p in self.catalog.plans.values()
            if p.subscribable
        ]
        return packs, plans

    # -- card payments ---------------------------------------------------------------------

    async def buy_pack(
        self, actor: Actor, pack_id: str, reply_target: ReplyTarget | None
    ) -> CheckoutLink:
        """A personal Checkout link for a credit pack; the credits arrive by webhook and
        the chat behind ``reply_target`` is told.

        Raises: PaymentsDisabled, UnknownPack, TermsNotAccepted, Banned,
        PaymentsUnavailable, PaymentRefused (stars_only: Telegram sells for Stars).
        """
        payments = self._require_payments()
        pack = self.catalog.packs.get(pack_id.strip().lower())
        if pack is None:
            raise UnknownPack(pack_id=pack_id[:32], available=", ".join(self.catalog.packs))
        item = LineItem(pack.label, pack.price_cents, pack.currency)
        return await self._checkout(
            actor, payments, "payment", "pack", pack.id, pack.credits, item, reply_target
        )

    async def subscribe(
        self, actor: Actor, plan_id: str, reply_target: ReplyTarget | None
    ) -> CheckoutLink:
        """A personal Checkout link for a monthly plan.

        Raises: PaymentsDisabled, UnknownPlan, TermsNotAccepted, Banned,
        PaymentsUnavailable, PaymentRefused (stars_only).
        """
        payments = self._require_payments()
        plan = self.catalog.plans.get(plan_id.strip().lower())
        if plan is None or not plan.subscribable:
            offered = [p.id for p in self.catalog.plans.values() if p.subscribable]
            raise UnknownPlan(plan_id=plan_id[:32], available=", ".join(offered))
        item = LineItem(plan.label, plan.price_cents, plan.currency, recurring_interval="month")
        return await self._checkout(
            actor, payments, "subscription", "subscription", plan.id, 0, item, reply_target
        )

    async def portal(self, actor: Actor) -> str:
        """A Customer Portal link (manage or cancel the subscription).

        Raises: PaymentsDisabled, NotFound (never bought anything), PaymentsUnavailable.
        """
        payments = self._require_payments()
        async with self._uow() as uow:
            row = await self._usable(uow.conn, actor)
            customer = await self._customer_id(uow.conn, row.id)
        if customer is None:
            raise NotFound(what=ItemKind.SUBSCRIPTION)
        return await payments.create_portal(customer, f"{self._base}/billing/return")

    async def _checkout(
        self,
        actor: Actor,
        payments: Payments,
        mode: str,
        kind: str,
        item_id: str,
        amount_credits: int,
        item: LineItem,
        reply_target: ReplyTarget | None,
    ) -> CheckoutLink:
        if actor.platform in STARS_PLATFORMS and not self.settings.card_on_stars_platforms:
            raise PaymentRefused(reason="stars_only")
        async with self._uow() as uow:
            row = await self._usable(uow.conn, actor)
            account_id, customer = row.id, await self._customer_id(uow.conn, row.id)
        if customer is None:  # first purchase: the customer exists before any payment
            customer = await payments.create_customer(account_id, await self._deployment())
            async with self._uow() as uow:
                await insert_once(
                    uow.conn,
                    billing_customers,
                    ["account_id"],
                    account_id=account_id,
                    provider="stripe",
                    customer_id=customer,
                    created_at=utcnow(),
                )
                customer = await self._customer_id(uow.conn, account_id)
                await uow.commit()
            assert customer is not None  # inserted just now, or by a concurrent checkout
        metadata = {"account_id": str(account_id), "kind": kind, "item": item_id}
        page = await payments.create_checkout(
            CheckoutRequest(
                mode=mode,
                customer_id=customer,
                item=item,
                client_reference_id=str(account_id),
                metadata=metadata,
                success_url=f"{self._base}/billing/success?session_id={{CHECKOUT_SESSION_ID}}",
                cancel_url=f"{self._base}/billing/cancel",
                locale=actor.locale,
            )
        )
        async with self._uow() as uow:
            await uow.conn.execute(
                checkout_sessions.insert().values(
                    id=page.id,
                    account_id=account_id,
                    kind=kind,
                    item_id=item_id,
                    credits=amount_credits,
                    platform=actor.platform,
                    reply_target=reply_target.to_json() if reply_target else None,
                    locale=actor.locale,
                    status="open",
                    created_at=utcnow(),
                )
            )
            await uow.commit()
        return CheckoutLink(session_id=page.id, url=page.url)

    # -- webhooks --------------------------------------------------------------------------

    async def handle_webhook(self, payload: bytes, signature_header: str | None) -> str:
        """Verify and apply one webhook delivery, once per event id; returns the outcome.

        Raises:
            PaymentsDisabled: no payment service configured.
            InvalidWebhook: bad signature, stale timestamp or body (HTTP 400).
        """
        payments = self._require_payments()
        event = payments.verify_event(payload, signature_header)
        with _event_shape():
            invoice_id = invoice_to_link(event)
        if invoice_id:  # invoices no longer name their payment: a refund must find it
            if await self._seen(event.id):
                return "duplicate_event"
            intent = await payments.invoice_payment_intent(invoice_id)
            event = replace(event, payment_intent=intent)
        async with self._uow() as uow:
            claimed = event.id[:255]
            if not await insert_once(
                uow.conn,
                webhook_events,
                ["id"],
                id=claimed,
                type=event.type[:64],
                outcome="processing",
                received_at=utcnow(),
            ):
                return "duplicate_event"
            with _event_shape():  # refused: the transaction rolls back, nothing changes
                outcome, notices = await handle_event(uow.conn, event, self.catalog)
            await uow.conn.execute(
                update(webhook_events)
                .where(webhook_events.c.id == claimed)
                .values(outcome=outcome[:64])
            )
            await uow.commit()
        log.info("webhook event=%s type=%s outcome=%s", event.id, event.type, outcome)
        for notice in notices:  # credits landed: a purchase event (opt-in analytics)
            if notice.key in PURCHASE_NOTICES:
                self.analytics.record_purchase(
                    notice.account_id, method="card", kind=PURCHASE_NOTICES[notice.key]
                )
        await self._notify(notices)
        return outcome

    async def _seen(self, event_id: str) -> bool:
        async with self._uow() as uow:
            query = select(webhook_events.c.id).where(webhook_events.c.id == event_id[:255])
            return await uow.conn.scalar(query) is not None

    async def _notify(self, notices: list[Notice]) -> None:
        for notice in notices:
            async with self._uow() as uow:
                query = select(checkout_sessions.c.reply_target, checkout_sessions.c.locale)
                if notice.session_id:
                    query = query.where(checkout_sessions.c.id == notice.session_id)
                else:
                    query = query.where(checkout_sessions.c.account_id == notice.account_id)
                row = (
                    await uow.conn.execute(
                        query.where(checkout_sessions.c.reply_target.is_not(None))
                        .order_by(checkout_sessions.c.created_at.desc())
                        .limit(1)
                    )
                ).one_or_none()
            if row is None:
                continue
            event = JobEvent(
                kind="notice",
                job_id=notice.reference,
                account_id=notice.account_id,
                reply_target=ReplyTarget.from_json(row.reply_target),
                locale=row.locale,
                notice_key=notice.key,
                notice_params=notice.params,
            )
            try:
                await self._events.publish(event)
            except Exception:  # the money is committed; only the chat message is lost
                log.exception(
                    "notice not delivered account=%s key=%s", notice.account_id, notice.key
                )

    # -- promo codes -----------------------------------------------------------------------

    async def redeem(self, actor: Actor, code: str) -> Redemption:
        """Raises: InvalidOption (no code given: ``promo_code_missing``), PromoRefused
        (unknown, expired, exhausted, already_redeemed), TermsNotAccepted, Banned."""
        if not promo.normalise_code(code):
            raise InvalidOption(field="code", reason="promo_code_missing")
        async with self._uow() as uow:
            row = await self._usable(uow.conn, actor)
            found, granted = await promo.redeem(uow.conn, code, row.id, self._abuse)
            await uow.commit()
        return Redemption(
            found.code, found.credits, granted.settled_credits, granted.balance_credits
        )

    async def create_promo(
        self, code: str, *, amount_credits: int, max_redemptions: int, expires_at: datetime | None
    ) -> promo.PromoCode:
        """Raises: InvalidOption."""
        async with self._uow() as uow:
            created = await promo.create_code(
                uow.conn,
                code,
                amount_credits=amount_credits,
                max_redemptions=max_redemptions,
                expires_at=expires_at,
            )
            await uow.commit()
        return created

    # -- helpers ---------------------------------------------------------------------------

    @property
    def _base(self) -> str:
        return self.settings.public_base_url.rstrip("/")

    async def _deployment(self) -> str:
        if self._deployment_id is None:
            async with self._uow() as uow:
                self._deployment_id = await deployment_id(uow.conn)
                await uow.commit()
        return self._deployment_id

    def _require_payments(self) -> Payments:
        if self._payments is None:
            raise PaymentsDisabled()
        return self._payments

    async def _usable(self, conn, actor: Actor):
        return await acc.usable_account(conn, actor, self.settings.policy_version)

    async def _customer_id(self, conn, account_id: int) -> str | None:
        return await conn.scalar(
            select(billing_customers.c.customer_id).where(
                billing_customers.c.account_id == account_id
            )
        )


@contextlib.contextmanager
def _event_shape() -> Iterator[None]:
    """A signed event whose fields do not have the types Stripe documents (an object
    where an id goes, a list where an object does, a number the database cannot hold)
    is a bad body (HTTP 400), not a failure that would be retried for ever as a 500."""
    try:
        yield
    except (AttributeError, TypeError, ValueError, KeyError, DataError) as exc:
        log.warning("webhook event of an unexpected shape: %s", type(exc).__name__)
        raise InvalidWebhook("body") from exc

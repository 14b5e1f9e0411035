"""What each payment webhook event does, inside the transaction that marks it processed.

Events can arrive twice, late or out of order, so every effect is keyed: a pack's
grant by its Checkout Session id, a subscription grant by its invoice id; refunds and
disputes are kept by payment intent and applied from that state
(``core.billing.reversals``). The account is found through our
own records (the checkout session, the customer created before checkout), never from
the order of events. A canceled subscription stays canceled, and an older
``customer.subscription.updated`` never overwrites a newer one.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from core.billing.grants import grant, insert_once, record_payment
from core.billing.payments import PaymentEvent
from core.billing.reversals import (
    apply_held,
    charge_refunded,
    dispute_changed,
    invoice_payment_paid,
)
from core.billing.subscriptions import sync_plan, upsert_subscription
from core.billing.types import Notice, Outcome
from core.catalog import Catalog
from core.clock import utcnow
from core.db.tables import billing_customers, checkout_sessions, subscriptions
from core.ledger import Reason

GRANTING_INVOICES = frozenset({None, "subscription_create", "subscription_cycle"})


Handler = Callable[[AsyncConnection, PaymentEvent, Catalog], Awaitable[Outcome]]


async def handle_event(conn: AsyncConnection, event: PaymentEvent, catalog: Catalog) -> Outcome:
    """Apply ``event``; unknown event types are acknowledged and ignored."""
    handler = HANDLERS.get(event.type)
    if handler is None:
        return "ignored", []
    return await handler(conn, event, catalog)


# -- credit packs --------------------------------------------------------------------


async def _session_completed(conn, event: PaymentEvent, catalog: Catalog) -> Outcome:
    obj = event.data
    session = await _session_row(conn, obj, catalog)
    if session is None:
        return "ignored:unknown_session", []
    paid = obj.get("payment_status") in ("paid", "no_payment_required")
    if session.kind == "pack":
        return await _fulfil_pack(conn, session, obj) if paid else ("pending", [])
    sub_id = _id(obj.get("subscription"))
    await conn.execute(
        update(checkout_sessions)
        .where(checkout_sessions.c.id == session.id)
        .values(status="paid" if paid else "open", subscription_id=sub_id, completed_at=utcnow())
    )
    if sub_id:
        status = "active" if paid else "incomplete"
        await upsert_subscription(
            conn, sub_id, session.account_id, session.item_id, status, event.created_s
        )
        await sync_plan(conn, session.account_id, catalog)
    return "subscription_linked", []


async def _async_succeeded(conn, event: PaymentEvent, catalog: Catalog) -> Outcome:
    session = await _session_row(conn, event.data, catalog)
    if session is None or session.kind != "pack":
        return "ignored:unknown_session", []
    return await _fulfil_pack(conn, session, event.data)


async def _async_failed(conn, event: PaymentEvent, catalog: Catalog) -> Outcome:
    session = await _session_row(conn, event.data, catalog)
    if session is None:
        return "ignored:unknown_session", []
    changed = await conn.execute(
        update(checkout_sessions)
        .where(checkout_sessions.c.id == session.id)
        .where(checkout_sessions.c.status == "open")
        .values(status="failed", completed_at=utcnow())
    )
    notices = []
    if changed.rowcount:
        notices.append(
            Notice(session.account_id, session.id, "billing.payment_failed", session_id=session.id)
        )
    return "payment_failed", notices


async def _fulfil_pack(conn, session: Row, obj: dict[str, Any]) -> Outcome:
    await record_payment(
        conn,
        reference=session.id,
        provider="stripe",
        account_id=session.account_id,
        kind="pack",
        item_id=session.item_id,
        credits_granted=int(session.credits),
        amount_minor=int(obj.get("amount_total") or 0),
        currency=str(obj.get("currency") or "")[:8],
        payment_intent=_id(obj.get("payment_intent")),
    )
    granted = await grant(
        conn,
        account_id=session.account_id,
        amount_credits=int(session.credits),
        reason=Reason.PURCHASE,
        reference=session.id,
        note=f"pack {session.item_id}",
    )
    await conn.execute(
        update(checkout_sessions)
        .where(checkout_sessions.c.id == session.id)
        .values(status="paid", completed_at=utcnow())
    )
    if not granted.applied:
        return "duplicate", []
    notices = [_landed(session.account_id, session.id, session.credits, granted)]
    notices += await apply_held(conn, _id(obj.get("payment_intent")), session.id)
    return "credited", notices


# -- subscriptions ---------------------------------------------------------------------


async def _invoice_paid(conn, event: PaymentEvent, catalog: Catalog) -> Outcome:
    inv = event.data
    invoice_id = inv.get("id")
    if not invoice_id or inv.get("billing_reason") not in GRANTING_INVOICES:
        return "ignored", []
    sub_id = _invoice_subscription(inv)
    metadata = _invoice_metadata(inv)
    sub = await _subscription_row(conn, sub_id)
    account_id = await _account_for(conn, inv.get("customer"), sub, metadata)
    plan = catalog.plans.get(_plan_in(metadata) or (sub.plan if sub else ""))
    if account_id is None or plan is None:
        return "ignored:unknown_subscription", []
    if sub_id:
        await upsert_subscription(conn, sub_id, account_id, plan.id, "active", event.created_s)
    await sync_plan(conn, account_id, catalog)
    if plan.monthly_credits <= 0:
        return "subscription_paid", []
    await record_payment(
        conn,
        reference=invoice_id,
        provider="stripe",
        account_id=account_id,
        kind="subscription",
        item_id=plan.id,
        credits_granted=plan.monthly_credits,
        amount_minor=int(inv.get("amount_paid") or 0),
        currency=str(inv.get("currency") or "")[:8],
        payment_intent=event.payment_intent or _invoice_payment_intent(inv),
    )
    granted = await grant(
        conn,
        account_id=account_id,
        amount_credits=plan.monthly_credits,
        reason=Reason.SUBSCRIPTION,
        reference=invoice_id,
        note=f"plan {plan.id}",
    )
    if not granted.applied:
        return "duplicate", []
    held = await apply_held(conn, event.payment_intent or _invoice_payment_intent(inv), invoice_id)
    notice = Notice(
        account_id,
        invoice_id,
        "billing.subscription_credits",
        {
            "plan": plan.label,
            "credits": plan.monthly_credits,
            "balance_credits": granted.balance_credits,
        },
    )
    return "credited", [notice, *held]


async def _subscription_changed(conn, event: PaymentEvent, catalog: Catalog) -> Outcome:
    obj = event.data
    sub_id = obj.get("id")
    sub = await _subscription_row(conn, sub_id)
    metadata = obj.get("metadata") or {}
    account_id = await _account_for(conn, obj.get("customer"), sub, metadata)
    plan_id = _plan_in(metadata) or (sub.plan if sub else None)
    if not sub_id or account_id is None or plan_id not in catalog.plans:
        return "ignored:unknown_subscription", []
    status = "canceled" if event.type.endswith(".deleted") else str(obj.get("status") or "")
    await upsert_subscription(conn, sub_id, account_id, plan_id, status, event.created_s)
    before, after = await sync_plan(conn, account_id, catalog)
    notices = []
    if before != after and after == "free":
        label = catalog.plan(before).label
        notices.append(Notice(account_id, sub_id, "billing.subscription_ended", {"plan": label}))
    return f"subscription_{status}"[:64], notices


# -- helpers -----------------------------------------------------------------------------


def _landed(account_id: int, reference: str, credits: int, granted) -> Notice:
    key = "billing.purchase_landed_debt" if granted.settled_credits else "billing.purchase_landed"
    params = {
        "credits": int(credits),
        "settled_credits": granted.settled_credits,
        "balance_credits": granted.balance_credits,
    }
    return Notice(account_id, reference, key, params, session_id=reference)


def _plan_in(metadata: dict[str, Any]) -> str | None:
    """The plan in the metadata our checkout put on the subscription."""
    return metadata.get("item") if metadata.get("kind") == "subscription" else None


def _id(value: Any) -> str | None:
    """An id, whether the field is a plain id or an expanded object."""
    if isinstance(value, dict):
        value = value.get("id")
    return str(value) if value else None


def _invoice_subscription(inv: dict[str, Any]) -> str | None:
    parent = (inv.get("parent") or {}).get("subscription_details") or {}
    return _id(parent.get("subscription")) or _id(inv.get("subscription"))


def _invoice_metadata(inv: dict[str, Any]) -> dict[str, str]:
    parent = (inv.get("parent") or {}).get("subscription_details") or {}
    for source in (parent, inv.get("subscription_details") or {}):
        if source.get("metadata"):
            return dict(source["metadata"])
    for line in (inv.get("lines") or {}).get("data") or []:
        if line.get("metadata"):
            return dict(line["metadata"])
    return {}


def invoice_to_link(event: PaymentEvent) -> str | None:
    """The id of a paid invoice whose payment intent the event does not give (API
    2025-03-31.basil on: ``payments`` is only there when expanded), to be looked up."""
    inv = event.data
    if event.type != "invoice.paid" or inv.get("billing_reason") not in GRANTING_INVOICES:
        return None
    invoice_id = inv.get("id")
    return invoice_id if isinstance(invoice_id, str) and not _invoice_payment_intent(inv) else None


def _invoice_payment_intent(inv: dict[str, Any]) -> str | None:
    """From ``invoice.payments`` when it was expanded (never in webhook payloads)."""
    for entry in (inv.get("payments") or {}).get("data") or []:
        found = _id((entry.get("payment") or {}).get("payment_intent"))
        if found:
            return found
    return None


async def _session_row(conn, obj: dict[str, Any], catalog: Catalog) -> Row | None:
    """Our record of a Checkout Session. One made by us but not recorded (the process
    failed between creating it at Stripe and writing it down) is adopted from the
    metadata we put on it, for the customer we created: its payment is not lost."""
    session_id = obj.get("id")
    if not isinstance(session_id, str):
        return None
    query = select(checkout_sessions).where(checkout_sessions.c.id == session_id)
    row = (await conn.execute(query)).one_or_none()
    if row is not None:
        return row
    metadata = obj.get("metadata") or {}
    kind, item_id = metadata.get("kind"), str(metadata.get("item") or "")
    account_id = await _account_for(conn, obj.get("customer"), None, metadata)
    if account_id is None or str(account_id) != metadata.get("account_id"):
        return None
    if kind == "pack" and item_id in catalog.packs:
        amount_credits = catalog.packs[item_id].credits
    elif kind == "subscription" and item_id in catalog.plans:
        amount_credits = 0
    else:
        return None
    await insert_once(
        conn,
        checkout_sessions,
        ["id"],
        id=session_id,
        account_id=account_id,
        kind=kind,
        item_id=item_id,
        credits=amount_credits,
        platform="unknown",
        status="open",
        created_at=utcnow(),
    )
    return (await conn.execute(query)).one()


async def _subscription_row(conn, sub_id: Any) -> Row | None:
    if not isinstance(sub_id, str):
        return None
    query = select(subscriptions).where(subscriptions.c.id == sub_id)
    return (await conn.execute(query)).one_or_none()


async def _account_for(conn, customer: Any, sub: Row | None, metadata: dict) -> int | None:
    if sub is not None:
        return int(sub.account_id)
    customer_id = _id(customer)
    if customer_id:
        found = await conn.scalar(
            select(billing_customers.c.account_id).where(
                billing_customers.c.customer_id == customer_id
            )
        )
        if found is not None:
            return int(found)
    return None


HANDLERS: dict[str, Handler] = {
    "checkout.session.completed": _session_completed,
    "checkout.session.async_payment_succeeded": _async_succeeded,
    "checkout.session.async_payment_failed": _async_failed,
    "invoice.paid": _invoice_paid,
    "customer.subscription.updated": _subscription_changed,
    "customer.subscription.deleted": _subscription_changed,
    "invoice_payment.paid": invoice_payment_paid,
    "charge.refunded": charge_refunded,
    "charge.dispute.created": dispute_changed,
    "charge.dispute.closed": dispute_changed,
}

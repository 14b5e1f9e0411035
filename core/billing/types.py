"""Platform-neutral views of billing, rendered by adapters."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from core.types import LedgerEntryView


@dataclass(frozen=True, slots=True)
class PackOffer:
    id: str
    label: str
    credits: int
    method: str  # "card" (Stripe Checkout) | "stars" (Telegram Stars)
    amount_minor: int  # cents for "card", Stars for "stars"
    currency: str  # "usd", ... or "XTR" for Stars


@dataclass(frozen=True, slots=True)
class PlanOffer:
    id: str
    label: str
    monthly_credits: int
    price_cents: int
    currency: str


@dataclass(frozen=True, slots=True)
class CreditsOverview:
    balance_credits: int
    debt_credits: int
    plan: str
    recent: list[LedgerEntryView]
    packs: list[PackOffer] = field(default_factory=list)
    plans: list[PlanOffer] = field(default_factory=list)
    payments_enabled: bool = False  # card payments configured (Stars need the adapter)
    subscribed: bool = False  # has a customer, so the portal link works


@dataclass(frozen=True, slots=True)
class CheckoutLink:
    session_id: str
    url: str


@dataclass(frozen=True, slots=True)
class Redemption:
    code: str
    credits: int
    settled_credits: int  # of them, used to settle a debt
    balance_credits: int


@dataclass(frozen=True, slots=True)
class StarsInvoice:
    """What the Telegram adapter puts in ``sendInvoice`` (currency ``XTR``)."""

    payload: str  # opaque, at most 128 bytes
    pack_id: str
    title: str
    description: str
    stars: int
    credits: int
    currency: str = "XTR"


@dataclass(frozen=True, slots=True)
class StarsPurchase:
    charge_id: str
    credits: int
    settled_credits: int
    balance_credits: int
    applied: bool  # False when this charge was already credited


def format_price(amount_minor: int, currency: str) -> str:
    """``500, "usd"`` → ``"5.00 USD"`` (zero-decimal currencies are not special-cased)."""
    return f"{amount_minor / 100:.2f} {currency.upper()}"


@dataclass(frozen=True, slots=True)
class Notice:
    """A message for the user's chat, sent after the transaction commits."""

    account_id: int
    reference: str
    key: str
    params: dict[str, Any] = field(default_factory=dict)
    session_id: str | None = None  # whose reply target to use; else the latest session


Outcome = tuple[str, list[Notice]]  # what an event did, and what to tell the chats

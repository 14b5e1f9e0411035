"""The packs and plans lines of the console's /credits."""

from __future__ import annotations

from collections.abc import Callable

from core.billing_types import CreditsOverview, format_price


def offer_lines(view: CreditsOverview, t: Callable[..., str]) -> list[str]:
    if not view.packs and not view.plans:
        return [t("billing.not_configured")]
    lines = []
    if view.packs:
        lines.append(t("billing.packs_header"))
    for pack in view.packs:
        if pack.method == "stars":
            lines.append(
                t(
                    "billing.pack_item_stars",
                    id=pack.id,
                    credits=pack.credits,
                    stars=pack.amount_minor,
                )
            )
        else:
            price = format_price(pack.amount_minor, pack.currency)
            lines.append(t("billing.pack_item", id=pack.id, credits=pack.credits, price=price))
    if view.plans:
        lines.append(t("billing.plans_header"))
    for plan in view.plans:
        price = format_price(plan.price_cents, plan.currency)
        lines.append(
            t(
                "billing.plan_item",
                id=plan.id,
                label=plan.label,
                monthly_credits=plan.monthly_credits,
                price=price,
            )
        )
    return lines

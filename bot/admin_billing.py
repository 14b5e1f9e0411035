"""`seedream admin promo create`, `seedream admin refund-stars` and
`seedream admin stars-refunds`."""

from __future__ import annotations

import argparse
import contextlib
import sys
from datetime import UTC, datetime, time

from bot.bootstrap import bootstrap
from bot.settings import Settings
from core.errors import CoreError

BILLING_COMMANDS = frozenset({"promo", "refund-stars", "stars-refunds"})


def add_billing_commands(admin_sub) -> None:
    promo = admin_sub.add_parser("promo", help="promo codes", description="Promo codes.")
    promo_sub = promo.add_subparsers(dest="promo_command", required=True, metavar="TASK")
    create = promo_sub.add_parser(
        "create",
        help="create a promo code",
        description="Create a promo code that each account can redeem once with /redeem CODE.",
    )
    create.add_argument("code", help="3-64 letters, digits, dashes or underscores")
    create.add_argument("--credits", type=int, required=True, help="credits per redemption")
    create.add_argument(
        "--max-redemptions", type=int, required=True, help="redemptions in all, by any accounts"
    )
    create.add_argument(
        "--expires",
        type=parse_expiry,
        help="YYYY-MM-DD (valid through that day, UTC) or an ISO date-time; default: never",
    )
    refund = admin_sub.add_parser(
        "refund-stars",
        help="refund a Telegram Stars payment",
        description="Give the Stars of a payment back and take its credits back (credits "
        "already spent become a debt). Talks to Telegram with TELEGRAM_BOT_TOKEN. Run again "
        "for a refund left pending, it asks Telegram again (never refunding twice).",
    )
    refund.add_argument("charge_id", help="the telegram_payment_charge_id")
    listing = admin_sub.add_parser(
        "stars-refunds",
        help="list pending and failed Stars refunds",
        description="List the Stars refunds still pending (Telegram not reached yet) or "
        "failed (Telegram refused; the credits were given back).",
    )
    listing.add_argument(
        "--resume",
        action="store_true",
        help="first ask Telegram again for every pending refund (TELEGRAM_BOT_TOKEN)",
    )


def parse_expiry(text: str) -> datetime:
    try:
        if len(text) == 10:
            day = datetime.strptime(text, "%Y-%m-%d").date()
            return datetime.combine(day, time(23, 59, 59), tzinfo=UTC)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {text!r} (use YYYY-MM-DD)") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


async def dispatch_billing(args: argparse.Namespace, settings: Settings) -> int:
    async with bootstrap(settings) as app:
        try:
            if args.admin_command == "promo":
                made = await app.core.billing.create_promo(
                    args.code,
                    amount_credits=args.credits,
                    max_redemptions=args.max_redemptions,
                    expires_at=args.expires,
                )
                until = "never"
                if made.expires_at is not None:
                    until = made.expires_at.strftime("%Y-%m-%d %H:%M UTC")
                print(
                    f"promo code {made.code}: {made.credits} credits, "
                    f"{made.max_redemptions} redemptions, expires {until}"
                )
            elif args.admin_command == "refund-stars":
                async with _stars_refunds(settings) as port:
                    if port is not None:
                        app.core.billing.stars_refunds = port
                    refund = await app.core.billing.admin_refund_stars(args.charge_id)
                print(describe_refund(refund))
                return 0 if refund.status == "done" else 1
            else:
                if args.resume:
                    async with _stars_refunds(settings) as port:
                        if port is None:
                            raise SystemExit(
                                "seedream admin stars-refunds --resume: set TELEGRAM_BOT_TOKEN"
                            )
                        app.core.billing.stars_refunds = port
                        for refund in await app.core.billing.resume_stars_refunds():
                            print(describe_refund(refund))
                listed = await app.core.billing.stars_refunds_open()
                for refund in listed:
                    print(
                        f"{refund.status:<8} {refund.charge_id}  account {refund.account_id}  "
                        f"{refund.stars} Stars  {refund.taken_credits} credits taken back, "
                        f"{refund.debt_credits} owed  attempts {refund.attempts}  "
                        f"{refund.error_code or '-'}  since "
                        f"{refund.created_at.strftime('%Y-%m-%d %H:%M UTC')}"
                    )
                if not listed:
                    print("no pending or failed Stars refunds")
        except CoreError as exc:
            print(app.messages.render_error(exc), file=sys.stderr)
            return 1
    return 0


def describe_refund(refund) -> str:
    """One line about a refund's outcome for the operator."""
    if refund.status == "done":
        return f"refunded: {refund.taken_credits} credits taken back, {refund.debt_credits} owed"
    if refund.status == "failed":
        return (
            f"refund {refund.charge_id} failed: Telegram refused ({refund.error_code}); "
            "the credits taken back were given back"
        )
    return (
        f"refund {refund.charge_id} pending: Telegram not reached ({refund.error_code}); "
        f"{refund.taken_credits} credits taken back, {refund.debt_credits} owed; "
        "run the command again or `seedream admin stars-refunds --resume`"
    )


@contextlib.asynccontextmanager
async def _stars_refunds(settings: Settings):
    """Telegram's refund call on a bot of its own, when a Telegram token is set."""
    if settings.telegram_token is None:
        yield None
        return
    from adapters.telegram.config import TelegramConfig
    from adapters.telegram.payments import stars_refunds

    try:
        config = TelegramConfig.from_settings(settings)
    except ValueError as exc:
        raise SystemExit(f"seedream admin refund-stars: {exc}") from None
    async with stars_refunds(config) as port:
        yield port

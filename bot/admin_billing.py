"""`seedream admin promo create` and `seedream admin refund-stars`."""

from __future__ import annotations

import argparse
import contextlib
import sys
from datetime import UTC, datetime, time

from bot.bootstrap import bootstrap
from bot.settings import Settings
from core.errors import CoreError

BILLING_COMMANDS = frozenset({"promo", "refund-stars"})


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
        "already spent become a debt). Talks to Telegram with TELEGRAM_BOT_TOKEN.",
    )
    refund.add_argument("charge_id", help="the telegram_payment_charge_id")


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
            else:
                async with _stars_refunds(settings) as port:
                    if port is not None:
                        app.core.billing.stars_refunds = port
                    result = await app.core.billing.admin_refund_stars(args.charge_id)
                print(
                    f"refunded: {result.taken_credits} credits taken back, "
                    f"{result.debt_credits} owed"
                )
        except CoreError as exc:
            print(app.messages.render_error(exc), file=sys.stderr)
            return 1
        except RuntimeError as exc:  # the platform refused the refund; nothing was recorded
            print(f"refund failed, nothing changed: {exc}", file=sys.stderr)
            return 1
    return 0


@contextlib.asynccontextmanager
async def _stars_refunds(settings: Settings):
    """Telegram's refund call on a bot of its own, when a Telegram token is set."""
    if settings.telegram_token is None:
        yield None
        return
    from adapters.telegram import TelegramConfig
    from adapters.telegram.payments import stars_refunds

    try:
        config = TelegramConfig.from_settings(settings)
    except ValueError as exc:
        raise SystemExit(f"seedream admin refund-stars: {exc}") from None
    async with stars_refunds(config) as port:
        yield port

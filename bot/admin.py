"""`seedream db` and `seedream admin` tasks."""

from __future__ import annotations

import argparse
import sys

from bot.admin_billing import BILLING_COMMANDS, dispatch_billing
from bot.bootstrap import bootstrap
from bot.migrate import upgrade
from bot.settings import Settings
from core.accounts.audit import CLI_OPERATOR
from core.db.engine import make_engine
from core.errors import CoreError, ItemKind, NotFound
from core.types import Actor


async def db_upgrade(settings: Settings) -> int:
    engine = make_engine(settings.resolved_database_url())
    try:
        applied = await upgrade(engine)
    finally:
        await engine.dispose()
    if applied:
        print(f"database upgraded: applied {applied} migration{'s' if applied != 1 else ''}")
    else:
        print("database is already up to date (no migrations to apply)")
    return 0


def parse_user(text: str) -> Actor:
    platform, sep, user_id = text.partition(":")
    if not sep or not platform or not user_id:
        raise SystemExit(f"expected platform:user_id, e.g. telegram:12345 (got {text!r})")
    return Actor(platform.lower(), user_id)


async def dispatch(args: argparse.Namespace, settings: Settings) -> int:
    if args.admin_command in BILLING_COMMANDS:
        return await dispatch_billing(args, settings)
    if args.admin_command == "dashboard-link":
        return await dashboard_link(settings, revoke=args.revoke)
    actor = parse_user(args.user)
    async with bootstrap(settings) as app:
        try:
            if args.admin_command == "grant":
                outcome = await app.core.admin_grant(
                    actor,
                    args.credits,
                    reason=args.reason,
                    reference=args.reference,
                    operator=CLI_OPERATOR,
                    create_account=False,
                )
                if not outcome.applied:
                    word = "already done (same reference)"
                elif args.credits > 0:
                    word = f"granted {args.credits} credits"
                else:
                    word = f"took back {-args.credits} credits"
                print(f"{args.user}: {word}; balance {outcome.balance_credits} credits")
            elif args.admin_command == "balance":
                view = await app.core.find_account(actor)
                if view is None:
                    raise NotFound(what=ItemKind.ACCOUNT)
                print(
                    f"{args.user}: balance {view.balance_credits} credits "
                    f"(account {view.account_id}, plan {view.plan}"
                    f"{', banned' if view.banned else ''})"
                )
            elif args.admin_command == "ban":
                await app.core.admin_ban(
                    actor, args.reason, operator=CLI_OPERATOR, create_account=False
                )
                print(f"{args.user}: banned")
            elif args.admin_command == "unban":
                await app.core.admin_ban(actor, None, operator=CLI_OPERATOR, create_account=False)
                print(f"{args.user}: ban lifted")
        except NotFound:
            print(f"{args.user}: no such account", file=sys.stderr)
            return 1
        except CoreError as exc:
            print(app.messages.render_error(exc), file=sys.stderr)
            return 1
    return 0


async def dashboard_link(settings: Settings, *, revoke: bool = False) -> int:
    """`seedream admin dashboard-link`: a new link for the CLI operator (the audit names
    what it does as ``web:cli``), or with ``--revoke`` the end of the CLI's links."""
    async with bootstrap(settings) as app:
        if revoke:
            count = await app.core.dashboard_links.revoke(CLI_OPERATOR)
            print(f"revoked {count} dashboard link{'s' if count != 1 else ''}")
            return 0
        link = await app.core.dashboard_links.link(CLI_OPERATOR)
    print(link.url)
    print(f"works until {link.expires_at:%Y-%m-%d %H:%M} UTC; do not share it", file=sys.stderr)
    return 0


async def purge(settings: Settings) -> int:
    """`seedream purge`: one retention pass, its counts printed."""
    async with bootstrap(settings) as app:
        assert app.privacy is not None
        report = await app.privacy.purge()
    for name, count in report.as_dict().items():
        print(f"{name}: {count}")
    return 0

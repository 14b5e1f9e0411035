"""The `seedream` command line."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from collections.abc import Coroutine
from pathlib import Path

from bot.migrate import NotUpgraded
from bot.settings import MissingSetting, Settings
from core.catalog import CatalogError


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("seedream")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"


_CONCURRENCY_RULE = "the worker concurrency must be a whole number, at least 1"
# Roles that run a worker (the embedded ones run it in-process).
_WORKER_ROLES = frozenset({"run", "console", "worker", "discord", "telegram"})
# Long-running roles: a service manager's SIGTERM stops them as Ctrl-C does.
_SERVICE_ROLES = _WORKER_ROLES | {"web"}


def _concurrency(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{_CONCURRENCY_RULE} (got {text!r})")
    return value


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="seedream",
        description="Seedream: AI image generation bots for Discord and Telegram.",
    )
    p.add_argument("--version", action="version", version=f"seedream {_version()}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = sub.add_parser(
        "run",
        help="all in one: web server, worker and every configured chat adapter",
        description="Run the web server, the worker and every configured adapter. The "
        "console adapter starts when no chat token is set and stdin is a terminal.",
    )
    group = run.add_mutually_exclusive_group()
    group.add_argument(
        "--console",
        dest="console",
        action="store_true",
        default=None,
        help="also start the console adapter",
    )
    group.add_argument(
        "--no-console", dest="console", action="store_false", help="never start the console adapter"
    )

    console = sub.add_parser(
        "console",
        help="the console adapter only (one command per line on stdin)",
        description="Read one command per line from stdin (a terminal or a pipe), print "
        "replies, and exit at end of input once started jobs are done.",
    )
    console.add_argument(
        "--no-web", action="store_true", help="do not serve local media links from this process"
    )

    worker = sub.add_parser(
        "worker",
        help="process generation jobs",
        description="Process generation jobs until stopped.",
    )
    worker.add_argument(
        "--concurrency",
        type=_concurrency,
        metavar="N",
        help="jobs this process runs at once (default: SEEDREAM_WORKER_CONCURRENCY)",
    )
    worker.add_argument(
        "--burst", action="store_true", help="exit when no work is left (for scripts and tests)"
    )

    discord = sub.add_parser(
        "discord",
        help="the Discord bot (needs DISCORD_TOKEN)",
        description="Run the Discord bot. With the embedded defaults (no Redis) this process "
        "also runs the worker and serves local media links.",
    )
    discord.add_argument(
        "--shard-ids",
        metavar="IDS",
        help="comma-separated shards this process runs, e.g. 0,1 (needs --shard-count)",
    )
    discord.add_argument(
        "--shard-count",
        type=int,
        metavar="N",
        help="total shards across all processes (default: Discord's recommendation)",
    )
    discord.add_argument(
        "--sync-commands",
        action="store_true",
        help="register the slash commands with Discord at start (after adding or changing "
        "commands; globally, or to SEEDREAM_DISCORD_SYNC_GUILD_ID)",
    )

    sub.add_parser(
        "telegram",
        help="the Telegram bot (polling, or webhook mode behind the web server)",
        description="Run the Telegram adapter. Polls the Bot API by default; with "
        "SEEDREAM_TELEGRAM_WEBHOOK_URL set it registers that webhook and serves it on the "
        "web port. Without Redis it also runs the worker (the queue is in-process).",
    )

    sub.add_parser(
        "web",
        help="the web server (media links, health)",
        description="Serve media links and /healthz.",
    )

    db = sub.add_parser("db", help="database tasks", description="Database tasks.")
    db_sub = db.add_subparsers(dest="db_command", required=True, metavar="TASK")
    db_sub.add_parser(
        "upgrade",
        help="apply all migrations",
        description="Apply all Alembic migrations to the configured database.",
    )

    sub.add_parser(
        "purge",
        help="remove expired and deleted data now (the worker also does this hourly)",
        description="Delete images past their plan's retention, purge soft-deleted data "
        "and expired exports, and print what was removed.",
    )

    backup = sub.add_parser(
        "backup",
        help="back up the database and the list of stored objects (docs/backups.md)",
        description="Write a consistent dump of the database (pg_dump, or SQLite's online "
        "backup) and a manifest of every stored object with its size and SHA-256 into a new "
        "folder under DEST. The erasure journal is left out on purpose.",
    )
    backup.add_argument("dest", type=Path, help="folder the backup's own folder is made in")
    backup.add_argument(
        "--copy-objects",
        metavar="TARGET",
        help="also copy the objects to a second bucket (s3://BUCKET[/PREFIX/], same S3 "
        "service and credentials) or folder; objects already there are skipped",
    )
    restore = sub.add_parser(
        "restore",
        help="restore a fresh database from a backup and check the stored objects",
        description="Restore the backup's database into the configured database, which "
        "must be empty; apply newer migrations; replay the erasure journal (users erased "
        "since the backup are erased again); report objects the manifest lists but storage "
        "lacks or holds with other bytes (exit status 1 then).",
    )
    restore.add_argument("backup", type=Path, help="the backup's folder (holds manifest.json)")
    restore.add_argument(
        "--force",
        action="store_true",
        help="drop everything in the target database first (it is refused otherwise)",
    )
    restore.add_argument(
        "--objects-from",
        metavar="COPY",
        help="put back the objects storage lacks from a copy made with --copy-objects",
    )

    admin = sub.add_parser("admin", help="operator tasks", description="Operator tasks.")
    admin_sub = admin.add_subparsers(dest="admin_command", required=True, metavar="TASK")
    grant = admin_sub.add_parser(
        "grant",
        help="grant credits to a user (negative to take back)",
        description="Grant credits to a user; a negative amount takes credits back.",
    )
    grant.add_argument("user", help="platform:user_id, e.g. telegram:12345")
    grant.add_argument("credits", type=int, help="whole credits")
    grant.add_argument("--reason", required=True, help="why (kept in the ledger)")
    grant.add_argument(
        "--reference",
        help="idempotency key: a repeated grant with the same reference is not counted twice",
    )
    balance = admin_sub.add_parser(
        "balance",
        help="show a user's balance",
        description="Show a user's balance and recent entries.",
    )
    balance.add_argument("user", help="platform:user_id")
    from bot.admin_billing import add_billing_commands

    add_billing_commands(admin_sub)
    for name, help_text in (("ban", "ban a user"), ("unban", "lift a ban")):
        cmd = admin_sub.add_parser(name, help=help_text, description=help_text.capitalize())
        cmd.add_argument("user", help="platform:user_id")
        if name == "ban":
            cmd.add_argument("--reason", required=True, help="shown to the operator only")
    dashboard = admin_sub.add_parser(
        "dashboard-link",
        help="print a short-lived link to the operator dashboard",
        description="Print a short-lived link to the operator dashboard "
        "(SEEDREAM_DASHBOARD_LINK_TTL_S, default 15 minutes); it replaces the CLI's "
        "earlier link. With --revoke, end the CLI's open links instead.",
    )
    dashboard.add_argument(
        "--revoke", action="store_true", help="end the CLI's open dashboard links"
    )
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from bot.logs import setup_logging
    from bot.roles import wants_console

    settings = Settings()
    if args.command in _WORKER_ROLES and settings.worker_concurrency < 1:
        print(
            f"seedream: cannot start: {_CONCURRENCY_RULE} "
            f"(SEEDREAM_WORKER_CONCURRENCY={settings.worker_concurrency})",
            file=sys.stderr,
        )
        return 2
    secrets = settings.secrets()
    console = args.command == "console" or (
        args.command == "run" and wants_console(settings, args.console)
    )
    setup_logging(
        settings.log_level,
        as_json=settings.log_json,
        secrets=secrets,
        log_file=settings.data_dir / "seedream.log" if console else None,
    )
    try:
        if args.command in _SERVICE_ROLES:
            return asyncio.run(_until_terminated(_dispatch(args, settings)))
        return asyncio.run(_dispatch(args, settings))
    except KeyboardInterrupt:
        return 130
    except CatalogError as exc:
        print(f"seedream: invalid catalogue: {exc}", file=sys.stderr)
        return 2
    except NotUpgraded:
        print(
            "seedream: cannot start: the database has not been upgraded to this version; "
            "run `seedream db upgrade`",
            file=sys.stderr,
        )
        return 2
    except MissingSetting as exc:
        print(f"seedream: cannot start: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        # The database, S3 or a port could not be reached at start-up.
        logging.getLogger("seedream").debug("start-up failed", exc_info=True)
        print(f"seedream: cannot start: {exc}", file=sys.stderr)
        return 2


async def _until_terminated(role: Coroutine[None, None, int]) -> int:
    """Run a role; SIGTERM (systemd's stop, docker stop) cancels it, so it stops cleanly
    as after Ctrl-C: jobs handed back, provider health written, the worker's heartbeat
    removed (else the worker would be reported as one that died). Returns 0 then."""
    task = asyncio.ensure_future(role)
    loop = asyncio.get_running_loop()
    terminated = False

    def terminate() -> None:
        nonlocal terminated
        terminated = True
        task.cancel()

    loop.add_signal_handler(signal.SIGTERM, terminate)
    try:
        return await task
    except asyncio.CancelledError:
        if terminated and task.cancelled():
            return 0
        raise
    finally:
        loop.remove_signal_handler(signal.SIGTERM)


async def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    from bot import admin, roles

    if args.command == "run":
        return await roles.run_all(settings, console=args.console)
    if args.command == "console":
        return await roles.run_console(settings, serve_web=not args.no_web)
    if args.command == "worker":
        return await roles.run_worker(settings, burst=args.burst, concurrency=args.concurrency)
    if args.command == "web":
        return await roles.run_web(settings)
    if args.command == "telegram":
        return await roles.run_telegram(settings)
    if args.command == "discord":
        shard_ids = roles.parse_shards(args.shard_ids, args.shard_count)
        return await roles.run_discord(
            settings,
            shard_ids=shard_ids,
            shard_count=args.shard_count,
            sync_commands=args.sync_commands,
        )
    if args.command == "db":
        return await admin.db_upgrade(settings)
    if args.command == "admin":
        return await admin.dispatch(args, settings)
    if args.command == "purge":
        return await admin.purge(settings)
    if args.command in ("backup", "restore"):
        from bot import backup

        if args.command == "backup":
            return await backup.backup_command(settings, args.dest, args.copy_objects)
        return await backup.restore_command(
            settings, args.backup, force=args.force, objects_from=args.objects_from
        )
    raise AssertionError(args.command)


if __name__ == "__main__":
    sys.exit(main())

"""Process roles: what `seedream run|console|worker|web` start, in dependency order
(database and storage in bootstrap, then web, worker, then chat adapters), stopped in
reverse."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Coroutine
from contextlib import AsyncExitStack

from bot.bootstrap import App, bootstrap
from bot.settings import Settings

log = logging.getLogger("seedream")


def wants_console(settings: Settings, flag: bool | None) -> bool:
    """`run` starts the console when asked, or when no chat token is set and stdin is a
    terminal."""
    if flag is not None:
        return flag
    return not settings.chat_tokens_configured and sys.stdin.isatty()


async def run_all(settings: Settings, *, console: bool | None) -> int:
    """Web server, worker and every configured adapter (see ``wants_console``)."""
    use_console = wants_console(settings, console)
    async with bootstrap(settings) as app:
        tasks = [app.worker.run(), app.events.consume()]
        web = _web_server(app, required=not use_console)
        if web is not None:
            tasks.append(web.serve())
        if settings.discord_token is not None:
            tasks.append(_discord(app, shard_ids=None, shard_count=None, sync=False).run())
        async with AsyncExitStack() as stack:
            if settings.telegram_token is not None:
                if settings.telegram_webhook_url:
                    raise SystemExit("webhook mode: run `seedream telegram` (it serves the hook)")
                await stack.enter_async_context(_telegram(app).running())
            if use_console:
                return await _until_first_done(tasks, main=_console(app).run())
            log.info(
                "seedream running: web on %s; press Ctrl+C to stop",
                settings.resolved_public_base_url(),
            )
            return await _until_first_done(tasks)


async def run_console(settings: Settings, *, serve_web: bool) -> int:
    async with bootstrap(settings) as app:
        tasks = [app.worker.run(), app.events.consume()]
        if serve_web and app.local_store is not None:
            web = _web_server(app, required=False)
            if web is not None:
                tasks.append(web.serve())
        return await _until_first_done(tasks, main=_console(app).run())


async def run_telegram(settings: Settings) -> int:
    """The Telegram adapter: polling, or webhook mode behind the web server when
    ``telegram_webhook_url`` is set. With no Redis the job queue lives in this process,
    so it runs the worker too."""
    async with bootstrap(settings) as app:
        adapter = _telegram(app)
        tasks = [app.events.consume()]
        if app.redis is None:
            tasks.append(app.worker.run())
        routes = []
        if adapter.config.webhook_url:
            from adapters.telegram.webhook import webhook_route

            routes.append(webhook_route(adapter, app.metrics))
        needs_web = bool(routes) or app.local_store is not None
        web = _web_server(app, required=bool(routes), extra_routes=routes) if needs_web else None
        if web is None and (metrics := _metrics_server(app)) is not None:
            tasks.append(metrics.serve())
        # The web server first: Telegram posts to the webhook as soon as it is set.
        serving = asyncio.create_task(web.serve()) if web is not None else None
        try:
            async with adapter.running():
                return await _until_first_done(tasks)
        finally:
            if web is not None and serving is not None:
                web.stop()
                await asyncio.gather(serving, return_exceptions=True)


async def run_worker(settings: Settings, *, burst: bool, concurrency: int | None) -> int:
    if concurrency is not None:
        settings = settings.model_copy(update={"worker_concurrency": concurrency})
    async with bootstrap(settings) as app:
        log.info(
            "worker %s: %d job(s) at once", app.worker.worker_id, app.worker.settings.concurrency
        )
        metrics = None if burst else _metrics_server(app)
        if metrics is None:
            await app.worker.run(burst=burst)
            return 0
        return await _until_first_done([app.worker.run(), metrics.serve()])


async def run_web(settings: Settings) -> int:
    async with bootstrap(settings) as app:
        web = _web_server(app, required=True)
        assert web is not None
        log.info("web listening on %s:%d", settings.web_host, web.port)
        await web.serve()
    return 0


def parse_shards(text: str | None, shard_count: int | None) -> tuple[int, ...] | None:
    """``"0,1"`` → ``(0, 1)``; checked against ``shard_count``."""
    if text is None:
        return None
    try:
        ids = tuple(sorted({int(part) for part in text.split(",") if part.strip()}))
    except ValueError:
        raise SystemExit(f"--shard-ids: expected numbers like 0,1 (got {text!r})") from None
    if shard_count is None:
        raise SystemExit("--shard-ids needs --shard-count")
    if not ids or ids[0] < 0 or ids[-1] >= shard_count:
        raise SystemExit(f"--shard-ids must be between 0 and {shard_count - 1}")
    return ids


async def run_discord(
    settings: Settings,
    *,
    shard_ids: tuple[int, ...] | None,
    shard_count: int | None,
    sync_commands: bool,
) -> int:
    """The Discord bot. Without Redis the queue is in this process, so the worker (and
    the local media links) run here too; with Redis, run `seedream worker` separately."""
    if settings.discord_token is None:
        raise SystemExit("seedream discord: set DISCORD_TOKEN (see README, Discord)")
    async with bootstrap(settings) as app:
        adapter = _discord(app, shard_ids=shard_ids, shard_count=shard_count, sync=sync_commands)
        tasks = [app.events.consume()]
        web = None
        if app.redis is None:
            tasks.append(app.worker.run())
            web = _web_server(app, required=False) if app.local_store is not None else None
            if web is not None:
                tasks.append(web.serve())
        if web is None and (metrics := _metrics_server(app)) is not None:
            tasks.append(metrics.serve())
        return await _until_first_done(tasks, main=adapter.run())


def _discord(app: App, *, shard_ids, shard_count, sync: bool):
    from adapters.discord.bot import DiscordAdapter, DiscordOptions

    settings = app.settings
    assert settings.discord_token is not None
    return DiscordAdapter(
        app.core,
        app.messages,
        app.events,
        DiscordOptions(
            token=settings.discord_token.get_secret_value(),
            shard_ids=shard_ids,
            shard_count=shard_count,
            sync_commands=sync,
            sync_guild_id=settings.discord_sync_guild_id,
            admin_user_ids=settings.discord_admin_user_ids(),
            api_base_url=settings.discord_api_base_url,
            gateway_url=settings.discord_gateway_url,
        ),
    )


def _console(app: App):
    from adapters.console.adapter import ConsoleAdapter

    return ConsoleAdapter(
        app.core, app.messages, app.events, wait_for_jobs_s=app.settings.job_timeout_s + 60
    )


def _telegram(app: App):
    from adapters.telegram.app import TelegramAdapter
    from adapters.telegram.config import TelegramConfig

    try:
        config = TelegramConfig.from_settings(app.settings)
        # ValueError too when a Stars invoice text is outside Telegram's limits
        return TelegramAdapter(app.core, app.messages, app.events, config)
    except ValueError as exc:
        raise SystemExit(f"seedream telegram: {exc}") from None


def _web_server(app: App, *, required: bool, extra_routes=()):
    from adapters.web.app import WebServer

    try:
        return WebServer(
            app, host=app.settings.web_host, port=app.settings.web_port, extra_routes=extra_routes
        )
    except OSError as exc:
        if required:
            raise SystemExit(
                f"cannot listen on {app.settings.web_host}:{app.settings.web_port}: {exc.strerror}"
            ) from exc
        print(
            f"(port {app.settings.web_port} is busy: links are served by the process using it)",
            file=sys.stderr,
        )
        return None


def _metrics_server(app: App):
    """``/metrics`` on ``SEEDREAM_METRICS_PORT`` for a role that serves no web app (its
    counters would be seen nowhere else); ``None`` when the port is not set."""
    from adapters.web.app import WebServer, create_metrics_app

    settings = app.settings
    if settings.metrics_port is None:
        return None
    try:
        server = WebServer(
            None,
            host=settings.metrics_host,
            port=settings.metrics_port,
            asgi=create_metrics_app(app.metrics),
        )
    except OSError as exc:
        raise SystemExit(
            f"cannot serve metrics on {settings.metrics_host}:{settings.metrics_port}: "
            f"{exc.strerror}"
        ) from exc
    log.info("metrics on http://%s:%d/metrics", settings.metrics_host, server.port)
    return server


async def _until_first_done(background: list[Coroutine], main: Coroutine | None = None) -> int:
    """Run ``background`` until ``main`` ends (or, without ``main``, until one of them
    ends), then cancel the rest and wait for them."""
    tasks = [asyncio.create_task(c) for c in background]
    main_task = asyncio.create_task(main) if main is not None else None
    watched = [main_task] if main_task is not None else tasks
    try:
        done, _ = await asyncio.wait(watched + tasks, return_when=asyncio.FIRST_COMPLETED)
        for task in done:
            if task is not main_task and (error := task.exception()) is not None:
                raise error
        if main_task is not None:
            status = await main_task  # the console's exit status; others return None
            return status if isinstance(status, int) else 0
        return 0
    finally:
        everything = [t for t in [*tasks, main_task] if t is not None]
        for left in everything:
            if not left.done():
                left.cancel()
        _, pending = await asyncio.wait(everything, timeout=STOP_REPORT_AFTER_S)
        for task in pending:  # say what a slow stop waits for, then keep waiting
            log.warning("still stopping after %.0f s: %s", STOP_REPORT_AFTER_S, _where(task))
        await asyncio.gather(*everything, return_exceptions=True)


STOP_REPORT_AFTER_S = 10.0


def _where(task: asyncio.Task) -> str:
    frames = task.get_stack(limit=3)
    if not frames:
        return task.get_name()
    return " <- ".join(
        f"{f.f_code.co_name} ({f.f_code.co_filename.rsplit('/', 1)[-1]}:{f.f_lineno})"
        for f in frames
    )

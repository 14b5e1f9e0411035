"""The web process: signed local media links, health checks (``adapters/web/health.py``),
metrics, billing pages, the gallery and the webhooks.

It speaks HTTP and calls the core; it opens no clients of its own."""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Callable, Sequence
from typing import Protocol

import uvicorn
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from adapters.common.webhooks import NO_WEBHOOK_METER
from adapters.web.billing import billing_routes
from adapters.web.dashboard import dashboard_routes
from adapters.web.gallery import gallery_routes
from adapters.web.health import health_routes
from adapters.web.languages import web_messages
from adapters.web.media import SignedFiles, media_route
from adapters.web.pages import Pages, static_route
from core import Messages

log = logging.getLogger("seedream.web")


class QueueDepth(Protocol):
    def depth(self) -> int: ...


class App(Protocol):
    """What the web process needs of the composition root's application
    (``bot.bootstrap.App`` is one); ``core`` and ``metrics`` are optional, as in tests."""

    @property
    def engine(self) -> AsyncEngine: ...

    @property
    def queue(self) -> QueueDepth: ...

    @property
    def messages(self) -> Messages: ...

    @property
    def local_store(self) -> SignedFiles | None: ...


def create_web_app(app: App, extra_routes: Sequence[BaseRoute] = ()) -> Starlette:
    async def index(request: Request) -> PlainTextResponse:
        return PlainTextResponse("Seedream is running. Talk to the bot in your chat app.\n")

    async def metrics(request: Request) -> Response:
        registry = getattr(app, "metrics", None)
        if registry is None:
            return PlainTextResponse("Not Found", status_code=404)
        try:
            await registry.refresh_from_db(app.engine, app.queue.depth())
        except Exception:
            log.exception("metrics: database unreachable")
            return PlainTextResponse("database unreachable\n", status_code=503)
        body, content_type = registry.render()
        return Response(body, headers={"Content-Type": content_type})

    routes: list[BaseRoute] = [
        Route("/", index),
        Route("/metrics", metrics),
        *health_routes(app),
    ]
    core = getattr(app, "core", None)  # stand-ins in tests may have no core
    if core is not None:
        meter = getattr(app, "metrics", None) or NO_WEBHOOK_METER
        routes.extend(billing_routes(core.billing, app.messages, meter))
    settings = getattr(app, "settings", None)  # bot.settings.Settings in the real process
    if core is not None and settings is not None:
        base_url = settings.resolved_public_base_url()
        pages = Pages(web_messages(app.messages))
        routes.append(static_route())
        secret, secure = settings.resolved_signing_secret(), base_url.startswith("https://")
        routes.extend(gallery_routes(core, pages, secret=secret, secure=secure))
        routes.extend(
            dashboard_routes(
                core,
                pages,
                secret=secret,
                secure=secure,
                operator_allowed=operators_of(settings),
            )
        )
    if app.local_store is not None:
        routes.append(media_route(app.local_store, app.messages))
    routes.extend(extra_routes)  # e.g. the Telegram webhook, in that adapter's process
    return Starlette(routes=routes)


class OwnMetrics(Protocol):
    def render_own(self) -> tuple[bytes, str]: ...


def create_metrics_app(metrics: OwnMetrics) -> Starlette:
    """Only ``/metrics``, with the process's own counters (no database gauges: the web
    process reads those), for a role that serves no web app."""

    async def serve(request: Request) -> Response:
        body, content_type = metrics.render_own()
        return Response(body, headers={"Content-Type": content_type})

    return Starlette(routes=[Route("/metrics", serve)])


def operators_of(settings) -> Callable[[str], bool]:
    """Who may use the dashboard: ``cli``, and the Discord and Telegram ids in the
    operators' settings (ids that are not numbers allow no one of that platform)."""
    allowed: dict[str, frozenset[int]] = {}
    for platform, read in (
        ("discord", settings.discord_admin_user_ids),
        ("telegram", settings.telegram_admin_user_ids),
    ):
        try:
            allowed[platform] = read()
        except ValueError:
            log.error("the %s operator ids are not all numbers: none is allowed", platform)
            allowed[platform] = frozenset()

    def operator_allowed(operator: str) -> bool:
        platform, _, user_id = operator.partition(":")
        if operator == "cli":
            return True
        known = user_id.isascii() and user_id.isdigit()
        return known and int(user_id) in allowed.get(platform, frozenset())

    return operator_allowed


WEB_SHUTDOWN_GRACE_S = 5  # uvicorn takes whole seconds


class WebServer:
    """uvicorn run inside our event loop, on a socket we bind (so a port clash is
    reported before anything else starts)."""

    def __init__(
        self,
        app: App | None,
        *,
        host: str,
        port: int,
        extra_routes: Sequence[BaseRoute] = (),
        asgi: Starlette | None = None,
    ) -> None:
        """Serves ``create_web_app(app, extra_routes)``, or ``asgi`` when given."""
        if asgi is None:
            assert app is not None
            asgi = create_web_app(app, extra_routes)
        self._config = uvicorn.Config(
            asgi,
            log_level="warning",
            access_log=False,
            lifespan="off",
            # A client that keeps a request open must not hold a shutdown forever.
            timeout_graceful_shutdown=WEB_SHUTDOWN_GRACE_S,
        )
        self._server = uvicorn.Server(self._config)
        # IPPROTO_TCP explicitly: asyncio turns on TCP_NODELAY only for sockets whose
        # proto says TCP; without it every response waits ~40 ms for a delayed ACK.
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            self._sock.bind((host, port))
        except OSError:
            self._sock.close()
            raise
        self.port = self._sock.getsockname()[1]

    async def serve(self) -> None:
        try:
            await self._server.serve(sockets=[self._sock])
        except asyncio.CancelledError:
            self._server.should_exit = True
            raise
        finally:
            self._sock.close()

    def stop(self) -> None:
        self._server.should_exit = True

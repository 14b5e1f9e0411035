"""Run an ASGI app under a real uvicorn server on a loopback port, for integration tests;
or call it as a server would (:func:`http_scope`), with no HTTP in between."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from typing import Any

import uvicorn

__all__ = ["http_scope", "serve_asgi"]

STARTUP_TIMEOUT_S = 10.0


def http_scope(method: str, path: str, headers: dict[str, str]) -> dict[str, Any]:
    """The ASGI scope of a plain HTTP/1.1 request from a loopback client (``path``
    without a query string)."""
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }


class _SignallingServer(uvicorn.Server):
    """A uvicorn server that sets an asyncio event once startup has finished."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.startup_done = asyncio.Event()

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        try:
            await super().startup(sockets=sockets)
        finally:
            # Also set on failure, so the waiter wakes up and reports it instead of hanging.
            self.startup_done.set()


async def _run(server: _SignallingServer, sock: socket.socket) -> None:
    try:
        await server.serve(sockets=[sock])
    except SystemExit as exc:
        # uvicorn reports startup failure with sys.exit(); a SystemExit escaping a task
        # would tear down the test's event loop, so turn it into an ordinary error.
        raise RuntimeError(f"uvicorn test server exited with status {exc.code}") from None


@contextlib.asynccontextmanager
async def serve_asgi(app: Any, **config_kwargs: Any) -> AsyncIterator[str]:
    """Serve ``app`` on 127.0.0.1 at an OS-assigned port; yield its base URL.

    The listening socket is bound here (port 0) and handed to uvicorn, so the port is
    known without races. On exit the server is asked to stop and awaited. Extra keyword
    arguments go to ``uvicorn.Config``.

    Raises:
        RuntimeError: the server failed or exited during startup.
        TimeoutError: the server did not start within ``STARTUP_TIMEOUT_S`` seconds.
    """
    # IPPROTO_TCP given explicitly: asyncio sets TCP_NODELAY only on sockets whose proto
    # says TCP, and without it each response waits ~40 ms for a delayed ACK.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.bind(("127.0.0.1", 0))
        host, port = sock.getsockname()[:2]
        options: dict[str, Any] = {
            "log_config": None,  # leave the test process's logging configuration alone
            "access_log": False,
            "ws": "none",  # no websockets needed; avoids importing deprecated ws backends
        }
        options.update(config_kwargs)
        server = _SignallingServer(uvicorn.Config(app, **options))
        serve_task = asyncio.create_task(_run(server, sock), name="uvicorn-test-server")
        try:
            await _wait_started(server, serve_task)
            yield f"http://{host}:{port}"
        finally:
            if server.started:
                server.should_exit = True  # main loop notices within one tick (0.1 s)
            else:
                serve_task.cancel()  # stuck or failed in startup: should_exit is not polled
            with contextlib.suppress(asyncio.CancelledError):
                await serve_task
    finally:
        sock.close()


async def _wait_started(server: _SignallingServer, serve_task: asyncio.Task[None]) -> None:
    started_waiter = asyncio.ensure_future(server.startup_done.wait())
    try:
        async with asyncio.timeout(STARTUP_TIMEOUT_S):
            await asyncio.wait({started_waiter, serve_task}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        started_waiter.cancel()
    if not server.started:
        raise RuntimeError("uvicorn test server did not start")

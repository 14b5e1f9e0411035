"""Start moto's S3 emulation in server mode (real HTTP on a loopback port) for tests."""

from __future__ import annotations

import logging
from collections.abc import Callable

from moto.server import ThreadedMotoServer

__all__ = ["start_moto_server"]


def start_moto_server() -> tuple[str, Callable[[], None]]:
    """Start a moto server on 127.0.0.1 at an OS-assigned port.

    Returns ``(endpoint_url, stop)``; call ``stop()`` exactly once to shut the server
    down and close its listening socket. moto keeps its S3 state in process-global
    backends, shared by every server in the process, so tests use unique bucket names
    instead of relying on a fresh server.
    """
    # werkzeug logs every request at INFO to stderr (thousands of lines in bulk tests);
    # keep warnings and errors, and restore the level when the server stops.
    werkzeug_logger = logging.getLogger("werkzeug")
    previous_level = werkzeug_logger.level
    werkzeug_logger.setLevel(logging.WARNING)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    try:
        server.start()  # returns once the socket is bound and listening
    except BaseException:
        werkzeug_logger.setLevel(previous_level)
        raise
    host, port = server.get_host_and_port()

    def stop() -> None:
        try:
            server.stop()  # werkzeug's serve_forever closes the listening socket on exit
        finally:
            werkzeug_logger.setLevel(previous_level)

    return f"http://{host}:{port}", stop


S3_SECRET = "moto-secret-key-0123456789abcdef"


async def production_settings_update(endpoint: str, redis_url: str) -> dict:
    """Settings fields for the production shape: Redis with a fresh key prefix and a
    fresh bucket on the moto server at ``endpoint`` (created here)."""
    from contextlib import AsyncExitStack
    from uuid import uuid4

    from pydantic import SecretStr

    from core.storage.s3 import ensure_bucket, open_s3_client

    bucket = f"seedream-{uuid4().hex[:12]}"
    async with AsyncExitStack() as stack:
        client = await open_s3_client(
            stack,
            endpoint_url=endpoint,
            region="us-east-1",
            access_key_id="test",
            secret_access_key=S3_SECRET,
        )
        await ensure_bucket(client, bucket)
    return {
        "redis_url": redis_url,
        "redis_prefix": f"t{uuid4().hex[:12]}",
        "s3_bucket": bucket,
        "s3_endpoint_url": endpoint,
        "s3_region": "us-east-1",
        "s3_access_key_id": SecretStr("test"),
        "s3_secret_access_key": SecretStr(S3_SECRET),
    }

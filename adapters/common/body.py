"""Request bodies with a size limit, for every route that takes one.

A body is refused on its ``Content-Length`` before a byte is read, and one sent without
a length (chunked) is read only up to the limit: an unauthenticated client cannot make
the process hold more than ``limit_bytes`` of it.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

__all__ = ["BodyTooLarge", "read_body", "too_large"]


class BodyTooLarge(Exception):
    """The request body is over the route's limit (HTTP 413)."""


async def read_body(request: Request, limit_bytes: int) -> bytes:
    """The whole body, at most ``limit_bytes`` long.

    Raises:
        BodyTooLarge: ``Content-Length`` says more than the limit (nothing is read), or
            the body grew past it while being read (reading stops there).
    """
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > limit_bytes):
        raise BodyTooLarge()
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit_bytes:
            raise BodyTooLarge()
    return bytes(body)


def too_large(body: dict | None = None) -> JSONResponse:
    return JSONResponse(body or {"error": "payload too large"}, status_code=413)

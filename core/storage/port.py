"""ObjectStore port: where images and exports live. Implementations in storage_*.py."""

from __future__ import annotations

from typing import Protocol


class ObjectStore(Protocol):
    """Stores bytes under keys and hands out links that expire.

    Keys are relative, slash-separated, e.g. ``images/12/5f3a.png``; never user input.
    """

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        """Store ``data`` under ``key``, replacing anything there."""

    async def get(self, key: str) -> bytes:
        """Return the bytes under ``key``. Raises ``KeyError`` when absent."""

    async def url(self, key: str, *, expires_s: int) -> str:
        """Return a link that serves ``key`` over HTTP for ``expires_s`` seconds."""

    async def delete_many(self, keys: list[str]) -> int:
        """Delete ``keys`` (absent ones are fine). Returns how many were requested."""

    async def put_file(self, key: str, path: str, content_type: str) -> None:
        """Store the file at ``path`` under ``key`` without reading it all into memory
        (large exports)."""

    async def list_keys(self, prefix: str) -> list[str]:
        """Every key starting with ``prefix`` (a folder such as ``images/12/``)."""

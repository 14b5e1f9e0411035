"""Privacy participants outside the database: object storage, Redis keys, and the
in-process rate-limit windows of the embedded mode. External participants run before
the erasure's transaction and once more after it, so each must be idempotent."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from core.privacy.registry import ErasureContext, ExportContext
from core.storage.port import ObjectStore

if TYPE_CHECKING:
    from redis.asyncio import Redis

    from core.messaging.keys import RedisKeys
    from core.messaging.limits import RateLimiter

_EVENT_KINDS = ("queued", "started", "finished", "failed", "cancelled")
# Rate-limit windows named after a platform identity: /imagine ("user") and /link.
_RATE_SCOPES = ("user", "link")


def image_prefix(account_id: int) -> str:
    return f"images/{account_id}/"


def export_prefix(account_id: int) -> str:
    return f"exports/{account_id}/"


def upload_prefix(account_id: int) -> str:
    return f"uploads/{account_id}/"


class StorageParticipant:
    """Every object of the account: its image and export folders, and any key the
    database recorded elsewhere; deleted in batches (S3: 1,000 keys per request)."""

    name = "storage"
    count_keys: tuple[str, ...] = ("storage_objects",)  # what erase() counts
    tables = ()
    external = True
    order = 0

    def __init__(self, storage: ObjectStore) -> None:
        self._storage = storage

    async def export(self, ctx: ExportContext) -> None:
        return None  # the images are exported with their generations

    async def erase(self, ctx: ErasureContext) -> dict[str, int]:
        account_id = ctx.account_id
        keys = set(ctx.subject.storage_keys)
        for prefix in (
            image_prefix(account_id),
            export_prefix(account_id),
            upload_prefix(account_id),
        ):
            keys.update(await self._storage.list_keys(prefix))
        if keys:
            await self._storage.delete_many(sorted(keys))
        return {"storage_objects": len(keys)}


class RedisParticipant:
    """The user's Redis keys: rate-limit windows (named after the platform identity),
    delivery markers of their jobs, undelivered job events and queue wake-ups that name
    their jobs, and provider slots their jobs hold."""

    name = "redis"
    count_keys: tuple[str, ...] = ("redis_entries",)  # what erase() counts
    tables = ()
    external = True
    order = 0

    def __init__(self, redis: Redis, keys: RedisKeys) -> None:
        self._redis = redis
        self._keys = keys

    async def export(self, ctx: ExportContext) -> None:
        return None  # short-lived counters and markers: nothing a user would read

    async def erase(self, ctx: ErasureContext) -> dict[str, int]:
        subject = ctx.subject
        names = [
            self._keys.rate(scope, f"{p}:{uid}")
            for p, uid in subject.identities
            for scope in _RATE_SCOPES
        ]
        names += [self._keys.delivered(j, kind) for j in subject.job_ids for kind in _EVENT_KINDS]
        removed = 0
        for start in range(0, len(names), 500):
            removed += int(await self._redis.delete(*names[start : start + 500]))
        job_ids = set(subject.job_ids)
        streams = [self._keys.jobs_stream]
        streams += [k async for k in self._redis.scan_iter(match=self._keys.events_stream("*"))]
        for stream in streams:
            removed += await self._drop_entries(stream, job_ids, subject.account_id)
        async for cap in self._redis.scan_iter(match=self._keys.cap("*")):
            if job_ids:
                removed += int(await self._redis.zrem(cap, *job_ids))
        return {"redis_entries": removed}

    async def _drop_entries(self, stream, job_ids: set[str], account_id: int) -> int:
        """XDEL the stream entries (job wake-ups, undelivered events) whose payload names
        one of ``job_ids`` or the account (a billing notice names no job)."""
        if isinstance(stream, bytes):
            stream = stream.decode()
        doomed: list[bytes | str] = []
        start = "-"
        while True:
            batch = await self._redis.xrange(stream, min=start, max="+", count=1000)
            if not batch:
                break
            for entry_id, fields in batch:
                if entry_id is not None and _names_subject(fields, job_ids, account_id):
                    doomed.append(entry_id)
            last = batch[-1][0]
            assert last is not None  # XRANGE lists existing entries: each has an id
            start = "(" + (last.decode() if isinstance(last, bytes) else last)
            if len(batch) < 1000:
                break
        for i in range(0, len(doomed), 500):
            await self._redis.xdel(stream, *doomed[i : i + 500])
        return len(doomed)


def _names_subject(fields, job_ids: set[str], account_id: int) -> bool:
    try:
        payload = json.loads((fields or {}).get(b"p", b"null"))
    except ValueError:
        return False  # not ours to judge: a poison entry the consumers drop
    return isinstance(payload, dict) and (
        payload.get("job_id") in job_ids or payload.get("account_id") == account_id
    )


class InProcessLimitsParticipant:
    """Embedded mode: the in-process rate-limit windows named after the identity."""

    name = "limits"
    count_keys: tuple[str, ...] = ("rate_windows",)  # what erase() counts
    tables = ()
    external = True
    order = 0

    def __init__(self, rates: RateLimiter) -> None:
        self._rates = rates

    async def export(self, ctx: ExportContext) -> None:
        return None

    async def erase(self, ctx: ErasureContext) -> dict[str, int]:
        forget = getattr(self._rates, "forget", None)
        removed = 0
        if forget is not None:
            for platform, uid in ctx.subject.identities:
                for scope in _RATE_SCOPES:
                    removed += forget(scope, f"{platform}:{uid}")
        return {"rate_windows": removed}

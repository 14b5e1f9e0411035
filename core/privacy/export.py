"""/mydata: one ZIP of everything we hold about a user, streamed to object storage.

The archive is written to a temporary file (images one at a time, never all in memory)
and uploaded from it (S3: in parts). Layout and schema: ``docs/export-format.md``.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import os
import tempfile
import uuid
import zipfile
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection

from core.clock import utcnow
from core.db.engine import UnitOfWorkFactory
from core.db.tables import accounts, exports
from core.errors import ExportTooSoon
from core.privacy.participants import export_prefix
from core.privacy.registry import ObjectRef, PrivacyRegistry, Subject, collect_subject
from core.storage.port import ObjectStore

log = logging.getLogger("seedream.privacy")

FORMAT_NAME = "seedream-export"
FORMAT_VERSION = 1
JSON_FILES = ("account.json", "credits.json", "generations.json")
PREFETCH = 16  # objects fetched ahead of the one being written ...
PREFETCH_BYTES = 16 * 1024 * 1024  # ... and at most this many bytes of them
UNKNOWN_SIZE_BYTES = 1024 * 1024

README = """Your Seedream data export
=========================

This archive holds everything the bot stores about you, as of {created_at} (UTC).

account.json      your profile, platform identities, preferences (including whether you
                  allowed training use of your prompts, and whether product analytics
                  is on, with the random id its events carry), terms and 13+ confirmation, every
                  consent with its date and policy version, your earlier exports, and
                  what is kept for abuse prevention (abuse_prevention: the welcome
                  credits or promo codes your identity had, and "erased" with the time
                  it was erased, if it was; a keyed hash of the identity is kept for
                  these, and survives /forgetme: so that these credits are not given
                  twice, and so that restoring an older backup erases you again).
credits.json      your credit balance and every credit movement (ledger), and payment
                  records when the bot sells credits.
generations.json  every generation: prompt, negative prompt, model, settings, status,
                  times, and the files of its images in this archive.
images/           the images themselves, named <job id>-<position>.<extension>, each
                  with the smaller preview shown in chats (<job id>-<position>.preview.jpg).
uploads.json      the reference images you brought to /imagine, as the bot keeps them.
uploads/          those images: the stored copy, without the metadata (such as the place
                  a photo was taken) the original carried.
manifest.json     the SHA-256 checksum and size of every other file in this archive, and
                  any image that could no longer be found in storage.

The format is documented in the project's docs/export-format.md (format {format_name},
version {version}). The download link expires; ask /mydata again for a new export.
"""


@dataclass(frozen=True, slots=True)
class ExportResult:
    export_id: str
    url: str
    expires_at: datetime
    size_bytes: int
    file_count: int
    image_count: int


class _ZipExport:
    """The :class:`core.privacy.ExportContext` participants write into."""

    def __init__(
        self, conn: AsyncConnection, subject: Subject, storage: ObjectStore, zf: zipfile.ZipFile
    ) -> None:
        self.conn = conn
        self.subject = subject
        self._storage = storage
        self._zip = zf
        self.json: dict[str, dict[str, Any]] = {name: {} for name in JSON_FILES}
        self.files: list[dict[str, Any]] = []
        self.missing: list[str] = []
        self.objects: list[ObjectRef] = []
        self.images = 0

    def add_json(self, file: str, section: str, value: Any) -> None:
        if section in self.json.setdefault(file, {}):
            raise ValueError(f"{file}: section {section!r} written twice")
        self.json[file][section] = value

    def add_object(
        self,
        path: str,
        storage_key: str,
        *,
        size_bytes: int | None = None,
        derivative: bool = False,
    ) -> ObjectRef:
        ref = ObjectRef(path, storage_key, size_bytes=size_bytes, derivative=derivative)
        self.objects.append(ref)
        return ref

    async def stream_objects(self) -> None:
        """Write the objects in order, fetching ahead up to ``PREFETCH`` objects or
        ``PREFETCH_BYTES`` (never every image in memory); an object that is gone is
        recorded as missing."""
        pending: deque[tuple[int, asyncio.Task[bytes | None]]] = deque()
        waiting = deque(self.objects)
        in_flight_bytes = 0

        def fetch_ahead() -> None:
            nonlocal in_flight_bytes
            while waiting and len(pending) < PREFETCH:
                size = waiting[0].size_bytes or UNKNOWN_SIZE_BYTES
                if pending and in_flight_bytes + size > PREFETCH_BYTES:
                    return
                ref = waiting.popleft()
                in_flight_bytes += size
                pending.append((size, asyncio.ensure_future(self._fetch(ref.storage_key))))

        try:
            fetch_ahead()
            for ref in self.objects:
                size, task = pending.popleft()
                data = await task
                in_flight_bytes -= size
                fetch_ahead()
                ref.present = data is not None
                if data is None:
                    self.missing.append(ref.path)
                    continue
                await asyncio.to_thread(self._write, ref.path, data, zipfile.ZIP_STORED)
                if not ref.derivative:  # a preview is not one more image
                    self.images += 1
        finally:
            for _, task in pending:
                task.cancel()

    async def _fetch(self, storage_key: str) -> bytes | None:
        try:
            return await self._storage.get(storage_key)
        except KeyError:
            return None

    def _write(self, path: str, data: bytes, compression: int) -> None:
        self._zip.writestr(zipfile.ZipInfo(path, date_time=_zip_time()), data, compression)
        self.files.append(
            {"path": path, "sha256": hashlib.sha256(data).hexdigest(), "size_bytes": len(data)}
        )

    async def finish(self, created_at: datetime) -> None:
        for name, sections in self.json.items():
            body = {"format": FORMAT_NAME, "version": FORMAT_VERSION, **sections}
            data = json.dumps(
                body, indent=2, ensure_ascii=False, sort_keys=True, default=_ref_path
            ).encode()
            await asyncio.to_thread(self._write, name, data, zipfile.ZIP_DEFLATED)
        readme = README.format(
            created_at=created_at.isoformat(timespec="seconds"),
            format_name=FORMAT_NAME,
            version=FORMAT_VERSION,
        ).encode()
        await asyncio.to_thread(self._write, "README.txt", readme, zipfile.ZIP_DEFLATED)
        manifest = {
            "format": FORMAT_NAME,
            "version": FORMAT_VERSION,
            "created_at": created_at.isoformat(),
            "files": sorted(self.files, key=lambda f: f["path"]),
            "missing_objects": sorted(self.missing),
        }
        data = json.dumps(manifest, indent=2, sort_keys=True).encode()
        await asyncio.to_thread(
            self._zip.writestr,
            zipfile.ZipInfo("manifest.json", date_time=_zip_time()),
            data,
            zipfile.ZIP_DEFLATED,
        )


def _ref_path(value: object) -> str | None:
    if isinstance(value, ObjectRef):
        return value.path if value.present else None
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def _zip_time() -> tuple[int, int, int, int, int, int]:
    now = utcnow()
    return (now.year, now.month, now.day, now.hour, now.minute, now.second)


async def reserve_export(
    uow: UnitOfWorkFactory, account_id: int, *, interval_s: int, link_ttl_s: int
) -> tuple[str, str]:
    """Record a new export for ``account_id`` (one per ``interval_s``); returns (id, key).

    Raises:
        ExportTooSoon: the last export is younger than ``interval_s``.
    """
    now = utcnow()
    export_id = uuid.uuid4().hex
    key = f"{export_prefix(account_id)}{export_id}.zip"
    async with uow() as tx:
        # Lock the account row (SQLite: BEGIN IMMEDIATE already serialises writers), so
        # two concurrent /mydata cannot both pass the check.
        await tx.conn.execute(
            select(accounts.c.id).where(accounts.c.id == account_id).with_for_update()
        )
        last = await tx.conn.scalar(
            select(exports.c.created_at)
            .where(exports.c.account_id == account_id)
            .order_by(exports.c.created_at.desc())
            .limit(1)
        )
        if last is not None and (now - last).total_seconds() < interval_s:
            raise ExportTooSoon(retry_after_s=interval_s - (now - last).total_seconds())
        await tx.conn.execute(
            exports.insert().values(
                id=export_id,
                account_id=account_id,
                status="building",
                storage_key=key,
                created_at=now,
                expires_at=now + timedelta(seconds=link_ttl_s),
            )
        )
        await tx.commit()
    return export_id, key


async def build_export(
    uow: UnitOfWorkFactory,
    registry: PrivacyRegistry,
    storage: ObjectStore,
    account_id: int,
    *,
    interval_s: int,
    link_ttl_s: int,
    spool_dir: str | None = None,
) -> ExportResult:
    """Build, upload and link one export of ``account_id``.

    Raises:
        ExportTooSoon: an export was made less than ``interval_s`` ago.
        Whatever storage raises (the reservation is then withdrawn, so a retry works).
    """
    export_id, key = await reserve_export(
        uow, account_id, interval_s=interval_s, link_ttl_s=link_ttl_s
    )
    fd, path = tempfile.mkstemp(prefix="seedream-export-", suffix=".zip", dir=spool_dir)
    os.close(fd)
    try:
        created_at = utcnow()
        with zipfile.ZipFile(path, "w", allowZip64=True) as zf:
            async with uow() as tx:  # short: the reads only, as one snapshot
                if tx.conn.dialect.name == "postgresql":
                    await tx.conn.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"))
                subject = await collect_subject(tx.conn, account_id)
                archive = _ZipExport(tx.conn, subject, storage, zf)
                for participant in registry.participants:
                    await participant.export(archive)
            await archive.stream_objects()  # no transaction (nor SQLite lock) held
            await archive.finish(created_at)
        size_bytes, digest = await asyncio.to_thread(_size_and_sha256, path)
        await storage.put_file(key, path, "application/zip")
        async with uow() as tx:
            row = (
                await tx.conn.execute(
                    update(exports)
                    .where(exports.c.id == export_id)
                    .values(status="ready", size_bytes=size_bytes, sha256=digest)
                    .returning(exports.c.expires_at)
                )
            ).one()
            await tx.commit()
        url = await storage.url(key, expires_s=link_ttl_s)
    except BaseException:
        await asyncio.shield(_withdraw(uow, storage, export_id, key))
        raise
    finally:
        os.unlink(path)
    log.info("export ready files=%d bytes=%d", len(archive.files) + 1, size_bytes)
    return ExportResult(
        export_id=export_id,
        url=url,
        expires_at=row.expires_at,
        size_bytes=size_bytes,
        file_count=len(archive.files) + 1,
        image_count=archive.images,
    )


async def _withdraw(uow: UnitOfWorkFactory, storage: ObjectStore, export_id: str, key: str) -> None:
    async with uow() as tx:
        await tx.conn.execute(delete(exports).where(exports.c.id == export_id))
        await tx.commit()
    await storage.delete_many([key])


def _size_and_sha256(path: str) -> tuple[int, str]:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1024 * 1024), b""):
            digest.update(chunk)
    return os.path.getsize(path), digest.hexdigest()

"""`seedream backup` and `seedream restore` (docs/backups.md): the wiring. The work is in
``core.db.backup`` (with ``core.db.dump`` and ``core.storage.inventory``) and, for the
erasures made since the backup, ``core.privacy.replay``."""

from __future__ import annotations

import sys
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from pathlib import Path

from bot.bootstrap import bootstrap
from bot.migrate import upgrade
from bot.services import open_storage, secret_value
from bot.settings import Settings
from core.db.backup import Manifest, create_backup, read_manifest, restore_database
from core.db.dump import BackupError, DatabaseNotEmpty
from core.db.engine import make_engine
from core.storage.inventory import ObjectCheck, bring_back, check_objects
from core.storage.local import LocalObjectStore
from core.storage.port import ObjectStore

S3_SCHEME = "s3://"


async def open_target(settings: Settings, spec: str, stack: AsyncExitStack) -> ObjectStore:
    """The second place objects are copied to (or brought back from): ``s3://BUCKET`` or
    ``s3://BUCKET/PREFIX/`` on the configured S3 service and credentials, else a folder."""
    if spec.startswith(S3_SCHEME):
        from core.storage.s3 import S3ObjectStore, ensure_bucket, open_s3_client

        bucket, _, prefix = spec[len(S3_SCHEME) :].partition("/")
        if not bucket:
            raise BackupError(f"no bucket in {spec!r} (expected s3://BUCKET[/PREFIX/])")
        client = await open_s3_client(
            stack,
            endpoint_url=settings.s3_endpoint_url,
            region=settings.s3_region,
            access_key_id=secret_value(settings.s3_access_key_id),
            secret_access_key=secret_value(settings.s3_secret_access_key),
        )
        await ensure_bucket(client, bucket)
        if prefix and not prefix.endswith("/"):
            prefix += "/"
        return S3ObjectStore(client, bucket=bucket, key_prefix=prefix)
    return LocalObjectStore(
        Path(spec),
        public_base_url=settings.resolved_public_base_url(),  # never linked to
        signing_secret=settings.resolved_signing_secret(),
    )


async def run_backup(settings: Settings, dest: Path, *, copy_objects: str | None = None):
    """Back up the configured database and storage into a new folder under ``dest``.
    Returns (folder, manifest)."""
    async with AsyncExitStack() as stack:
        storage = await open_storage(settings, stack)
        copy_to = await open_target(settings, copy_objects, stack) if copy_objects else None
        return await create_backup(
            settings.resolved_database_url(),
            storage,
            dest,
            copy_to=copy_to,
            copy_label=copy_objects,
        )


@dataclass
class RestoreResult:
    manifest: Manifest
    applied_migrations: int
    objects: ObjectCheck
    journal_entries_read: int = 0
    accounts_erased_again: list[int] = field(default_factory=list)
    brought_back: int = 0
    not_in_copy: list[str] = field(default_factory=list)


async def run_restore(
    settings: Settings, folder: Path, *, force: bool = False, objects_from: str | None = None
) -> RestoreResult:
    """Restore the backup in ``folder`` into the configured (empty) database, bring it to
    this version's schema, put back from ``objects_from`` the objects storage lacks,
    replay the erasure journal (through ``bootstrap``, as every role does at start) and
    check every object of the manifest.

    Raises:
        BackupError: the backup is unusable or a step failed (``DatabaseNotEmpty``: the
            target holds tables and ``force`` is off; nothing changed then).
    """
    manifest = read_manifest(folder)
    url = settings.resolved_database_url()
    await restore_database(folder, manifest, url, force=force)
    async with AsyncExitStack() as stack:
        engine = make_engine(url)
        stack.push_async_callback(engine.dispose)
        applied = await upgrade(engine)
        storage = await open_storage(settings, stack)
        brought, unusable = 0, list[str]()
        if objects_from:
            copy = await open_target(settings, objects_from, stack)
            brought, unusable = await bring_back(copy, storage, manifest.objects)
        # bootstrap replays the erasure journal before it hands the application over.
        async with bootstrap(settings, engine=engine, storage=storage, migrate=False) as app:
            replay = app.journal_replay
            assert replay is not None
            check = await check_objects(
                storage,
                manifest.objects,
                erased_keys=replay.erased_keys(),
                erased_prefixes=replay.erased_prefixes(),
            )
    return RestoreResult(
        manifest=manifest,
        applied_migrations=applied,
        objects=check,
        journal_entries_read=replay.entries_read,
        accounts_erased_again=list(replay.accounts_erased),
        brought_back=brought,
        not_in_copy=unusable,
    )


async def backup_command(settings: Settings, dest: Path, copy_objects: str | None) -> int:
    try:
        folder, manifest = await run_backup(settings, dest, copy_objects=copy_objects)
    except BackupError as exc:
        print(f"seedream: backup failed: {exc}", file=sys.stderr)
        return 2
    total = sum(entry.size_bytes for entry in manifest.objects)
    print(f"backup written to {folder}")
    print(f"database: {manifest.dialect}, revision {manifest.revision or 'none'}")
    print(f"objects: {len(manifest.objects)} listed ({total} bytes)", end="")
    print(f", copied to {copy_objects}" if copy_objects else " (not copied)")
    return 0


async def restore_command(
    settings: Settings, folder: Path, *, force: bool, objects_from: str | None
) -> int:
    try:
        result = await run_restore(settings, folder, force=force, objects_from=objects_from)
    except DatabaseNotEmpty as exc:
        print(
            f"seedream: restore refused: {exc}; restore into a fresh database, or pass "
            "--force to drop everything in it first",
            file=sys.stderr,
        )
        return 2
    except BackupError as exc:
        print(f"seedream: restore failed: {exc}", file=sys.stderr)
        return 2
    manifest, check = result.manifest, result.objects
    print(
        f"database restored from the backup of {manifest.started_at:%Y-%m-%d %H:%M:%S} UTC "
        f"(revision {manifest.revision or 'none'}; {result.applied_migrations} "
        "migrations applied since)"
    )
    print(
        f"erasure journal: {result.journal_entries_read} entries read, "
        f"{len(result.accounts_erased_again)} accounts erased again"
    )
    if objects_from:
        print(f"objects brought back from {objects_from}: {result.brought_back}")
        for key in result.not_in_copy:
            print(f"  not in the copy (or other bytes there): {key}")
    print(
        f"objects: {len(check.present)} present, {len(check.missing)} missing, "
        f"{len(check.mismatched)} with other bytes, {len(check.erased)} of erased users gone"
    )
    for key in check.missing:
        print(f"  missing: {key}")
    for key in check.mismatched:
        print(f"  other bytes: {key}")
    return 0 if check.ok else 1

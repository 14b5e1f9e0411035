"""Backups that restore (issue 19): a backup, as a folder, and the restore of its
database. ``bot/backup.py`` is the command line (``seedream backup``, ``seedream
restore``), docs/backups.md the guide; the dumps are ``core.db.dump``'s, the objects'
inventory ``core.storage.inventory``'s, and the erasure journal a restore replays
(``core.privacy.journal``) is never part of a backup.

``create_backup`` writes ``<dest>/seedream-<UTC time>/`` holding the database dump
(``database.pgdump`` or ``database.sqlite``) and, last, ``manifest.json``: a folder
without a manifest is an unfinished backup. The manifest::

    {"format": 1, "started_at": "…", "finished_at": "…",
     "database": {"dialect": "postgresql", "file": "database.pgdump", "size_bytes": …,
                  "sha256": "…", "revision": "0021"},
     "objects": [{"key": "images/3/…/0.png", "size_bytes": …, "sha256": "…"}, …],
     "objects_copied_to": "s3://second-bucket" | "a folder" | null}

The dump comes first, the object inventory after it: an object the database names
existed when the inventory was taken, unless it was deleted in between (then the restore
reports it missing). ``started_at`` is taken before the dump: erasures after it are
replayed after a restore (``core.privacy.replay`` works it out from the journal and the
database itself, not from this time).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from core.clock import Clock, utcnow
from core.db.dump import (
    BackupError,
    DatabaseNotEmpty,
    backup_sqlite,
    current_revision,
    dump_postgres,
    empty_postgres,
    postgres_is_empty,
    restore_postgres,
    restore_sqlite,
    sqlite_is_empty,
    sqlite_path,
)
from core.db.engine import make_engine
from core.storage.inventory import BackupCopyError, ObjectEntry, copy_objects, inventory
from core.storage.port import ObjectStore

__all__ = ["MANIFEST", "Manifest", "create_backup", "read_manifest", "restore_database"]

MANIFEST = "manifest.json"
FORMAT = 1
_FILES = {"postgresql": "database.pgdump", "sqlite": "database.sqlite"}


@dataclass
class Manifest:
    started_at: datetime
    finished_at: datetime
    dialect: str
    database_file: str
    database_size_bytes: int
    database_sha256: str
    revision: str | None
    objects: list[ObjectEntry] = field(default_factory=list)
    objects_copied_to: str | None = None

    def as_json(self) -> dict[str, object]:
        return {
            "format": FORMAT,
            "started_at": self.started_at.isoformat(),
            "finished_at": self.finished_at.isoformat(),
            "database": {
                "dialect": self.dialect,
                "file": self.database_file,
                "size_bytes": self.database_size_bytes,
                "sha256": self.database_sha256,
                "revision": self.revision,
            },
            "objects": [entry.as_json() for entry in self.objects],
            "objects_copied_to": self.objects_copied_to,
        }

    @classmethod
    def from_json(cls, value: dict) -> Manifest:
        if value.get("format") != FORMAT:
            raise BackupError(f"unknown backup format {value.get('format')!r}")
        database = value["database"]
        return cls(
            started_at=datetime.fromisoformat(value["started_at"]),
            finished_at=datetime.fromisoformat(value["finished_at"]),
            dialect=str(database["dialect"]),
            database_file=str(database["file"]),
            database_size_bytes=int(database["size_bytes"]),
            database_sha256=str(database["sha256"]),
            revision=database.get("revision"),
            objects=[ObjectEntry.from_json(entry) for entry in value["objects"]],
            objects_copied_to=value.get("objects_copied_to"),
        )


def dialect_of(url: str) -> str:
    """``postgresql`` or ``sqlite`` (the driver left out).

    Raises:
        BackupError: another database.
    """
    name = make_url(url).get_backend_name()
    if name not in _FILES:
        raise BackupError(f"cannot back up a {name} database (PostgreSQL or SQLite only)")
    return name


def _sha256_file(path: Path) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as f:
        while chunk := f.read(1024 * 1024):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


async def create_backup(
    url: str,
    store: ObjectStore,
    dest: Path,
    *,
    copy_to: ObjectStore | None = None,
    copy_label: str | None = None,
    clock: Clock = utcnow,
) -> tuple[Path, Manifest]:
    """Back up the database at ``url`` and the inventory of ``store`` into a new folder
    under ``dest``; with ``copy_to``, copy the objects there too (``copy_label`` names it
    in the manifest). Returns the folder and its manifest.

    Raises:
        ToolMissing: PostgreSQL without pg_dump on PATH.
        BackupError: the dump failed, or an object changed while it was copied.
        Whatever the stores raise.
    """
    dialect = dialect_of(url)
    started = clock()
    folder = dest / f"seedream-{started:%Y%m%dT%H%M%SZ}"
    suffix = 1
    while folder.exists():
        suffix += 1
        folder = dest / f"seedream-{started:%Y%m%dT%H%M%SZ}-{suffix}"
    folder.mkdir(parents=True)
    engine = make_engine(url)
    try:
        revision = await current_revision(engine)
    finally:
        await engine.dispose()
    database = folder / _FILES[dialect]
    if dialect == "postgresql":
        await dump_postgres(url, database)
    else:
        await backup_sqlite(sqlite_path(url), database)
    size, sha256 = await asyncio.to_thread(_sha256_file, database)
    entries = await inventory(store)
    if copy_to is not None:
        try:
            await copy_objects(store, copy_to, entries)
        except BackupCopyError as exc:
            raise BackupError(str(exc)) from exc
    manifest = Manifest(
        started_at=started,
        finished_at=clock(),
        dialect=dialect,
        database_file=database.name,
        database_size_bytes=size,
        database_sha256=sha256,
        revision=revision,
        objects=entries,
        objects_copied_to=copy_label if copy_to is not None else None,
    )
    partial = folder / f".{MANIFEST}.part"
    partial.write_text(json.dumps(manifest.as_json(), indent=1), encoding="utf-8")
    os.replace(partial, folder / MANIFEST)
    return folder, manifest


def read_manifest(folder: Path) -> Manifest:
    """The manifest of the backup in ``folder``, its database file checked.

    Raises:
        BackupError: no manifest (an unfinished backup), an unknown format, or a
            database file that is not the one the manifest describes.
    """
    path = folder / MANIFEST
    if not path.is_file():
        raise BackupError(f"{folder} holds no {MANIFEST}: not a finished backup")
    try:
        manifest = Manifest.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, KeyError, TypeError) as exc:
        raise BackupError(f"{path} is not a backup manifest: {exc}") from exc
    database = folder / manifest.database_file
    if not database.is_file():
        raise BackupError(f"the backup's database file {manifest.database_file} is missing")
    if _sha256_file(database) != (manifest.database_size_bytes, manifest.database_sha256):
        raise BackupError(f"the backup's database file {manifest.database_file} is damaged")
    return manifest


async def restore_database(folder: Path, manifest: Manifest, url: str, *, force: bool) -> None:
    """Restore the backup's database into the database at ``url``, which must be empty
    (no table) unless ``force``: then everything in it is dropped first.

    Raises:
        DatabaseNotEmpty: the target holds tables and ``force`` is off (nothing changed).
        BackupError: the backup is of the other kind of database, or the restore failed.
        ToolMissing: PostgreSQL without pg_restore on PATH.
    """
    dialect = dialect_of(url)
    if dialect != manifest.dialect:
        raise BackupError(
            f"this backup is of a {manifest.dialect} database; the target is {dialect}"
        )
    database = folder / manifest.database_file
    if dialect == "sqlite":
        target = sqlite_path(url)
        if not force and not await sqlite_is_empty(target):
            raise DatabaseNotEmpty(f"the SQLite database {target} is not empty")
        await restore_sqlite(database, target)
        return
    engine = make_engine(url)
    try:
        if not await postgres_is_empty(engine):
            if not force:
                name = make_url(url).database
                raise DatabaseNotEmpty(f"the PostgreSQL database {name} is not empty")
            await empty_postgres(engine)
    finally:
        await engine.dispose()
    await restore_postgres(url, database)

"""Database dumps and restores.

* PostgreSQL: ``pg_dump --format=custom`` (one transaction, so one consistent snapshot,
  taken while the bot runs) and ``pg_restore --single-transaction`` into an empty
  database. The tools come from the PostgreSQL client package and must be of the server's
  major version or newer. Connection details go to them as libpq environment variables,
  so that a password never shows in a process list.
* SQLite: the online backup API (``sqlite3.Connection.backup``), which copies a
  consistent image of the file while other connections keep writing; a restore copies
  the backup into a temporary file beside the target and renames it into place.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
import tempfile
from contextlib import closing as _closing
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

__all__ = [
    "BackupError",
    "DatabaseNotEmpty",
    "ToolMissing",
    "backup_sqlite",
    "current_revision",
    "dump_postgres",
    "empty_postgres",
    "find_tool",
    "libpq_env",
    "postgres_is_empty",
    "restore_postgres",
    "restore_sqlite",
    "sqlite_is_empty",
    "sqlite_path",
]

PG_CLIENT_HINT = (
    "install the PostgreSQL client tools, of the server's major version or newer "
    "(Debian and Ubuntu: apt-get install postgresql-client; other versions from the "
    "PostgreSQL apt repository, apt.postgresql.org)"
)

# Schemas that belong to PostgreSQL itself: never counted, never dropped.
_SYSTEM_SCHEMAS = "('pg_catalog', 'information_schema')"
_USER_RELATIONS = text(
    "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    f"WHERE n.nspname NOT IN {_SYSTEM_SCHEMAS} AND n.nspname NOT LIKE 'pg_toast%' "
    "AND n.nspname NOT LIKE 'pg_temp%' AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')"
)
_USER_SCHEMAS = text(
    "SELECT nspname FROM pg_namespace "
    f"WHERE nspname NOT IN {_SYSTEM_SCHEMAS} AND nspname NOT LIKE 'pg_toast%' "
    "AND nspname NOT LIKE 'pg_temp%'"
)


class BackupError(RuntimeError):
    """A backup or restore step failed; the message says which and why (one line)."""


class ToolMissing(BackupError):
    """``pg_dump`` or ``pg_restore`` is not on PATH."""


class DatabaseNotEmpty(BackupError):
    """The restore target holds tables already (``--force`` empties it first)."""


def find_tool(name: str, *, path: str | None = None) -> str:
    """The full path of the PostgreSQL client tool ``name`` found on PATH (or ``path``).

    Raises:
        ToolMissing: it is not there; the message says what to install.
    """
    found = shutil.which(name, path=path)
    if found is None:
        raise ToolMissing(f"{name} was not found on PATH: {PG_CLIENT_HINT}")
    return found


def libpq_env(url: str) -> dict[str, str]:
    """The libpq variables (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE, PGSSLMODE)
    for the SQLAlchemy URL ``url``."""
    parsed = make_url(url)
    env = {
        "PGHOST": parsed.host,
        "PGPORT": str(parsed.port) if parsed.port else None,
        "PGUSER": parsed.username,
        "PGPASSWORD": parsed.password if isinstance(parsed.password, str) else None,
        "PGDATABASE": parsed.database,
    }
    ssl = parsed.query.get("sslmode") or parsed.query.get("ssl")
    if isinstance(ssl, str):
        env["PGSSLMODE"] = {"true": "require", "false": "disable"}.get(ssl.lower(), ssl)
    return {name: value for name, value in env.items() if value}


async def _run(argv: list[str], url: str, what: str) -> None:
    env = {**os.environ, **libpq_env(url)}
    process = await asyncio.create_subprocess_exec(
        *argv,
        env=env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, stderr = await process.communicate()
    if process.returncode != 0:
        lines = stderr.decode("utf-8", "replace").strip().splitlines()
        detail = lines[-1] if lines else f"exit status {process.returncode}"
        raise BackupError(f"{what} failed: {detail}")


async def dump_postgres(url: str, path: Path, *, pg_dump: str | None = None) -> None:
    """Dump the database at ``url`` into ``path`` (custom format, one snapshot).

    Raises:
        ToolMissing: no pg_dump.
        BackupError: pg_dump failed (its last line of error output is in the message).
    """
    tool = pg_dump or find_tool("pg_dump")
    await _run([tool, "--format=custom", "--no-password", f"--file={path}"], url, "pg_dump")


async def restore_postgres(url: str, path: Path, *, pg_restore: str | None = None) -> None:
    """Restore the dump at ``path`` into the (empty) database at ``url``, all or nothing.
    Owners and privileges are left out: the restoring role owns everything.

    Raises:
        ToolMissing: no pg_restore.
        BackupError: pg_restore failed (nothing was restored).
    """
    tool = pg_restore or find_tool("pg_restore")
    database = libpq_env(url).get("PGDATABASE", "")
    argv = [
        tool,
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        "--no-password",
        f"--dbname={database}",
        str(path),
    ]
    await _run(argv, url, "pg_restore")


async def postgres_is_empty(engine: AsyncEngine) -> bool:
    """True when the database holds no table, view or sequence outside PostgreSQL's own."""
    async with engine.connect() as conn:
        return int(await conn.scalar(_USER_RELATIONS) or 0) == 0


async def empty_postgres(engine: AsyncEngine) -> None:
    """Drop every schema but PostgreSQL's own, with everything in it, and make an empty
    ``public`` (``seedream restore --force``)."""
    async with engine.begin() as conn:
        for name in list((await conn.execute(_USER_SCHEMAS)).scalars()):
            quoted = name.replace('"', '""')
            await conn.execute(text(f'DROP SCHEMA "{quoted}" CASCADE'))
        await conn.execute(text("CREATE SCHEMA public"))


async def current_revision(engine: AsyncEngine) -> str | None:
    """The Alembic revision of the database (None before the first migration)."""
    async with engine.connect() as conn:
        try:
            return await conn.scalar(text("SELECT version_num FROM alembic_version"))
        except DBAPIError:  # no such table: never migrated
            await conn.rollback()
            return None


def sqlite_path(url: str) -> Path:
    """The file of a SQLite URL.

    Raises:
        BackupError: an in-memory database (nothing to back up or restore).
    """
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up or restored")
    return Path(database)


async def backup_sqlite(source: Path, target: Path) -> None:
    """Copy a consistent image of the SQLite file ``source`` into ``target``.

    Raises:
        BackupError: ``source`` does not exist.
        sqlite3.Error: SQLite failed.
    """

    def copy() -> None:
        if not source.is_file():
            raise BackupError(f"no SQLite database at {source}")
        _copy_sqlite(source, target)

    await asyncio.to_thread(copy)


async def sqlite_is_empty(path: Path) -> bool:
    """True when there is no file at ``path`` or it holds no table."""

    def count() -> int:
        if not path.exists():
            return 0
        with _closing(sqlite3.connect(path)) as conn:
            return int(conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0])

    return await asyncio.to_thread(count) == 0


async def restore_sqlite(backup: Path, target: Path) -> None:
    """Put the SQLite backup ``backup`` at ``target`` (replacing any file there: the
    caller checked it was empty, or was told to force). The copy is made beside the
    target and renamed into place, so a crash leaves the old file or the new one."""

    def restore() -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            _copy_sqlite(backup, tmp)
            for suffix in ("-wal", "-shm", "-journal"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)
            os.replace(tmp, target)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise

    await asyncio.to_thread(restore)


def _copy_sqlite(source: Path, target: Path) -> None:
    with (
        _closing(sqlite3.connect(source)) as src,
        _closing(sqlite3.connect(target)) as dst,
    ):
        src.backup(dst)

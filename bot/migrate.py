"""Apply the Alembic revisions in migrations/ to a database."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(url: str | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


async def upgrade(engine: AsyncEngine, revision: str = "head") -> int:
    """Bring the database behind ``engine`` to ``revision`` (idempotent); returns how many
    migrations this call applied (0 when it was already there)."""
    if engine.dialect.name == "sqlite":
        database = engine.url.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)

    def _upgrade(connection) -> int:
        cfg = alembic_config()
        cfg.attributes["connection"] = connection
        applied: list[str] = []

        def _record(step, **_kw) -> None:
            applied.append(str(step))

        # Alembic calls on_version_apply once for each revision it runs.
        cfg.attributes["on_version_apply"] = _record
        command.upgrade(cfg, revision)
        return len(applied)

    async with engine.connect() as conn:
        applied_count = await conn.run_sync(_upgrade)
        await conn.commit()
    return applied_count


class NotUpgraded(Exception):
    """The database's schema is not the one this version needs (never upgraded, or
    upgraded by an older version): `seedream db upgrade` brings it there."""

    def __init__(self, current: str | None, head: str) -> None:
        super().__init__(f"database at revision {current or 'none'}, this version needs {head}")
        self.current = current
        self.head = head


def head_revisions() -> tuple[str, ...]:
    """The revisions this version's schema is at (read from migrations/)."""
    from alembic.script import ScriptDirectory

    return tuple(ScriptDirectory.from_config(alembic_config()).get_heads())


async def current_revisions(engine: AsyncEngine) -> tuple[str, ...]:
    """The revisions the database behind ``engine`` is at (empty when never upgraded)."""
    from alembic.runtime.migration import MigrationContext

    def _current(connection) -> tuple[str, ...]:
        return tuple(MigrationContext.configure(connection).get_current_heads())

    async with engine.connect() as conn:
        return await conn.run_sync(_current)


async def require_current(engine: AsyncEngine) -> None:
    """Refuse to start on a schema that is not at the migrations' head.

    Raises:
        NotUpgraded: the database is behind (or was never upgraded).
    """
    heads = head_revisions()
    current = await current_revisions(engine)
    if set(current) != set(heads):
        raise NotUpgraded(", ".join(current) or None, ", ".join(heads))

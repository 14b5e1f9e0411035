"""Revision 0018 forgets the language every account stored before this release: it was
the platform's two-letter code copied at creation, never a choice (only English existed),
and as a stored choice it would have won over the platform's locale for ever."""

from __future__ import annotations

from alembic import command
from sqlalchemy import text

from bot.migrate import alembic_config, upgrade


async def _downgrade(engine, revision: str) -> None:
    def run(connection) -> None:
        cfg = alembic_config()
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, revision)

    async with engine.connect() as conn:
        await conn.run_sync(run)
        await conn.commit()


async def test_stored_languages_are_forgotten_and_the_downgrade_keeps_them_so(engine):
    await _downgrade(engine, "0017")
    stored = text("SELECT count(*) FROM accounts WHERE language IS NOT NULL")
    async with engine.begin() as conn:
        for language in ("de", "pt", None):
            await conn.execute(
                text("INSERT INTO accounts (created_at, language) VALUES (CURRENT_TIMESTAMP, :l)"),
                {"l": language},
            )
        assert await conn.scalar(stored) >= 2
    await upgrade(engine)
    async with engine.connect() as conn:
        assert await conn.scalar(stored) == 0
    await _downgrade(engine, "0017")  # a no-op: the codes are not brought back
    async with engine.connect() as conn:
        assert await conn.scalar(stored) == 0
    await upgrade(engine)

"""A job's locale, on both paths that accept a job (the PostgreSQL fast path and the
portable one): the language chosen in /settings wins over the platform's, and the
platform's keeps its region (``pt-br`` is ``pt-BR``, not ``pt``)."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select, text

from bot.bootstrap import bootstrap
from core.db.tables import jobs
from core.types import Actor, ImagineRequest, ReplyTarget
from tests.conftest import unique_user


@pytest.fixture
async def sqlite_app(settings, sqlite_engine):
    async with bootstrap(settings, engine=sqlite_engine, migrate=False) as built:
        yield built


@pytest.fixture
async def pg_app(settings, pg_engine):
    async with bootstrap(settings, engine=pg_engine, migrate=False) as built:
        yield built


async def _job_locale(app, job_id: str) -> str | None:
    async with app.uow() as uow:
        return await uow.conn.scalar(select(jobs.c.locale).where(jobs.c.id == job_id))


async def test_on_sqlite(sqlite_app):
    await _chosen_language_wins_and_the_region_is_kept(sqlite_app)


async def test_on_postgresql(pg_app):
    await _chosen_language_wins_and_the_region_is_kept(pg_app)


async def _chosen_language_wins_and_the_region_is_kept(app) -> None:
    user = unique_user()
    brazil = Actor("test", user, locale="pt-br")
    await app.core.accept_terms(brazil, age_confirmed=True)
    target = ReplyTarget("test", {})
    first = await app.core.imagine(brazil, ImagineRequest("a fox"), target)
    assert await _job_locale(app, first.job_id) == "pt-BR" == first.locale
    await app.core.set_preferences(brazil, language="DE", languages=("de", "en", "pt-BR"))
    second = await app.core.imagine(brazil, ImagineRequest("a fox"), target)
    assert await _job_locale(app, second.job_id) == "de" == second.locale


async def test_reply_locale_is_the_chosen_language_else_the_platforms(sqlite_app):
    """What every immediate reply is worded in (``Core.reply_locale``): one read, no
    account made for it."""
    core = sqlite_app.core
    brazil = Actor("test", unique_user(), locale="pt-br")
    assert await core.reply_locale(brazil) == "pt-BR"
    assert await core.find_account(brazil) is None
    await core.accept_terms(brazil, age_confirmed=True)
    assert await core.reply_locale(brazil) == "pt-BR"
    await core.set_preferences(brazil, language="DE", languages=("de", "en", "pt-BR"))
    assert await core.reply_locale(brazil) == "de"
    assert await core.reply_locale(Actor("test", " ", locale="es")) == "es"  # no such id
    assert await core.reply_locale(Actor("test", unique_user())) is None  # English


async def test_reply_locale_falls_back_to_the_platforms_when_the_read_fails(sqlite_app, caplog):
    user = unique_user()
    async with sqlite_app.uow() as uow:  # the read cannot succeed any more
        await uow.conn.execute(text("DROP TABLE identities"))
        await uow.commit()
    with caplog.at_level(logging.WARNING, logger="seedream.core"):
        assert await sqlite_app.core.reply_locale(Actor("test", user, locale="ru")) == "ru"
    (record,) = [r for r in caplog.records if "stored language" in r.getMessage()]
    assert "OperationalError" in record.getMessage() and user not in caplog.text
    assert record.exc_info is None  # no traceback: it would carry the SQL parameters

"""The PostgreSQL accept path keeps each identity's account row as last read
(``core.submit_pg.RecentAccounts``) and skips the read on the next submit. A kept copy is
only a hint: the accept function compares its fingerprint under the lock, so a change
made elsewhere (another process, an operator) is always seen, and a refusal is never
made from a kept copy."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.bootstrap import bootstrap
from core.db.tables import jobs
from core.errors import Banned
from core.types import Actor, ImagineRequest, ReplyTarget
from tests.conftest import unique_user

TARGET = ReplyTarget("test", {})


@pytest.fixture
async def two_apps(settings, pg_engine):
    """Two processes' cores on one database: one submits, the other changes the account."""
    async with bootstrap(settings, engine=pg_engine, migrate=False) as first:
        async with bootstrap(settings, engine=pg_engine, migrate=False) as second:
            yield first, second


async def _user(app) -> Actor:
    actor = Actor("test", unique_user())
    await app.core.accept_terms(actor, age_confirmed=True)
    return actor


def _recent(app):
    return app.core.submission.pg_accept.recent


async def test_a_submit_keeps_the_account_and_the_next_skips_the_read(two_apps):
    app, _ = two_apps
    actor = await _user(app)
    first = await app.core.imagine(actor, ImagineRequest("a fox"), TARGET)
    kept = _recent(app).get(("test", actor.platform_user_id))
    assert kept is not None and kept["balance_credits"] == first.balance_credits + 1
    second = await app.core.imagine(actor, ImagineRequest("a fox"), TARGET)
    assert second.balance_credits == first.balance_credits - 1


async def test_a_ban_made_elsewhere_is_seen_despite_the_kept_copy(two_apps):
    app, other = two_apps
    actor = await _user(app)
    await app.core.imagine(actor, ImagineRequest("a fox"), TARGET)
    await other.core.admin_ban(actor, "spam", operator="test:ops")
    with pytest.raises(Banned):
        await app.core.imagine(actor, ImagineRequest("a fox"), TARGET)
    await other.core.admin_ban(actor, None, operator="test:ops")
    accepted = await app.core.imagine(actor, ImagineRequest("a fox"), TARGET)
    async with app.uow() as uow:
        count = len((await uow.conn.execute(select(jobs.c.id))).all())
    assert count == 2 and accepted.job_id


async def test_a_preference_changed_elsewhere_is_used_at_once(two_apps):
    app, other = two_apps
    actor = await _user(app)
    await app.core.imagine(actor, ImagineRequest("a fox"), TARGET)
    await other.core.set_preferences(actor, aspect_ratio="16:9")
    job = await app.core.imagine(actor, ImagineRequest("a fox"), TARGET)
    assert job.aspect_ratio == "16:9"


async def test_a_refusal_is_never_made_from_a_kept_copy(two_apps):
    app, other = two_apps
    actor = await _user(app)
    await other.core.admin_ban(actor, "spam", operator="test:ops")
    with pytest.raises(Banned):  # a fresh read: kept copies are only accepted accounts
        await app.core.imagine(actor, ImagineRequest("a fox"), TARGET)
    key = ("test", actor.platform_user_id)
    assert _recent(app).get(key) is None
    # Keep a banned copy by hand, then unban elsewhere: the submit reads again and goes in.
    async with app.engine.connect() as conn:
        raw = await conn.get_raw_connection()
        banned = await raw.driver_connection.fetchrow(
            "SELECT a.*, seedream_account_seen(a) AS seen FROM identities i"
            " JOIN accounts a ON a.id = i.account_id WHERE i.platform_user_id = $1",
            actor.platform_user_id,
        )
    _recent(app).put(key, banned)
    await other.core.admin_ban(actor, None, operator="test:ops")
    accepted = await app.core.imagine(actor, ImagineRequest("a fox"), TARGET)
    assert accepted.job_id and _recent(app).get(key)["banned_at"] is None

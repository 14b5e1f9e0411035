"""The two accept paths (SQLAlchemy on SQLite, the driver-level one on PostgreSQL) give
the same outcome for the same odd input: the same error class, catalogue key and params,
or the same accepted job and balance. Each case is played on both backends and the two
transcripts are compared."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from sqlalchemy import update

from bot.bootstrap import bootstrap
from core.db.tables import accounts
from core.errors import CoreError
from core.types import Actor, ImagineRequest, ReplyTarget

TARGET = ReplyTarget("test", {"chat": "1"})


async def _outcome(call: Callable[[], Awaitable]) -> tuple:
    try:
        job = await call()
    except CoreError as exc:
        return (type(exc).__name__, exc.key, exc.params)
    return ("accepted", job.cost_credits, job.status, job.balance_credits)


async def _accepted(app, actor: Actor) -> int:
    return (await app.core.accept_terms(actor, age_confirmed=True)).account.account_id


async def _set(app, account_id: int, **values: object) -> None:
    async with app.uow() as uow:
        await uow.conn.execute(update(accounts).where(accounts.c.id == account_id).values(**values))
        await uow.commit()


async def _imagine(app, actor: Actor) -> tuple:
    return await _outcome(lambda: app.core.imagine(actor, ImagineRequest("a fox"), TARGET))


async def _transcript(app) -> list[tuple]:
    """Every case, in order: (case name, outcome)."""
    out: list[tuple] = []
    # The identity is stored clean; adapters may hand in odd spellings of it.
    await _accepted(app, Actor("test", "case-1", "Tester", "en"))
    out.append(("platform case", await _imagine(app, Actor("Test", "case-1"))))
    out.append(("platform upper", await _imagine(app, Actor("TEST", "case-1"))))
    out.append(("platform padded", await _imagine(app, Actor(" test ", "case-1"))))
    await _accepted(app, Actor("test", "case-2"))
    out.append(("id padded", await _imagine(app, Actor("test", " case-2 "))))
    out.append(("id tab-padded", await _imagine(app, Actor("test", "\tcase-2\n"))))
    await _accepted(app, Actor("test", "ünï-名前-🦊"))
    out.append(("unicode id", await _imagine(app, Actor("test", " ünï-名前-🦊 "))))
    out.append(("unicode id unknown", await _imagine(app, Actor("test", "ünï-名前-🐺"))))
    out.append(("NUL in id", await _imagine(app, Actor("test", "case\x00-3"))))
    out.append(("empty id", await _imagine(app, Actor("test", "   "))))
    longest = "7" * 64
    await _accepted(app, Actor("test", longest))
    out.append(("longest id", await _imagine(app, Actor("test", longest))))
    out.append(("too long id", await _imagine(app, Actor("test", longest + "7"))))
    out.append(("missing account", await _imagine(app, Actor("test", "nobody"))))
    await app.core.terms(Actor("test", "case-4"))  # an account, terms not yet accepted
    out.append(("terms not accepted", await _imagine(app, Actor("test", "case-4"))))
    await _accepted(app, Actor("test", "case-5"))
    await app.core.admin_ban(Actor("test", "case-5"), "spam", operator="test:ops")
    out.append(("banned", await _imagine(app, Actor("TEST", " case-5"))))
    await _set(app, await _accepted(app, Actor("test", "case-6")), debt_credits=3)
    out.append(("in debt", await _imagine(app, Actor("test", "case-6 "))))
    await _set(app, await _accepted(app, Actor("test", "case-7")), balance_credits=0)
    out.append(("no credits", await _imagine(app, Actor("test", "case-7"))))
    await _accepted(app, Actor("test", "case-8"))
    for n in range(4):  # the free plan queues 3
        out.append((f"queued {n + 1}", await _imagine(app, Actor("Test", "case-8 "))))
    return out


async def test_both_backends_answer_odd_actors_alike(settings, sqlite_engine, pg_engine):
    transcripts = []
    for engine in (sqlite_engine, pg_engine):
        async with bootstrap(settings, engine=engine, migrate=False) as app:
            transcripts.append(await _transcript(app))
    sqlite, postgres = transcripts
    assert [case for case, _ in sqlite] == [case for case, _ in postgres]
    differing = [(a, b[1]) for a, b in zip(sqlite, postgres, strict=True) if a != b]
    assert differing == []
    outcome = dict(sqlite)
    assert outcome["platform case"][0] == "accepted"
    assert outcome["id padded"][0] == "accepted"
    assert outcome["unicode id"][0] == "accepted"
    assert outcome["longest id"][0] == "accepted"
    assert outcome["too long id"][0] == "NotFound"
    assert outcome["missing account"][0] == "TermsNotAccepted"
    assert outcome["banned"] == ("Banned", "error.banned", {"reason": "spam"})
    assert outcome["in debt"] == ("CreditDebt", "error.credit_debt", {"debt_credits": 3})
    assert outcome["no credits"][0] == "InsufficientCredits"
    # The balance after each debit comes with the job (20 welcome credits, 1 a job).
    assert [outcome[f"queued {n}"][3] for n in (1, 2, 3)] == [19, 18, 17]
    assert outcome["queued 4"] == ("TooManyQueued", "error.too_many_queued", {"max_queued_jobs": 3})

"""A new job's "Position in queue" is its rank in the database's claim order (priority
lane first, then the lowest virtual time, then age), the same on SQLite and PostgreSQL:
not the length of a wake-up queue, which neither knows about other processes' jobs nor
the order the workers take them in (issue 17, rough edge 6)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from bot.bootstrap import App
from core.db.tables import accounts, jobs
from core.jobs.scheduling import QUEUE_POSITION_CAP
from core.jobs.status import JobStatus
from core.types import Actor, ImagineRequest, ReplyTarget

TARGET = ReplyTarget("test", {"chat": "1"})


async def _user(app: App, name: str, *, plan: str = "free") -> Actor:
    actor = Actor("test", name, name, "en")
    account_id = (await app.core.accept_terms(actor, age_confirmed=True)).account.account_id
    async with app.uow() as uow:
        await uow.conn.execute(
            update(accounts)
            .where(accounts.c.id == account_id)
            .values(balance_credits=10_000, plan=plan)
        )
        await uow.commit()
    return actor


async def _imagine(app: App, actor: Actor) -> tuple[str, int]:
    job = await app.core.imagine(actor, ImagineRequest("a fox --n 4"), TARGET)
    assert job.queue_position is not None
    return job.job_id, job.queue_position


async def _claim_order(app: App) -> list[str]:
    """The queued jobs in the order ``claim_next`` ranks them."""
    async with app.uow() as uow:
        rows = await uow.conn.execute(
            select(jobs.c.id)
            .where(jobs.c.status == JobStatus.QUEUED)
            .order_by(jobs.c.lane.desc(), jobs.c.fair_vt, jobs.c.created_at)
        )
        return [r.id for r in rows]


async def test_a_new_jobs_position_is_its_rank_in_the_claim_order(app):
    ann, bob, cat = [await _user(app, n) for n in ("ann", "bob", "cat")]
    ann1, p_ann1 = await _imagine(app, ann)
    ann2, p_ann2 = await _imagine(app, ann)
    ann3, p_ann3 = await _imagine(app, ann)
    assert (p_ann1, p_ann2, p_ann3) == (1, 2, 3)  # one user's jobs queue one after another
    # Bob's first job is fairer than Ann's second: it goes straight behind her first.
    bob1, p_bob1 = await _imagine(app, bob)
    assert p_bob1 == 2
    bob2, p_bob2 = await _imagine(app, bob)
    assert p_bob2 == 4  # behind ann1, bob1 and ann2 (same turn, older)
    # A paying user's job is served from the priority lane, before all of them.
    vip = await _user(app, "vip", plan="pro")
    vip1, p_vip1 = await _imagine(app, vip)
    assert p_vip1 == 1
    cat1, p_cat1 = await _imagine(app, cat)
    assert p_cat1 == 4  # behind vip1, ann1, bob1
    # The order the workers will take them in, in which the newest job's rank is exact.
    assert await _claim_order(app) == [vip1, ann1, bob1, cat1, ann2, bob2, ann3]


async def test_jobs_ahead_are_counted_up_to_the_cap(app):
    """Past QUEUE_POSITION_CAP jobs ahead the count stops: the last exact position is
    the cap itself, and one more than the cap means "more than the cap ahead"."""
    filler = await _user(app, "filler")
    first_id, _ = await _imagine(app, filler)
    async with app.uow() as uow:
        first = (await uow.conn.execute(select(jobs).where(jobs.c.id == first_id))).one()
        copies = [
            {
                **first._mapping,
                "id": f"{first_id[:24]}{n:08d}",
                "created_at": first.created_at - timedelta(seconds=n + 1),
            }
            for n in range(QUEUE_POSITION_CAP - 2)
        ]
        await uow.conn.execute(jobs.insert(), copies)
        await uow.commit()
    # QUEUE_POSITION_CAP - 1 jobs wait, all in the newcomer's turn and older.
    _, exact = await _imagine(app, await _user(app, "newcomer"))
    assert exact == QUEUE_POSITION_CAP
    _, far = await _imagine(app, await _user(app, "latecomer"))
    assert far == QUEUE_POSITION_CAP + 1
    _, still_far = await _imagine(app, await _user(app, "last"))
    assert still_far == QUEUE_POSITION_CAP + 1

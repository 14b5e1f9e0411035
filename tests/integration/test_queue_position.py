"""A new job's queue position is its rank in the database's claim order, the same on
SQLite and PostgreSQL (issue 17, edge 6: SQLite said 1, 1, 1 and PostgreSQL 1, 1, 2)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from bot.bootstrap import bootstrap
from core.clock import utcnow
from core.db.tables import jobs
from core.jobs.scheduling import claim_next
from core.jobs.status import JobStatus
from core.types import ImagineRequest, ReplyTarget
from tests.integration.test_scheduling import _user

TARGET = ReplyTarget("test", {})


async def test_three_submits_are_ranked_1_2_3_and_claimed_in_that_order(settings, engine):
    async with bootstrap(settings, engine=engine, migrate=False) as app:  # no worker runs
        first, second = await _user(app), await _user(app)
        mine = [
            await app.core.imagine(first, ImagineRequest(f"cat {n} --n 4"), TARGET)
            for n in range(3)
        ]
        assert [job.queue_position for job in mine] == [1, 2, 3]
        # Another user's first job goes ahead of the first user's second (fair share):
        # what the database says, not how many messages wait in the queue.
        theirs = await app.core.imagine(second, ImagineRequest("dog"), TARGET)
        assert theirs.queue_position == 2
        expected = [mine[0].job_id, theirs.job_id, mine[1].job_id, mine[2].job_id]
        claimed = []
        async with app.uow() as uow:
            later = utcnow() + timedelta(seconds=1)
            for _ in expected:
                job = await claim_next(uow.conn, worker_id="w", lease_s=60, now=later)
                assert job is not None
                claimed.append(job.id)
                # ended, so that its owner's running limit does not hold the next back
                await uow.conn.execute(
                    update(jobs).where(jobs.c.id == job.id).values(status=JobStatus.SUCCEEDED)
                )
            # not committed: the unit of work rolls back
        assert claimed == expected

"""InProcessQueue honours the JobQueue contract the Redis queue is tested against."""

from __future__ import annotations

from core.messaging.queue import InProcessQueue, JobQueue, QueueMessage


async def test_receive_takes_a_batch_in_order():
    queue: JobQueue = InProcessQueue()
    for job_id in ("a", "b", "c"):
        await queue.enqueue(job_id)
    assert queue.depth() == 3

    assert [m.job_id for m in await queue.receive(max_count=2, timeout_s=1)] == ["a", "b"]
    assert await queue.receive(max_count=5, timeout_s=1) == [QueueMessage("c")]
    assert queue.depth() == 0


async def test_duplicate_enqueue_is_ignored_while_waiting():
    queue: JobQueue = InProcessQueue()
    await queue.enqueue("a")
    await queue.enqueue("a")
    assert queue.depth() == 1

    messages = await queue.receive(max_count=5, timeout_s=1)
    assert [m.job_id for m in messages] == ["a"]
    await queue.ack(messages)

    await queue.enqueue("a")  # no longer waiting: a new wake-up is accepted
    assert queue.depth() == 1


async def test_receive_times_out_empty_and_nothing_is_stale():
    queue: JobQueue = InProcessQueue()
    assert await queue.receive(max_count=3, timeout_s=0.01) == []
    assert await queue.reclaim_stale(min_idle_s=0) == []

"""The /delete autocomplete's per-user memory (``adapters.discord.recent_images``):
read through the core at most once per ``ttl_s``, bounded by ``deadline_s``, an empty
answer for a slow or failed read, and kept in step with /history, deletes and results.
The core's history is a narrow port here: a function returning jobs."""

from __future__ import annotations

import asyncio
from datetime import datetime

from adapters.discord.recent_images import RecentImages
from core.errors import TermsNotAccepted
from core.types import ImageView, JobView


def _job(prompt: str, *image_ids: str) -> JobView:
    images = [ImageView(i, f"http://x/{i}", 8, 8, "image/png") for i in image_ids]
    return JobView(
        "j", "succeeded", "preview", prompt, "1:1", None, len(images), 1,
        datetime(2026, 12, 4, 23, 0), None, None, images,
    )  # fmt: skip


class History:
    def __init__(self, jobs: list[JobView]) -> None:
        self.jobs = jobs
        self.reads = 0
        self.gate = asyncio.Event()
        self.gate.set()

    async def __call__(self) -> list[JobView]:
        self.reads += 1
        await self.gate.wait()
        return self.jobs


async def test_read_once_then_from_memory_until_the_ttl():
    now = [0.0]
    cache = RecentImages(ttl_s=60, clock=lambda: now[0])
    history = History([_job("a fox", "i1", "i2")])
    assert [c.image_id for c in await cache.choices("u", history)] == ["i1", "i2"]
    assert await cache.choices("u", history) and history.reads == 1
    now[0] = 61.0
    await cache.choices("u", history)
    assert history.reads == 2


async def test_a_slow_read_answers_empty_and_fills_the_cache_later():
    cache = RecentImages(deadline_s=0.01)
    history = History([_job("a fox", "i1")])
    history.gate.clear()
    assert await cache.choices("u", history) == []
    assert await cache.choices("u", history) == []  # the same read, not a second one
    history.gate.set()
    assert [c.image_id for c in await cache.choices("u", history)] == ["i1"]
    assert history.reads == 1


async def test_a_failed_read_is_an_empty_answer():
    async def refused() -> list[JobView]:
        raise TermsNotAccepted(policy_version="v")

    async def broken() -> list[JobView]:
        raise OSError("database gone")

    cache = RecentImages()
    assert await cache.choices("u", refused) == []
    assert await cache.choices("v", broken) == []


async def test_history_deletes_and_results_keep_it_in_step():
    cache = RecentImages()
    cache.put("u", [_job("a fox", "i1", "i2")])  # /history
    history = History([_job("a fox", "i1", "i2", "i3")])
    cache.drop_image("u", "i1")  # /delete
    assert [c.image_id for c in await cache.choices("u", history)] == ["i2"]
    cache.forget("u")  # a job of theirs finished
    assert [c.image_id for c in await cache.choices("u", history)] == ["i1", "i2", "i3"]


async def test_labels_fit_discord_and_memory_is_bounded():
    cache = RecentImages(max_users=2)
    for user in ("a", "b", "c"):
        cache.put(user, [_job("x" * 300, "i1")])
    history = History([])
    assert await cache.choices("a", history) == [] and history.reads == 1  # evicted
    (choice,) = await cache.choices("c", history)
    assert all(len(choice.label(language)) == 100 for language in ("en", "ru", "pt-BR"))

"""The /delete autocomplete's choices, kept per user.

Discord drops an autocomplete answer that comes after 3 s (10062 Unknown interaction),
and a database read before an acknowledgement has a recorded p99 of 2.6 s. So the
choices come from memory: each user's recent images, filled by /history and by an
earlier lookup, forgotten when a job of theirs finishes, an image is deleted or after
``ttl_s``. A miss reads through the core for at most ``deadline_s``: a slower read goes
on in the background (filling the cache for the next keystroke) and this answer is an
empty list, as is a failed read. Never an error.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from core import CoreError, JobView, Messages

log = logging.getLogger("seedream.discord")

LABEL_MAX_CHARS = 100  # Discord's limit for a choice's name


@dataclass(frozen=True, slots=True)
class Choice:
    """One image on offer; labelled per answer, in the asking interaction's language."""

    image_id: str
    created_at: datetime
    index: int  # its place in its job
    prompt: str

    def label(self, language: str) -> str:
        """When it was made (the catalogue's date and time for ``language``), its place
        and its prompt, cut to Discord's limit."""
        when = Messages.datetime(self.created_at, language)
        return f"{when} #{self.index} {self.prompt}"[:LABEL_MAX_CHARS]


def image_choices(jobs: list[JobView]) -> list[Choice]:
    """Every image of ``jobs``, newest job first as the history gives them."""
    return [
        Choice(image.image_id, job.created_at, index, job.prompt)
        for job in jobs
        for index, image in enumerate(job.images, start=1)
    ]


class RecentImages:
    def __init__(
        self,
        *,
        deadline_s: float = 1.5,
        ttl_s: float = 120.0,
        max_users: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.deadline_s = deadline_s
        self.ttl_s = ttl_s
        self._max_users = max_users
        self._clock = clock
        self._cached: dict[str, tuple[float, list[Choice]]] = {}  # user id -> (at, choices)
        self._loading: dict[str, asyncio.Task[list[Choice]]] = {}

    def put(self, user_id: str, jobs: list[JobView]) -> None:
        self._cached.pop(user_id, None)  # re-inserted last: the oldest go first
        self._cached[user_id] = (self._clock(), image_choices(jobs))
        while len(self._cached) > self._max_users:
            del self._cached[next(iter(self._cached))]

    def forget(self, user_id: str) -> None:
        """A job finished, or the account was erased: read again next time."""
        self._cached.pop(user_id, None)

    def drop_image(self, user_id: str, image_id: str) -> None:
        cached = self._cached.get(user_id)
        if cached is not None:
            at, choices = cached
            self._cached[user_id] = (at, [c for c in choices if c.image_id != image_id])

    async def choices(
        self, user_id: str, load: Callable[[], Awaitable[list[JobView]]]
    ) -> list[Choice]:
        """The user's recent images: from memory, else from ``load`` (the user's
        history) if it answers within ``deadline_s``, else none."""
        cached = self._cached.get(user_id)
        if cached is not None and self._clock() - cached[0] < self.ttl_s:
            return cached[1]
        task = self._loading.get(user_id)
        if task is None:
            task = asyncio.create_task(self._load(user_id, load))
            self._loading[user_id] = task
            task.add_done_callback(lambda _: self._loading.pop(user_id, None))
        done, _ = await asyncio.wait({task}, timeout=self.deadline_s)
        return task.result() if done else []

    async def _load(self, user_id: str, load: Callable[[], Awaitable[list[JobView]]]):
        try:
            jobs = await load()
        except CoreError:  # no account yet, terms not accepted, banned: nothing to offer
            return []
        except Exception:  # an autocomplete never fails; the read is logged, not its data
            log.warning("recent images not loaded", exc_info=True)
            return []
        self.put(user_id, jobs)
        return self._cached[user_id][1]

"""The attempts a worker is running: an attempt owns only what it wrote.

Each attempt stores its images under a folder of its own,
``images/<account>/<job>/<attempt number>-<random>/<position>.<ext>`` (and its chat
preview next to it, ``<position>.preview.jpg``), so a worker that
lost its lease and runs on can never touch the objects of the worker that took the job
over; the images table records the winner's keys and every reader (links, variations,
export, deletion, retention, erasure) uses those. An attempt that does not succeed
deletes the objects it wrote, a partial result included.

The heartbeat that finds a job's lease gone cancels that job's attempt
(``Attempts.lease_lost``). The runner tells this cancellation from a shutdown by
``Attempt.lease_lost``: the job is another worker's now, so nothing is handed back; the
attempt deletes its objects and stops. Once an attempt reaches its ending (shielded,
and decided by conditional updates of the job row) it is no longer cancelled.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from dataclasses import dataclass, field

from core.errors import ProviderPermanent
from core.jobs.claimed import ClaimedJob
from core.jobs.lifecycle import StoredImage, StoredPreview
from core.providers import GenerationResult
from core.storage.derivatives import PREVIEW_EXTENSION, make_preview
from core.storage.port import ObjectStore

log = logging.getLogger("seedream.worker")

_EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp"}


@dataclass(eq=False)
class Attempt:
    job_id: str
    task: asyncio.Task | None
    folder: str  # this attempt's objects live under it, and only this attempt's
    written: list[str] = field(default_factory=list)
    lease_lost: bool = False

    async def store(
        self, storage: ObjectStore, result: GenerationResult, *, image_count: int
    ) -> list[StoredImage]:
        """Put the result's images under this attempt's keys, in order, each followed by
        its chat preview (made once, here; an image whose preview fails is kept without).

        Raises:
            ProviderPermanent: not ``image_count`` images, or one of a type not kept.
        """
        if len(result.images) != image_count:
            raise ProviderPermanent(reason="provider returned the wrong number of images")
        stored = []
        for position, image in enumerate(result.images):
            ext = _EXTENSIONS.get(image.mime)
            if ext is None:
                raise ProviderPermanent(reason="provider returned an unsupported image type")
            key = self.key(position, ext)
            await storage.put(key, image.data, image.mime)
            preview = await self._store_preview(storage, position, image.data, image.mime)
            stored.append(
                StoredImage(
                    position, key, image.mime, image.width, image.height, len(image.data), preview
                )
            )
        return stored

    async def _store_preview(
        self, storage: ObjectStore, position: int, data: bytes, mime: str
    ) -> StoredPreview | None:
        """The preview of one stored image, or None (logged) when it cannot be made: a
        chat then shows the original, and the job does not fail for it."""
        try:
            preview = await asyncio.to_thread(make_preview, data, mime)  # CPU: 50-300 ms
            key = self.key(position, f"preview.{PREVIEW_EXTENSION}")
            await storage.put(key, preview.data, preview.mime)
        except Exception as exc:  # never the bytes or the prompt in the log
            log.warning(
                "no preview for image %d (%s: %s); the original is shown instead",
                position, type(exc).__name__, str(exc)[:120],
            )  # fmt: skip
            return None
        return StoredPreview(key, preview.mime, preview.width, preview.height, len(preview.data))

    def key(self, position: int, ext: str) -> str:
        """The key for the image at ``position``; recorded as written before the put,
        so an interrupted put is cleaned up too."""
        key = f"{self.folder}/{position}.{ext}"
        self.written.append(key)
        return key

    async def discard(self, storage: ObjectStore) -> None:
        """Delete what this attempt wrote. A failure leaves orphans under the account's
        folder (erasure lists that folder, so it still finds them), logged, not raised:
        the job's outcome matters more."""
        if not self.written:
            return
        try:
            await storage.delete_many(list(self.written))
        except Exception:
            log.warning(
                "could not delete %d object(s) of a discarded attempt", len(self.written),
                exc_info=True,
            )  # fmt: skip


class Attempts:
    """The attempts running in one worker, by job id, while they may still be cancelled."""

    def __init__(self) -> None:
        self._running: dict[str, Attempt] = {}

    def start(self, job: ClaimedJob) -> Attempt:
        """Register the current task's attempt at ``job``. An older attempt of this
        worker at the same job lost its lease (the job was requeued and claimed again)."""
        self.lease_lost(job.id)
        folder = f"images/{job.account_id}/{job.id}/{job.attempts}-{secrets.token_hex(4)}"
        attempt = Attempt(job.id, asyncio.current_task(), folder)
        self._running[job.id] = attempt
        return attempt

    def ending(self, attempt: Attempt) -> None:
        """The attempt reached its ending: a lost lease no longer cancels it."""
        if self._running.get(attempt.job_id) is attempt:
            del self._running[attempt.job_id]

    def running(self, job_id: str) -> bool:
        return job_id in self._running

    def lease_lost(self, job_id: str) -> bool:
        """Cancel the attempt at ``job_id`` if one is running. True if one was."""
        attempt = self._running.pop(job_id, None)
        if attempt is None or attempt.task is None or attempt.task.done():
            return False
        attempt.lease_lost = True
        attempt.task.cancel(msg="lease lost")
        return True

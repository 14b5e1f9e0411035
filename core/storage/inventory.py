"""The objects in storage: their inventory (key, size, SHA-256), a copy of them to a
second bucket or folder, and the check after a restore.

The erasure journal's prefix (``core.privacy.journal``) is never listed, copied or
written back: the journal stays out of the backups' reach.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from core.privacy.journal import JOURNAL_PREFIX
from core.storage.local import guess_content_type
from core.storage.port import ObjectStore

__all__ = [
    "ObjectCheck",
    "ObjectEntry",
    "bring_back",
    "check_objects",
    "copy_objects",
    "inventory",
]

CONCURRENCY = 8  # objects read (and hashed) at once
_T = TypeVar("_T")
_R = TypeVar("_R")


@dataclass(frozen=True, slots=True)
class ObjectEntry:
    key: str
    size_bytes: int
    sha256: str

    def as_json(self) -> dict[str, object]:
        return {"key": self.key, "size_bytes": self.size_bytes, "sha256": self.sha256}

    @classmethod
    def from_json(cls, value: dict[str, object]) -> ObjectEntry:
        return cls(str(value["key"]), int(str(value["size_bytes"])), str(value["sha256"]))


@dataclass
class ObjectCheck:
    """Each object the manifest lists, found in storage (``present``), absent
    (``missing``), there with other bytes (``mismatched``), or absent because the erasure
    journal's replay erased its owner again (``erased``: meant to be gone)."""

    present: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    mismatched: list[str] = field(default_factory=list)
    erased: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.missing and not self.mismatched


def _entry(key: str, data: bytes) -> ObjectEntry:
    return ObjectEntry(key, len(data), hashlib.sha256(data).hexdigest())


async def _each(items: Iterable[_T], work: Callable[[_T], Awaitable[_R]]) -> list[_R]:
    """``work`` on every item, ``CONCURRENCY`` at a time, results in order."""
    gate = asyncio.Semaphore(CONCURRENCY)

    async def one(item: _T) -> _R:
        async with gate:
            return await work(item)

    return list(await asyncio.gather(*(one(item) for item in items)))


def _backed_up(keys: Iterable[str]) -> list[str]:
    return sorted(key for key in keys if not key.startswith(JOURNAL_PREFIX))


async def inventory(store: ObjectStore) -> list[ObjectEntry]:
    """Every object in ``store`` but the erasure journal, with its size and SHA-256.
    An object deleted between the listing and its read is left out.

    Raises:
        Whatever the store raises but ``KeyError``.
    """

    async def read(key: str) -> ObjectEntry | None:
        try:
            return _entry(key, await store.get(key))
        except KeyError:
            return None

    found = await _each(_backed_up(await store.list_keys("")), read)
    return [entry for entry in found if entry is not None]


async def copy_objects(
    source: ObjectStore, target: ObjectStore, entries: list[ObjectEntry]
) -> tuple[int, int]:
    """Copy the objects ``entries`` lists from ``source`` to ``target``, but those the
    target holds already (keys are never reused for other bytes: one per attempt).
    Returns (copied, already there).

    Raises:
        BackupCopyError: an object changed or vanished since the inventory.
        Whatever the stores raise.
    """
    there = set(await target.list_keys(""))
    todo = [entry for entry in entries if entry.key not in there]

    async def copy(entry: ObjectEntry) -> None:
        try:
            data = await source.get(entry.key)
        except KeyError:
            raise BackupCopyError(f"object {entry.key} vanished during the backup") from None
        if _entry(entry.key, data) != entry:
            raise BackupCopyError(f"object {entry.key} changed during the backup")
        await target.put(entry.key, data, guess_content_type(entry.key))

    await _each(todo, copy)
    return len(todo), len(entries) - len(todo)


class BackupCopyError(RuntimeError):
    """An object could not be copied as the manifest lists it."""


async def bring_back(
    copy: ObjectStore, store: ObjectStore, entries: list[ObjectEntry]
) -> tuple[int, list[str]]:
    """Put back into ``store`` each object of ``entries`` it lacks, from ``copy``, when
    the copy's bytes match the manifest. Returns (brought back, keys the copy lacks or
    holds with other bytes). Run it before the erasure journal's replay, which then
    erases again what belongs to erased users."""
    there = set(await store.list_keys(""))
    unusable: list[str] = []

    async def one(entry: ObjectEntry) -> bool:
        try:
            data = await copy.get(entry.key)
        except KeyError:
            unusable.append(entry.key)
            return False
        if _entry(entry.key, data) != entry:
            unusable.append(entry.key)
            return False
        await store.put(entry.key, data, guess_content_type(entry.key))
        return True

    todo = [e for e in entries if e.key not in there and not e.key.startswith(JOURNAL_PREFIX)]
    done = await _each(todo, one)
    return sum(done), sorted(unusable)


async def check_objects(
    store: ObjectStore,
    entries: list[ObjectEntry],
    *,
    erased_keys: frozenset[str] = frozenset(),
    erased_prefixes: tuple[str, ...] = (),
) -> ObjectCheck:
    """Compare ``store`` with the manifest ``entries`` (every object read and hashed).
    An absent object under ``erased_keys`` or ``erased_prefixes`` (what the replay of the
    erasure journal erased) is ``erased``, not missing; one still present there is
    reported present, so a test can tell an erased user's image that survived."""
    check = ObjectCheck()

    async def one(entry: ObjectEntry) -> None:
        try:
            data = await store.get(entry.key)
        except KeyError:
            gone = entry.key in erased_keys or entry.key.startswith(erased_prefixes)
            (check.erased if gone else check.missing).append(entry.key)
            return
        found = _entry(entry.key, data)
        (check.present if found == entry else check.mismatched).append(entry.key)

    await _each(entries, one)
    for keys in (check.present, check.missing, check.mismatched, check.erased):
        keys.sort()
    return check

"""The erasure journal: every /forgetme, kept outside the database so that it survives a
restore of an older backup (issue 19).

One object per erasure, in object storage under the reserved prefix ``erasure-journal/``
(of the image bucket, or of a store of its own: ``SEEDREAM_ERASURE_JOURNAL_DIR``). An
entry holds the keyed hashes of the erased identities (``core.privacy.abuse``) and the
erasure time, nothing else::

    {"format": 1, "erased_at": "2026-12-06T07:12:00.123456+00:00",
     "identity_hashes": ["5f0c…", "9a41…"]}

Keys sort by time: ``erasure-journal/2026-12/20261206T071200123456Z-<random>.json``
(a folder per month, so that a reader lists only the months it has not read). Backups
leave the prefix out of their manifest and copies, and a restore never writes into it;
``core.privacy.replay`` reads it at every start.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from core.clock import utcnow
from core.storage.port import ObjectStore

__all__ = ["JOURNAL_PREFIX", "ErasureJournal", "JournalEntry"]

JOURNAL_PREFIX = "erasure-journal/"
FORMAT = 1


@dataclass(frozen=True, slots=True)
class JournalEntry:
    key: str
    erased_at: datetime
    identity_hashes: tuple[str, ...]


def _month(at: datetime) -> str:
    return f"{at:%Y-%m}"


class ErasureJournal:
    """Appends and reads erasure entries in ``store`` under ``prefix``."""

    def __init__(self, store: ObjectStore, *, prefix: str = JOURNAL_PREFIX) -> None:
        self._store = store
        self._prefix = prefix

    @property
    def prefix(self) -> str:
        return self._prefix

    async def append(self, erased_at: datetime, identity_hashes: list[str]) -> str:
        """Record an erasure; returns its key.

        Raises:
            Whatever the store raises (the erasure then fails and is asked again).
        """
        at = erased_at.astimezone(UTC)
        key = f"{self._prefix}{_month(at)}/{at:%Y%m%dT%H%M%S%f}Z-{secrets.token_hex(8)}.json"
        body = {
            "format": FORMAT,
            "erased_at": at.isoformat(),
            "identity_hashes": sorted(set(identity_hashes)),
        }
        await self._store.put(key, json.dumps(body).encode(), "application/json")
        return key

    async def keys_after(self, after: str | None, *, now: datetime | None = None) -> list[str]:
        """The entries' keys that sort after ``after`` (all with ``None``), oldest first.
        Only the months from ``after``'s to the current one are listed."""
        if after is None or not after.startswith(self._prefix):
            return sorted(await self._store.list_keys(self._prefix))
        first = after[len(self._prefix) :].split("/", 1)[0]
        last = _month((now or utcnow()).astimezone(UTC))
        found: list[str] = []
        for month in _months(first, last):
            found += await self._store.list_keys(f"{self._prefix}{month}/")
        return sorted(key for key in found if key > after)

    async def read(self, key: str) -> JournalEntry:
        """The entry under ``key``.

        Raises:
            KeyError: no such entry.
            ValueError: the entry is not a journal entry of a known format.
        """
        body = json.loads(await self._store.get(key))
        if not isinstance(body, dict) or body.get("format") != FORMAT:
            raise ValueError(f"erasure journal entry {key!r} has an unknown format")
        hashes = body.get("identity_hashes")
        if not isinstance(hashes, list) or not all(isinstance(h, str) for h in hashes):
            raise ValueError(f"erasure journal entry {key!r} has no identity hashes")
        erased_at = datetime.fromisoformat(body["erased_at"])
        if erased_at.tzinfo is None:
            raise ValueError(f"erasure journal entry {key!r} has a naive time")
        return JournalEntry(key, erased_at, tuple(hashes))


def _months(first: str, last: str) -> list[str]:
    """``YYYY-MM`` from ``first`` to ``last`` inclusive (just ``first`` if it is later or
    malformed)."""
    try:
        year, month = (int(part) for part in first.split("-"))
        end_year, end_month = (int(part) for part in last.split("-"))
    except ValueError:
        return [first]
    months = []
    while (year, month) <= (end_year, end_month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months or [first]

"""The pure parts of backups and the erasure journal (issue 19): what to install when the
PostgreSQL tools are absent, the libpq variables, journal keys in time order listed by
month, and which accounts a journal entry erases again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.db.dump import ToolMissing, find_tool, libpq_env
from core.privacy.journal import JOURNAL_PREFIX, ErasureJournal, JournalEntry
from core.privacy.replay import _accounts_of


class MemoryStore:
    """An ObjectStore in a dict, counting the listings asked for."""

    def __init__(self) -> None:
        self.objects: dict[str, bytes] = {}
        self.listed: list[str] = []

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        self.objects[key] = data

    async def get(self, key: str) -> bytes:
        return self.objects[key]

    async def list_keys(self, prefix: str) -> list[str]:
        self.listed.append(prefix)
        return [key for key in self.objects if key.startswith(prefix)]


def test_a_missing_pg_dump_says_what_to_install():
    with pytest.raises(ToolMissing) as err:
        find_tool("pg_dump", path="")
    assert "pg_dump was not found on PATH" in str(err.value)
    assert "postgresql-client" in str(err.value)


def test_libpq_variables_carry_the_password_outside_the_command_line():
    env = libpq_env("postgresql+asyncpg://bot:s3cret@db.internal:6432/seedream?ssl=require")
    assert env == {
        "PGHOST": "db.internal",
        "PGPORT": "6432",
        "PGUSER": "bot",
        "PGPASSWORD": "s3cret",
        "PGDATABASE": "seedream",
        "PGSSLMODE": "require",
    }
    assert libpq_env("postgresql+asyncpg://postgres@127.0.0.1/test") == {
        "PGHOST": "127.0.0.1",
        "PGUSER": "postgres",
        "PGDATABASE": "test",
    }


async def test_journal_entries_sort_by_time_and_a_reader_lists_only_new_months():
    store = MemoryStore()
    journal = ErasureJournal(store)  # type: ignore[arg-type]
    start = datetime(2026, 10, 31, 23, 59, tzinfo=UTC)
    keys = [await journal.append(start + timedelta(days=d), [f"{d:064x}"]) for d in (40, 0, 2, 31)]
    assert all(key.startswith(JOURNAL_PREFIX) for key in keys)
    in_order = sorted(keys)
    assert [(await journal.read(k)).erased_at for k in in_order] == [
        start + timedelta(days=d) for d in (0, 2, 31, 40)
    ]
    assert await journal.keys_after(None) == in_order
    store.listed.clear()
    now = start + timedelta(days=45)
    assert await journal.keys_after(in_order[1], now=now) == in_order[2:]
    assert store.listed == [f"{JOURNAL_PREFIX}2026-{m}/" for m in ("11", "12")]
    assert await journal.keys_after(in_order[-1], now=now) == []


async def test_a_journal_entry_holds_the_hashes_and_the_time_only():
    store = MemoryStore()
    journal = ErasureJournal(store)  # type: ignore[arg-type]
    at = datetime(2026, 12, 6, 7, 0, tzinfo=UTC)
    key = await journal.append(at, ["b" * 64, "a" * 64, "a" * 64])
    assert (await journal.read(key)) == JournalEntry(key, at, ("a" * 64, "b" * 64))
    store.objects[key] = b'{"format": 2}'
    with pytest.raises(ValueError):
        await journal.read(key)


def test_an_entry_erases_only_identities_that_existed_at_the_erasure():
    erased_at = datetime(2026, 12, 6, 7, 0, tzinfo=UTC)
    entry = JournalEntry("k", erased_at, ("h1", "h2"))
    holders = [
        (1, "h1", erased_at - timedelta(days=3)),  # the erased user, as restored
        (2, "h2", erased_at + timedelta(minutes=5)),  # came back after the erasure
        (3, "h3", erased_at - timedelta(days=1)),  # someone else
        (1, "h2", erased_at),  # joined to account 1 no later than the erasure
    ]
    assert _accounts_of(entry, holders) == [1]

"""The privacy registry refuses participants that cannot export or erase, names
registered twice, and a table claimed by two participants; the exporter reads ahead
within its bounds."""

from __future__ import annotations

import asyncio
import io
import zipfile

import pytest
from sqlalchemy import Column, Integer, MetaData, Table

from core.privacy.export import _ZipExport
from core.privacy.registry import PrivacyRegistry, TableParticipant

_meta = MetaData()
_notes = Table(
    "notes", _meta, Column("id", Integer, primary_key=True), Column("account_id", Integer)
)


class _NoErase:
    name, tables, external, order = "half", ("half_table",), False, 50

    async def export(self, ctx) -> None:
        return None


def test_a_participant_without_erase_is_refused():
    with pytest.raises(TypeError, match="erase"):
        PrivacyRegistry().register(_NoErase())


def test_names_and_tables_are_claimed_once():
    registry = PrivacyRegistry()
    registry.register(TableParticipant("notes", _notes, "account.json", "notes"))
    with pytest.raises(ValueError, match="registered twice"):
        registry.register(TableParticipant("notes", _notes, "account.json", "other"))
    with pytest.raises(ValueError, match="already have a privacy participant"):
        registry.register(TableParticipant("notes2", _notes, "account.json", "notes2"))
    assert registry.covered_tables() == {"notes"}


def test_erase_mode_is_checked():
    with pytest.raises(ValueError, match="on_erase"):
        TableParticipant("notes", _notes, "account.json", "notes", on_erase="shred")


def test_participants_run_in_order_databases_apart_from_external():
    registry = PrivacyRegistry()
    late = TableParticipant("late", _notes, "account.json", "late", order=90)
    registry.register(late)
    early = TableParticipant(
        "early", Table("early", _meta, Column("account_id", Integer)), "a.json", "e", order=5
    )
    registry.register(early)
    assert [p.name for p in registry.database_participants] == ["early", "late"]
    assert registry.external_participants == []


class _CountingStore:
    """A storage port that records how many reads are in flight at once."""

    def __init__(self) -> None:
        self.in_flight = 0
        self.most = 0

    async def get(self, key: str) -> bytes:
        self.in_flight += 1
        self.most = max(self.most, self.in_flight)
        await asyncio.sleep(0)  # let the exporter start more reads if it would
        self.in_flight -= 1
        if key == "gone":
            raise KeyError(key)
        return key.encode()


@pytest.mark.parametrize(("size_bytes", "most"), [(100 * 1024, 16), (10 * 1024 * 1024, 1)])
async def test_export_fetches_ahead_by_count_and_by_bytes(size_bytes, most):
    store = _CountingStore()
    archive = _ZipExport(None, None, store, zipfile.ZipFile(io.BytesIO(), "w"))
    refs = [archive.add_object(f"i/{n}", f"k{n}", size_bytes=size_bytes) for n in range(40)]
    refs.append(archive.add_object("i/gone", "gone", size_bytes=size_bytes))
    await archive.stream_objects()
    assert store.most == most
    assert [r.present for r in refs] == [True] * 40 + [False]
    assert archive.missing == ["i/gone"] and archive.images == 40

"""The privacy registry refuses participants that cannot export or erase, names
registered twice, and a table claimed by two participants."""

from __future__ import annotations

import pytest
from sqlalchemy import Column, Integer, MetaData, Table

from core.privacy import PrivacyRegistry, TableParticipant

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

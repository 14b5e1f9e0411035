"""The privacy participant registry: every module that stores personal data says how to
export it and how to erase it.

A participant names the database tables it covers (those with an account reference) and
implements ``export(ctx)`` and ``erase(ctx)``. At start-up :meth:`PrivacyRegistry.check`
introspects the live schema: a table holding an account reference that no participant
covers is an error, so a new table can never be silently skipped by /mydata or /forgetme.

Two kinds of participants:

* database participants (``external = False``) run inside the erasure's one transaction,
  in ``order`` (children before parents: jobs and images, then the ledger, then the
  account itself);
* external participants (``external = True``: object storage, Redis, a payment
  provider's customer) run before that transaction and once more after it commits, and
  must be idempotent. They work from the :class:`Subject` collected up front.

A module with simple tables registers them in one line each with
:class:`TableParticipant`; billing, for example::

    registry.register(TableParticipant("payments", payments, "credits.json", "payments",
                                       on_erase="pseudonymise", clear_columns=("email",)))
    registry.add_payment_reasons(Reason.PURCHASE, Reason.STARS_PURCHASE)

Payment records the law requires us to keep are *pseudonymised*, never deleted: they
move to a fresh pseudonym account (``accounts.erased_at`` set, no identity, no
preferences) created once per erasure by :meth:`ErasureContext.pseudonym_id`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol, runtime_checkable

from sqlalchemy import Table, delete, inspect, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from core.clock import utcnow
from core.db.tables import accounts

__all__ = [
    "ErasureContext",
    "ExportContext",
    "ObjectRef",
    "PrivacyCoverageError",
    "PrivacyParticipant",
    "PrivacyRegistry",
    "Subject",
    "TableParticipant",
    "json_rows",
]

ACCOUNT_TABLE = "accounts"


class PrivacyCoverageError(RuntimeError):
    """A table with an account reference has no privacy participant (start-up error)."""


@dataclass(frozen=True, slots=True)
class Subject:
    """Everything external participants need to find a user's data, collected before
    the database rows that lead to it are erased."""

    account_id: int
    identities: tuple[tuple[str, str], ...]  # (platform, platform user id)
    job_ids: tuple[str, ...]
    storage_keys: tuple[str, ...]  # images and exports recorded in the database
    # What participants noted for themselves before the rows went (see ``collect``),
    # e.g. billing's Stripe customer id: participant name -> value.
    notes: dict[str, Any] = field(default_factory=dict)


class ExportContext(Protocol):
    """What a participant's ``export`` writes into (see ``core.privacy.export``)."""

    conn: AsyncConnection
    subject: Subject

    def add_json(self, file: str, section: str, value: Any) -> None:
        """Put ``value`` under ``section`` of the JSON file ``file`` (e.g. credits.json)."""

    def add_object(
        self,
        path: str,
        storage_key: str,
        *,
        size_bytes: int | None = None,
        derivative: bool = False,
    ) -> ObjectRef:
        """Put the stored object ``storage_key`` into the archive as ``path``. Objects are
        streamed after the participants' reads (outside the database transaction); put
        the returned reference in a JSON value: it is written as ``path``, or ``null``
        when the object turned out to be gone (then listed as missing in the manifest).
        ``size_bytes``, when known, bounds how much is fetched ahead; a ``derivative``
        (an image's preview) is not counted as an image of its own."""


@dataclass(eq=False, slots=True)
class ObjectRef:
    """A stored object to include in an export; ``present`` is known once streamed."""

    path: str
    storage_key: str
    size_bytes: int | None = None
    present: bool | None = None
    derivative: bool = False


@dataclass
class ErasureContext:
    """Handed to each participant's ``erase``. ``conn`` is the erasure transaction
    (``None`` for external participants)."""

    subject: Subject
    erasure_id: str
    conn: AsyncConnection | None = None
    now: datetime = field(default_factory=utcnow)
    # Set when this erasure replays one the erasure journal recorded at that time (after
    # a backup restore, core.privacy.journal): it is not journalled a second time.
    replay_of: datetime | None = None
    # What a participant kept on purpose, for the receipt (catalogue keys under
    # ``privacy.kept``): e.g. ``abuse_prevention``.
    kept: set[str] = field(default_factory=set)
    _pseudonym_id: int | None = None

    @property
    def account_id(self) -> int:
        return self.subject.account_id

    @property
    def pseudonymised(self) -> bool:
        """True once a record was kept on a pseudonym in this erasure."""
        return self._pseudonym_id is not None

    async def pseudonym_id(self) -> int:
        """The account that keeps this erasure's pseudonymised records, created on first
        use: no identity, no preferences, ``erased_at`` set, balance 0."""
        if self._pseudonym_id is None:
            assert self.conn is not None, "only database participants pseudonymise"
            self._pseudonym_id = (
                await self.conn.execute(
                    accounts.insert()
                    .values(created_at=self.now, erased_at=self.now, balance_credits=0)
                    .returning(accounts.c.id)
                )
            ).scalar_one()
        return self._pseudonym_id


@runtime_checkable
class PrivacyParticipant(Protocol):
    # Read-only: a class attribute, a property or a frozen dataclass field will do.
    @property
    def name(self) -> str: ...

    @property
    def tables(self) -> tuple[str, ...]:
        """Database tables with an account reference it covers."""

    @property
    def external(self) -> bool:
        """True: storage, Redis, a payment provider (outside the transaction)."""

    @property
    def order(self) -> int:
        """Database participants erase in ascending order."""

    async def export(self, ctx: ExportContext) -> None:
        """Add this participant's data about ``ctx.subject`` to the export."""

    async def erase(self, ctx: ErasureContext) -> dict[str, int]:
        """Erase (or pseudonymise) the subject's data; return counts by kind (the kinds
        are ``count_keys``; each has a text, ``privacy.counted.<kind>``, on the receipt).

        Raises whatever fails: erasure never swallows an error."""

    # Optional (none when absent): ``count_keys: tuple[str, ...]``, the kinds ``erase``
    # may count.

    # Optional: ``async def collect(self, conn, account_id) -> Any``. Called in the
    # erasure's first transaction; the value is kept in ``subject.notes[name]`` for an
    # external participant's ``erase`` (which runs when the rows may be gone).


class PrivacyRegistry:
    """The participants of one application, built by the composition root."""

    def __init__(self) -> None:
        self._participants: dict[str, PrivacyParticipant] = {}
        self._payment_reasons: set[str] = set()

    def register(self, participant: PrivacyParticipant) -> None:
        """Raises: TypeError when ``export``/``erase`` are missing; ValueError for a
        name registered twice or a table another participant already covers."""
        for attr in ("export", "erase"):
            if not callable(getattr(participant, attr, None)):
                raise TypeError(f"privacy participant {participant!r} has no {attr}()")
        name = participant.name
        if name in self._participants:
            raise ValueError(f"privacy participant {name!r} registered twice")
        taken = self.covered_tables() & set(participant.tables)
        if taken:
            raise ValueError(f"tables {sorted(taken)} already have a privacy participant")
        self._participants[name] = participant

    def add_payment_reasons(self, *reasons: str) -> None:
        """Ledger reasons of payment records the law requires us to keep: their rows are
        pseudonymised on erasure instead of deleted."""
        self._payment_reasons.update(reasons)

    @property
    def payment_reasons(self) -> frozenset[str]:
        return frozenset(self._payment_reasons)

    @property
    def count_keys(self) -> frozenset[str]:
        """Every kind of count an erasure receipt may hold."""
        return frozenset(k for p in self._participants.values() for k in _count_keys(p))

    @property
    def participants(self) -> list[PrivacyParticipant]:
        return sorted(self._participants.values(), key=lambda p: (p.order, p.name))

    @property
    def database_participants(self) -> list[PrivacyParticipant]:
        return [p for p in self.participants if not p.external]

    @property
    def external_participants(self) -> list[PrivacyParticipant]:
        return [p for p in self.participants if p.external]

    def covered_tables(self) -> set[str]:
        return {t for p in self._participants.values() for t in p.tables}

    async def uncovered_tables(self, engine: AsyncEngine) -> list[str]:
        """Tables of the live schema with an account reference no participant covers."""
        async with engine.connect() as conn:
            referencing = await conn.run_sync(_tables_referencing_accounts)
        return sorted(set(referencing) - self.covered_tables())

    async def check(self, engine: AsyncEngine) -> None:
        """Raises: PrivacyCoverageError naming every uncovered table."""
        missing = await self.uncovered_tables(engine)
        if missing:
            raise PrivacyCoverageError(
                "tables with an account reference but no privacy participant (register "
                f"one in the privacy registry): {', '.join(missing)}"
            )


def _tables_referencing_accounts(sync_conn) -> list[str]:
    inspector = inspect(sync_conn)
    found = []
    for table in inspector.get_table_names():
        if table == "alembic_version":
            continue
        columns = {c["name"] for c in inspector.get_columns(table)}
        references = any(
            fk["referred_table"] == ACCOUNT_TABLE for fk in inspector.get_foreign_keys(table)
        )
        if table == ACCOUNT_TABLE or references or "account_id" in columns:
            found.append(table)
    return found


# -- a participant for a plain table --------------------------------------------------


@dataclass(frozen=True)
class TableParticipant:
    """Export and erase the rows of one table that reference the account.

    Args:
        export_file, export_section: where the rows go in the export
            (e.g. ``"credits.json"``, ``"payments"``).
        on_erase: ``"delete"`` the rows, or ``"pseudonymise"``: move them to the
            erasure's pseudonym account and set ``clear_columns`` to NULL.
        exclude_columns: left out of the export (e.g. internal secrets).
    """

    name: str
    table: Table
    export_file: str
    export_section: str
    on_erase: str = "delete"
    clear_columns: tuple[str, ...] = ()
    exclude_columns: tuple[str, ...] = ()
    account_column: str = "account_id"
    order: int = 50
    external: bool = False

    def __post_init__(self) -> None:
        if self.on_erase not in ("delete", "pseudonymise"):
            raise ValueError(f"on_erase must be 'delete' or 'pseudonymise', not {self.on_erase!r}")

    @property
    def tables(self) -> tuple[str, ...]:
        return (self.table.name,)

    @property
    def count_keys(self) -> tuple[str, ...]:
        suffix = "deleted" if self.on_erase == "delete" else "pseudonymised"
        return (f"{self.name}_{suffix}",)

    async def export(self, ctx: ExportContext) -> None:
        column = self.table.c[self.account_column]
        rows = (
            await ctx.conn.execute(select(self.table).where(column == ctx.subject.account_id))
        ).all()
        skip = {self.account_column, *self.exclude_columns}
        ctx.add_json(self.export_file, self.export_section, json_rows(rows, skip=skip))

    async def erase(self, ctx: ErasureContext) -> dict[str, int]:
        assert ctx.conn is not None
        column = self.table.c[self.account_column]
        if self.on_erase == "delete":
            result = await ctx.conn.execute(delete(self.table).where(column == ctx.account_id))
            return {f"{self.name}_deleted": result.rowcount}
        values: dict[str, Any] = {self.account_column: await ctx.pseudonym_id()}
        values.update({name: None for name in self.clear_columns})
        result = await ctx.conn.execute(
            update(self.table).where(column == ctx.account_id).values(**values)
        )
        return {f"{self.name}_pseudonymised": result.rowcount}


def json_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return json.loads(json.dumps(value, default=str))


def json_rows(rows: Iterable[Any], *, skip: Iterable[str] = ()) -> list[dict[str, Any]]:
    skipped = set(skip)
    return [{k: json_value(v) for k, v in row._mapping.items() if k not in skipped} for row in rows]


async def collect_subject(
    conn: AsyncConnection, account_id: int, registry: PrivacyRegistry | None = None
) -> Subject:
    """What external participants need, read before the rows leading to it go; with
    ``registry``, each participant's own ``collect`` too."""
    from core.db.tables import exports, identities, images, jobs, uploads

    found = await conn.execute(
        select(identities.c.platform, identities.c.platform_user_id).where(
            identities.c.account_id == account_id
        )
    )
    ids = tuple((r.platform, r.platform_user_id) for r in found)
    job_ids = tuple(
        (await conn.execute(select(jobs.c.id).where(jobs.c.account_id == account_id))).scalars()
    )
    found_images = await conn.execute(
        select(images.c.storage_key, images.c.preview_key).where(images.c.account_id == account_id)
    )
    keys = [key for row in found_images for key in row if key is not None]
    keys += (
        await conn.execute(select(uploads.c.storage_key).where(uploads.c.account_id == account_id))
    ).scalars()
    keys += (
        await conn.execute(select(exports.c.storage_key).where(exports.c.account_id == account_id))
    ).scalars()
    subject = Subject(account_id, ids, job_ids, tuple(keys))
    for participant in registry.participants if registry is not None else ():
        collect = getattr(participant, "collect", None)
        if collect is not None:
            subject.notes[participant.name] = await collect(conn, account_id)
    return subject


def _count_keys(participant: PrivacyParticipant) -> tuple[str, ...]:
    return tuple(getattr(participant, "count_keys", ()))

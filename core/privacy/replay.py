"""Replaying the erasure journal, so that a restore never brings an erased user back.

Every role runs :func:`replay_journal` at start, before it serves anyone (``bot.bootstrap``),
and ``seedream restore`` runs it right after restoring. The database remembers how far
it read the journal (``deployment_values``, name ``erasure_journal_replayed_through``):
a database restored from a backup remembers the backup's point, so every erasure made
since is read again.

An entry is done when this database already holds each of its hashes as ``erased`` at
that time or later (the erasure happened in this database). Otherwise each account
holding one of its identities, with the identity row created no later than the erasure
(a user who came back after it has a newer identity row and is left alone), is erased
again without a code (``core.privacy.erase.replay_erasure``), and the hashes are kept as
erased. Safe to repeat: a failure stops the start, and the next start reads on from the
last entry done.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection

from core.clock import utcnow
from core.db.engine import UnitOfWorkFactory, insert_once
from core.db.tables import deployment_values, identities
from core.privacy.abuse import AbuseHasher, erasure_known, record_erased
from core.privacy.erase import replay_erasure
from core.privacy.external import export_prefix, image_prefix, upload_prefix
from core.privacy.journal import ErasureJournal, JournalEntry
from core.privacy.registry import PrivacyRegistry, Subject

__all__ = ["REPLAYED_THROUGH", "ReplayReport", "replay_journal"]

log = logging.getLogger("seedream.privacy")

REPLAYED_THROUGH = "erasure_journal_replayed_through"
_LOCK = text("SELECT pg_advisory_lock(hashtextextended(:key, 0))")
_UNLOCK = text("SELECT pg_advisory_unlock(hashtextextended(:key, 0))")
_Holder = tuple[int, str, datetime]  # account id, identity hash, identity created_at


@dataclass
class ReplayReport:
    """What a replay did: entries read, accounts erased again and their subjects (whose
    storage keys a restore's object check leaves out: they are meant to be gone)."""

    entries_read: int = 0
    accounts_erased: list[int] = field(default_factory=list)
    subjects: list[Subject] = field(default_factory=list)

    def erased_prefixes(self) -> tuple[str, ...]:
        return tuple(
            prefix(s.account_id)
            for s in self.subjects
            for prefix in (image_prefix, export_prefix, upload_prefix)
        )

    def erased_keys(self) -> frozenset[str]:
        return frozenset(key for s in self.subjects for key in s.storage_keys)


async def replay_journal(
    uow: UnitOfWorkFactory,
    registry: PrivacyRegistry,
    journal: ErasureJournal,
    hasher: AbuseHasher,
) -> ReplayReport:
    """Erase again every account an erasure in the journal, unknown to this database,
    names (see the module docstring).

    Raises:
        Whatever the journal's store or an erasure raises (never swallowed: the role
        does not start, and the next start tries again).
    """
    engine = uow.engine
    if engine.dialect.name != "postgresql":  # SQLite: one process, writers queue anyway
        return await _replay(uow, registry, journal, hasher)
    # Roles started together after a restore replay one after the other: the second finds
    # the entries done (and reads on from where the first stopped).
    async with engine.connect() as lock:
        await lock.execute(_LOCK, {"key": REPLAYED_THROUGH})
        await lock.commit()
        try:
            return await _replay(uow, registry, journal, hasher)
        finally:
            await lock.execute(_UNLOCK, {"key": REPLAYED_THROUGH})
            await lock.commit()


async def _replay(
    uow: UnitOfWorkFactory,
    registry: PrivacyRegistry,
    journal: ErasureJournal,
    hasher: AbuseHasher,
) -> ReplayReport:
    report = ReplayReport()
    async with uow() as tx:
        through = await tx.conn.scalar(
            select(deployment_values.c.value).where(deployment_values.c.name == REPLAYED_THROUGH)
        )
    keys = await journal.keys_after(through)
    holders: list[_Holder] | None = None  # read once, when first needed
    for key in keys:
        entry = await journal.read(key)
        report.entries_read += 1
        async with uow() as tx:
            known = await erasure_known(tx.conn, list(entry.identity_hashes), entry.erased_at)
            if not known and holders is None:
                holders = await _identity_holders(tx.conn, hasher)
        if not known:
            assert holders is not None
            for account_id in _accounts_of(entry, holders):
                log.warning("erasure journal: erasing account %s again (restored)", account_id)
                _, subjects = await replay_erasure(
                    uow, registry, account_id, erased_at=entry.erased_at
                )
                report.accounts_erased.append(account_id)
                report.subjects += subjects
                holders = None  # the erasure changed them: read again when next needed
            async with uow() as tx:
                await record_erased(tx.conn, list(entry.identity_hashes), entry.erased_at)
                await tx.commit()
        await _remember(uow, key)
    if report.accounts_erased:
        log.warning(
            "erasure journal: %d entries read, %d accounts erased again",
            report.entries_read,
            len(report.accounts_erased),
        )
    return report


async def _identity_holders(conn: AsyncConnection, hasher: AbuseHasher) -> list[_Holder]:
    """(account id, identity hash, identity created_at) of every identity."""
    rows = await conn.execute(
        select(
            identities.c.account_id,
            identities.c.platform,
            identities.c.platform_user_id,
            identities.c.created_at,
        )
    )
    return [
        (r.account_id, hasher.identity_hash(r.platform, r.platform_user_id), r.created_at)
        for r in rows
    ]


def _accounts_of(entry: JournalEntry, holders: list[_Holder]) -> list[int]:
    wanted = set(entry.identity_hashes)
    found = {
        account_id
        for account_id, identity_hash, created_at in holders
        if identity_hash in wanted and created_at <= entry.erased_at
    }
    return sorted(found)


async def _remember(uow: UnitOfWorkFactory, key: str) -> None:
    async with uow() as tx:
        inserted = await insert_once(
            tx.conn,
            deployment_values,
            ["name"],
            name=REPLAYED_THROUGH,
            value=key,
            created_at=utcnow(),
        )
        if not inserted:
            await tx.conn.execute(
                update(deployment_values)
                .where(
                    deployment_values.c.name == REPLAYED_THROUGH,
                    deployment_values.c.value < key,
                )
                .values(value=key)
            )
        await tx.commit()

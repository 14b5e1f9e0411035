"""Backups that restore (issue 19), on PostgreSQL databases of their own (pg_dump and
pg_restore work on whole databases) and on SQLite:

* back up, erase a user with /forgetme, restore the older backup into a fresh database:
  the erasure journal's replay erases the user again (no identity, job or ledger row, no
  image of theirs left in storage), and a role started on a restored database that was
  not replayed replays by itself;
* the restore drill: populate, back up (objects copied to a second bucket), lose an
  object, drop the database, restore into a fresh one: the missing object is reported,
  a non-empty database is refused, and a restore that brings the objects back from the
  copy passes the ledger audit (every balance is the sum of its ledger rows, every
  succeeded job's images exist);
* SQLite with a local folder: the same erasure guarantee, a user who came back after
  the erasure is left alone, and objects brought back from a copied folder.
"""

from __future__ import annotations

import asyncio
import json
import shutil
from contextlib import AsyncExitStack

import pytest
from pydantic import SecretStr

from bot.backup import run_backup, run_restore
from bot.bootstrap import bootstrap
from bot.migrate import upgrade
from core.db.backup import MANIFEST, read_manifest, restore_database
from core.db.dump import DatabaseNotEmpty
from core.db.engine import make_engine
from core.privacy.journal import JOURNAL_PREFIX
from tests.conftest import REDIS_URL
from tests.support.backups import (
    databases,
    erase,
    image_keys,
    ledger_audit,
    populate,
    traces_of,
)
from tests.support.moto import production_settings_update, start_moto_server

SECRET = SecretStr("backup-test-abuse-secret-0123456789")


@pytest.fixture
def base_settings(settings):
    return settings.model_copy(update={"abuse_hash_secret": SECRET})


async def _present(storage, keys: list[str]) -> list[str]:
    found = []
    for key in keys:
        try:
            await storage.get(key)
            found.append(key)
        except KeyError:
            pass
    return found


async def test_an_erased_user_stays_erased_after_restoring_an_older_backup_pg(
    base_settings, tmp_path
):
    async with databases() as new_database:
        live = base_settings.model_copy(update={"database_url": await new_database()})
        async with bootstrap(live, migrate=True) as app:
            alice = await populate(app, "alice")
            bob = await populate(app, "bob")
        folder, manifest = await run_backup(live, tmp_path / "backups")
        listed = {entry.key for entry in manifest.objects}
        assert set(alice.image_keys) | set(bob.image_keys) <= listed

        async with bootstrap(live) as app:
            await erase(app, alice.actor)
            assert await _present(app.storage, alice.image_keys) == []
            journal = await app.storage.list_keys(JOURNAL_PREFIX)
            assert len(journal) == 1
            entry = json.loads(await app.storage.get(journal[0]))
            assert set(entry) == {"format", "erased_at", "identity_hashes"}  # nothing else
            assert alice.actor.platform_user_id.encode() not in await app.storage.get(journal[0])

        # The older backup into a fresh database: alice is erased again before any use.
        restored = live.model_copy(update={"database_url": await new_database()})
        result = await run_restore(restored, folder)
        assert result.accounts_erased_again == [alice.account_id]
        assert set(alice.image_keys) <= set(result.objects.erased)
        assert not set(alice.image_keys) & set(result.objects.present)
        assert set(bob.image_keys) <= set(result.objects.present)
        assert result.objects.ok, (result.objects.missing, result.objects.mismatched)
        assert not set(result.objects.present) & set(result.objects.erased)
        async with bootstrap(restored) as app:
            assert app.journal_replay.entries_read == 0  # read once, remembered
            assert await traces_of(app, alice.account_id, alice.actor) == {}
            assert await traces_of(app, bob.account_id, bob.actor) == {
                "identities": 1,
                "jobs": 1,
                "ledger": 1,
            }
            assert await image_keys(app, alice.account_id) == []
            assert await _present(app.storage, alice.image_keys) == []
            assert await app.core.find_account(alice.actor) is None

        # A restore cut short before the replay: the roles replay it as they start, two
        # at once here, one after the other (the second finds the entry done).
        cut_short = live.model_copy(update={"database_url": await new_database()})
        await restore_database(
            folder, read_manifest(folder), cut_short.resolved_database_url(), force=False
        )
        engine = make_engine(cut_short.resolved_database_url())
        try:
            await upgrade(engine)
            async with AsyncExitStack() as stack:
                roles = await asyncio.gather(
                    *(
                        stack.enter_async_context(
                            bootstrap(cut_short, engine=engine, migrate=False)
                        )
                        for _ in range(2)
                    )
                )
                erased = sorted(a for app in roles for a in app.journal_replay.accounts_erased)
                assert erased == [alice.account_id]
                assert await traces_of(roles[0], alice.account_id, alice.actor) == {}
        finally:
            await engine.dispose()


@pytest.fixture(scope="module")
def moto_endpoint():
    endpoint, stop = start_moto_server()
    yield endpoint
    stop()


async def test_restore_drill_on_postgres_and_s3(base_settings, tmp_path, moto_endpoint):
    s3 = {**await production_settings_update(moto_endpoint, REDIS_URL), "redis_url": None}
    copy_bucket = (await production_settings_update(moto_endpoint, REDIS_URL))["s3_bucket"]
    async with databases() as new_database:
        live = base_settings.model_copy(update={**s3, "database_url": await new_database()})
        async with bootstrap(live, migrate=True) as app:
            users = [await populate(app, word, jobs_count=2) for word in ("ann", "ben", "cy")]
            assert await ledger_audit(app) == []
        folder, manifest = await run_backup(
            live, tmp_path / "backups", copy_objects=f"s3://{copy_bucket}"
        )
        assert manifest.objects_copied_to == f"s3://{copy_bucket}"
        assert (folder / MANIFEST).is_file() and (folder / "database.pgdump").is_file()
        every_image = sorted(key for user in users for key in user.image_keys)
        assert set(every_image) <= {entry.key for entry in manifest.objects}

        # Disaster: one object lost, the database dropped and made again, empty.
        lost = users[1].image_keys[0]
        async with bootstrap(live) as app:
            await app.storage.delete_many([lost])
            with pytest.raises(DatabaseNotEmpty):  # the live one is refused ...
                await run_restore(live, folder)
            assert await traces_of(app, users[0].account_id, users[0].actor)  # untouched

        fresh = live.model_copy(update={"database_url": await new_database()})
        result = await run_restore(fresh, folder)
        assert result.objects.missing == [lost]
        assert not result.objects.ok and result.objects.mismatched == []
        assert result.accounts_erased_again == []

        # ... unless forced; the copy brings the lost object back.
        result = await run_restore(fresh, folder, force=True, objects_from=f"s3://{copy_bucket}")
        assert result.brought_back == 1 and result.not_in_copy == []
        assert result.objects.ok and set(every_image) <= set(result.objects.present)
        async with bootstrap(fresh) as app:
            assert await ledger_audit(app) == []
            for user in users:
                assert (await app.core.account(user.actor)).account_id == user.account_id


async def test_sqlite_backup_erasure_and_a_copied_folder(base_settings, tmp_path):
    live = base_settings
    async with bootstrap(live, migrate=True) as app:
        alice = await populate(app, "alice", jobs_count=1)
        bob = await populate(app, "bob", jobs_count=2)
    copy = tmp_path / "copy"
    old, _ = await run_backup(live, tmp_path / "backups", copy_objects=str(copy))
    assert (old / "database.sqlite").is_file()

    async with bootstrap(live) as app:
        await erase(app, alice.actor)
        # alice comes back after the erasure: a new identity, a new account
        await app.core.accept_terms(alice.actor, age_confirmed=True)
        again = (await app.core.account(alice.actor)).account_id
    newer, _ = await run_backup(live, tmp_path / "backups")

    # Storage lost too: the media folder is gone (the journal kept elsewhere survives).
    journal_dir = tmp_path / "journal"
    shutil.copytree(live.data_dir / "media" / "erasure-journal", journal_dir / "erasure-journal")
    shutil.rmtree(live.data_dir / "media")
    target = live.model_copy(
        update={
            "database_url": f"sqlite+aiosqlite:///{tmp_path / 'restored.db'}",
            "erasure_journal_dir": journal_dir,
        }
    )
    result = await run_restore(target, old, objects_from=str(copy))
    assert result.accounts_erased_again == [alice.account_id]
    assert result.objects.ok and set(bob.image_keys) <= set(result.objects.present)
    assert set(alice.image_keys) <= set(result.objects.erased)
    async with bootstrap(target) as app:
        assert await traces_of(app, alice.account_id, alice.actor) == {}
        assert await _present(app.storage, alice.image_keys) == []
        assert await ledger_audit(app) == []

    # The newer backup holds alice's new account: it is not erased again.
    result = await run_restore(target, newer, force=True)
    assert result.accounts_erased_again == []
    async with bootstrap(target) as app:
        assert (await app.core.account(alice.actor)).account_id == again

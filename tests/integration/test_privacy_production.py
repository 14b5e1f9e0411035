"""The production shape: PostgreSQL + the real Redis + S3 (moto over HTTP), built by
bootstrap from settings. A user seeded with jobs (finished, delivered, parked, queued),
images (one deleted), a reference image they brought, exports, a payment, training
consent and Redis keys:

* the export (downloaded through its presigned link) holds every row and object;
* after /forgetme a scan of every table, every Redis key of the deployment's prefix and
  every key of the bucket finds nothing linked to the user but the pseudonymised payment;
* the other user's rows are untouched, row by row, and so are their keys and objects;
* a debug-level log of /imagine -> /mydata -> /forgetme holds no prompt, token or id.

Each check runs embedded (SQLite, local storage, in-process limits and events) as well.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import logging
import uuid
import zipfile

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import select

from adapters.console.adapter import ConsoleAdapter
from bot.bootstrap import bootstrap
from bot.logs import setup_logging
from core import ledger as credits
from core.db.tables import accounts, consents, images, jobs, ledger_entries, uploads
from core.privacy.abuse import ERASED
from core.privacy.erase import ErasureChallenge
from core.privacy.journal import JOURNAL_PREFIX
from core.types import Actor, ImagineRequest, ReferenceUpload, ReplyTarget
from tests.conftest import REDIS_URL, unique_user
from tests.support.fakes import RecordingDelivery
from tests.support.moto import S3_SECRET, production_settings_update, start_moto_server
from tests.support.privacy_scan import redis_hits, rows_linked_to, snapshot, storage_hits
from tests.support.upload_images import geotagged_jpeg

TARGET = ReplyTarget("test", {"chat": "1"})
PARKED = ReplyTarget("parked", {"chat": "2"})  # no adapter consumes it: events stay in Redis


@pytest.fixture(scope="module")
def moto_endpoint():
    endpoint, stop = start_moto_server()
    yield endpoint
    stop()


@pytest.fixture
async def prod_settings(settings, moto_endpoint):
    update = await production_settings_update(moto_endpoint, REDIS_URL)
    update["user_requests_per_minute"] = 100  # leaves a rate-limit window per user in Redis
    update["export_interval_s"] = 0
    return settings.model_copy(update=update)


@pytest.fixture
async def prod_app(prod_settings, pg_engine):
    async with bootstrap(prod_settings, engine=pg_engine, migrate=False) as app:
        try:
            yield app
        finally:
            async for key in app.redis.scan_iter(match=f"{prod_settings.redis_prefix}*"):
                await app.redis.delete(key)


async def _seed(app, actor: Actor, word: str, delivered: RecordingDelivery) -> list[str]:
    """Jobs, images, a payment for ``actor``; returns the job ids."""
    await app.core.accept_terms(actor, age_confirmed=True)
    account_id = (await app.core.account(actor)).account_id
    async with app.uow() as tx:
        await credits.apply_entry(
            tx.conn,
            account_id=account_id,
            amount_credits=50,
            reason="purchase",
            reference=f"pi_{uuid.uuid4().hex}",
        )
        await tx.commit()
    one = await app.core.imagine(actor, ImagineRequest(f"{word} prompt one"), TARGET)
    two = await app.core.imagine(actor, ImagineRequest(f"{word} prompt two", image_count=2), TARGET)
    parked = await app.core.imagine(actor, ImagineRequest(f"{word} parked prompt"), PARKED)
    await app.worker.run(burst=True)
    photo = ReferenceUpload(geotagged_jpeg(), f"{word}.jpg")  # an upload: stored clean
    drawn = await app.core.imagine(
        actor, ImagineRequest(f"{word} prompt three", reference_images=(photo,)), TARGET
    )
    await app.worker.run(burst=True)
    for job in (one, two, drawn):
        await delivered.wait_for(job.job_id, "finished")
    return [one.job_id, two.job_id, parked.job_id, drawn.job_id]


async def test_export_holds_everything_and_erasure_leaves_nothing(prod_app, pg_engine):
    await _export_then_erase(prod_app, pg_engine)


async def test_export_and_erasure_embedded(settings, sqlite_engine):
    """The same on SQLite with local storage and in-process limits and events."""
    settings = settings.model_copy(update={"export_interval_s": 0, "user_requests_per_minute": 100})
    async with bootstrap(settings, engine=sqlite_engine, migrate=False) as app:
        await _export_then_erase(app, sqlite_engine)


async def _export_then_erase(app, engine) -> None:
    prefix = app.settings.redis_prefix
    app.privacy.registry.add_payment_reasons("purchase")
    delivered = RecordingDelivery()
    app.events.register("test", delivered)
    consumer = asyncio.create_task(app.events.consume())
    try:
        alice = Actor("test", unique_user("alice"), "Alice Example", "en")
        bob = Actor("test", unique_user("bob"), "Bob Example", "en")
        alice_jobs = await _seed(app, alice, "alicean", delivered)
        await _seed(app, bob, "bobbish", delivered)
    finally:
        consumer.cancel()
        await asyncio.gather(consumer, return_exceptions=True)
    await app.privacy.set_training_opt_in(alice, True)
    gone = (await app.core.job(alice, alice_jobs[1])).images[0]
    await app.privacy.delete_image(alice, gone.image_id)
    queued = await app.core.imagine(alice, ImagineRequest("alicean queued prompt"), TARGET)
    alice_jobs.append(queued.job_id)
    await app.privacy.export(alice)  # an earlier export, itself stored data
    await app.privacy.export(bob)
    alice_id = (await app.core.account(alice)).account_id

    # -- the export holds every row and object ------------------------------------------
    result = await app.privacy.export(alice)
    if app.local_store is None:  # S3: through the presigned link the user gets
        async with httpx.AsyncClient() as http:
            response = await http.get(result.url)
        assert response.status_code == 200
        body = response.content
    else:  # the local link is served by adapters/web (tested in the e2e suite)
        body = await app.storage.get(f"exports/{alice_id}/{result.export_id}.zip")
    archive = zipfile.ZipFile(io.BytesIO(body))
    manifest = json.loads(archive.read("manifest.json"))
    for entry in manifest["files"]:
        assert hashlib.sha256(archive.read(entry["path"])).hexdigest() == entry["sha256"]
    account = json.loads(archive.read("account.json"))
    ledger = json.loads(archive.read("credits.json"))["ledger"]
    generations = json.loads(archive.read("generations.json"))["generations"]
    async with app.uow() as tx:
        db_jobs = set(
            (
                await tx.conn.execute(select(jobs.c.id).where(jobs.c.account_id == alice_id))
            ).scalars()
        )
        db_ledger = set(
            (
                await tx.conn.execute(
                    select(ledger_entries.c.id).where(ledger_entries.c.account_id == alice_id)
                )
            ).scalars()
        )
        db_consents = (
            await tx.conn.execute(select(consents).where(consents.c.account_id == alice_id))
        ).all()
        db_images = (
            await tx.conn.execute(
                select(images).where(images.c.account_id == alice_id, images.c.deleted_at.is_(None))
            )
        ).all()
        db_uploads = (
            await tx.conn.execute(select(uploads).where(uploads.c.account_id == alice_id))
        ).all()
    assert len(db_uploads) == 1
    assert {g["job_id"] for g in generations} == db_jobs == set(alice_jobs)
    assert {e["id"] for e in ledger} == db_ledger
    assert len(account["consents"]) == len(db_consents) == 3
    assert account["preferences"]["training_opt_in"] is True
    assert [i["platform_user_id"] for i in account["identities"]] == [alice.platform_user_id]
    assert len(account["exports"]) == 2  # the earlier one and this one
    exported = {i["image_id"]: i["file"] for g in generations for i in g["images"]}
    assert set(exported) == {r.id for r in db_images} and gone.image_id not in exported
    previews = {i["image_id"]: i["preview"]["file"] for g in generations for i in g["images"]}
    for row in db_images:
        assert archive.read(exported[row.id]) == await app.storage.get(row.storage_key)
        assert archive.read(previews[row.id]) == await app.storage.get(row.preview_key)
    listed = json.loads(archive.read("uploads.json"))["uploads"]
    assert [u["upload_id"] for u in listed] == [r.id for r in db_uploads]
    for entry, row in zip(listed, db_uploads, strict=True):
        assert archive.read(entry["file"]) == await app.storage.get(row.storage_key)

    # -- erasure ------------------------------------------------------------------------
    needles = [alice.platform_user_id, "Alice Example", "alicean", *alice_jobs]
    needles += [f"images/{alice_id}/", f"uploads/{alice_id}/", db_uploads[0].id]
    linked_before = await rows_linked_to(engine, alice_id, needles)
    if app.redis is not None:
        assert await redis_hits(app.redis, prefix, needles)  # the scan can see them
    bob_keys = [
        k for k in await app.storage.list_keys("") if not storage_hits([k], alice_id, needles)
    ]
    before = await snapshot(engine)
    challenge = await app.privacy.forget(alice)
    assert isinstance(challenge, ErasureChallenge)
    receipt = await app.privacy.forget(alice, challenge.code)
    assert receipt.erased and receipt.cancelled_jobs == 1
    assert receipt.counts["payment_records_pseudonymised"] == 1
    # Five images (one deleted), each with its preview, one upload, two exports.
    assert receipt.counts["storage_objects"] == 5 * 2 + 1 + 2
    assert receipt.counts["uploads"] == 1

    assert await rows_linked_to(engine, alice_id, needles) == []
    if app.redis is not None:
        hits = await redis_hits(app.redis, prefix, [*needles, f'"account_id": {alice_id},'])
        assert hits == []
        assert await app.redis.exists(f"{prefix}:rate:user:test:{bob.platform_user_id}")
    else:  # the in-process rate-limit window named after Alice's identity is gone
        assert receipt.counts["rate_windows"] == 1
    assert storage_hits(await app.storage.list_keys(""), alice_id, needles) == []
    # Besides Bob's objects, only the erasure's journal entry (hashes and a time).
    journal = await app.storage.list_keys(JOURNAL_PREFIX)
    assert len(journal) == 1
    assert sorted(set(await app.storage.list_keys("")) - set(journal)) == sorted(bob_keys)

    # Other users untouched row by row: only Alice's rows went or changed; the only new
    # rows are the pseudonym and the payment record it keeps.
    after = await snapshot(engine)
    linked = {(t, row) for t, row in linked_before}
    async with app.uow() as tx:
        pseudonym = await tx.conn.scalar(
            select(accounts.c.id).where(accounts.c.erased_at.is_not(None))
        )
    for table in before:
        assert {(table, r) for r in before[table] - after[table]} <= linked, table
        for row in after[table] - before[table]:
            if table == "abuse_prevention_hashes":  # the erased identity's hash and time
                assert row[2] == ERASED and row[4] is not None, row
                continue
            assert table in ("accounts", "ledger_entries"), (table, row)
            assert pseudonym in row
    async with app.uow() as tx:
        assert await credits.conservation_gap(tx.conn) == 0


async def test_debug_logs_hold_no_prompt_token_or_user_id_embedded(settings, tmp_path):
    """SQLite file and local storage, as `seedream console` runs with no configuration."""
    await _scan_debug_log_of_a_full_run(settings, None, tmp_path)


async def test_debug_logs_hold_no_prompt_token_or_user_id_production(
    prod_settings, pg_engine, tmp_path
):
    await _scan_debug_log_of_a_full_run(prod_settings, pg_engine, tmp_path)


async def _scan_debug_log_of_a_full_run(settings, engine, tmp_path) -> None:
    """/accept, /imagine, /mydata, /forgetme, /forgetme CODE at DEBUG through the real
    logging set-up; the log file and the metrics page hold no prompt, id or secret."""
    settings = settings.model_copy(
        update={
            "log_level": "DEBUG",
            "telegram_token": SecretStr("123456789:telegram-token-for-the-log-test"),
            "discord_token": SecretStr("discord-token-for-the-log-test-0123456789"),
        }
    )
    log_file = tmp_path / "seedream.log"
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    user_id, prompt = unique_user("loguser"), "a very private purple giraffe"
    out = io.StringIO()
    setup_logging("DEBUG", secrets=settings.secrets(), log_file=log_file)
    try:
        async with bootstrap(settings, engine=engine) as app:
            console = ConsoleAdapter(
                app.core, app.messages, app.events, stdin=io.StringIO(), stdout=out, user_id=user_id
            )
            consumer = asyncio.create_task(app.events.consume())
            try:
                await console.handle_line("/accept")
                await console.handle_line(f"/imagine {prompt}")
                await app.worker.run(burst=True)
                await asyncio.wait_for(console._all_done.wait(), timeout=30)
                await console.handle_line("/mydata")
                await console.handle_line("/forgetme")
                code = out.getvalue().split("/forgetme ")[-1].split()[0]
                await console.handle_line(f"/forgetme {code}")
                await app.metrics.refresh_from_db(app.engine, queue_depth=0)
                metrics_text = app.metrics.render()[0].decode()
            finally:
                consumer.cancel()
                await asyncio.gather(consumer, return_exceptions=True)
                if app.redis is not None:
                    async for key in app.redis.scan_iter(match=f"{settings.redis_prefix}*"):
                        await app.redis.delete(key)
    finally:
        for handler in root.handlers:
            handler.close()
        root.handlers[:], _ = saved
        root.setLevel(saved[1])
    replies = out.getvalue()
    assert "Done" in replies and "data export is ready" in replies and "Erased at" in replies
    logged = log_file.read_text(encoding="utf-8")
    assert "erasure done" in logged and "export ready" in logged  # the log was captured
    for secret in (
        prompt,
        "purple giraffe",
        user_id,
        code,
        S3_SECRET,
        "very private",
        settings.telegram_token.get_secret_value(),
        settings.discord_token.get_secret_value(),
        settings.signing_secret.get_secret_value(),
    ):
        assert secret not in logged, secret
        assert secret not in metrics_text, secret
    assert "seedream_jobs_submitted_total" in metrics_text

"""Privacy through bootstrap, on SQLite (embedded) and on the real PostgreSQL: the export's
hourly limit, the erasure's confirmation code, repeat erasure, a returning user, deleting
one image, consent history and the training flag, the policy text, and the start-up
coverage check of the participant registry."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table, select, update

from bot.bootstrap import bootstrap
from core import ledger as credits
from core.clock import utcnow
from core.db.tables import (
    accounts,
    consents,
    exports,
    images,
    ledger_entries,
    privacy_confirmations,
)
from core.errors import (
    ConfirmationInvalid,
    ExportTooSoon,
    NotFound,
    TermsNotAccepted,
)
from core.privacy.erase import ErasureChallenge, ErasureReceipt
from core.privacy.registry import PrivacyCoverageError, TableParticipant
from core.types import Actor, ImagineRequest, ReplyTarget
from tests.conftest import unique_user

TARGET = ReplyTarget("test", {"chat": "1"})


async def _user(app, name: str = "Tester") -> Actor:
    actor = Actor("test", unique_user(), name, "en")
    await app.core.accept_terms(actor, age_confirmed=True)
    return actor


async def _generate(app, actor: Actor, prompt: str = "a red fox", count: int = 1):
    job = await app.core.imagine(actor, ImagineRequest(prompt, image_count=count), TARGET)
    await app.worker.run(burst=True)
    return (await app.core.job(actor, job.job_id)).images


async def _zip_of(app, url_key: str) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(await app.storage.get(url_key)))


async def _export_key(app, export_id: str) -> str:
    async with app.uow() as tx:
        return await tx.conn.scalar(select(exports.c.storage_key).where(exports.c.id == export_id))


async def _erase(app, actor: Actor) -> ErasureReceipt:
    challenge = await app.privacy.forget(actor)
    assert isinstance(challenge, ErasureChallenge)
    receipt = await app.privacy.forget(actor, challenge.code)
    assert isinstance(receipt, ErasureReceipt)
    return receipt


async def test_export_once_an_hour_with_every_file_checksummed(app):
    actor = await _user(app)
    (image,) = await _generate(app, actor)
    result = await app.privacy.export(actor)
    assert result.image_count == 1
    assert result.expires_at - result.expires_at.now(result.expires_at.tzinfo) > timedelta(hours=23)
    archive = await _zip_of(app, await _export_key(app, result.export_id))
    names = set(archive.namelist())
    assert {
        "account.json",
        "credits.json",
        "generations.json",
        "README.txt",
        "manifest.json",
    } <= names
    manifest = json.loads(archive.read("manifest.json"))
    assert {f["path"] for f in manifest["files"]} == names - {"manifest.json"}
    import hashlib

    for entry in manifest["files"]:
        assert hashlib.sha256(archive.read(entry["path"])).hexdigest() == entry["sha256"]
    generations = json.loads(archive.read("generations.json"))["generations"]
    assert generations[0]["prompt"] == "a red fox"
    assert generations[0]["images"][0]["image_id"] == image.image_id
    with pytest.raises(ExportTooSoon) as err:
        await app.privacy.export(actor)
    assert 3500 <= err.value.retry_after_s <= 3600


async def test_export_of_an_unknown_user_creates_nothing(app):
    with pytest.raises(NotFound):
        await app.privacy.export(Actor("test", unique_user()))
    assert await app.core.find_account(Actor("test", unique_user())) is None


async def test_erasure_needs_the_right_unexpired_code(app):
    actor = await _user(app)
    challenge = await app.privacy.forget(actor)
    with pytest.raises(ConfirmationInvalid):
        await app.privacy.forget(actor, "WRONG-CODE")
    async with app.uow() as tx:
        await tx.conn.execute(
            update(privacy_confirmations).values(expires_at=utcnow() - timedelta(seconds=1))
        )
        await tx.commit()
    with pytest.raises(ConfirmationInvalid):
        await app.privacy.forget(actor, challenge.code)
    assert await app.core.find_account(actor) is not None  # nothing erased
    receipt = await _erase(app, actor)
    assert receipt.erased and receipt.counts["accounts"] == 1


async def test_erasure_twice_is_harmless_and_a_returning_user_is_new(app):
    actor = await _user(app)
    await _generate(app, actor)
    old = await app.core.account(actor)
    first = await _erase(app, actor)
    assert first.erased and first.counts["jobs"] == 1 and first.counts["images"] == 1
    again = await app.privacy.forget(actor)  # no account: nothing to confirm, none created
    assert isinstance(again, ErasureReceipt) and not again.erased
    assert await app.core.find_account(actor) is None
    with pytest.raises(TermsNotAccepted):  # a stranger again: terms first
        await app.core.imagine(actor, ImagineRequest("a fox"), TARGET)
    again_welcome = await app.core.accept_terms(actor, age_confirmed=True)
    new = await app.core.account(actor)
    # New account, but the identity had its welcome grant (abuse prevention, issue 12).
    assert again_welcome.welcome_credits == 0 and new.balance_credits == 0
    assert await app.core.history(actor) == []
    async with app.uow() as tx:  # nothing of the old account survived
        assert await tx.conn.scalar(
            select(accounts.c.id).where(accounts.c.id == old.account_id)
        ) in (
            None,
            new.account_id,  # SQLite may hand out a freed rowid again
        )


async def test_queued_jobs_are_cancelled_and_refunded_by_erasure(app):
    actor = await _user(app)
    await app.core.imagine(actor, ImagineRequest("a fox", image_count=2), TARGET)
    receipt = await _erase(app, actor)
    assert receipt.cancelled_jobs == 1 and receipt.refunded_credits == 2
    async with app.uow() as tx:
        assert await credits.conservation_gap(tx.conn) == 0


async def test_delete_one_image_only_by_its_owner(app):
    """Another user's image is "not found", as for /vary: the answer does not reveal that
    the id exists (issue 17, edge 12)."""
    owner, other = await _user(app), await _user(app)
    first, second = await _generate(app, owner, count=2)
    with pytest.raises(NotFound) as refused:
        await app.privacy.delete_image(other, first.image_id)
    assert type(refused.value) is NotFound and refused.value.what == "image"
    with pytest.raises(NotFound):
        await app.privacy.delete_image(owner, "no-such-image")
    async with app.uow() as tx:
        key = await tx.conn.scalar(
            select(images.c.storage_key).where(images.c.id == first.image_id)
        )
    await app.privacy.delete_image(owner, first.image_id)
    (job,) = await app.core.history(owner)
    assert [i.image_id for i in job.images] == [second.image_id]
    with pytest.raises(KeyError):
        await app.storage.get(key)
    with pytest.raises(NotFound):  # twice: already gone
        await app.privacy.delete_image(owner, first.image_id)


async def test_consents_are_recorded_with_versions_and_training_is_opt_in(app):
    actor = await _user(app)
    assert (await app.core.account(actor)).training_opt_in is False
    assert (await app.privacy.set_training_opt_in(actor, True)).training_opt_in is True
    app.core.settings = replace(app.core.settings, policy_version="2099-01-01")
    with pytest.raises(TermsNotAccepted):  # a new policy: asked again before paying
        await app.core.imagine(actor, ImagineRequest("a fox"), TARGET)
    await app.core.accept_terms(actor, age_confirmed=True)
    account_id = (await app.core.account(actor)).account_id
    async with app.uow() as tx:
        rows = (
            await tx.conn.execute(
                select(consents.c.kind, consents.c.granted, consents.c.policy_version)
                .where(consents.c.account_id == account_id)
                .order_by(consents.c.id)
            )
        ).all()
    first = app.settings.policy_version
    assert [tuple(r) for r in rows] == [
        ("terms", True, first),
        ("age_13_plus", True, first),
        ("training_use", True, first),
        ("terms", True, "2099-01-01"),
        ("age_13_plus", True, "2099-01-01"),
    ]
    app.privacy.settings = replace(app.privacy.settings, export_interval_s=0)
    result = await app.privacy.export(actor)
    account = json.loads(
        (await _zip_of(app, await _export_key(app, result.export_id))).read("account.json")
    )
    assert account["preferences"]["training_opt_in"] is True
    assert len(account["consents"]) == 5
    assert account["identities"][0]["platform_user_id"] == actor.platform_user_id


async def test_privacy_policy_text_is_the_operator_file(app, tmp_path):
    text = app.privacy.policy_text()
    assert app.settings.policy_version in text and "/forgetme" in text
    assert "/work/" not in text and "/tmp/" not in text
    custom = tmp_path / "policy.txt"
    custom.write_text("Our policy, version {policy_version}.", encoding="utf-8")
    app.privacy.settings = replace(app.privacy.settings, policy_path=custom)
    assert app.privacy.policy_text() == f"Our policy, version {app.settings.policy_version}."


async def test_every_table_with_an_account_reference_has_a_participant(app, engine):
    """The live schema, introspected: each such table is covered, and the core's own
    tables are among them (the start-up runs the same check)."""
    assert await app.privacy.registry.uncovered_tables(engine) == []
    covered = app.privacy.registry.covered_tables()
    assert {"accounts", "identities", "ledger_entries", "jobs", "images", "exports"} <= covered
    assert "uploads" in covered  # reference images users brought
    assert {"consents", "privacy_confirmations"} <= covered


async def test_a_table_without_participant_stops_the_start_up(settings, engine):
    meta = _meta_with_accounts()
    extra = Table(
        "stray_notes",
        meta,
        Column("id", Integer, primary_key=True),
        Column("account_id", Integer, ForeignKey("accounts.id")),
    )
    async with engine.begin() as conn:
        await conn.run_sync(lambda c: meta.create_all(c, tables=[extra]))
    with pytest.raises(PrivacyCoverageError, match="stray_notes"):
        async with bootstrap(settings, engine=engine, migrate=False):
            pass


async def test_a_table_participant_pseudonymises_payment_records(app, engine):
    """What billing registers: a payments table kept pseudonymised, a promo table deleted,
    ledger rows of a payment reason kept on the pseudonym; conservation holds."""
    meta = _meta_with_accounts()
    payments = Table(
        "test_payments",
        meta,
        Column("id", Integer, primary_key=True),
        Column("account_id", Integer, ForeignKey("accounts.id"), nullable=False),
        Column("provider_ref", String(64)),
        Column("email", String(64)),
    )
    promos = Table(
        "test_promo_redemptions",
        meta,
        Column("id", Integer, primary_key=True),
        Column("account_id", Integer, ForeignKey("accounts.id"), nullable=False),
        Column("code", String(32)),
    )
    async with engine.begin() as conn:
        await conn.run_sync(lambda c: meta.create_all(c, tables=[payments, promos]))
    registry = app.privacy.registry
    assert set(await registry.uncovered_tables(engine)) == {
        "test_payments",
        "test_promo_redemptions",
    }
    registry.register(
        TableParticipant(
            "test_payments", payments, "credits.json", "test_payments", "pseudonymise", ("email",)
        )
    )
    registry.register(TableParticipant("test_promos", promos, "credits.json", "test_promos"))
    registry.add_payment_reasons("purchase")
    customers = FakeCustomerParticipant(payments)
    registry.register(customers)
    await registry.check(engine)
    actor = await _user(app)
    account_id = (await app.core.account(actor)).account_id
    async with app.uow() as tx:
        await credits.apply_entry(
            tx.conn, account_id=account_id, amount_credits=100, reason="purchase", reference="pi_1"
        )
        await tx.conn.execute(
            payments.insert().values(account_id=account_id, provider_ref="pi_1", email="a@b.c")
        )
        await tx.conn.execute(promos.insert().values(account_id=account_id, code="HELLO"))
        await tx.commit()
    await _generate(app, actor)
    export = await app.privacy.export(actor)
    body = json.loads(
        (await _zip_of(app, await _export_key(app, export.export_id))).read("credits.json")
    )
    assert body["test_payments"][0]["provider_ref"] == "pi_1"
    assert body["test_promos"][0]["code"] == "HELLO"
    receipt = await _erase(app, actor)
    assert receipt.counts["test_payments_pseudonymised"] == 1
    assert receipt.counts["payment_records_pseudonymised"] == 1
    assert receipt.counts["test_promos_deleted"] == 1
    async with app.uow() as tx:
        kept = (await tx.conn.execute(select(payments))).one()
        pseudonym = (
            await tx.conn.execute(select(accounts).where(accounts.c.id == kept.account_id))
        ).one()
        ledger = (
            await tx.conn.execute(
                select(ledger_entries.c.reason, ledger_entries.c.amount_credits)
                .where(ledger_entries.c.account_id == pseudonym.id)
                .order_by(ledger_entries.c.id)
            )
        ).all()
        assert await credits.conservation_gap(tx.conn) == 0
        assert await tx.conn.scalar(select(promos.c.id)) is None
    assert kept.email is None and kept.provider_ref == "pi_1"
    assert pseudonym.erased_at is not None and pseudonym.balance_credits == 0
    assert pseudonym.id != account_id and pseudonym.language is None
    assert [tuple(r) for r in ledger] == [("purchase", 100), ("erasure_close", -100)]
    assert customers.erased == ["pi_1", "pi_1"]  # before and after the transaction
    assert receipt.counts["customers_deleted"] == 1  # the receipt counts the first pass


class FakeCustomerParticipant:
    """An external participant like billing's Stripe customer: it notes the provider's
    reference while the rows exist and 'deletes' it at the provider afterwards."""

    name, tables, external, order = "customers", (), True, 0

    def __init__(self, payments: Table) -> None:
        self._payments = payments
        self.erased: list[str] = []

    async def collect(self, conn, account_id: int) -> str | None:
        return await conn.scalar(
            select(self._payments.c.provider_ref).where(self._payments.c.account_id == account_id)
        )

    async def export(self, ctx) -> None:
        return None

    async def erase(self, ctx) -> dict[str, int]:
        self.erased.append(ctx.subject.notes[self.name])
        return {"customers_deleted": 1}


def _meta_with_accounts() -> MetaData:
    """A MetaData for a test's extra tables, knowing ``accounts`` (not created again)."""
    meta = MetaData()
    Table("accounts", meta, Column("id", Integer, primary_key=True))
    return meta


def test_default_policy_file_ships(tmp_path):
    from core.privacy.service import DEFAULT_POLICY_PATH

    assert Path(DEFAULT_POLICY_PATH).is_file()


async def test_database_errors_never_carry_statement_parameters(app):
    """A failed statement's message (logged with its traceback) hides the values."""
    from sqlalchemy.exc import IntegrityError

    from core.db.tables import identities

    actor = await _user(app)
    account_id = (await app.core.account(actor)).account_id
    with pytest.raises(IntegrityError) as err:
        async with app.uow() as tx:
            await tx.conn.execute(
                identities.insert().values(
                    account_id=account_id,
                    platform=actor.platform,
                    platform_user_id=actor.platform_user_id,  # taken: unique key
                    created_at=utcnow(),
                )
            )
    assert actor.platform_user_id not in str(err.value)
    assert "hidden" in str(err.value)


async def test_an_image_gone_from_storage_is_listed_as_missing(app):
    actor = await _user(app)
    (image,) = await _generate(app, actor)
    async with app.uow() as tx:
        key = await tx.conn.scalar(
            select(images.c.storage_key).where(images.c.id == image.image_id)
        )
    await app.storage.delete_many([key])
    result = await app.privacy.export(actor)
    assert result.image_count == 0
    archive = await _zip_of(app, await _export_key(app, result.export_id))
    (generation,) = json.loads(archive.read("generations.json"))["generations"]
    assert generation["images"][0]["image_id"] == image.image_id
    assert generation["images"][0]["file"] is None
    missing = json.loads(archive.read("manifest.json"))["missing_objects"]
    assert missing == [f"images/{generation['job_id']}-0.png"]


async def test_concurrent_exports_make_one(app):
    import asyncio

    actor = await _user(app)
    outcomes = await asyncio.gather(
        *(app.privacy.export(actor) for _ in range(3)), return_exceptions=True
    )
    made = [o for o in outcomes if not isinstance(o, BaseException)]
    refused = [o for o in outcomes if isinstance(o, ExportTooSoon)]
    assert len(made) == 1 and len(refused) == 2

"""Erasure is no loophole (issue 12): an identity that received the welcome grant or
redeemed a promo code gets neither again after /forgetme, on SQLite and PostgreSQL.

What survives the erasure is one keyed hash per identity and purpose
(``abuse_prevention_hashes``), the erasure itself being one more purpose (``erased``, with
its time: issue 19, replayed after a restore); nothing else of the user does.
"""

from __future__ import annotations

import json

import pytest
from pydantic import SecretStr
from sqlalchemy import delete, func, select

from adapters.common.catalogue import LOCALES_DIR as COMMON_LOCALES
from adapters.common.wording import receipt_text
from bot.bootstrap import bootstrap
from core import ledger as credits
from core.db.tables import abuse_prevention_hashes, accounts, ledger_entries
from core.errors import PromoRefused
from core.privacy.abuse import ERASED, WELCOME_GRANT, AbuseHasher, promo_purpose
from core.text.catalogue import Messages
from core.types import Actor
from tests.conftest import unique_user
from tests.integration.test_privacy import _erase, _export_key, _zip_of
from tests.support.privacy_scan import rows_linked_to, snapshot

CODE = "FARM"
CODE_CREDITS = 50

CHAT_MESSAGES = Messages().layered(COMMON_LOCALES)  # the receipt is a shared chat text


async def _welcome_entries(app, account_id: int) -> int:
    async with app.uow() as tx:
        return await tx.conn.scalar(
            select(func.count())
            .select_from(ledger_entries)
            .where(
                ledger_entries.c.account_id == account_id,
                ledger_entries.c.reason == credits.Reason.WELCOME,
            )
        )


async def test_redeem_forgetme_accept_redeem_grants_nothing_the_second_time(app):
    """The reported loop: /redeem FARM, /forgetme, confirm, /accept, /redeem FARM."""
    welcome = app.catalog.welcome_grant_credits
    assert welcome > 0
    billing = app.core.billing
    await billing.create_promo(
        CODE, amount_credits=CODE_CREDITS, max_redemptions=100, expires_at=None
    )
    actor = Actor("test", unique_user("farmer"), "Farmer", "en")
    first = await app.core.accept_terms(actor, age_confirmed=True)
    assert first.welcome_credits == welcome
    done = await billing.redeem(actor, CODE)
    assert done.balance_credits == welcome + CODE_CREDITS

    for _cycle in range(2):
        assert (await _erase(app, actor)).erased
        again = await app.core.accept_terms(actor, age_confirmed=True)
        assert again.welcome_credits == 0
        assert again.account.balance_credits == 0
        assert await _welcome_entries(app, again.account.account_id) == 0
        with pytest.raises(PromoRefused) as err:
            await billing.redeem(actor, "farm")
        assert err.value.reason == "already_redeemed"
        assert "already redeemed" in Messages().render_error(err.value)
        assert (await app.core.account(actor)).balance_credits == 0

    # Another identity is not affected by the farmer's hashes.
    other = Actor("test", unique_user("other"), "Other", "en")
    assert (await app.core.accept_terms(other, age_confirmed=True)).welcome_credits == welcome
    assert (await billing.redeem(other, CODE)).credits == CODE_CREDITS


async def _farmer(app) -> Actor:
    """A user who had the welcome grant and redeemed FARM."""
    await app.core.billing.create_promo(
        CODE, amount_credits=CODE_CREDITS, max_redemptions=100, expires_at=None
    )
    actor = Actor("test", unique_user("farmer"), "Farmer Example", "en")
    await app.core.accept_terms(actor, age_confirmed=True)
    await app.core.billing.redeem(actor, CODE)
    return actor


async def _kept(app) -> set[tuple[str, str]]:
    async with app.uow() as tx:
        found = await tx.conn.execute(
            select(abuse_prevention_hashes.c.identity_hash, abuse_prevention_hashes.c.purpose)
        )
        return {tuple(r) for r in found}


def _hasher(app) -> AbuseHasher:
    return AbuseHasher(app.settings.resolved_abuse_hash_secret())


async def test_the_hashes_survive_erasure_and_nothing_else_does(app):
    actor = await _farmer(app)
    account_id = (await app.core.account(actor)).account_id
    mine = _hasher(app).identity_hash("test", actor.platform_user_id)
    assert await _kept(app) == {(mine, WELCOME_GRANT), (mine, promo_purpose(CODE))}
    before = await snapshot(app.engine)

    receipt = await _erase(app, actor)

    assert "abuse_prevention" in receipt.kept
    text = receipt_text(CHAT_MESSAGES.render, CHAT_MESSAGES.has, receipt)
    assert "Kept on purpose" in text and "abuse prevention" in text and "{" not in text
    needles = [actor.platform_user_id, "Farmer Example"]
    assert await rows_linked_to(app.engine, account_id, needles) == []
    after = await snapshot(app.engine)
    # The explicit exception: the hash rows stay as they were, and one more says the
    # identity was erased, and when; every other table only lost rows, but for the
    # erasure's pseudonym account (no identity, erased_at set).
    added = after["abuse_prevention_hashes"] - before["abuse_prevention_hashes"]
    assert before["abuse_prevention_hashes"] <= after["abuse_prevention_hashes"]
    assert [(row[1], row[2]) for row in added] == [(mine, ERASED)]
    assert all(row[4] is not None for row in added)  # erased_at
    after.pop("abuse_prevention_hashes")
    async with app.uow() as tx:
        pseudonyms = set(
            (
                await tx.conn.execute(
                    select(accounts.c.id).where(accounts.c.erased_at.is_not(None))
                )
            ).scalars()
        )
    for table in after:
        for row in after[table] - before[table]:
            assert table == "accounts" and row[0] in pseudonyms, (table, row)
    assert await _kept(app) == {
        (mine, WELCOME_GRANT),
        (mine, promo_purpose(CODE)),
        (mine, ERASED),
    }


async def test_erasure_hashes_what_a_user_from_before_the_table_had(app):
    """Users who had the grant and the code before migration 0012: the erasure itself
    writes the hashes, so the loop is closed for them too."""
    actor = await _farmer(app)
    async with app.uow() as tx:  # as before the upgrade: no hash at all
        await tx.conn.execute(delete(abuse_prevention_hashes))
        await tx.commit()

    await _erase(app, actor)

    mine = _hasher(app).identity_hash("test", actor.platform_user_id)
    assert await _kept(app) == {
        (mine, WELCOME_GRANT),
        (mine, promo_purpose(CODE)),
        (mine, ERASED),
    }
    assert (await app.core.accept_terms(actor, age_confirmed=True)).welcome_credits == 0
    with pytest.raises(PromoRefused) as err:
        await app.core.billing.redeem(actor, CODE)
    assert err.value.reason == "already_redeemed"


async def test_an_erasure_without_grants_keeps_only_the_erasure(app):
    actor = Actor("test", unique_user("plain"), "Plain", "en")
    await app.core.terms(actor)  # an account, never accepted: no grant, no code
    receipt = await _erase(app, actor)
    mine = _hasher(app).identity_hash("test", actor.platform_user_id)
    assert await _kept(app) == {(mine, ERASED)}
    assert "abuse_prevention" in receipt.kept  # the receipt says what and why
    text = receipt_text(CHAT_MESSAGES.render, CHAT_MESSAGES.has, receipt)
    assert "restoring an older backup" in text


async def test_another_secret_forgets_every_hash(app, engine):
    """Rotation: under a new secret the same identity hashes differently, so the
    returning farmer is a stranger again (README: what rotation forgets)."""
    assert AbuseHasher(b"one").identity_hash("test", "7") != AbuseHasher(b"two").identity_hash(
        "test", "7"
    )
    assert AbuseHasher(b"one").identity_hash("test", "7") == AbuseHasher(b"one").identity_hash(
        "test", "7"
    )
    actor = await _farmer(app)
    await _erase(app, actor)
    rotated = app.settings.model_copy(
        update={"abuse_hash_secret": SecretStr("rotated-secret-0123456789")}
    )
    async with bootstrap(rotated, engine=engine, migrate=False) as other:
        again = await other.core.accept_terms(actor, age_confirmed=True)
        assert again.welcome_credits == app.catalog.welcome_grant_credits
        assert (await other.core.billing.redeem(actor, CODE)).credits == CODE_CREDITS


async def test_the_export_lists_the_purposes_never_the_hashes(app):
    actor = await _farmer(app)
    result = await app.privacy.export(actor)
    archive = await _zip_of(app, await _export_key(app, result.export_id))
    kept = json.loads(archive.read("account.json"))["abuse_prevention"]
    assert [k["purpose"] for k in kept] == [WELCOME_GRANT, promo_purpose(CODE)]
    assert all(k["since"] for k in kept)
    assert "abuse prevention" in archive.read("README.txt").decode()
    mine = _hasher(app).identity_hash("test", actor.platform_user_id)
    assert all(mine.encode() not in archive.read(name) for name in archive.namelist())


async def test_identities_joined_by_link_after_a_redemption_are_covered(app):
    """Discord redeems FARM, then /link joins a Telegram identity: after /forgetme the
    Telegram identity alone cannot redeem FARM or get the welcome grant again."""
    discord = await _farmer(app)
    telegram = Actor("telegram", unique_user("tg"), "Tele", "en")
    await app.core.accept_terms(telegram, age_confirmed=True)
    issued = await app.core.link_code(discord)
    await app.core.link_redeem(telegram, issued.code)
    assert (await app.core.account(telegram)).account_id == (
        await app.core.account(discord)
    ).account_id

    assert "abuse_prevention" in (await _erase(app, discord)).kept

    hasher = _hasher(app)
    tg = hasher.identity_hash("telegram", telegram.platform_user_id)
    assert {(tg, WELCOME_GRANT), (tg, promo_purpose(CODE))} <= await _kept(app)
    for actor in (telegram, discord):
        assert (await app.core.accept_terms(actor, age_confirmed=True)).welcome_credits == 0
        with pytest.raises(PromoRefused):
            await app.core.billing.redeem(actor, CODE)

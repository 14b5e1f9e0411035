"""Erasure is no loophole (issue 12): an identity that received the welcome grant or
redeemed a promo code gets neither again after /forgetme, on SQLite and PostgreSQL.

What survives the erasure is one keyed hash per identity and purpose
(``abuse_prevention_hashes``); nothing else of the user does.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core import credits
from core.errors import PromoRefused
from core.i18n import Messages
from core.models import ledger_entries
from core.privacy_erase import ErasureChallenge, ErasureReceipt
from core.types import Actor
from tests.conftest import unique_user

CODE = "FARM"
CODE_CREDITS = 50


async def _erase(app, actor: Actor) -> ErasureReceipt:
    challenge = await app.privacy.forget(actor)
    assert isinstance(challenge, ErasureChallenge)
    receipt = await app.privacy.forget(actor, challenge.code)
    assert isinstance(receipt, ErasureReceipt) and receipt.erased
    return receipt


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
        await _erase(app, actor)
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

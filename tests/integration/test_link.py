"""/link on both backends: two identities become one account and one balance, once; a
replayed, expired or refused code changes nothing; erasure afterwards takes both."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from core import ledger as credits
from core.accounts.linking import ATTEMPTS_PER_WINDOW, CODES_PER_HOUR, code_hash
from core.accounts.merge import LINK_IN, LINK_OUT
from core.clock import utcnow
from core.db.tables import accounts, identities, ledger_entries, link_codes, subscriptions
from core.errors import Banned, LinkRefused, LinkTooSoon, NotFound, TermsNotAccepted
from core.types import Actor, ImagineRequest, ReplyTarget
from tests.conftest import unique_user
from tests.support.link_state import snapshot

TARGET = ReplyTarget("test", {"chat": "1"})


async def _user(app, platform: str, extra_credits: int = 0) -> tuple[Actor, int]:
    actor = Actor(platform, unique_user(platform[:2]), "Tester", "en")
    accepted = await app.core.accept_terms(actor, age_confirmed=True)
    if extra_credits:
        await app.core.admin_grant(actor, extra_credits, reason="test setup", operator="test:ops")
    return actor, accepted.account.account_id


async def _sums(app, account_id: int) -> tuple[int, int]:
    async with app.uow() as uow:
        return (
            await credits.balance_of(uow.conn, account_id),
            await credits.ledger_sum(uow.conn, account_id),
        )


async def test_merge_combines_balances_and_history_once(app):
    discord, d_id = await _user(app, "discord", extra_credits=7)
    telegram, t_id = await _user(app, "telegram", extra_credits=5)
    job = await app.core.imagine(telegram, ImagineRequest("a fox"), TARGET)
    await app.worker.run(burst=True)
    d_balance, _ = await _sums(app, d_id)
    t_balance, _ = await _sums(app, t_id)
    assert t_balance > 0

    issued = await app.core.link_code(discord)
    assert issued.minutes == 10 and len(issued.code) == 9 and issued.code[4] == "-"
    typed = issued.code.replace("-", " ").lower()  # normalised: case, spaces, no dash
    done = await app.core.link_redeem(telegram, typed)

    assert done.account.account_id == d_id  # the issuer's account survives
    assert done.moved_credits == t_balance
    assert done.account.balance_credits == d_balance + t_balance
    assert done.platforms == ("discord", "telegram")
    assert (await app.core.account(telegram)).account_id == d_id
    assert [j.job_id for j in await app.core.history(discord)] == [job.job_id]
    assert (await app.core.job(discord, job.job_id)).status == "succeeded"
    assert await _sums(app, d_id) == (d_balance + t_balance,) * 2
    assert await _sums(app, t_id) == (0, 0)
    async with app.uow() as uow:
        absorbed = (await uow.conn.execute(select(accounts).where(accounts.c.id == t_id))).one()
        moves = (
            await uow.conn.execute(
                select(ledger_entries.c.account_id, ledger_entries.c.reason)
                .where(ledger_entries.c.reason.in_((LINK_IN, LINK_OUT)))
                .order_by(ledger_entries.c.reason)
            )
        ).all()
        refs = set(
            (
                await uow.conn.execute(
                    select(ledger_entries.c.reference).where(
                        ledger_entries.c.reason.in_((LINK_IN, LINK_OUT))
                    )
                )
            ).scalars()
        )
        stored = (await uow.conn.execute(select(link_codes.c.code_hash))).scalars().all()
        assert await credits.conservation_gap(uow.conn) == 0
    assert absorbed.merged_into_account_id == d_id and absorbed.balance_credits == 0
    assert [tuple(m) for m in moves] == [(d_id, LINK_IN), (t_id, LINK_OUT)]
    assert len(refs) == 1  # one reference: (reason, reference) is unique
    assert stored == [code_hash(issued.code)] and issued.code not in stored

    # The replay does nothing: not for the redeemer, not for anyone else.
    before = await snapshot(app, d_id, t_id)
    for actor in (telegram, (await _user(app, "telegram"))[0]):
        with pytest.raises(LinkRefused) as err:
            await app.core.link_redeem(actor, issued.code)
        assert err.value.reason == "invalid_code"
    assert await snapshot(app, d_id, t_id) == before
    # The joined account works from both platforms, with one balance.
    await app.core.imagine(telegram, ImagineRequest("a cat"), TARGET)
    assert (await app.core.account(discord)).balance_credits == d_balance + t_balance - 1


async def test_the_link_works_the_other_way_round(app):
    telegram, t_id = await _user(app, "telegram", extra_credits=3)
    discord, d_id = await _user(app, "discord")
    issued = await app.core.link_code(telegram)
    done = await app.core.link_redeem(discord, issued.code)
    assert done.account.account_id == t_id
    assert (await app.core.account(discord)).account_id == t_id
    assert await _sums(app, d_id) == (0, 0)


async def test_an_expired_code_does_nothing(app):
    discord, d_id = await _user(app, "discord")
    telegram, t_id = await _user(app, "telegram")
    start = utcnow()
    app.core.linking.clock = lambda: start
    issued = await app.core.link_code(discord)
    app.core.linking.clock = lambda: start + timedelta(seconds=600)
    before = await snapshot(app, d_id, t_id)
    with pytest.raises(LinkRefused) as err:
        await app.core.link_redeem(telegram, issued.code)
    assert err.value.reason == "invalid_code"
    assert await snapshot(app, d_id, t_id) == before
    app.core.linking.clock = lambda: start + timedelta(seconds=599)
    assert (await app.core.link_redeem(telegram, issued.code)).account.account_id == d_id


async def test_a_new_code_replaces_the_earlier_one(app):
    discord, d_id = await _user(app, "discord")
    telegram, _ = await _user(app, "telegram")
    first = await app.core.link_code(discord)
    second = await app.core.link_code(discord)
    with pytest.raises(LinkRefused):
        await app.core.link_redeem(telegram, first.code)
    assert (await app.core.link_redeem(telegram, second.code)).account.account_id == d_id


async def _subscribe(app, account_id: int) -> None:
    now = utcnow()
    async with app.uow() as uow:
        await uow.conn.execute(
            subscriptions.insert().values(
                id=f"sub_{unique_user()}",
                account_id=account_id,
                plan="pro",
                status="active",
                created_at=now,
                updated_at=now,
            )
        )
        await uow.commit()


async def _customer(app, account_id: int) -> None:
    from core.db.tables import billing_customers

    async with app.uow() as uow:
        await uow.conn.execute(
            billing_customers.insert().values(
                account_id=account_id,
                provider="stripe",
                customer_id=f"cus_{unique_user()}",
                created_at=utcnow(),
            )
        )
        await uow.commit()


REFUSALS = [
    "garbage",
    "unknown",
    "same_account",
    "same_platform",
    "issuer_banned",
    "redeemer_banned",
    "jobs_active",
    "both_subscribed",
    "both_customers",
    "no_terms",
]


@pytest.mark.parametrize("case", REFUSALS)
async def test_each_refusal_changes_nothing(app, case):
    discord, d_id = await _user(app, "discord", extra_credits=4)
    telegram, t_id = await _user(app, "telegram", extra_credits=2)
    issued = await app.core.link_code(discord)
    code, redeemer, expected = issued.code, telegram, None
    if case == "garbage":
        code = "0O1I-L!"  # not even the code alphabet
    elif case == "unknown":
        code = "ABCD-EFGH" if issued.code != "ABCD-EFGH" else "HGFE-DCBA"
    elif case == "same_account":
        redeemer = discord
    elif case == "same_platform":  # the redeemer's account holds a discord identity too
        other, _ = await _user(app, "discord")
        await app.core.link_redeem(other, (await app.core.link_code(telegram)).code)
    elif case == "issuer_banned":
        await app.core.admin_ban(discord, "test", operator="test:ops")
        expected = "banned"
    elif case == "redeemer_banned":
        await app.core.admin_ban(telegram, "test", operator="test:ops")
        expected = Banned
    elif case == "jobs_active":
        await app.core.imagine(telegram, ImagineRequest("a fox"), TARGET)
    elif case == "both_subscribed":
        await _subscribe(app, d_id)
        await _subscribe(app, t_id)
    elif case == "both_customers":
        await _customer(app, d_id)
        await _customer(app, t_id)
    elif case == "no_terms":
        redeemer = Actor("telegram", unique_user(), "New", "en")
        await app.core.terms(redeemer)  # an account, terms not accepted
        expected = TermsNotAccepted
    before = await snapshot(app, d_id, t_id)
    if isinstance(expected, type):
        with pytest.raises(expected):
            await app.core.link_redeem(redeemer, code)
    else:
        with pytest.raises(LinkRefused) as err:
            await app.core.link_redeem(redeemer, code)
        reason = {"garbage": "invalid_code", "unknown": "invalid_code"}.get(case, case)
        assert err.value.reason == (expected or reason)
        if case == "same_platform":
            assert err.value.params["platform"] == "discord"
    assert await snapshot(app, d_id, t_id) == before
    if case == "jobs_active":  # once the job is cancelled, the same code still works
        await app.core.cancel(telegram)
        assert (await app.core.link_redeem(telegram, code)).account.account_id == d_id


async def test_nothing_acts_on_an_absorbed_account(app):
    discord, _ = await _user(app, "discord")
    telegram, t_id = await _user(app, "telegram")
    await app.core.link_redeem(telegram, (await app.core.link_code(discord)).code)
    async with app.uow() as uow:
        row = (await uow.conn.execute(select(accounts).where(accounts.c.id == t_id))).one()
        left = await uow.conn.scalar(select(identities.c.id).where(identities.c.account_id == t_id))
    assert left is None
    from core.accounts.store import require_usable

    with pytest.raises(NotFound):
        require_usable(row._mapping, app.core.settings.policy_version)


async def test_codes_and_attempts_are_rate_limited(app):
    discord, _ = await _user(app, "discord")
    telegram, _ = await _user(app, "telegram")
    for _ in range(CODES_PER_HOUR):
        await app.core.link_code(discord)
    with pytest.raises(LinkTooSoon) as err:
        await app.core.link_code(discord)
    assert 0 < err.value.retry_after_s <= 3600
    issued = await app.core.link_code(telegram)
    guesser, _ = await _user(app, "console")
    for _ in range(ATTEMPTS_PER_WINDOW):
        with pytest.raises(LinkRefused):
            await app.core.link_redeem(guesser, "ABCD-EFGH")
    with pytest.raises(LinkTooSoon) as err:  # even the right code now waits
        await app.core.link_redeem(guesser, issued.code)
    assert 0 < err.value.retry_after_s <= 600


async def test_erasure_after_a_merge_erases_both_identities(app):
    discord, d_id = await _user(app, "discord", extra_credits=3)
    telegram, t_id = await _user(app, "telegram", extra_credits=2)
    await app.core.imagine(telegram, ImagineRequest("a private prompt"), TARGET)
    await app.worker.run(burst=True)
    await app.core.link_redeem(telegram, (await app.core.link_code(discord)).code)
    challenge = await app.privacy.forget(telegram)
    receipt = await app.privacy.forget(telegram, challenge.code)
    assert receipt.erased and receipt.counts["identities"] == 2
    assert await app.core.find_account(discord) is None
    assert await app.core.find_account(telegram) is None
    async with app.uow() as uow:
        gone = await uow.conn.execute(select(accounts.c.id).where(accounts.c.id.in_((d_id, t_id))))
        assert gone.all() == []
        left = await uow.conn.execute(
            select(ledger_entries.c.id).where(ledger_entries.c.account_id.in_((d_id, t_id)))
        )
        assert left.all() == []
        assert await uow.conn.scalar(select(link_codes.c.id)) is None
        assert await credits.conservation_gap(uow.conn) == 0


async def test_console_link_and_link_code(app):
    import io

    from adapters.console.adapter import ConsoleAdapter

    out = io.StringIO()
    console = ConsoleAdapter(
        app.core, app.messages, app.events, stdin=io.StringIO(), stdout=out, user_id=unique_user()
    )
    await console.handle_line("/accept")
    await console.handle_line("/link")
    shown = out.getvalue()
    assert "valid for 10 minutes" in shown and "Discord or Telegram" in shown
    code = shown.split("/link ")[-1].split()[0]
    telegram, _ = await _user(app, "telegram", extra_credits=2)
    await app.core.link_redeem(telegram, code)
    assert (await app.core.account(telegram)).account_id == (
        await app.core.account(console._actor)
    ).account_id

    discord, d_id = await _user(app, "discord")
    other = ConsoleAdapter(
        app.core, app.messages, app.events, stdin=io.StringIO(), stdout=out, user_id=unique_user()
    )
    await other.handle_line("/accept")
    await other.handle_line("/link WXYZ-2345")
    assert "wrong, expired or already used" in out.getvalue()
    await other.handle_line(f"/link {(await app.core.link_code(discord)).code}")
    assert "Linked: Console + Discord are now one account" in out.getvalue()
    assert (await app.core.account(other._actor)).account_id == d_id


async def test_export_after_a_merge_lists_both_identities_and_codes_without_hashes(app):
    import io
    import json
    import zipfile

    from core.db.tables import exports

    discord, _ = await _user(app, "discord")
    telegram, _ = await _user(app, "telegram")
    issued = await app.core.link_code(discord)
    await app.core.link_redeem(telegram, issued.code)
    result = await app.privacy.export(telegram)
    async with app.uow() as uow:
        key = await uow.conn.scalar(
            select(exports.c.storage_key).where(exports.c.id == result.export_id)
        )
    archive = zipfile.ZipFile(io.BytesIO(await app.storage.get(key)))
    account = json.loads(archive.read("account.json"))
    assert sorted(i["platform"] for i in account["identities"]) == ["discord", "telegram"]
    (code,) = account["link_codes"]
    assert code["platform"] == "discord" and code["used_at"]
    everything = b"".join(archive.read(name) for name in archive.namelist())
    assert code_hash(issued.code).encode() not in everything
    assert issued.code.encode() not in everything


async def test_a_discarded_code_is_void(app):
    discord, d_id = await _user(app, "discord")
    telegram, t_id = await _user(app, "telegram")
    issued = await app.core.link_code(discord)
    assert await app.core.link_discard("not a code") is False
    assert await app.core.link_discard(issued.code.lower()) is True
    assert await app.core.link_discard(issued.code) is False  # already void
    before = await snapshot(app, d_id, t_id)
    with pytest.raises(LinkRefused):
        await app.core.link_redeem(telegram, issued.code)
    assert await snapshot(app, d_id, t_id) == before

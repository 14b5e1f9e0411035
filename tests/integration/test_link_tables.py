"""Every table with an account reference is handled by the /link merge: the rule list
names each table of the live schema, and a merge of an account with a row in every such
table leaves nothing on it but its (zero-sum) ledger history."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, inspect, select, update

from core import ledger as credits
from core.accounts.linking import code_hash
from core.accounts.merge import MERGE_RULES
from core.clock import utcnow
from core.db.tables import (
    accounts,
    admin_audit,
    billing_customers,
    checkout_sessions,
    credit_debts,
    exports,
    images,
    jobs,
    link_codes,
    payments,
    privacy_confirmations,
    promo_codes,
    promo_redemptions,
    stars_refunds,
    subscriptions,
    uploads,
    web_links,
)
from core.types import Actor
from tests.conftest import unique_user
from tests.support.link_state import account_tables, snapshot

# Rows that stay on the absorbed account on purpose: its ledger history (summing to 0)
# and the audit of the code that absorbed it.
KEPT = {"ledger_entries": "account_id", "link_codes": "used_by_account_id"}


def _live_account_tables(sync_conn) -> set[str]:
    inspector = inspect(sync_conn)
    found = set()
    for table in inspector.get_table_names():
        if table in ("alembic_version", "accounts"):
            continue
        columns = {c["name"] for c in inspector.get_columns(table)}
        refers = any(fk["referred_table"] == "accounts" for fk in inspector.get_foreign_keys(table))
        if refers or "account_id" in columns:
            found.add(table)
    return found


async def test_every_table_with_an_account_reference_has_a_merge_rule(app, engine):
    async with engine.connect() as conn:
        live = await conn.run_sync(_live_account_tables)
    assert live == set(MERGE_RULES)
    assert {t.name for t in account_tables()} == set(MERGE_RULES)


async def _seed_everything(app, account_id: int, shared_promo: str, own_promo: str) -> None:
    """One row (at least) in every account table for ``account_id``."""
    now = utcnow()
    word = unique_user("x")
    async with app.uow() as uow:
        c = uow.conn
        await c.execute(
            admin_audit.insert().values(
                account_id=account_id, operator="cli", action="grant", created_at=now
            )
        )
        await c.execute(
            jobs.insert().values(
                id=f"j{word}",
                account_id=account_id,
                status="succeeded",
                model_id="preview",
                prompt="a seeded prompt",
                aspect_ratio="1:1",
                width_px=64,
                height_px=64,
                image_count=1,
                cost_credits=0,
                platform="telegram",
                created_at=now,
            )
        )
        await c.execute(
            images.insert().values(
                id=f"i{word}"[:24],
                job_id=f"j{word}",
                account_id=account_id,
                position=0,
                storage_key=f"images/{account_id}/j{word}/0.png",
                mime="image/png",
                width_px=64,
                height_px=64,
                size_bytes=10,
                created_at=now,
            )
        )
        await c.execute(
            uploads.insert().values(
                id=f"u{word}"[:24],
                account_id=account_id,
                storage_key=f"uploads/{account_id}/u{word}.jpg",
                mime="image/jpeg",
                width_px=64,
                height_px=64,
                size_bytes=10,
                created_at=now,
            )
        )
        await c.execute(
            exports.insert().values(
                id=f"e{word}",
                account_id=account_id,
                status="ready",
                storage_key=f"exports/{account_id}/e.zip",
                created_at=now,
                expires_at=now + timedelta(days=1),
            )
        )
        await c.execute(
            checkout_sessions.insert().values(
                id=f"cs_{word}",
                account_id=account_id,
                kind="pack",
                item_id="small",
                credits=100,
                platform="telegram",
                status="paid",
                created_at=now,
            )
        )
        await c.execute(
            payments.insert().values(
                reference=f"cs_{word}",
                provider="stripe",
                account_id=account_id,
                kind="pack",
                item_id="small",
                credits=100,
                amount_minor=500,
                currency="usd",
                created_at=now,
            )
        )
        await c.execute(
            subscriptions.insert().values(
                id=f"sub_{word}",
                account_id=account_id,
                plan="pro",
                status="canceled",
                created_at=now,
                updated_at=now,
            )
        )
        await c.execute(
            credit_debts.insert().values(
                account_id=account_id,
                amount_credits=3,
                reason="payment_reversal",
                reference=f"re_{word}",
                created_at=now,
            )
        )
        await c.execute(update(accounts).where(accounts.c.id == account_id).values(debt_credits=3))
        await c.execute(
            stars_refunds.insert().values(
                charge_id=f"tg_{word}",
                account_id=account_id,
                platform_user_id="1",
                stars=250,
                taken_credits=0,
                debt_credits=0,
                status="pending",
                created_at=now,
                updated_at=now,
            )
        )
        for code in (shared_promo, own_promo):
            await c.execute(
                promo_redemptions.insert().values(code=code, account_id=account_id, created_at=now)
            )
        await c.execute(
            billing_customers.insert().values(
                account_id=account_id, provider="stripe", customer_id=f"cus_{word}", created_at=now
            )
        )
        await c.execute(
            privacy_confirmations.insert().values(
                account_id=account_id,
                action="erase",
                code_sha256="0" * 64,
                created_at=now,
                expires_at=now + timedelta(minutes=10),
            )
        )
        for used in (None, now):
            await c.execute(
                link_codes.insert().values(
                    account_id=account_id,
                    platform="telegram",
                    code_hash=code_hash(f"{word}{used is None}"),
                    created_at=now,
                    expires_at=now + timedelta(minutes=10),
                    used_at=used,
                )
            )
        await c.execute(
            web_links.insert().values(
                account_id=account_id,
                purpose="gallery",
                token_sha256=code_hash(f"web{word}"),
                created_at=now,
                expires_at=now + timedelta(hours=24),
            )
        )
        await uow.commit()


async def test_a_merge_leaves_nothing_on_the_absorbed_account(app):
    discord = Actor("discord", unique_user(), "D", "en")
    telegram = Actor("telegram", unique_user(), "T", "en")
    d_id = (await app.core.accept_terms(discord, age_confirmed=True)).account.account_id
    t_id = (await app.core.accept_terms(telegram, age_confirmed=True)).account.account_id
    shared, own, survivor_own = (f"P{unique_user().upper()}" for _ in range(3))
    now = utcnow()
    async with app.uow() as uow:
        for code in (shared, own, survivor_own):
            await uow.conn.execute(
                promo_codes.insert().values(code=code, credits=5, max_redemptions=9, created_at=now)
            )
        for code in (shared, survivor_own):
            await uow.conn.execute(
                promo_redemptions.insert().values(code=code, account_id=d_id, created_at=now)
            )
        await uow.commit()
    await _seed_everything(app, t_id, shared, own)
    before = await snapshot(app, t_id)
    assert all(before[name] for name in MERGE_RULES), [n for n in MERGE_RULES if not before[n]]

    done = await app.core.link_redeem(telegram, (await app.core.link_code(discord)).code)
    assert done.account.account_id == d_id

    after = await snapshot(app, t_id)
    for name in MERGE_RULES:
        rows = after[name]
        if name in KEPT:
            continue
        assert rows == [], name
    async with app.uow() as uow:
        c = uow.conn
        assert await credits.ledger_sum(c, t_id) == 0
        # link_codes: the absorbed's unused code dropped, its used one moved, and the
        # code that absorbed it names it as the redeemer
        assert (
            await c.scalar(
                select(func.count()).select_from(link_codes).where(link_codes.c.account_id == t_id)
            )
            == 0
        )
        moved = await c.scalar(
            select(func.count())
            .select_from(link_codes)
            .where(link_codes.c.account_id == d_id, link_codes.c.used_at.is_not(None))
        )
        assert moved == 2  # the absorbed's used code and the one just redeemed
        promos = (
            await c.execute(
                select(promo_redemptions.c.code)
                .where(promo_redemptions.c.account_id == d_id)
                .order_by(promo_redemptions.c.code)
            )
        ).scalars()
        assert sorted(promos) == sorted([shared, own, survivor_own])  # one row each
        row = (await c.execute(select(accounts).where(accounts.c.id == d_id))).one()
        assert row.debt_credits == 3
        debt_rows = await c.scalar(
            select(func.coalesce(func.sum(credit_debts.c.amount_credits), 0)).where(
                credit_debts.c.account_id == d_id
            )
        )
        assert debt_rows == 3
        absorbed = (await c.execute(select(accounts).where(accounts.c.id == t_id))).one()
        assert (absorbed.debt_credits, absorbed.balance_credits) == (0, 0)
        assert absorbed.merged_into_account_id == d_id

"""Every number of the operator dashboard (issue 18) against a dataset built by hand,
with a fixed "now": jobs per hour by outcome, the queue, provider health and circuits,
the credit flow, revenue by currency, active users, top error codes, and the account
look-up. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.db.tables import (
    accounts,
    admin_audit,
    consents,
    identities,
    jobs,
    ledger_entries,
    payments,
    provider_circuits,
    provider_health,
)
from core.observability import dashboard as dash
from core.observability.account_lookup import lookup_account

NOW = datetime(2026, 12, 6, 12, 30, tzinfo=UTC)
SEC, MIN, HOUR = timedelta(seconds=1), timedelta(minutes=1), timedelta(hours=1)
DAY = timedelta(days=1)


async def _account(conn, *ids: tuple[str, str], balance: int = 0, debt: int = 0) -> int:
    account_id = (
        await conn.execute(
            accounts.insert()
            .values(created_at=NOW - 30 * DAY, balance_credits=balance, debt_credits=debt)
            .returning(accounts.c.id)
        )
    ).scalar_one()
    for platform, user_id in ids:
        await conn.execute(
            identities.insert().values(
                account_id=account_id,
                platform=platform,
                platform_user_id=user_id,
                created_at=NOW - 30 * DAY,
            )
        )
    return account_id


async def _job(conn, job_id, account_id, status, created, finished=None, error=None) -> None:
    await conn.execute(
        jobs.insert().values(
            id=job_id,
            account_id=account_id,
            status=status,
            model_id="preview",
            prompt="a prompt the dashboard never shows",
            aspect_ratio="1:1",
            width_px=64,
            height_px=64,
            image_count=1,
            cost_credits=2,
            platform="telegram",
            created_at=created,
            started_at=created if status != "queued" else None,
            finished_at=finished,
            error_code=error,
        )
    )


async def _ledger(conn, account_id, reason, amount, reference, at=NOW - HOUR) -> None:
    await conn.execute(
        ledger_entries.insert().values(
            account_id=account_id,
            amount_credits=amount,
            balance_after_credits=1000,
            reason=reason,
            reference=reference,
            created_at=at,
        )
    )


async def _payment(conn, reference, account_id, minor, currency, at) -> None:
    await conn.execute(
        payments.insert().values(
            reference=reference,
            provider="stars" if currency == "xtr" else "stripe",
            account_id=account_id,
            kind="pack",
            item_id="p",
            credits=100,
            amount_minor=minor,
            currency=currency,
            created_at=at,
        )
    )


async def _seed(engine) -> dict[str, int]:
    async with engine.begin() as conn:
        a = await _account(conn, ("telegram", "111"), ("discord", "222"), balance=40, debt=3)
        b = await _account(conn, ("telegram", "333"))
        c = await _account(conn, ("telegram", "444"))
        d = await _account(conn, ("telegram", "555"))
        e = await _account(conn, ("telegram", "666"))
        first_hour = NOW.replace(minute=0) - 23 * HOUR  # 13:00 the day before
        for args in (
            ("j1", a, "succeeded", NOW - 25 * MIN, NOW - 20 * MIN),  # hour 12
            ("j2", a, "failed", NOW - 90 * MIN, NOW - 70 * MIN, "timeout"),  # 11
            ("j3", b, "failed", NOW - 60 * MIN, NOW - 50 * MIN, "timeout"),  # 11
            ("j4", b, "cancelled", NOW - 150 * MIN, NOW - 145 * MIN),  # 10
            ("j5", c, "failed", NOW - 4 * HOUR, NOW - 210 * MIN, "provider_refused"),  # 9
            ("j8", b, "succeeded", first_hour - 5 * MIN, first_hour),  # the first hour
            ("j0", b, "succeeded", first_hour - 10 * MIN, first_hour - MIN),  # before it
            ("j6", d, "succeeded", NOW - 3 * DAY, NOW - 3 * DAY + MIN),  # active in 7 days
            ("j7", e, "failed", NOW - 8 * DAY, NOW - 8 * DAY, "timeout"),  # 8 days ago
            ("q1", c, "queued", NOW - 10 * MIN),
            ("q2", c, "queued", NOW - 2 * MIN),
            ("r1", c, "running", NOW - MIN),
        ):
            await _job(conn, *args)
        for account, reason, amount, ref in (
            (a, "purchase", 100, "cs_1"),
            (b, "stars_purchase", 50, "ch_1"),
            (c, "subscription", 200, "in_1"),
            (a, "spend", -3, "j1"),
            (b, "spend", -5, "j3"),
            (a, "refund", 3, "j2"),
            (d, "welcome", 20, "account:d"),
            (d, "promo", 10, "CODE:d"),
            (e, "admin_grant", 7, "g1"),
            (a, "payment_reversal", -30, "re_1"),
            (b, "stars_refund", -10, "ch_1"),
        ):
            await _ledger(conn, account, reason, amount, ref)
        await _ledger(conn, a, "purchase", 999, "cs_old", at=NOW - 2 * DAY)
        await _payment(conn, "cs_1", a, 999, "usd", NOW - HOUR)
        await _payment(conn, "cs_2", c, 499, "usd", NOW - 2 * HOUR)
        await _payment(conn, "ch_1", b, 50, "xtr", NOW - 3 * HOUR)
        await _payment(conn, "cs_old", a, 1999, "usd", NOW - 10 * DAY)
        await _payment(conn, "cs_older", a, 5000, "eur", NOW - 40 * DAY)
        return {"a": a, "b": b, "c": c}


async def _seed_health(engine) -> None:
    def bucket(provider, at, requests, le, **counts):
        zeros = ("failed_transient", "failed_rate_limited", "failed_timeout", "failed_permanent")
        return {
            "provider": provider,
            "bucket_start": at,
            "requests": requests,
            **dict.fromkeys(zeros, 0),
            **dict(zip(("latency_le_1s", "latency_le_5s", "latency_le_20s"), le, strict=True)),
            "latency_le_60s": requests,
            **counts,
        }

    async with engine.begin() as conn:
        await conn.execute(
            provider_health.insert(),
            [
                bucket(
                    "fal",
                    NOW - 10 * MIN,
                    10,
                    (3, 6, 9),
                    failed_transient=2,
                    failed_timeout=1,
                    latency_sum_ms=20000,
                    latency_max_ms=9000,
                ),
                bucket(
                    "fal",
                    NOW - 30 * MIN,
                    10,
                    (5, 10, 10),
                    failed_rate_limited=1,
                    latency_sum_ms=10000,
                    latency_max_ms=4000,
                ),
                bucket(  # outside the hour the dashboard shows
                    "fal",
                    NOW - 2 * HOUR,
                    100,
                    (0, 0, 0),
                    failed_transient=100,
                    latency_sum_ms=100,
                    latency_max_ms=60000,
                ),
                bucket(
                    "openai",
                    NOW - 5 * MIN,
                    4,
                    (4, 4, 4),
                    failed_permanent=4,
                    latency_sum_ms=400,
                    latency_max_ms=150,
                ),
            ],
        )
        await conn.execute(
            provider_circuits.insert(),
            [
                {
                    "worker_id": "w1",
                    "provider": "fal",
                    "open": True,
                    "updated_at": NOW - SEC * 30,
                },
                {
                    "worker_id": "w2",
                    "provider": "fal",
                    "open": False,
                    "updated_at": NOW - SEC * 10,
                },
                {"worker_id": "w3", "provider": "fal", "open": True, "updated_at": NOW - 10 * MIN},
                {
                    "worker_id": "w1",
                    "provider": "openai",
                    "open": False,
                    "updated_at": NOW - SEC * 30,
                },
                {
                    "worker_id": "w1",
                    "provider": "replicate",
                    "open": True,
                    "updated_at": NOW - SEC * 5,
                },
            ],
        )


async def test_the_overview_numbers(engine):
    await _seed(engine)
    await _seed_health(engine)
    async with engine.connect() as conn:
        view = await dash.overview(conn, NOW)

    hours = {h.hour_start: (h.succeeded, h.failed, h.cancelled) for h in view.jobs_per_hour}
    assert len(view.jobs_per_hour) == 24
    assert view.jobs_per_hour[0].hour_start == datetime(2026, 12, 5, 13, tzinfo=UTC)
    assert view.jobs_per_hour[-1].hour_start == datetime(2026, 12, 6, 12, tzinfo=UTC)
    assert {at.hour: n for at, n in hours.items() if n != (0, 0, 0)} == {
        13: (1, 0, 0),
        9: (0, 1, 0),
        10: (0, 0, 1),
        11: (0, 2, 0),
        12: (1, 0, 0),
    }

    assert view.queue == dash.QueueView(queued_jobs=2, running_jobs=1, oldest_queued_age_s=600.0)

    fal, openai, replicate = view.providers
    assert (fal.provider, fal.requests, fal.failures) == ("fal", 20, 4)
    assert (fal.failed_transient, fal.failed_rate_limited, fal.failed_timeout) == (2, 1, 1)
    assert fal.failure_rate == 0.2
    assert (fal.latency_mean_ms, fal.latency_max_ms, fal.latency_p50_at_most_s) == (
        1500.0,
        9000,
        5.0,
    )
    assert (fal.circuit_open, fal.circuit_open_workers, fal.circuit_workers) == (True, 1, 2)
    assert (openai.failure_rate, openai.latency_p50_at_most_s, openai.circuit_open) == (
        1.0,
        1.0,
        False,
    )
    assert (replicate.provider, replicate.requests, replicate.circuit_open) == (
        "replicate",
        0,
        True,
    )

    assert view.credits_24h == dash.CreditFlow(
        sold_credits=350,
        given_credits=37,
        spent_credits=8,
        refunded_credits=3,
        reversed_credits=40,
    )
    assert view.revenue_24h == (dash.Revenue("usd", 1498, 2), dash.Revenue("xtr", 50, 1))
    assert view.revenue_30d == (dash.Revenue("usd", 3497, 3), dash.Revenue("xtr", 50, 1))
    assert view.active_users == dash.ActiveUsers(last_24h=3, last_7d=4)
    assert view.top_errors_24h == (
        dash.ErrorCount("timeout", 2),
        dash.ErrorCount("provider_refused", 1),
    )


async def test_an_empty_database_shows_zeros(engine):
    async with engine.connect() as conn:
        view = await dash.overview(conn, NOW)
    assert all(h.total == 0 for h in view.jobs_per_hour) and len(view.jobs_per_hour) == 24
    assert view.queue == dash.QueueView(0, 0, None)
    assert view.providers == () and view.revenue_24h == () and view.top_errors_24h == ()
    assert view.credits_24h == dash.CreditFlow(0, 0, 0, 0, 0)
    assert view.active_users == dash.ActiveUsers(0, 0)


async def test_the_account_lookup(engine):
    ids = await _seed(engine)
    a = ids["a"]
    async with engine.begin() as conn:
        for kind, granted, minutes in (("terms", True, 50), ("training_use", True, 40)):
            await conn.execute(
                consents.insert().values(
                    account_id=a,
                    kind=kind,
                    granted=granted,
                    policy_version="2026-01",
                    created_at=NOW - minutes * MIN,
                )
            )
        for operator, action, note in (("cli", "ban", "spam"), ("discord:9", "unban", None)):
            await conn.execute(
                admin_audit.insert().values(
                    account_id=a, operator=operator, action=action, note=note, created_at=NOW
                )
            )
    async with engine.connect() as conn:
        found = await lookup_account(conn, "discord", "222", rows=2)
        same = await lookup_account(conn, "telegram", "111")
        missing = await lookup_account(conn, "discord", "111")

    assert missing is None
    assert found is not None and same is not None and same.account_id == found.account_id == a
    assert (found.balance_credits, found.debt_credits, found.plan) == (40, 3, "free")
    assert not found.banned and found.identities == (("discord", "222"), ("telegram", "111"))
    # Newest first, at most ``rows`` of each.
    assert [r.reference for r in found.ledger] == ["cs_old", "re_1"]
    assert [r.reference for r in same.ledger] == ["cs_old", "re_1", "j2", "j1", "cs_1"]
    assert [j.job_id for j in found.jobs] == ["j1", "j2"]
    assert (found.jobs[1].status, found.jobs[1].error_code) == ("failed", "timeout")
    assert [(c.kind, c.granted) for c in found.consents] == [
        ("training_use", True),
        ("terms", True),
    ]
    assert [(r.operator, r.action, r.note) for r in found.audit] == [
        ("discord:9", "unban", None),
        ("cli", "ban", "spam"),
    ]

"""A day of traffic written straight into the tables, for the dashboard's browser test
and its screenshots: jobs ending over the last 24 hours (some failed, some cancelled),
a queue, provider health buckets and circuits, ledger entries and payments. Every id is
unique per call, so runs on a shared database do not collide."""

from __future__ import annotations

import uuid
from datetime import timedelta

from core.clock import utcnow
from core.db.tables import (
    accounts,
    identities,
    jobs,
    ledger_entries,
    payments,
    provider_circuits,
    provider_health,
)
from tests.conftest import unique_user

HOUR, MIN = timedelta(hours=1), timedelta(minutes=1)
ERRORS = ("provider_timeout", "provider_refused", "provider_rate_limited")


async def seed_day(app) -> int:
    """Writes the day; returns how many jobs ended in the last 24 hours."""
    now = utcnow()
    tag = uuid.uuid4().hex[:8]
    async with app.uow() as uow:
        conn = uow.conn
        account_id = (
            await conn.execute(
                accounts.insert()
                .values(created_at=now - 30 * 24 * HOUR, balance_credits=0)
                .returning(accounts.c.id)
            )
        ).scalar_one()
        await conn.execute(
            identities.insert().values(
                account_id=account_id,
                platform="telegram",
                platform_user_id=unique_user("seed"),
                created_at=now - 30 * 24 * HOUR,
            )
        )
        rows = []
        for hour in range(24):
            # Early in each of the 24 hours the dashboard shows (the current one too).
            hour_start = now.replace(minute=0, second=0, microsecond=0) - hour * HOUR
            ended = min(now, hour_start + timedelta(seconds=1))
            wave = 3 + (hour * 7) % 9  # an uneven day
            outcomes = (
                ["succeeded"] * wave
                + ["failed"] * (hour % 4 == 1)
                + ["cancelled"] * (hour % 6 == 2)
            )
            for n, status in enumerate(outcomes):
                rows.append(
                    _job(f"{tag}{hour:02d}{n:02d}", account_id, status, ended, ERRORS[n % 3])
                )
        for n in range(3):
            rows.append(_job(f"{tag}q{n}", account_id, "queued", now - (n + 1) * MIN, None))
        await conn.execute(jobs.insert(), rows)
        ended_jobs = sum(1 for r in rows if r["finished_at"] is not None)
        for reason, amount in (
            ("purchase", 500),
            ("stars_purchase", 250),
            ("welcome", 20),
            ("spend", -180),
            ("refund", 12),
        ):
            await conn.execute(
                ledger_entries.insert().values(
                    account_id=account_id,
                    amount_credits=amount,
                    balance_after_credits=0,
                    reason=reason,
                    reference=f"seed:{tag}:{reason}",
                    created_at=now - 2 * HOUR,
                )
            )
        for n, (minor, currency) in enumerate(((999, "usd"), (499, "usd"), (250, "xtr"))):
            await conn.execute(
                payments.insert().values(
                    reference=f"seed:{tag}:{n}",
                    provider="stars" if currency == "xtr" else "stripe",
                    account_id=account_id,
                    kind="pack",
                    item_id="starter",
                    credits=100,
                    amount_minor=minor,
                    currency=currency,
                    created_at=now - (n + 1) * HOUR,
                )
            )
        await conn.execute(
            provider_health.insert(),
            [
                _bucket("fal", now - 10 * MIN, 40, 4, 22000),
                _bucket("openai", now - 20 * MIN, 25, 0, 9000),
            ],
        )
        await conn.execute(
            provider_circuits.insert(),
            [
                {"worker_id": f"w-{tag}", "provider": "fal", "open": True, "updated_at": now},
                {"worker_id": f"w-{tag}", "provider": "openai", "open": False, "updated_at": now},
            ],
        )
        await uow.commit()
    return ended_jobs


def _job(job_id, account_id, status, ended, error) -> dict:
    final = status != "queued"
    return dict(
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
        created_at=ended - MIN if final else ended,
        started_at=ended - MIN if final else None,
        finished_at=ended if final else None,
        error_code=error if status == "failed" else None,
    )


def _bucket(provider, at, requests, failed, latency_sum_ms) -> dict:
    return {
        "provider": provider,
        "bucket_start": at.replace(second=0, microsecond=0),
        "requests": requests,
        "failed_transient": failed,
        "failed_rate_limited": 0,
        "failed_timeout": 0,
        "failed_permanent": 0,
        "latency_sum_ms": latency_sum_ms,
        "latency_max_ms": 4000,
        "latency_le_1s": requests // 2,
        "latency_le_5s": requests,
        "latency_le_20s": requests,
        "latency_le_60s": requests,
    }

"""Revision 0013 moves the reversals held in pending_reversals (a share in millionths) to
payment_reversals: a refund with its exact cumulative amount from its reference, a
dispute as the whole payment (as before)."""

from __future__ import annotations

from sqlalchemy import text

from bot.migrate import upgrade
from core.db.engine import make_engine


async def test_held_reversals_move_to_payment_reversals(tmp_path):
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'old.db'}")
    try:
        await upgrade(engine, "0011")
        async with engine.begin() as conn:
            for reference, intent, ppm in [
                ("ch_1:refunded:250", "pi_1", 500_000),
                ("ch_1:refunded:125", "pi_1", 250_000),
                ("du_2", "pi_2", 1_000_000),
            ]:
                await conn.execute(
                    text("INSERT INTO pending_reversals VALUES (:r, :p, :f, CURRENT_TIMESTAMP)"),
                    {"r": reference, "p": intent, "f": ppm},
                )
        await upgrade(engine)
        async with engine.connect() as conn:
            rows = (
                await conn.execute(
                    text(
                        "SELECT reference, payment_intent, kind, amount_minor, status"
                        " FROM payment_reversals ORDER BY reference"
                    )
                )
            ).all()
        assert [tuple(r) for r in rows] == [
            ("ch_1", "pi_1", "refund", 250, "refunded"),
            ("du_2", "pi_2", "dispute", 2**40, "needs_response"),
        ]
    finally:
        await engine.dispose()

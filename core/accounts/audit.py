"""The audit of operators' actions on accounts (``admin_audit``): bans, unbans, grants
and take-backs, with the operator who did them. Written in the same transaction as the
action itself, only by the core's admin commands (``core.accounts.commands``)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from core.clock import utcnow
from core.db.tables import ADMIN_ACTIONS, admin_audit

OPERATOR_MAX_CHARS = 80
CLI_OPERATOR = "cli"


def checked_operator(operator: str) -> str:
    """``cli``, or ``<platform>:<user id>``.

    Raises:
        ValueError: anything else (a caller's mistake: operators never type this).
    """
    operator = operator.strip()
    platform, sep, user_id = operator.partition(":")
    shaped = operator == CLI_OPERATOR or (bool(sep) and bool(platform) and bool(user_id))
    if not shaped or len(operator) > OPERATOR_MAX_CHARS:
        raise ValueError("operator must be 'cli' or '<platform>:<user id>'")
    return operator


async def record_action(
    conn: AsyncConnection,
    *,
    account_id: int,
    operator: str,
    action: str,
    note: str | None = None,
    amount_credits: int | None = None,
    ledger_reason: str | None = None,
    ledger_reference: str | None = None,
) -> None:
    if action not in ADMIN_ACTIONS:
        raise ValueError(f"unknown admin action {action!r}")
    await conn.execute(
        admin_audit.insert().values(
            account_id=account_id,
            operator=operator,
            action=action,
            note=note,
            amount_credits=amount_credits,
            ledger_reason=ledger_reason,
            ledger_reference=ledger_reference,
            created_at=utcnow(),
        )
    )

"""The ledger: entries (the only record of balance changes) and credit debts."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from core.db.tables._base import BigId, UTCDateTime, in_list_sql, metadata

# The reasons the database accepts on a ledger entry: the values of
# ``core.ledger.reasons.Reason`` (a test holds the two and the migrations' CHECK equal).
LEDGER_REASONS = tuple(
    "admin_debit admin_grant debt_settled erasure_close link_in link_out payment_reversal "
    "promo purchase refund spend stars_purchase stars_refund stars_refund_undone "
    "subscription welcome".split()
)


ledger_entries = Table(
    "ledger_entries",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("account_id", BigInteger, ForeignKey("accounts.id"), nullable=False),
    Column("amount_credits", BigInteger, nullable=False),
    Column("balance_after_credits", BigInteger, nullable=False),
    Column("reason", String(32), nullable=False),
    Column("reference", String(128), nullable=False),
    Column("note", Text),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("reason", "reference", name="uq_ledger_reason_reference"),
    CheckConstraint("amount_credits <> 0", name="amount_not_zero"),
    CheckConstraint(in_list_sql("reason", LEDGER_REASONS), name="reason_known"),
    Index("ix_ledger_entries_account_id_id", "account_id", "id"),
)

credit_debts = Table(
    "credit_debts",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("account_id", BigInteger, ForeignKey("accounts.id"), nullable=False),
    # + credits owed after a reversal found them spent; - credits settled by a later grant
    Column("amount_credits", BigInteger, nullable=False),
    Column("reason", String(32), nullable=False),
    Column("reference", String(160), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("reason", "reference", name="uq_credit_debts_reason_reference"),
    CheckConstraint("amount_credits <> 0", name="amount_not_zero"),
    Index("ix_credit_debts_account_id", "account_id"),
)

"""Privacy: data exports, pending /forgetme confirmations and abuse-prevention hashes."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    UniqueConstraint,
)

from core.db.tables._base import BigId, UTCDateTime, metadata

# Data exports (/mydata): one ZIP in object storage each, deleted when expired.
exports = Table(
    "exports",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("account_id", BigInteger, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("status", String(16), nullable=False),  # building | ready
    Column("storage_key", String(256), nullable=False),
    Column("size_bytes", BigInteger),
    Column("sha256", String(64)),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    CheckConstraint("status IN ('building', 'ready')", name="status_known"),
    Index("ix_exports_account_id_created_at", "account_id", "created_at"),
    Index("ix_exports_expires_at", "expires_at"),
)

# Pending confirmations of an irreversible request (/forgetme): only a hash of the code.
privacy_confirmations = Table(
    "privacy_confirmations",
    metadata,
    Column("account_id", BigInteger, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("action", String(16), nullable=False),  # erase
    Column("code_sha256", String(64), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    UniqueConstraint("account_id", "action", name="uq_privacy_confirmations_account_action"),
)

# Keyed hashes (HMAC-SHA256 under SEEDREAM_ABUSE_HASH_SECRET) of platform identities that
# received a one-per-person benefit: ``welcome_grant`` or ``promo:<CODE>``. No account
# reference on purpose: these rows are what survives /forgetme, so a returning identity
# cannot farm the benefit again (core.privacy.abuse).
abuse_prevention_hashes = Table(
    "abuse_prevention_hashes",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("identity_hash", String(64), nullable=False),  # hex HMAC-SHA256
    Column("purpose", String(80), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    # Only with the reserved purpose "erased": when that identity was erased.
    Column("erased_at", UTCDateTime),
    UniqueConstraint("identity_hash", "purpose", name="uq_abuse_prevention_hashes_hash_purpose"),
)

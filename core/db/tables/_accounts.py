"""Accounts, their platform identities, consents and /link codes."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
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

accounts = Table(
    "accounts",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("balance_credits", BigInteger, nullable=False, server_default="0"),
    Column("plan", String(32), nullable=False, server_default="free"),
    Column("language", String(16)),
    Column("default_model", String(64)),
    Column("default_aspect", String(16)),
    Column("terms_version", String(32)),
    Column("terms_accepted_at", UTCDateTime),
    Column("age_confirmed_at", UTCDateTime),
    Column("training_opt_in", Boolean, nullable=False, server_default="0"),
    Column("banned_at", UTCDateTime),
    Column("ban_reason", Text),
    # Send finished images as files (full resolution) where the chat app would compress
    # photos (Telegram).
    Column("deliver_as_file", Boolean, nullable=False, server_default="0"),
    # Answer privately (Discord: ephemeral replies, results by DM after the token expires).
    Column("private_replies", Boolean, nullable=False, server_default="0"),
    # Product analytics, opt-in (/settings analytics on): a random pseudonymous id the
    # events carry instead of anything that names the user; NULL = off, no event leaves.
    Column("analytics_id", String(36)),
    # Set on the pseudonym that keeps an erased user's payment records: it has no
    # identity, no preferences and no link back to the platform user.
    Column("erased_at", UTCDateTime),
    # The sum of the account's credit_debts rows (credits owed); blocks new spending until
    # incoming credits settle it.
    Column("debt_credits", BigInteger, nullable=False, server_default="0"),
    # Set on an account absorbed by /link: it has no identity and a zero balance, and
    # nothing can act on it any more.
    Column("merged_into_account_id", BigInteger),
    CheckConstraint("balance_credits >= 0", name="balance_not_negative"),
)

identities = Table(
    "identities",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("account_id", BigInteger, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("platform", String(16), nullable=False),
    Column("platform_user_id", String(64), nullable=False),
    Column("display_name", String(128)),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("platform", "platform_user_id", name="uq_identities_platform_user"),
    Index("ix_identities_account_id", "account_id"),
)

# Every consent given or withdrawn, with the policy version it was given under.
consents = Table(
    "consents",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("account_id", BigInteger, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(32), nullable=False),  # terms | age_13_plus | training_use | analytics
    Column("granted", Boolean, nullable=False),
    Column("policy_version", String(32)),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_consents_account_id", "account_id"),
)

# One-time codes joining two platform identities into one account: only a hash of the
# code is stored; a code is redeemed once (``used_at``), within ten minutes.
link_codes = Table(
    "link_codes",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("account_id", BigInteger, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("platform", String(16), nullable=False),  # where the code was issued
    Column("code_hash", String(64), nullable=False),  # sha256 hex of the normalised code
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("used_at", UTCDateTime),
    Column("used_by_account_id", BigInteger),  # the account absorbed by the redemption
    UniqueConstraint("code_hash", name="uq_link_codes_code_hash"),
    Index("ix_link_codes_account_id_created_at", "account_id", "created_at"),
)

# What operators did to accounts: bans, unbans, grants and take-backs, with who did it
# ("cli", or "<platform>:<user id>"). A grant's credits are in the ledger; its row here
# names the entry by its unique (reason, reference).
ADMIN_ACTIONS = ("ban", "unban", "grant", "debit")

admin_audit = Table(
    "admin_audit",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("account_id", BigInteger, ForeignKey("accounts.id"), nullable=False),
    Column("operator", String(80), nullable=False),
    Column("action", String(16), nullable=False),
    Column("note", Text),  # the ban reason or the grant's reason
    Column("amount_credits", BigInteger),
    Column("ledger_reason", String(32)),
    Column("ledger_reference", String(128)),
    Column("created_at", UTCDateTime, nullable=False),
    CheckConstraint(in_list_sql("action", ADMIN_ACTIONS), name="action_known"),
    Index("ix_admin_audit_account_id_id", "account_id", "id"),
)


# Personal web links: /gallery links open one account's images; dashboard links open the
# operator dashboard for one operator ("cli", "discord:<id>", "telegram:<id>"), who has no
# account of their own. Only a sha256 of the random token is stored, never the token. A
# newer link of the same purpose revokes the older ones (of that account, of that
# operator); /forgetme deletes an account's with it.
WEB_LINK_PURPOSES = ("gallery", "dashboard")

web_links = Table(
    "web_links",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("account_id", BigInteger, ForeignKey("accounts.id", ondelete="CASCADE")),
    Column("operator", String(80)),
    Column("purpose", String(16), nullable=False),
    Column("token_sha256", String(64), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("revoked_at", UTCDateTime),
    CheckConstraint(in_list_sql("purpose", WEB_LINK_PURPOSES), name="purpose_known"),
    CheckConstraint(
        "(purpose = 'gallery' AND account_id IS NOT NULL AND operator IS NULL)"
        " OR (purpose = 'dashboard' AND operator IS NOT NULL AND account_id IS NULL)",
        name="holder_matches_purpose",
    ),
    UniqueConstraint("token_sha256", name="uq_web_links_token_sha256"),
    Index("ix_web_links_account_id_purpose", "account_id", "purpose"),
    Index("ix_web_links_operator_purpose", "operator", "purpose"),
)

"""Tables (SQLAlchemy Core). The Alembic revisions in migrations/ create exactly these."""

from __future__ import annotations

from datetime import UTC

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.types import TypeDecorator

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# SQLite has no 64-bit autoincrement BIGINT; INTEGER PRIMARY KEY is already 64-bit there.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes on every backend (SQLite hands back naive ones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


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
    # Set on the pseudonym that keeps an erased user's payment records (issue 6): it has
    # no identity, no preferences and no link back to the platform user.
    Column("erased_at", UTCDateTime),
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

# The reasons the database accepts on a ledger entry: the values of
# ``core.ledger.reasons.Reason`` (a test holds the two and the migrations' CHECK equal).
LEDGER_REASONS = tuple(
    "admin_debit admin_grant debt_settled erasure_close link_in link_out payment_reversal "
    "promo purchase refund spend stars_purchase stars_refund stars_refund_undone "
    "subscription welcome".split()
)


def in_list_sql(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


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

jobs = Table(
    "jobs",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("account_id", BigInteger, ForeignKey("accounts.id"), nullable=False),
    Column("status", String(16), nullable=False),
    Column("model_id", String(64), nullable=False),
    Column("prompt", Text, nullable=False),
    Column("negative_prompt", Text),
    Column("enhance", Boolean, nullable=False, server_default="0"),
    Column("enhanced_prompt", Text),
    Column("aspect_ratio", String(16), nullable=False),
    Column("width_px", Integer, nullable=False),
    Column("height_px", Integer, nullable=False),
    Column("seed", BigInteger),  # as requested
    Column("seed_used", BigInteger),  # what the result was made with (see capabilities.seed_used)
    Column("image_count", Integer, nullable=False),
    Column("cost_credits", BigInteger, nullable=False),
    Column("platform", String(16), nullable=False),
    Column("reply_target", Text),
    Column("locale", String(16)),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("max_attempts", Integer, nullable=False, server_default="3"),
    Column("lease_expires_at", UTCDateTime),
    Column("worker_id", String(64)),
    Column("provider_route", String(128)),
    Column("error_code", String(32)),
    Column("created_at", UTCDateTime, nullable=False),
    Column("started_at", UTCDateTime),
    Column("finished_at", UTCDateTime),
    # Scheduling: higher lane first, then the lowest virtual time (the job's rank in its
    # owner's backlog when it was queued), so one user's flood cannot starve others.
    Column("lane", SmallInteger, nullable=False, server_default="0"),
    Column("fair_vt", BigInteger, nullable=False, server_default="0"),
    Column("max_running", Integer, nullable=False, server_default="1"),
    Column("not_before", UTCDateTime),  # a retry waits for its backoff
    Column("notified_at", UTCDateTime),  # the terminal event was last handed to the bus
    Column("delivered_at", UTCDateTime),  # an adapter took the terminal event (once)
    # The platform's id of the request (e.g. a Telegram update): a redelivered update
    # finds its job instead of paying again.
    Column("request_key", String(96)),
    # A variation: the image (of the same account) it is drawn from. No foreign key: the
    # image may be deleted or purged while the job waits; the worker then fails it.
    Column("source_image_id", String(24)),
    CheckConstraint(
        "status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')", name="status_known"
    ),
    CheckConstraint("cost_credits >= 0", name="cost_not_negative"),
    Index("ix_jobs_account_id_created_at", "account_id", "created_at"),
    Index("ix_jobs_status_created_at", "status", "created_at"),
    Index("ix_jobs_account_id_status", "account_id", "status"),
    Index("uq_jobs_request_key", "request_key", unique=True),
    Index(
        "ix_jobs_claim_order",
        "lane",
        "fair_vt",
        "created_at",
        postgresql_where=text("status = 'queued'"),
        sqlite_where=text("status = 'queued'"),
    ),
)

images = Table(
    "images",
    metadata,
    Column("id", String(24), primary_key=True),
    Column("job_id", String(32), ForeignKey("jobs.id"), nullable=False),
    Column("account_id", BigInteger, ForeignKey("accounts.id"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("storage_key", String(256), nullable=False),
    Column("mime", String(32), nullable=False),
    Column("width_px", Integer, nullable=False),
    Column("height_px", Integer, nullable=False),
    Column("size_bytes", BigInteger, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("deleted_at", UTCDateTime),
    UniqueConstraint("job_id", "position", name="uq_images_job_position"),
    Index("ix_images_account_id", "account_id"),
)

# -- billing (payments, subscriptions, promo codes, debts) ----------------------------
# accounts.debt_credits (added by revision 0004) caches the sum of credit_debts rows.
accounts.append_column(Column("debt_credits", BigInteger, nullable=False, server_default="0"))

billing_customers = Table(
    "billing_customers",
    metadata,
    Column(
        "account_id",
        BigInteger,
        ForeignKey("accounts.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    ),
    Column("provider", String(16), nullable=False),  # "stripe"
    Column("customer_id", String(255), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("customer_id", name="uq_billing_customers_customer_id"),
)

checkout_sessions = Table(
    "checkout_sessions",
    metadata,
    Column("id", String(255), primary_key=True),  # the payment provider's session id
    Column("account_id", BigInteger, ForeignKey("accounts.id"), nullable=False),
    Column("kind", String(16), nullable=False),  # "pack" | "subscription"
    Column("item_id", String(64), nullable=False),  # the pack or plan id
    Column("credits", BigInteger, nullable=False),  # what the pack grants (0 for a plan)
    Column("platform", String(16), nullable=False),
    Column("reply_target", Text),  # where the "purchase landed" notice goes
    Column("locale", String(16)),
    Column("status", String(16), nullable=False),  # open | paid | failed
    Column("subscription_id", String(255)),
    Column("created_at", UTCDateTime, nullable=False),
    Column("completed_at", UTCDateTime),
    Index("ix_checkout_sessions_account_id_created_at", "account_id", "created_at"),
)

payments = Table(
    "payments",
    metadata,
    # Checkout Session id (pack), invoice id (subscription) or Telegram charge id (Stars)
    Column("reference", String(255), primary_key=True),
    Column("provider", String(16), nullable=False),  # "stripe" | "stars"
    Column("account_id", BigInteger, ForeignKey("accounts.id"), nullable=False),
    Column("kind", String(16), nullable=False),  # "pack" | "subscription"
    Column("item_id", String(64), nullable=False),
    Column("credits", BigInteger, nullable=False),  # granted
    Column("amount_minor", BigInteger, nullable=False),  # cents, or Stars
    Column("currency", String(8), nullable=False),  # "usd", "xtr"
    Column("payment_intent", String(255)),  # matches charge and dispute events
    Column("reversed_credits", BigInteger, nullable=False, server_default="0"),
    Column("created_at", UTCDateTime, nullable=False),
    Column("reversed_at", UTCDateTime),
    CheckConstraint("reversed_credits <= credits", name="reversal_within_grant"),
    Index("ix_payments_payment_intent", "payment_intent"),
    Index("ix_payments_account_id", "account_id"),
)

# The outbox of Stars refunds (``core.billing.stars_refunds``): the credits are taken back and
# the row committed as ``pending`` before Telegram is asked; the answer makes it
# ``done`` or ``failed``. One row per charge, so a charge is never refunded twice.
STARS_REFUND_STATUSES = ("pending", "done", "failed")
stars_refunds = Table(
    "stars_refunds",
    metadata,
    Column("charge_id", String(255), primary_key=True),  # telegram_payment_charge_id
    Column("account_id", BigInteger, ForeignKey("accounts.id"), nullable=False),
    Column("platform_user_id", String(64)),  # the Telegram user; cleared on erasure
    Column("stars", BigInteger, nullable=False),
    Column("taken_credits", BigInteger, nullable=False),
    Column("debt_credits", BigInteger, nullable=False),
    Column("status", String(16), nullable=False),
    Column("error_code", String(64)),  # Telegram's answer, or the last transient error
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    CheckConstraint(in_list_sql("status", STARS_REFUND_STATUSES), name="status_known"),
    Index("ix_stars_refunds_account_id", "account_id"),
    Index("ix_stars_refunds_status", "status"),
)

webhook_events = Table(
    "webhook_events",
    metadata,
    Column("id", String(255), primary_key=True),  # evt_...: processed once
    Column("type", String(64), nullable=False),
    Column("outcome", String(64), nullable=False),
    Column("received_at", UTCDateTime, nullable=False),
)

subscriptions = Table(
    "subscriptions",
    metadata,
    Column("id", String(255), primary_key=True),  # sub_...
    Column("account_id", BigInteger, ForeignKey("accounts.id"), nullable=False),
    Column("plan", String(32), nullable=False),
    Column("status", String(32), nullable=False),  # Stripe's status; "canceled" is final
    Column("last_event_at", BigInteger, nullable=False, server_default="0"),  # unix s
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Index("ix_subscriptions_account_id", "account_id"),
)

promo_codes = Table(
    "promo_codes",
    metadata,
    Column("code", String(64), primary_key=True),  # stored upper-case
    Column("credits", BigInteger, nullable=False),
    Column("max_redemptions", Integer, nullable=False),
    Column("redeemed_count", Integer, nullable=False, server_default="0"),
    Column("expires_at", UTCDateTime),
    Column("created_at", UTCDateTime, nullable=False),
    CheckConstraint("credits > 0", name="credits_positive"),
    CheckConstraint("redeemed_count <= max_redemptions", name="within_max"),
)

promo_redemptions = Table(
    "promo_redemptions",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("code", String(64), ForeignKey("promo_codes.code"), nullable=False),
    Column("account_id", BigInteger, ForeignKey("accounts.id"), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("code", "account_id", name="uq_promo_redemptions_code_account"),
    Index("ix_promo_redemptions_account_id", "account_id"),
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

# Refunds and disputes by payment intent (revision 0013), kept whether or not the payment
# they reverse is recorded yet: what a payment has lost is computed from these rows, so
# their order of arrival and repeated delivery do not matter. (Revision 0013 moved the
# reversals held in pending_reversals here and dropped that table.)
payment_reversals = Table(
    "payment_reversals",
    metadata,
    Column("reference", String(255), primary_key=True),  # charge id (refunds) or dispute id
    Column("payment_intent", String(255), nullable=False),
    Column("kind", String(16), nullable=False),  # "refund" | "dispute"
    Column("amount_minor", BigInteger, nullable=False),  # refunded so far, or disputed
    Column("status", String(32), nullable=False),  # "refunded", or the dispute's status
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Index("ix_payment_reversals_payment_intent", "payment_intent"),
)

# This installation's own values (revision 0013), e.g. ``deployment_id``: a random id
# made once, named in the metadata of the Stripe customers it creates. Not a secret.
deployment_values = Table(
    "deployment_values",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("value", String(255), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

# -- privacy (issue 6) ---------------------------------------------------------------

# Every consent given or withdrawn, with the policy version it was given under.
consents = Table(
    "consents",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("account_id", BigInteger, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(32), nullable=False),  # terms | age_13_plus | training_use
    Column("granted", Boolean, nullable=False),
    Column("policy_version", String(32)),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_consents_account_id", "account_id"),
)

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

# -- cross-platform account link (/link) -----------------------------------------------
# accounts.merged_into_account_id (added by revision 0008): set on an account absorbed by
# /link; it has no identity and a zero balance, and nothing can act on it any more.
accounts.append_column(Column("merged_into_account_id", BigInteger))

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

# -- abuse prevention (issue 12) --------------------------------------------------------
# Keyed hashes (HMAC-SHA256 under SEEDREAM_ABUSE_HASH_SECRET) of platform identities that
# received a one-per-person benefit: ``welcome_grant`` or ``promo:<CODE>``. No account
# reference on purpose: these rows are what survives /forgetme, so a returning identity
# cannot farm the benefit again (core.privacy_abuse). ``erased_at`` is for a later
# purpose ``erased`` (an identity erased at that time).
abuse_prevention_hashes = Table(
    "abuse_prevention_hashes",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("identity_hash", String(64), nullable=False),  # hex HMAC-SHA256
    Column("purpose", String(80), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("erased_at", UTCDateTime),
    UniqueConstraint("identity_hash", "purpose", name="uq_abuse_prevention_hashes_hash_purpose"),
)

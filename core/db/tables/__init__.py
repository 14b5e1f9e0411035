"""The tables (SQLAlchemy Core), one definition each, all in one ``metadata``. The Alembic
revisions in migrations/ create exactly these (tests/integration/test_migrations.py).

Import tables from here; the private modules only group them by capability."""

from core.db.tables._accounts import (
    ADMIN_ACTIONS,
    WEB_LINK_PURPOSES,
    accounts,
    admin_audit,
    consents,
    identities,
    link_codes,
    web_links,
)
from core.db.tables._base import BigId, UTCDateTime, in_list_sql, metadata
from core.db.tables._billing import (
    STARS_REFUND_STATUSES,
    billing_customers,
    checkout_sessions,
    deployment_values,
    payment_reversals,
    payments,
    promo_codes,
    promo_redemptions,
    stars_refunds,
    subscriptions,
    webhook_events,
)
from core.db.tables._jobs import JOB_STATUSES, images, jobs, uploads
from core.db.tables._ledger import LEDGER_REASONS, credit_debts, ledger_entries
from core.db.tables._observability import (
    HEALTH_LATENCY_BUCKETS_S,
    provider_circuits,
    provider_health,
)
from core.db.tables._privacy import abuse_prevention_hashes, exports, privacy_confirmations

__all__ = [
    "ADMIN_ACTIONS",
    "HEALTH_LATENCY_BUCKETS_S",
    "JOB_STATUSES",
    "LEDGER_REASONS",
    "STARS_REFUND_STATUSES",
    "WEB_LINK_PURPOSES",
    "BigId",
    "UTCDateTime",
    "abuse_prevention_hashes",
    "accounts",
    "admin_audit",
    "billing_customers",
    "checkout_sessions",
    "consents",
    "credit_debts",
    "deployment_values",
    "exports",
    "identities",
    "images",
    "in_list_sql",
    "jobs",
    "ledger_entries",
    "link_codes",
    "metadata",
    "payment_reversals",
    "payments",
    "privacy_confirmations",
    "promo_codes",
    "promo_redemptions",
    "provider_circuits",
    "provider_health",
    "stars_refunds",
    "subscriptions",
    "uploads",
    "web_links",
    "webhook_events",
]

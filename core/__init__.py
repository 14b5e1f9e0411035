"""The platform-neutral core: its public surface.

Adapters import from here and nowhere deeper (``from core import Core, Actor``): the
facade, the request, result and view types its methods take and return, the error tree
every adapter renders, the message catalogue, the delivery events and the few ports an
adapter implements or is handed. Everything else is the core's own business; the
composition root (``bot``) may reach into the packages to wire their implementations.
``tests/unit/test_architecture.py`` pins this list, and import-linter (pyproject.toml)
keeps adapters from importing the packages directly.
"""

from core.accounts.commands import MAX_ADMIN_GRANT_CREDITS
from core.accounts.linking import LinkCode, LinkResult
from core.accounts.web_links import OperatorGrant
from core.billing.payments import InvalidWebhook, StarsRefundRefused, StarsRefunds
from core.billing.service import Billing
from core.billing.types import (
    CheckoutLink,
    CreditsOverview,
    Notice,
    PackOffer,
    PlanOffer,
    Redemption,
    StarsInvoice,
    StarsPurchase,
    format_price,
)
from core.catalog import Catalog, ModelSpec
from core.clock import utcnow
from core.errors import (
    AgeRestricted,
    AlreadySubmitted,
    Banned,
    ConfirmationInvalid,
    CoreError,
    CreditDebt,
    DebitExceedsBalance,
    ExportTooSoon,
    InsufficientCredits,
    InvalidOption,
    ItemKind,
    JobDeadlineExceeded,
    LinkRefused,
    LinkTooSoon,
    ModelUnavailable,
    NotCancellable,
    NotFound,
    NotOwner,
    PaymentRefused,
    PaymentsDisabled,
    PaymentsUnavailable,
    PromoRefused,
    PromptRefused,
    ProviderError,
    ProviderPermanent,
    ProviderRateLimited,
    ProviderRefused,
    ProviderTransient,
    RateLimited,
    ReferenceImageGone,
    ReferenceImageRefused,
    RouteUnsupported,
    SourceImageGone,
    TermsNotAccepted,
    TooManyQueued,
    UnknownModel,
    UnknownPack,
    UnknownPlan,
    VariationsUnsupported,
    WebLinkInvalid,
)
from core.facade import Core
from core.jobs.gallery import GalleryItem, GalleryLink, GalleryPage
from core.jobs.requests import PROMPT_MAX_CHARS, SEED_MAX, parse_imagine_text, parse_settings_text
from core.jobs.scheduling import QUEUE_POSITION_CAP
from core.ledger import LedgerOutcome
from core.messaging.events import DeliveryHandler, EventBus
from core.observability.account_lookup import AccountLookup, AuditRow
from core.observability.dashboard import DashboardOverview, ProviderHealthView
from core.observability.dashboard_access import DashboardLink
from core.observability.stats import StatsView
from core.privacy.erase import ErasureChallenge, ErasureReceipt
from core.privacy.export import ExportResult
from core.privacy.service import PrivacyService
from core.providers.capabilities import route_honours_seed
from core.settings import CoreSettings
from core.text.catalogue import (
    DEFAULT_LANGUAGE,
    Messages,
    effective_locale,
    locale_chain,
    normalise_locale,
)
from core.types import (
    Acceptance,
    AcceptedJob,
    AccountView,
    Actor,
    CreditsView,
    EffectiveSettings,
    ImageView,
    ImagineRequest,
    JobEvent,
    JobView,
    LedgerEntryView,
    ReferenceUpload,
    ReplyTarget,
    TermsView,
)

__all__ = [
    "DEFAULT_LANGUAGE",
    "MAX_ADMIN_GRANT_CREDITS",
    "PROMPT_MAX_CHARS",
    "QUEUE_POSITION_CAP",
    "SEED_MAX",
    "Acceptance",
    "AcceptedJob",
    "AccountLookup",
    "AccountView",
    "Actor",
    "AgeRestricted",
    "AlreadySubmitted",
    "AuditRow",
    "Banned",
    "Billing",
    "Catalog",
    "CheckoutLink",
    "ConfirmationInvalid",
    "Core",
    "CoreError",
    "CoreSettings",
    "CreditDebt",
    "CreditsOverview",
    "CreditsView",
    "DashboardLink",
    "DashboardOverview",
    "DebitExceedsBalance",
    "DeliveryHandler",
    "EffectiveSettings",
    "ErasureChallenge",
    "ErasureReceipt",
    "EventBus",
    "ExportResult",
    "ExportTooSoon",
    "GalleryItem",
    "GalleryLink",
    "GalleryPage",
    "ImageView",
    "ImagineRequest",
    "InsufficientCredits",
    "InvalidOption",
    "InvalidWebhook",
    "ItemKind",
    "JobDeadlineExceeded",
    "JobEvent",
    "JobView",
    "LedgerEntryView",
    "LedgerOutcome",
    "LinkCode",
    "LinkRefused",
    "LinkResult",
    "LinkTooSoon",
    "Messages",
    "ModelSpec",
    "ModelUnavailable",
    "NotCancellable",
    "NotFound",
    "NotOwner",
    "Notice",
    "OperatorGrant",
    "PackOffer",
    "PaymentRefused",
    "PaymentsDisabled",
    "PaymentsUnavailable",
    "PlanOffer",
    "PrivacyService",
    "PromoRefused",
    "PromptRefused",
    "ProviderError",
    "ProviderHealthView",
    "ProviderPermanent",
    "ProviderRateLimited",
    "ProviderRefused",
    "ProviderTransient",
    "RateLimited",
    "Redemption",
    "ReferenceImageGone",
    "ReferenceImageRefused",
    "ReferenceUpload",
    "ReplyTarget",
    "RouteUnsupported",
    "SourceImageGone",
    "StarsInvoice",
    "StarsPurchase",
    "StarsRefundRefused",
    "StarsRefunds",
    "StatsView",
    "TermsNotAccepted",
    "TermsView",
    "TooManyQueued",
    "UnknownModel",
    "UnknownPack",
    "UnknownPlan",
    "VariationsUnsupported",
    "WebLinkInvalid",
    "effective_locale",
    "format_price",
    "locale_chain",
    "normalise_locale",
    "parse_imagine_text",
    "parse_settings_text",
    "route_honours_seed",
    "utcnow",
]

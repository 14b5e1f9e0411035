"""User-facing error types, rendered by every adapter through the message catalogue.

Each error carries a message ``key`` (looked up in ``core/text/locales/<locale>.ftl``) and the
``params`` the text needs. Adapters never show ``str(exc)``; they render
``messages.render(exc.key, locale, **exc.params)``.

::

    CoreError
    ├── InsufficientCredits(balance_credits, cost_credits)
    ├── DebitExceedsBalance(balance_credits, debit_credits)  an operator's debit; nothing changed
    ├── InvalidOption(field, reason)
    ├── TermsNotAccepted(policy_version)
    ├── Banned(reason)
    ├── UnknownModel(model_id)
    ├── ModelUnavailable(model_id)       in the catalogue, served by no provider here
    ├── NotFound(what: ItemKind)          a kind the translations select on, never words
    ├── NotCancellable(job_id, reason)   /cancel of a running or ended job: running | ended
    ├── RateLimited(retry_after_s)
    ├── TooManyQueued(max_queued_jobs)
    ├── PromptRefused()                   the moderation blocklist matched; nothing spent
    ├── PaymentsDisabled()
    ├── PaymentsUnavailable()             the payment service failed or is unreachable
    ├── CreditDebt(debt_credits)          a refund/dispute left spent credits owed
    ├── UnknownPack(pack_id, available) / UnknownPlan(plan_id, available)
    ├── PromoRefused(reason)              unknown | expired | exhausted | already_redeemed
    ├── PaymentRefused(reason)            a Stars pre-checkout or payment that does not match
    ├── ExportTooSoon(retry_after_s)      /mydata: one export an hour (a RateLimited)
    ├── ConfirmationInvalid()             /forgetme: wrong or expired code; nothing erased
    ├── NotOwner(what: ItemKind)          /delete: someone else's image
    ├── AlreadySubmitted(job_id)          a redelivered request: its job exists, not paid again
    ├── LinkRefused(reason)               /link: a code or a merge refused; nothing changed
    ├── LinkTooSoon(retry_after_s)        /link: too many codes or attempts (a RateLimited)
    ├── VariationsUnsupported(model_id)   a variation of an image whose model has none
    ├── ReferenceImageRefused(reason)     an /imagine reference image refused; nothing spent
    ├── AgeRestricted(model_id)           an ``nsfw`` model where the place does not allow it
    └── ProviderError                     raised by providers, never shown raw
        ├── ProviderRefused(reason)       moderation: not retried, refunded
        ├── ProviderRateLimited(retry_after_s)
        ├── ProviderTransient(reason)     retried
        └── ProviderPermanent(reason)     refunded
            ├── SourceImageGone()         a variation's image was deleted before it ran
            ├── ReferenceImageGone()      a reference upload was deleted before it ran
            └── JobDeadlineExceeded(deadline_min)  not finished in time; refunded
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class CoreError(Exception):
    """Base of every error an adapter may render to a user."""

    key: str = "error.generic"

    def __init__(self, **params: Any) -> None:
        self.params: dict[str, Any] = params
        super().__init__(self.key, params)


class InsufficientCredits(CoreError):
    key = "error.insufficient_credits"

    def __init__(self, *, balance_credits: int, cost_credits: int) -> None:
        super().__init__(balance_credits=balance_credits, cost_credits=cost_credits)
        self.balance_credits = balance_credits
        self.cost_credits = cost_credits


class DebitExceedsBalance(CoreError):
    """An operator took back more credits than the account holds (operator wording, not
    the user's "you need N credits")."""

    key = "error.debit_exceeds_balance"

    def __init__(self, *, balance_credits: int, debit_credits: int) -> None:
        super().__init__(balance_credits=balance_credits, debit_credits=debit_credits)


class InvalidOption(CoreError):
    """A request field failed validation. ``reason`` is a message key suffix."""

    key = "error.invalid_option"

    def __init__(self, *, field: str, reason: str, **detail: Any) -> None:
        super().__init__(field=field, reason=reason, **detail)
        self.field = field
        self.reason = reason


class TermsNotAccepted(CoreError):
    key = "error.terms_not_accepted"

    def __init__(self, *, policy_version: str) -> None:
        super().__init__(policy_version=policy_version)
        self.policy_version = policy_version


class Banned(CoreError):
    key = "error.banned"

    def __init__(self, *, reason: str = "") -> None:
        super().__init__(reason=reason)


class UnknownModel(CoreError):
    key = "error.unknown_model"

    def __init__(self, *, model_id: str, available: str = "") -> None:
        super().__init__(model_id=model_id, available=available)
        self.model_id = model_id


class ModelUnavailable(CoreError):
    """The model is in the catalogue but no provider configured here serves it."""

    key = "error.model_unavailable"

    def __init__(self, *, model_id: str, available: str = "") -> None:
        super().__init__(model_id=model_id, available=available)
        self.model_id = model_id


class AgeRestricted(CoreError):
    """The effective model of a request (or a default being chosen) is age-restricted
    and the place the request came from does not allow it (``Actor.nsfw_allowed``)."""

    key = "error.age_restricted"

    def __init__(self, *, model_id: str) -> None:
        super().__init__(model_id=model_id)
        self.model_id = model_id


class ItemKind(StrEnum):
    """What NotFound and NotOwner are about: a key the translations select on (each
    locale words each kind in its own grammar), never words from code."""

    ACCOUNT = "account"
    CONFIRMATION_CODE = "confirmation_code"
    IMAGE = "image"
    JOB = "job"
    QUEUED_JOB = "queued_job"
    SUBSCRIPTION = "subscription"


class NotFound(CoreError):
    key = "error.not_found"

    def __init__(self, *, what: ItemKind) -> None:
        super().__init__(what=ItemKind(what).value)
        self.what = what


class NotCancellable(CoreError):
    """/cancel of a job of the user's that is no longer queued. ``reason``: running (being
    drawn) or ended (finished, failed or cancelled already); a message key suffix."""

    key = "error.not_cancellable"

    def __init__(self, *, job_id: str, reason: str) -> None:
        super().__init__(job_id=job_id[:8], reason=reason)
        self.reason = reason


class AlreadySubmitted(CoreError):
    """The platform delivered the same request again (e.g. a Telegram update after a
    crash): the job it created stands and nothing is charged twice."""

    key = "error.already_submitted"

    def __init__(self, *, job_id: str) -> None:
        super().__init__(job_id=job_id[:8])
        self.job_id = job_id


class RateLimited(CoreError):
    key = "error.rate_limited"

    def __init__(self, *, retry_after_s: float) -> None:
        super().__init__(retry_after_s=max(1, round(retry_after_s)))
        self.retry_after_s = retry_after_s


class TooManyQueued(CoreError):
    """The user already has as many jobs waiting as their plan allows."""

    key = "error.too_many_queued"

    def __init__(self, *, max_queued_jobs: int) -> None:
        super().__init__(max_queued_jobs=max_queued_jobs)
        self.max_queued_jobs = max_queued_jobs


class PromptRefused(CoreError):
    """The prompt matched the operator's blocklist. Raised before anything is spent."""

    key = "error.prompt_refused"


class PaymentsDisabled(CoreError):
    key = "error.payments_disabled"


class PaymentsUnavailable(CoreError):
    """The payment service refused our request or could not be reached (logged)."""

    key = "error.payments_unavailable"


class CreditDebt(CoreError):
    """Credits of a refunded or disputed payment were already spent: spending is blocked
    until a later purchase settles the debt."""

    key = "error.credit_debt"

    def __init__(self, *, debt_credits: int) -> None:
        super().__init__(debt_credits=debt_credits)
        self.debt_credits = debt_credits


class UnknownPack(CoreError):
    key = "error.unknown_pack"

    def __init__(self, *, pack_id: str, available: str = "") -> None:
        super().__init__(pack_id=pack_id, available=available)
        self.pack_id = pack_id


class UnknownPlan(CoreError):
    key = "error.unknown_plan"

    def __init__(self, *, plan_id: str, available: str = "") -> None:
        super().__init__(plan_id=plan_id, available=available)
        self.plan_id = plan_id


class PromoRefused(CoreError):
    """``reason``: unknown | expired | exhausted | already_redeemed (a message key suffix)."""

    key = "error.promo"

    def __init__(self, *, reason: str, code: str = "") -> None:
        super().__init__(reason=reason, code=code)
        self.reason = reason


class PaymentRefused(CoreError):
    """A payment that does not match what was offered (``reason`` is a key suffix)."""

    key = "error.payment"

    def __init__(self, *, reason: str) -> None:
        super().__init__(reason=reason)
        self.reason = reason


class ExportTooSoon(RateLimited):
    """A data export was made less than an hour ago."""

    key = "error.export_too_soon"


class ConfirmationInvalid(CoreError):
    """The confirmation code is wrong or expired; nothing was done."""

    key = "error.confirmation_invalid"


class LinkRefused(CoreError):
    """/link refused (``reason`` is a key suffix): invalid_code (unknown, expired or used:
    one answer, so a guess learns nothing) | same_account | same_platform | banned |
    merged | jobs_active | both_subscribed | both_customers. Nothing was changed."""

    key = "error.link"

    def __init__(self, *, reason: str, platform: str = "") -> None:
        super().__init__(reason=reason, platform=platform)
        self.reason = reason


class LinkTooSoon(RateLimited):
    """Too many /link codes or redemption attempts in a short time."""

    key = "error.link_too_soon"


class WebLinkInvalid(CoreError):
    """A personal web link (or the session it became) is unknown, expired, revoked by a
    newer link or by /forgetme: one answer for all, so a forger learns nothing."""

    key = "error.web_link_invalid"


class NotOwner(CoreError):
    """The item exists but belongs to someone else."""

    key = "error.not_owner"

    def __init__(self, *, what: ItemKind) -> None:
        super().__init__(what=ItemKind(what).value)
        self.what = what


class VariationsUnsupported(CoreError):
    """The image's model offers no variations (catalogue ``variations``); nothing spent."""

    key = "error.variations_unsupported"

    def __init__(self, *, model_id: str) -> None:
        super().__init__(model_id=model_id)
        self.model_id = model_id


class ReferenceImageRefused(CoreError):
    """A reference image brought to /imagine was refused before anything was stored or
    spent. ``reason`` picks the text: empty | too_large (max_mb) | not_an_image |
    too_many_pixels (max_megapixels) | animated | unreadable | too_many (max_images,
    model_id) | unsupported (model_id) | disabled | paid_plans_only | gone (a Reroll
    whose reference images were deleted)."""

    key = "error.reference_image"

    def __init__(self, *, reason: str, **detail: Any) -> None:
        super().__init__(reason=reason, **detail)
        self.reason = reason


class ProviderError(CoreError):
    """A generation service failed. Carried on the job as ``error_code``."""

    key = "error.provider"
    code = "provider_error"
    route: str | None = None  # the route that raised it, set by the worker (core.jobs.runner)

    def __init__(self, *, reason: str = "") -> None:
        super().__init__(reason=reason)
        self.reason = reason


class ProviderRefused(ProviderError):
    key = "error.provider_refused"
    code = "refused"


class ProviderRateLimited(ProviderError):
    key = "error.provider_busy"
    code = "rate_limited"

    def __init__(self, *, retry_after_s: float = 5.0, reason: str = "") -> None:
        super().__init__(reason=reason)
        self.params["retry_after_s"] = retry_after_s
        self.retry_after_s = retry_after_s


class ProviderTransient(ProviderError):
    key = "error.provider_busy"
    code = "transient"


class ProviderPermanent(ProviderError):
    key = "error.provider"
    code = "permanent"


class RouteUnsupported(ProviderPermanent):
    """This route cannot serve the request: the service does not know the model, or
    refuses a parameter or output modality for it. Unlike a refusal it says nothing
    about the prompt, so the worker tries the model's next route; when no route can,
    the job fails and is refunded."""

    key = "error.route_unsupported"
    code = "route_unsupported"


class SourceImageGone(ProviderPermanent):
    """The image a variation job draws from was deleted (or erased) before the job ran:
    the job fails and is refunded."""

    key = "error.source_image_gone"
    code = "source_gone"


class ReferenceImageGone(ProviderPermanent):
    """A reference image the job draws from (an upload) was deleted, erased or purged
    before the job ran: the job fails and is refunded."""

    key = "error.reference_image_gone"
    code = "reference_gone"


class JobDeadlineExceeded(ProviderPermanent):
    """The job was not finished ``deadline_min`` minutes after it was submitted (queue
    wait, busy services and retries included): it fails and is refunded."""

    key = "error.job_deadline"
    code = "deadline"

    def __init__(self, *, deadline_min: int) -> None:
        super().__init__(reason="job deadline passed")
        self.params["deadline_min"] = deadline_min


__all__ = [
    "AlreadySubmitted",
    "Banned",
    "ConfirmationInvalid",
    "CoreError",
    "CreditDebt",
    "ExportTooSoon",
    "InsufficientCredits",
    "InvalidOption",
    "JobDeadlineExceeded",
    "ModelUnavailable",
    "NotFound",
    "NotOwner",
    "PaymentRefused",
    "PaymentsDisabled",
    "PaymentsUnavailable",
    "PromoRefused",
    "PromptRefused",
    "ProviderError",
    "ProviderPermanent",
    "ProviderRateLimited",
    "ProviderRefused",
    "ProviderTransient",
    "RateLimited",
    "ReferenceImageGone",
    "ReferenceImageRefused",
    "RouteUnsupported",
    "SourceImageGone",
    "TermsNotAccepted",
    "TooManyQueued",
    "UnknownModel",
    "UnknownPack",
    "UnknownPlan",
    "VariationsUnsupported",
]

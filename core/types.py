"""Platform-neutral values passed between adapters and the core."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is speaking: built by an adapter from a platform event."""

    platform: str  # "console", "discord", "telegram", ...
    platform_user_id: str
    display_name: str | None = None
    locale: str | None = None
    chat_id: str | None = None  # the chat or group spoken in, for per-chat limits
    # The place spoken in allows age-restricted (``nsfw``) models: set by the adapter
    # (Discord: an age-restricted channel; Telegram: a chat the operator lists; console:
    # always). Off unless an adapter says so.
    nsfw_allowed: bool = False


@dataclass(frozen=True, slots=True)
class ReplyTarget:
    """Where the result of a job goes. Opaque to the core (but for ``session``, read by
    the Redis delivery); stored on the job as JSON.

    Discord: ``{"application_id", "interaction_id", "interaction_token", "channel_id",
    "user_id", "ephemeral"}``;
    Telegram: ``{"chat_id", "message_id"}``; console: ``{"session": ...}``.
    """

    platform: str
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def session(self) -> str | None:
        """The run this target belongs to when it lives only as long as one process's
        session (a console: ``data["session"]``); None for a chat that outlives it."""
        value = self.data.get("session")
        return str(value) if value else None

    def to_json(self) -> str:
        return json.dumps({"platform": self.platform, "data": self.data}, sort_keys=True)

    @classmethod
    def from_json(cls, raw: str | None) -> ReplyTarget | None:
        if not raw:
            return None
        obj = json.loads(raw)
        return cls(platform=obj["platform"], data=dict(obj.get("data") or {}))


@dataclass(frozen=True, slots=True)
class ImagineRequest:
    """The same command object for every platform's /imagine.

    Fields left ``None`` take the account's preferences, then the model's defaults.
    """

    prompt: str
    model_id: str | None = None
    aspect_ratio: str | None = None
    seed: int | None = None
    negative_prompt: str | None = None
    image_count: int | None = None
    enhance: bool = False
    # Images the user brought (Discord attachments, a Telegram photo, console --image),
    # unchecked: the core checks, re-encodes and stores them (core.jobs.uploads).
    reference_images: tuple[ReferenceUpload, ...] = ()


@dataclass(frozen=True, slots=True, repr=False)
class ReferenceUpload:
    """One image as the platform handed it over: raw bytes, not yet trusted. The name is
    the user's file name, never used to decide the type (the bytes are)."""

    data: bytes
    filename: str | None = None

    def __repr__(self) -> str:  # never the bytes in logs
        return f"ReferenceUpload({len(self.data)} bytes)"


@dataclass(frozen=True, slots=True)
class AccountView:
    account_id: int
    balance_credits: int
    language: str | None
    default_model: str | None
    default_aspect: str | None
    terms_version: str | None
    terms_accepted_at: datetime | None
    banned: bool
    plan: str
    training_opt_in: bool
    deliver_as_file: bool = False  # full-resolution files instead of compressed photos
    private_replies: bool = False  # replies only the user sees, where the platform can
    analytics_opt_in: bool = False  # product analytics events are sent (opt-in)


@dataclass(frozen=True, slots=True)
class EffectiveSettings:
    """The defaults the next /imagine without options gets (``Core.effective_settings``):
    the user's own choice where the catalogue still offers it, else the deployment's."""

    model_id: str
    aspect_ratio: str
    aspect_ratios: tuple[str, ...]  # what the model offers
    language: str


@dataclass(frozen=True, slots=True)
class TermsView:
    policy_version: str
    accepted: bool  # accepted the current version


@dataclass(frozen=True, slots=True)
class Acceptance:
    account: AccountView
    welcome_credits: int  # granted now; 0 when accepted before


@dataclass(frozen=True, slots=True)
class LedgerEntryView:
    amount_credits: int
    reason: str
    reference: str
    balance_after_credits: int
    created_at: datetime


@dataclass(frozen=True, slots=True)
class CreditsView:
    balance_credits: int
    recent: list[LedgerEntryView]


@dataclass(frozen=True, slots=True)
class ImageView:
    image_id: str
    url: str  # the original, full size
    width: int
    height: int
    mime: str
    # A chat-sized derivative of the original (JPEG, small enough for a Telegram photo by
    # link and a Discord embed); None where none was made. Chats show it, linking ``url``.
    preview_url: str | None = None


@dataclass(frozen=True, slots=True)
class JobView:
    job_id: str
    status: str  # queued | running | succeeded | failed | cancelled
    model_id: str
    prompt: str
    aspect_ratio: str
    seed: int | None
    image_count: int
    cost_credits: int
    created_at: datetime
    finished_at: datetime | None
    error_code: str | None
    images: list[ImageView] = field(default_factory=list)
    queue_position: int | None = None


@dataclass(frozen=True, slots=True)
class AcceptedJob(JobView):
    """What /imagine, Reroll and the V buttons return: the new job, and the owner's
    balance right after its debit (read in the same transaction, so an adapter shows
    it without asking again, and two quick submits never show the same balance)."""

    balance_credits: int = field(kw_only=True)
    # The locale the job's texts are in: the language chosen in /settings, else the
    # platform's (``effective_locale``); an adapter answers the submit in it too.
    locale: str | None = field(default=None, kw_only=True)


@dataclass(frozen=True, slots=True)
class JobEvent:
    """A change of a job's state, delivered to the adapter that owns the reply target.

    ``kind="notice"`` is a message that is not about a job (e.g. a purchase landed):
    ``job_id`` carries its reference and the adapter renders ``notice_key``."""

    kind: str  # "queued" | "started" | "finished" | "failed" | "cancelled" | "notice"
    job_id: str
    account_id: int
    reply_target: ReplyTarget | None
    locale: str | None
    images: list[ImageView] = field(default_factory=list)
    error_key: str | None = None
    error_params: dict[str, Any] = field(default_factory=dict)
    refunded_credits: int = 0
    queue_position: int | None = None
    notice_key: str | None = None
    notice_params: dict[str, Any] = field(default_factory=dict)
    can_vary: bool = False  # "finished": the model offers variations of these images
    # "finished": --enhance was asked for but the prompt was used as written (no enhancer
    # configured, or it failed); adapters add the ``job.enhance_skipped`` note.
    enhance_skipped: bool = False

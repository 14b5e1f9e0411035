"""Core results → Telegram message texts (and keyboards), through the message catalogue."""

from __future__ import annotations

from pathlib import Path

from telegram import InlineKeyboardMarkup

from adapters.common import wording as texts
from adapters.common.jobs import queued_text
from adapters.common.settings import settings_text
from adapters.telegram import keyboards as kb
from core import AcceptedJob, AccountView, Core, CreditsOverview, JobView

Translate = texts.Translate

LOCALES_DIR = Path(__file__).resolve().parent / "locales"  # Telegram's own texts
MESSAGE_MAX_CHARS = 4096


def queued(t: Translate, job: AcceptedJob) -> str:
    return queued_text(t, job, key="telegram.queued")


def credits(t: Translate, view: CreditsOverview) -> str:
    return _fit(texts.overview_lines(t, view))


def history(t: Translate, jobs: list[JobView]) -> str:
    def job_line(job: JobView) -> str:
        return t(
            "telegram.history_item",
            created_at=job.created_at,
            status=job.status,
            model_id=job.model_id,
            prompt=texts.short_prompt(job.prompt),
        )

    return _fit(
        texts.history_lines(
            t, jobs, job_line=job_line, image_line=lambda img: f"{img.image_id}  {img.url}"
        )
    )


def models(t: Translate, core: Core, *, nsfw_allowed: bool) -> str:
    return _fit(texts.model_lines(t, core.models(nsfw_allowed=nsfw_allowed)))


def settings(
    t: Translate, core: Core, account: AccountView, languages: list[str], *, nsfw_allowed: bool
) -> tuple[str, InlineKeyboardMarkup]:
    """The current defaults and their buttons (age-restricted models only where
    ``nsfw_allowed``)."""
    effective = core.effective_settings(account)
    text = settings_text(
        t,
        "telegram.settings",
        effective,
        as_file=account.deliver_as_file,
        training=account.training_opt_in,
        analytics=account.analytics_opt_in,
    )
    markup = kb.settings_keyboard(
        t,
        account,
        model_ids=[m.id for m in core.models(nsfw_allowed=nsfw_allowed)],
        current_model=effective.model_id,
        aspects=effective.aspect_ratios,
        languages=languages,
    )
    return text, markup


def _fit(lines: list[str]) -> str:
    """Join lines, dropping the tail past Telegram's message length."""
    out: list[str] = []
    size = 0
    for line in lines:
        size += len(line) + 1
        if size > MESSAGE_MAX_CHARS - 2:
            out.append("…")
            break
        out.append(line)
    return "\n".join(out)


def split_message(text: str, max_chars: int = MESSAGE_MAX_CHARS) -> list[str]:
    """Split a long text into messages Telegram takes: at paragraph breaks, else at
    line breaks, else hard at ``max_chars``."""
    parts: list[str] = []
    rest = text.strip()
    while len(rest) > max_chars:
        window = rest[:max_chars]
        cut = window.rfind("\n\n")
        if cut <= 0:
            cut = window.rfind("\n")
        if cut <= 0:
            cut = max_chars
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip("\n")
    if rest:
        parts.append(rest)
    return parts

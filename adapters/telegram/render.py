"""Core results → Telegram message texts (and keyboards), through the message catalogue."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from adapters.telegram import keyboards as kb
from core import AcceptedJob, AccountView, Core, CreditsOverview, JobView
from core.text import wording as texts

Translate = texts.Translate

MESSAGE_MAX_CHARS = 4096


def queued(t: Translate, job: AcceptedJob) -> str:
    return t(
        "telegram.queued",
        count=job.image_count,
        cost_credits=job.cost_credits,
        balance_credits=job.balance_credits,
        position=job.queue_position,
    )


def credits(t: Translate, view: CreditsOverview) -> str:
    return _fit(texts.overview_lines(t, view))


def history(t: Translate, jobs: list[JobView]) -> str:
    if not jobs:
        return t("history.empty")
    lines = []
    for job in jobs:
        lines.append(
            t(
                "telegram.history_item",
                created_at=job.created_at.strftime("%Y-%m-%d %H:%M"),
                status=job.status,
                model_id=job.model_id,
                prompt=texts.short_prompt(job.prompt),
            )
        )
        lines.extend(f"{img.image_id}  {img.url}" for img in job.images)
    return _fit(lines)


def models(t: Translate, core: Core, *, nsfw_allowed: bool) -> str:
    return _fit(texts.model_lines(t, core.models(nsfw_allowed=nsfw_allowed)))


def settings(
    t: Translate, core: Core, account: AccountView, languages: list[str], *, nsfw_allowed: bool
) -> tuple[str, InlineKeyboardMarkup]:
    """The current defaults and their buttons (age-restricted models only where
    ``nsfw_allowed``)."""
    model_id = account.default_model or core.default_model_id
    model = core.catalog.models[model_id]
    aspect = account.default_aspect or model.default_aspect
    text = t(
        "telegram.settings",
        model=model_id,
        aspect=aspect,
        language=account.language or "en",
        as_file=t("telegram.on") if account.deliver_as_file else t("telegram.off"),
        training=t("telegram.on") if account.training_opt_in else t("telegram.off"),
    )
    markup = kb.settings_keyboard(
        t,
        account,
        model_ids=[m.id for m in core.models(nsfw_allowed=nsfw_allowed)],
        current_model=model_id,
        aspects=model.aspect_ratios,
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

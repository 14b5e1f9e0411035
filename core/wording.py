"""Texts every chat adapter builds the same way from the core's views (one place, so
the console, Discord and Telegram word a balance, a job or a model alike)."""

from __future__ import annotations

from core.catalog import ModelSpec
from core.i18n import Messages
from core.types import CreditsView, JobView

PROMPT_PREVIEW_CHARS = 60


def credits_lines(messages: Messages, language: str | None, view: CreditsView) -> list[str]:
    lines = [messages.render("credits.balance", language, balance_credits=view.balance_credits)]
    for entry in view.recent:
        lines.append(
            messages.render(
                "credits.entry",
                language,
                created_at=entry.created_at.strftime("%Y-%m-%d %H:%M"),
                amount_credits=entry.amount_credits,
                reason=entry.reason,
                reference=entry.reference[:12],
            )
        )
    if not view.recent:
        lines.append(messages.render("credits.none", language))
    return lines


def history_line(messages: Messages, language: str | None, job: JobView) -> str:
    prompt = job.prompt
    if len(prompt) > PROMPT_PREVIEW_CHARS:
        prompt = prompt[: PROMPT_PREVIEW_CHARS - 3] + "..."
    return messages.render(
        "history.item",
        language,
        created_at=job.created_at.strftime("%Y-%m-%d %H:%M"),
        job_id=job.job_id[:8],
        status=job.status,
        model_id=job.model_id,
        prompt=prompt,
    )


def model_line(messages: Messages, language: str | None, model: ModelSpec) -> str:
    return messages.render(
        "models.item",
        language,
        id=model.id,
        label=model.label,
        cost_credits=model.cost_credits,
        aspects=", ".join(model.aspect_ratios),
        max_images=model.max_images,
    )

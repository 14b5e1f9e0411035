"""Texts every chat adapter builds the same way from the core's views (one place, so
the console, Discord and Telegram word a balance, a job or a model alike).

Each function takes ``t``: a message-key renderer already bound to the user's language
(``t("credits.balance", balance_credits=5)``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from core.catalog import ModelSpec
from core.types import CreditsView, JobView

Translate = Callable[..., str]

PROMPT_PREVIEW_CHARS = 60


def short_prompt(prompt: str, max_chars: int = PROMPT_PREVIEW_CHARS) -> str:
    return prompt if len(prompt) <= max_chars else prompt[: max_chars - 3] + "..."


def credit_lines(t: Translate, view: CreditsView) -> list[str]:
    lines = [t("credits.balance", balance_credits=view.balance_credits)]
    lines += [
        t(
            "credits.entry",
            created_at=entry.created_at.strftime("%Y-%m-%d %H:%M"),
            amount_credits=entry.amount_credits,
            reason=entry.reason,
            reference=entry.reference[:12],
        )
        for entry in view.recent
    ]
    if not view.recent:
        lines.append(t("credits.none"))
    return lines


def history_line(t: Translate, job: JobView) -> str:
    return t(
        "history.item",
        created_at=job.created_at.strftime("%Y-%m-%d %H:%M"),
        job_id=job.job_id[:8],
        status=job.status,
        model_id=job.model_id,
        prompt=short_prompt(job.prompt),
    )


def model_line(t: Translate, model: ModelSpec) -> str:
    return t(
        "models.item",
        id=model.id,
        label=model.label,
        cost_credits=model.cost_credits,
        aspects=", ".join(model.aspect_ratios),
        max_images=model.max_images,
    )


def model_lines(t: Translate, models: Iterable[ModelSpec]) -> list[str]:
    return [model_line(t, m) for m in models]

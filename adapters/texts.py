"""Texts that every text-speaking adapter (console, Telegram) renders the same way,
from the core's views and the message catalogue."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from core.catalog import ModelSpec
from core.types import CreditsView

Translate = Callable[..., str]


def credit_lines(t: Translate, view: CreditsView) -> list[str]:
    lines = [t("credits.balance", balance_credits=view.balance_credits)]
    lines += [
        t(
            "credits.entry",
            created_at=e.created_at.strftime("%Y-%m-%d %H:%M"),
            amount_credits=e.amount_credits,
            reason=e.reason,
            reference=e.reference[:12],
        )
        for e in view.recent
    ]
    if not view.recent:
        lines.append(t("credits.none"))
    return lines


def model_lines(t: Translate, models: Iterable[ModelSpec]) -> list[str]:
    return [
        t(
            "models.item",
            id=m.id,
            label=m.label,
            cost_credits=m.cost_credits,
            aspects=", ".join(m.aspect_ratios),
            max_images=m.max_images,
        )
        for m in models
    ]


def short_prompt(prompt: str, max_chars: int = 60) -> str:
    return prompt if len(prompt) <= max_chars else prompt[: max_chars - 3] + "..."

"""Texts every chat adapter builds the same way from the core's views (one place, so
the console, Discord and Telegram word a balance, a job or a model alike).

Each function takes ``t``: a message-key renderer already bound to the user's language
(``t("credits.balance", balance_credits=5)``). Counts go as ints and times as datetimes
(UTC): the locale files choose the plural and the date format (Fluent's DATETIME).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from core import (
    Acceptance,
    CreditsOverview,
    CreditsView,
    DashboardLink,
    ErasureReceipt,
    ExportResult,
    GalleryLink,
    ImageView,
    JobView,
    LinkCode,
    LinkResult,
    ModelSpec,
    Redemption,
    format_price,
    route_honours_seed,
)

Translate = Callable[..., str]

PROMPT_PREVIEW_CHARS = 60
COMMAND_SHOWN_CHARS = 40  # of an unknown command, echoed back


def unknown_command_text(t: Translate, text: str) -> str:
    """A ``/word`` no command answers to: the word echoed back (clipped), and /help."""
    words = text.split()
    return t("chat.unknown_command", command=(words[0] if words else "")[:COMMAND_SHOWN_CHARS])


def short_prompt(prompt: str, max_chars: int = PROMPT_PREVIEW_CHARS) -> str:
    return prompt if len(prompt) <= max_chars else prompt[: max_chars - 3] + "..."


def credit_lines(t: Translate, view: CreditsView | CreditsOverview) -> list[str]:
    lines = [t("credits.balance", balance_credits=view.balance_credits)]
    lines += [
        t(
            "credits.entry",
            created_at=entry.created_at,
            amount_credits=f"{entry.amount_credits:+d}",
            reason=entry.reason,
            reference=entry.reference[:12],
        )
        for entry in view.recent
    ]
    if not view.recent:
        lines.append(t("credits.none"))
    return lines


def overview_lines(t: Translate, view: CreditsOverview) -> list[str]:
    """/credits with billing: balance, debt, plan, recent movements, then the offers."""
    lines = [t("credits.balance", balance_credits=view.balance_credits)]
    if view.debt_credits:
        lines.append(t("billing.overview_debt", debt_credits=view.debt_credits))
    if view.plan != "free":
        lines.append(t("billing.overview_plan", plan=view.plan))
    lines += credit_lines(t, view)[1:]
    return lines + offer_lines(t, view)


def offer_lines(t: Translate, view: CreditsOverview) -> list[str]:
    """The packs and plans a user can buy on their platform."""
    if not view.packs and not view.plans:
        return [t("billing.not_configured")]
    lines = [t("billing.packs_header")] if view.packs else []
    for pack in view.packs:
        if pack.method == "stars":
            stars = pack.amount_minor
            item = t("billing.pack_item_stars", id=pack.id, credits=pack.credits, stars=stars)
            lines.append(item)
        else:
            price = format_price(pack.amount_minor, pack.currency)
            lines.append(t("billing.pack_item", id=pack.id, credits=pack.credits, price=price))
    if view.plans:
        lines.append(t("billing.plans_header"))
    for plan in view.plans:
        price = format_price(plan.price_cents, plan.currency)
        lines.append(
            t(
                "billing.plan_item",
                id=plan.id,
                label=plan.label,
                monthly_credits=plan.monthly_credits,
                price=price,
            )
        )
    return lines


def redeemed_text(t: Translate, done: Redemption) -> str:
    """/redeem CODE: the credits added and the new balance."""
    return t(
        "billing.redeemed",
        code=done.code,
        credits=done.credits,
        balance_credits=done.balance_credits,
    )


def accepted_text(t: Translate, acceptance: Acceptance) -> str:
    """The terms accepted: with the welcome credits when this acceptance granted them."""
    if acceptance.welcome_credits:
        return t("terms.accepted_welcome", credits=acceptance.welcome_credits)
    return t("terms.accepted")


def history_lines(
    t: Translate,
    jobs: Iterable[JobView],
    *,
    job_line: Callable[[JobView], str],
    image_line: Callable[[ImageView], str],
) -> list[str]:
    """/history: each job, then a line per image (each platform words both), or that
    there is nothing yet."""
    lines: list[str] = []
    for job in jobs:
        lines.append(job_line(job))
        lines.extend(image_line(image) for image in job.images)
    return lines or [t("history.empty")]


def history_line(t: Translate, job: JobView) -> str:
    return t(
        "history.item",
        created_at=job.created_at,
        job_id=job.job_id[:8],
        status=job.status,
        model_id=job.model_id,
        prompt=short_prompt(job.prompt),
    )


def model_line(t: Translate, model: ModelSpec) -> str:
    line = t(
        "models.item",
        id=model.id,
        label=model.label,
        cost_credits=model.cost_credits,
        aspects=", ".join(model.aspect_ratios),
        max_images=model.max_images,
    )
    honoured = [route_honours_seed(route) for route in model.routes]
    if model.supports_seed and not all(honoured):  # a seed some services would ignore
        line += t("models.seed_some_routes" if any(honoured) else "models.seed_no_routes")
    if model.max_reference_images:
        line += t(
            "models.references_cost" if model.reference_cost_credits else "models.references",
            max_references=model.max_reference_images,
            cost_credits=model.reference_cost_credits,
        )
    return line


def model_lines(t: Translate, models: Iterable[ModelSpec]) -> list[str]:
    return [model_line(t, m) for m in models]


def export_text(t: Translate, result: ExportResult) -> str:
    return t(
        "privacy.export_ready",
        size_kb=max(1, result.size_bytes // 1024),
        images=result.image_count,
        expires_at=result.expires_at,
        url=result.url,
    )


def dashboard_text(t: Translate, link: DashboardLink) -> str:
    """``/admin dashboard``'s answer to an operator: the link and until when it works."""
    return t("admin.dashboard_ready", url=link.url, expires_at=link.expires_at)


def gallery_text(t: Translate, link: GalleryLink) -> str:
    """/gallery's answer: the personal link, until when it works, and that it is personal."""
    return t("privacy.gallery_ready", url=link.url, expires_at=link.expires_at)


def receipt_text(t: Translate, has: Callable[[str], bool], receipt: ErasureReceipt) -> str:
    """An erasure receipt; ``has(key)`` tells whether the catalogue words a count."""
    if not receipt.erased:
        return t("privacy.forget_nothing")
    worded = {what: n for what, n in receipt.counts.items() if n}
    # A count without a text (a participant added later) is never shown by its key.
    other = sum(n for what, n in worded.items() if not has(f"privacy.counted.{what}"))
    parts = [
        t(f"privacy.counted.{what}", n=n)
        for what, n in sorted(worded.items())
        if has(f"privacy.counted.{what}")
    ]
    if other:
        parts.append(t("privacy.counted.other", n=other))
    summary = ", ".join(parts)
    # Something kept without a text (a participant added later) is "other records", once.
    kept_texts = [t(f"privacy.kept.{what}") for what in receipt.kept if has(f"privacy.kept.{what}")]
    if any(not has(f"privacy.kept.{what}") for what in receipt.kept):
        kept_texts.append(t("privacy.kept.other"))
    kept = ", ".join(kept_texts)
    kept = t("privacy.forget_kept", kept=kept) if kept else ""
    return t(
        "privacy.forget_done",
        finished_at=receipt.finished_at,
        erasure_id=receipt.erasure_id[:12],
        summary=summary or t("privacy.removed_nothing"),
        kept=kept,
        cancelled_jobs=receipt.cancelled_jobs,
        refunded_credits=receipt.refunded_credits,
    )


def link_code_text(t: Translate, issued: LinkCode, *, other: str | None) -> str:
    """/link: the code, its expiry and how to use it on the ``other`` platform (a brand
    name), or on either chat platform (None: the console), worded by the catalogue."""
    if other is None:
        return t(
            "link.code_any", code=issued.code, minutes=issued.minutes, expires_at=issued.expires_at
        )
    return t(
        "link.code",
        code=issued.code,
        minutes=issued.minutes,
        expires_at=issued.expires_at,
        other=other,
    )


def link_done_text(t: Translate, done: LinkResult) -> str:
    """/link CODE: the joined account and its combined balance."""
    return t(
        "link.done",
        platforms=" + ".join(p.capitalize() for p in done.platforms),
        balance_credits=done.account.balance_credits,
        moved_credits=done.moved_credits,
    )

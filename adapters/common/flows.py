"""Command handlers that read the same on every chat, written against ``ChatContext``:
each calls one core method and answers through the presenters."""

from __future__ import annotations

from adapters.common.context import ChatContext
from adapters.common.grammar import ANALYTICS, on_off, subcommand, training_choice
from adapters.common.privacy import image_deleted_text
from adapters.common.wording import link_code_text, link_done_text
from core import LinkResult


async def training(ctx: ChatContext, text: str, *, usage_key: str) -> None:
    """``/settings training on|off``: the training-use consent, or ``usage_key``."""
    choice = training_choice(text)
    if choice is None:
        await ctx.reply(ctx.t(usage_key))
        return
    await ctx.core.privacy.set_training_opt_in(ctx.actor, choice)
    await ctx.reply(ctx.t("privacy.training_on" if choice else "privacy.training_off"))


async def settings_switch(
    ctx: ChatContext, text: str, *, training_usage: str, analytics_usage: str
) -> None:
    """``/settings training|analytics on|off``: the training-use or the product analytics
    consent, or the switch's usage text."""
    words = subcommand(text)
    if words.name != ANALYTICS:
        await training(ctx, text, usage_key=training_usage)
        return
    choice = on_off(words.rest)
    if choice is None:
        await ctx.reply(ctx.t(analytics_usage))
        return
    await ctx.core.privacy.set_analytics_opt_in(ctx.actor, choice)
    await ctx.reply(ctx.t("privacy.analytics_on" if choice else "privacy.analytics_off"))


async def link(ctx: ChatContext, code: str | None, *, other: str | None) -> LinkResult | None:
    """/link: a code to type on the ``other`` platform (None: either chat platform);
    /link CODE: join this identity to the account that issued the code (its result
    returned, for the caller's caches)."""
    if code is None or not code.strip():
        await ctx.reply(link_code_text(ctx.t, await ctx.core.link_code(ctx.actor), other=other))
        return None
    done = await ctx.core.link_redeem(ctx.actor, code)
    await ctx.reply(link_done_text(ctx.t, done))
    return done


async def delete_image(ctx: ChatContext, image_id: str, *, usage_key: str) -> None:
    """``/delete IMAGE``: the image gone from storage and history (only its owner's), or
    ``usage_key`` without an id."""
    image_id = image_id.strip()
    if not image_id:
        await ctx.reply(ctx.t(usage_key))
        return
    await ctx.core.privacy.delete_image(ctx.actor, image_id)
    await ctx.reply(image_deleted_text(ctx.t, image_id))

"""Privacy on Telegram: ``/privacy`` (the operator's policy, split to fit messages),
``/mydata`` (an expiring export link), ``/gallery`` (a personal web link, private chat
only), ``/forgetme`` (a code to type back, or a Confirm button carrying it), and
``/delete IMAGE`` and the Delete button under results. The training-use switch of
``/settings`` is ``adapters.common.flows.training``."""

from __future__ import annotations

from telegram.error import BadRequest

from adapters.common import flows
from adapters.common import wording as texts
from adapters.common.privacy import forget_challenge_text, image_deleted_text
from adapters.telegram import keyboards as kb
from adapters.telegram import render
from adapters.telegram.context import Ctx
from core import ConfirmationInvalid, ErasureChallenge, ErasureReceipt


async def policy(ctx: Ctx, _: str) -> None:
    for part in render.split_message(ctx.core.privacy.policy_text()):
        await ctx.reply(part)


async def mydata(ctx: Ctx, _: str) -> None:
    await ctx.reply(texts.export_text(ctx.t, await ctx.core.privacy.export(ctx.actor)))


async def gallery(ctx: Ctx, _: str) -> None:
    """A personal link: answered only in the private chat (``private`` in COMMANDS)."""
    await ctx.reply(texts.gallery_text(ctx.t, await ctx.core.gallery.link(ctx.actor)))


async def forgetme(ctx: Ctx, code: str) -> None:
    outcome = await ctx.core.privacy.forget(ctx.actor, code.strip() or None)
    if isinstance(outcome, ErasureChallenge):
        await ctx.reply(
            forget_challenge_text(ctx.t, "telegram.forget_confirm", outcome),
            kb.forget_keyboard(ctx.t, outcome.code),
        )
        return
    await ctx.reply(receipt_text(ctx, outcome))


async def forget_button(ctx: Ctx, code: str) -> None:
    query = ctx.query
    if not code:  # a button always carries its code; without one, no erasure
        raise ConfirmationInvalid()
    outcome = await ctx.core.privacy.forget(ctx.actor, code)
    assert isinstance(outcome, ErasureReceipt)  # given a code, forget erases (or raises)
    await query.answer()
    await query.edit_message_text(receipt_text(ctx, outcome))


def receipt_text(ctx: Ctx, outcome: ErasureReceipt) -> str:
    return texts.receipt_text(ctx.t, ctx.services.messages.has, outcome)


async def delete(ctx: Ctx, image_id: str) -> None:
    await flows.delete_image(ctx, image_id, usage_key="telegram.delete_usage")


async def delete_button(ctx: Ctx, image_id: str) -> None:
    """Someone else's button raises NotOwner (the error hook shows it as an alert)."""
    query = ctx.query
    await ctx.core.privacy.delete_image(ctx.actor, image_id)
    done = image_deleted_text(ctx.t, image_id)
    await query.answer(done)
    try:
        await query.delete_message()  # the photo goes from the chat too
    except BadRequest:  # older than Telegram lets bots delete: drop the buttons instead
        await query.edit_message_reply_markup(reply_markup=None)

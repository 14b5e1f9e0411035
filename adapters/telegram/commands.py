"""Slash commands: each builds an Actor, calls one Core method and renders the result.

``COMMANDS`` is the whole dispatch: a new command (``/buy``, ``/redeem``, ``/mydata``,
``/forgetme``, ``/link``, ``/delete``) is one handler function and one entry. Entries
marked ``private`` are answered only in a private chat; asked in a group, the bot
answers with a deep link that opens the private chat and runs the command there.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace

from telegram.helpers import create_deep_linked_url

from adapters.common import flows
from adapters.common.grammar import settings_switch
from adapters.common.jobs import cancelled_job_text
from adapters.telegram import admin, payments, privacy, references, render
from adapters.telegram import keyboards as kb
from adapters.telegram.context import Ctx
from adapters.telegram.errors import error_text
from core import (
    AcceptedJob,
    CoreError,
    InvalidOption,
    ReplyTarget,
    parse_imagine_text,
    parse_settings_text,
)

Handler = Callable[[Ctx, str], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    handler: Handler
    private: bool = False  # answered in a private chat only (a deep link from groups)
    menu: bool = True  # listed in the command menu (setMyCommands)
    # The handler reads the account and takes the reply language from it (Ctx.answer_in)
    # instead of dispatch reading it first (Ctx.settle_locale).
    reads_account: bool = False


async def start(ctx: Ctx, payload: str) -> None:
    # /start <command> arrives from a deep link: run that private command here.
    target = COMMANDS_BY_NAME.get(payload.strip().lower())
    if target is not None and target.private and ctx.is_private:
        await target.handler(ctx, "")
        return
    status = await ctx.core.terms(ctx.actor)
    if status.accepted:
        await ctx.reply(ctx.t("telegram.welcome_back"))
        return
    await ctx.reply(
        ctx.t("telegram.terms", policy_version=status.policy_version), kb.terms_keyboard(ctx.t)
    )


async def imagine(ctx: Ctx, text: str) -> None:
    """/imagine PROMPT; with reference images when the command is the caption of a photo,
    an image document or an album, or a reply to a message with one."""

    async def call(target: ReplyTarget) -> AcceptedJob:
        request = parse_imagine_text(text)
        attachments = await _attachments(ctx)
        if attachments:
            if not request.prompt.strip():  # the core's refusal, before any download
                raise InvalidOption(field="prompt", reason="empty")
            uploads = await references.download(
                ctx.update.get_bot(),
                ctx.core,
                attachments,
                timeout_s=ctx.services.download_timeout_s,
            )
            request = replace(request, reference_images=uploads)
        return await ctx.core.imagine(ctx.actor, request, target, request_key=ctx.request_key)

    await submit(ctx, call)


async def _attachments(ctx: Ctx) -> tuple[references.Attachment, ...]:
    """The images of the /imagine message itself (its album's, if it is in one), or else
    of the message it replies to (that message alone: the Bot API cannot fetch the rest
    of an album it belongs to)."""
    message = ctx.update.effective_message
    if message is None:
        return ()
    own = await ctx.services.albums.collect(message)
    return own or references.own_attachments(message.reply_to_message)


async def submit(ctx: Ctx, call: Callable) -> None:
    """Send the status message first (its id is the job's reply target, edited as the
    job progresses), then submit; a refusal is written into that same message. The
    account read for the delivery switch also gives the reply language."""
    account = await ctx.core.account(ctx.actor)
    ctx.answer_in(account.language)
    status = await ctx.reply(ctx.t("telegram.accepting"))
    try:
        job = await call(ctx.reply_target(status, as_file=account.deliver_as_file))
    except CoreError as exc:
        await status.edit_text(error_text(ctx.services.messages, exc, ctx.locale))
        return
    await status.edit_text(
        render.queued(ctx.t, job),
        reply_markup=kb.queued_keyboard(ctx.t, job.job_id),
    )


async def credits(ctx: Ctx, _: str) -> None:
    await ctx.reply(render.credits(ctx.t, await ctx.core.billing.overview(ctx.actor)))


async def history(ctx: Ctx, _: str) -> None:
    await ctx.reply(render.history(ctx.t, await ctx.core.history(ctx.actor)))


async def cancel(ctx: Ctx, _: str) -> None:
    job = await ctx.core.cancel(ctx.actor)
    await ctx.reply(cancelled_job_text(ctx.t, job))


async def models(ctx: Ctx, _: str) -> None:
    await ctx.reply(render.models(ctx.t, ctx.core, nsfw_allowed=ctx.actor.nsfw_allowed))


async def settings(ctx: Ctx, text: str) -> None:
    languages = ctx.services.messages.languages
    if settings_switch(text):
        await ctx.settle_locale()
        await flows.settings_switch(
            ctx,
            text,
            training_usage="telegram.training_usage",
            analytics_usage="telegram.analytics_usage",
        )
        return
    if text.strip():
        options = parse_settings_text(text)
        account = await ctx.core.set_preferences(ctx.actor, languages=tuple(languages), **options)
    else:
        account = await ctx.core.account(ctx.actor)
    ctx.answer_in(account.language)  # a language just chosen answers at once
    body, markup = render.settings(
        ctx.t, ctx.core, account, languages, nsfw_allowed=ctx.actor.nsfw_allowed
    )
    await ctx.reply(body, markup)


async def link(ctx: Ctx, code: str) -> None:
    """/link: a code to send on Discord; /link CODE: join this Telegram identity to the
    account that issued the code."""
    await flows.link(ctx, code, other="Discord")


def _static(key: str) -> Handler:
    async def answer(ctx: Ctx, _: str) -> None:
        await ctx.reply(ctx.t(key))

    return answer


COMMANDS: tuple[Command, ...] = (
    Command("start", start),
    Command("terms", start, menu=False),  # the core's messages say "type /terms"
    Command("imagine", imagine, reads_account=True),
    Command("credits", credits, private=True),
    Command("history", history, private=True),
    Command("cancel", cancel),
    Command("models", models),
    Command("settings", settings, reads_account=True),
    Command("help", _static("telegram.help")),
    Command("privacy", privacy.policy),
    Command("paysupport", _static("telegram.paysupport")),
    # Billing and privacy
    Command("buy", payments.buy, private=True),
    Command("redeem", payments.redeem),
    Command("delete", privacy.delete),
    Command("mydata", privacy.mydata, private=True),
    Command("gallery", privacy.gallery, private=True),
    Command("forgetme", privacy.forgetme, private=True),
    Command("link", link, private=True),
    # Operators only (SEEDREAM_TELEGRAM_ADMIN_IDS), in a private chat; never in the menu.
    Command("admin", admin.admin, menu=False),
)
COMMANDS_BY_NAME = {c.name: c for c in COMMANDS}


async def dispatch(ctx: Ctx, command: Command, args: str) -> None:
    """Run ``command``, or point a group to the private chat for a private one; in the
    language chosen in /settings (read here unless the command reads the account)."""
    ctx.core.record_command(ctx.actor, command.name)  # opt-in analytics; never blocks
    if not command.reads_account:
        await ctx.settle_locale()
    if command.private and not ctx.is_private:
        key = "telegram.private_only"
        # A /link code typed in a group can be read by everyone there: it is voided.
        if command.name == "link" and args.strip() and await ctx.core.link_discard(args):
            key = "telegram.link_code_exposed"
        url = create_deep_linked_url(ctx.bot_username, command.name)
        await ctx.reply(ctx.t(key), kb.private_chat_keyboard(ctx.t, url))
        return
    await command.handler(ctx, args)

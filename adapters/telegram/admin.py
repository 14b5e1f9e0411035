"""``/admin dashboard`` on Telegram: a short-lived link to the operator dashboard, for the
user ids in ``SEEDREAM_TELEGRAM_ADMIN_IDS``, answered in a private chat only.

Anyone else gets what an unknown command gets (the /help pointer in a private chat,
silence in a group), so the command's existence is not advertised. An operator asking
in a group is told to ask in the private chat, and no link is ever sent there. Telegram
has no /admin grant or ban: those are the CLI's, the dashboard's and Discord's (each
writes ``admin_audit``).
"""

from __future__ import annotations

from adapters.common.wording import dashboard_text, unknown_command_text
from adapters.telegram.config import PLATFORM
from adapters.telegram.context import Ctx


async def admin(ctx: Ctx, args: str) -> None:
    user = ctx.update.effective_user
    if user is None or user.id not in ctx.services.admin_user_ids:
        if ctx.is_private:  # as any unknown command: answered in private, not in groups
            await ctx.reply(unknown_command_text(ctx.t, "/admin"))
        return
    if not ctx.is_private:
        await ctx.reply(ctx.t("telegram.admin_private_only"))
        return
    if args.strip().lower() != "dashboard":
        await ctx.reply(ctx.t("telegram.admin_usage"))
        return
    link = await ctx.core.dashboard_links.link(f"{PLATFORM}:{user.id}")
    await ctx.reply(dashboard_text(ctx.t, link))

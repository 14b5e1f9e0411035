"""The money, account and privacy slash commands: /buy, /subscribe, /redeem, /link,
/delete, /mydata, /gallery, /forgetme. All of them answer privately (ephemeral)."""

import discord
from discord import app_commands
from discord.app_commands import Choice, Range

from adapters.discord.account import MANAGE
from adapters.discord.handlers import Handlers
from adapters.discord.render import clip

MAX_CHOICES = 25
PROMO_CODE_MAX_CHARS = 64
LINK_CODE_MAX_CHARS = 32  # ABCD-EFGH, with room for spaces the user typed


def register_account_commands(tree: app_commands.CommandTree, h: Handlers, d, named) -> None:
    """Add the commands to ``tree``; ``d`` and ``named`` make translatable descriptions
    and names (see ``adapters.discord.commands``)."""
    catalog = h.core.catalog
    pack_choices = [
        Choice(name=clip(f"{p.label} ({p.credits} credits)", 100), value=p.id)
        for p in catalog.packs.values()
    ][:MAX_CHOICES]
    plan_choices = [
        Choice(name=clip(f"{p.label} ({p.monthly_credits} credits a month)", 100), value=p.id)
        for p in catalog.plans.values()
        if p.subscribable
    ][: MAX_CHOICES - 1]
    plan_choices.append(
        Choice(name=h.messages.render("discord.cmd.subscribe_manage", "en"), value=MANAGE)
    )
    a = h.account

    def private(interaction: discord.Interaction, name: str, work):
        return h.command(interaction, name, work, ephemeral=True)

    if pack_choices:

        @tree.command(name=named("buy"), description=d("buy"))
        @app_commands.describe(pack=d("buy_pack"))
        @app_commands.choices(pack=pack_choices)
        async def buy(interaction: discord.Interaction, pack: str) -> None:
            await private(interaction, "buy", lambda: a.buy(interaction, pack))

    @tree.command(name=named("subscribe"), description=d("subscribe"))
    @app_commands.describe(plan=d("subscribe_plan"))
    @app_commands.choices(plan=plan_choices)
    async def subscribe(interaction: discord.Interaction, plan: str) -> None:
        await private(interaction, "subscribe", lambda: a.subscribe(interaction, plan))

    @tree.command(name=named("redeem"), description=d("redeem"))
    @app_commands.describe(code=d("redeem_code"))
    async def redeem(
        interaction: discord.Interaction, code: Range[str, 1, PROMO_CODE_MAX_CHARS]
    ) -> None:
        await private(interaction, "redeem", lambda: a.redeem(interaction, code))

    @tree.command(name=named("link"), description=d("link"))
    @app_commands.describe(code=d("link_code"))
    async def link(
        interaction: discord.Interaction, code: Range[str, 1, LINK_CODE_MAX_CHARS] | None = None
    ) -> None:
        await private(interaction, "link", lambda: a.link(interaction, code))

    async def image_autocomplete(
        interaction: discord.Interaction, current: str
    ) -> list[Choice[str]]:
        found = await a.image_choices(interaction, current.strip())
        return [Choice(name=label, value=value) for label, value in found[:MAX_CHOICES]]

    @tree.command(name=named("delete"), description=d("delete"))
    @app_commands.describe(image=d("delete_image"))
    @app_commands.autocomplete(image=image_autocomplete)
    async def delete(interaction: discord.Interaction, image: Range[str, 1, 64]) -> None:
        await private(interaction, "delete", lambda: a.delete_image(interaction, image))

    @tree.command(name=named("mydata"), description=d("mydata"))
    async def mydata(interaction: discord.Interaction) -> None:
        await private(interaction, "mydata", lambda: a.mydata(interaction))

    @tree.command(name=named("gallery"), description=d("gallery"))
    async def gallery(interaction: discord.Interaction) -> None:
        await private(interaction, "gallery", lambda: a.gallery(interaction))

    @tree.command(name=named("forgetme"), description=d("forgetme"))
    async def forgetme(interaction: discord.Interaction) -> None:
        await private(interaction, "forgetme", lambda: a.forgetme(interaction))

"""The slash commands: names, options, descriptions (translatable), choices and
autocomplete. Each callback hands its interaction to :class:`Handlers` through the
error hook, which defers it first.

No ``from __future__ import annotations`` here: discord.py evaluates the parameter
annotations, and some (``Range[int, 1, max_count]``) use values known only at start-up.
"""

import discord
from discord import app_commands
from discord.app_commands import Choice, Range

from adapters.discord.account_commands import register_account_commands
from adapters.discord.actor import in_nsfw_channel
from adapters.discord.from_message import FromMessage
from adapters.discord.handlers import Handlers
from adapters.discord.render import clip, described
from core import PROMPT_MAX_CHARS, SEED_MAX, ImagineRequest

MAX_CHOICES = 25  # Discord's limit for choices and autocomplete answers


def named(name: str) -> app_commands.locale_str:
    """A command name: English in every locale (no key, so never translated), the name
    help texts and links use."""
    return app_commands.locale_str(name)


def _aspect_key(ratio: str) -> float:
    width, _, height = ratio.partition(":")
    try:
        return float(width) / float(height)
    except (ValueError, ZeroDivisionError):
        return 0.0


def register_commands(tree: app_commands.CommandTree, h: Handlers) -> None:
    """Add every command to ``tree``; choices come from the core's servable models."""

    def d(key: str) -> app_commands.locale_str:
        return described(h.messages, f"discord.cmd.{key}")

    models = h.core.models()
    aspects = sorted({a for m in models for a in m.aspect_ratios}, key=_aspect_key)
    aspect_choices = [Choice(name=a, value=a) for a in aspects[:MAX_CHOICES]]
    max_count = max((m.max_images for m in models), default=1)
    language_choices = [Choice(name=lang, value=lang) for lang in h.messages.languages]

    async def model_autocomplete(
        interaction: discord.Interaction, current: str
    ) -> list[Choice[str]]:
        typed = current.lower().strip()
        found = [
            Choice(name=clip(f"{m.label} ({m.id}) - {m.cost_credits} cr", 100), value=m.id)
            for m in h.core.models(nsfw_allowed=in_nsfw_channel(interaction))
            if typed in m.id.lower() or typed in m.label.lower()
        ]
        return found[:MAX_CHOICES]

    @tree.command(name=named("imagine"), description=d("imagine"))
    @app_commands.describe(
        prompt=d("imagine_prompt"),
        model=d("imagine_model"),
        aspect=d("imagine_aspect"),
        seed=d("imagine_seed"),
        negative=d("imagine_negative"),
        count=d("imagine_count"),
        enhance=d("imagine_enhance"),
        image=d("imagine_image"),
        image2=d("imagine_image2"),
        image3=d("imagine_image3"),
    )
    @app_commands.choices(aspect=aspect_choices)
    @app_commands.autocomplete(model=model_autocomplete)
    async def imagine(
        interaction: discord.Interaction,
        prompt: Range[str, 1, PROMPT_MAX_CHARS],
        model: str | None = None,
        aspect: str | None = None,
        seed: Range[int, 0, SEED_MAX] | None = None,
        negative: Range[str, 1, PROMPT_MAX_CHARS] | None = None,
        count: Range[int, 1, max_count] | None = None,
        enhance: bool = False,
        image: discord.Attachment | None = None,
        image2: discord.Attachment | None = None,
        image3: discord.Attachment | None = None,
    ) -> None:
        # Reference images: checked and downloaded after the acknowledgement (in work).
        attachments = [a for a in (image, image2, image3) if a is not None]
        request = ImagineRequest(
            prompt=prompt,
            model_id=model,
            aspect_ratio=aspect,
            seed=seed,
            negative_prompt=negative,
            image_count=count,
            enhance=enhance,
        )
        private = await h.wants_private(interaction)
        await h.command(
            interaction,
            "imagine",
            lambda: h.imagine(interaction, request, ephemeral=private, attachments=attachments),
            ephemeral=private,
            reads_account=True,  # the accepted job carries the reply language
        )

    # A message command (right click on a message, Apps): no description, per Discord.
    tree.add_command(
        app_commands.ContextMenu(
            name=described(h.messages, "discord.menu.imagine_from_image"),
            callback=FromMessage(h).open,
        )
    )

    @tree.command(name=named("credits"), description=d("credits"))
    async def credits(interaction: discord.Interaction) -> None:
        await h.command(interaction, "credits", lambda: h.credits(interaction), ephemeral=True)

    @tree.command(name=named("history"), description=d("history"))
    async def history(interaction: discord.Interaction) -> None:
        # Prompts are personal: the list is shown to its owner only.
        await h.command(interaction, "history", lambda: h.history(interaction), ephemeral=True)

    @tree.command(name=named("cancel"), description=d("cancel"))
    async def cancel(interaction: discord.Interaction) -> None:
        await h.command(interaction, "cancel", lambda: h.cancel(interaction), ephemeral=True)

    @tree.command(name=named("models"), description=d("models"))
    async def models_command(interaction: discord.Interaction) -> None:
        await h.command(interaction, "models", lambda: h.models(interaction), ephemeral=True)

    @tree.command(name=named("settings"), description=d("settings"))
    @app_commands.describe(
        model=d("settings_model"),
        aspect=d("settings_aspect"),
        language=d("settings_language"),
        private=d("settings_private"),
        training=d("settings_training"),
        analytics=d("settings_analytics"),
    )
    @app_commands.choices(aspect=aspect_choices, language=language_choices)
    @app_commands.autocomplete(model=model_autocomplete)
    async def settings(
        interaction: discord.Interaction,
        model: str | None = None,
        aspect: str | None = None,
        language: str | None = None,
        private: bool | None = None,
        training: bool | None = None,
        analytics: bool | None = None,
    ) -> None:
        await h.command(
            interaction,
            "settings",
            lambda: h.settings(
                interaction,
                model=model,
                aspect=aspect,
                language=language,
                private=private,
                training=training,
                analytics=analytics,
            ),
            ephemeral=True,
            reads_account=True,
        )

    @tree.command(name=named("terms"), description=d("terms"))
    async def terms(interaction: discord.Interaction) -> None:
        await h.command(interaction, "terms", lambda: h.terms(interaction), ephemeral=True)

    @tree.command(name=named("privacy"), description=d("privacy"))
    async def privacy(interaction: discord.Interaction) -> None:
        await h.command(
            interaction, "privacy", lambda: h.account.privacy(interaction), ephemeral=True
        )

    @tree.command(name=named("help"), description=d("help"))
    async def help_command(interaction: discord.Interaction) -> None:
        await h.command(
            interaction, "help", lambda: h.static(interaction, "discord.help"), ephemeral=True
        )

    tree.add_command(_admin_group(h, d))
    register_account_commands(tree, h, d, named)


def _admin_group(h: Handlers, d) -> app_commands.Group:
    """``/admin``: hidden from non-administrators by default permissions, and refused
    (by user id, from settings) to anyone who is not an operator."""
    admin = app_commands.Group(
        name=named("admin"),
        description=d("admin"),
        default_permissions=discord.Permissions(administrator=True),
        guild_only=True,
    )

    @admin.command(name=named("grant"), description=d("admin_grant"))
    @app_commands.describe(
        user=d("admin_user"), credits=d("admin_credits"), reason=d("admin_reason")
    )
    async def grant(
        interaction: discord.Interaction,
        user: discord.User,
        credits: Range[int, -(10**9), 10**9],
        reason: Range[str, 1, 500],
    ) -> None:
        await h.command(
            interaction,
            "admin",
            lambda: h.admin_grant(interaction, user, credits, reason),
            ephemeral=True,
        )

    @admin.command(name=named("ban"), description=d("admin_ban"))
    @app_commands.describe(user=d("admin_user"), reason=d("admin_reason"))
    async def ban(
        interaction: discord.Interaction, user: discord.User, reason: Range[str, 1, 500]
    ) -> None:
        await h.command(
            interaction, "admin", lambda: h.admin_ban(interaction, user, reason), ephemeral=True
        )

    @admin.command(name=named("unban"), description=d("admin_unban"))
    @app_commands.describe(user=d("admin_user"))
    async def unban(interaction: discord.Interaction, user: discord.User) -> None:
        await h.command(
            interaction, "admin", lambda: h.admin_ban(interaction, user, None), ephemeral=True
        )

    @admin.command(name=named("dashboard"), description=d("admin_dashboard"))
    async def dashboard(interaction: discord.Interaction) -> None:
        await h.command(
            interaction, "admin", lambda: h.admin_dashboard(interaction), ephemeral=True
        )

    @admin.command(name=named("stats"), description=d("admin_stats"))
    async def stats(interaction: discord.Interaction) -> None:
        await h.command(interaction, "admin", lambda: h.admin_stats(interaction), ephemeral=True)

    return admin

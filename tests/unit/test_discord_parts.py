"""The Discord adapter's small pure parts: progress ordering, the translator, and the
process options."""

from __future__ import annotations

import asyncio

import discord
import pytest
from discord import app_commands

from adapters.common.catalogue import chat_messages
from adapters.discord.delivery import Progress
from adapters.discord.preferences import PrivateReplies
from adapters.discord.references import OpenModals
from adapters.discord.render import LOCALES_DIR as DISCORD_LOCALES
from adapters.discord.render import CoreTranslator, described, language_of
from bot.roles import parse_shards
from bot.settings import Settings
from core.text.catalogue import LOCALES_DIR, Messages


async def test_progress_never_goes_back_and_forgets_old_jobs():
    progress = Progress(max_jobs=2)
    shown = []
    for job, kind in [("a", "started"), ("a", "queued"), ("a", "finished"), ("a", "started")]:
        async with progress.advance(job, kind) as newer:
            shown.append(newer)
    assert shown == [True, False, True, False]
    for job in ("b", "c"):  # "a" is evicted: the oldest of more than two
        async with progress.advance(job, "queued") as newer:
            assert newer
    async with progress.advance("a", "queued") as newer:
        assert newer


async def test_translator_uses_only_real_translations(tmp_path):
    (tmp_path / "en.ftl").write_text((DISCORD_LOCALES / "en.ftl").read_text(), encoding="utf-8")
    (tmp_path / "fr.ftl").write_text("discord-cmd-help = Aide\n", encoding="utf-8")
    (tmp_path / "pt-BR.ftl").write_text("discord-cmd-help = Ajuda\n", encoding="utf-8")
    (tmp_path / "es.ftl").write_text("discord-cmd-help = Ayuda\n", encoding="utf-8")
    # The stand-in translations lie over the real ones (es and pt-BR exist now).
    messages = chat_messages(Messages(LOCALES_DIR), DISCORD_LOCALES).layered(tmp_path)
    translator = CoreTranslator(messages)
    context = app_commands.TranslationContext(app_commands.TranslationContextLocation.other, None)
    help_text = described(messages, "discord.cmd.help")
    assert help_text.message == "How to use the bot"
    assert await translator.translate(help_text, discord.Locale.french, context) == "Aide"
    assert await translator.translate(help_text, discord.Locale.japanese, context) is None
    assert await translator.translate(help_text, discord.Locale.british_english, context) is None
    plain = app_commands.locale_str("no key")
    assert await translator.translate(plain, discord.Locale.french, context) is None
    # Our locales to Discord's: es → es-ES and es-419, pt-BR → pt-BR; none for English.
    for locale, expected in (
        (discord.Locale.brazil_portuguese, "Ajuda"),
        (discord.Locale.spain_spanish, "Ayuda"),
        (discord.Locale.latin_american_spanish, "Ayuda"),
        (discord.Locale.american_english, None),
    ):
        assert await translator.translate(help_text, locale, context) == expected
    # The region is kept: Brazilian Portuguese is not cut to "pt".
    assert language_of(discord.Locale.brazil_portuguese) == "pt-BR"
    assert language_of(discord.Locale.latin_american_spanish) == "es-419"
    assert language_of(None) == "en"


def test_shard_options():
    assert parse_shards(None, None) is None
    assert parse_shards("1, 0", 2) == (0, 1)
    for text, count in (("0", None), ("2", 2), ("-1", 2), ("x", 2), ("", 2)):
        with pytest.raises(SystemExit):
            parse_shards(text, count)


def test_admin_ids_setting(monkeypatch):
    monkeypatch.setenv("SEEDREAM_DISCORD_ADMIN_IDS", "12, 34")
    assert Settings().discord_admin_user_ids() == frozenset({12, 34})
    assert Settings(discord_admin_ids="").discord_admin_user_ids() == frozenset()


async def test_private_replies_reload_keeps_changes_made_while_loading():
    loading, release = asyncio.Event(), asyncio.Event()
    stored = frozenset({"1", "2"})

    async def load() -> frozenset[str]:
        loading.set()
        await release.wait()
        return stored  # read before the changes below reached the database

    users = PrivateReplies(load, refresh_s=30.0)
    reload = asyncio.create_task(users.refresh())
    await loading.wait()
    users.set("2", False)  # /settings in this process while the reload runs
    users.set("3", True)
    release.set()
    await reload
    assert ("1" in users, "2" in users, "3" in users) == (True, False, True)
    stored = frozenset()
    await users.refresh()  # a later reload is the truth again
    assert not any(u in users for u in ("1", "2", "3"))


def test_open_modals_are_known_until_their_timeout():
    now = [100.0]
    modals = OpenModals(timeout_s=60.0, clock=lambda: now[0])
    modals.add("sd:refs:1")
    assert modals.knows("sd:refs:1") and not modals.knows("sd:refs:2")
    now[0] = 159.0
    modals.add("sd:refs:2")
    assert modals.knows("sd:refs:1") and modals.knows("sd:refs:2")
    now[0] = 160.0
    assert not modals.knows("sd:refs:1") and modals.knows("sd:refs:2")
    now[0] = 300.0
    modals.add("sd:refs:3")  # forgets the expired ones
    assert list(modals._deadlines) == ["sd:refs:3"]

"""/delete's autocomplete under a slow database (issue 14, defect 6), with the real
discord.py client against the fake Discord on PostgreSQL: Discord drops an answer that
comes after 3 s, so while the jobs table is locked the autocomplete still answers (an
empty list, not an error), and once the read can go through it offers the images, from
memory afterwards."""

from __future__ import annotations

from sqlalchemy import text

from bot.bootstrap import bootstrap
from core import Messages
from core.types import Actor
from tests.e2e.discord_harness import accept_terms, finished, option, run, running_adapter
from tests.support.fake_discord import FakeDiscord

USER = Actor("discord", "4000")


async def _choices(fake: FakeDiscord, typed: str = "") -> list[dict]:
    auto = fake.command("delete", [option("image", typed, focused=True)], kind=4)
    answer = await fake.callback_for(await fake.send(auto))
    assert answer.body["type"] == 8  # APPLICATION_COMMAND_AUTOCOMPLETE_RESULT
    return answer.body["data"]["choices"]


async def test_delete_autocomplete_answers_while_the_database_is_locked(
    settings, pg_engine, fake_discord
):
    async with (
        bootstrap(settings, engine=pg_engine, migrate=False) as app,
        running_adapter(app, fake_discord),
    ):
        await accept_terms(fake_discord)
        sent = await run(fake_discord, "imagine", [option("prompt", "a quiet harbour")])
        await finished(fake_discord, sent)
        (job,) = await app.core.history(USER)
        image_ids = {image.image_id for image in job.images}

        async with pg_engine.connect() as locker:
            await locker.execute(text("LOCK TABLE jobs IN ACCESS EXCLUSIVE MODE"))
            # Every read of the user's history waits for the lock; the answer does not.
            assert await _choices(fake_discord) == []
            assert await _choices(fake_discord, "harbour") == []
            await locker.rollback()  # the lock goes; the read in progress finishes

        offered = await _choices(fake_discord, "harbour")
        assert {c["value"] for c in offered} == image_ids
        assert all("a quiet harbour" in c["name"] for c in offered)
        assert await _choices(fake_discord, "nothing like it") == []


async def test_delete_autocomplete_shows_dates_in_the_interactions_language(
    embedded_app, fake_discord
):
    async with running_adapter(embedded_app, fake_discord):
        await accept_terms(fake_discord)
        sent = await run(fake_discord, "imagine", [option("prompt", "a quiet harbour")])
        await finished(fake_discord, sent)
        (job,) = await embedded_app.core.history(USER)
        for locale, language in (("de", "de"), ("pt-BR", "pt-BR"), ("ru", "ru"), ("en-US", "en")):
            auto = fake_discord.command(
                "delete", [option("image", "", focused=True)], kind=4, locale=locale
            )
            answer = await fake_discord.callback_for(await fake_discord.send(auto))
            names = [c["name"] for c in answer.body["data"]["choices"]]
            when = Messages.datetime(job.created_at, language)
            assert names and all(name.startswith(f"{when} #") for name in names), names

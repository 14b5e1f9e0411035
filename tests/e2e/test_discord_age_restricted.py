"""The age-restricted rule end to end on Discord (issue 14, defect 5): the real
discord.py client against the fake Discord. An age-restricted model chosen as the
default in an age-restricted channel is refused in an ordinary one, so are the Reroll
and V buttons of a job made there, and ``/settings`` refuses it as a default where it
could not be used. Nothing is charged for a refusal."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.bootstrap import bootstrap
from core.types import Actor
from tests.e2e.discord_harness import (
    accept_terms,
    click,
    custom_ids,
    finished,
    option,
    reply_text,
    run,
    running_adapter,
)
from tests.support.age_restricted import REFUSAL, catalog_with_spicy
from tests.support.fake_discord import NSFW_CHANNEL_ID

USER = Actor("discord", "4000")
IN_NSFW = {"channel_id": NSFW_CHANNEL_ID, "nsfw": True}


@pytest.fixture
async def app(settings, sqlite_engine) -> AsyncIterator:
    catalog = catalog_with_spicy(settings.catalog_path)
    async with bootstrap(settings, engine=sqlite_engine, migrate=False, catalog=catalog) as app:
        yield app


async def _spent(app) -> tuple[int, int]:
    """(balance, jobs) of the test user."""
    balance = (await app.core.account(USER)).balance_credits
    return balance, len(await app.core.history(USER, limit=50))


async def test_the_default_model_is_refused_outside_age_restricted_channels(app, fake_discord):
    async with running_adapter(app, fake_discord):
        await accept_terms(fake_discord)
        refused = await run(fake_discord, "settings", [option("model", "spicy")])
        assert REFUSAL in await reply_text(fake_discord, refused, REFUSAL)
        assert (await app.core.account(USER)).default_model is None

        chosen = await run(fake_discord, "settings", [option("model", "spicy")], **IN_NSFW)
        assert "spicy" in await reply_text(fake_discord, chosen, "spicy")
        assert (await app.core.account(USER)).default_model == "spicy"

        before = await _spent(app)
        plain = await run(fake_discord, "imagine", [option("prompt", "a fox")])
        assert REFUSAL in await reply_text(fake_discord, plain, REFUSAL)
        # A DM is not age-restricted: the app is not told whether the user opted in.
        dm = await run(fake_discord, "imagine", [option("prompt", "a fox")], guild=False)
        assert REFUSAL in await reply_text(fake_discord, dm, REFUSAL)
        assert await _spent(app) == before


async def test_reroll_and_v_buttons_are_checked_where_clicked(app, fake_discord):
    async with running_adapter(app, fake_discord):
        await accept_terms(fake_discord)
        sent = await run(
            fake_discord,
            "imagine",
            [option("prompt", "a fox"), option("model", "spicy")],
            **IN_NSFW,
        )
        await finished(fake_discord, sent)
        (job,) = await app.core.history(USER)
        message = fake_discord.original(sent)
        reroll, vary = f"sd:reroll:{job.job_id}", f"sd:vary:{job.images[0].image_id}"
        assert {reroll, vary} <= set(custom_ids(message))
        before = await _spent(app)
        # The message as it was posted, clicked from an ordinary channel.
        for custom_id in (reroll, vary):
            pressed = await click(fake_discord, message, custom_id)
            assert REFUSAL in await reply_text(fake_discord, pressed, REFUSAL)
        assert await _spent(app) == before
        again = await click(fake_discord, message, reroll, **IN_NSFW)
        assert (await finished(fake_discord, again)).body["embeds"]

"""The V1..Vn buttons of the Discord adapter, driven through discord.py against the
loopback fake Discord, with the embedded core (SQLite, in-process queue, local images)."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select

from core.db.tables import jobs
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

USER = Actor("discord", "4000")


def _buttons(body: dict) -> list[dict]:
    return [b for row in body.get("components") or [] for b in row.get("components", [])]


async def _source_of(app, job_id: str) -> str | None:
    async with app.uow() as uow:
        return await uow.conn.scalar(select(jobs.c.source_image_id).where(jobs.c.id == job_id))


async def test_v1_queues_a_variation_delivered_with_its_own_buttons(embedded_app, fake_discord):
    async with running_adapter(embedded_app, fake_discord):
        await accept_terms(fake_discord)
        sent = await run(
            fake_discord, "imagine", [option("prompt", "a red fox"), option("count", 2, kind=4)]
        )
        done = await finished(fake_discord, sent)
        (job,) = await embedded_app.core.history(USER)
        vary = [b for b in _buttons(done.body) if b["custom_id"].startswith("sd:vary:")]
        assert [b["label"] for b in vary] == ["V1", "V2"]
        assert [b["custom_id"] for b in vary] == [f"sd:vary:{i.image_id}" for i in job.images]

        pressed = await click(
            fake_discord, fake_discord.original(sent), f"sd:vary:{job.images[0].image_id}"
        )
        assert (await fake_discord.callback_for(pressed)).body["type"] == 5  # deferred
        again = await finished(fake_discord, pressed)
        assert len(again.body["embeds"]) == 2 and "Done" in again.body["content"]
        variation, original = await embedded_app.core.history(USER)
        assert original.job_id == job.job_id
        assert await _source_of(embedded_app, variation.job_id) == job.images[0].image_id
        assert custom_ids(again.body) == [
            f"sd:reroll:{variation.job_id}",
            *(f"sd:vary:{i.image_id}" for i in variation.images),
            *(f"sd:delete:{i.image_id}" for i in variation.images),
        ]
        balance = (await embedded_app.core.account(USER)).balance_credits
        assert balance == 20 - 2 - 2  # the variation costs a grid of the same count


async def test_v_buttons_keep_working_after_a_restart(embedded_app, fake_discord):
    async with running_adapter(embedded_app, fake_discord):
        await accept_terms(fake_discord)
        sent = await run(fake_discord, "imagine", [option("prompt", "a lighthouse")])
        await finished(fake_discord, sent)
    (job,) = await embedded_app.core.history(USER)
    # A new adapter process: nothing in memory but the registered templates.
    async with running_adapter(embedded_app, fake_discord):
        pressed = await click(
            fake_discord, fake_discord.original(sent), f"sd:vary:{job.images[0].image_id}"
        )
        await finished(fake_discord, pressed)
    variation, _ = await embedded_app.core.history(USER)
    assert await _source_of(embedded_app, variation.job_id) == job.images[0].image_id


async def test_someone_elses_v_button_is_refused(embedded_app, fake_discord):
    async with running_adapter(embedded_app, fake_discord):
        await accept_terms(fake_discord)
        await accept_terms(fake_discord, user_id=4200)
        sent = await run(fake_discord, "imagine", [option("prompt", "a boat")])
        await finished(fake_discord, sent)
        (job,) = await embedded_app.core.history(USER)
        other = await click(
            fake_discord,
            fake_discord.original(sent),
            f"sd:vary:{job.images[0].image_id}",
            user_id=4200,
        )
        assert "could not find that image" in await reply_text(fake_discord, other, "find")
        assert await embedded_app.core.history(Actor("discord", "4200")) == []
        assert (await embedded_app.core.account(Actor("discord", "4200"))).balance_credits == 20


async def test_no_v_buttons_for_a_model_without_variations(embedded_app, fake_discord):
    async with running_adapter(embedded_app, fake_discord):
        await accept_terms(fake_discord)
        old = await run(fake_discord, "imagine", [option("prompt", "a red fox")])
        await finished(fake_discord, old)
        # The operator turns variations off for the model (a new catalogue).
        models = embedded_app.catalog.models
        models["preview"] = replace(models["preview"], variations=False)
        sent = await run(fake_discord, "imagine", [option("prompt", "a blue fox")])
        done = await finished(fake_discord, sent)
        job, first = await embedded_app.core.history(USER)
        assert custom_ids(done.body) == [
            f"sd:reroll:{job.job_id}",
            f"sd:delete:{job.images[0].image_id}",
        ]
        # A V button left on an older message is refused by the core; nothing is charged.
        balance = (await embedded_app.core.account(USER)).balance_credits
        pressed = await click(
            fake_discord, fake_discord.original(old), f"sd:vary:{first.images[0].image_id}"
        )
        text = await reply_text(fake_discord, pressed, "variations")
        assert "cannot make variations" in text
        assert len(await embedded_app.core.history(USER)) == 2
        assert (await embedded_app.core.account(USER)).balance_credits == balance

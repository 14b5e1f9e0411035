"""The V1..Vn buttons of the Telegram adapter end to end: the real PTB Application polling
a loopback fake Bot API, the core on SQLite with the in-process queue and the local
provider."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select

from core.db.tables import jobs
from core.types import Actor
from tests.e2e import test_telegram as base
from tests.support.fake_telegram import Call, FakeBotApi, user
from tests.support.telegram_harness import (
    accept_terms,
    button_data,
    text_has,
)

ADA = user(424243, first_name="Ada")
BOB = user(515152, first_name="Bob")


app, fake, tg = base.app, base.fake, base.tg  # the Telegram suite's fixtures


async def _accept_terms(fake: FakeBotApi, who: dict = ADA) -> None:
    await accept_terms(fake, who)


async def _photos(fake: FakeBotApi, app, text: str | None, count: int) -> list[Call]:
    """/imagine ``text`` (None: only run what is queued), then the photos it sent."""
    mark = fake.mark()
    if text is not None:
        await fake.push_command(ADA, f"/imagine {text}")
        await fake.wait_for("editMessageText", text_has("Queued"), after=mark)
    await app.worker.run(burst=True)
    return await fake.wait_count("sendPhoto", count, after=mark)


def _actor(who: dict) -> Actor:
    return Actor("telegram", str(who["id"]))


async def test_v1_queues_a_variation_of_that_image_delivered_with_its_own_buttons(tg, fake, app):
    await _accept_terms(fake)
    first, second = await _photos(fake, app, "a red fox --n 2", 2)
    (job,) = await app.core.history(_actor(ADA))
    assert button_data(first)["V1"] == f"va:{job.images[0].image_id}"
    assert button_data(second)["V2"] == f"va:{job.images[1].image_id}"
    assert "V1" not in button_data(second)  # one V button per image, under that image

    mark = fake.mark()
    await fake.push_callback(ADA, button_data(second)["V2"], message=second)
    queued = await fake.wait_for("editMessageText", text_has("Queued"), after=mark)
    assert "2 images, 2 credits; balance 16" in queued.params["text"]
    photos = await _photos(fake, app, None, 2)
    variation, _ = await app.core.history(_actor(ADA))
    async with app.uow() as uow:
        source = await uow.conn.scalar(
            select(jobs.c.source_image_id).where(jobs.c.id == variation.job_id)
        )
    assert source == job.images[1].image_id
    for index, (photo, image) in enumerate(zip(photos, variation.images, strict=True), 1):
        assert button_data(photo) == {
            "Reroll": f"rr:{variation.job_id}",
            f"V{index}": f"va:{image.image_id}",
            "Delete": f"dl:{image.image_id}",
        }
    await fake.wait_for("editMessageText", text_has("Done"), after=mark)


async def test_someone_elses_v_button_finds_nothing(tg, fake, app):
    await _accept_terms(fake)
    await _accept_terms(fake, BOB)
    (photo,) = await _photos(fake, app, "a quiet harbour", 1)
    mark = fake.mark()
    await fake.push_callback(BOB, button_data(photo)["V1"], message=photo)
    refused = await fake.wait_for("editMessageText", text_has("could not find"), after=mark)
    assert "image" in refused.params["text"]
    assert (await app.core.credits(_actor(BOB))).balance_credits == 20
    assert await app.core.history(_actor(BOB)) == []


async def test_no_v_buttons_for_a_model_without_variations(tg, fake, app):
    await _accept_terms(fake)
    (old,) = await _photos(fake, app, "a red fox", 1)
    models = app.catalog.models
    models["preview"] = replace(models["preview"], variations=False)
    (photo,) = await _photos(fake, app, "a blue fox", 1)
    assert set(button_data(photo)) == {"Reroll", "Delete"}
    # A V button left under an older photo is refused; nothing is charged.
    balance = (await app.core.credits(_actor(ADA))).balance_credits
    mark = fake.mark()
    await fake.push_callback(ADA, button_data(old)["V1"], message=old)
    await fake.wait_for("editMessageText", text_has("cannot make variations"), after=mark)
    assert (await app.core.credits(_actor(ADA))).balance_credits == balance
    assert len(await app.core.history(_actor(ADA))) == 2

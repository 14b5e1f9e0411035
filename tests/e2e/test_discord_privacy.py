"""Privacy on Discord through discord.py and the loopback fake: the Delete button and
/delete (owner only), /mydata, /forgetme with Confirm / Cancel, /privacy (the policy as
a file), and the private replies and training settings."""

from __future__ import annotations

import zipfile
from datetime import timedelta
from io import BytesIO

from sqlalchemy import update

from core.clock import utcnow
from core.db.tables import privacy_confirmations
from core.types import Actor
from tests.e2e.discord_harness import (
    accept_terms,
    click,
    custom_ids,
    edit_where,
    finished,
    option,
    reply_text,
    run,
    running_adapter,
)
from tests.support.fake_discord import FakeDiscord, Sent

EPHEMERAL = 64
OWNER, OTHER = 4000, 4200


async def _private(fake: FakeDiscord, sent: Sent, fragment: str) -> dict:
    callback = await fake.callback_for(sent)
    assert callback.body["type"] == 5 and callback.body["data"]["flags"] & EPHEMERAL
    return (await edit_where(fake, sent, lambda b: fragment in (b.get("content") or ""))).body


async def _one_image(app, fake: FakeDiscord) -> tuple[dict, str]:
    """A finished job's message (as the fake holds it) and its image id."""
    sent = await run(fake, "imagine", [option("prompt", "a quiet harbour")])
    await finished(fake, sent)
    (job,) = await app.core.history(Actor("discord", str(OWNER)))
    return dict(fake.original(sent)), job.images[0].image_id


async def test_delete_button_by_owner_and_refused_for_another_user(embedded_app, fake_discord):
    async with running_adapter(embedded_app, fake_discord):
        await accept_terms(fake_discord)
        await accept_terms(fake_discord, user_id=OTHER)
        message, image_id = await _one_image(embedded_app, fake_discord)
        assert f"sd:delete:{image_id}" in custom_ids(message)

        other = await click(fake_discord, message, f"sd:delete:{image_id}", user_id=OTHER)
        await _private(fake_discord, other, "I could not find that image")
        (job,) = await embedded_app.core.history(Actor("discord", str(OWNER)))
        assert [i.image_id for i in job.images] == [image_id]

        pressed = await click(fake_discord, message, f"sd:delete:{image_id}")
        await _private(fake_discord, pressed, f"Image {image_id} was deleted.")
        (job,) = await embedded_app.core.history(Actor("discord", str(OWNER)))
        assert job.images == []
        again = await click(fake_discord, message, f"sd:delete:{image_id}")
        await _private(fake_discord, again, "could not find that image")


async def test_delete_command_offers_own_images_and_deletes(embedded_app, fake_discord):
    async with running_adapter(embedded_app, fake_discord):
        await accept_terms(fake_discord)
        await accept_terms(fake_discord, user_id=OTHER)
        _, image_id = await _one_image(embedded_app, fake_discord)
        for user, expected in ((OWNER, [image_id]), (OTHER, [])):
            payload = fake_discord.command(
                "delete", [option("image", "harbour", focused=True)], kind=4, user_id=user
            )
            callback = await fake_discord.callback_for(await fake_discord.send(payload))
            assert [c["value"] for c in callback.body["data"]["choices"]] == expected

        refused = await run(fake_discord, "delete", [option("image", image_id)], user_id=OTHER)
        await _private(fake_discord, refused, "could not find that image")
        sent = await run(fake_discord, "delete", [option("image", image_id)])
        await _private(fake_discord, sent, "was deleted")
        (job,) = await embedded_app.core.history(Actor("discord", str(OWNER)))
        assert job.images == []


async def test_mydata_gives_a_private_expiring_link(embedded_app, fake_discord):
    async with running_adapter(embedded_app, fake_discord):
        await accept_terms(fake_discord)
        await _one_image(embedded_app, fake_discord)
        sent = await run(fake_discord, "mydata")
        body = await _private(fake_discord, sent, "Your data export is ready")
        assert "1 image)" in body["content"] and "UTC" in body["content"]
        url = body["content"].rsplit("\n", 1)[-1]
        assert url.startswith("http://127.0.0.1")
        # The link names a signed, expiring object in the store; the ZIP holds the data.
        key = url.split("/media/", 1)[1].split("?", 1)[0]
        data = await embedded_app.storage.get(key)
        assert "account.json" in zipfile.ZipFile(BytesIO(data)).namelist()
        assert "expires=" in url or "exp=" in url
        again = await run(fake_discord, "mydata")
        await _private(fake_discord, again, "one data export an hour")


async def test_gallery_gives_a_private_personal_link(embedded_app, fake_discord):
    async with running_adapter(embedded_app, fake_discord):
        await accept_terms(fake_discord)
        sent = await run(fake_discord, "gallery")
        body = await _private(fake_discord, sent, "Your personal gallery")
        assert "UTC" in body["content"]
        url = body["content"].rsplit("\n", 1)[-1]
        assert url.startswith("http://127.0.0.1:9/gallery/t/")
        grant = await embedded_app.core.gallery.open(url.rsplit("/", 1)[1])
        account = await embedded_app.core.account(Actor("discord", str(OWNER)))
        assert grant.account_id == account.account_id


async def test_forgetme_cancel_then_confirm(embedded_app, fake_discord):
    actor = Actor("discord", str(OWNER))
    async with running_adapter(embedded_app, fake_discord):
        await accept_terms(fake_discord)
        await accept_terms(fake_discord, user_id=OTHER)
        sent = await run(fake_discord, "forgetme")
        asked = await _private(fake_discord, sent, "Press Confirm")
        confirm, cancel = custom_ids(asked)
        assert confirm.startswith("sd:forget:confirm:") and cancel == "sd:forget:cancel"
        message = {**fake_discord.original(sent), **asked}

        pressed = await click(fake_discord, message, cancel)
        assert (await fake_discord.callback_for(pressed)).body["type"] == 6  # update in place
        edit = await edit_where(
            fake_discord, pressed, lambda b: "nothing was erased" in b["content"]
        )
        assert edit.body["components"] == []
        assert await embedded_app.core.find_account(actor) is not None

        # The code is checked against the clicker's own account.
        theirs = await click(fake_discord, message, confirm, user_id=OTHER)
        await reply_text(fake_discord, theirs, "wrong or has expired")
        assert await embedded_app.core.find_account(Actor("discord", str(OTHER))) is not None

        first = message
        sent = await run(fake_discord, "forgetme")
        asked = await _private(fake_discord, sent, "Press Confirm")
        message = {**fake_discord.original(sent), **asked}
        pressed = await click(fake_discord, message, custom_ids(asked)[0])
        edit = await edit_where(fake_discord, pressed, lambda b: "Erased at" in b["content"])
        assert "1 account," in edit.body["content"] and edit.body["components"] == []
        assert await embedded_app.core.find_account(actor) is None
        # The old code (from the first /forgetme) was replaced, and the account is gone.
        stale = await click(fake_discord, first, confirm)
        await reply_text(fake_discord, stale, "hold no data about you")


async def test_forgetme_code_expires_and_then_erases_nothing(embedded_app, fake_discord):
    actor = Actor("discord", str(OWNER))
    async with running_adapter(embedded_app, fake_discord):
        await accept_terms(fake_discord)
        sent = await run(fake_discord, "forgetme")
        asked = await _private(fake_discord, sent, "Press Confirm")
        message = {**fake_discord.original(sent), **asked}
        async with embedded_app.uow() as uow:  # the code's lifetime passes
            await uow.conn.execute(
                update(privacy_confirmations).values(expires_at=utcnow() - timedelta(seconds=1))
            )
            await uow.commit()
        late = await click(fake_discord, message, custom_ids(asked)[0])
        await reply_text(fake_discord, late, "wrong or has expired")
        account = await embedded_app.core.find_account(actor)
        assert account is not None and account.balance_credits > 0


async def test_privacy_sends_the_policy_as_a_file(embedded_app, fake_discord):
    policy = embedded_app.core.privacy.policy_text()
    assert len(policy) > 2000  # does not fit in one Discord message
    async with running_adapter(embedded_app, fake_discord):
        sent = await run(fake_discord, "privacy")
        body = await _private(fake_discord, sent, "privacy policy is attached")
        assert body["_files"]["privacy-policy.txt"].decode("utf-8") == policy


async def test_private_replies_and_training_settings(embedded_app, fake_discord):
    actor = Actor("discord", str(OWNER))
    async with running_adapter(embedded_app, fake_discord):
        await accept_terms(fake_discord)
        public = await run(fake_discord, "imagine", [option("prompt", "a public kite")])
        assert not (await fake_discord.callback_for(public)).body.get("data", {}).get("flags")
        await finished(fake_discord, public)

        sent = await run(
            fake_discord, "settings", [option("private", True, 5), option("training", True, 5)]
        )
        body = await _private(fake_discord, sent, "Private replies: on")
        assert "Training use of your prompts and images: on" in body["content"]
        account = await embedded_app.core.account(actor)
        assert account.private_replies and account.training_opt_in

        private = await run(fake_discord, "imagine", [option("prompt", "a private kite")])
        assert (await fake_discord.callback_for(private)).body["data"]["flags"] & EPHEMERAL
        done = await finished(fake_discord, private)
        assert done.body["embeds"]
        jobs = await embedded_app.core.history(actor)
        assert len(jobs) == 2
        # Rerolling a result also answers privately.
        (latest, _) = jobs
        rerolled = await click(
            fake_discord, fake_discord.original(private), f"sd:reroll:{latest.job_id}"
        )
        assert (await fake_discord.callback_for(rerolled)).body["data"]["flags"] & EPHEMERAL

        off = await run(fake_discord, "settings", [option("private", False, 5)])
        await _private(fake_discord, off, "Private replies: off")
        again = await run(fake_discord, "imagine", [option("prompt", "a public kite again")])
        assert not (await fake_discord.callback_for(again)).body.get("data", {}).get("flags")


async def test_private_replies_set_elsewhere_are_loaded_at_start_and_on_reload(
    embedded_app, fake_discord
):
    """The preference is held in memory (no database read before the acknowledgement):
    loaded at start, and reloaded for changes made by another process."""
    core = embedded_app.core
    early, late = Actor("discord", str(OWNER)), Actor("discord", str(OTHER))
    for actor in (early, late):
        await core.accept_terms(actor, age_confirmed=True)
    await core.set_preferences(early, private_replies=True)
    async with running_adapter(embedded_app, fake_discord) as adapter:
        sent = await run(fake_discord, "imagine", [option("prompt", "an early moth")])
        assert (await fake_discord.callback_for(sent)).body["data"]["flags"] & EPHEMERAL
        await core.set_preferences(late, private_replies=True)  # as another process would
        await core.set_preferences(early, private_replies=False)
        await adapter.handlers.private_users.refresh()
        for user_id, flags in ((OTHER, EPHEMERAL), (OWNER, 0)):
            sent = await run(fake_discord, "imagine", [option("prompt", "a moth")], user_id=user_id)
            callback = await fake_discord.callback_for(sent)
            assert (callback.body.get("data") or {}).get("flags", 0) & EPHEMERAL == flags


async def test_the_analytics_setting(embedded_app, fake_discord):
    actor = Actor("discord", str(OWNER))
    async with running_adapter(embedded_app, fake_discord):
        await accept_terms(fake_discord)
        sent = await run(fake_discord, "settings", [option("analytics", True, 5)])
        await _private(fake_discord, sent, "Product analytics: on")
        assert (await embedded_app.core.account(actor)).analytics_opt_in
        sent = await run(fake_discord, "settings", [option("analytics", False, 5)])
        await _private(fake_discord, sent, "Product analytics: off")
        assert not (await embedded_app.core.account(actor)).analytics_opt_in


async def test_a_refused_setting_changes_nothing(embedded_app, fake_discord):
    async with running_adapter(embedded_app, fake_discord):
        await accept_terms(fake_discord)
        sent = await run(
            fake_discord,
            "settings",
            [
                option("model", "no-such-model"),
                option("training", True, 5),
                option("private", True, 5),
            ],
        )
        await _private(fake_discord, sent, 'no model called "no-such-model"')
        account = await embedded_app.core.account(Actor("discord", str(OWNER)))
        assert not account.training_opt_in and not account.private_replies

"""Discord delivery and platform behaviour against the fake Discord: the 15-minute
token fallback (compressed clock), DMs, refused tokens, REST 429s, buttons after a
restart, sharding, command sync with localisations, age-restricted models, and the
production path on PostgreSQL + Redis."""

from __future__ import annotations

import asyncio
import dataclasses
import shutil
from datetime import timedelta

from bot.bootstrap import bootstrap
from core.catalog import load_catalog
from core.clock import utcnow
from core.errors import ProviderRefused
from core.text.catalogue import LOCALES_DIR, Messages
from core.types import Actor, ImageView, JobEvent, ReplyTarget
from tests.conftest import REDIS_URL
from tests.e2e.discord_harness import (
    accept_terms,
    click,
    custom_ids,
    finished,
    option,
    reply_text,
    run,
    running_adapter,
    webhook_path,
)
from tests.support.fake_discord import CHANNEL_ID, NSFW_CHANNEL_ID, TOKEN, snowflake
from tests.support.fakes import FailingProvider

USER_ID = 4000
DM_CHANNEL_ID = USER_ID + 7_000_000  # what the fake answers for a DM channel


def _later(minutes: float):
    return lambda: utcnow() + timedelta(minutes=minutes)


def _channel_posts(fake, channel_id: int):
    return fake.find(lambda c: c.method == "POST" and c.path == f"/channels/{channel_id}/messages")


async def test_result_after_token_expiry_goes_to_the_channel(embedded_app, fake_discord):
    async with running_adapter(embedded_app, fake_discord, clock=_later(16)):
        await accept_terms(fake_discord)
        # The bot's own REST client must sit out a 429 too.
        fake_discord.fail_next("POST", rf"/channels/{CHANNEL_ID}/messages", retry_after_s=0.3)
        sent = await run(fake_discord, "imagine", [option("prompt", "a late owl")])
        # No wait for the "Queued" edit: the offline generator may finish first, and a
        # result already posted to the channel is never followed by a stale "Queued".

        def is_post(c):
            return c.method == "POST" and c.path == f"/channels/{CHANNEL_ID}/messages"

        limited = await fake_discord.wait_for(is_post)  # answered 429
        post = await fake_discord.wait_for(is_post, after=fake_discord.calls.index(limited) + 1)
        assert post.at - limited.at >= 0.3 and post.body == limited.body
        assert post.authorization == f"Bot {TOKEN}"
        assert post.body["content"].startswith(f"<@{USER_ID}>")
        assert [int(u) for u in post.body["allowed_mentions"]["users"]] == [USER_ID]
        (job,) = await embedded_app.core.history(Actor("discord", str(USER_ID)))
        assert custom_ids(post.body) == [
            f"sd:reroll:{job.job_id}",
            *(f"sd:vary:{image.image_id}" for image in job.images),
            *(f"sd:delete:{image.image_id}" for image in job.images),
        ]
        # No progress or result edit was attempted with the dead token. Not waited for:
        # the result is already posted, and the "Queued" edit may rightly never come (the
        # worker's "started" can overtake it), so there may be no edit at all.
        edits = fake_discord.find(
            lambda c: c.method == "PATCH" and c.path == webhook_path(sent.token)
        )
        assert all(
            not c.body.get("embeds") and "Generating" not in c.body["content"] for c in edits
        )


async def test_result_goes_by_dm_when_the_channel_is_gone(embedded_app, fake_discord):
    async with running_adapter(embedded_app, fake_discord, clock=_later(16)):
        await accept_terms(fake_discord)
        fake_discord.gone_channels.add(CHANNEL_ID)
        await run(fake_discord, "imagine", [option("prompt", "a lost letter")])
        dm = await fake_discord.wait_for(
            lambda c: c.method == "POST" and c.path == f"/channels/{DM_CHANNEL_ID}/messages"
        )
        opened = fake_discord.find(lambda c: c.path == "/users/@me/channels")
        assert int(opened[0].body["recipient_id"]) == USER_ID
        assert dm.body["embeds"] and "lost" not in dm.body["content"]  # no prompt echoed


async def test_refused_token_falls_back_even_before_expiry(embedded_app, fake_discord):
    async with running_adapter(embedded_app, fake_discord, worker=False):
        await accept_terms(fake_discord)
        sent = await run(fake_discord, "imagine", [option("prompt", "a quiet pond")])
        await reply_text(fake_discord, sent, "Queued")
        fake_discord.revoked_tokens.add(sent.token)
        worker = asyncio.create_task(embedded_app.worker.run())
        try:
            post = await fake_discord.wait_for(
                lambda c: c.method == "POST" and c.path == f"/channels/{CHANNEL_ID}/messages"
            )
        finally:
            worker.cancel()
            await asyncio.gather(worker, return_exceptions=True)
        assert post.body["embeds"]


async def test_webhook_429_is_waited_out_and_retried(embedded_app, fake_discord):
    async with running_adapter(embedded_app, fake_discord):
        await accept_terms(fake_discord)
        fake_discord.fail_next(
            "PATCH", r"/webhooks/\d+/[^/]+/messages/@original", retry_after_s=0.5
        )
        sent = await run(fake_discord, "imagine", [option("prompt", "a slow snail")])
        done = await finished(fake_discord, sent)
        edits = await fake_discord.original_edits(sent)
        assert edits[1].at - edits[0].at >= 0.5  # slept retry_after before trying again
        assert edits[1].body == edits[0].body
        assert done.body["embeds"]


async def test_buttons_work_after_a_restart(embedded_app, fake_discord):
    async with running_adapter(embedded_app, fake_discord):
        await accept_terms(fake_discord)
        sent = await run(fake_discord, "imagine", [option("prompt", "a phoenix")])
        await finished(fake_discord, sent)
        message = dict(fake_discord.original(sent))
    async with running_adapter(embedded_app, fake_discord) as second:
        assert second.client.user is not None
        reroll, *deletes = custom_ids(message)
        assert reroll.startswith("sd:reroll:") and deletes
        pressed = await click(fake_discord, message, reroll)
        again = await finished(fake_discord, pressed)
        assert again.body["embeds"]
    assert len(await embedded_app.core.history(Actor("discord", str(USER_ID)))) == 2


async def test_shards_identify_and_serve_interactions(embedded_app, fake_discord):
    async with running_adapter(embedded_app, fake_discord, shard_count=2, shard_ids=(0, 1)):
        assert sorted(i["shard"] for i in fake_discord.identifies) == [[0, 2], [1, 2]]
        assert not fake_discord.find(lambda c: c.path == "/gateway/bot")
        sent = await run(fake_discord, "help")
        await reply_text(fake_discord, sent, "/imagine")
        dm = await run(fake_discord, "help", guild=False)
        await reply_text(fake_discord, dm, "/imagine")


async def test_command_sync_payload_with_localisations(embedded_app, fake_discord, tmp_path):
    locales = tmp_path / "locales"
    locales.mkdir()
    shutil.copy(LOCALES_DIR / "en.ftl", locales / "en.ftl")
    # French: a language the project ships no file of, so the adapter's layers add nothing
    (locales / "fr.ftl").write_text(
        "discord-cmd-imagine = Créer des images à partir d'un texte\n"
        "discord-name-imagine = image\n",
        encoding="utf-8",
    )
    async with running_adapter(embedded_app, fake_discord, messages=Messages(locales)):
        gateway = fake_discord.find(lambda c: c.path == "/gateway/bot")
        assert gateway and gateway[0].authorization == f"Bot {TOKEN}"
        (sync,) = fake_discord.find(lambda c: c.method == "PUT")
        commands = {c["name"]: c for c in sync.body}
    assert set(commands) == {
        "imagine", "credits", "history", "cancel", "models", "settings", "terms", "privacy",
        "help", "admin", "buy", "subscribe", "redeem", "link", "delete", "mydata", "forgetme",
        "gallery", "Imagine from this image",  # the message command (type 3)
    }  # fmt: skip
    link = {o["name"]: o for o in commands["link"]["options"]}
    assert not link["code"].get("required") and link["code"]["max_length"] == 32
    imagine = commands["imagine"]
    assert imagine["description"] == "Create images from a text prompt"
    localised = imagine["description_localizations"]  # fr from this test, others from the files
    assert "en-US" not in localised and "en-GB" not in localised
    assert localised["fr"] == "Créer des images à partir d'un texte"
    assert localised["pt-BR"] and localised["es-ES"] == localised["es-419"]
    assert not imagine.get("name_localizations")  # names stay English, even translated
    assert not commands["help"].get("name_localizations")
    options = {o["name"]: o for o in imagine["options"]}
    assert list(options) == [
        "prompt", "model", "aspect", "seed", "negative", "count", "enhance",
        "image", "image2", "image3",
    ]  # fmt: skip
    assert options["prompt"]["required"] and options["prompt"]["max_length"] == 1000
    assert options["model"]["autocomplete"] is True
    assert {"1:1", "16:9"} <= {c["value"] for c in options["aspect"]["choices"]}
    assert options["count"]["max_value"] == 4
    assert all(c["description"] for c in sync.body if c.get("type", 1) == 1)
    admin = commands["admin"]
    assert int(admin["default_member_permissions"]) == 8  # administrator
    assert {o["name"] for o in admin["options"]} == {"grant", "ban", "unban", "stats", "dashboard"}


async def test_age_restricted_model_only_in_age_restricted_channels(
    settings, sqlite_engine, fake_discord
):
    catalog = load_catalog(settings.catalog_path)
    preview = catalog.models["preview"]
    spicy = dataclasses.replace(preview, id="spicy", label="Spicy preview", nsfw=True)
    catalog = dataclasses.replace(catalog, models={**catalog.models, "spicy": spicy})
    async with (
        bootstrap(settings, engine=sqlite_engine, migrate=False, catalog=catalog) as app,
        running_adapter(app, fake_discord),
    ):
        await accept_terms(fake_discord)
        refused = await run(
            fake_discord, "imagine", [option("prompt", "x"), option("model", "spicy")]
        )
        assert "age-restricted" in await reply_text(fake_discord, refused, "age-restricted")
        assert await app.core.history(Actor("discord", str(USER_ID))) == []

        auto = fake_discord.command(
            "imagine", [option("prompt", "x"), option("model", "sp", focused=True)], kind=4
        )
        answer = await fake_discord.callback_for(await fake_discord.send(auto))
        assert answer.body["data"]["choices"] == []
        auto_nsfw = fake_discord.command(
            "imagine",
            [option("prompt", "x"), option("model", "sp", focused=True)],
            kind=4,
            channel_id=NSFW_CHANNEL_ID,
            nsfw=True,
        )
        answer = await fake_discord.callback_for(await fake_discord.send(auto_nsfw))
        assert [c["value"] for c in answer.body["data"]["choices"]] == ["spicy"]

        allowed = await run(
            fake_discord,
            "imagine",
            [option("prompt", "x"), option("model", "spicy")],
            channel_id=NSFW_CHANNEL_ID,
            nsfw=True,
        )
        assert (await finished(fake_discord, allowed)).body["embeds"]


async def test_production_path_postgres_and_redis(settings, pg_engine, keys, fake_discord):
    settings = settings.model_copy(update={"redis_url": REDIS_URL, "redis_prefix": keys.prefix})
    async with (
        bootstrap(settings, engine=pg_engine, migrate=False) as app,
        running_adapter(app, fake_discord),
    ):
        assert app.redis is not None
        await accept_terms(fake_discord)
        sent = await run(
            fake_discord, "imagine", [option("prompt", "a harbour"), option("count", 2, kind=4)]
        )
        done = await finished(fake_discord, sent)
        assert len(done.body["embeds"]) == 2
        credits = await run(fake_discord, "credits")
        assert "Balance: 18 credits." in await reply_text(fake_discord, credits, "Balance")
        # Delivered exactly once: a single result edit.
        results = [c for c in await fake_discord.original_edits(sent) if c.body.get("embeds")]
        assert len(results) == 1


async def test_failed_job_shows_the_reason_and_the_refund(settings, sqlite_engine, fake_discord):
    refusing = FailingProvider(ProviderRefused(reason="policy"))
    async with (
        bootstrap(
            settings, engine=sqlite_engine, migrate=False, providers={"local": refusing}
        ) as app,
        running_adapter(app, fake_discord),
    ):
        await accept_terms(fake_discord)
        sent = await run(fake_discord, "imagine", [option("prompt", "a storm")])
        text = await reply_text(fake_discord, sent, "failed")
        assert "refused this prompt" in text and "Refunded 1 credit." in text
        assert refusing.calls == 1
        account = await app.core.account(Actor("discord", str(USER_ID)))
        assert account.balance_credits == 20


async def test_private_reply_past_expiry_goes_by_dm_only(embedded_app, fake_discord):
    """A private (ephemeral) reply never becomes a channel message."""
    async with running_adapter(embedded_app, fake_discord, clock=_later(16)) as adapter:
        target = ReplyTarget(
            "discord",
            {
                "application_id": "1000",
                "interaction_id": str(snowflake()),
                "interaction_token": "itok-private",
                "channel_id": str(CHANNEL_ID),
                "user_id": str(USER_ID),
                "ephemeral": True,
            },
        )
        image = ImageView("img1", "http://127.0.0.1:9/media/x.png", 64, 64, "image/png")
        event = JobEvent("finished", "f" * 32, 1, target, "en-US", images=[image])
        await adapter.delivery(event)
        assert not _channel_posts(fake_discord, CHANNEL_ID)
        (dm,) = _channel_posts(fake_discord, DM_CHANNEL_ID)
        assert dm.body["embeds"][0]["image"]["url"] == image.url
        assert custom_ids(dm.body) == [f"sd:reroll:{'f' * 32}", "sd:delete:img1"]

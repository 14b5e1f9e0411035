"""Every slash command and button of the Discord adapter, driven through discord.py
against the loopback fake Discord, with the embedded core (SQLite, in-process queue)."""

from __future__ import annotations

import logging

from sqlalchemy import text

from core.types import Actor
from tests.e2e.discord_harness import (
    ADMIN_ID,
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
from tests.support.fake_discord import CHANNEL_ID, FakeDiscord

EPHEMERAL = 64


async def test_every_interaction_is_deferred_first(embedded_app, fake_discord: FakeDiscord):
    async with running_adapter(embedded_app, fake_discord):
        for name, private in (("help", True), ("credits", True), ("imagine", False)):
            options = [option("prompt", "a cat")] if name == "imagine" else None
            sent = await fake_discord.send(fake_discord.command(name, options))
            callback = await fake_discord.callback_for(sent)
            assert callback.body["type"] == 5  # DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE
            flags = (callback.body.get("data") or {}).get("flags", 0)
            assert bool(flags & EPHEMERAL) is private, name
            # The deferral is the first thing sent for this interaction.
            first = fake_discord.find(lambda c, t=sent.token: t in c.path)[0]
            assert first.path.endswith("/callback")


async def test_first_use_shows_private_terms_then_accept_grants_welcome(embedded_app, fake_discord):
    async with running_adapter(embedded_app, fake_discord):
        sent = await run(fake_discord, "imagine", [option("prompt", "a red fox")])
        # The public "thinking" message is replaced by a private one with the buttons.
        await fake_discord.wait_for(
            lambda c: c.method == "DELETE" and c.path.endswith(f"{sent.token}/messages/@original")
        )
        followup = await fake_discord.wait_for(
            lambda c: c.method == "POST" and c.path.endswith(sent.token)
        )
        assert followup.body["flags"] & EPHEMERAL
        assert "13 or older" in followup.body["content"]
        assert custom_ids(followup.body) == ["sd:terms:accept", "sd:terms:decline"]

        message = fake_discord.followups[sent.token][0]
        pressed = await click(fake_discord, message, "sd:terms:accept")
        assert (await fake_discord.callback_for(pressed)).body["type"] == 6  # update
        edit = await edit_where(fake_discord, pressed, lambda b: "20 free credits" in b["content"])
        assert edit.body["components"] == []

        credits = await run(fake_discord, "credits")
        assert "Balance: 20 credits." in await reply_text(fake_discord, credits, "Balance")


async def test_decline_changes_nothing(embedded_app, fake_discord):
    async with running_adapter(embedded_app, fake_discord):
        terms = await run(fake_discord, "terms", user_id=4100)
        edit = await edit_where(fake_discord, terms, lambda b: bool(custom_ids(b)))
        pressed = await click(
            fake_discord,
            {**fake_discord.original(terms), **edit.body},
            "sd:terms:decline",
            user_id=4100,
        )
        assert "No problem" in await reply_text(fake_discord, pressed, "No problem")
        credits = await run(fake_discord, "credits", user_id=4100)
        edit = await edit_where(fake_discord, credits, lambda b: "13 or older" in b["content"])
        assert custom_ids(edit.body) == ["sd:terms:accept", "sd:terms:decline"]
        account = await embedded_app.core.find_account(Actor("discord", "4100"))
        assert account.terms_accepted_at is None and account.balance_credits == 0


async def test_imagine_progress_then_images_and_reroll(embedded_app, fake_discord):
    async with running_adapter(embedded_app, fake_discord):
        await accept_terms(fake_discord)
        sent = await run(
            fake_discord,
            "imagine",
            [
                option("prompt", "a red fox in snow"),
                option("aspect", "16:9"),
                option("count", 2, kind=4),
                option("seed", 7, kind=4),
            ],
        )
        done = await finished(fake_discord, sent)
        images = [e["image"]["url"] for e in done.body["embeds"]]
        assert len(images) == 2 and all(u.startswith("http://127.0.0.1") for u in images)
        assert "Done" in done.body["content"]
        (job,) = await embedded_app.core.history(Actor("discord", "4000"))
        # Reroll, V1..Vn (the offline preview offers variations), and Delete per image.
        assert custom_ids(done.body) == [
            f"sd:reroll:{job.job_id}",
            *(f"sd:vary:{image.image_id}" for image in job.images),
            *(f"sd:delete:{image.image_id}" for image in job.images),
        ]
        edits = await fake_discord.original_edits(sent)
        stages = [_stage(c.body.get("content") or "") for c in edits]
        assert stages == sorted(stages), stages  # never goes back to an earlier stage
        assert stages[-1] == 3

        message = {**fake_discord.original(sent)}
        rerolled = await click(fake_discord, message, f"sd:reroll:{job.job_id}")
        assert (await fake_discord.callback_for(rerolled)).body["type"] == 5
        again = await finished(fake_discord, rerolled)
        assert len(again.body["embeds"]) == 2
        jobs = await embedded_app.core.history(Actor("discord", "4000"))
        assert len(jobs) == 2
        assert {j.prompt for j in jobs} == {"a red fox in snow"}
        assert {j.aspect_ratio for j in jobs} == {"16:9"}
        balance = (await embedded_app.core.account(Actor("discord", "4000"))).balance_credits
        assert balance == 20 - jobs[0].cost_credits - jobs[1].cost_credits


def _stage(content: str) -> int:
    for word, stage in (("Queued", 1), ("Generating", 2), ("Done", 3)):
        if content.startswith(word):
            return stage
    return 0


async def test_someone_elses_reroll_is_refused(embedded_app, fake_discord):
    async with running_adapter(embedded_app, fake_discord):
        await accept_terms(fake_discord)
        await accept_terms(fake_discord, user_id=4200)
        sent = await run(fake_discord, "imagine", [option("prompt", "a boat")])
        await finished(fake_discord, sent)
        (job,) = await embedded_app.core.history(Actor("discord", "4000"))
        other = await click(
            fake_discord, fake_discord.original(sent), f"sd:reroll:{job.job_id}", user_id=4200
        )
        assert "could not find that job" in await reply_text(fake_discord, other, "find")
        assert await embedded_app.core.history(Actor("discord", "4200")) == []


async def test_information_commands(embedded_app, fake_discord):
    async with running_adapter(embedded_app, fake_discord):
        await accept_terms(fake_discord)
        sent = await run(fake_discord, "imagine", [option("prompt", "a lighthouse")])
        await finished(fake_discord, sent)

        history = await run(fake_discord, "history")
        text = await reply_text(fake_discord, history, "lighthouse")
        assert "  done  " in text and "http://127.0.0.1" in text

        models = await run(fake_discord, "models")
        listed = await reply_text(fake_discord, models, "per image")
        assert "per image" in listed and "(s)" not in listed

        for name, fragment in (("help", "/imagine"), ("privacy", "opt in"), ("terms", "13")):
            sent = await run(fake_discord, name)
            edit = await edit_where(fake_discord, sent, lambda b, f=fragment: f in b["content"])
            assert not custom_ids(edit.body)  # terms already accepted: no buttons

        credits = await run(fake_discord, "credits")
        text = await reply_text(fake_discord, credits, "Balance")
        assert "welcome credits" in text and "spent on images" in text


async def test_settings_change_defaults_used_by_imagine(embedded_app, fake_discord):
    core = embedded_app.core
    model = core.models()[0]
    aspect = next(a for a in model.aspect_ratios if a != model.default_aspect)
    async with running_adapter(embedded_app, fake_discord):
        await accept_terms(fake_discord)
        sent = await run(
            fake_discord,
            "settings",
            [option("model", model.id), option("aspect", aspect), option("language", "en")],
        )
        text = await reply_text(fake_discord, sent, "Your defaults")
        assert model.id in text and aspect in text
        bad = await run(fake_discord, "settings", [option("model", "no-such-model")])
        assert 'no model called "no-such-model"' in await reply_text(fake_discord, bad, "model")
        job_sent = await run(fake_discord, "imagine", [option("prompt", "a tree")])
        await finished(fake_discord, job_sent)
        (job,) = await core.history(Actor("discord", "4000"))
        assert (job.model_id, job.aspect_ratio) == (model.id, aspect)


async def test_model_autocomplete(embedded_app, fake_discord):
    async with running_adapter(embedded_app, fake_discord):
        model = embedded_app.core.models()[0]
        payload = fake_discord.command(
            "imagine",
            [option("prompt", "x"), option("model", model.id[:3], focused=True)],
            kind=4,
        )
        sent = await fake_discord.send(payload)
        callback = await fake_discord.callback_for(sent)
        assert callback.body["type"] == 8
        values = [c["value"] for c in callback.body["data"]["choices"]]
        assert model.id in values and len(values) <= 25


async def test_cancel_refunds_the_queued_job(embedded_app, fake_discord):
    async with running_adapter(embedded_app, fake_discord, worker=False):
        await accept_terms(fake_discord)
        nothing = await run(fake_discord, "cancel")
        assert "could not find that queued job" in await reply_text(fake_discord, nothing, "find")
        sent = await run(fake_discord, "imagine", [option("prompt", "a kite")])
        queued = await reply_text(fake_discord, sent, "Queued")
        assert "1 credit; balance 19)" in queued  # the balance the accept path returned
        cancel = await run(fake_discord, "cancel")
        assert "Refunded" in await reply_text(fake_discord, cancel, "Cancelled")
        account = await embedded_app.core.account(Actor("discord", "4000"))
        assert account.balance_credits == 20


async def test_core_errors_are_localised_messages(embedded_app, fake_discord):
    core = embedded_app.core
    async with running_adapter(embedded_app, fake_discord):
        await accept_terms(fake_discord)
        unknown = await run(fake_discord, "imagine", [option("prompt", "x"), option("model", "zz")])
        assert 'no model called "zz"' in await reply_text(fake_discord, unknown, "zz")
        await core.admin_grant(Actor("discord", "4000"), -20, reason="test", operator="test:ops")
        poor = await run(fake_discord, "imagine", [option("prompt", "a cat")])
        assert "you have 0" in await reply_text(fake_discord, poor, "credits")
        assert await core.history(Actor("discord", "4000")) == []


async def test_unexpected_error_gets_apology_with_reference(embedded_app, fake_discord, caplog):
    async with running_adapter(embedded_app, fake_discord, worker=False):
        await accept_terms(fake_discord, user_id=4321)
        async with embedded_app.engine.begin() as conn:
            await conn.execute(  # a database fault while the job row is written
                text(
                    "CREATE TRIGGER refuse_jobs BEFORE INSERT ON jobs "
                    "BEGIN SELECT RAISE(ABORT, 'disk on fire'); END"
                )
            )
        with caplog.at_level(logging.DEBUG, logger="seedream"):
            sent = await run(
                fake_discord, "imagine", [option("prompt", "my secret prompt")], user_id=4321
            )
            reply = await reply_text(fake_discord, sent, "ref ")
        ref = reply.rsplit("ref ", 1)[1].rstrip(")")
        assert len(ref) == 8
        logged = [r for r in caplog.records if ref in r.getMessage()]
        assert logged and logged[0].exc_info is not None
        ours = [r for r in caplog.records if r.name.startswith("seedream")]
        logs = "\n".join(caplog.handler.format(r) for r in ours)  # with the tracebacks
        assert "disk on fire" in logs
        for private in ("my secret prompt", "4321", sent.token):
            assert private not in logs
        assert (await embedded_app.core.account(Actor("discord", "4321"))).balance_credits == 20


async def test_admin_commands(embedded_app, fake_discord):
    core = embedded_app.core
    target = 4500
    user = [option("user", str(target), kind=6)]

    def admin(sub: str, options: list, **kwargs) -> dict:
        return fake_discord.command(
            "admin", [{"name": sub, "type": 1, "options": options}], users=(target,), **kwargs
        )

    async with running_adapter(embedded_app, fake_discord):
        await accept_terms(fake_discord, user_id=target)
        denied = await fake_discord.send(admin("stats", []))
        assert "operators" in await reply_text(fake_discord, denied, "operators")

        grant = await fake_discord.send(
            admin(
                "grant",
                [*user, option("credits", 5, kind=4), option("reason", "gift")],
                user_id=ADMIN_ID,
            )
        )
        assert "balance 25" in await reply_text(fake_discord, grant, "Granted")
        stranger = [option("user", "4599", kind=6)]  # never used the bot
        for sub, options in (
            ("grant", [*stranger, option("credits", 5, kind=4), option("reason", "gift")]),
            ("unban", stranger),
        ):
            nobody = await fake_discord.send(admin(sub, options, user_id=ADMIN_ID))
            await reply_text(fake_discord, nobody, "could not find that account")
        ban = await fake_discord.send(
            admin("ban", [*user, option("reason", "spam")], user_id=ADMIN_ID)
        )
        await reply_text(fake_discord, ban, "banned")
        refused = await run(fake_discord, "imagine", [option("prompt", "x")], user_id=target)
        assert "suspended" in await reply_text(fake_discord, refused, "suspended")
        unban = await fake_discord.send(admin("unban", user, user_id=ADMIN_ID))
        await reply_text(fake_discord, unban, "lifted")
        stats = await fake_discord.send(admin("stats", [], user_id=ADMIN_ID))
        text = await reply_text(fake_discord, stats, "Accounts")
        assert "Accounts: 1 (0 banned). Credits held: 25." in text
        assert (await core.account(Actor("discord", str(target)))).balance_credits == 25
        assert not (await core.account(Actor("discord", str(target)))).banned
        # Each action is audited with the operator who took it (the refused ones not).
        found = await core.dashboard_account("discord", str(target))
        assert found is not None
        assert [(a.operator, a.action, a.note, a.amount_credits) for a in found.audit] == [
            (f"discord:{ADMIN_ID}", "unban", None, None),
            (f"discord:{ADMIN_ID}", "ban", "spam", None),
            (f"discord:{ADMIN_ID}", "grant", "gift", 5),
        ]
        assert found.audit[2].ledger_reference == f"discord:{grant.interaction_id}"


async def test_channel_id_is_the_reply_channel(embedded_app, fake_discord):
    """The job remembers where to post if the token expires (see the delivery suite)."""
    async with running_adapter(embedded_app, fake_discord):
        await accept_terms(fake_discord)
        sent = await run(fake_discord, "imagine", [option("prompt", "a moon")])
        await finished(fake_discord, sent)
        async with embedded_app.engine.connect() as conn:
            raw = (await conn.execute(text("SELECT reply_target FROM jobs"))).scalar_one()
        assert f'"channel_id": "{CHANNEL_ID}"' in raw and "discord" in raw

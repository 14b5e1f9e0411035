"""/link end to end, with BOTH real adapters on ONE embedded app: python-telegram-bot
against the fake Bot API and discord.py against the fake Discord. A code issued on
Telegram is redeemed on Discord, and one issued on Discord is redeemed on Telegram;
Discord answers privately (ephemeral), Telegram in the private chat (a group gets the
deep link), and the joined account shows the combined balance and history."""

from __future__ import annotations

import re

from core.types import Actor
from tests.e2e import discord_harness as dh
from tests.e2e.test_telegram import ADA, BOB, _accept_terms, _imagine, _run_jobs
from tests.support.fake_discord import FakeDiscord, Sent
from tests.support.fake_telegram import BOT_USERNAME, FakeBotApi, group_chat
from tests.support.telegram_harness import button_data, fake_bot_api
from tests.support.telegram_harness import running_adapter as telegram_running

EPHEMERAL = 64
DISCORD_ONE, DISCORD_TWO = 7001, 7002
CODE = re.compile(r"\b[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}\b")


async def _telegram(fake: FakeBotApi, who: dict, text: str, *, chat: dict | None = None):
    mark = fake.mark()
    await fake.push_command(who, text, chat=chat)
    return await fake.wait_for("sendMessage", after=mark)


async def _discord_private(fake: FakeDiscord, sent: Sent, fragment: str) -> str:
    callback = await fake.callback_for(sent)
    assert callback.body["type"] == 5 and callback.body["data"]["flags"] & EPHEMERAL
    return await dh.reply_text(fake, sent, fragment)


async def _balance(app, actor: Actor) -> int:
    return (await app.core.account(actor)).balance_credits


async def test_link_telegram_to_discord_and_discord_to_telegram(embedded_app, fake_discord):
    app = embedded_app
    ada, bob = Actor("telegram", str(ADA["id"])), Actor("telegram", str(BOB["id"]))
    one, two = Actor("discord", str(DISCORD_ONE)), Actor("discord", str(DISCORD_TWO))
    async with (
        fake_bot_api() as tg,
        telegram_running(app, tg),
        dh.running_adapter(app, fake_discord, worker=False),
    ):
        # Telegram: Ada accepts and draws an image; Discord: user one accepts, gets 7 more.
        await _accept_terms(tg, ADA)
        private = await _telegram(tg, ADA, "/settings --private on")
        assert "Your defaults" in private.params["text"]
        await _imagine(tg, "a lighthouse at dusk", ADA)
        await _run_jobs(tg, app)
        await dh.accept_terms(fake_discord, user_id=DISCORD_ONE)
        await app.core.admin_grant(one, 7, reason="e2e", operator="test:ops")
        combined = await _balance(app, ada) + await _balance(app, one)

        # 1. Issued on Telegram (private chat), redeemed on Discord (ephemeral).
        issued = await _telegram(tg, ADA, "/link")
        assert issued.params["chat_id"] == str(ADA["id"])
        assert "10 minutes" in issued.params["text"] and "Discord" in issued.params["text"]
        code = CODE.search(issued.params["text"]).group(0)
        sent = await dh.run(fake_discord, "link", [dh.option("code", code)], user_id=DISCORD_ONE)
        done = await _discord_private(fake_discord, sent, "Linked")
        assert f"{combined} credits" in done and "Discord + Telegram" in done
        assert (await app.core.account(one)).account_id == (await app.core.account(ada)).account_id
        assert [j.prompt for j in await app.core.history(one)] == ["a lighthouse at dusk"]
        credits = await _telegram(tg, ADA, "/credits")
        assert f"Balance: {combined} credits." in credits.params["text"]
        again = await dh.run(fake_discord, "link", [dh.option("code", code)], user_id=DISCORD_ONE)
        assert "wrong, expired or already used" in await _discord_private(
            fake_discord, again, "link code"
        )
        assert await _balance(app, one) == combined

        # 2. Issued on Discord (ephemeral), redeemed on Telegram (private chat).
        await dh.accept_terms(fake_discord, user_id=DISCORD_TWO)
        await _accept_terms(tg, BOB)
        await app.core.admin_grant(bob, 3, reason="e2e", operator="test:ops")
        second = await _balance(app, two) + await _balance(app, bob)
        bob_before = await app.core.account(bob)
        sent = await dh.run(fake_discord, "link", user_id=DISCORD_TWO)
        shown = await _discord_private(fake_discord, sent, "link code")
        assert "10 minutes" in shown and "Telegram" in shown
        code = CODE.search(shown).group(0)

        # Typed in a group: only a pointer to the private chat, and the code, now read by
        # everyone there, is void.
        pointer = await _telegram(tg, BOB, f"/link@{BOT_USERNAME} {code}", chat=group_chat())
        assert pointer.params["chat_id"] == str(group_chat()["id"])
        assert button_data(pointer) == {
            "Open private chat": f"https://t.me/{BOT_USERNAME}?start=link"
        }
        assert "no longer works" in pointer.params["text"] and code not in pointer.params["text"]
        assert await app.core.account(bob) == bob_before
        void = await _telegram(tg, BOB, f"/link {code}")
        assert "wrong, expired or already used" in void.params["text"]
        assert await app.core.account(bob) == bob_before
        sent = await dh.run(fake_discord, "link", user_id=DISCORD_TWO)
        code = CODE.search(await _discord_private(fake_discord, sent, "link code")).group(0)
        plain = await _telegram(tg, BOB, f"/link@{BOT_USERNAME}", chat=group_chat())
        assert "no longer works" not in plain.params["text"]
        assert button_data(plain) == {
            "Open private chat": f"https://t.me/{BOT_USERNAME}?start=link"
        }

        joined = await _telegram(tg, BOB, f"/link {code.lower().replace('-', ' ')}")
        assert joined.params["chat_id"] == str(BOB["id"])
        assert f"{second} credits" in joined.params["text"]
        assert (await app.core.account(bob)).account_id == (await app.core.account(two)).account_id
        history = await dh.run(fake_discord, "credits", user_id=DISCORD_TWO)
        assert f"Balance: {second} credits." in await dh.reply_text(
            fake_discord, history, "Balance"
        )
        # The two joined accounts stay apart from each other.
        assert await _balance(app, one) == combined
        # Discord knows at once that this identity now prefers private replies (the
        # joined account's setting, made on Telegram): /imagine is acknowledged privately.
        sent = await dh.run(
            fake_discord, "imagine", [dh.option("prompt", "a kite")], user_id=DISCORD_ONE
        )
        callback = await fake_discord.callback_for(sent)
        assert callback.body["data"]["flags"] & EPHEMERAL

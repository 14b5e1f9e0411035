"""The fake Discord's gateway and REST authentication refuse what Discord refuses.

Sources (https://discord.com/developers/docs/...): /topics/gateway ("Connecting",
"Identifying", "Gateway Intents", "Privileged Intents"), the gateway close event codes
in /topics/opcodes-and-status-codes, and /reference#authentication. Each case below is a
client mistake Discord answers with a close code (or a 401), so the fake must too; the
last cases show discord.py's own handshake is accepted as it is.
"""

from __future__ import annotations

import json

import aiohttp
import httpx
import pytest

from tests.support import discord_rules as rules
from tests.support.fake_discord import APP_ID, CHANNEL_ID, TOKEN, FakeDiscord, snowflake

GOOD_IDENTIFY = {"token": TOKEN, "properties": {}, "intents": 1}


@pytest.fixture
async def fake():
    async with FakeDiscord() as server:
        yield server


async def _close_code(fake: FakeDiscord, *frames: object, query: str = "?v=10&encoding=json"):
    """Connect, read HELLO, send ``frames`` (dicts as JSON, str as they are), and return
    the close code the gateway ends with (None if it stays open after them)."""
    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(fake.gateway_url + query) as ws:
            first = await ws.receive(timeout=5)
            if first.type == aiohttp.WSMsgType.CLOSE:
                return first.data
            assert json.loads(first.data)["op"] == 10  # HELLO
            for frame in frames:
                await ws.send_str(frame if isinstance(frame, str) else json.dumps(frame))
            while True:
                msg = await ws.receive(timeout=5)
                if msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
                    return ws.close_code
                if json.loads(msg.data).get("t") == "READY" and len(frames) == 1:
                    return None


async def test_another_api_version_is_closed_with_4012(fake):
    # close codes: 4012 "Invalid API version"; gateway "Connecting": v is the API version
    assert await _close_code(fake, query="?v=9&encoding=json") == 4012


async def test_an_unknown_opcode_is_closed_with_4001(fake):
    # close codes: 4001 "Unknown opcode"; 11 (Heartbeat ACK) is only ever sent by Discord
    assert await _close_code(fake, {"op": 11, "d": None}) == 4001


async def test_a_payload_that_is_not_json_is_closed_with_4002(fake):
    # close codes: 4002 "Decode error"
    assert await _close_code(fake, "{not json") == 4002


async def test_a_payload_before_identify_is_closed_with_4003(fake):
    # close codes: 4003 "Not authenticated: You sent us a payload prior to identifying"
    presence = {"op": 3, "d": {"since": None, "activities": [], "status": "online", "afk": False}}
    assert await _close_code(fake, presence) == 4003


async def test_a_heartbeat_before_identify_is_answered(fake):
    # gateway "Sending Heartbeats": heartbeats start after HELLO, before IDENTIFY
    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(fake.gateway_url + "?v=10&encoding=json") as ws:
            await ws.receive(timeout=5)
            await ws.send_str(json.dumps({"op": 1, "d": None}))
            assert json.loads((await ws.receive(timeout=5)).data) == {"op": 11}


async def test_a_wrong_token_is_closed_with_4004(fake):
    # close codes: 4004 "Authentication failed: the account token sent with your
    # identify payload is incorrect"
    assert await _close_code(fake, {"op": 2, "d": {**GOOD_IDENTIFY, "token": "nope"}}) == 4004


async def test_a_second_identify_is_closed_with_4005(fake):
    # close codes: 4005 "Already authenticated: You sent more than one identify payload"
    identify = {"op": 2, "d": GOOD_IDENTIFY}
    assert await _close_code(fake, identify, identify) == 4005


@pytest.mark.parametrize("shard", [[1, 1], [2, 1], [-1, 2]])
async def test_an_invalid_shard_is_closed_with_4010(fake, shard):
    # close codes: 4010 "Invalid shard"; gateway "Sharding": shard_id < num_shards
    assert await _close_code(fake, {"op": 2, "d": {**GOOD_IDENTIFY, "shard": shard}}) == 4010


async def test_privileged_intents_not_enabled_are_closed_with_4014(fake):
    # close codes: 4014 "Disallowed intent(s)"; MESSAGE_CONTENT (1 << 15) is privileged
    identify = {"op": 2, "d": {**GOOD_IDENTIFY, "intents": 1 | (1 << 15)}}
    assert await _close_code(fake, identify) == 4014
    fake.privileged_intents = 1 << 15  # "enabled in the developer portal"
    assert await _close_code(fake, identify) is None


async def test_a_good_identify_gets_ready(fake):
    assert await _close_code(fake, {"op": 2, "d": GOOD_IDENTIFY}) is None
    assert fake.gateway_closes == []


async def test_rest_without_the_bot_token_is_401(fake):
    # reference "Authentication": "Authorization: Bot MTk4NjIy..." on every bot request
    async with httpx.AsyncClient() as client:
        for headers in ({}, {"Authorization": "Bot other"}, {"Authorization": TOKEN}):
            answer = await client.get(fake.api_base + "/users/@me", headers=headers)
            assert (answer.status_code, answer.json()) == (401, rules.UNAUTHORIZED)
        good = await client.get(
            fake.api_base + "/users/@me", headers={"Authorization": f"Bot {TOKEN}"}
        )
        assert good.status_code == 200


async def test_webhook_calls_need_no_bot_token(fake):
    # reference "Authentication" and /resources/webhook#execute-webhook: a follow-up
    # authenticates with the interaction token in its path, a channel post with the bot's
    fake.interactions["tok-1"] = snowflake()  # an interaction the fake delivered
    async with httpx.AsyncClient() as client:
        post = await client.post(
            f"{fake.api_base}/channels/{CHANNEL_ID}/messages", json={"content": "hi"}
        )
        assert (post.status_code, post.json()) == (401, rules.UNAUTHORIZED)
        followup = await client.post(
            f"{fake.api_base}/webhooks/{APP_ID}/tok-1", json={"content": "hi"}
        )
        assert followup.status_code == 200, followup.text

"""The fake Discord refuses what Discord refuses, in Discord's error shape, so that a
client mistake shows up in the end-to-end tests instead of in production.

Each case names its source, a page of the Discord developer docs
(https://discord.com/developers/docs/...): "responding" is
/interactions/receiving-and-responding, "commands" /interactions/application-commands,
"message" /resources/message, "components" /components/reference, "errors"
/topics/opcodes-and-status-codes#json-json-error-codes. discord.py 2.7 checks none of
these limits itself (the platform reference, A.1), so the fake has to.
"""

from __future__ import annotations

import time
from types import SimpleNamespace

import discord
import httpx
import pytest

from tests.support.fake_discord import APP_ID, CHANNEL_ID, TOKEN, FakeDiscord, snowflake


@pytest.fixture
async def fake():
    async with FakeDiscord() as server:
        yield server


async def _post(fake: FakeDiscord, path: str, body: dict, method: str = "POST") -> httpx.Response:
    async with httpx.AsyncClient() as client:
        auth = {"Authorization": f"Bot {TOKEN}"}
        return await client.request(method, fake.api_base + path, json=body, headers=auth)


async def _respond(fake: FakeDiscord, body: dict, *, age_s: float = 0.0, iid: int | None = None):
    iid = iid or snowflake(time.time() - age_s)
    return await _post(fake, f"/interactions/{iid}/tok-{iid}/callback", body)


def _refused_body(answer: httpx.Response, field: str) -> None:
    """errors: 400, code 50035 "Invalid Form Body", the field named in ``errors``."""
    assert answer.status_code == 400, answer.text
    error = answer.json()
    assert (error["code"], error["message"]) == (50035, "Invalid Form Body")
    assert field in error["errors"] or field in error["errors"].get("data", {})


# -- responding: the 3 s deadline, once, the token's 15 minutes -------------------------


async def test_an_initial_response_is_accepted_once(fake):
    iid = snowflake()
    first = await _respond(fake, {"type": 5}, iid=iid)
    assert first.status_code == 200
    # responding: "Interaction has already been acknowledged" (errors: 40060)
    again = await _respond(fake, {"type": 4, "data": {"content": "late"}}, iid=iid)
    assert again.status_code == 400
    assert again.json() == {"message": "Interaction has already been acknowledged.", "code": 40060}


async def test_a_response_after_3_s_is_an_unknown_interaction(fake):
    # responding: "you must send an initial response within 3 seconds" (errors: 10062)
    late = await _respond(fake, {"type": 5}, age_s=3.5)
    assert late.status_code == 404
    assert late.json() == {"message": "Unknown interaction", "code": 10062}


async def test_the_token_works_for_15_minutes_only(fake):
    # responding: "Interaction tokens are valid for 15 minutes" (errors: 50027)
    fresh, old = snowflake(time.time() - 14 * 60), snowflake(time.time() - 15 * 60 - 5)
    fake.interactions.update({"fresh": fresh, "old": old})
    for token, status in (("fresh", 200), ("old", 401)):
        follow = await _post(fake, f"/webhooks/{APP_ID}/{token}", {"content": "hi"})
        edit = await _post(
            fake, f"/webhooks/{APP_ID}/{token}/messages/@original", {"content": "hi"}, "PATCH"
        )
        assert follow.status_code == edit.status_code == status
    assert edit.json() == {"message": "Invalid Webhook Token", "code": 50027}


# -- message bodies: on a response, a follow-up, an edit and a channel message ------------

_ROW = {"type": 1, "components": [{"type": 2, "style": 2, "label": "B", "custom_id": "b"}]}


def _embed(**fields) -> dict:
    return {"type": "rich", **fields}


INVALID = [
    # message, Create Message: content "Up to 2000 characters"
    pytest.param({"content": "x" * 2001}, "content", id="content-2001"),
    # message, Create Message: embeds "Up to 10 rich embeds"
    pytest.param({"embeds": [_embed(title="t")] * 11}, "embeds", id="embeds-11"),
    # message, Embed Limits: title 256, description 4096, 6000 over all embeds
    pytest.param({"embeds": [_embed(title="t" * 257)]}, "embeds", id="title-257"),
    pytest.param({"embeds": [_embed(description="d" * 4097)]}, "embeds", id="description-4097"),
    pytest.param({"embeds": [_embed(description="d" * 3001)] * 2}, "embeds", id="total-6002"),
    # message, Embed Image: url "only supports http(s) and attachments"
    pytest.param(
        {"embeds": [_embed(image={"url": "file:///tmp/x.png"})]}, "embeds", id="image-file-url"
    ),
    pytest.param({"embeds": [_embed(image={"url": "x.png"})]}, "embeds", id="image-no-scheme"),
    # components, Action Row: up to 5 in a message; up to 5 buttons in one
    pytest.param({"components": [_ROW] * 6}, "components", id="rows-6"),
    pytest.param(
        {"components": [{"type": 1, "components": _ROW["components"] * 6}]},
        "components",
        id="buttons-6",
    ),
    # components, Button: custom_id "1-100 characters"
    pytest.param(
        {
            "components": [
                {"type": 1, "components": [{**_ROW["components"][0], "custom_id": "c" * 101}]}
            ]
        },
        "components",
        id="custom-id-101",
    ),
]


def _at_the_limits() -> dict:
    """Every limit reached, none passed."""
    row = {"type": 1, "components": [{**_ROW["components"][0], "custom_id": "c" * 100}] * 5}
    return {
        "content": "x" * 2000,
        # 10 embeds, 256 + 4096 + 9 * 180 = 5972 characters over all of them
        "embeds": [_embed(title="t" * 256, description="d" * 4096)]
        + [_embed(title="t" * 180, image={"url": "https://cdn.example/p.jpg"})] * 8
        + [_embed(title="t" * 180, image={"url": "attachment://p.jpg"})],
        "components": [row] * 5,
    }


WAYS = ["response", "followup", "edit", "channel"]


async def _send(fake: FakeDiscord, way: str, body: dict) -> httpx.Response:
    if way == "response":
        return await _respond(fake, {"type": 4, "data": body})
    token = f"tok-{way}"
    fake.interactions[token] = snowflake()
    if way == "followup":
        return await _post(fake, f"/webhooks/{APP_ID}/{token}", body)
    if way == "edit":
        return await _post(fake, f"/webhooks/{APP_ID}/{token}/messages/@original", body, "PATCH")
    return await _post(fake, f"/channels/{CHANNEL_ID}/messages", body)


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize(("body", "field"), INVALID)
async def test_a_message_over_a_limit_is_refused(fake, way, body, field):
    _refused_body(await _send(fake, way, body), field)


@pytest.mark.parametrize("way", WAYS)
async def test_a_message_at_the_limits_is_accepted(fake, way):
    answer = await _send(fake, way, _at_the_limits())
    assert answer.status_code == 200, answer.text


# -- autocomplete results -----------------------------------------------------------------


def _choices(count: int, name_chars: int = 5) -> dict:
    return {
        "type": 8,
        "data": {"choices": [{"name": "n" * name_chars, "value": str(i)} for i in range(count)]},
    }


async def test_autocomplete_results_are_limited(fake):
    # responding, Autocomplete: "up to 25 choices"; commands, Option Choice: name 1-100
    assert (await _respond(fake, _choices(25, 100))).status_code == 200
    _refused_body(await _respond(fake, _choices(26)), "choices")
    _refused_body(await _respond(fake, _choices(1, 101)), "choices")
    _refused_body(await _respond(fake, _choices(1, 0)), "choices")


# -- the error shape, as discord.py reads it ----------------------------------------------


async def test_discord_py_reads_the_fake_errors():
    """discord.py's HTTPException takes ``code`` and ``message`` (and flattens
    ``errors``) from the JSON body: the fake's answers become the same exceptions."""
    async with FakeDiscord() as fake:
        late = await _respond(fake, {"type": 5}, age_s=5)
        big = await _respond(fake, {"type": 4, "data": {"content": "x" * 2001}})
    response = SimpleNamespace(status=404, reason="Not Found")
    unknown = discord.NotFound(response, late.json())  # type: ignore[arg-type]
    assert (unknown.code, unknown.text) == (10062, "Unknown interaction")
    response = SimpleNamespace(status=400, reason="Bad Request")
    invalid = discord.HTTPException(response, big.json())  # type: ignore[arg-type]
    assert invalid.code == 50035 and "content" in invalid.text

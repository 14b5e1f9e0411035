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


# -- modals: "Interaction Callback Type" MODAL (9), "Modal", "Label", "Text Input" ---------


def _text_input(**fields) -> dict:
    return {"type": 4, "custom_id": "prompt", "style": 2, **fields}


def _label(text: str = "Prompt", **inner) -> dict:
    return {"type": 18, "label": text, "component": _text_input(**inner)}


def _modal(title: str = "Imagine", components: list | None = None, **fields) -> dict:
    components = [_label()] if components is None else components
    data = {"custom_id": "sd:refs:1", "title": title, "components": components}
    return {"type": 9, "data": {**data, **fields}}


def _legacy_row(label: str | None) -> dict:
    text_input = _text_input() if label is None else _text_input(label=label)
    return {"type": 1, "components": [text_input]}


INVALID_MODALS = [
    # responding, Modal: "title ... max 45 characters"; "Between 1 and 5 components"
    pytest.param(_modal(title="t" * 46), "title", id="title-46"),
    pytest.param(_modal(title=""), "title", id="title-empty"),
    pytest.param(_modal(components=[_label()] * 6), "components", id="components-6"),
    pytest.param(_modal(components=[]), "components", id="components-0"),
    # responding, Modal: custom_id 1-100 characters
    pytest.param(_modal(custom_id="c" * 101), "custom_id", id="custom-id-101"),
    # components, Label: "label ... max 45 characters", description max 100
    pytest.param(_modal(components=[_label("l" * 46)]), "components", id="label-46"),
    pytest.param(
        _modal(components=[{**_label(), "description": "d" * 101}]),
        "components",
        id="label-description-101",
    ),
    # components, Text Input: max_length 1-4000, placeholder max 100, style 1 or 2
    pytest.param(_modal(components=[_label(max_length=4001)]), "components", id="max-length"),
    pytest.param(_modal(components=[_label(placeholder="p" * 101)]), "components", id="ph-101"),
    pytest.param(_modal(components=[_label(style=3)]), "components", id="style-3"),
    # components, Action Row (deprecated in modals): the text input's own label, 1-45
    pytest.param(_modal(components=[_legacy_row("l" * 46)]), "components", id="row-label-46"),
    pytest.param(_modal(components=[_legacy_row(None)]), "components", id="row-no-label"),
    # a button is no modal component
    pytest.param(_modal(components=[_ROW]), "components", id="button-row"),
]


@pytest.mark.parametrize(("body", "field"), INVALID_MODALS)
async def test_a_modal_over_a_limit_is_refused(fake, body, field):
    _refused_body(await _respond(fake, body), field)


async def test_a_modal_at_the_limits_is_accepted(fake):
    label = _label("l" * 45, max_length=4000, min_length=0, placeholder="p" * 100)
    at_limits = _modal(title="t" * 45, components=[{**label, "description": "d" * 100}] * 5)
    assert (await _respond(fake, at_limits)).status_code == 200
    legacy = _modal(components=[_legacy_row("l" * 45)])
    assert (await _respond(fake, legacy)).status_code == 200


async def test_a_modal_submit_cannot_be_answered_with_a_modal(fake):
    # responding, Interaction Callback Type: MODAL "Not available for MODAL_SUBMIT"
    iid = snowflake()
    fake.kinds[iid] = 5
    _refused_body(await _respond(fake, _modal(), iid=iid), "type")
    deferred = await _respond(fake, {"type": 5}, iid=iid)  # what a bot does instead
    assert deferred.status_code == 200


async def test_discord_py_modal_payloads_pass(fake):
    """What discord.py 2.7 sends for a modal (a Label around a text input, and the
    deprecated action row form) is what the fake checks."""
    modal = discord.ui.Modal(title="Imagine", custom_id="sd:refs:7")
    modal.add_item(discord.ui.Label(text="Prompt", component=discord.ui.TextInput()))
    modal.add_item(discord.ui.TextInput(label="Old style"))
    data = modal.to_dict()
    assert [c["type"] for c in data["components"]] == [18, 1]
    assert (await _respond(fake, {"type": 9, "data": data})).status_code == 200


# -- registering commands: /interactions/application-commands ---------------------------------


def _chat(name: str = "imagine", **fields) -> dict:
    prompt = {"type": 3, "name": "prompt", "description": "What", "required": True}
    return {"type": 1, "name": name, "description": "Make", "options": [prompt], **fields}


def _attachment_option(name: str = "image", **fields) -> dict:
    return {"type": 11, "name": name, "description": "An image", "required": False, **fields}


def _message_command(name: str = "Imagine from this image", **fields) -> dict:
    return {"type": 3, "name": name, **fields}


INVALID_COMMANDS = [
    # Message Commands: "The description field is not allowed"; options only on CHAT_INPUT
    pytest.param([_message_command(description="Make")], id="message-description"),
    pytest.param([_message_command(options=[_attachment_option()])], id="message-options"),
    pytest.param([_message_command(name="m" * 33)], id="message-name-33"),
    # Application Command Structure: CHAT_INPUT description 1-100; lowercase name
    pytest.param([_chat(description="")], id="chat-no-description"),
    pytest.param([_chat(name="Imagine")], id="chat-uppercase"),
    pytest.param([_chat(name="imagine this")], id="chat-space"),
    # Option Structure: types 1-11; required before optional; file_types on ATTACHMENT
    # only (max 10); max 25 options; unique names
    pytest.param([_chat(options=[{**_attachment_option(), "type": 12}])], id="option-type-12"),
    pytest.param(
        [_chat(options=[_attachment_option(), {**_attachment_option("p2"), "required": True}])],
        id="required-after-optional",
    ),
    pytest.param(
        [_chat(options=[{"type": 3, "name": "p", "description": "d", "file_types": ["image"]}])],
        id="file-types-on-string",
    ),
    pytest.param(
        [_chat(options=[_attachment_option(file_types=[f".x{i}" for i in range(11)])])],
        id="file-types-11",
    ),
    pytest.param(
        [_chat(options=[_attachment_option(f"i{i}") for i in range(26)])], id="options-26"
    ),
    pytest.param([_chat(options=[_attachment_option()] * 2)], id="duplicate-option"),
    # Localization: keys are Discord's locales (Locale in discord.py; "es" and "pt" are
    # none), a localised description is 1-100 characters like the default one
    pytest.param([_chat(description_localizations={"es": "Crear"})], id="locale-es"),
    pytest.param([_chat(description_localizations={"pt": "Criar"})], id="locale-pt"),
    pytest.param([_chat(description_localizations={"pt-BR": "d" * 101})], id="loc-desc-101"),
    pytest.param([_chat(description_localizations={"de": ""})], id="loc-desc-empty"),
    pytest.param([_chat(name_localizations={"de": "Bild"})], id="loc-name-uppercase"),
    pytest.param(
        [_chat(options=[{**_chat()["options"][0], "description_localizations": {"xx": "d"}}])],
        id="option-locale-xx",
    ),
    pytest.param(
        [_chat(options=[{**_chat()["options"][0], "description_localizations": {"ru": ""}}])],
        id="option-loc-desc-empty",
    ),
    pytest.param(
        [
            _chat(
                options=[
                    {
                        **_chat()["options"][0],
                        "choices": [{"name": "a", "value": "a", "name_localizations": {"br": "a"}}],
                    }
                ]
            )
        ],
        id="choice-locale-br",
    ),
    pytest.param([_message_command(name_localizations={"pt": "Imaginar"})], id="message-pt"),
    # Registering a Command: 15 MESSAGE commands; names unique per type
    pytest.param([_message_command(f"Menu {i}") for i in range(16)], id="message-16"),
    pytest.param([_message_command(), _message_command()], id="message-duplicate"),
]


async def _register(fake: FakeDiscord, commands: list) -> httpx.Response:
    async with httpx.AsyncClient() as client:
        auth = {"Authorization": f"Bot {TOKEN}"}
        url = f"{fake.api_base}/applications/{APP_ID}/commands"
        return await client.put(url, json=commands, headers=auth)


@pytest.mark.parametrize("commands", INVALID_COMMANDS)
async def test_a_command_discord_refuses_is_refused(fake, commands):
    answer = await _register(fake, commands)
    assert answer.status_code == 400, answer.text
    assert answer.json()["code"] == 50035


async def test_attachment_options_and_message_commands_are_accepted(fake):
    options = [
        {"type": 3, "name": "prompt", "description": "What", "required": True},
        *(_attachment_option(n, file_types=["image"]) for n in ("image", "image2", "image3")),
    ]
    localised = {"es-ES": "Crear", "es-419": "Crear", "pt-BR": "d" * 100, "ru": "Д", "de": "B"}
    commands = [
        _chat(options=options, description_localizations=localised),
        _message_command(),
        _message_command("Another one", description=""),  # as Discord answers it: empty
    ]
    answer = await _register(fake, commands)
    assert answer.status_code == 200, answer.text
    assert [c["type"] for c in answer.json()] == [1, 3, 3]


# -- the attachment CDN -------------------------------------------------------------------


async def test_the_cdn_serves_an_attachment_only_at_its_signed_url(fake):
    attachment = fake.attachment(b"\x89PNG fake bytes", "cat.png")
    async with httpx.AsyncClient() as client:
        ok = await client.get(attachment["url"])
        assert ok.content == b"\x89PNG fake bytes"
        unsigned = attachment["url"].split("?")[0]
        assert (await client.get(unsigned)).status_code == 404
        forged = attachment["url"].replace("hm=", "hm=0")
        assert (await client.get(forged)).status_code == 404
    assert fake.cdn.downloaded(attachment)
    assert [d.served for d in fake.cdn.downloads] == [True, False, False]


async def test_discord_py_reads_the_fake_attachment(fake):
    """discord.py's Attachment reads the fake's attachment object (its required keys,
    ``discord/message.py``) as the real one: declared size, name, CDN url, type."""
    payload = fake.attachment(b"12345", "cat.png", size=99, content_type="image/webp")
    attachment = discord.Attachment(data=payload, state=SimpleNamespace(http=None))  # type: ignore[arg-type]
    assert (attachment.size, attachment.filename) == (99, "cat.png")
    assert (attachment.content_type, attachment.width, attachment.height) == ("image/webp", 64, 64)
    assert attachment.url.startswith(f"http://127.0.0.1:{fake.port}/attachments/")
    assert attachment.proxy_url.startswith(f"http://127.0.0.1:{fake.port}/media/attachments/")

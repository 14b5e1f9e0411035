"""Discord wire payloads for the loopback fake (``tests/support/fake_discord.py``):
snowflakes, users, interactions, messages, the application and the guild; the records
of what the fake received and sent, and aiohttp response helpers."""

from __future__ import annotations

import itertools
import json
import time
from dataclasses import dataclass
from typing import Any

from aiohttp import web

DISCORD_EPOCH_MS = 1420070400000
APP_ID = 1000
BOT_USER_ID = 900
GUILD_ID = 2000
CHANNEL_ID = 3000
NSFW_CHANNEL_ID = 3001
TOKEN = "fake-bot-token"
API_PREFIX = "/api/v10"

_counter = itertools.count(1)


def snowflake(at_s: float | None = None) -> int:
    ms = int((time.time() if at_s is None else at_s) * 1000)
    return ((ms - DISCORD_EPOCH_MS) << 22) | (next(_counter) % 4096)


def user_payload(user_id: int, name: str = "alice") -> dict[str, Any]:
    return {"id": str(user_id), "username": name, "discriminator": "0", "avatar": None}


def interaction_payload(
    kind: int,
    data: dict[str, Any],
    user_id: int,
    locale: str,
    channel_id: int,
    nsfw: bool,
    guild: bool,
) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "id": str(snowflake()),
        "application_id": str(APP_ID),
        "type": kind,
        "token": f"itok-{next(_counter)}",
        "version": 1,
        "channel_id": str(channel_id),
        "locale": locale,
        "entitlements": [],
        "attachment_size_limit": 10 * 1024 * 1024,
        "app_permissions": "2147483647",
        "data": data,
    }
    if guild:
        payload["guild_id"] = str(GUILD_ID)
        payload["guild_locale"] = "en-US"
        payload["channel"] = {
            "id": str(channel_id),
            "type": 0,
            "name": "art",
            "position": 0,
            "nsfw": nsfw,
            "guild_id": str(GUILD_ID),
        }
        payload["member"] = {
            "user": user_payload(user_id),
            "roles": [],
            "flags": 0,
            "joined_at": "2025-01-01T00:00:00+00:00",
            "permissions": "2147483647",
        }
        payload["context"] = 0
    else:
        payload["channel"] = {"id": str(channel_id), "type": 1}
        payload["user"] = user_payload(user_id)
        payload["context"] = 1
    return payload


def message_payload(
    channel_id: int, body: dict[str, Any], *, webhook: bool = False
) -> dict[str, Any]:
    message = {
        "id": str(snowflake()),
        "type": 0,
        "channel_id": str(channel_id),
        "author": {**user_payload(BOT_USER_ID, "seedream"), "bot": True},
        "attachments": [],
        "embeds": [],
        "mentions": [],
        "mention_roles": [],
        "pinned": False,
        "mention_everyone": False,
        "tts": False,
        "timestamp": "2026-01-01T00:00:00+00:00",
        "edited_timestamp": None,
        "flags": int(body.get("flags") or 0),
        "components": [],
        "content": "",
    }
    if webhook:
        message["webhook_id"] = str(APP_ID)
        message["application_id"] = str(APP_ID)
    for key in ("content", "embeds", "components"):
        if key in body and body[key] is not None:
            message[key] = body[key]
    return message


def application_payload() -> dict[str, Any]:
    return {
        "id": str(APP_ID),
        "name": "Seedream",
        "description": "",
        "icon": None,
        "bot_public": True,
        "bot_require_code_grant": False,
        "owner": user_payload(1, "owner"),
        "verify_key": "0" * 64,
        "flags": 0,
    }


def guild_payload() -> dict[str, Any]:
    def channel(cid: int, name: str, nsfw: bool) -> dict[str, Any]:
        return {"id": str(cid), "type": 0, "name": name, "position": 0, "nsfw": nsfw}

    return {
        "id": str(GUILD_ID),
        "name": "Test guild",
        "unavailable": False,
        "member_count": 2,
        "channels": [channel(CHANNEL_ID, "art", False), channel(NSFW_CHANNEL_ID, "adult", True)],
        "roles": [],
        "members": [],
        "owner_id": "1",
    }


def ready_payload(
    guilds: list[dict[str, Any]], shard: tuple[int, int], gateway_url: str
) -> dict[str, Any]:
    return {
        "v": 10,
        "user": {**user_payload(BOT_USER_ID, "seedream"), "bot": True},
        "guilds": guilds,
        "session_id": f"session-{shard[0]}",
        "resume_gateway_url": gateway_url,
        "shard": list(shard),
        "application": {"id": str(APP_ID), "flags": 0},
    }


def gateway_bot_payload(gateway_url: str, shards: int) -> dict[str, Any]:
    limit = {"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 16}
    return {"url": gateway_url, "shards": shards, "session_start_limit": limit}


def command_echo(cmd: dict[str, Any], index: int) -> dict[str, Any]:
    echo = dict(cmd)
    echo.setdefault("type", 1)
    echo.setdefault("description", "")
    echo["id"] = str(5000 + index)
    echo["application_id"] = str(APP_ID)
    echo["version"] = "1"
    return echo


@dataclass
class Call:
    """One REST request the fake received."""

    method: str
    path: str  # without the /api/v10 prefix
    query: dict[str, str]
    body: Any
    at: float  # time.perf_counter() on arrival
    authorization: str | None = None


@dataclass
class Sent:
    """One INTERACTION_CREATE the fake dispatched."""

    interaction_id: int
    token: str
    payload: dict[str, Any]
    at: float  # time.perf_counter() just before the frame was written


def json_response(
    obj: Any, *, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    # Exactly "application/json": discord.py does not parse a body with a charset suffix.
    all_headers = {"Content-Type": "application/json", **(headers or {})}
    return web.Response(body=json.dumps(obj).encode(), status=status, headers=all_headers)


async def multipart_json(request: web.Request) -> Any:
    """The ``payload_json`` part; attached files are added to it as ``"_files"``
    (filename -> bytes), for tests to check."""
    reader = await request.multipart()
    payload: Any = None
    files: dict[str, bytes] = {}
    async for part in reader:
        if part.name == "payload_json":  # type: ignore[union-attr]
            payload = json.loads(await part.text())  # type: ignore[union-attr]
        else:
            files[part.filename or part.name or ""] = await part.read()  # type: ignore[union-attr]
    if files and isinstance(payload, dict):
        payload["_files"] = files
    return payload


# -- reference images: attachments, message commands, modal submits ----------------------


def attachment_payload(
    attachment_id: int,
    filename: str,
    size: int,
    url: str,
    proxy_url: str,
    *,
    content_type: str | None = "image/png",
    width: int | None = 64,
    height: int | None = 64,
) -> dict[str, Any]:
    """An attachment object (/resources/message#attachment-object): as in a message's
    ``attachments`` and an ATTACHMENT option's ``resolved.attachments``."""
    payload: dict[str, Any] = {
        "id": str(attachment_id),
        "filename": filename,
        "size": size,
        "url": url,
        "proxy_url": proxy_url,
    }
    if content_type is not None:
        payload["content_type"] = content_type
    if width is not None:
        payload["width"], payload["height"] = width, height
    return payload


def user_message_payload(
    channel_id: int, author_id: int, attachments: list[dict[str, Any]], content: str = ""
) -> dict[str, Any]:
    """A member's message, as ``resolved.messages`` carries it for a message command."""
    message = message_payload(channel_id, {"content": content})
    message["author"] = user_payload(author_id, f"user{author_id}")
    message["attachments"] = attachments
    return message


def message_command_data(name: str, message: dict[str, Any]) -> dict[str, Any]:
    """A MESSAGE command's ``data`` (/interactions/application-commands#message-commands):
    type 3, ``target_id`` and the message in ``resolved.messages``."""
    return {
        "id": "2",
        "name": name,
        "type": 3,
        "target_id": message["id"],
        "resolved": {"messages": {message["id"]: message}},
    }


def modal_submit_data(modal: dict[str, Any], values: dict[str, str]) -> dict[str, Any]:
    """The ``data`` of a MODAL_SUBMIT for ``modal`` (the MODAL response the bot sent),
    ``values`` by text input ``custom_id`` (/components/reference, "Text Input
    Interaction Response Structure"; a Label answers with its ``component``)."""
    ids = itertools.count(1)

    def answer(text_input: dict[str, Any]) -> dict[str, Any]:
        custom_id = text_input["custom_id"]
        return {"type": 4, "id": next(ids), "custom_id": custom_id, "value": values[custom_id]}

    components = []
    for component in modal["components"]:
        if component["type"] == 18:
            label_id = next(ids)
            inner = answer(component["component"])
            components.append({"type": 18, "id": label_id, "component": inner})
        else:
            row_id = next(ids)
            inner_rows = [answer(c) for c in component["components"]]
            components.append({"type": 1, "id": row_id, "components": inner_rows})
    return {"custom_id": modal["custom_id"], "components": components}

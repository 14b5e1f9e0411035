"""A loopback fake of Discord: the gateway (a WebSocket) and the REST API, on 127.0.0.1.

It speaks the wire protocol discord.py 2.7 expects (see the platform reference, A.2-A.3):

- gateway: HELLO, IDENTIFY (with or without ``shard``), READY, GUILD_CREATE, HEARTBEAT /
  HEARTBEAT_ACK, and INTERACTION_CREATE dispatched by :meth:`FakeDiscord.send` to the
  shard that owns the guild (``(guild_id >> 22) % shard_count``; DMs to shard 0);
- REST: ``/gateway/bot``, ``/users/@me``, ``/oauth2/applications/@me``, command bulk
  overwrite (global and guild), interaction callbacks (``with_response=1``), webhook
  follow-ups and ``@original`` edits, channel messages, DM channels.

Every REST request is recorded (:class:`Call`) and can be awaited with
:meth:`FakeDiscord.wait_for`. :meth:`FakeDiscord.fail_next` answers the next matching
request with a 429 carrying ``retry_after`` (and ``Via``, so discord.py retries it);
``gone_channels`` answers 404 Unknown Channel. Snowflakes are minted from the current
time, as discord.py derives an interaction's expiry from its id.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

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


@dataclass
class _Shard:
    ws: web.WebSocketResponse
    shard: tuple[int, int] = (0, 1)
    seq: int = 0
    ready: asyncio.Event = field(default_factory=asyncio.Event)


class FakeDiscord:
    def __init__(self, *, heartbeat_interval_ms: int = 41250) -> None:
        self.calls: list[Call] = []
        self.identifies: list[dict[str, Any]] = []
        self.heartbeats = 0
        self.gone_channels: set[int] = set()
        self.messages: dict[str, dict[str, Any]] = {}  # "@original" per token, by token
        self.followups: dict[str, list[dict[str, Any]]] = {}  # webhook follow-ups, by token
        self.revoked_tokens: set[str] = set()  # webhook calls answer 401 Invalid Token
        self.callback_at: dict[int, float] = {}  # interaction id -> perf_counter on arrival
        self._heartbeat_interval_ms = heartbeat_interval_ms
        self._shards: list[_Shard] = []
        self._changed = asyncio.Condition()
        self._failures: list[tuple[str, re.Pattern[str], float, bool]] = []
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.recommended_shards = 1

    # -- lifetime ------------------------------------------------------------------

    async def start(self) -> FakeDiscord:
        app = web.Application()
        app.router.add_get("/", self._gateway)
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def stop(self) -> None:
        for shard in self._shards:
            with contextlib.suppress(Exception):
                await shard.ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def __aenter__(self) -> FakeDiscord:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}{API_PREFIX}"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/"

    # -- test controls ---------------------------------------------------------------

    def fail_next(
        self, method: str, path_pattern: str, *, retry_after_s: float, is_global: bool = False
    ) -> None:
        """Answer the next request matching ``method`` and ``path_pattern`` (a regex on
        the path after /api/v10) with a 429 and ``retry_after``."""
        self._failures.append((method, re.compile(path_pattern), retry_after_s, is_global))

    async def wait_for(
        self, predicate: Callable[[Call], bool], *, timeout_s: float = 15.0, after: int = 0
    ) -> Call:
        """The first call (from index ``after``) matching ``predicate``, waiting for it."""
        async with asyncio.timeout(timeout_s), self._changed:
            while True:
                for call in self.calls[after:]:
                    if predicate(call):
                        return call
                await self._changed.wait()

    async def wait_callbacks(self, interaction_ids: list[int], *, timeout_s: float) -> None:
        """Until every one of ``interaction_ids`` was answered (see ``callback_at``)."""
        missing = set(interaction_ids)
        async with asyncio.timeout(timeout_s), self._changed:
            while True:
                missing -= self.callback_at.keys()
                if not missing:
                    return
                await self._changed.wait()

    async def wait_ready(self, shards: int = 1, *, timeout_s: float = 15.0) -> None:
        async with asyncio.timeout(timeout_s), self._changed:
            while sum(1 for s in self._shards if s.ready.is_set()) < shards:
                await self._changed.wait()

    def find(self, predicate: Callable[[Call], bool], after: int = 0) -> list[Call]:
        return [c for c in self.calls[after:] if predicate(c)]

    # -- interactions ----------------------------------------------------------------

    def command(
        self,
        name: str,
        options: list[dict[str, Any]] | None = None,
        *,
        user_id: int = 4000,
        locale: str = "en-US",
        channel_id: int = CHANNEL_ID,
        nsfw: bool = False,
        guild: bool = True,
        kind: int = 2,
        users: tuple[int, ...] = (),
    ) -> dict[str, Any]:
        """A slash command (``kind`` 2) or autocomplete (``kind`` 4) interaction;
        ``users`` are the ids a USER option refers to (sent as ``resolved``)."""
        data: dict[str, Any] = {"id": "1", "name": name, "type": 1}
        if options:
            data["options"] = options
        if users:
            data["resolved"] = {"users": {str(u): user_payload(u, f"user{u}") for u in users}}
        return self._interaction(kind, data, user_id, locale, channel_id, nsfw, guild)

    def component(
        self,
        custom_id: str,
        message: dict[str, Any],
        *,
        user_id: int = 4000,
        locale: str = "en-US",
        channel_id: int = CHANNEL_ID,
    ) -> dict[str, Any]:
        """A button click on ``message`` (as the fake last stored it)."""
        data = {"custom_id": custom_id, "component_type": 2}
        payload = self._interaction(3, data, user_id, locale, channel_id, False, True)
        payload["message"] = message
        return payload

    def _interaction(
        self,
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

    async def send(self, payload: dict[str, Any]) -> Sent:
        """Dispatch INTERACTION_CREATE on the shard that owns its guild."""
        guild_id = int(payload.get("guild_id") or 0)
        target = None
        for shard in self._shards:
            shard_id, count = shard.shard
            if shard.ready.is_set() and (guild_id >> 22) % count == shard_id:
                target = shard
                break
        if target is None:
            raise RuntimeError("no connected shard for this interaction")
        sent = Sent(int(payload["id"]), payload["token"], payload, time.perf_counter())
        await self._dispatch(target, "INTERACTION_CREATE", payload)
        return sent

    async def callback_for(self, sent: Sent, *, timeout_s: float = 15.0) -> Call:
        return await self.wait_for(
            lambda c: (
                c.method == "POST"
                and c.path == f"/interactions/{sent.interaction_id}/{sent.token}/callback"
            ),
            timeout_s=timeout_s,
        )

    async def original_edits(
        self, sent: Sent, count: int = 1, *, timeout_s: float = 15.0
    ) -> list[Call]:
        """Wait for at least ``count`` PATCHes of the interaction's @original message."""
        path = f"/webhooks/{APP_ID}/{sent.token}/messages/@original"
        async with asyncio.timeout(timeout_s), self._changed:
            while True:
                found = [c for c in self.calls if c.method == "PATCH" and c.path == path]
                if len(found) >= count:
                    return found
                await self._changed.wait()

    def original(self, sent: Sent) -> dict[str, Any]:
        return self.messages[sent.token]

    # -- gateway -----------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        shard = _Shard(ws)
        await ws.send_str(
            json.dumps({"op": 10, "d": {"heartbeat_interval": self._heartbeat_interval_ms}})
        )
        try:
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    continue
                frame = json.loads(msg.data)
                op = frame.get("op")
                if op == 1:
                    self.heartbeats += 1
                    await ws.send_str(json.dumps({"op": 11}))
                elif op == 2:
                    await self._identify(shard, frame["d"])
        finally:
            if shard in self._shards:
                self._shards.remove(shard)
        return ws

    async def _identify(self, shard: _Shard, data: dict[str, Any]) -> None:
        self.identifies.append(data)
        if data.get("shard"):
            shard.shard = (int(data["shard"][0]), int(data["shard"][1]))
        self._shards.append(shard)
        guilds = [{"id": str(GUILD_ID), "unavailable": True}] if shard.shard[0] == 0 else []
        await self._dispatch(
            shard,
            "READY",
            {
                "v": 10,
                "user": {**user_payload(BOT_USER_ID, "seedream"), "bot": True},
                "guilds": guilds,
                "session_id": f"session-{shard.shard[0]}",
                "resume_gateway_url": self.gateway_url,
                "shard": list(shard.shard),
                "application": {"id": str(APP_ID), "flags": 0},
            },
        )
        if guilds:
            await self._dispatch(shard, "GUILD_CREATE", _guild())
        async with self._changed:
            shard.ready.set()
            self._changed.notify_all()

    async def _dispatch(self, shard: _Shard, event: str, data: dict[str, Any]) -> None:
        shard.seq += 1
        frame = {"op": 0, "t": event, "s": shard.seq, "d": data}
        await shard.ws.send_str(json.dumps(frame))

    # -- REST --------------------------------------------------------------------------

    async def _rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["tail"]
        body: Any = None
        if request.content_type == "application/json":
            body = await request.json()
        elif request.content_type.startswith("multipart/"):
            body = await _multipart_json(request)
        call = Call(
            request.method,
            path,
            dict(request.query),
            body,
            time.perf_counter(),
            request.headers.get("Authorization"),
        )
        ack = re.fullmatch(r"/interactions/(\d+)/[^/]+/callback", path)
        async with self._changed:
            if ack and request.method == "POST":
                self.callback_at.setdefault(int(ack[1]), call.at)
            self.calls.append(call)
            self._changed.notify_all()
        for i, (method, pattern, retry_after_s, is_global) in enumerate(self._failures):
            if method == request.method and pattern.fullmatch(path):
                del self._failures[i]
                return _json(
                    {
                        "message": "You are being rate limited.",
                        "retry_after": retry_after_s,
                        "global": is_global,
                    },
                    status=429,
                    headers={"Via": "1.1 google", "Retry-After": str(retry_after_s)},
                )
        return await self._route(request.method, path, body)

    async def _route(self, method: str, path: str, body: Any) -> web.Response:
        if path == "/users/@me" and method == "GET":
            return _json({**user_payload(BOT_USER_ID, "seedream"), "bot": True})
        if path == "/oauth2/applications/@me":
            return _json(_application())
        if path == "/gateway/bot":
            return _json(
                {
                    "url": self.gateway_url,
                    "shards": self.recommended_shards,
                    "session_start_limit": {
                        "total": 1000,
                        "remaining": 1000,
                        "reset_after": 0,
                        "max_concurrency": 16,
                    },
                }
            )
        if re.fullmatch(r"/applications/\d+(/guilds/\d+)?/commands", path) and method == "PUT":
            return _json([_command_echo(cmd, i) for i, cmd in enumerate(body or [], start=1)])
        m = re.fullmatch(r"/interactions/(\d+)/([^/]+)/callback", path)
        if m and method == "POST":
            return self._callback(int(m[1]), m[2], body or {})
        m = re.fullmatch(rf"/webhooks/{APP_ID}/([^/]+)(/messages/(@original|\d+))?", path)
        if m:
            return self._webhook(method, m[1], m[3], body or {})
        m = re.fullmatch(r"/channels/(\d+)/messages", path)
        if m and method == "POST":
            if int(m[1]) in self.gone_channels:
                return _json({"message": "Unknown Channel", "code": 10003}, status=404)
            return _json(_message(int(m[1]), body or {}))
        if path == "/users/@me/channels" and method == "POST":
            user_id = int(body["recipient_id"])
            return _json(
                {"id": str(user_id + 7_000_000), "type": 1, "recipients": [user_payload(user_id)]}
            )
        return _json({"message": "404: Not Found", "code": 0}, status=404)

    def _callback(self, interaction_id: int, token: str, body: dict[str, Any]) -> web.Response:
        kind = body.get("type")
        data = body.get("data") or {}
        if kind in (4, 5):
            self.messages[token] = _message(CHANNEL_ID, data)
        elif kind == 7 and token in self.messages:
            self.messages[token] = {**self.messages[token], **_message(CHANNEL_ID, data)}
        return _json(
            {
                "interaction": {
                    "id": str(interaction_id),
                    "type": 2,
                    "response_message_loading": kind == 5,
                    "response_message_ephemeral": bool(int(data.get("flags") or 0) & 64),
                }
            }
        )

    def _webhook(
        self, method: str, token: str, message_id: str | None, body: dict[str, Any]
    ) -> web.Response:
        if token in self.revoked_tokens:
            return _json({"message": "Invalid Webhook Token", "code": 50027}, status=401)
        if message_id is None and method == "POST":
            message = _message(CHANNEL_ID, body, webhook=True)
            self.followups.setdefault(token, []).append(message)
            return _json(message)
        if message_id == "@original" and method == "PATCH":
            previous = self.messages.get(token, _message(CHANNEL_ID, {}, webhook=True))
            updated = {**previous, **_message(CHANNEL_ID, body, webhook=True)}
            updated["id"] = previous["id"]
            self.messages[token] = updated
            return _json(updated)
        if message_id == "@original" and method == "GET" and token in self.messages:
            return _json(self.messages[token])
        if method == "DELETE":
            self.messages.pop(token, None)
            return web.Response(status=204)
        return _json({"message": "Unknown Webhook", "code": 10015}, status=404)


def _json(obj: Any, *, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    # Exactly "application/json": discord.py does not parse a body with a charset suffix.
    all_headers = {"Content-Type": "application/json", **(headers or {})}
    return web.Response(body=json.dumps(obj).encode(), status=status, headers=all_headers)


async def _multipart_json(request: web.Request) -> Any:
    reader = await request.multipart()
    payload: Any = None
    async for part in reader:
        if part.name == "payload_json":  # type: ignore[union-attr]
            payload = json.loads(await part.text())  # type: ignore[union-attr]
        else:
            await part.read()  # type: ignore[union-attr]
    return payload


def _message(channel_id: int, body: dict[str, Any], *, webhook: bool = False) -> dict[str, Any]:
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


def _application() -> dict[str, Any]:
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


def _guild() -> dict[str, Any]:
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


def _command_echo(cmd: dict[str, Any], index: int) -> dict[str, Any]:
    echo = dict(cmd)
    echo.setdefault("type", 1)
    echo.setdefault("description", "")
    echo["id"] = str(5000 + index)
    echo["application_id"] = str(APP_ID)
    echo["version"] = "1"
    return echo

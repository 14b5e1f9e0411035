"""A loopback fake of Discord: the gateway (a WebSocket) and the REST API, on 127.0.0.1.

It speaks the wire protocol discord.py 2.7 expects (see the platform reference, A.2-A.3):

- gateway: HELLO, IDENTIFY (with or without ``shard``), READY, GUILD_CREATE, HEARTBEAT /
  HEARTBEAT_ACK, and INTERACTION_CREATE dispatched by :meth:`FakeDiscord.send` to the
  shard that owns the guild (``(guild_id >> 22) % shard_count``; DMs to shard 0);
- REST: ``/gateway/bot``, ``/users/@me``, ``/oauth2/applications/@me``, command bulk
  overwrite (global and guild), interaction callbacks (``with_response=1``, modals
  included), webhook follow-ups and ``@original`` edits, channel messages, DM channels;
- interactions: slash commands (with ATTACHMENT options resolved), message commands
  (``target_id`` + ``resolved.messages``), button clicks and modal submits;
- the attachment CDN (``tests/support/discord_cdn.py``), on the same port.

Every REST request is recorded (:class:`Call`) and can be awaited with
:meth:`FakeDiscord.wait_for`. :meth:`FakeDiscord.fail_next` answers the next matching
request with a 429 carrying ``retry_after`` (and ``Via``, so discord.py retries it);
``gone_channels`` answers 404 Unknown Channel. Snowflakes are minted from the current
time, as discord.py derives an interaction's expiry from its id.

It refuses what Discord refuses, in Discord's error shape (``tests/support/discord_rules``
names each rule's page in the Discord developer docs; ``tests/contracts/
test_discord_fake.py`` checks them): an initial response after 3 s or a second one, a
follow-up or edit after the token's 15 minutes, and message bodies and autocomplete
results over Discord's limits, a modal over its limits (or answering a modal submit),
a command registration Discord would refuse; on the gateway, another API version, an
unknown opcode, a payload before IDENTIFY, a wrong token, a second IDENTIFY, an invalid shard and
privileged intents not enabled (its close codes); REST calls without the bot token
(``tests/contracts/test_discord_gateway_fake.py``).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from tests.support import discord_rules as rules
from tests.support.discord_cdn import FakeCdn
from tests.support.discord_interactions import InteractionBuilders
from tests.support.discord_payloads import (
    API_PREFIX,
    APP_ID,
    BOT_USER_ID,
    CHANNEL_ID,
    GUILD_ID,
    NSFW_CHANNEL_ID,
    TOKEN,
    Call,
    Sent,
    application_payload,
    command_echo,
    gateway_bot_payload,
    guild_payload,
    json_response,
    message_payload,
    multipart_json,
    ready_payload,
    snowflake,
    user_payload,
)

__all__ = [
    "APP_ID",
    "CHANNEL_ID",
    "NSFW_CHANNEL_ID",
    "TOKEN",
    "Call",
    "FakeDiscord",
    "Sent",
    "snowflake",
    "user_payload",
]


@dataclass
class _Shard:
    ws: web.WebSocketResponse
    shard: tuple[int, int] = (0, 1)
    seq: int = 0
    ready: asyncio.Event = field(default_factory=asyncio.Event)


class FakeDiscord(InteractionBuilders):
    def __init__(self, *, heartbeat_interval_ms: int = 41250, privileged_intents: int = 0) -> None:
        self.privileged_intents = privileged_intents  # those "enabled in the portal"
        self.gateway_closes: list[int] = []  # close codes sent, in order
        self.calls: list[Call] = []
        self.identifies: list[dict[str, Any]] = []
        self.heartbeats = 0
        self.gone_channels: set[int] = set()
        self.messages: dict[str, dict[str, Any]] = {}  # "@original" per token, by token
        self.followups: dict[str, list[dict[str, Any]]] = {}  # webhook follow-ups, by token
        self.revoked_tokens: set[str] = set()  # webhook calls answer 401 Invalid Token
        self.callback_at: dict[int, float] = {}  # interaction id -> perf_counter on arrival
        self.acknowledged: set[int] = set()  # interaction ids answered (a second is refused)
        self.interactions: dict[str, int] = {}  # token -> interaction id, for its lifetime
        self.kinds: dict[int, int] = {}  # interaction id -> interaction type
        self.modals: dict[str, dict[str, Any]] = {}  # MODAL responses' data, by token
        self.cdn = FakeCdn()
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
        self.cdn.add_routes(app)
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
        self.interactions[sent.token] = sent.interaction_id
        self.kinds[sent.interaction_id] = int(payload["type"])
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
        if request.query.get("v") != rules.GATEWAY_VERSION:
            return await self._close(ws, rules.CLOSE_INVALID_API_VERSION)
        shard = _Shard(ws)
        await ws.send_str(
            json.dumps({"op": 10, "d": {"heartbeat_interval": self._heartbeat_interval_ms}})
        )
        identified = False
        try:
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    continue
                try:
                    frame = json.loads(msg.data)
                    op = frame.get("op")
                except (ValueError, AttributeError):
                    return await self._close(ws, rules.CLOSE_DECODE_ERROR)
                if op not in rules.CLIENT_OPCODES:
                    return await self._close(ws, rules.CLOSE_UNKNOWN_OPCODE)
                if op == rules.HEARTBEAT:
                    self.heartbeats += 1
                    await ws.send_str(json.dumps({"op": 11}))
                elif op == rules.IDENTIFY:
                    if identified:
                        return await self._close(ws, rules.CLOSE_ALREADY_AUTHENTICATED)
                    refusal = rules.identify_refusal(
                        frame.get("d"), token=TOKEN, privileged_intents=self.privileged_intents
                    )
                    if refusal is not None:
                        return await self._close(ws, refusal)
                    identified = True
                    await self._identify(shard, frame["d"])
                elif op == rules.RESUME:
                    identified = True  # not modelled further: a session is never resumed
                elif not identified:
                    return await self._close(ws, rules.CLOSE_NOT_AUTHENTICATED)
        finally:
            if shard in self._shards:
                self._shards.remove(shard)
        return ws

    async def _close(self, ws: web.WebSocketResponse, code: int) -> web.WebSocketResponse:
        self.gateway_closes.append(code)
        await ws.close(code=code)
        return ws

    async def _identify(self, shard: _Shard, data: dict[str, Any]) -> None:
        self.identifies.append(data)
        if data.get("shard"):
            shard.shard = (int(data["shard"][0]), int(data["shard"][1]))
        self._shards.append(shard)
        guilds = [{"id": str(GUILD_ID), "unavailable": True}] if shard.shard[0] == 0 else []
        ready = ready_payload(guilds, shard.shard, self.gateway_url)
        await self._dispatch(shard, "READY", ready)
        if guilds:
            await self._dispatch(shard, "GUILD_CREATE", guild_payload())
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
            body = await multipart_json(request)
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
                return json_response(
                    {
                        "message": "You are being rate limited.",
                        "retry_after": retry_after_s,
                        "global": is_global,
                    },
                    status=429,
                    headers={"Via": "1.1 google", "Retry-After": str(retry_after_s)},
                )
        if rules.needs_bot_auth(path) and call.authorization != f"Bot {TOKEN}":
            return json_response(rules.UNAUTHORIZED, status=401)
        return await self._route(request.method, path, body)

    async def _route(self, method: str, path: str, body: Any) -> web.Response:
        if path == "/users/@me" and method == "GET":
            return json_response({**user_payload(BOT_USER_ID, "seedream"), "bot": True})
        if path == "/oauth2/applications/@me":
            return json_response(application_payload())
        if path == "/gateway/bot":
            return json_response(gateway_bot_payload(self.gateway_url, self.recommended_shards))
        if re.fullmatch(r"/applications/\d+(/guilds/\d+)?/commands", path) and method == "PUT":
            if errors := rules.commands_errors(body or []):
                return json_response(rules.invalid_form_body(errors), status=400)
            return json_response(
                [command_echo(cmd, i) for i, cmd in enumerate(body or [], start=1)]
            )
        m = re.fullmatch(r"/interactions/(\d+)/([^/]+)/callback", path)
        if m and method == "POST":
            return self._callback(int(m[1]), m[2], body or {})
        m = re.fullmatch(rf"/webhooks/{APP_ID}/([^/]+)(/messages/(@original|\d+))?", path)
        if m:
            return self._webhook(method, m[1], m[3], body or {})
        m = re.fullmatch(r"/channels/(\d+)/messages", path)
        if m and method == "POST":
            if int(m[1]) in self.gone_channels:
                return json_response({"message": "Unknown Channel", "code": 10003}, status=404)
            if errors := rules.message_errors(body or {}):
                return json_response(rules.invalid_form_body(errors), status=400)
            return json_response(message_payload(int(m[1]), body or {}))
        if path == "/users/@me/channels" and method == "POST":
            user_id = int(body["recipient_id"])
            return json_response(
                {"id": str(user_id + 7_000_000), "type": 1, "recipients": [user_payload(user_id)]}
            )
        return json_response({"message": "404: Not Found", "code": 0}, status=404)

    def _callback(self, interaction_id: int, token: str, body: dict[str, Any]) -> web.Response:
        kind = body.get("type")
        data = body.get("data") or {}
        if rules.interaction_age_s(interaction_id) > rules.RESPONSE_DEADLINE_S:
            return json_response(rules.UNKNOWN_INTERACTION, status=404)
        if interaction_id in self.acknowledged:
            return json_response(rules.ALREADY_ACKNOWLEDGED, status=400)
        if kind == rules.MODAL:
            errors = rules.modal_errors(data)
            if self.kinds.get(interaction_id) == rules.MODAL_SUBMIT:
                errors = {"type": rules.invalid_callback_type()}
        elif kind == 8:
            errors = rules.choices_errors(data)
        else:
            errors = rules.message_errors(data)
        if errors:
            return json_response(rules.invalid_form_body(errors), status=400)
        self.acknowledged.add(interaction_id)
        if kind == rules.MODAL:
            self.modals[token] = data
        elif kind in (4, 5):
            self.messages[token] = message_payload(CHANNEL_ID, data)
        elif kind == 7 and token in self.messages:
            self.messages[token] = {**self.messages[token], **message_payload(CHANNEL_ID, data)}
        return json_response(
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
        iid = self.interactions.get(token)
        expired = iid is not None and rules.interaction_age_s(iid) > rules.TOKEN_LIFETIME_S
        if token in self.revoked_tokens or expired:
            return json_response(rules.INVALID_WEBHOOK_TOKEN, status=401)
        if method in ("POST", "PATCH") and (errors := rules.message_errors(body)):
            return json_response(rules.invalid_form_body(errors), status=400)
        if message_id is None and method == "POST":
            message = message_payload(CHANNEL_ID, body, webhook=True)
            self.followups.setdefault(token, []).append(message)
            return json_response(message)
        if message_id == "@original" and method == "PATCH":
            previous = self.messages.get(token, message_payload(CHANNEL_ID, {}, webhook=True))
            updated = {**previous, **message_payload(CHANNEL_ID, body, webhook=True)}
            updated["id"] = previous["id"]
            self.messages[token] = updated
            return json_response(updated)
        if message_id == "@original" and method == "GET" and token in self.messages:
            return json_response(self.messages[token])
        if method == "DELETE":
            self.messages.pop(token, None)
            return web.Response(status=204)
        return json_response({"message": "Unknown Webhook", "code": 10015}, status=404)

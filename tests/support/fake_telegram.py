"""A loopback fake of the Telegram Bot API, speaking its wire protocol to the real
python-telegram-bot client.

Routes ``POST /bot{token}/{method}``; bodies are form-urlencoded or multipart with
non-string fields JSON-encoded (as PTB sends them); answers ``{"ok": true, "result": …}``
or an error with the real HTTP status and ``parameters.retry_after`` on 429.
``getUpdates`` long-polls: it honours ``offset`` and waits up to ``timeout`` seconds
for an update. Tests push updates with ``push_command``/``push_callback`` and wait for
what the bot sent with ``wait_for``. File sends (by link and by multipart upload) and
the chat-level failures (a migrated group, a blocked bot, a send that times out) follow
Telegram's rules in ``fake_telegram_delivery``; files users send (photos, documents),
``getFile`` and the download endpoint ``/file/bot<token>/<file_path>`` are in
``fake_telegram_files``.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.support.fake_telegram_delivery import DeliveryApi
from tests.support.fake_telegram_files import FilesApi
from tests.support.fake_telegram_payments import StarsApi
from tests.support.fake_telegram_rules import BotApiRules
from tests.support.fake_telegram_wire import error_response, read_params

__all__ = ["BOT_TOKEN", "BOT_USERNAME", "Call", "FakeBotApi"]

BOT_TOKEN = "123456:TEST-token-for-the-fake"
BOT_ID = 123456
BOT_USERNAME = "seedream_test_bot"


@dataclass
class Call:
    """One request the bot made."""

    method: str
    params: dict[str, Any]
    at_s: float  # time.monotonic() on arrival

    def markup_buttons(self) -> list[dict[str, Any]]:
        markup = self.params.get("reply_markup") or {}
        return [b for row in markup.get("inline_keyboard", []) for b in row]


@dataclass
class _Failure:
    method: str
    remaining: int
    status: int
    description: str
    parameters: dict[str, Any] = field(default_factory=dict)


class FakeBotApi(StarsApi, BotApiRules, DeliveryApi, FilesApi):
    def __init__(self, *, token: str = BOT_TOKEN) -> None:
        self.token = token
        self.url = ""  # set by whoever serves it
        self.calls: list[Call] = []
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._changed = asyncio.Condition()
        self._failures: list[_Failure] = []
        self.webhook: dict[str, Any] | None = None
        self.commands: dict[str | None, list[dict[str, Any]]] = {}
        self._init_stars()
        self._init_rules()
        self._init_delivery()
        self._init_files()
        self._closing = False

    async def close(self) -> None:
        """End pending long polls now (so the server can stop without waiting)."""
        self._release_hangs()
        async with self._changed:
            self._closing = True
            self._changed.notify_all()

    # -- the ASGI app ------------------------------------------------------------------

    def asgi(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/bot{token}/{method}", self._endpoint, methods=["POST"]),
                Route("/file/bot{token}/{file_path:path}", self._download, methods=["GET"]),
            ]
        )

    async def _endpoint(self, request: Request) -> JSONResponse:
        if request.path_params["token"] != self.token:
            return error_response(401, "Unauthorized")
        method = request.path_params["method"]
        params = await read_params(request)
        call = Call(method, params, time.monotonic())
        failure = self._take_failure(method)
        if failure is not None:
            await self._record(call)
            return error_response(failure.status, failure.description, failure.parameters)
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            return error_response(404, "Not Found: method not found")
        await self._record(call)
        refusal = self.common_refusal(params)
        if refusal is not None:
            return error_response(400, refusal)
        chat_refusal = self._chat_refusal(params)
        if chat_refusal is not None:
            return error_response(*chat_refusal)
        result = await handler(params)
        if isinstance(result, JSONResponse):
            return result
        await self._hang_if_asked(method)  # done, but the answer never comes
        return JSONResponse({"ok": True, "result": result})

    async def _record(self, call: Call) -> None:
        async with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    def _take_failure(self, method: str) -> _Failure | None:
        for failure in self._failures:
            if failure.method == method and failure.remaining > 0:
                failure.remaining -= 1
                return failure
        return None

    def _error(self, status: int, description: str) -> JSONResponse:
        return error_response(status, description)

    def _next_message_id(self) -> int:
        return next(self._message_ids)

    # -- test controls -----------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        *,
        times: int = 1,
        retry_after_s: int | None = None,
        status: int = 429,
        description: str | None = None,
    ) -> None:
        """Answer the next ``times`` calls of ``method`` with an error (429 flood wait
        carrying ``retry_after`` by default)."""
        parameters = {"retry_after": retry_after_s} if retry_after_s is not None else {}
        description = description or (
            f"Too Many Requests: retry after {retry_after_s}"
            if status == 429
            else "Bad Request: failed on purpose"
        )
        self._failures.append(_Failure(method, times, status, description, parameters))

    async def push_update(self, payload: dict[str, Any]) -> dict[str, Any]:
        update = {"update_id": next(self._update_ids), **payload}
        async with self._changed:
            self._updates.append(update)
            self._changed.notify_all()
        return update

    async def push_updates(self, payloads: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Several updates queued at once (one getUpdates answer carries them all), as
        Telegram delivers the items of an album."""
        updates = [{"update_id": next(self._update_ids), **p} for p in payloads]
        async with self._changed:
            self._updates.extend(updates)
            self._changed.notify_all()
        return updates

    def make_update(self, payload: dict[str, Any]) -> dict[str, Any]:
        """An update with an id, for posting to a webhook instead of queueing it."""
        return {"update_id": next(self._update_ids), **payload}

    def command_payload(
        self,
        user: dict[str, Any],
        text: str,
        *,
        chat: dict[str, Any] | None = None,
        reply_to: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """A ``message`` payload whose text starts with a command (with the entity PTB's
        CommandHandler looks for), sent as a reply to the message ``reply_to`` if given."""
        command = text.split()[0]
        message = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat or private_chat(user),
            "from": user,
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": len(command)}],
        }
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        return {"message": message}

    async def push_command(
        self,
        user: dict[str, Any],
        text: str,
        *,
        chat: dict[str, Any] | None = None,
        reply_to: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        return await self.push_update(
            self.command_payload(user, text, chat=chat, reply_to=reply_to)
        )

    async def push_callback(
        self, user: dict[str, Any], data: str, *, message: Call | dict[str, Any]
    ) -> dict[str, Any]:
        """A button press on a message the bot sent (given as the Call that sent it or
        as a message dict)."""
        msg = message if isinstance(message, dict) else self.sent_message(message)
        return await self.push_update(
            {
                "callback_query": {
                    "id": str(next(self._message_ids)),
                    "from": user,
                    "chat_instance": "ci-1",
                    "data": data,
                    "message": msg,
                }
            }
        )

    def sent_message(self, call: Call) -> dict[str, Any]:
        """The Message the fake answered ``call`` with."""
        return call.params["_answer"]

    async def wait_for(
        self,
        method: str,
        predicate: Callable[[Call], bool] = lambda _: True,
        *,
        after: int = 0,
        timeout_s: float = 15.0,
    ) -> Call:
        """The first call of ``method`` (from index ``after`` on) matching ``predicate``."""
        async with asyncio.timeout(timeout_s), self._changed:
            while True:
                for call in self.calls[after:]:
                    if call.method == method and predicate(call):
                        return call
                await self._changed.wait()

    async def wait_count(
        self, method: str, count: int, *, after: int = 0, timeout_s: float = 15.0
    ) -> list[Call]:
        async with asyncio.timeout(timeout_s), self._changed:
            while True:
                found = [c for c in self.calls[after:] if c.method == method]
                if len(found) >= count:
                    return found
                await self._changed.wait()

    def of(self, method: str, *, after: int = 0) -> list[Call]:
        return [c for c in self.calls[after:] if c.method == method]

    def mark(self) -> int:
        """An index for ``wait_for(after=...)``: only calls made from now on."""
        return len(self.calls)

    # -- Bot API methods ---------------------------------------------------------------

    async def _m_getMe(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "Seedream",
            "username": BOT_USERNAME,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _m_getUpdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        timeout_s = float(params.get("timeout") or 0)
        limit = int(params.get("limit") or 100)
        async with self._changed:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            if not self._updates and timeout_s > 0:
                try:
                    async with asyncio.timeout(timeout_s):
                        while not self._updates and not self._closing:
                            await self._changed.wait()
                except TimeoutError:
                    pass
            return self._updates[:limit]

    async def _m_deleteWebhook(self, params: dict[str, Any]) -> bool:
        self.webhook = None
        return True

    async def _m_setWebhook(self, params: dict[str, Any]) -> bool | JSONResponse:
        if (refusal := self.webhook_refusal(params)) is not None:
            return error_response(400, refusal)
        self.webhook = dict(params)
        return True

    async def _m_setMyCommands(self, params: dict[str, Any]) -> bool | JSONResponse:
        if (refusal := self.commands_refusal(params)) is not None:
            return error_response(400, refusal)
        self.commands[params.get("language_code")] = params["commands"]
        return True

    async def _m_sendChatAction(self, params: dict[str, Any]) -> bool:
        return True

    async def _m_answerCallbackQuery(self, params: dict[str, Any]) -> bool | JSONResponse:
        if (refusal := self.callback_answer_refusal(params)) is not None:
            return error_response(400, refusal)
        return True

    async def _m_sendMessage(self, params: dict[str, Any]) -> dict[str, Any] | JSONResponse:
        if (refusal := self.text_refusal(params)) is not None:
            return error_response(400, refusal)
        return self._answer(params, text=params.get("text", ""))

    async def _m_editMessageText(self, params: dict[str, Any]) -> dict[str, Any] | JSONResponse:
        refusal = self.text_refusal(params) or self.edit_refusal(params)
        if refusal is not None:
            return error_response(400, refusal)
        return self._answer(params, text=params.get("text", ""), message_id=params["message_id"])

    async def _m_editMessageReplyMarkup(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._answer(params, message_id=params["message_id"])

    async def _m_deleteMessage(self, params: dict[str, Any]) -> bool:
        return True

    def _answer(
        self, params: dict[str, Any], *, message_id: int | None = None, **content: Any
    ) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        chat = (
            {"id": chat_id, "type": "private", "first_name": "User"}
            if chat_id > 0
            else {"id": chat_id, "type": "supergroup", "title": "Group"}
        )
        message = {
            "message_id": int(message_id) if message_id else next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "Seedream"},
            **{k: v for k, v in content.items() if v is not None},
        }
        if "reply_markup" in params:
            message["reply_markup"] = params["reply_markup"]
        params["_answer"] = message
        self.remember(message)
        return message


def user(user_id: int, *, language_code: str = "en", first_name: str = "Ada") -> dict[str, Any]:
    return {
        "id": user_id,
        "is_bot": False,
        "first_name": first_name,
        "language_code": language_code,
    }


def private_chat(user: dict[str, Any]) -> dict[str, Any]:
    return {"id": user["id"], "type": "private", "first_name": user["first_name"]}


def group_chat(chat_id: int = -1001234567890) -> dict[str, Any]:
    return {"id": chat_id, "type": "supergroup", "title": "Artists"}

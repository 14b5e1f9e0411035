"""Flood limits for the Bot API: at most one message per chat per interval (in the
order asked), a group budget per minute, an overall budget per second, and a 429's
``retry_after`` honoured by pausing every request and trying again, except the answers
to pre-checkout and callback queries: Telegram cancels a payment whose pre-checkout query
is not answered within 10 s, and a button's spinner waits for its answer, so they go out
at once, paused or not.

PTB's own ``AIORateLimiter`` limits groups only and lets concurrent requests to one
chat overtake each other; results must arrive in order, so each chat has a FIFO gate.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

log = logging.getLogger("seedream.telegram")

_UNGATED = frozenset({"sendChatAction"})  # cosmetic; never delays a message
# Answers with a deadline: never held by a flood pause (a 429 on one of them is raised).
_UNPAUSED = frozenset({"answerPreCheckoutQuery", "answerCallbackQuery"})
_MAX_GATES = 4096


class _ChatGate:
    __slots__ = ("lock", "next_at")

    def __init__(self) -> None:
        self.lock = asyncio.Lock()  # FIFO: waiters acquire in arrival order
        self.next_at = 0.0


class FloodLimiter(BaseRateLimiter[int]):
    def __init__(
        self,
        *,
        chat_interval_s: float = 1.0,
        overall_per_s: float = 30.0,
        group_per_minute: float = 20.0,
        max_retries: int = 3,
        group_window_s: float = 60.0,  # tests compress the minute
    ) -> None:
        self._chat_interval_s = chat_interval_s
        self._overall = AsyncLimiter(overall_per_s, 1) if overall_per_s > 0 else None
        self._group_per_minute = group_per_minute
        self._group_window_s = group_window_s
        self._groups: dict[int, AsyncLimiter] = {}
        self._gates: dict[int, _ChatGate] = {}
        self._max_retries = max_retries
        self._resume = asyncio.Event()
        self._resume.set()

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        if endpoint in _UNPAUSED:
            return await callback(*args, **kwargs)
        chat_id = _chat_id(data.get("chat_id"))
        if chat_id is None:
            return await self._send(callback, args, kwargs, rate_limit_args)
        if endpoint in _UNGATED:
            async with self._overall_slot():
                return await self._send(callback, args, kwargs, rate_limit_args)
        gate = self._gate(chat_id)
        async with gate.lock:
            loop = asyncio.get_running_loop()
            delay_s = gate.next_at - loop.time()
            if delay_s > 0:
                await asyncio.sleep(delay_s)
            group = self._group(chat_id)
            async with group if group is not None else contextlib.nullcontext():
                async with self._overall_slot():
                    try:
                        return await self._send(callback, args, kwargs, rate_limit_args)
                    finally:
                        gate.next_at = loop.time() + self._chat_interval_s

    async def _send(self, callback, args, kwargs, rate_limit_args: int | None):
        max_retries = self._max_retries if rate_limit_args is None else rate_limit_args
        for attempt in range(max_retries + 1):
            await self._resume.wait()
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                if attempt == max_retries:
                    raise
                wait_s = _seconds(exc.retry_after) + 0.1
                log.warning("flood limit hit; pausing all requests for %.1f s", wait_s)
                self._resume.clear()
                try:
                    await asyncio.sleep(wait_s)
                finally:
                    self._resume.set()
        raise AssertionError("unreachable")

    def _overall_slot(self):
        return self._overall if self._overall is not None else contextlib.nullcontext()

    def _gate(self, chat_id: int) -> _ChatGate:
        gate = self._gates.get(chat_id)
        if gate is None:
            if len(self._gates) >= _MAX_GATES:
                self._forget_idle_gates()
            gate = self._gates[chat_id] = _ChatGate()
        return gate

    def _forget_idle_gates(self) -> None:
        now = asyncio.get_running_loop().time()
        for key, gate in list(self._gates.items()):
            if not gate.lock.locked() and gate.next_at <= now:
                del self._gates[key]

    def _group(self, chat_id: int) -> AsyncLimiter | None:
        if chat_id > 0 or self._group_per_minute <= 0:
            return None  # private chats have no per-minute budget
        limiter = self._groups.get(chat_id)
        if limiter is None:
            if len(self._groups) >= _MAX_GATES:
                self._groups.clear()  # idle groups: their budget is refilled anyway
            limiter = self._groups[chat_id] = AsyncLimiter(
                self._group_per_minute, self._group_window_s
            )
        return limiter


def _seconds(value: int | float | dt.timedelta) -> float:
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)


def _chat_id(raw: object) -> int | None:
    if not isinstance(raw, int | str):
        return None
    try:
        return int(raw)
    except ValueError:
        return None  # None, or a channel @username (not used by this bot)

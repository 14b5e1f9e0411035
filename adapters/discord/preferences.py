"""Who prefers private replies, kept in memory.

Discord needs the acknowledgement within 3 s, and whether it is ephemeral is decided
then, so the choice must not wait for the database (a read per interaction on the
acknowledgement path took p99 from 38 ms to 2.6 s with a busy worker). The set is loaded
at start, changed at once when /settings (or /forgetme) changes it in this process, and
reloaded every ``refresh_s`` for changes made through another process (a shard, another
platform of a linked account).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger("seedream.discord")


class PrivateReplies:
    def __init__(self, load: Callable[[], Awaitable[frozenset[str]]], refresh_s: float) -> None:
        self._load = load
        self.refresh_s = refresh_s
        self._users: set[str] = set()
        self._changed: dict[str, bool] = {}  # set here while a reload was running

    def __contains__(self, user_id: str) -> bool:
        return user_id in self._users

    def set(self, user_id: str, private: bool) -> None:
        self._changed[user_id] = private
        if private:
            self._users.add(user_id)
        else:
            self._users.discard(user_id)

    async def refresh(self) -> None:
        """Reload from the core; changes made here during the load are kept."""
        self._changed.clear()
        loaded = set(await self._load())
        for user_id, private in self._changed.items():
            if private:
                loaded.add(user_id)
            else:
                loaded.discard(user_id)
        self._users = loaded

    async def run(self) -> None:
        """Reload every ``refresh_s`` until cancelled; a failed reload keeps the last set."""
        while True:
            await asyncio.sleep(self.refresh_s)
            try:
                await self.refresh()
            except Exception:
                log.exception("could not reload the private replies preferences")

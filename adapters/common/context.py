"""What a chat handler needs from its platform, whichever platform it is.

The console adapter, a Discord interaction and a Telegram update each offer these: who
speaks (an ``Actor``, built by the adapter), in which language, the message keys
rendered in that language, and a way to answer. A handler written against
``ChatContext`` (``adapters.common.flows``) runs on all three.
"""

from __future__ import annotations

from typing import Any, Protocol

from core import Actor, Core


class ChatContext(Protocol):
    @property
    def core(self) -> Core: ...

    @property
    def actor(self) -> Actor: ...

    @property
    def locale(self) -> str | None:
        """The locale the user is answered in: the language chosen in /settings, else
        the platform's (``en-US``, ``de``, ...); see ``Core.reply_locale``."""
        ...

    def t(self, key: str, **params: Any) -> str:
        """``key`` rendered in the user's language."""
        ...

    async def reply(self, text: str) -> object:
        """Answer the user: a new message, or the interaction's own reply edited."""
        ...

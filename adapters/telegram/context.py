"""What a handler needs from one update: who speaks (an ``Actor``), where to answer,
in which language, and the adapter's services."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from telegram import CallbackQuery, Chat, InlineKeyboardMarkup, LinkPreviewOptions, Message, Update
from telegram.constants import ChatType

from adapters.telegram.config import PLATFORM
from adapters.telegram.references import Albums
from core import Actor, Core, Messages, ReplyTarget, effective_locale

_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


@dataclass(frozen=True, slots=True)
class Services:
    """The bootstrapped pieces a handler may use; nothing else."""

    core: Core
    messages: Messages
    nsfw_chat_ids: frozenset[int] = frozenset()  # SEEDREAM_TELEGRAM_NSFW_CHATS
    admin_user_ids: frozenset[int] = frozenset()  # SEEDREAM_TELEGRAM_ADMIN_IDS
    # Albums whose items are still arriving (reference images for /imagine).
    albums: Albums = field(default_factory=lambda: Albums(quiet_s=1.0, max_wait_s=5.0))
    download_timeout_s: float = 60.0  # one reference image from Telegram's file link


@dataclass(slots=True)
class Ctx:
    """One update. Its replies are worded in the language chosen in /settings, else in
    the user's ``language_code``: ``settle_locale`` reads it once (``commands.dispatch``
    and the adapter's other handlers call it first), or a handler that reads the
    account anyway gives it with ``answer_in`` (no second read)."""

    update: Update
    services: Services
    bot_username: str
    _locale: str | None = None
    _locale_settled: bool = False

    @property
    def core(self) -> Core:
        return self.services.core

    @property
    def platform_locale(self) -> str | None:
        user = self.update.effective_user
        return user.language_code if user is not None else None

    @property
    def locale(self) -> str | None:
        """The locale replies are worded in (the platform's until settled)."""
        return self._locale if self._locale_settled else self.platform_locale

    async def settle_locale(self) -> None:
        """Read the chosen language, once per update (``Core.reply_locale`` never
        raises: a failed read leaves the platform's locale)."""
        if not self._locale_settled:
            self.answer_in_locale(await self.core.reply_locale(self.actor))

    def answer_in(self, language: str | None) -> None:
        """The account's stored language, from a read the handler made anyway."""
        self.answer_in_locale(effective_locale(language, self.platform_locale))

    def answer_in_locale(self, locale: str | None) -> None:
        self._locale, self._locale_settled = locale, True

    @property
    def chat(self) -> Chat:
        chat = self.update.effective_chat
        assert chat is not None  # app.py makes a Ctx only for updates from a chat
        return chat

    @property
    def chat_id(self) -> int:
        return self.chat.id

    @property
    def is_private(self) -> bool:
        return self.chat.type == ChatType.PRIVATE

    @property
    def query(self) -> CallbackQuery:
        """The button press; only the handlers of button presses ask for it."""
        query = self.update.callback_query
        assert query is not None
        return query

    @property
    def actor(self) -> Actor:
        """The speaker, and whether this chat allows age-restricted models (the core
        checks every paid request and default-model choice against it)."""
        actor = actor_of(self.update)
        if self.chat_id in self.services.nsfw_chat_ids:
            return replace(actor, nsfw_allowed=True)
        return actor

    @property
    def request_key(self) -> str:
        """This update's id, unique per bot: Telegram delivers an update again when the
        bot did not confirm it (a crash in polling mode, a failed webhook call), and the
        core then finds the job it already made instead of charging again."""
        return f"{PLATFORM}:{self.update.get_bot().id}:{self.update.update_id}"

    def t(self, key: str, **params: Any) -> str:
        return self.services.messages.render(key, self.locale, **params)

    def reply_target(self, status: Message, *, as_file: bool) -> ReplyTarget:
        """Where a job's progress and result go: the status message to edit, its chat."""
        data: dict[str, Any] = {"chat_id": status.chat_id, "message_id": status.message_id}
        if as_file:
            data["as_file"] = True
        return ReplyTarget(PLATFORM, data)

    async def reply(self, text: str, markup: InlineKeyboardMarkup | None = None) -> Message:
        """Answer in the chat the update came from."""
        return await self.update.get_bot().send_message(
            self.chat_id, text, reply_markup=markup, link_preview_options=_NO_PREVIEW
        )


def actor_of(update: Update) -> Actor:
    """The speaker. No display name is kept: the numeric id is enough to find the
    account, and less personal data is stored."""
    user = update.effective_user
    # Commands, button presses, payments and private messages: each has a sender.
    assert user is not None
    chat = update.effective_chat
    return Actor(
        PLATFORM,
        str(user.id),
        display_name=None,
        locale=user.language_code,
        chat_id=str(chat.id) if chat is not None else None,
    )

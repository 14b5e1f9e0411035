"""The interactions the loopback fake Discord sends (``tests/support/fake_discord.py``):
slash commands and autocomplete (with USER and ATTACHMENT options resolved), button
clicks, message commands and modal submits, shaped as in
/interactions/receiving-and-responding ("Interaction Object") and checked against
discord.py's ``discord/types/interactions.py``."""

from __future__ import annotations

from typing import Any

from tests.support.discord_cdn import FakeCdn
from tests.support.discord_payloads import (
    CHANNEL_ID,
    interaction_payload,
    message_command_data,
    modal_submit_data,
    user_payload,
)


class InteractionBuilders:
    """Mixed into ``FakeDiscord``: payloads to pass to its ``send``."""

    port: int
    cdn: FakeCdn

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
        attachments: tuple[dict[str, Any], ...] = (),
    ) -> dict[str, Any]:
        """A slash command (``kind`` 2) or autocomplete (``kind`` 4) interaction;
        ``users`` are the ids a USER option refers to, ``attachments`` the objects
        ATTACHMENT options (type 11, value the attachment id) refer to (``resolved``)."""
        data: dict[str, Any] = {"id": "1", "name": name, "type": 1}
        if options:
            data["options"] = options
        if users:
            resolved = {"users": {str(u): user_payload(u, f"user{u}") for u in users}}
            data.setdefault("resolved", {}).update(resolved)
        if attachments:
            resolved = {"attachments": {a["id"]: a for a in attachments}}
            data.setdefault("resolved", {}).update(resolved)
        return interaction_payload(kind, data, user_id, locale, channel_id, nsfw, guild)

    def attachment(self, data: bytes, filename: str = "ref.png", **kwargs: Any) -> dict[str, Any]:
        """An attachment served by the fake CDN (see ``FakeCdn.attachment``)."""
        return self.cdn.attachment(f"http://127.0.0.1:{self.port}", data, filename, **kwargs)

    def message_command(
        self, name: str, message: dict[str, Any], *, user_id: int = 4000, locale: str = "en-US"
    ) -> dict[str, Any]:
        """A MESSAGE command (right click on ``message``, Apps > ``name``)."""
        data = message_command_data(name, message)
        return interaction_payload(2, data, user_id, locale, CHANNEL_ID, False, True)

    def modal_submit(
        self, modal: dict[str, Any], values: dict[str, str], *, user_id: int = 4000
    ) -> dict[str, Any]:
        """The user submits ``modal`` (a MODAL response's data, see ``modals``) with
        ``values`` by text input custom_id."""
        data = modal_submit_data(modal, values)
        return interaction_payload(5, data, user_id, "en-US", CHANNEL_ID, False, True)

    def component(
        self,
        custom_id: str,
        message: dict[str, Any],
        *,
        user_id: int = 4000,
        locale: str = "en-US",
        channel_id: int = CHANNEL_ID,
        nsfw: bool = False,
    ) -> dict[str, Any]:
        """A button click on ``message`` (as the fake last stored it)."""
        data = {"custom_id": custom_id, "component_type": 2}
        payload = interaction_payload(3, data, user_id, locale, channel_id, nsfw, True)
        payload["message"] = message
        return payload

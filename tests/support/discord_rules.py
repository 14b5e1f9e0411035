"""What Discord refuses, for the loopback fake (``tests/support/fake_discord.py``): only
the rules our client relies on, each from the Discord developer documentation
(https://discord.com/developers/docs, the ``discord/discord-api-docs`` repository) and
checked against discord.py 2.7, which enforces none of them itself (it sends what it is
given and raises ``HTTPException`` with Discord's code):

- Receiving and responding (/interactions/receiving-and-responding):
  the initial response within 3 s of the interaction, else 404 10062 "Unknown
  interaction"; one initial response, a second is 400 40060 "Interaction has already
  been acknowledged"; the token works for follow-ups and ``@original`` edits for 15
  minutes, then 401 50027 "Invalid Webhook Token"; an autocomplete result
  (callback type 8) carries at most 25 choices.
- Application commands (/interactions/application-commands, "Application Command Option
  Choice Structure"): a choice's ``name`` is 1-100 characters.
- Create message (/resources/message#create-message): ``content`` up to 2000
  characters, up to 10 ``embeds``.
- Embed limits (/resources/message#embed-object-embed-limits): title 256, description
  4096, and all embeds of a message together 6000 characters.
- Embed image (/resources/message#embed-object-embed-image-structure): "source url of
  image (only supports http(s) and attachments)"; another scheme is refused as
  ``URL_TYPE_INVALID_SCHEME`` (the answer quoted in discord/discord-api-docs#5837).
- Components (/components/reference, "Action Row" and "Button"): up to 5 action rows
  in a message, up to 5 buttons in a row, a ``custom_id`` of 1-100 characters.
- JSON error codes (/topics/opcodes-and-status-codes#json-json-error-codes): a
  refused body is 400 50035 "Invalid Form Body" with an ``errors`` object naming the
  field.
- Authentication (/reference#authentication): every REST call but interaction callbacks
  and webhook (follow-up) calls, which carry their token in the path, needs
  ``Authorization: Bot <token>``; without it (or with another token) 401
  ``{"message": "401: Unauthorized", "code": 0}``.
- Gateway (/topics/gateway, "Connecting", "Identifying", "Privileged Intents", and the
  close event codes of /topics/opcodes-and-status-codes#gateway-gateway-close-event-codes):
  the URL names the API version (``v=10``; another is closed with 4012); a client sends
  only its opcodes (1, 2, 3, 4, 6, 8, 31; others 4001), as JSON (else 4002); nothing but
  a heartbeat before IDENTIFY or RESUME (4003); the IDENTIFY token must be the bot's
  (4004); a second IDENTIFY is 4005; a ``shard`` ``[id, count]`` needs 0 <= id < count
  (4010); privileged intents (GUILD_MEMBERS, GUILD_PRESENCES, MESSAGE_CONTENT) not
  enabled for the app are 4014.
"""

from __future__ import annotations

import time
from typing import Any

from tests.support.discord_payloads import DISCORD_EPOCH_MS

RESPONSE_DEADLINE_S = 3.0
TOKEN_LIFETIME_S = 15 * 60
MAX_CONTENT_CHARS = 2000
MAX_EMBEDS = 10
MAX_EMBED_TITLE = 256
MAX_EMBED_DESCRIPTION = 4096
MAX_EMBEDS_TOTAL_CHARS = 6000
IMAGE_URL_SCHEMES = ("http://", "https://", "attachment://")
MAX_ACTION_ROWS = 5
MAX_BUTTONS_PER_ROW = 5
MAX_CUSTOM_ID_CHARS = 100
MAX_CHOICES = 25
MAX_CHOICE_NAME_CHARS = 100

UNKNOWN_INTERACTION = {"message": "Unknown interaction", "code": 10062}
ALREADY_ACKNOWLEDGED = {"message": "Interaction has already been acknowledged.", "code": 40060}
INVALID_WEBHOOK_TOKEN = {"message": "Invalid Webhook Token", "code": 50027}


def interaction_age_s(interaction_id: int) -> float:
    """Seconds since the interaction was created (its snowflake's timestamp)."""
    return time.time() - ((interaction_id >> 22) + DISCORD_EPOCH_MS) / 1000


def invalid_form_body(errors: dict[str, Any]) -> dict[str, Any]:
    return {"message": "Invalid Form Body", "code": 50035, "errors": errors}


def _error(code: str, message: str) -> dict[str, Any]:
    return {"_errors": [{"code": code, "message": message}]}


def _too_long(limit: int) -> dict[str, Any]:
    return _error("BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")


def _bad_scheme(url: str) -> dict[str, Any]:
    scheme = url.split(":", 1)[0] if ":" in url else ""
    return _error(
        "URL_TYPE_INVALID_SCHEME",
        f"Scheme \"{scheme}\" is not supported. Scheme must be one of ('http', 'https').",
    )


def message_errors(body: dict[str, Any]) -> dict[str, Any]:
    """The ``errors`` object Discord answers for a message body; empty when valid."""
    errors: dict[str, Any] = {}
    content = body.get("content")
    if isinstance(content, str) and len(content) > MAX_CONTENT_CHARS:
        errors["content"] = _too_long(MAX_CONTENT_CHARS)
    embeds = body.get("embeds") or []
    if len(embeds) > MAX_EMBEDS:
        errors["embeds"] = _too_long(MAX_EMBEDS)
    total = 0
    for i, embed in enumerate(embeds):
        title, description = embed.get("title") or "", embed.get("description") or ""
        if len(title) > MAX_EMBED_TITLE:
            errors.setdefault("embeds", {})[str(i)] = {"title": _too_long(MAX_EMBED_TITLE)}
        if len(description) > MAX_EMBED_DESCRIPTION:
            field = {"description": _too_long(MAX_EMBED_DESCRIPTION)}
            errors.setdefault("embeds", {}).setdefault(str(i), {}).update(field)
        image_url = (embed.get("image") or {}).get("url")
        if image_url is not None and not image_url.startswith(IMAGE_URL_SCHEMES):
            field = {"image": {"url": _bad_scheme(image_url)}}
            errors.setdefault("embeds", {}).setdefault(str(i), {}).update(field)
        total += len(title) + len(description) + len((embed.get("footer") or {}).get("text", ""))
        total += sum(
            len(f.get("name", "")) + len(f.get("value", "")) for f in embed.get("fields") or []
        )
        total += len((embed.get("author") or {}).get("name", ""))
    if total > MAX_EMBEDS_TOTAL_CHARS:
        errors["embeds"] = _error(
            "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000"
        )
    rows = body.get("components") or []
    if len(rows) > MAX_ACTION_ROWS:
        errors["components"] = _too_long(MAX_ACTION_ROWS)
    for r, row in enumerate(rows):
        buttons = row.get("components") or []
        if len(buttons) > MAX_BUTTONS_PER_ROW:
            errors.setdefault("components", {})[str(r)] = {
                "components": _too_long(MAX_BUTTONS_PER_ROW)
            }
        for b, button in enumerate(buttons):
            custom_id = button.get("custom_id")
            if custom_id is not None and not 1 <= len(custom_id) <= MAX_CUSTOM_ID_CHARS:
                where = errors.setdefault("components", {}).setdefault(str(r), {})
                where.setdefault("components", {})[str(b)] = {
                    "custom_id": _too_long(MAX_CUSTOM_ID_CHARS)
                }
    return errors


def choices_errors(data: dict[str, Any]) -> dict[str, Any]:
    """The ``errors`` object for an autocomplete result's ``data``; empty when valid."""
    choices = data.get("choices") or []
    if len(choices) > MAX_CHOICES:
        return {"data": {"choices": _too_long(MAX_CHOICES)}}
    for i, choice in enumerate(choices):
        if not 1 <= len(choice.get("name") or "") <= MAX_CHOICE_NAME_CHARS:
            return {"data": {"choices": {str(i): {"name": _too_long(MAX_CHOICE_NAME_CHARS)}}}}
    return {}


# -- gateway ----------------------------------------------------------------------------

GATEWAY_VERSION = "10"
CLIENT_OPCODES = frozenset({1, 2, 3, 4, 6, 8, 31})
HEARTBEAT, IDENTIFY, RESUME = 1, 2, 6
CLOSE_UNKNOWN_OPCODE = 4001
CLOSE_DECODE_ERROR = 4002
CLOSE_NOT_AUTHENTICATED = 4003
CLOSE_AUTHENTICATION_FAILED = 4004
CLOSE_ALREADY_AUTHENTICATED = 4005
CLOSE_INVALID_SHARD = 4010
CLOSE_INVALID_API_VERSION = 4012
CLOSE_DISALLOWED_INTENTS = 4014
# /topics/gateway#gateway-intents: GUILD_MEMBERS (1 << 1), GUILD_PRESENCES (1 << 8),
# MESSAGE_CONTENT (1 << 15) are privileged.
PRIVILEGED_INTENTS = (1 << 1) | (1 << 8) | (1 << 15)
UNAUTHORIZED = {"message": "401: Unauthorized", "code": 0}


def identify_refusal(data: Any, *, token: str, privileged_intents: int) -> int | None:
    """The close code Discord answers an IDENTIFY with, or None when it is accepted."""
    if not isinstance(data, dict) or data.get("token") != token:
        return CLOSE_AUTHENTICATION_FAILED
    shard = data.get("shard")
    if shard is not None:
        if not (isinstance(shard, list) and len(shard) == 2 and 0 <= shard[0] < shard[1]):
            return CLOSE_INVALID_SHARD
    intents = int(data.get("intents") or 0)
    if intents & PRIVILEGED_INTENTS & ~privileged_intents:
        return CLOSE_DISALLOWED_INTENTS
    return None


def needs_bot_auth(path: str) -> bool:
    """Interaction callbacks and webhook calls authenticate by the token in their path."""
    return not (path.startswith("/interactions/") or path.startswith("/webhooks/"))

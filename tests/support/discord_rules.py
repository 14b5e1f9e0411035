r"""What Discord refuses, for the loopback fake (``tests/support/fake_discord.py``): only
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
- Registering commands (/interactions/application-commands: "Application Command
  Naming", "Application Command Structure", "Application Command Option Structure",
  "Registering a Command", "Message Commands"; checked in :func:`commands_errors`): a
  CHAT_INPUT name (and option name) matches ``^[-_'\p{L}\p{N}]{1,32}$`` in lowercase, a
  USER or MESSAGE name is 1-32 characters of any case with spaces; a CHAT_INPUT
  description is 1-100 characters, a USER or MESSAGE command has none (an empty string
  at most) and no options; at most 25 options, unique names, required ones first; option
  types 1-11; ``choices`` (at most 25) only on STRING, INTEGER and NUMBER and never with
  ``autocomplete``; ``min_length``/``max_length`` 0-6000 / 1-6000 on STRING only;
  ``file_types`` (at most 10) on ATTACHMENT only; per application at most 100
  CHAT_INPUT, 15 USER and 15 MESSAGE commands, names unique per type. Localizations
  (/interactions/application-commands "Localization", /reference#locales): the keys of
  ``name_localizations`` and ``description_localizations`` (of commands, options and
  choices) are Discord's locales (``en-US``, ``es-ES``, ``es-419``, ``pt-BR``, ``de``,
  ...; taken from discord.py's ``discord.Locale``, never ``es`` or ``pt``), each value
  held to the field's own limits (a description 1-100 characters).
- Modals (/interactions/receiving-and-responding "Interaction Callback Type" and
  "Modal"; /components/reference "Action Row", "Label", "Text Input"; checked in
  :func:`modal_errors`): a MODAL response (type 9) has a ``custom_id`` of 1-100
  characters, a ``title`` of 1-45, and 1-5 components, each a Label (type 18: ``label``
  1-45 characters, ``description`` up to 100, one ``component``) or, the deprecated
  form, an Action Row (type 1) holding one Text Input, whose own ``label`` (1-45) is
  then required; a Text Input (type 4) has a ``custom_id`` of 1-100, ``style`` 1 or 2,
  ``min_length`` 0-4000, ``max_length`` 1-4000, ``placeholder`` up to 100 and ``value``
  up to 4000 characters. A modal is no answer to a MODAL_SUBMIT (or PING) interaction.
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

import re
import time
from typing import Any

import discord

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


# -- registering commands --------------------------------------------------------------

CHAT_INPUT, USER_COMMAND, MESSAGE_COMMAND = 1, 2, 3
SUB_COMMAND, SUB_COMMAND_GROUP, STRING, INTEGER, NUMBER, ATTACHMENT = 1, 2, 3, 4, 10, 11
OPTION_TYPES = range(1, 12)
MAX_COMMANDS = {CHAT_INPUT: 100, USER_COMMAND: 15, MESSAGE_COMMAND: 15}
MAX_OPTIONS = 25
MAX_NAME_CHARS = 32
MAX_DESCRIPTION_CHARS = 100
MAX_STRING_LENGTH = 6000
MAX_FILE_TYPES = 10
# Discord's regex uses \p{L}, \p{N} (Python's \w without "_" is close enough here).
_CHAT_NAME = re.compile(r"^[-_'\w]{1,32}$")
DISCORD_LOCALES = frozenset(locale.value for locale in discord.Locale)


def _localizations_errors(thing: dict[str, Any], *, chat_name: bool) -> dict[str, Any]:
    """Each localizations dict of ``thing``: a Discord locale to a text within the
    field's own limits (a CHAT_INPUT name lowercase, 1-32 characters; a context-menu
    name 1-32; a description 1-100)."""

    def name_ok(text: str) -> bool:
        if chat_name:
            return bool(_CHAT_NAME.fullmatch(text)) and text == text.lower()
        return 1 <= len(text) <= MAX_NAME_CHARS

    def description_ok(text: str) -> bool:
        return 1 <= len(text) <= MAX_DESCRIPTION_CHARS

    errors: dict[str, Any] = {}
    for field, valid, limit in (
        ("name_localizations", name_ok, MAX_NAME_CHARS),
        ("description_localizations", description_ok, MAX_DESCRIPTION_CHARS),
    ):
        found: dict[str, Any] = {}
        for locale, text in (thing.get(field) or {}).items():
            if locale not in DISCORD_LOCALES:
                found[locale] = _invalid(f"Invalid locale {locale!r}.")
            elif not isinstance(text, str) or not valid(text):
                found[locale] = _too_long(limit)
        if found:
            errors[field] = found
    return errors


def _invalid(message: str) -> dict[str, Any]:
    return _error("BASE_TYPE_BAD_VALUE", message)


def _option_errors(option: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    name, kind = option.get("name") or "", option.get("type")
    if not _CHAT_NAME.fullmatch(name) or name != name.lower():
        errors["name"] = _invalid("Command name is invalid")
    if not 1 <= len(option.get("description") or "") <= MAX_DESCRIPTION_CHARS:
        errors["description"] = _too_long(MAX_DESCRIPTION_CHARS)
    if kind not in OPTION_TYPES:
        errors["type"] = _invalid("Value must be one of {1, ..., 11}.")
    errors.update(_localizations_errors(option, chat_name=True))
    choices = option.get("choices")
    if choices is not None:
        if kind not in (STRING, INTEGER, NUMBER) or option.get("autocomplete"):
            errors["choices"] = _invalid("Choices are not allowed here.")
        elif len(choices) > MAX_CHOICES:
            errors["choices"] = _too_long(MAX_CHOICES)
        elif found := {
            str(i): e
            for i, choice in enumerate(choices)
            if (e := _choice_localizations_errors(choice))
        }:
            errors["choices"] = found
    for key, low in (("min_length", 0), ("max_length", 1)):
        if key in option and (kind != STRING or not low <= option[key] <= MAX_STRING_LENGTH):
            errors[key] = _invalid(f"{key} must be between {low} and {MAX_STRING_LENGTH}.")
    file_types = option.get("file_types")
    if file_types is not None and (kind != ATTACHMENT or len(file_types) > MAX_FILE_TYPES):
        errors["file_types"] = _invalid("file_types is only for ATTACHMENT options, up to 10.")
    nested = option.get("options")
    if nested is not None:
        if kind not in (SUB_COMMAND, SUB_COMMAND_GROUP):
            errors["options"] = _invalid("Only subcommands have options.")
        elif found := _options_errors(nested):
            errors["options"] = found
    return errors


def _choice_localizations_errors(choice: dict[str, Any]) -> dict[str, Any]:
    """A choice's ``name_localizations``: Discord locales to names of 1-100 characters."""
    found = {
        locale: _invalid(f"Invalid locale {locale!r}.")
        if locale not in DISCORD_LOCALES
        else _too_long(MAX_CHOICE_NAME_CHARS)
        for locale, text in (choice.get("name_localizations") or {}).items()
        if locale not in DISCORD_LOCALES or not 1 <= len(text or "") <= MAX_CHOICE_NAME_CHARS
    }
    return {"name_localizations": found} if found else {}


def _options_errors(options: list[dict[str, Any]]) -> dict[str, Any]:
    if len(options) > MAX_OPTIONS:
        return _too_long(MAX_OPTIONS)
    errors: dict[str, Any] = {}
    names = [o.get("name") for o in options]
    optional_seen = False
    for i, option in enumerate(options):
        found = _option_errors(option)
        if names.count(option.get("name")) > 1:
            found["name"] = _error("APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS", "Duplicate")
        if option.get("type") not in (SUB_COMMAND, SUB_COMMAND_GROUP):
            if option.get("required") and optional_seen:
                found["required"] = _error(
                    "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                    "Required options must be placed before non-required options",
                )
            optional_seen = optional_seen or not option.get("required")
        if found:
            errors[str(i)] = found
    return errors


def command_errors(command: dict[str, Any]) -> dict[str, Any]:
    """The ``errors`` object Discord answers for one command of a bulk overwrite."""
    errors: dict[str, Any] = {}
    kind = command.get("type", CHAT_INPUT)
    name = command.get("name") or ""
    description = command.get("description")
    names = [name, *(command.get("name_localizations") or {}).values()]
    if kind == CHAT_INPUT:
        if not all(_CHAT_NAME.fullmatch(n) and n == n.lower() for n in names):
            errors["name"] = _invalid("Command name is invalid")
        if not 1 <= len(description or "") <= MAX_DESCRIPTION_CHARS:
            errors["description"] = _too_long(MAX_DESCRIPTION_CHARS)
        errors.update(_localizations_errors(command, chat_name=True))
        if found := _options_errors(command.get("options") or []):
            errors["options"] = found
    elif kind in (USER_COMMAND, MESSAGE_COMMAND):
        if not all(1 <= len(n) <= MAX_NAME_CHARS for n in names):
            errors["name"] = _too_long(MAX_NAME_CHARS)
        errors.update(_localizations_errors(command, chat_name=False))
        if description:  # "not allowed when creating" user and message commands
            errors["description"] = _invalid("Context menu commands cannot have description")
        if command.get("options"):
            errors["options"] = _invalid("Context menu commands cannot have options")
    else:
        errors["type"] = _invalid("Value must be one of {1, 2, 3}.")
    return errors


def commands_errors(commands: list[dict[str, Any]]) -> dict[str, Any]:
    """The ``errors`` object for a bulk overwrite of an application's commands."""
    errors: dict[str, Any] = {}
    for i, command in enumerate(commands):
        if found := command_errors(command):
            errors[str(i)] = found
    seen: set[tuple[int, str]] = set()
    for i, command in enumerate(commands):
        key = (command.get("type", CHAT_INPUT), command.get("name") or "")
        if key in seen:
            errors.setdefault(str(i), {})["name"] = _error(
                "APPLICATION_COMMANDS_DUPLICATE_NAME",
                f"Application command names must be unique: {key[1]}",
            )
        seen.add(key)
    for kind, limit in MAX_COMMANDS.items():
        if sum(1 for c in commands if c.get("type", CHAT_INPUT) == kind) > limit:
            errors["_errors"] = [
                {"code": "BASE_TYPE_MAX_LENGTH", "message": f"Too many commands of type {kind}"}
            ]
    return errors


# -- modals -----------------------------------------------------------------------------

MODAL = 9
MODAL_SUBMIT = 5
ACTION_ROW, TEXT_INPUT, LABEL = 1, 4, 18
MAX_MODAL_TITLE_CHARS = 45
MAX_MODAL_COMPONENTS = 5
MAX_LABEL_CHARS = 45
MAX_LABEL_DESCRIPTION_CHARS = 100
MAX_TEXT_INPUT_CHARS = 4000
MAX_PLACEHOLDER_CHARS = 100


def _text_input_errors(component: dict[str, Any], *, needs_label: bool) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    if component.get("type") != TEXT_INPUT:
        return {"type": _invalid("Only text inputs are modelled by the fake.")}
    if not 1 <= len(component.get("custom_id") or "") <= MAX_CUSTOM_ID_CHARS:
        errors["custom_id"] = _too_long(MAX_CUSTOM_ID_CHARS)
    if component.get("style") not in (1, 2):
        errors["style"] = _invalid("Value must be one of {1, 2}.")
    label = component.get("label")
    if needs_label and not 1 <= len(label or "") <= MAX_LABEL_CHARS:
        errors["label"] = _too_long(MAX_LABEL_CHARS)
    elif label is not None and len(label) > MAX_LABEL_CHARS:
        errors["label"] = _too_long(MAX_LABEL_CHARS)
    for key, low in (("min_length", 0), ("max_length", 1)):
        value = component.get(key)
        if value is not None and not low <= value <= MAX_TEXT_INPUT_CHARS:
            errors[key] = _invalid(f"{key} must be between {low} and {MAX_TEXT_INPUT_CHARS}.")
    if len(component.get("placeholder") or "") > MAX_PLACEHOLDER_CHARS:
        errors["placeholder"] = _too_long(MAX_PLACEHOLDER_CHARS)
    if len(component.get("value") or "") > MAX_TEXT_INPUT_CHARS:
        errors["value"] = _too_long(MAX_TEXT_INPUT_CHARS)
    return errors


def invalid_callback_type() -> dict[str, Any]:
    """A MODAL answer to a MODAL_SUBMIT: refused (the docs say "not available"; the
    exact error Discord sends is not documented, so this is the form-body shape)."""
    return _invalid("Interaction callback type not allowed for this interaction.")


def modal_errors(data: dict[str, Any]) -> dict[str, Any]:
    """The ``errors`` object Discord answers for a MODAL response's ``data``."""
    errors: dict[str, Any] = {}
    if not 1 <= len(data.get("custom_id") or "") <= MAX_CUSTOM_ID_CHARS:
        errors["custom_id"] = _too_long(MAX_CUSTOM_ID_CHARS)
    if not 1 <= len(data.get("title") or "") <= MAX_MODAL_TITLE_CHARS:
        errors["title"] = _too_long(MAX_MODAL_TITLE_CHARS)
    components = data.get("components") or []
    if not 1 <= len(components) <= MAX_MODAL_COMPONENTS:
        errors["components"] = _too_long(MAX_MODAL_COMPONENTS)
        return {"data": errors}
    for i, component in enumerate(components):
        found: dict[str, Any] = {}
        if component.get("type") == LABEL:
            if not 1 <= len(component.get("label") or "") <= MAX_LABEL_CHARS:
                found["label"] = _too_long(MAX_LABEL_CHARS)
            if len(component.get("description") or "") > MAX_LABEL_DESCRIPTION_CHARS:
                found["description"] = _too_long(MAX_LABEL_DESCRIPTION_CHARS)
            inner = _text_input_errors(component.get("component") or {}, needs_label=False)
            if inner:
                found["component"] = inner
        elif component.get("type") == ACTION_ROW:
            children = component.get("components") or []
            if len(children) != 1:
                found["components"] = _too_long(1)
            elif inner := _text_input_errors(children[0], needs_label=True):
                found["components"] = {"0": inner}
        else:
            found["type"] = _invalid("A modal holds labels (or action rows of text inputs).")
        if found:
            errors.setdefault("components", {})[str(i)] = found
    return {"data": errors} if errors else {}


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

"""Updates from Telegram, read once and checked before any handler sees them.

A body that is not an update PTB can read (not JSON, nested too deeply for the parser, a
field of the wrong type such as ``"message": "hello"``) or that carries a number no
Telegram id can be (``1e400``, an integer past signed 64 bits) is a ``MalformedUpdate``:
the webhook logs it once, without its content, and answers 200 so that Telegram does not
send it again for ever; polling (``SafeUpdatesRequest``) drops it and goes on with the
next update instead of fetching the same batch again and again.

The Bot API says of chat and user ids: "it has at most 52 significant bits, so a signed
64-bit integer or double-precision float type are safe for storing this identifier"
(Chat.id, User.id). So every integer in an update must fit a signed 64-bit integer, an id
must be an integer, and no number may be infinite or NaN (Python's ``json`` reads
``1e400`` as infinity)."""

from __future__ import annotations

import json
import logging
import math
from typing import Any

from telegram import Bot, Update, User
from telegram.request import HTTPXRequest

__all__ = ["MalformedUpdate", "SafeUpdatesRequest", "parse_update", "read_update"]

log = logging.getLogger("seedream.telegram")

MAX_ID = 2**63 - 1  # a signed 64-bit integer
MIN_ID = -(2**63)
# What PTB raises on a field of the wrong shape (``"message": "hello"``, a missing chat).
_PTB_PARSE_ERRORS = (AttributeError, KeyError, TypeError, ValueError, OverflowError, OSError)


class MalformedUpdate(ValueError):
    """Not an update this bot can handle; ``reason`` says why, never what it held."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def read_update(body: bytes, bot: Bot) -> Update:
    """A webhook body as an ``Update``.

    Raises:
        MalformedUpdate: not JSON, too deeply nested, not an object with an integer
            ``update_id``, a number out of range, or a shape PTB cannot read.
    """
    try:
        payload = json.loads(body)
    except RecursionError:
        raise MalformedUpdate("nested too deeply") from None
    except ValueError:  # also UnicodeDecodeError
        raise MalformedUpdate("not JSON") from None
    return parse_update(payload, bot)


def parse_update(payload: Any, bot: Bot | None) -> Update:
    """A decoded update as an ``Update`` (see ``read_update``)."""
    if not isinstance(payload, dict):
        raise MalformedUpdate("not an object")
    update_id = payload.get("update_id")
    if type(update_id) is not int:
        raise MalformedUpdate("no integer update_id")
    _check_numbers(payload)
    try:
        update = Update.de_json(payload, bot)
    except RecursionError:
        raise MalformedUpdate("nested too deeply") from None
    except _PTB_PARSE_ERRORS as exc:
        raise MalformedUpdate(f"a shape PTB cannot read ({type(exc).__name__})") from None
    _check_required(update)
    return update


def _check_required(update: Update) -> None:
    """The fields the Bot API always sends, with the types it documents, in the parts of
    an update the handlers read (PTB reads a missing or null one as None and keeps a
    value of the wrong type; a handler would then fail on it)."""
    query = update.callback_query
    messages = (
        update.message,
        update.edited_message,
        update.channel_post,
        update.edited_channel_post,
        query.message if query else None,
    )
    for message in messages:
        if message is None:
            continue
        chat = getattr(message, "chat", None)
        if chat is None or type(chat.id) is not int or not isinstance(chat.type, str):
            raise MalformedUpdate("a message without a chat")
        texts = (getattr(message, "text", None), getattr(message, "caption", None))
        if any(t is not None and not isinstance(t, str) for t in texts):
            raise MalformedUpdate("a text that is not a string")
        sender = getattr(message, "from_user", None)  # an inaccessible message has none
        if sender is not None:
            _check_user(sender)
        paid = getattr(message, "successful_payment", None)
        if paid is not None:
            _check_payment(paid, "telegram_payment_charge_id")
    for asked in (query, update.pre_checkout_query, update.inline_query):
        if asked is not None:
            if asked.from_user is None:
                raise MalformedUpdate("a query without a sender")
            _check_user(asked.from_user)
    if query is not None and query.data is not None and not isinstance(query.data, str):
        raise MalformedUpdate("callback data that is not a string")
    if update.pre_checkout_query is not None:
        _check_payment(update.pre_checkout_query, "id")


def _check_user(user: User) -> None:
    if type(user.id) is not int or not isinstance(user.first_name, str):
        raise MalformedUpdate("a sender without an integer id")
    if user.language_code is not None and not isinstance(user.language_code, str):
        raise MalformedUpdate("a language code that is not a string")


def _check_payment(payment: Any, id_field: str) -> None:
    """A pre-checkout query or a successful payment: the fields the payment code reads."""
    if (
        not isinstance(getattr(payment, id_field), str)
        or not isinstance(payment.currency, str)
        or type(payment.total_amount) is not int
        or not isinstance(payment.invoice_payload, str)
    ):
        raise MalformedUpdate("a payment with fields of the wrong type")


def _check_numbers(payload: dict) -> None:
    """Every integer within signed 64 bits, every float finite; ids are integers.
    Iterative: the depth of a body is not bounded by the stack here."""
    stack: list[tuple[str, Any]] = [("", payload)]
    while stack:
        key, value = stack.pop()
        if isinstance(value, dict):
            stack.extend(value.items())
        elif isinstance(value, list):
            stack.extend((key, item) for item in value)
        elif isinstance(value, bool):
            continue
        elif isinstance(value, int):
            if not MIN_ID <= value <= MAX_ID:
                raise MalformedUpdate("an integer out of range")
        elif isinstance(value, float):
            if not math.isfinite(value):
                raise MalformedUpdate("a number out of range")
            if key == "id" or key.endswith("_id"):
                raise MalformedUpdate("an id that is not an integer")


def _malformed(raw: Any) -> dict[str, Any] | None:
    """For polling: ``raw`` unchanged if it is a readable update; else logged once and
    replaced by an empty update with its id (so the offset moves past it), or dropped."""
    try:
        parse_update(raw, None)
        return raw
    except MalformedUpdate as exc:
        update_id = raw.get("update_id") if isinstance(raw, dict) else None
        log.warning("telegram update refused: %s", exc.reason)
        if type(update_id) is int and MIN_ID <= update_id <= MAX_ID:
            return {"update_id": update_id}
        return None


class SafeUpdatesRequest(HTTPXRequest):
    """The request object of ``getUpdates`` only (``ApplicationBuilder.get_updates_request``):
    one malformed update in a batch makes PTB's ``Update.de_list`` fail for the whole
    batch, which is then fetched again for ever (logged with its content each time). Here
    each update of the answer is checked and a malformed one neutralised."""

    @staticmethod
    def parse_json_payload(payload: bytes) -> dict:
        data = HTTPXRequest.parse_json_payload(payload)
        result = data.get("result") if isinstance(data, dict) else None
        if isinstance(result, list):
            data["result"] = [u for u in map(_malformed, result) if u is not None]
        return data

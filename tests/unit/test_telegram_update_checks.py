"""``adapters.telegram.updates``: what is refused when an update is read, and what a
getUpdates batch becomes. Sources: Bot API Chat.id/User.id ("at most 52 significant bits,
so a signed 64-bit integer or double-precision float type are safe"), PTB's de_json."""

from __future__ import annotations

import json

import pytest

from adapters.telegram.updates import MalformedUpdate, SafeUpdatesRequest, parse_update, read_update

CHAT = {"id": -1001234567890, "type": "supergroup", "title": "Artists"}
MESSAGE = {"message_id": 5, "date": 1700000000, "chat": CHAT, "text": "hi"}
# A callback query id is a string; floats appear in real updates (a location).
GOOD = {
    "update_id": 10,
    "message": {**MESSAGE, "location": {"latitude": 52.5, "longitude": 13.4}},
}


def test_a_good_update_is_read():
    update = read_update(json.dumps(GOOD).encode(), None)
    assert update.update_id == 10 and update.message.chat.id == CHAT["id"]
    assert update.message.location.latitude == 52.5


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"\xff", "not JSON"),
        (b"[" * 50_000 + b"]" * 50_000, "nested too deeply"),
        (b'"update"', "not an object"),
        (b'{"update_id": true}', "no integer update_id"),
        (b'{"update_id": 1.0}', "no integer update_id"),
        (b'{"update_id": 1, "message": "hello"}', "a shape PTB cannot read (AttributeError)"),
        (
            json.dumps(
                {"update_id": 1, "message": {**MESSAGE, "chat": {**CHAT, "id": 2**63}}}
            ).encode(),
            "an integer out of range",
        ),
        (
            json.dumps(
                {"update_id": 1, "message": {**MESSAGE, "chat": {**CHAT, "id": -(2**63) - 1}}}
            ).encode(),
            "an integer out of range",
        ),
        (
            json.dumps({"update_id": 1, "message": MESSAGE})
            .replace("-1001234567890", "1e400")
            .encode(),
            "a number out of range",
        ),
        (
            json.dumps(
                {"update_id": 1, "message": {**MESSAGE, "chat": {**CHAT, "id": 5.5}}}
            ).encode(),
            "an id that is not an integer",
        ),
    ],
)
def test_malformed_bodies_are_refused_with_a_reason(body, reason):
    with pytest.raises(MalformedUpdate) as refused:
        read_update(body, None)
    assert refused.value.reason == reason


def test_the_limits_of_a_signed_64_bit_id_are_accepted():
    for chat_id in (2**63 - 1, -(2**63)):
        update = parse_update(
            {"update_id": 1, "message": {**MESSAGE, "chat": {**CHAT, "id": chat_id}}}, None
        )
        assert update.message.chat.id == chat_id


def test_a_getupdates_batch_keeps_good_updates_and_the_ids_of_bad_ones():
    batch = {
        "ok": True,
        "result": [
            {"update_id": 1, "message": "hello"},
            GOOD,
            {"update_id": 12, "message": {**MESSAGE, "chat": {**CHAT, "id": 2**70}}},
            {"message": MESSAGE},  # no id at all: nothing to confirm, dropped
        ],
    }
    parsed = SafeUpdatesRequest.parse_json_payload(json.dumps(batch).encode())
    assert parsed == {"ok": True, "result": [{"update_id": 1}, GOOD, {"update_id": 12}]}


def test_an_error_answer_passes_through():
    error = {"ok": False, "error_code": 409, "description": "Conflict"}
    assert SafeUpdatesRequest.parse_json_payload(json.dumps(error).encode()) == error

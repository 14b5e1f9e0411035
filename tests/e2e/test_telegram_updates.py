"""Updates the bot must survive: a settings button that changes nothing (Telegram answers
"message is not modified"), and malformed updates, by webhook (over HTTP, with the right
secret) and by polling (in a getUpdates batch). The real PTB Application against the fake
Bot API, which refuses what Telegram refuses (``tests/support/fake_telegram_rules.py``)."""

from __future__ import annotations

import asyncio
import copy
import json
import logging

import pytest
from telegram import Update
from telegram.ext import TypeHandler

from adapters.telegram.webhook import MAX_BODY_BYTES, SECRET_HEADER
from bot.bootstrap import bootstrap
from tests.support.fake_telegram import FakeBotApi, user
from tests.support.telegram_harness import (
    accept_terms,
    button_data,
    fake_bot_api,
    running_adapter,
    text_has,
    webhook_adapter,
)

ADA = user(434343)
SECRET = "s3cret-token_for-the-webhook"
PROMPT = "a secret prompt about my cat"
REFUSED = "telegram update refused"


@pytest.fixture
async def app(settings, sqlite_engine):
    async with bootstrap(settings, engine=sqlite_engine, migrate=False) as built:
        yield built


def handled(adapter) -> dict[int, asyncio.Event]:
    """Events set once PTB has finished an update (its handler and the error hook): a
    handler in a later group runs after both."""
    done: dict[int, asyncio.Event] = {}

    async def mark(update: Update, _context) -> None:
        done.setdefault(update.update_id, asyncio.Event()).set()

    adapter.application.add_handler(TypeHandler(Update, mark), group=1)
    return done


async def wait_handled(done: dict[int, asyncio.Event], update_id: int) -> None:
    async with asyncio.timeout(15):
        await done.setdefault(update_id, asyncio.Event()).wait()


def refusals(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.getMessage().startswith(REFUSED)]


# -- defect 3: "message is not modified" -------------------------------------------------


async def test_tapping_the_selected_setting_answers_once_without_an_error(app, caplog):
    async with fake_bot_api() as fake, running_adapter(app, fake) as adapter:
        done = handled(adapter)
        await accept_terms(fake, ADA)
        mark = fake.mark()
        await fake.push_command(ADA, "/settings")
        shown = await fake.wait_for("sendMessage", text_has("Your defaults"), after=mark)
        selected = next(
            data
            for label, data in button_data(shown).items()
            if label.startswith("• ")  # the model in use
        )

        mark = fake.mark()
        with caplog.at_level(logging.INFO, logger="seedream.telegram"):
            tap = await fake.push_callback(ADA, selected, message=shown)
            await wait_handled(done, tap["update_id"])

        query_id = tap["callback_query"]["id"]
        answers = [
            c
            for c in fake.of("answerCallbackQuery", after=mark)
            if c.params["callback_query_id"] == query_id
        ]
        assert len(answers) == 1, [a.params for a in answers]
        assert answers[0].params.get("text") == "Saved."
        assert not answers[0].params.get("show_alert")
        # Telegram refused the edit as "not modified": that is the wanted state.
        assert len(fake.of("editMessageText", after=mark)) == 1
        assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
        assert not fake.of("sendMessage", after=mark)


# -- defect 4: malformed updates, by webhook ----------------------------------------------


def _command(fake: FakeBotApi, text: str) -> dict:
    return copy.deepcopy(fake.make_update(fake.command_payload(ADA, text)))


def _malformed_bodies(fake: FakeBotApi) -> list[bytes]:
    out_of_range_chat = json.dumps(_command(fake, "/help")).replace(
        f'"id": {ADA["id"]}, "type"', '"id": 1e400, "type"'
    )
    assert "1e400" in out_of_range_chat
    huge_user = _command(fake, "/help")
    huge_user["message"]["from"]["id"] = 2**64
    float_id = _command(fake, "/help")
    float_id["message"]["chat"]["id"] = 4242.5
    depth = 50_000
    return [
        b"not json",
        b"[]",
        b'{"update_id": "7"}',
        json.dumps({"update_id": 8, "message": PROMPT}).encode(),  # AttributeError in PTB
        b"[" * depth + b"]" * depth,  # RecursionError in the JSON parser
        b'{"update_id": 9, "message": {"text": "' + PROMPT.encode() + b'"}}',  # no chat
        out_of_range_chat.encode(),
        json.dumps(huge_user).encode(),
        json.dumps(float_id).encode(),
        "\udcff".encode("utf-8", "surrogatepass"),
    ]


async def test_malformed_webhook_bodies_are_logged_once_and_answered_200(app, http, caplog):
    async with webhook_adapter(app, SECRET) as (fake, _, url):
        headers = {SECRET_HEADER: SECRET}
        bodies = _malformed_bodies(fake)
        with caplog.at_level(logging.INFO, logger="seedream.telegram"):
            for body in bodies:
                answer = await http.post(url, content=body, headers=headers)
                assert answer.status_code == 200, (body[:40], answer.status_code)
        assert len(refusals(caplog)) == len(bodies)
        assert PROMPT not in caplog.text and str(ADA["id"]) not in caplog.text
        assert not [r for r in caplog.records if r.levelno >= logging.ERROR]

        # The secret and the size limit still come first.
        good = json.dumps(_command(fake, "/help")).encode()
        assert (await http.post(url, content=good, headers={SECRET_HEADER: "x"})).status_code == 403
        oversized = b"{" + b" " * MAX_BODY_BYTES + b"}"
        assert (await http.post(url, content=oversized, headers=headers)).status_code == 413

        # No malformed update reached a handler; a good one still does.
        assert (await http.post(url, content=good, headers=headers)).status_code == 200
        await fake.wait_for("sendMessage", text_has("/imagine PROMPT"))
        assert len(fake.of("sendMessage")) == 1


# -- defect 4: malformed updates, by polling ----------------------------------------------


async def test_a_malformed_update_does_not_stop_polling(app, caplog):
    async with fake_bot_api() as fake, running_adapter(app, fake):
        with caplog.at_level(logging.INFO):
            await fake.push_update({"message": PROMPT})
            huge = copy.deepcopy(fake.command_payload(ADA, "/help"))
            huge["message"]["chat"]["id"] = 2**70
            await fake.push_update(huge)
            await fake.push_command(ADA, "/help")
            await fake.wait_for("sendMessage", text_has("/imagine PROMPT"))
            await fake.push_command(ADA, "/credits")
            await fake.wait_for("sendMessage", text_has("credits"))
        # Logged once each: the offset moved past them (they are not fetched again).
        assert len(refusals(caplog)) == 2
        assert PROMPT not in caplog.text
        assert not [r for r in caplog.records if r.levelno >= logging.CRITICAL]

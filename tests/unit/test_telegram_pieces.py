"""Small Telegram adapter pieces with no I/O: callback data limits, configuration, the
flood limiter in front of a recording callback."""

from __future__ import annotations

import asyncio
import itertools

import pytest

from adapters.telegram import keyboards as kb
from adapters.telegram.config import TelegramConfig
from adapters.telegram.ratelimit import FloodLimiter
from adapters.telegram.render import MESSAGE_MAX_CHARS, split_message
from bot.settings import Settings


def test_callback_data_stays_within_64_bytes():
    job_id = "0123456789abcdef0123456789abcdef"
    assert kb.unpack(kb.pack(kb.REROLL, job_id)) == (kb.REROLL, job_id)
    assert len(kb.pack(kb.CANCEL, job_id).encode()) <= kb.MAX_CALLBACK_BYTES
    with pytest.raises(ValueError, match="64 bytes"):
        kb.pack(kb.SET_MODEL, "m" * 62)
    with pytest.raises(ValueError):
        kb.pack(kb.SET_MODEL, "é" * 31)  # bytes, not characters, count


def test_long_texts_are_split_at_paragraphs_into_messages_telegram_takes():
    paragraphs = [f"Section {i}\n" + "word " * 300 for i in range(12)]  # ~1.5k chars each
    text = "\n\n".join(paragraphs)
    parts = split_message(text)
    assert len(parts) > 1 and all(len(p) <= MESSAGE_MAX_CHARS for p in parts)
    assert all(p.startswith("Section ") for p in parts)  # cut between paragraphs
    assert [word for part in parts for word in part.split()] == text.split()  # nothing lost
    unbroken = "x" * (MESSAGE_MAX_CHARS * 2 + 10)
    assert [len(p) for p in split_message(unbroken)] == [MESSAGE_MAX_CHARS] * 2 + [10]
    assert split_message("short") == ["short"]


def test_config_from_settings(tmp_path):
    settings = Settings(
        data_dir=tmp_path,
        telegram_token="1:abc",
        telegram_api_base_url="http://127.0.0.1:8081/",
        telegram_chat_interval_s=0.5,
    )
    config = TelegramConfig.from_settings(settings)
    assert config.base_url == "http://127.0.0.1:8081/bot"
    assert config.base_file_url == "http://127.0.0.1:8081/file/bot"
    assert config.chat_interval_s == 0.5 and config.webhook_url is None


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({}, "no Telegram token"),
        ({"telegram_token": "1:abc", "telegram_webhook_url": "https://x/h"}, "needs"),
        (
            {
                "telegram_token": "1:abc",
                "telegram_webhook_url": "http://x/h",
                "telegram_webhook_secret": "s3cret",
            },
            "https://",
        ),
        (
            {
                "telegram_token": "1:abc",
                "telegram_webhook_url": "https://x/h",
                "telegram_webhook_secret": "has spaces",
            },
            "A-Z a-z 0-9",
        ),
    ],
)
def test_config_refuses_what_cannot_work(tmp_path, values, message):
    with pytest.raises(ValueError, match=message):
        TelegramConfig.from_settings(Settings(data_dir=tmp_path, **values))


def test_token_is_read_from_the_conventional_variable(monkeypatch, tmp_path):
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "42:from-env")
    assert Settings(data_dir=tmp_path).telegram_token.get_secret_value() == "42:from-env"


async def test_flood_limiter_spaces_one_chat_and_caps_the_overall_rate():
    """The limiter alone, in front of a recording callback (the e2e flood test measures
    it on the fake Bot API): per chat, calls keep their order and their spacing; over
    all chats, after a burst of one second's budget, the configured rate holds."""
    loop = asyncio.get_running_loop()
    sent: list[tuple[int, int, float]] = []

    async def record(chat_id: int, n: int) -> bool:
        sent.append((chat_id, n, loop.time()))
        return True

    limiter = FloodLimiter(chat_interval_s=0.02, overall_per_s=200.0, group_per_minute=0)

    def call(chat_id: int, n: int):
        return limiter.process_request(
            record, (chat_id, n), {}, "sendMessage", {"chat_id": chat_id}, None
        )

    start = loop.time()
    await asyncio.gather(*(call(1, n) for n in range(20)), *(call(100 + n, n) for n in range(400)))
    one_chat = [(n, at) for chat, n, at in sent if chat == 1]
    assert [n for n, _ in one_chat] == list(range(20))
    assert min(b - a for (_, a), (_, b) in itertools.pairwise(one_chat)) >= 0.02 * 0.999
    # 420 calls at 200/s with a burst of 200: at least (420 - 200) / 200 s.
    assert loop.time() - start >= (420 - 200) / 200 * 0.95


async def test_flood_limiter_budgets_groups_but_not_private_chats():
    loop = asyncio.get_running_loop()
    sent: dict[int, list[float]] = {}

    async def record(chat_id: int) -> bool:
        sent.setdefault(chat_id, []).append(loop.time())
        return True

    # 5 messages per (compressed) minute of 0.5 s in a group.
    limiter = FloodLimiter(
        chat_interval_s=0, overall_per_s=0, group_per_minute=5, group_window_s=0.5
    )

    def call(chat_id: int):
        return limiter.process_request(
            record, (chat_id,), {}, "sendMessage", {"chat_id": chat_id}, None
        )

    start = loop.time()
    await asyncio.gather(*(call(-100) for _ in range(10)), *(call(7) for _ in range(10)))
    group, private = sent[-100], sent[7]
    assert len(group) == len(private) == 10
    assert group[-1] - start >= 0.5 * 0.95  # 5 at once, then 5 more over the window
    assert private[-1] - start < group[-1] - start  # a private chat is not held up


def test_every_button_kind_is_its_own():
    """Two kinds of button with one prefix would run each other's handler (a tap on
    "16:9" turning a switch); every kind the callbacks dispatch is distinct."""
    kinds = {
        name: value
        for name, value in vars(kb).items()
        if name.isupper() and isinstance(value, str) and len(value) == 2
    }
    assert {"SET_ASPECT", "SET_TRAINING", "SET_ANALYTICS"} <= set(kinds)
    assert len(set(kinds.values())) == len(kinds), kinds

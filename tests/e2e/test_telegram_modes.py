"""The Telegram adapter's other ways of running: webhook mode behind the web server
(secret token checked), the flood limiter under 200 results for one chat, and the
production stack (PostgreSQL, Redis event bus, a separate worker)."""

from __future__ import annotations

import asyncio
import itertools
import os
import signal
import socket
import subprocess
import sys
import uuid
from contextlib import AsyncExitStack
from pathlib import Path

import pytest

from adapters.telegram import WEBHOOK_PATH, webhook_route
from adapters.telegram.webhook import SECRET_HEADER
from adapters.web.app import create_web_app
from bot.bootstrap import bootstrap
from core.types import ImageView, JobEvent, ReplyTarget
from tests.conftest import REDIS_URL
from tests.support.fake_telegram import BOT_TOKEN, Call, user
from tests.support.servers import serve_asgi
from tests.support.telegram_harness import fake_bot_api, running_adapter

SEEDREAM = str(Path(sys.executable).with_name("seedream"))
ADA = user(424242)
SECRET = "s3cret-token_for-the-webhook"


@pytest.fixture
async def app(settings, sqlite_engine):
    async with bootstrap(settings, engine=sqlite_engine, migrate=False) as built:
        yield built


async def test_webhook_mode_checks_the_secret_token(app, http):
    async with (
        fake_bot_api() as fake,
        running_adapter(
            app, fake, webhook_url="https://bot.example/telegram/webhook", webhook_secret=SECRET
        ) as adapter,
        serve_asgi(create_web_app(app, [webhook_route(adapter)])) as web,
    ):
        assert fake.webhook["url"] == "https://bot.example/telegram/webhook"
        assert fake.webhook["secret_token"] == SECRET
        assert not fake.of("getUpdates"), "webhook mode does not poll"
        url = web + WEBHOOK_PATH

        for headers in ({SECRET_HEADER: "wrong"}, {}):
            refused = await http.post(
                url, json=fake.make_update(fake.command_payload(ADA, "/help")), headers=headers
            )
            assert refused.status_code == 403
        bad = await http.post(url, content=b"not json", headers={SECRET_HEADER: SECRET})
        assert bad.status_code == 400

        mark = fake.mark()
        accepted = await http.post(
            url,
            json=fake.make_update(fake.command_payload(ADA, "/help")),
            headers={SECRET_HEADER: SECRET},
        )
        assert accepted.status_code == 200
        answer = await fake.wait_for("sendMessage", after=mark)
        assert "/imagine PROMPT" in answer.params["text"]
        # Only the update with the right secret was answered.
        assert len(fake.of("sendMessage")) == 1


async def test_200_results_for_one_chat_arrive_in_order_within_the_chat_limit(app):
    interval_s = 0.01  # the per-chat limit, compressed from 1 s so the test takes seconds
    count = 200
    async with (
        fake_bot_api() as fake,
        running_adapter(app, fake, chat_interval_s=interval_s) as adapter,
    ):
        events = [
            JobEvent(
                kind="finished",
                job_id=f"{i:04d}" + uuid.uuid4().hex[:28],
                account_id=1,
                reply_target=ReplyTarget("telegram", {"chat_id": ADA["id"], "message_id": 7}),
                locale="en",
                images=[ImageView(f"img{i}", f"http://127.0.0.1:9/media/{i}.png", 64, 64, "")],
            )
            for i in range(count)
        ]
        mark = fake.mark()
        # All at once, as a busy worker pool would hand them over.
        await asyncio.gather(*(adapter.delivery.on_event(e) for e in events))

    sent: list[Call] = [c for c in fake.calls[mark:] if c.params.get("chat_id") == str(ADA["id"])]
    photos = [c.params["photo"] for c in sent if c.method == "sendPhoto"]
    assert photos == [f"http://127.0.0.1:9/media/{i}.png" for i in range(count)]
    gaps_s = [b.at_s - a.at_s for a, b in itertools.pairwise(sent)]
    assert len(sent) == 2 * count  # a photo and a status edit per result
    assert min(gaps_s) >= interval_s * 0.999, min(gaps_s)
    print(f"per-chat gap: min {min(gaps_s) * 1000:.1f} ms, configured {interval_s * 1000:.0f} ms")


async def test_on_postgresql_with_the_redis_event_bus(settings, pg_engine):
    prefix = f"t{uuid.uuid4().hex[:10]}"
    redis_settings = settings.model_copy(update={"redis_url": REDIS_URL, "redis_prefix": prefix})
    async with AsyncExitStack() as stack:
        adapter_app = await stack.enter_async_context(
            bootstrap(redis_settings, engine=pg_engine, migrate=False)
        )
        worker_app = await stack.enter_async_context(
            bootstrap(redis_settings, engine=pg_engine, migrate=False)
        )

        async def drop_keys() -> None:
            async for key in adapter_app.redis.scan_iter(match=f"{prefix}:*"):
                await adapter_app.redis.delete(key)

        stack.push_async_callback(drop_keys)
        fake = await stack.enter_async_context(fake_bot_api())
        await stack.enter_async_context(running_adapter(adapter_app, fake))
        consumer = asyncio.create_task(adapter_app.events.consume())
        worker = asyncio.create_task(worker_app.worker.run())
        try:
            await fake.push_command(ADA, "/start")
            terms = await fake.wait_for("sendMessage")
            accept = terms.markup_buttons()[0]["callback_data"]
            await fake.push_callback(ADA, accept, message=fake.sent_message(terms))
            await fake.wait_for("editMessageText")
            mark = fake.mark()
            await fake.push_command(ADA, "/imagine a harbour at dawn")
            photo = await fake.wait_for("sendPhoto", after=mark, timeout_s=30)
            assert photo.params["chat_id"] == str(ADA["id"])
            done = await fake.wait_for(
                "editMessageText", lambda c: c.params["text"] == "Done.", after=mark
            )
            assert done.at_s > photo.at_s
        finally:
            for task in (consumer, worker):
                task.cancel()
            await asyncio.gather(consumer, worker, return_exceptions=True)


async def test_the_seedream_telegram_process_polls_and_delivers(tmp_path):
    """`seedream telegram` as an operator runs it: a real process, polling the fake Bot
    API, running the embedded worker, logging no prompt and no token."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEEDREAM_")}
    env.pop("TELEGRAM_TOKEN", None)
    async with fake_bot_api() as fake:
        env.update(
            TELEGRAM_BOT_TOKEN=BOT_TOKEN,
            SEEDREAM_TELEGRAM_API_BASE_URL=fake.url,
            SEEDREAM_TELEGRAM_POLL_TIMEOUT_S="1",
            SEEDREAM_TELEGRAM_CHAT_INTERVAL_S="0.01",
            SEEDREAM_DATA_DIR=str(tmp_path / "var"),
            SEEDREAM_WEB_PORT=str(_free_port()),
            SEEDREAM_LOG_LEVEL="DEBUG",
        )
        proc = await asyncio.create_subprocess_exec(
            SEEDREAM,
            "telegram",
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            cwd=tmp_path,
        )
        try:
            await fake.wait_for("getUpdates", timeout_s=60)
            assert fake.commands[None], "the command menu is registered at start"
            await fake.push_command(ADA, "/start")
            terms = await fake.wait_for("sendMessage")
            accept = terms.markup_buttons()[0]["callback_data"]
            await fake.push_callback(ADA, accept, message=fake.sent_message(terms))
            await fake.wait_for("editMessageText")
            mark = fake.mark()
            await fake.push_command(ADA, "/imagine a secret garden --seed 4")
            photo = await fake.wait_for("sendPhoto", after=mark, timeout_s=60)
            assert "/media/" in photo.params["photo"]
        finally:
            proc.send_signal(signal.SIGINT)
            _, stderr = await asyncio.wait_for(proc.communicate(), timeout=30)
    assert proc.returncode in (0, 130), stderr.decode()
    assert b"Traceback" not in stderr
    leaked = [line for line in stderr.decode().splitlines() if "secret garden" in line]
    assert not leaked
    assert BOT_TOKEN not in stderr.decode()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]

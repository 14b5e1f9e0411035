"""`seedream telegram` and `seedream run` as an operator runs them: real processes
against the fake Bot API on a loopback port, with the embedded database, queue and
worker; no prompt and no token in their logs."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from collections.abc import AsyncIterator
from pathlib import Path

import httpx

from tests.e2e.test_cli import _free_port, running
from tests.support.fake_telegram import BOT_TOKEN, FakeBotApi, user
from tests.support.telegram_harness import fake_bot_api

ADA = user(424242)
SECRET = "process-webhook-secret"


class _Process:
    def __init__(self) -> None:
        self.stderr = ""
        self.returncode: int | None = None


@contextlib.asynccontextmanager
async def _seedream(
    args: list[str], fake: FakeBotApi, tmp_path: Path, **env_extra: str
) -> AsyncIterator[_Process]:
    """Run ``seedream ARGS`` until the block ends, then stop it with Ctrl+C."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEEDREAM_")}
    env.pop("TELEGRAM_TOKEN", None)
    env.update(
        TELEGRAM_BOT_TOKEN=BOT_TOKEN,
        SEEDREAM_TELEGRAM_API_BASE_URL=fake.url,
        SEEDREAM_TELEGRAM_POLL_TIMEOUT_S="1",
        SEEDREAM_TELEGRAM_CHAT_INTERVAL_S="0.01",
        SEEDREAM_DATA_DIR=str(tmp_path / "var"),
        SEEDREAM_WEB_PORT=str(_free_port()),
        SEEDREAM_LOG_LEVEL="DEBUG",
    )
    env.update(env_extra)
    async with running(args, env, tmp_path) as proc:
        result = _Process()
        try:
            yield result
        finally:
            if proc.returncode is None:
                proc.send_signal(signal.SIGINT)
            _, stderr = await asyncio.wait_for(proc.communicate(), timeout=30)
            result.stderr = stderr.decode()
            result.returncode = proc.returncode


async def _accept_and_imagine(fake: FakeBotApi, prompt: str):
    await fake.push_command(ADA, "/start")
    terms = await fake.wait_for("sendMessage", timeout_s=60)
    accept = terms.markup_buttons()[0]["callback_data"]
    await fake.push_callback(ADA, accept, message=fake.sent_message(terms))
    await fake.wait_for("editMessageText")
    mark = fake.mark()
    await fake.push_command(ADA, f"/imagine {prompt}")
    return await fake.wait_for("sendPhoto", after=mark, timeout_s=60)


def _assert_clean(process: _Process, prompt: str) -> None:
    assert process.returncode in (0, 130), process.stderr
    assert "Traceback" not in process.stderr
    assert not [line for line in process.stderr.splitlines() if prompt in line]
    assert BOT_TOKEN not in process.stderr


async def test_seedream_telegram_polls_and_delivers(tmp_path):
    async with fake_bot_api() as fake:
        async with _seedream(["telegram"], fake, tmp_path) as process:
            await fake.wait_for("getUpdates", timeout_s=60)
            assert fake.commands[None], "the command menu is registered at start"
            photo = await _accept_and_imagine(fake, "a secret garden --seed 4")
            assert "/media/" in photo.params["photo"]
    _assert_clean(process, "secret garden")


async def test_seedream_run_starts_the_telegram_adapter(tmp_path):
    async with fake_bot_api() as fake:
        async with _seedream(["run", "--no-console"], fake, tmp_path) as process:
            await fake.wait_for("getUpdates", timeout_s=60)
            photo = await _accept_and_imagine(fake, "a hidden valley")
            assert "/media/" in photo.params["photo"]
    _assert_clean(process, "hidden valley")


async def test_seedream_telegram_webhook_mode_refuses_a_wrong_secret(tmp_path):
    port = _free_port()
    # Telegram posts to an https URL only (setWebhook): the public one is registered,
    # and the test posts to the plain-HTTP port behind it, as a TLS proxy would.
    public = "https://bot.example/telegram/webhook"
    hook = f"http://127.0.0.1:{port}/telegram/webhook"
    async with fake_bot_api() as fake:
        async with (
            _seedream(
                ["telegram"],
                fake,
                tmp_path,
                SEEDREAM_WEB_PORT=str(port),
                SEEDREAM_TELEGRAM_WEBHOOK_URL=public,
                SEEDREAM_TELEGRAM_WEBHOOK_SECRET=SECRET,
            ) as process,
            httpx.AsyncClient(timeout=10) as http,
        ):
            await fake.wait_for("setWebhook", timeout_s=60)
            assert fake.webhook["url"] == public and fake.webhook["secret_token"] == SECRET
            update = fake.make_update(fake.command_payload(ADA, "/help"))
            async with asyncio.timeout(30):
                while True:  # the web server starts listening right after setWebhook
                    try:
                        wrong = await http.post(
                            hook, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "x"}
                        )
                        break
                    except httpx.ConnectError:
                        await asyncio.sleep(0.05)
            assert wrong.status_code == 403
            # The refusal is counted where this process serves its metrics (issue 19).
            metrics = (await http.get(f"http://127.0.0.1:{port}/metrics")).text
            refused = 'seedream_webhook_failures_total{reason="wrong_secret",source="telegram"}'
            assert f"{refused} 1.0" in metrics
            mark = fake.mark()
            right = await http.post(
                hook, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
            )
            assert right.status_code == 200
            answer = await fake.wait_for("sendMessage", after=mark)
            assert "/imagine PROMPT" in answer.params["text"]
            assert not fake.of("getUpdates"), "webhook mode does not poll"
    assert process.returncode in (0, 130), process.stderr

"""`seedream discord` as an operator runs it: a real process against the fake Discord."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import subprocess

from tests.e2e.discord_harness import accept_terms, finished, option, reply_text, run
from tests.e2e.test_cli import SEEDREAM, _free_port, _run
from tests.support.fake_discord import TOKEN


def _sigint_as_in_a_terminal() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@contextlib.asynccontextmanager
async def seedream_discord(fake, env, cwd, *args: str, role: str = "discord"):
    env = dict(
        env,
        DISCORD_TOKEN=TOKEN,
        SEEDREAM_DISCORD_API_BASE_URL=fake.api_base,
        SEEDREAM_DISCORD_GATEWAY_URL=fake.gateway_url,
        SEEDREAM_WEB_PORT=str(_free_port()),
        SEEDREAM_LOG_LEVEL="DEBUG",
        PYTHONFAULTHANDLER="1",  # SIGABRT dumps every thread's stack to stderr
    )
    proc = await asyncio.create_subprocess_exec(
        SEEDREAM,
        role,
        *args,
        stderr=subprocess.PIPE,
        env=env,
        cwd=cwd,
        # As from an operator's terminal: a test run started in the background of a
        # script inherits SIGINT ignored, and so would the process, which then rightly
        # ignores the Ctrl-C this test sends.
        preexec_fn=_sigint_as_in_a_terminal,
    )
    assert proc.stderr is not None
    # stderr is read from the start: a DEBUG log left in the pipe would fill it and stall
    # the process on a write (``stop`` returns all of it).
    proc.stderr_reading = asyncio.create_task(proc.stderr.read())
    try:
        yield proc
    finally:
        if proc.returncode is None:
            proc.send_signal(signal.SIGINT)
            try:
                async with asyncio.timeout(20):
                    await proc.wait()
            except TimeoutError:
                proc.kill()
                await proc.wait()
        await proc.stderr_reading


async def stop(proc) -> str:
    """SIGINT, as an operator's Ctrl-C: the process's stderr once it has stopped, or a
    failure showing where it was if it has not stopped within 20 s."""
    proc.send_signal(signal.SIGINT)
    try:
        async with asyncio.timeout(20):
            await proc.wait()
    except TimeoutError:
        proc.send_signal(signal.SIGABRT)  # where it is stuck, then it ends
        try:
            async with asyncio.timeout(10):
                await proc.wait()
        except TimeoutError:
            proc.kill()
            await proc.wait()
        tail = (await proc.stderr_reading).decode()[-8000:]
        raise AssertionError(
            f"seedream discord did not stop on SIGINT; its log ends:\n{tail}"
        ) from None
    return (await proc.stderr_reading).decode()


async def test_discord_role_syncs_serves_and_generates(fake_discord, cli_env, tmp_path):
    async with seedream_discord(fake_discord, cli_env, tmp_path, "--sync-commands") as proc:
        await fake_discord.wait_ready(timeout_s=60)
        assert fake_discord.find(lambda c: c.method == "PUT" and c.path.endswith("/commands"))
        await accept_terms(fake_discord)
        sent = await run(fake_discord, "imagine", [option("prompt", "a secret garden")])
        done = await finished(fake_discord, sent)  # the embedded worker runs in this process
        assert done.body["embeds"]
        help_sent = await run(fake_discord, "help")
        await reply_text(fake_discord, help_sent, "/imagine")
        stderr = await stop(proc)
    # Even at DEBUG: no prompt, no bot token, no interaction token, no user id.
    assert "discord" in stderr
    for secret in ("secret garden", TOKEN, sent.token, "4000"):
        assert secret not in stderr
    assert "Traceback" not in stderr


async def test_discord_role_runs_the_shards_it_is_given(fake_discord, cli_env, tmp_path):
    # One shard: discord.py waits 5 s between the identifies of one process's shards.
    # Two shards in one process: tests/e2e/test_discord_delivery.py; the list grammar:
    # tests/unit/test_cli_parser.py.
    async with seedream_discord(
        fake_discord, cli_env, tmp_path, "--shard-ids", "2", "--shard-count", "3"
    ):
        await fake_discord.wait_ready(timeout_s=60)
        assert [i["shard"] for i in fake_discord.identifies] == [[2, 3]]
        assert not fake_discord.find(lambda c: c.method == "PUT")  # no --sync-commands


async def test_run_starts_discord_when_a_token_is_set(fake_discord, cli_env, tmp_path):
    async with seedream_discord(fake_discord, cli_env, tmp_path, "--no-console", role="run"):
        await fake_discord.wait_ready(timeout_s=60)
        await accept_terms(fake_discord)
        sent = await run(fake_discord, "imagine", [option("prompt", "a windmill")])
        assert (await finished(fake_discord, sent)).body["embeds"]


def test_discord_role_without_a_token_says_so(cli_env, tmp_path):
    # The option checks are tested in process (tests/unit/test_cli_parser.py).
    missing = _run(["discord"], cli_env, tmp_path)
    assert missing.returncode != 0 and "DISCORD_TOKEN" in missing.stderr

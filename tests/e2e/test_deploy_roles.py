"""The guide's promise, as far as CI can keep it: from deploy/seedream.env.example with
its required lines filled for this machine's PostgreSQL (a database of its own), Redis
and a moto S3 bucket, the migrate unit's command upgrades the database, the web and
worker units' commands start, reach /readyz and stop cleanly on the units' stop signal,
and the Telegram, Discord (shard 0) and worker units' processes serve a user of the fakes
together."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.bootstrap import bootstrap
from bot.settings import Settings
from core import Actor, ImagineRequest, ReplyTarget
from core.storage.s3 import ensure_bucket, open_s3_client
from tests.conftest import PG_URL, REDIS_URL
from tests.e2e.discord_harness import accept_terms, finished, option, run
from tests.e2e.test_cli import SEEDREAM, _free_port
from tests.integration.test_deploy_files import exec_start, parse_unit
from tests.support.fake_discord import TOKEN as DISCORD_TOKEN
from tests.support.fake_telegram import BOT_TOKEN, user
from tests.support.moto import S3_SECRET, start_moto_server
from tests.support.telegram_harness import fake_bot_api

EXAMPLE = Path(__file__).resolve().parents[2] / "deploy" / "seedream.env.example"
READY_WITHIN_S = 60.0
STOP_WITHIN_S = 30.0
ADA = user(515151)
TARGET = ReplyTarget("test", {"chat": "1"})  # no adapter: the finished event waits in Redis


@pytest.fixture
async def fresh_pg_url() -> AsyncIterator[str]:
    """A PostgreSQL database of this test's own, empty, dropped afterwards."""
    url = make_url(PG_URL)
    name = f"seedream_deploy_{uuid.uuid4().hex[:10]}"
    server = dict(host=url.host, port=url.port or 5432, user=url.username, password=url.password)
    admin = await asyncpg.connect(database="postgres", **server)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield url.set(database=name).render_as_string(hide_password=False)
        finally:
            await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@pytest.fixture(scope="module")
def moto_endpoint() -> Iterator[str]:
    endpoint, stop = start_moto_server()
    try:
        yield endpoint
    finally:
        stop()


def read_env_file(path: Path) -> dict[str, str]:
    """``KEY=value`` lines as systemd's EnvironmentFile= reads them (comments skipped)."""
    env = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            env[key] = value
    return env


def _unit_command(unit: str) -> list[str]:
    argv = exec_start(unit, "1")
    return [SEEDREAM, *argv[1:]]


@pytest.fixture
async def deployment_env(tmp_path, fresh_pg_url, moto_endpoint) -> dict[str, str]:
    """The example file with its required lines filled in for the local services."""
    bucket = f"seedream-deploy-{uuid.uuid4().hex[:10]}"
    async with contextlib.AsyncExitStack() as stack:
        client = await open_s3_client(
            stack,
            endpoint_url=moto_endpoint,
            region="us-east-1",
            access_key_id="test",
            secret_access_key=S3_SECRET,
        )
        await ensure_bucket(client, bucket)
    example = read_env_file(EXAMPLE)
    port = _free_port()
    filled = {
        "SEEDREAM_DATA_DIR": str(tmp_path / "state"),
        "SEEDREAM_DATABASE_URL": fresh_pg_url,
        "SEEDREAM_REDIS_URL": REDIS_URL,
        "SEEDREAM_ABUSE_HASH_SECRET": uuid.uuid4().hex,
        "SEEDREAM_SIGNING_SECRET": uuid.uuid4().hex,
        "SEEDREAM_PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        "SEEDREAM_S3_BUCKET": bucket,
        "SEEDREAM_S3_ENDPOINT_URL": moto_endpoint,
        "SEEDREAM_S3_ACCESS_KEY_ID": "test",
        "SEEDREAM_S3_SECRET_ACCESS_KEY": S3_SECRET,
    }
    assert sorted(example) == sorted(filled)  # every required line, and only those
    env_file = tmp_path / "seedream.env"
    env_file.write_text("".join(f"{k}={v}\n" for k, v in filled.items()), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEEDREAM_")}
    env.update(read_env_file(env_file))
    # This run's own Redis keys and web port: a commented default made explicit, as an
    # operator's per-host file would.
    env.update(SEEDREAM_REDIS_PREFIX=f"t{uuid.uuid4().hex[:12]}", SEEDREAM_WEB_PORT=str(port))
    return env


def _sigint_default() -> None:
    # A test run started in the background inherits SIGINT ignored; systemd resets it.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Role:
    """A role's process, its stderr read from the start (a full pipe would stall it)."""

    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        assert proc.stderr is not None
        self.proc = proc
        self.stderr_read = asyncio.create_task(proc.stderr.read())

    @property
    def returncode(self) -> int | None:
        return self.proc.returncode


@contextlib.asynccontextmanager
async def role(argv: list[str], env: dict[str, str], cwd: Path) -> AsyncIterator[Role]:
    proc = await asyncio.create_subprocess_exec(
        *argv,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
        cwd=cwd,
        preexec_fn=_sigint_default,
    )
    running = Role(proc)
    try:
        yield running
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
        await running.stderr_read


async def stop_as_systemd_does(running: Role, unit: str) -> str:
    """The unit's KillSignal=, then its exit status must count as success."""
    service = dict(parse_unit(Path(EXAMPLE.parent / "systemd" / unit))["Service"])
    running.proc.send_signal(getattr(signal, service["KillSignal"]))
    async with asyncio.timeout(STOP_WITHIN_S):
        await running.proc.wait()
    stderr = (await running.stderr_read).decode()
    success = {0, *map(int, service["SuccessExitStatus"].split())}
    assert running.returncode in success, stderr
    assert "Traceback" not in stderr, stderr
    return stderr


async def _poll_ready(url: str, proc: Role) -> httpx.Response:
    """GET ``url`` until it answers 200, the process dies, or the deadline passes."""
    deadline = time.monotonic() + READY_WITHIN_S
    last = None
    async with httpx.AsyncClient(timeout=5) as http:
        while time.monotonic() < deadline:
            assert proc.returncode is None, "the web process ended before it was ready"
            try:
                last = await http.get(url)
                if last.status_code == 200:
                    return last
            except httpx.TransportError:
                pass  # not listening yet
            await asyncio.sleep(0.2)  # a poll interval: the deadline decides, not this
    raise AssertionError(f"{url} not ready within {READY_WITHIN_S} s: {last and last.text}")


async def _job_drawn_by_the_worker(env: dict[str, str], proc: Role, monkeypatch) -> None:
    """Submit a job through the core built from the same environment (no worker of its
    own); the worker process must draw it, store it in the bucket and mark it done."""
    for name, value in env.items():
        if name.startswith("SEEDREAM_"):
            monkeypatch.setenv(name, value)
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    actor = Actor("test", "deploy-1", "Deploy", "en")
    async with bootstrap(settings) as app:
        try:
            await app.core.accept_terms(actor, age_confirmed=True)
            job = await app.core.imagine(actor, ImagineRequest("a lighthouse"), TARGET)
            deadline = time.monotonic() + READY_WITHIN_S
            status = None
            while time.monotonic() < deadline:
                assert proc.returncode is None, "the worker ended before drawing the job"
                async with app.engine.connect() as conn:
                    status = await conn.scalar(
                        text("SELECT status FROM jobs WHERE id = :id"), {"id": job.job_id}
                    )
                if status == "succeeded":
                    break
                await asyncio.sleep(0.2)  # a poll interval: the deadline decides
            assert status == "succeeded", f"job {status} after {READY_WITHIN_S} s"
            assert await app.storage.list_keys("images/")  # in the bucket, not the data dir
        finally:
            assert app.redis is not None
            async for key in app.redis.scan_iter(match=f"{settings.redis_prefix}:*"):
                await app.redis.delete(key)


async def _migrate(env: dict[str, str], cwd: Path) -> None:
    upgrade = await asyncio.to_thread(
        subprocess.run,
        _unit_command("seedream-migrate.service"),
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert upgrade.returncode == 0, upgrade.stderr


async def test_roles_start_from_the_example_environment(deployment_env, tmp_path, monkeypatch):
    env = deployment_env
    await _migrate(env, tmp_path)
    base = f"http://127.0.0.1:{env['SEEDREAM_WEB_PORT']}"
    async with (
        role(_unit_command("seedream-web.service"), env, tmp_path) as web,
        role(_unit_command("seedream-worker@.service"), env, tmp_path) as worker,
    ):
        ready = await _poll_ready(f"{base}/readyz", web)
        assert ready.json() == {
            "status": "ready",
            "database": "ok",
            "redis": "ok",
            "migrations": "ok",
        }
        async with httpx.AsyncClient() as http:
            health = await http.get(f"{base}/healthz")
            live = await http.get(f"{base}/livez")
        assert health.status_code == 200, health.text
        assert health.json()["storage"] == "ok" and health.json()["redis"] == "ok"
        assert live.status_code == 200
        await _job_drawn_by_the_worker(env, worker, monkeypatch)
        await stop_as_systemd_does(worker, "seedream-worker@.service")
        await stop_as_systemd_does(web, "seedream-web.service")


async def test_a_role_started_before_the_upgrade_refuses_and_says_so(deployment_env, tmp_path):
    """What Wants= (not Requires=) on the migrate unit relies on: a role facing an old
    schema exits at once with the hint, and Restart= brings it back once upgraded."""
    result = await asyncio.to_thread(
        subprocess.run,
        _unit_command("seedream-worker@.service"),
        env=deployment_env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "run `seedream db upgrade`" in result.stderr


async def test_telegram_and_worker_units_serve_a_user(deployment_env, tmp_path):
    """The Telegram unit's process takes /imagine, the worker unit's process draws it into
    the bucket, and the result travels back over Redis to the chat."""
    await _migrate(deployment_env, tmp_path)
    async with fake_bot_api() as fake:
        env = dict(
            deployment_env,
            TELEGRAM_BOT_TOKEN=BOT_TOKEN,
            SEEDREAM_TELEGRAM_API_BASE_URL=fake.url,
            SEEDREAM_TELEGRAM_POLL_TIMEOUT_S="1",
            SEEDREAM_TELEGRAM_CHAT_INTERVAL_S="0.01",
        )
        async with (
            role(_unit_command("seedream-telegram.service"), env, tmp_path) as telegram,
            role(_unit_command("seedream-worker@.service"), env, tmp_path) as worker,
        ):
            await fake.push_command(ADA, "/start")
            terms = await fake.wait_for("sendMessage", timeout_s=READY_WITHIN_S)
            accept = terms.markup_buttons()[0]["callback_data"]
            await fake.push_callback(ADA, accept, message=fake.sent_message(terms))
            await fake.wait_for("editMessageText", timeout_s=READY_WITHIN_S)
            mark = fake.mark()
            await fake.push_command(ADA, "/imagine a lighthouse at dusk")
            await fake.wait_for("sendPhoto", after=mark, timeout_s=READY_WITHIN_S)
            await stop_as_systemd_does(worker, "seedream-worker@.service")
            stderr = await stop_as_systemd_does(telegram, "seedream-telegram.service")
    assert BOT_TOKEN not in stderr and "lighthouse" not in stderr


async def test_discord_shard_and_worker_units_serve_a_user(deployment_env, tmp_path, fake_discord):
    """Shard 0 of the Discord template (its default count, 1) identifies as that shard,
    takes /imagine, and the worker unit's process draws it; the result comes back."""
    await _migrate(deployment_env, tmp_path)
    env = dict(
        deployment_env,
        DISCORD_TOKEN=DISCORD_TOKEN,
        SEEDREAM_DISCORD_API_BASE_URL=fake_discord.api_base,
        SEEDREAM_DISCORD_GATEWAY_URL=fake_discord.gateway_url,
    )
    shard = [SEEDREAM, *exec_start("seedream-discord@.service", "0")[1:]]
    async with (
        role(shard, env, tmp_path) as discord,
        role(_unit_command("seedream-worker@.service"), env, tmp_path) as worker,
    ):
        await fake_discord.wait_ready(timeout_s=READY_WITHIN_S)
        assert [i["shard"] for i in fake_discord.identifies] == [[0, 1]]
        await accept_terms(fake_discord)
        sent = await run(fake_discord, "imagine", [option("prompt", "a quiet harbour")])
        assert (await finished(fake_discord, sent)).body["embeds"]
        await stop_as_systemd_does(worker, "seedream-worker@.service")
        stderr = await stop_as_systemd_does(discord, "seedream-discord@.service")
    assert DISCORD_TOKEN not in stderr and "quiet harbour" not in stderr

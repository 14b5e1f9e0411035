"""Rough edges of issue 17 that only the `seedream` process shows: Ctrl-C at the
console prompt, and a PostgreSQL database that was never upgraded."""

from __future__ import annotations

import asyncio
import re
import signal
import subprocess
import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from tests.conftest import PG_URL
from tests.e2e.test_cli import SEEDREAM, _read_until, _run


def _sigint_as_in_a_terminal() -> None:
    # A test run started in the background inherits SIGINT ignored; a terminal's does not.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


async def test_ctrl_c_at_the_console_prompt_leaves_at_once(cli_env, tmp_path):
    proc = await asyncio.create_subprocess_exec(
        SEEDREAM,
        "console",
        "--no-web",
        stdin=subprocess.PIPE,  # held open: the prompt waits for a line that never comes
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=cli_env,
        cwd=tmp_path,
        preexec_fn=_sigint_as_in_a_terminal,
    )
    assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
    try:
        # A command answered, so the console is back at its prompt, reading.
        proc.stdin.write(b"/help\n")
        await proc.stdin.drain()
        await _read_until(proc.stdout, re.compile(r"/imagine"))
        proc.send_signal(signal.SIGINT)
        async with asyncio.timeout(10):  # on main it waited for Enter, however long
            returncode = await proc.wait()
        stderr = (await proc.stderr.read()).decode()
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    assert returncode == 130, stderr
    assert "Traceback" not in stderr, stderr


@pytest.fixture
async def empty_pg_url() -> AsyncIterator[str]:
    """A fresh PostgreSQL database nobody has upgraded (dropped afterwards)."""
    url = make_url(PG_URL)
    name = f"seedream_never_upgraded_{uuid.uuid4().hex[:10]}"
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


def _pg_env(cli_env: dict[str, str], database_url: str) -> dict[str, str]:
    return dict(
        cli_env,
        SEEDREAM_DATABASE_URL=database_url,
        SEEDREAM_ABUSE_HASH_SECRET="e2e-abuse-secret-0123456789abcdef",
    )


UPGRADE_HINT = "run `seedream db upgrade`"
ROLES = [
    (["console", "--no-web"], "/imagine a cat\n"),
    (["run", "--console"], "/imagine a cat\n"),
    (["worker", "--burst"], ""),
    (["web"], ""),
    (["discord"], ""),
    (["telegram"], ""),
]


@pytest.mark.parametrize(("args", "stdin"), ROLES, ids=[r[0][0] + r[0][-1] for r in ROLES])
def test_every_role_refuses_a_database_never_upgraded(cli_env, tmp_path, empty_pg_url, args, stdin):
    env = dict(
        _pg_env(cli_env, empty_pg_url),
        DISCORD_TOKEN="never-used",
        TELEGRAM_TOKEN="123456:never-used",
    )
    result = _run(args, env, tmp_path, stdin=stdin)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert output.count(UPGRADE_HINT) == 1, output  # said once, at start
    assert "Traceback" not in output and "went wrong" not in output, output


def test_once_upgraded_the_same_database_serves(cli_env, tmp_path, empty_pg_url):
    env = _pg_env(cli_env, empty_pg_url)
    assert _run(["db", "upgrade"], env, tmp_path).returncode == 0
    result = _run(["worker", "--burst"], env, tmp_path)
    assert result.returncode == 0, result.stderr
    assert UPGRADE_HINT not in result.stdout + result.stderr

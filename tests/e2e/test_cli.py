"""The `seedream` command as a user runs it: real processes, real HTTP, SQLite and a
local media folder in a temporary directory."""

from __future__ import annotations

import asyncio
import getpass
import os
import re
import socket
import sqlite3
import subprocess
import sys
from asyncio.subprocess import Process
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest

SEEDREAM = str(Path(sys.executable).with_name("seedream"))
LINK = re.compile(r"http://127\.0\.0\.1:\d+/media/\S+")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def cli_env(tmp_path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEEDREAM_")}
    env.update(
        SEEDREAM_DATA_DIR=str(tmp_path / "var"),
        SEEDREAM_WEB_PORT=str(_free_port()),
        SEEDREAM_USER_HINT="e2e",
    )
    env.pop("DISCORD_TOKEN", None)
    env.pop("TELEGRAM_TOKEN", None)
    env.pop("TELEGRAM_BOT_TOKEN", None)
    return env


def _run(
    args: list[str], env: dict[str, str], cwd: Path, stdin: str = ""
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [SEEDREAM, *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=90,
    )


@asynccontextmanager
async def running(args: list[str], env: dict[str, str], cwd: Path) -> AsyncIterator[Process]:
    """A `seedream` process with piped standard streams, killed if it is still running."""
    proc = await asyncio.create_subprocess_exec(
        SEEDREAM,
        *args,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=cwd,
    )
    try:
        yield proc
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()


async def _read_until(stream: asyncio.StreamReader, pattern: re.Pattern, *, timeout_s=60) -> str:
    """Lines from ``stream`` until one matches; returns the match."""
    seen = []
    async with asyncio.timeout(timeout_s):
        while True:
            line = (await stream.readline()).decode()
            if not line:
                raise AssertionError("process ended before printing it; output:\n" + "".join(seen))
            seen.append(line)
            found = pattern.search(line)
            if found:
                return found.group(0)


def test_the_installed_command_starts(cli_env, tmp_path):
    # The parser itself is tested in process (tests/unit/test_cli_parser.py).
    result = _run(["--help"], cli_env, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: seedream")


def test_piped_console_needs_terms_then_prints_a_link(cli_env, tmp_path):
    result = _run(
        ["console", "--no-web"],
        cli_env,
        tmp_path,
        stdin="/imagine a cat\n/accept\n/imagine a cat --seed 3\n",
    )
    assert result.returncode == 1, result.stderr  # the first /imagine was refused
    out = result.stdout
    assert "accept the terms" in out
    assert "received 20 free credits" in out
    assert re.search(r"Done [0-9a-f]{8}:", out) and LINK.search(out)
    # Each line of a job in order, however fast the worker is.
    job = re.search(r"Queued ([0-9a-f]{8})", out)[1]
    assert out.index(f"Queued {job}") < out.index(f"Generating {job}") < out.index(f"Done {job}")
    assert "Traceback" not in out + result.stderr
    assert "a cat" not in (tmp_path / "var" / "seedream.log").read_text()  # prompts not logged


def test_bad_input_in_the_console_gets_messages(cli_env, tmp_path):
    lines = [
        "/accept",
        "/imagine",
        "/imagine " + "x" * 10_000,
        "/imagine \x07\x1b",
        "/imagine a fox --style raw",
        "/credits",
        "/frobnicate",
    ]
    result = _run(["console", "--no-web"], cli_env, tmp_path, stdin="\n".join(lines) + "\n")
    assert result.returncode == 1  # commands were refused
    out = result.stdout
    assert "Please describe the picture" in out
    assert "10,000 characters long; the limit is 1,000" in out
    assert "I don't know the option --style" in out
    assert "Unknown command /frobnicate" in out
    assert "Balance: 20 credits." in out  # nothing was charged
    assert "Traceback" not in out + result.stderr


async def test_run_serves_the_link_it_prints(cli_env, tmp_path):
    async with running(["run", "--console"], cli_env, tmp_path) as proc:
        proc.stdin.write(b"/accept\n/imagine a red fox --ar 16:9\n")
        await proc.stdin.drain()
        link = await _read_until(proc.stdout, LINK)
        async with httpx.AsyncClient() as http:
            response = await http.get(link)
            assert response.status_code == 200
            assert response.headers["content-type"] == "image/png"
            assert response.content.startswith(b"\x89PNG")
            tampered = await http.get(link[:-1] + ("0" if link[-1] != "0" else "1"))
            assert tampered.status_code == 403
            health = await http.get(f"http://127.0.0.1:{cli_env['SEEDREAM_WEB_PORT']}/healthz")
            assert health.json()["status"] == "ok"
        proc.stdin.write(b"/credits\n")
        await proc.stdin.drain()
        assert await _read_until(proc.stdout, re.compile(r"Balance: \d+ credits")) == (
            "Balance: 19 credits"
        )
        proc.stdin.close()
        assert await asyncio.wait_for(proc.wait(), 30) == 0


async def test_separate_web_process_serves_console_links(cli_env, tmp_path):
    async with running(["web"], cli_env, tmp_path) as web:
        await _read_until(web.stderr, re.compile(r"web listening"))
        result = await asyncio.to_thread(
            _run, ["console", "--no-web"], cli_env, tmp_path, "/accept\n/imagine a cat\n"
        )
        link = LINK.search(result.stdout).group(0)
        async with httpx.AsyncClient() as http:
            response = await http.get(link)
        assert response.status_code == 200 and response.content.startswith(b"\x89PNG")


def test_admin_grant_balance_and_idempotent_reference(cli_env, tmp_path):
    missing = _run(["admin", "balance", "telegram:42"], cli_env, tmp_path)
    assert missing.returncode == 1 and "no such account" in missing.stderr
    accepted = _run(["console", "--no-web"], cli_env, tmp_path, stdin="/accept\n")
    assert accepted.returncode == 0, accepted.stderr
    user = f"console:{getpass.getuser()}"  # 20 welcome credits
    grant = ["admin", "grant", user, "50", "--reason", "support", "--reference", "ticket-9"]
    first = _run(grant, cli_env, tmp_path)
    again = _run(grant, cli_env, tmp_path)
    assert "granted 50 credits; balance 70" in first.stdout
    assert "already done" in again.stdout and "balance 70" in again.stdout
    taken = _run(["admin", "grant", user, "-80", "--reason", "oops"], cli_env, tmp_path)
    assert taken.returncode == 1 and "has 70 credits" in taken.stderr
    balance = _run(["admin", "balance", user], cli_env, tmp_path)
    assert "balance 70 credits" in balance.stdout


def test_admin_actions_are_audited_as_the_cli(cli_env, tmp_path):
    accepted = _run(["console", "--no-web"], cli_env, tmp_path, stdin="/accept\n")
    assert accepted.returncode == 0, accepted.stderr
    user = f"console:{getpass.getuser()}"
    for args in (
        ["ban", user, "--reason", "spam"],
        ["unban", user],
        ["grant", user, "5", "--reason", "support", "--reference", "ticket-3"],
    ):
        done = _run(["admin", *args], cli_env, tmp_path)
        assert done.returncode == 0, done.stderr
    with sqlite3.connect(tmp_path / "var" / "seedream.db") as db:
        rows = db.execute(
            "SELECT operator, action, note, amount_credits, ledger_reason, ledger_reference "
            "FROM admin_audit ORDER BY id"
        ).fetchall()
    assert rows == [
        ("cli", "ban", "spam", None, None, None),
        ("cli", "unban", None, None, None, None),
        ("cli", "grant", "support", 5, "admin_grant", "ticket-3"),
    ]


def test_db_upgrade_is_repeatable(cli_env, tmp_path):
    for _ in range(2):
        result = _run(["db", "upgrade"], cli_env, tmp_path)
        assert result.returncode == 0, result.stderr
    assert "already up to date" in result.stdout
    assert (tmp_path / "var" / "seedream.db").exists()


def test_start_up_problems_are_one_clear_line(cli_env, tmp_path):
    (tmp_path / "bad.toml").write_text("models = 3")
    bad_catalogue = _run(
        ["worker", "--burst"], {**cli_env, "SEEDREAM_CATALOG_PATH": "bad.toml"}, tmp_path
    )
    assert bad_catalogue.returncode == 2
    assert "invalid catalogue: bad.toml" in bad_catalogue.stderr
    no_db = _run(
        ["db", "upgrade"],
        {
            **cli_env,
            "SEEDREAM_DATABASE_URL": f"postgresql+asyncpg://postgres@127.0.0.1:{_free_port()}/x",
        },
        tmp_path,
    )
    assert no_db.returncode == 2 and "cannot start" in no_db.stderr
    assert "Traceback" not in bad_catalogue.stderr + no_db.stderr


async def test_a_configured_provider_is_used_and_listed(cli_env, tmp_path):
    from tests.support import fake_ark
    from tests.support.servers import serve_asgi

    app = fake_ark.make_app()
    async with serve_asgi(app) as base_url:
        env = {
            **cli_env,
            "ARK_API_KEY": fake_ark.API_KEY,
            "SEEDREAM_ARK_BASE_URL": f"{base_url}/api/v3",
        }
        async with running(["console", "--no-web"], env, tmp_path) as proc:
            out, err = await asyncio.wait_for(
                proc.communicate(b"/accept\n/models\n/imagine a lighthouse --ar 16:9\n/credits\n"),
                60,
            )
    text = out.decode()
    assert proc.returncode == 0, err.decode()
    assert "seedream: Seedream 4.5" in text and "preview:" in text
    assert "gpt-image" not in text  # no OpenAI key: hidden
    assert LINK.search(text)
    assert len(app.state.requests) == 1  # the default model went to the configured service
    assert app.state.requests[0].body["model"] == "seedream-4-5-251128"
    assert "Balance: 16 credits" in text  # 20 - 4 for one Seedream image
    assert fake_ark.API_KEY not in (tmp_path / "var" / "seedream.log").read_text()


async def test_console_privacy_commands_then_purge(cli_env, tmp_path):
    """/privacy, /settings training on, /mydata (the link serves a ZIP), the hourly limit,
    /gallery (the page shows the image until /forgetme), /forgetme with its code, then
    `seedream purge` on the same data."""
    import io
    import json
    import zipfile

    async with running(["console"], cli_env, tmp_path) as proc:

        async def say(line: str) -> None:
            proc.stdin.write(line.encode() + b"\n")
            await proc.stdin.drain()

        await say("/accept")
        await say("/imagine a secret otter")
        await _read_until(proc.stdout, LINK)  # the job's image
        await say("/privacy")
        await _read_until(proc.stdout, re.compile(r"Seedream bot privacy policy"))
        await say("/settings training on")
        await _read_until(proc.stdout, re.compile(r"may now be used to improve models"))
        await say("/mydata")
        link = await _read_until(
            proc.stdout, re.compile(r"http://127\.0\.0\.1:\d+/media/exports/\S+")
        )
        async with httpx.AsyncClient() as http:
            response = await http.get(link)
        assert response.status_code == 200
        archive = zipfile.ZipFile(io.BytesIO(response.content))
        generations = json.loads(archive.read("generations.json"))["generations"]
        assert generations[0]["prompt"] == "a secret otter"
        await say("/mydata")
        await _read_until(proc.stdout, re.compile(r"one data export an hour"))
        await say("/gallery")  # the personal web page, served by the same process
        gallery = await _read_until(
            proc.stdout, re.compile(r"http://127\.0\.0\.1:\d+/gallery/t/\S+")
        )
        async with httpx.AsyncClient(follow_redirects=True) as browser:
            page = await browser.get(gallery)
            assert page.status_code == 200 and "a secret otter" in page.text
            assert page.url.path == "/gallery"
            await say("/forgetme")
            code = await _read_until(proc.stdout, re.compile(r"[A-Z2-9]{4}-[A-Z2-9]{4}"))
            await say(f"/forgetme {code}")
            receipt = await _read_until(proc.stdout, re.compile(r"Erased at .*"))
            gone = await browser.get(page.url)  # the session ended with the account
            assert gone.status_code == 403 and "otter" not in gone.text
        assert "1 generation with its prompt" in receipt and "1 export," in receipt
        await say("/history")
        await _read_until(proc.stdout, re.compile(r"accept the terms"))
        proc.stdin.close()
        assert await asyncio.wait_for(proc.wait(), 30) == 1  # refusals: export, history
    purge = _run(["purge"], cli_env, tmp_path)
    assert purge.returncode == 0, purge.stderr
    assert "exports_deleted: 0" in purge.stdout and "images_purged: 0" in purge.stdout
    assert not list((tmp_path / "var" / "media").rglob("*.png"))  # erased with the user
    assert "a secret otter" not in (tmp_path / "var" / "seedream.log").read_text()

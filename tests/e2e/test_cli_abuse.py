"""Erasure is no loophole, as a user tries it in the console (issue 12): /accept,
/redeem FARM, /forgetme and the code, again and again: the welcome credits and the code
come once. And a production process without the hash secret refuses to start."""

from __future__ import annotations

import asyncio
import re

from tests.e2e.test_cli import _read_until, _run, cli_env, running  # noqa: F401 (fixture)

ANSWER = re.compile(r"(You received \d+ free credits|You can now create images)")
REDEEM = re.compile(r"(Promo code FARM redeemed|already redeemed the promo code \"FARM\")")
BALANCE = re.compile(r"Balance: \d+ credits\.$")
CODE = re.compile(r"/forgetme ([A-Z0-9]{4}-[A-Z0-9]{4})")
RECEIPT = re.compile(r"Erased at .*")


def test_forgetme_and_come_back_gets_no_second_grant(cli_env, tmp_path):  # noqa: F811
    made = _run(
        ["admin", "promo", "create", "FARM", "--credits", "50", "--max-redemptions", "100"],
        cli_env,
        tmp_path,
    )
    assert made.returncode == 0, made.stderr
    seen = asyncio.run(_farm(cli_env, tmp_path, cycles=3))
    assert seen[0] == ("You received 20 free credits", "Promo code FARM redeemed", "70")
    for later in seen[1:]:
        assert later == ("You can now create images", 'already redeemed the promo code "FARM"', "0")


async def _farm(env, cwd, *, cycles: int) -> list[tuple[str, str, str]]:
    seen = []
    async with running(["console", "--no-web"], env, cwd) as proc:
        for _ in range(cycles):
            proc.stdin.write(b"/accept\n/redeem FARM\n/credits\n/forgetme\n")
            await proc.stdin.drain()
            accepted = await _read_until(proc.stdout, ANSWER)
            redeemed = await _read_until(proc.stdout, REDEEM)
            balance = await _read_until(proc.stdout, BALANCE)
            line = await _read_until(proc.stdout, CODE)
            proc.stdin.write(f"/forgetme {CODE.search(line)[1]}\n".encode())
            await proc.stdin.drain()
            receipt = await _read_until(proc.stdout, RECEIPT)
            assert "abuse prevention" in receipt
            seen.append((accepted, redeemed, re.search(r"\d+", balance)[0]))
        proc.stdin.close()
        refused = cycles > 1  # the later redemptions were refused: exit status 1
        assert await asyncio.wait_for(proc.wait(), 30) == (1 if refused else 0)
    return seen


def test_production_without_the_hash_secret_refuses_to_start(cli_env, tmp_path):  # noqa: F811
    env = dict(cli_env, SEEDREAM_DATABASE_URL="postgresql+asyncpg://seedream@127.0.0.1:1/none")
    result = _run(["worker", "--burst"], env, tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "seedream: cannot start: SEEDREAM_ABUSE_HASH_SECRET is not set; a PostgreSQL "
        "deployment needs it (a long random value, kept across restarts: see README, "
        "Abuse prevention)"
    ]
    assert not (tmp_path / "var" / "abuse-hash.key").exists()

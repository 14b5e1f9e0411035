"""Billing as a user and an operator meet it: `seedream admin promo create`, and the
console's /credits, /buy, /subscribe and /redeem, without Stripe keys and against the
loopback fake Stripe (the purchase-landed message arrives in the console)."""

from __future__ import annotations

import asyncio
import os
import re

import httpx
import pytest

from tests.e2e.test_cli import _free_port, _read_until, _run, running
from tests.support.fake_stripe import API_KEY, WEBHOOK_SECRET, FakeStripe
from tests.support.servers import serve_asgi

CHECKOUT = re.compile(r"http://127\.0\.0\.1:\d+/pay/cs_test_[0-9a-f]+")


@pytest.fixture
def cli_env(tmp_path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SEEDREAM_", "STRIPE_"))}
    env.update(SEEDREAM_DATA_DIR=str(tmp_path / "var"), SEEDREAM_WEB_PORT=str(_free_port()))
    env.pop("DISCORD_TOKEN", None)
    env.pop("TELEGRAM_TOKEN", None)
    return env


def test_promo_created_by_the_operator_and_redeemed_in_the_console(cli_env, tmp_path):
    made = _run(
        [
            "admin",
            "promo",
            "create",
            "welcome10",
            "--credits",
            "10",
            "--max-redemptions",
            "5",
            "--expires",
            "2099-01-31",
        ],
        cli_env,
        tmp_path,
    )
    assert made.returncode == 0, made.stderr
    assert made.stdout.strip() == (
        "promo code WELCOME10: 10 credits, 5 redemptions, expires 2099-01-31 23:59 UTC"
    )
    twice = _run(
        ["admin", "promo", "create", "WELCOME10", "--credits", "1", "--max-redemptions", "1"],
        cli_env,
        tmp_path,
    )
    assert twice.returncode == 1 and "WELCOME10 already exists" in twice.stderr
    # A malformed --expires is refused by the parser (tests/unit/test_cli_parser.py).

    lines = [
        "/accept",
        "/redeem welcome10",
        "/redeem WELCOME10",
        "/redeem nope",
        "/credits",
        "/buy small",
        "/subscribe pro",
    ]
    result = _run(["console", "--no-web"], cli_env, tmp_path, stdin="\n".join(lines) + "\n")
    out = result.stdout
    assert result.returncode == 1, result.stderr  # refusals: already redeemed, NOPE, ...
    assert "Promo code WELCOME10 redeemed: 10 credits added. Balance: 30 credits." in out
    assert 'You have already redeemed the promo code "WELCOME10".' in out
    assert 'There is no promo code "NOPE".' in out
    assert "Balance: 30 credits." in out and "+10  promo code  (WELCOME10:1)" in out
    assert "Buying credits is not available on this bot (payments are not configured)." in out
    assert out.count("Payments are not enabled on this bot.") == 2  # /buy and /subscribe
    assert "Traceback" not in out + result.stderr


async def test_console_buys_a_pack_and_hears_when_it_lands(cli_env, tmp_path):
    fake = FakeStripe()
    async with serve_asgi(fake.app) as stripe_url:
        fake.base_url = stripe_url
        cli_env.update(
            STRIPE_SECRET_KEY=API_KEY,
            STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET,
            SEEDREAM_STRIPE_API_BASE=stripe_url,
        )
        async with running(["console"], cli_env, tmp_path) as proc:
            proc.stdin.write(b"/accept\n/credits\n/buy huge\n/buy small\n")
            await proc.stdin.drain()
            assert await _read_until(proc.stdout, re.compile(r"small: 100 credits for 5\.00 USD"))
            assert await _read_until(proc.stdout, re.compile(r'no credit pack called "huge"'))
            link = await _read_until(proc.stdout, CHECKOUT)
            session_id = link.rsplit("/", 1)[1]
            body, headers = fake.signed(fake.pay(session_id))
            port = cli_env["SEEDREAM_WEB_PORT"]
            async with httpx.AsyncClient() as http:
                reply = await http.post(
                    f"http://127.0.0.1:{port}/stripe/webhook", content=body, headers=headers
                )
            assert reply.status_code == 200 and reply.json()["outcome"] == "credited"
            landed = await _read_until(proc.stdout, re.compile(r"Payment received: .*"))
            assert landed == "Payment received: 100 credits added. Balance: 120 credits."
            proc.stdin.write(b"/subscribe manage\n")
            await proc.stdin.drain()
            assert await _read_until(proc.stdout, re.compile(r"/portal/bps_\w+"))
            proc.stdin.close()
            assert await asyncio.wait_for(proc.wait(), 30) == 1  # "/buy huge" was refused
            log = (tmp_path / "var" / "seedream.log").read_text()
            assert API_KEY not in log and WEBHOOK_SECRET not in log


def test_refund_stars_without_the_telegram_adapter_says_so(cli_env, tmp_path):
    result = _run(["admin", "refund-stars", "charge-1"], cli_env, tmp_path)
    assert result.returncode == 1
    assert "not available in this process" in result.stderr

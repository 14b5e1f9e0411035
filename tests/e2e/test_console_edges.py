"""Rough edges a new user hit in the console (issue 17, edges 13 and 15), with the
embedded core (SQLite, in-process queue, local images)."""

from __future__ import annotations

import asyncio
import io
import re

from sqlalchemy import func, select

from adapters.console.adapter import ConsoleAdapter
from core.db.tables import consents
from core.types import Actor
from tests.conftest import unique_user

RLO = "\u202e"


def _console(app) -> tuple[ConsoleAdapter, io.StringIO, str]:
    out, user_id = io.StringIO(), unique_user("console")
    console = ConsoleAdapter(
        app.core, app.messages, app.events, stdin=io.StringIO(), stdout=out, user_id=user_id
    )
    return console, out, user_id


async def _said(console, out: io.StringIO, line: str) -> str:
    before = len(out.getvalue())
    await console.handle_line(line)
    return out.getvalue()[before:]


async def test_settings_show_every_switch_and_help_mentions_file(embedded_app):
    console, out, _ = _console(embedded_app)
    await console.handle_line("/accept")
    shown = await _said(console, out, "/settings")
    assert "file" in shown and "private" in shown and "training" in shown
    assert "off" in shown
    shown = await _said(console, out, "/settings --file on")
    assert re.search(r"files?[^,.]*: on", shown), shown
    assert "--file" in await _said(console, out, "/help")


async def test_redeem_without_a_code_asks_for_one(embedded_app):
    console, out, _ = _console(embedded_app)
    await console.handle_line("/accept")
    said = await _said(console, out, "/redeem")
    assert 'promo code ""' not in said
    assert "/redeem CODE" in said or "/redeem WELCOME" in said, said
    said = await _said(console, out, f"/redeem {RLO}")
    assert 'promo code ""' not in said and RLO not in said


async def test_redeem_strips_a_right_to_left_override(embedded_app):
    await embedded_app.core.billing.create_promo(
        "SPRING-5", amount_credits=5, max_redemptions=5, expires_at=None
    )
    console, out, _ = _console(embedded_app)
    await console.handle_line("/accept")
    refused = await _said(console, out, f"/redeem NOPE{RLO}X")
    assert RLO not in refused and "NOPEX" in refused
    done = await _said(console, out, f"/redeem {RLO}spring-5")
    assert RLO not in done and "SPRING-5 redeemed" in done


async def test_cancel_of_a_running_or_finished_job_says_so(embedded_app):
    app = embedded_app
    console, out, user_id = _console(app)
    consumer = asyncio.create_task(app.events.consume())
    try:
        await console.handle_line("/accept")
        await console.handle_line("/imagine a red fox")
        await app.worker.run(burst=True)
        await asyncio.wait_for(console._all_done.wait(), timeout=30)
        (job,) = await app.core.history(Actor("console", user_id))
        said = await _said(console, out, f"/cancel {job.job_id[:8]}")
    finally:
        consumer.cancel()
        await asyncio.gather(consumer, return_exceptions=True)
    assert "could not find" not in said, said
    assert job.job_id[:8] in said and "finished" in said, said


async def test_accepting_twice_records_the_consent_once(embedded_app):
    console, _out, user_id = _console(embedded_app)
    await console.handle_line("/accept")
    await console.handle_line("/accept")
    account = await embedded_app.core.account(Actor("console", user_id))
    async with embedded_app.uow() as tx:
        count = await tx.conn.scalar(
            select(func.count()).where(consents.c.account_id == account.account_id)
        )
    assert count == 2  # terms and 13+, once each


async def test_link_code_names_both_platforms_in_the_users_language(embedded_app):
    """The console's /link code works on Discord or Telegram: said in the user's words
    (it was "Discord or Telegram" from code, inside the Spanish sentence)."""
    for locale, either in (("es", "Discord o Telegram"), ("de", "Discord- oder Telegram-Konto")):
        out = io.StringIO()
        console = ConsoleAdapter(
            embedded_app.core,
            embedded_app.messages,
            embedded_app.events,
            stdin=io.StringIO(),
            stdout=out,
            user_id=unique_user("console"),
            locale=locale,
        )
        await console.handle_line("/accept")
        said = await _said(console, out, "/link")
        assert either in said and " or " not in said, said


async def test_giving_up_on_unfinished_jobs_is_said_in_the_users_language(embedded_app):
    """No worker runs here, so the job stays queued and the console stops waiting."""
    out = io.StringIO()
    console = ConsoleAdapter(
        embedded_app.core,
        embedded_app.messages,
        embedded_app.events,
        stdin=io.StringIO("/accept\n/imagine a fox in snow\n"),
        stdout=out,
        user_id=unique_user("console"),
        locale="de",
        wait_for_jobs_s=0.05,
    )
    assert await console.run() == 1
    assert out.getvalue().rstrip().endswith("(Warten auf 1 Auftrag abgebrochen)"), out.getvalue()

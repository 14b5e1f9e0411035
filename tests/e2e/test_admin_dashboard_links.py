"""Dashboard links as operators ask for them (issue 18): `seedream admin dashboard-link`
(and --revoke), `/admin dashboard` on Discord (SEEDREAM_DISCORD_ADMIN_IDS, a private
answer) and on Telegram (SEEDREAM_TELEGRAM_ADMIN_IDS, in the private chat only; anyone
else gets the unknown-command answer, never a link)."""

from __future__ import annotations

import re

import pytest

from bot.bootstrap import bootstrap
from bot.settings import Settings
from core import WebLinkInvalid
from tests.e2e import test_telegram as base
from tests.e2e.discord_harness import ADMIN_ID, reply_text, running_adapter
from tests.e2e.test_cli import _run, cli_env  # noqa: F401 (the fixture)
from tests.e2e.test_discord_commands import EPHEMERAL
from tests.support.fake_telegram import group_chat, user
from tests.support.telegram_harness import running_adapter as telegram_adapter

app, fake = base.app, base.fake  # the Telegram suite's fixtures
OPERATOR = user(777001, first_name="Olga")
STRANGER = user(777002, first_name="Sam")
LINK = re.compile(r"http://127\.0\.0\.1:9/dashboard/t/(\S+)")


async def test_telegram_gives_operators_a_link_in_the_private_chat_only(app, fake):
    async with telegram_adapter(app, fake, admin_user_ids=frozenset({OPERATOR["id"]})):
        mark = fake.mark()
        await fake.push_command(OPERATOR, "/admin dashboard")
        ready = await fake.wait_for("sendMessage", after=mark)
        assert ready.params["chat_id"] == str(OPERATOR["id"])
        found = LINK.search(ready.params["text"])
        assert found and "operator dashboard" in ready.params["text"]
        grant = await app.core.dashboard_links.open(found.group(1))
        assert grant.operator == f"telegram:{OPERATOR['id']}"

        mark = fake.mark()
        await fake.push_command(OPERATOR, "/admin dashboard", chat=group_chat())
        refused = await fake.wait_for("sendMessage", after=mark)
        assert "private chat" in refused.params["text"] and "/dashboard/t/" not in str(
            refused.params
        )

        mark = fake.mark()
        await fake.push_command(OPERATOR, "/admin")
        usage = await fake.wait_for("sendMessage", after=mark)
        assert "/admin dashboard" in usage.params["text"] and "/dashboard/t/" not in str(
            usage.params
        )

        # Not an operator: what an unknown command gets. In private, the /help pointer...
        mark = fake.mark()
        await fake.push_command(STRANGER, "/admin dashboard")
        answer = await fake.wait_for("sendMessage", after=mark)
        mark = fake.mark()
        await fake.push_command(STRANGER, "/nosuchcommand")
        unknown = await fake.wait_for("sendMessage", after=mark)
        assert answer.params["text"] == unknown.params["text"].replace("/nosuchcommand", "/admin")
        assert "/dashboard/t/" not in str(answer.params)
        # ...in a group, silence: the next answer there is the one to /help that follows.
        mark = fake.mark()
        await fake.push_command(STRANGER, "/admin dashboard", chat=group_chat())
        await fake.push_command(STRANGER, "/help", chat=group_chat())
        first = await fake.wait_for("sendMessage", after=mark)
        assert "/imagine" in first.params["text"] and "/dashboard/t/" not in str(first.params)
        # The first link still works: no refusal issued a new one.
        assert (await app.core.dashboard_links.check(grant.link_id)).operator.startswith(
            "telegram:"
        )


async def test_discord_gives_operators_a_private_link(embedded_app, fake_discord):
    def dashboard(**kwargs) -> dict:
        return fake_discord.command(
            "admin", [{"name": "dashboard", "type": 1, "options": []}], **kwargs
        )

    async with running_adapter(embedded_app, fake_discord):
        denied = await fake_discord.send(dashboard())
        text = await reply_text(fake_discord, denied, "operators")
        assert "/dashboard/t/" not in text

        sent = await fake_discord.send(dashboard(user_id=ADMIN_ID))
        callback = await fake_discord.callback_for(sent)
        assert (callback.body.get("data") or {}).get("flags", 0) & EPHEMERAL
        text = await reply_text(fake_discord, sent, "/dashboard/t/")
        found = LINK.search(text) or re.search(r"/dashboard/t/(\S+)", text)
        assert found
        grant = await embedded_app.core.dashboard_links.open(found.group(1))
        assert grant.operator == f"discord:{ADMIN_ID}"


def test_the_cli_prints_a_link_and_revokes_it(cli_env, tmp_path):  # noqa: F811
    made = _run(["admin", "dashboard-link"], cli_env, tmp_path)
    assert made.returncode == 0, made.stderr
    url = made.stdout.strip()
    assert "/dashboard/t/" in url and "\n" not in url
    assert "works until" in made.stderr and url not in made.stderr

    revoked = _run(["admin", "dashboard-link", "--revoke"], cli_env, tmp_path)
    assert revoked.returncode == 0 and "revoked 1 dashboard link" in revoked.stdout
    again = _run(["admin", "dashboard-link", "--revoke"], cli_env, tmp_path)
    assert "revoked 0 dashboard links" in again.stdout


async def test_the_cli_link_opens_for_the_cli_operator_until_revoked(cli_env, tmp_path):  # noqa: F811
    made = _run(["admin", "dashboard-link"], cli_env, tmp_path)
    token = made.stdout.strip().rsplit("/", 1)[1]
    here = Settings(data_dir=tmp_path / "var")
    async with bootstrap(here) as built:
        assert (await built.core.dashboard_links.open(token)).operator == "cli"
    _run(["admin", "dashboard-link", "--revoke"], cli_env, tmp_path)
    async with bootstrap(here) as built:
        with pytest.raises(WebLinkInvalid):
            await built.core.dashboard_links.open(token)

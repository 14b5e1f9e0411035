"""The `seedream` command line parsed in process: every command's --help, the options each
role reads, and the refusals that happen before anything starts. tests/e2e/test_cli.py
keeps a subprocess run of the installed entry point."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot import cli, roles
from bot.settings import Settings

COMMANDS = [
    [],
    ["run"],
    ["console"],
    ["worker"],
    ["web"],
    ["telegram"],
    ["discord"],
    ["db"],
    ["db", "upgrade"],
    ["purge"],
    ["backup"],
    ["restore"],
    ["admin"],
    ["admin", "grant"],
    ["admin", "balance"],
    ["admin", "ban"],
    ["admin", "unban"],
    ["admin", "promo"],
    ["admin", "promo", "create"],
    ["admin", "refund-stars"],
    ["admin", "stars-refunds"],
]


def _exit_code(argv: list[str]) -> int | str | None:
    with pytest.raises(SystemExit) as stopped:
        cli.main(argv)
    return stopped.value.code


@pytest.mark.parametrize("args", COMMANDS, ids=lambda args: " ".join(args) or "seedream")
def test_help_everywhere(args, capsys):
    assert _exit_code([*args, "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(" ".join(["usage: seedream", *args]))


def test_the_top_level_help_lists_every_command(capsys):
    _exit_code(["--help"])
    out = capsys.readouterr().out
    for command in ("run", "console", "worker", "discord", "telegram", "web", "db", "purge"):
        assert f"    {command} " in out, command


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "the following arguments are required: COMMAND"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
        (["db"], "the following arguments are required: TASK"),
        (["admin", "grant", "telegram:1", "5"], "the following arguments are required: --reason"),
        (["admin", "grant", "telegram:1", "five", "--reason", "x"], "invalid int value: 'five'"),
        (["admin", "ban", "telegram:1"], "the following arguments are required: --reason"),
        (
            ["worker", "--concurrency", "many"],
            "the worker concurrency must be a whole number, at least 1 (got 'many')",
        ),
        (["run", "--console", "--no-console"], "not allowed with argument --console"),
        (
            "admin promo create X1Y --credits 1 --max-redemptions 1 --expires soon".split(),
            "use YYYY-MM-DD",
        ),
    ],
)
def test_usage_errors_exit_2_with_the_reason(argv, message, capsys):
    assert _exit_code(argv) == 2
    assert message in capsys.readouterr().err


def test_the_options_each_role_reads():
    parse = cli._parser().parse_args
    assert parse(["run"]).console is None
    assert parse(["run", "--console"]).console is True
    assert parse(["run", "--no-console"]).console is False
    assert parse(["console"]).no_web is False and parse(["console", "--no-web"]).no_web is True
    worker = parse(["worker", "--concurrency", "3", "--burst"])
    assert (worker.concurrency, worker.burst) == (3, True)
    discord = parse(["discord", "--shard-ids", "0,1", "--shard-count", "3", "--sync-commands"])
    assert (discord.shard_ids, discord.shard_count, discord.sync_commands) == ("0,1", 3, True)
    grant = parse(["admin", "grant", "telegram:42", "-80", "--reason", "oops"])
    assert (grant.user, grant.credits, grant.reason, grant.reference) == (
        "telegram:42",
        -80,
        "oops",
        None,
    )
    promo = parse(
        "admin promo create welcome10 --credits 10 --max-redemptions 5 --expires 2099-01-31".split()
    )
    assert (promo.code, promo.credits, promo.max_redemptions) == ("welcome10", 10, 5)
    assert promo.expires == datetime(2099, 1, 31, 23, 59, 59, tzinfo=UTC)
    assert parse(["admin", "stars-refunds", "--resume"]).resume is True


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "set DISCORD_TOKEN"),
        (["--shard-ids", "0"], "needs --shard-count"),
        (["--shard-ids", "5", "--shard-count", "2"], "between 0 and 1"),
        (["--shard-ids", "a"], "expected numbers"),
    ],
)
async def test_discord_role_refuses_bad_options_before_starting(args, message, monkeypatch):
    if args:
        monkeypatch.setenv("DISCORD_TOKEN", "token")
    parsed = cli._parser().parse_args(["discord", *args])
    with pytest.raises(SystemExit) as stopped:
        await cli._dispatch(parsed, Settings())
    assert message in str(stopped.value.code)


def test_shard_lists():
    assert roles.parse_shards(None, None) is None
    assert roles.parse_shards("1,0, 1", 3) == (0, 1)
    assert roles.parse_shards("2", 3) == (2,)


async def test_admin_commands_refuse_a_user_without_a_platform():
    parsed = cli._parser().parse_args(["admin", "grant", "nocolon", "5", "--reason", "x"])
    with pytest.raises(SystemExit) as stopped:
        await cli._dispatch(parsed, Settings())
    assert "platform:user_id" in str(stopped.value.code)

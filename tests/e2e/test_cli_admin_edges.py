"""Rough edges of the `seedream` command an operator hit (issue 17, edges 8, 11 and 15):
each runs the installed command in a temporary directory, as the operator did."""

from __future__ import annotations

import getpass
import tomllib
from pathlib import Path

from tests.e2e.test_cli import _run, cli_env  # noqa: F401 (the fixture)

ROOT = Path(__file__).resolve().parents[2]


def _console_user(env, cwd) -> str:
    """The account the piped console makes for whoever runs it (console:<login name>),
    with the 20 welcome credits."""
    result = _run(["console", "--no-web"], env, cwd, stdin="/accept\n")
    assert result.returncode == 0, result.stderr
    return f"console:{getpass.getuser()}"


def _grant(user: str, amount: str, env, cwd, *extra: str):
    return _run(["admin", "grant", user, amount, "--reason", "support", *extra], env, cwd)


def test_a_grant_beyond_the_limit_is_refused_without_a_traceback(cli_env, tmp_path):  # noqa: F811
    user = _console_user(cli_env, tmp_path)
    seed = _grant(user, "5", cli_env, tmp_path)
    assert seed.returncode == 0, seed.stderr
    for amount in ("99999999999999999999", "2000000000", "-2000000000", "0"):
        result = _grant(user, amount, cli_env, tmp_path)
        assert result.returncode == 1, (amount, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr and "INSERT" not in result.stderr
        assert "1,000,000,000" in result.stderr, result.stderr
    balance = _run(["admin", "balance", user], cli_env, tmp_path)
    assert "balance 25 credits" in balance.stdout


def test_grant_and_unban_never_create_an_account(cli_env, tmp_path):  # noqa: F811
    for args in (
        ["admin", "grant", "telegram:7", "10", "--reason", "support"],
        ["admin", "unban", "telegram:7"],
        ["admin", "ban", "telegram:7", "--reason", "spam"],
    ):
        result = _run(args, cli_env, tmp_path)
        assert result.returncode == 1, (args, result.stdout)
        assert "telegram:7: no such account" in result.stderr, result.stderr
    missing = _run(["admin", "balance", "telegram:7"], cli_env, tmp_path)
    assert missing.returncode == 1 and "no such account" in missing.stderr


def test_a_negative_grant_is_a_debit_in_operator_words(cli_env, tmp_path):  # noqa: F811
    user = _console_user(cli_env, tmp_path)
    _grant(user, "30", cli_env, tmp_path)
    taken = _grant(user, "-20", cli_env, tmp_path)
    assert taken.returncode == 0, taken.stderr
    assert "took back 20 credits; balance 30" in taken.stdout
    assert "granted" not in taken.stdout
    too_much = _grant(user, "-80", cli_env, tmp_path)
    assert too_much.returncode == 1
    # An operator's message, not the chat text meant for users ("Use /credits ...").
    assert "/credits" not in too_much.stderr and "You need" not in too_much.stderr
    assert "30" in too_much.stderr and "80" in too_much.stderr


def test_a_worker_concurrency_below_one_is_refused(cli_env, tmp_path):  # noqa: F811
    for args, env in (
        (["worker", "--burst", "--concurrency", "0"], cli_env),
        (["worker", "--burst", "--concurrency", "-1"], cli_env),
        (["worker", "--burst"], {**cli_env, "SEEDREAM_WORKER_CONCURRENCY": "0"}),
    ):
        result = _run(args, env, tmp_path)
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        assert "concurrency" in result.stderr and "at least 1" in result.stderr
        assert "Traceback" not in result.stderr


def test_db_upgrade_says_how_many_migrations_it_applied(cli_env, tmp_path):  # noqa: F811
    first = _run(["db", "upgrade"], cli_env, tmp_path)
    assert first.returncode == 0, first.stderr
    assert "applied" in first.stdout and "up to date" not in first.stdout, first.stdout
    count = int(first.stdout.split("applied ")[1].split()[0])
    assert count == len(list((ROOT / "migrations" / "versions").glob("*.py")))
    again = _run(["db", "upgrade"], cli_env, tmp_path)
    assert "already up to date" in again.stdout


def test_version(cli_env, tmp_path):  # noqa: F811
    result = _run(["--version"], cli_env, tmp_path)
    assert result.returncode == 0
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert result.stdout.strip() == f"seedream {version}"


def test_the_licence_is_an_spdx_expression():
    """setuptools (77 and later) warns at every install about a `license = { text = ... }`
    table; an SPDX string is the form it asks for, and the build needs a setuptools that
    reads it."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert isinstance(project["project"]["license"], str)
    requires = project["build-system"]["requires"]
    assert any(r.replace(" ", "").startswith("setuptools>=77") for r in requires), requires


def test_the_readme_does_not_promise_the_discord_adapter_for_later():
    assert "arrives later" not in (ROOT / "README.md").read_text()


def test_a_piped_console_exits_non_zero_when_a_command_was_refused(cli_env, tmp_path):  # noqa: F811
    """Edge 14: a script can tell that something went wrong (README: Console)."""
    fine = _run(["console", "--no-web"], cli_env, tmp_path, stdin="/accept\n/imagine a cat\n")
    assert fine.returncode == 0, fine.stderr
    for stdin in ("/imagine a cat --n -3\n", "/frobnicate\n", "/redeem NOPE\n"):
        refused = _run(["console", "--no-web"], cli_env, tmp_path, stdin=stdin)
        assert refused.returncode == 1, (stdin, refused.stdout)
        assert "Traceback" not in refused.stderr

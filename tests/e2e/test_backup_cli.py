"""`seedream backup` and `seedream restore` as an operator runs them (SQLite and a local
media folder in a temporary directory): the exit statuses and what they print."""

from __future__ import annotations

import os
import re
from pathlib import Path

from tests.e2e.test_cli import _run, cli_env  # noqa: F401  (the fixture)
from tests.support.backups import PG_URL

WRITTEN = re.compile(r"backup written to (\S+)")


def test_backup_then_restore_refuses_a_used_database_and_reports_a_lost_object(
    cli_env,  # noqa: F811
    tmp_path,
):
    made = _run(["console"], cli_env, tmp_path, stdin="/accept\n/imagine a red fox\n")
    assert made.returncode == 0, made.stderr
    backed = _run(["backup", str(tmp_path / "backups")], cli_env, tmp_path)
    assert backed.returncode == 0, backed.stderr
    assert "objects: 2 listed" in backed.stdout  # the image and its chat preview
    folder = WRITTEN.search(backed.stdout).group(1)

    refused = _run(["restore", folder], cli_env, tmp_path)
    assert refused.returncode == 2
    assert "restore refused" in refused.stderr and "--force" in refused.stderr

    fresh = {**cli_env, "SEEDREAM_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'new.db'}"}
    restored = _run(["restore", folder], fresh, tmp_path)
    assert restored.returncode == 0, restored.stderr
    assert "2 present, 0 missing" in restored.stdout

    media = Path(cli_env["SEEDREAM_DATA_DIR"]) / "media"
    lost = next(p for p in sorted(media.rglob("*.png")) if "erasure-journal" not in str(p))
    lost.unlink()
    again = _run(["restore", "--force", folder], fresh, tmp_path)
    assert again.returncode == 1
    assert f"missing: {lost.relative_to(media).as_posix()}" in again.stdout


def test_a_postgres_backup_without_pg_dump_says_what_to_install(cli_env, tmp_path):  # noqa: F811
    env = {
        **cli_env,
        "SEEDREAM_DATABASE_URL": PG_URL,
        "SEEDREAM_ABUSE_HASH_SECRET": "cli-test-secret-0123456789",
        "PATH": str(tmp_path / "no-tools"),
    }
    os.makedirs(env["PATH"])
    failed = _run(["backup", str(tmp_path / "backups")], env, tmp_path)
    assert failed.returncode == 2
    assert "pg_dump was not found on PATH" in failed.stderr
    assert "postgresql-client" in failed.stderr

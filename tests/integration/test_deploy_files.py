"""The files under deploy/: the systemd units pass `systemd-analyze verify` (with the
program pointed at this environment's `seedream`), and the compose file's roles run
exactly the units' ExecStart= commands through the Dockerfile's entrypoint."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.settings import Settings
from tests.unit.test_deploy_env import env_names

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
UNITS = DEPLOY / "systemd"
SEEDREAM = str(Path(sys.executable).with_name("seedream"))
UNIT_LABEL = "org.seedream.unit"
# Instances verified for the template units (a worker index; a Discord shard id).
INSTANCES = {"seedream-worker@.service": "1", "seedream-discord@.service": "0"}


def parse_unit(path: Path) -> dict[str, list[tuple[str, str]]]:
    """Sections of a unit file, each a list of ``(key, value)`` in order (keys repeat)."""
    sections: dict[str, list[tuple[str, str]]] = {}
    current = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], [])
            continue
        assert current is not None, f"{path.name}: {line!r} outside a section"
        key, _, value = line.partition("=")
        current.append((key.strip(), value.strip()))
    return sections


def exec_start(unit: str, instance: str = "") -> list[str]:
    """The argv systemd runs for ``unit`` (a template named with its ``@``), its ``%i``
    and the ``${VAR}`` of its own ``Environment=`` lines expanded."""
    service = parse_unit(UNITS / unit)["Service"]
    environment: dict[str, str] = {}
    for key, value in service:
        if key == "Environment":
            name, _, val = value.partition("=")
            environment[name] = val
    (command,) = [value for key, value in service if key == "ExecStart"]
    command = command.replace("%i", instance)
    command = re.sub(r"\$\{(\w+)\}", lambda m: environment[m[1]], command)
    return shlex.split(command)


def template_of(unit_name: str) -> tuple[str, str]:
    """``seedream-worker@1.service`` -> (``seedream-worker@.service``, ``1``)."""
    stem, at, rest = unit_name.partition("@")
    if not at:
        return unit_name, ""
    instance, _, suffix = rest.rpartition(".")
    return f"{stem}@.{suffix}", instance


def entrypoint() -> list[str]:
    (line,) = [
        line
        for line in (DEPLOY / "Dockerfile").read_text(encoding="utf-8").splitlines()
        if line.startswith("ENTRYPOINT ")
    ]
    return json.loads(line.removeprefix("ENTRYPOINT "))


def compose_mismatches(compose: dict) -> list[str]:
    """Every way the compose roles differ from the units; empty when they agree."""
    problems = []
    mirrored = set()
    for name, service in compose["services"].items():
        unit_name = (service.get("labels") or {}).get(UNIT_LABEL)
        if unit_name is None:
            continue
        unit, instance = template_of(unit_name)
        if not (UNITS / unit).exists():
            problems.append(f"{name}: no unit {unit}")
            continue
        mirrored.add(unit)
        expected = exec_start(unit, instance)
        actual = entrypoint() + list(service.get("command") or [])
        if actual != expected:
            problems.append(f"{name}: runs {actual}, {unit_name} runs {expected}")
    for unit in sorted(p.name for p in UNITS.glob("*.service")):
        if unit not in mirrored:
            problems.append(f"no compose service runs {unit}")
    return problems


def load_compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))


def test_compose_runs_exactly_what_the_units_run() -> None:
    assert compose_mismatches(load_compose()) == []


def test_compose_sets_only_settings_the_process_reads() -> None:
    known = {name for field in Settings.model_fields for name in env_names(field)}
    for name, service in load_compose()["services"].items():
        if (service.get("labels") or {}).get(UNIT_LABEL) is None:
            continue
        assert service["env_file"] == ["seedream.env"], name
        assert set(service["environment"]) <= known, name


def test_a_compose_command_that_drifts_is_caught() -> None:
    compose = load_compose()
    compose["services"]["worker"]["command"] = ["worker", "--burst"]
    del compose["services"]["telegram"]
    problems = compose_mismatches(compose)
    assert any(p.startswith("worker: runs") for p in problems)
    assert "no compose service runs seedream-telegram.service" in problems


def test_every_role_of_the_cli_has_a_unit() -> None:
    commands = {
        exec_start(unit.name, INSTANCES.get(unit.name, ""))[1] for unit in UNITS.glob("*.service")
    }
    assert commands == {"web", "worker", "discord", "telegram", "db"}
    assert exec_start("seedream-migrate.service")[1:] == ["db", "upgrade"]
    assert exec_start("seedream-discord@.service", "3")[1:] == [
        "discord",
        "--shard-ids",
        "3",
        "--shard-count",
        "1",
    ]


def test_the_roles_share_the_environment_and_hardening() -> None:
    for unit in UNITS.glob("*.service"):
        service = dict(reversed(parse_unit(unit)["Service"]))  # first value of a key
        files = [v for k, v in parse_unit(unit)["Service"] if k == "EnvironmentFile"]
        assert files[0] == "/etc/seedream/seedream.env", unit.name
        for key, value in {
            "NoNewPrivileges": "yes",
            "ProtectSystem": "strict",
            "PrivateTmp": "yes",
            "User": "seedream",
        }.items():
            assert service.get(key) == value, (unit.name, key)
        if unit.name != "seedream-migrate.service":
            assert service["Restart"] == "on-failure", unit.name
            assert service["KillSignal"] == "SIGINT", unit.name
            unit_section = dict(parse_unit(unit)["Unit"])
            assert "seedream-migrate.service" in unit_section["After"], unit.name


def _systemd_analyze() -> str:
    found = shutil.which("systemd-analyze")
    if found is None:
        pytest.fail("systemd-analyze is missing: install systemd (Debian: apt-get install systemd)")
    return found


def _verify(folder: Path, names: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [_systemd_analyze(), "verify", "--man=no", *names],
        capture_output=True,
        text=True,
        cwd=folder,
        # The copies first; the trailing colon keeps systemd's own units (targets).
        env=dict(os.environ, SYSTEMD_UNIT_PATH=f"{folder}:"),
        timeout=60,
    )


def _copies(folder: Path) -> list[str]:
    """The units copied to ``folder``, ExecStart= pointed at this environment's program;
    the names to verify (templates by an instance)."""
    names = []
    for unit in sorted(UNITS.iterdir()):
        text = unit.read_text(encoding="utf-8")
        (folder / unit.name).write_text(
            text.replace("/opt/seedream/venv/bin/seedream", SEEDREAM), encoding="utf-8"
        )
        stem, at, suffix = unit.name.partition("@")
        names.append(f"{stem}@{INSTANCES[unit.name]}{suffix}" if at else unit.name)
    return names


def test_the_units_pass_systemd_analyze_verify(tmp_path) -> None:
    names = _copies(tmp_path)
    assert len(names) == 6
    result = _verify(tmp_path, names)
    assert result.returncode == 0, result.stderr
    assert result.stderr == "", result.stderr  # warnings (unknown keys, bad values) too


def test_verify_catches_a_bad_unit(tmp_path) -> None:
    names = _copies(tmp_path)
    web = tmp_path / "seedream-web.service"
    web.write_text(web.read_text().replace("ProtectSystem=strict", "ProtectSystem=stricter"))
    result = _verify(tmp_path, names)
    assert "protect system value" in result.stderr

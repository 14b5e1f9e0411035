"""deploy/seedream.env.example is held to bot/settings.py: every setting is there under
the name the process reads, nothing unknown is, and each commented default is the code's."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import AliasChoices, SecretStr

from bot.settings import Settings

EXAMPLE = Path(__file__).resolve().parents[2] / "deploy" / "seedream.env.example"
LINE = re.compile(r"^(?P<commented># )?(?P<name>[A-Z][A-Z0-9_]*)=(?P<value>.*)$")
PREFIX = Settings.model_config["env_prefix"]


def env_names(field_name: str) -> list[str]:
    """The variables the settings read for ``field_name``, the conventional one first."""
    alias = Settings.model_fields[field_name].validation_alias
    if isinstance(alias, AliasChoices):
        return [str(choice) for choice in alias.choices]
    if isinstance(alias, str):
        return [alias]
    return [f"{PREFIX}{field_name}".upper()]


def example_lines() -> list[tuple[str, str, bool]]:
    """``(name, value, commented)`` for each assignment in the example."""
    found = []
    for line in EXAMPLE.read_text(encoding="utf-8").splitlines():
        match = LINE.match(line)
        if match:
            found.append((match["name"], match["value"], bool(match["commented"])))
    return found


def test_every_setting_is_in_the_example_under_its_first_name() -> None:
    names = {name for name, _, _ in example_lines()}
    missing = [env_names(field)[0] for field in Settings.model_fields]
    assert sorted(set(missing) - names) == []


def test_the_example_names_nothing_the_settings_do_not_read() -> None:
    known = {name for field in Settings.model_fields for name in env_names(field)}
    lines = example_lines()
    assert sorted({name for name, _, _ in lines} - known) == []
    names = [name for name, _, _ in lines]
    assert sorted({n for n in names if names.count(n) > 1}) == []  # each once


def _field_of(name: str) -> str:
    return next(field for field in Settings.model_fields if name in env_names(field))


def _plain(value: object) -> object:
    return value.get_secret_value() if isinstance(value, SecretStr) else value


def test_each_commented_default_is_the_codes_default(monkeypatch) -> None:
    defaults = Settings(_env_file=None)  # type: ignore[call-arg]
    commented = [(name, value) for name, value, commented in example_lines() if commented]
    assert commented
    for name, value in commented:
        field = _field_of(name)
        if value == "":  # "(unset)": the default is nothing
            assert _plain(getattr(defaults, field)) in (None, ""), name
            continue
        monkeypatch.setenv(name, value)
        read = Settings(_env_file=None)  # type: ignore[call-arg]
        monkeypatch.delenv(name)
        assert _plain(getattr(read, field)) == _plain(getattr(defaults, field)), name


def test_the_required_section_loads_as_a_whole(monkeypatch) -> None:
    required = [(n, v) for n, v, commented in example_lines() if not commented]
    assert {"SEEDREAM_DATABASE_URL", "SEEDREAM_ABUSE_HASH_SECRET"} <= {n for n, _ in required}
    for name, value in required:
        monkeypatch.setenv(name, value)
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert not settings.is_sqlite
    assert settings.redis_url and settings.s3_bucket


def _with_example(monkeypatch, tmp_path, text: str) -> None:
    copy = tmp_path / "example"
    copy.write_text(text, encoding="utf-8")
    monkeypatch.setattr(__import__(__name__, fromlist=["EXAMPLE"]), "EXAMPLE", copy)


def test_an_unknown_or_repeated_name_fails(monkeypatch, tmp_path) -> None:
    original = EXAMPLE.read_text(encoding="utf-8")
    for extra in ("SEEDREAM_NOT_A_SETTING=1\n", "# SEEDREAM_WEB_PORT=8080\n"):
        _with_example(monkeypatch, tmp_path, original + extra)
        with pytest.raises(AssertionError):
            test_the_example_names_nothing_the_settings_do_not_read()


def test_a_missing_setting_or_a_wrong_default_fails(monkeypatch, tmp_path) -> None:
    original = EXAMPLE.read_text(encoding="utf-8")
    assert "# SEEDREAM_WEB_PORT=8080\n" in original
    _with_example(monkeypatch, tmp_path, original.replace("# SEEDREAM_WEB_PORT=8080\n", ""))
    with pytest.raises(AssertionError):
        test_every_setting_is_in_the_example_under_its_first_name()
    wrong = original.replace("# SEEDREAM_WEB_PORT=8080\n", "# SEEDREAM_WEB_PORT=8081\n")
    _with_example(monkeypatch, tmp_path, wrong)
    with pytest.raises(AssertionError):
        test_each_commented_default_is_the_codes_default(monkeypatch)

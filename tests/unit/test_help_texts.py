"""/help names every option the text commands accept, in every launch locale: each
/imagine option of the core's parser (by one of its spellings), each /settings option
and on/off switch of the shared grammar (``training``, ``analytics``), and the console's
own ``--image``. (Discord's help is held to its registered slash
options: tests/e2e/test_discord_locales.py.)"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest

from adapters.common.grammar import SETTINGS_SWITCHES
from core.jobs.requests import IMAGINE_OPTIONS, SETTINGS_OPTIONS
from core.text.catalogue import Messages

ROOT = Path(__file__).resolve().parents[2]
LAUNCH_LOCALES = ("en", "es", "pt-BR", "ru", "de")


def spellings(options: dict[str, str]) -> dict[str, set[str]]:
    """meaning → its spellings (``count`` → {--n, --count})."""
    found: dict[str, set[str]] = defaultdict(set)
    for spelling, meaning in options.items():
        found[meaning].add(spelling)
    return found


def named(option: str, text: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", text) is not None


def unnamed(text: str, options: dict[str, str], *, extra: tuple[str, ...] = ()) -> list[str]:
    missing = [
        "/".join(sorted(ways))
        for ways in spellings(options).values()
        if not any(named(way, text) for way in ways)
    ]
    return missing + [option for option in extra if not named(option, text)]


def help_text(adapter: str, locale: str) -> str:
    folder = ROOT / "adapters" / adapter / "locales"
    return Messages(folder).render(f"{adapter}.help", locale)


@pytest.mark.parametrize("locale", LAUNCH_LOCALES)
def test_console_help_names_every_imagine_and_settings_option(locale):
    text = help_text("console", locale)
    assert unnamed(text, IMAGINE_OPTIONS, extra=("--image",)) == []
    assert unnamed(text, SETTINGS_OPTIONS, extra=SETTINGS_SWITCHES) == []


# Private replies are a Discord switch (an ephemeral answer); Telegram has none, so its
# help does not offer --private although the shared parser takes it.
TELEGRAM_SETTINGS = {k: v for k, v in SETTINGS_OPTIONS.items() if v != "private_replies"}


@pytest.mark.parametrize("locale", LAUNCH_LOCALES)
def test_telegram_help_names_every_imagine_and_settings_option(locale):
    text = help_text("telegram", locale)
    assert unnamed(text, IMAGINE_OPTIONS) == []
    assert unnamed(text, TELEGRAM_SETTINGS, extra=SETTINGS_SWITCHES) == []


def test_the_check_catches_an_option_left_out():
    assert unnamed("--ar --seed --no --count --model", IMAGINE_OPTIONS) == ["--enhance"]
    assert unnamed("--area --model-x", {"--ar": "aspect", "--model": "model"}) == [
        "--ar",
        "--model",
    ]

"""The grammar of chat commands typed as text (console, Telegram): subcommands and the
words they take. One parser, so ``/settings training on`` means the same everywhere."""

from __future__ import annotations

from dataclasses import dataclass

TRAINING = "training"  # /settings training on|off
ANALYTICS = "analytics"  # /settings analytics on|off (product analytics, opt-in)
SETTINGS_SWITCHES = (TRAINING, ANALYTICS)  # /settings <switch> on|off, every chat
MANAGE_WORDS = frozenset({"manage", "cancel", "portal"})  # /subscribe manage: the portal


@dataclass(frozen=True, slots=True)
class Subcommand:
    name: str  # the first word, lower-cased ("" for none)
    rest: str  # what follows it, stripped


def subcommand(text: str) -> Subcommand:
    """``"Training  On"`` → ``Subcommand("training", "On")``."""
    first, _, rest = text.strip().partition(" ")
    return Subcommand(first.lower(), rest.strip())


def on_off(word: str) -> bool | None:
    """``on`` → True, ``off`` → False (any case); anything else (also two words) → None."""
    return {"on": True, "off": False}.get(word.strip().lower())


def training_choice(text: str) -> bool | None:
    """What ``/settings training …`` asks for: True (on), False (off), None (usage)."""
    return on_off(subcommand(text).rest)


def is_training(text: str) -> bool:
    """Whether ``/settings`` text is the training subcommand rather than options."""
    return subcommand(text).name == TRAINING


def settings_switch(text: str) -> str | None:
    """The switch ``/settings`` text names (one of ``SETTINGS_SWITCHES``), or None for
    options."""
    name = subcommand(text).name
    return name if name in SETTINGS_SWITCHES else None


def wants_portal(plan: str) -> bool:
    """``/subscribe manage`` (or cancel, portal): the subscription's own page."""
    return plan.strip().lower() in MANAGE_WORDS

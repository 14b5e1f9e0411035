"""The /settings values checked without the database: an aspect ratio the default model
offers, a language the deployment has."""

from __future__ import annotations

from collections.abc import Sequence

from core.catalog import ModelSpec
from core.errors import InvalidOption


def checked_aspect(model: ModelSpec, aspect_ratio: str) -> str:
    """``aspect_ratio`` as stored (``16x9`` is ``16:9``).

    Raises:
        InvalidOption: ``model`` does not offer it (field ``aspect``).
    """
    aspect = aspect_ratio.strip().replace("x", ":")
    if aspect not in model.aspect_ratios:
        raise InvalidOption(
            field="aspect",
            reason="not_allowed",
            value=aspect[:16],
            allowed=", ".join(model.aspect_ratios),
        )
    return aspect


def checked_language(language: str, languages: Sequence[str]) -> str:
    """``language`` as stored (lower case).

    Raises:
        InvalidOption: not one of ``languages`` (field ``language``).
    """
    lang = language.strip().lower()
    if lang not in languages:
        raise InvalidOption(
            field="language",
            reason="not_allowed_language",
            value=lang[:16],
            allowed=", ".join(languages),
        )
    return lang
